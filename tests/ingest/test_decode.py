"""Text files in East Asian legacy encodings decode to the right characters, not gb18030 mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingest.decode import decode_text, detect_encoding
from qa.ingest.readers import load_document

SIMPLIFIED = [
    "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。",
    "提案办理资金。",
    "不断强化对党忠诚的坚定立场",  # every character in GB rows that Korean syllables also use
    "开放度更高、凝聚力更强。",
]
TRADITIONAL = [
    "西夏區政協五屆三次會議和閉會期間共立案41件，區委和政府專項安排100萬元提案辦理資金。",
    "臺北市的人口約有兩百六十萬人，是臺灣的政治中心。",
    "這份報告說明了過去一年來的主要成果與問題。",
    "一二三四五六七八九十",
    "臺灣的議會。",
]
JAPANESE = [
    "東京都の人口は約1400万人で、日本で最も多い都道府県です。会議は来週の月曜日に開かれます。",
    "この報告書は昨年の主な成果をまとめたものです。",
    "こんにちは世界",
    "カタカナのテキストとひらがなのテキスト。",
]
KOREAN = [
    "서울특별시는 대한민국의 수도이며 인구는 약 천만 명입니다. 회의는 다음 주 월요일에 열립니다.",
    "이 보고서는 지난 한 해 동안의 주요 성과를 정리한 것입니다.",
]


def cases(texts: list[str], encodings: list[str]) -> list[tuple[str, str]]:
    return [(t, e) for t in texts for e in encodings]


@pytest.mark.parametrize("text, encoding", cases(SIMPLIFIED, ["gb2312", "gbk", "gb18030"]))
def test_simplified_chinese_in_gb_encodings(text, encoding):
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("text, encoding", cases(TRADITIONAL, ["big5", "cp950"]))
def test_traditional_chinese_in_big5_is_kept_as_traditional_chinese(text, encoding):
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("text", TRADITIONAL)
def test_traditional_chinese_written_in_gbk_stays_gbk(text):
    assert decode_text(text.encode("gbk")) == text


@pytest.mark.parametrize("text, encoding", cases(JAPANESE, ["shift_jis", "cp932", "euc_jp"]))
def test_japanese_decodes_correctly(text, encoding):
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("text, encoding", cases(KOREAN, ["euc_kr", "cp949"]))
def test_korean_decodes_correctly(text, encoding):
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_or_without_bom(encoding):
    text = TRADITIONAL[0] + "\n" + SIMPLIFIED[0]
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff") + data
    assert decode_text(data) == text


def test_every_line_of_the_bundled_report_in_gb18030_stays_gb18030():
    report = Path(__file__).resolve().parents[2] / "data" / "xixia_cppcc_2024_highlights.txt"
    lines = [line for line in report.read_text(encoding="utf-8").splitlines() if len(line) > 3]
    wrong = [line for line in lines if decode_text(line.encode("gb18030")) != line]
    assert wrong == []
    assert detect_encoding(report.read_text(encoding="utf-8").encode("gb18030")) == "gb18030"


def test_a_big5_file_is_indexed_as_traditional_chinese(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(("\n".join(TRADITIONAL) + "\n").encode("big5"))
    doc = load_document(path)
    assert doc.raw_text.splitlines() == TRADITIONAL


def test_western_single_byte_text_is_not_read_as_chinese():
    text = "Café résumé: naïve déjà vu, the “quoted” words."
    decoded = decode_text(text.encode("cp1252"))  # charset-normalizer's call (cp1250 or cp1252)
    assert decoded.startswith("Café résumé") and not any("\u4e00" <= c <= "\u9fff" for c in decoded)


def test_binary_data_is_still_refused():
    with pytest.raises(InputError, match="looks like a binary file"):
        decode_text(b"\x00\x01\x02binary\x00", "x.bin")


@pytest.mark.parametrize("via", ["latin-1", "cp1252"])
def test_double_encoded_utf8_is_repaired_not_indexed_as_hangul(via):
    """Defect: UTF-8 decoded as latin-1 and saved as UTF-8 again was read as Korean syllables."""
    text = "提案立案41件，同比增长5.2%。“十四五”规划收官。"
    raw = text.encode()
    if via == "latin-1":
        doubled = raw.decode("latin-1")
    else:  # cp1252 leaves five bytes undefined; an editor keeps them as the C1 characters
        doubled = "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in raw)
    assert decode_text(doubled.encode()) == text


def test_real_latin_text_is_left_alone():
    for text in ("café résumé naïve", "Ã© is what it is", "Größe 5 m²"):
        assert decode_text(text.encode()) == text
