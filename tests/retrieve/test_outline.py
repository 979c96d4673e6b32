"""A figure in a numbered sub-section of a report's plans ("（七）…" under "2026年重点工作") is a target."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant
from qa.retrieve.outline import Outline
from qa.types import Chunk

# A made-up 2026 report: last year's results, then this year's work in numbered sub-sections.
REPORT = """2026年青山市政府工作报告

一、2025年工作回顾

过去一年，全市经济运行稳中有进。城镇新增就业4.6万人，城镇调查失业率5.1%。免费为1860名困难老年人实施白内障复明手术。

二、2026年重点工作

（一）持续扩大有效需求

实施重大项目300个，完成投资1200亿元。

（二）加大保障和改善民生力度

持续办好为民实事。支持1000名未就业高校毕业生到基层就业，城镇新增就业4万人。免费为1000名老年人实施白内障复明手术。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2026.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("青山市2025年城镇新增就业多少人？", "4.6万人"),
        ("青山市2025年免费为多少名困难老年人实施了白内障复明手术？", "1860名"),
        ("青山市2026年城镇新增就业的目标是多少？", "4万人"),
    ],
)
def test_a_plan_sub_section_holds_targets(assistant: Assistant, question: str, figure: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span.startswith(figure), answer.answer


def _chunk(start: int, section: str) -> Chunk:
    return Chunk(f"c{start}", "r.txt", start, start + 10, section, "body", "正文")


def test_a_sub_heading_is_read_with_the_top_level_heading_above_it() -> None:
    chunks = [
        _chunk(0, "一、2025年工作回顾"),
        _chunk(100, "二、2026年重点工作"),
        _chunk(200, "（二）民生"),
        _chunk(300, "1. 就业"),
    ]
    outline = Outline(chunks, {"r.txt": (0, 4)})
    assert outline.section(chunks[0]) == "一、2025年工作回顾"
    assert outline.section(chunks[2]) == "二、2026年重点工作 （二）民生"
    assert outline.section(chunks[3]) == "二、2026年重点工作 1. 就业"
