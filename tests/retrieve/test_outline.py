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


# A made-up 2025 report whose part headings are not set apart as headings (indented body lines, as many reports
# are printed): only its list of targets tells last year's results from this year's plans.
UNMARKED = """2025年白水省政府工作报告

　　各位代表：现在，我代表省人民政府，向大会报告工作，请予审议。

　　一、牢记嘱托，在接续奋斗中取得新成效。2024年，全省地区生产总值增长5.5%。加强政策保障，统筹资金援企稳岗，城镇新增就业53.1万人，失业人员实现再就业14.3万人。

　　二、今年经济社会发展的主要预期目标是：全省地区生产总值增长5.5%左右，居民消费价格涨幅2%左右。

　　全力促进就业增收。实施重点领域就业支持计划，加快就业帮扶政策措施落地见效，城镇新增就业50万人、失业人员实现再就业10万人。
"""


@pytest.fixture(scope="module")
def unmarked(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"baishui_2025.txt": UNMARKED})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("白水省2024年城镇新增就业多少人？", "53.1万人"),
        ("白水省2025年城镇新增就业的目标是多少？", "50万人"),
    ],
)
def test_what_follows_a_report_s_list_of_targets_is_its_plans(unmarked: Assistant, question: str, figure: str) -> None:
    answer = unmarked.ask(question)
    assert not answer.abstained and answer.span.startswith(figure), answer.answer


def test_a_chunk_after_the_targets_is_marked_as_plans_in_reports_only() -> None:
    chunks = [
        Chunk("c0", "r.txt", 0, 10, "", "body", "去年增长5.5%。"),
        Chunk("c1", "r.txt", 10, 20, "", "body", "主要预期目标是：增长5%左右。"),
        Chunk("c2", "r.txt", 20, 30, "", "body", "城镇新增就业50万人。"),
    ]
    outline = Outline(chunks, {"r.txt": (0, 3)}, reports={"r.txt"})
    assert [outline.plans_from("r.txt")] == [10]
    assert outline.section(chunks[0]) == "" and outline.section(chunks[2]).endswith("预期目标之后）")
    assert Outline(chunks, {"r.txt": (0, 3)}).section(chunks[2]) == ""  # not a report: no plans
