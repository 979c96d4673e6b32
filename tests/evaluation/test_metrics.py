"""Metric functions: normalisation, answer and evidence matching, ranking, CMRC span scores, percentiles."""

from __future__ import annotations

import pytest

from qa.evaluation import metrics as M


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("四十一", 41),
        ("十六", 16),
        ("十", 10),
        ("一百万", 1_000_000),
        ("二〇二四", 2024),
        ("两千零二十四", 2024),
        ("一万零五", 10005),
        ("一百五", 150),
        ("三十万", 300_000),
        ("一亿五千万", 150_000_000),
    ],
)
def test_chinese_numerals(word: str, value: int) -> None:
    assert M.chinese_to_int(word) == value


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("２０２４ 年 ３ 月", "2024年3月"),  # full width and PDF spacing
        ("四十一件", "41件"),
        ("百分之百", "100"),
        ("100%", "100"),
        ("60万元", "600000元"),
        ("一百万元", "1000000元"),
        ("3.5%", "3.5"),
        ("Hello,  World!", "helloworld"),
        ("“议什么、谁来议”", "议什么谁来议"),
    ],
)
def test_normalize_answer(text: str, normal: str) -> None:
    assert M.normalize_answer(text) == normal


def test_answer_correct_folds_numbers_markers_and_spaces() -> None:
    assert M.answer_correct("协商议政 十六次[1]。", ["16次"])
    assert M.answer_correct("Funding was one million yuan [2].", ["100万元", "one million yuan"])
    assert M.answer_correct("It was on 19 August [1].", ["2024年8月19日"], span="2024 年 8 月 19 日")
    assert not M.answer_correct("协商议政16[1]次", ["61次"])  # the marker must not glue digits together
    assert not M.answer_correct("anything", [])


def test_number_match_is_whole_number() -> None:
    assert M.number_match("共立案四十一件[1]", ["41件"]) is True
    assert M.number_match("共立案141件", ["41件"]) is False
    assert M.number_match("李海峰", ["李海峰"]) is None  # no number to check
    assert M.numbers_in("16.50 和 007") == ["16.5", "7"]


def test_evidence_in_ignores_whitespace_and_width() -> None:
    chunk = "组织委员开展调研视察、协商议政 16次、\n调查研究 32次"
    assert M.evidence_in(chunk, ["协商议政16次"])
    assert M.evidence_in("ＡＢＣ 1", ["abc1".upper()])
    assert not M.evidence_in(chunk, ["调查研究33次"])
    assert not M.evidence_in(chunk, [])


def test_evidence_written_from_a_tab_separated_row_is_found_in_the_chunk_s_row() -> None:
    assert M.evidence_in("五、北美洲 | 692.9\n美国 | 633.0 | -8.5", ["美国\t633.0\t-8.5"])
    assert not M.evidence_in("美国 | 713.8 | 10.1", ["美国\t633.0"])


def test_recall_and_mrr() -> None:
    ranks = [1, 3, None, 7]
    assert M.recall_at_k(ranks, 1) == 0.25
    assert M.recall_at_k(ranks, 5) == 0.5
    assert M.recall_at_k(ranks, 10) == 0.75
    assert M.mrr(ranks, 10) == pytest.approx((1 + 1 / 3 + 1 / 7) / 4)
    assert M.mrr(ranks, 5) == pytest.approx((1 + 1 / 3) / 4)
    assert M.recall_at_k([], 5) is None and M.mrr([]) is None


def test_percentile_interpolates_like_numpy() -> None:
    assert M.percentile([10, 20, 30, 40], 50) == 25
    assert M.percentile(list(range(1, 11)), 95) == pytest.approx(9.55)
    assert M.percentile([5.0], 95) == 5.0
    assert M.percentile([], 50) is None


def test_cmrc_em_removes_punctuation_only() -> None:
    assert M.cmrc_em("4分钟。", ["4分钟"]) == 1.0
    assert M.cmrc_em("《泡泡堂》", ["泡泡堂"]) == 1.0
    assert M.cmrc_em("4分钟内", ["4分钟"]) == 0.0
    assert M.cmrc_em("", ["4分钟"]) == 0.0


def test_cmrc_f1_uses_longest_common_substring() -> None:
    # segments: 4 分 钟 内 vs 4 分 钟 → common 3; p = 3/4, r = 1
    assert M.cmrc_f1("4分钟内", ["4分钟"]) == pytest.approx(2 * 0.75 / 1.75)
    # a common subsequence that is not contiguous does not count beyond its longest run
    assert M.cmrc_f1("甲乙X丙丁", ["甲乙丙丁"]) == pytest.approx(2 * (2 / 5) * (2 / 4) / (2 / 5 + 2 / 4))
    # English runs are word tokens, CJK characters single segments; best answer wins
    assert M.cmrc_f1("the Nexon 公司", ["Nexon公司", "别的"]) == pytest.approx(2 * (3 / 4) * 1 / (3 / 4 + 1))
    assert M.cmrc_f1("", ["x"]) == 0.0
    assert M.cmrc_segments("NPC玩家2V2，", remove_punct=True) == ["npc", "玩", "家", "2v2"]
