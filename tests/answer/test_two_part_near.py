"""A two-part question whose second part leaves out its subject ("…是多少？比上年增长多少？") is answered with the
figure beside the first part's answer, not with a better-worded figure about something else."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

# A made-up province report: the trade figure and its growth in one sentence, and a growth figure about industry,
# in words closer to the second part alone, elsewhere.
REPORT = """白水省2025年政府工作报告

一、2025年工作回顾
工业生产比上年增长显著，全年规模以上工业增加值比上年增长8.6%。

对外开放持续扩大。全年货物进出口总额达到1.2万亿元、比上年增长4.4%，实际使用外资120亿美元。

民生保障有力有效。城镇新增就业52万人，城镇调查失业率5.0%。

资本市场活跃。全年完成并购重组397起、1767.8亿元，新增上市公司12家。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"baishui.txt": REPORT})


def test_the_second_part_reads_beside_the_first_part_s_figure(assistant: Assistant) -> None:
    answer = assistant.ask("白水省2025年货物进出口总额是多少？比上年增长了多少？")
    assert "1.2万亿元" in answer.answer and "4.4%" in answer.answer and "8.6%" not in answer.answer


def test_a_second_part_with_its_own_subject_is_searched_on_its_own(assistant: Assistant) -> None:
    answer = assistant.ask("白水省2025年货物进出口总额是多少？城镇新增就业多少人？")
    assert "1.2万亿元" in answer.answer and "52万人" in answer.answer


def test_a_second_part_written_right_after_the_first_is_answered_though_its_words_are_not_there(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("白水省2025年完成并购重组多少起？涉及金额多少？")
    assert "397起" in answer.answer and "1767.8亿元" in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        ("397起", "1767.8亿元", True),  # "并购重组397起、1767.8亿元": one statement of both
        ("397起", "12家", False),  # another clause's figure
        ("1767.8亿元", "397起", False),  # written before the first part's figure, not after it
    ],
)
def test_a_figure_right_after_the_first_part_s_is_one_statement_with_it(
    first: str, second: str, together: bool
) -> None:
    from qa.assistant import _next_to
    from qa.types import Answer, Citation

    text = "全年完成并购重组397起、1767.8亿元，新增上市公司12家。"

    def cited(figure: str) -> Answer:
        at = text.index(figure)
        cite = Citation(1, "r.txt", 0, len(text), text, (at, at + len(figure)), 1.0)
        return Answer("q", f"{figure} [1]", False, (cite,), span=figure, confidence=0.7)

    assert _next_to(cited(second), cited(first)) is together
