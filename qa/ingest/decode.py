"""Decode the bytes of a text file: BOMs, UTF-8, then the East Asian legacy encodings, scored by plausibility.

gb18030 accepts almost any byte string, so trying it first indexes Big5 (Traditional Chinese), Shift-JIS
and EUC-KR files as mojibake. Every legacy candidate that decodes strictly is instead scored on a sample: the
share of its non-ASCII characters that a text in that encoding's language is made of (the common ideographs of
the encoding, kana for Japanese, Hangul for Korean, CJK punctuation). A wrong decode of Chinese, Japanese or
Korean bytes lands mostly on rare ideographs, symbols or half-width kana, so it scores far lower. Ties keep
gb18030 (the status quo), and anything scored too low goes to charset-normalizer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from qa.errors import InputError

SAMPLE_CHARS = 20_000  # characters of each candidate decode that are scored
MIN_SCORE = 0.6  # below this no legacy CJK encoding fits: ask charset-normalizer
KOREAN_MIN_HANGUL = 8  # Korean wins over an equally plausible gb18030 decode only with this many syllables
KOREAN_MIN_SCORE = 0.9

# Legacy encodings tried after UTF-8, in tie-break order (the first is the one the tool always used).
CANDIDATES = ("gb18030", "cp950", "cp932", "euc_jp", "cp949")
LANGUAGE = {"gb18030": "zh", "cp950": "zh", "cp932": "ja", "euc_jp": "ja", "cp949": "ko"}
LABEL = {"gb18030": "GB18030", "cp950": "Big5", "cp932": "Shift-JIS", "euc_jp": "EUC-JP", "cp949": "EUC-KR"}


def looks_binary(text: str) -> bool:
    """True when too many chars are control chars or U+FFFD (a wrong or binary decode)."""
    if not text:
        return False
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0c"))
    return bad > max(2, 0.01 * len(text))


def _table(codec: str, leads: range, trails: list[range]) -> frozenset[str]:
    out = set()
    for lead in leads:
        for tr in trails:
            for trail in tr:
                try:
                    ch = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    out.add(ch)
    return frozenset(out)


_HIGH = [range(0xA1, 0xFF)]
_SPACED_HANGUL = re.compile("[\uac00-\ud7a3] [\uac00-\ud7a3]")


@cache
def _good_chars(lang: str) -> frozenset[str]:
    """Characters a text in `lang` is made of: its common ideographs (or syllables) and its punctuation."""
    if lang == "zh":
        # GB2312's 6763 hanzi (simplified) and Big5's 5401 frequently used hanzi (traditional)
        common = _table("gb2312", range(0xB0, 0xF8), _HIGH) | _table(
            "cp950", range(0xA4, 0xC7), [range(0x40, 0x7F), *_HIGH]
        )
        common = frozenset(c for c in common if _is_ideograph(c))
    elif lang == "ja":
        kana = {chr(c) for c in range(0x3041, 0x3097)} | {chr(c) for c in range(0x30A1, 0x30FB)} | {"ー", "々"}
        kanji = _table("euc_jp", range(0xB0, 0xD0), _HIGH)
        common = frozenset(c for c in kanji if _is_ideograph(c)) | kana  # JIS X 0208 level-1 kanji
    else:
        common = _table("euc_kr", range(0xB0, 0xC9), _HIGH)  # the 2350 Hangul syllables of KS X 1001
    return frozenset(common | _punctuation())


def _is_ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


@cache
def _punctuation() -> frozenset[str]:
    ranges = [(0x3000, 0x3040), (0xFF01, 0xFF5F), (0x2010, 0x2028), (0x2460, 0x2474), (0x2160, 0x216C)]
    chars = {chr(c) for a, b in ranges for c in range(a, b)}
    return frozenset(chars | set("·×÷°±℃№"))


def _score(sample: str, lang: str) -> tuple[float, int, int]:
    """(share of non-ASCII chars that fit `lang`, kana count, Hangul count) for a decoded sample."""
    good_set = _good_chars(lang)
    total = good = kana = hangul = 0
    for c in sample:
        if c < "\x80":
            continue
        total += 1
        if c in good_set:
            good += 1
        if "\u3041" <= c <= "\u30fa":
            kana += 1
        elif "\uac00" <= c <= "\ud7a3":
            hangul += 1
    return (good / total if total else 0.0), kana, hangul


def _guess_legacy(data: bytes) -> str | None:
    """The legacy CJK encoding that decodes `data` most plausibly, or None when none fits."""
    scored: list[tuple[float, str]] = []
    korean: tuple[float, int, int] | None = None
    japanese: list[tuple[float, str]] = []
    for enc in CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:SAMPLE_CHARS]
        del text
        score, kana, hangul = _score(sample, LANGUAGE[enc])
        if LANGUAGE[enc] == "ja":
            wide = sum(1 for c in sample if c >= "\x80")
            if kana < 0.1 * wide:
                score = 0.0  # Japanese prose is at least a tenth kana; Chinese almost never has any
            elif kana >= 0.3 * wide:
                japanese.append((score, enc))
        if enc == "cp949":
            korean = (score, hangul, len(_SPACED_HANGUL.findall(sample)))
        scored.append((score, enc))
    if not scored:
        return None
    # Korean bytes decode as gb18030 into common (but meaningless) hanzi; a sample made almost only of
    # KS X 1001 syllables is Korean, which Chinese bytes decoded as cp949 never are (they hit hanja and gaps).
    # Korean also puts spaces between words, which Chinese does not.
    if korean is not None:
        score, hangul, spaced = korean
        if score >= KOREAN_MIN_SCORE and hangul >= KOREAN_MIN_HANGUL and spaced * 15 >= hangul:
            return "cp949"
    best = max(scored, key=lambda s: (s[0], -CANDIDATES.index(s[1])))
    # EUC-JP's hiragana row is Big5's row of the commonest hanzi: a sample that is a third kana is Japanese.
    for score, enc in japanese:
        if score >= MIN_SCORE and score >= best[0] - 0.05:
            return enc
    return best[1] if best[0] >= MIN_SCORE else None


def _bom(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    return None


def detect_encoding(data: bytes) -> str | None:
    """The codec `decode_text` tries for `data`; None when only charset-normalizer can tell."""
    bom = _bom(data)
    if bom is not None:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess_legacy(data)


#: cp1252's characters for the bytes 0x80-0x9F (where latin-1 has C1 controls): double-encoded text holds both
_CP1252_BYTE = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def undouble_utf8(text: str) -> str:
    """`text` repaired when it is UTF-8 that was decoded as latin-1 / cp1252 and encoded again ("æ\x8f\x90æ¡\x88"
    for 提案): every non-ASCII char is one of those encodings' bytes, and together they are strict UTF-8 with
    CJK in it. Anything else is returned as it is."""
    if text.isascii() or any(ord(c) > 0xFF and c not in _CP1252_BYTE for c in text):
        return text
    try:
        fixed = bytes(_CP1252_BYTE.get(c, ord(c)) for c in text).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return text
    return fixed if any(_is_ideograph(c) or "\u3000" <= c <= "\u30ff" for c in fixed) else text


def decode_text(data: bytes, name: str = "file") -> str:
    """Decode text bytes: BOMs, UTF-8, the most plausible of GB18030 / Big5 / Shift-JIS / EUC-JP / EUC-KR,
    then charset-normalizer's best guess. Raises InputError for binary or undecodable data."""
    bom = _bom(data)
    if bom is None and b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    enc = bom or detect_encoding(data)
    if enc is not None:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            text = ""
        if enc.startswith("utf-8"):
            text = undouble_utf8(text)  # before the binary check: latin-1's C1 controls would fail it
        if text and not looks_binary(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if not looks_binary(text):
            return text
    try:  # what the tool always did: gb18030 takes almost anything that is not binary
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and not looks_binary(text):
        return text
    raise InputError(f"{name}: cannot decode the text (binary file or unknown encoding)")
