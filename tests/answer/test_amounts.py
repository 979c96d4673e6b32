""" "How much grain" asks an amount: it is answered in tonnes or jin, never by a count of things (4个 granaries)
or the area sown (1266.6万亩) that the report gives beside it; "how much money" keeps asking a sum in yuan, and
"how many" a count."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.question import expected_unit
from qa.answer.units import AMOUNT, unit_matches
from qa.assistant import Assistant

REPORT = """2025年青山省政府工作报告

一、2024年工作回顾

乡村振兴扎实推进。保障粮食安全，耕地面积连续两年实现净增加，粮食播种面积1266.6万亩、产量514.4万吨。杂交水稻制种面积占全国
31.5%，4个省级粮库新建成投用。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_report_2025.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How much grain did Qingshan produce in 2024?", AMOUNT),
        ("How much cargo and mail throughput did the airport handle?", AMOUNT),
        ("How much money did the district allocate for proposals?", "元"),
        ("How many new international passenger and cargo air routes were opened?", "个"),
    ],
)
def test_an_english_how_much_asks_an_amount(question: str, unit: str) -> None:
    assert expected_unit(question, "en") == unit


@pytest.mark.parametrize(
    ("unit", "fits"), [("万吨", True), ("亿斤", True), ("亿元", True), ("", True), ("个", False), ("万亩", False)]
)
def test_an_amount_is_in_any_measure_but_no_count(unit: str, fits: bool) -> None:
    assert unit_matches(unit, AMOUNT) is fits


def test_how_much_grain_is_given_in_tonnes(assistant: Assistant) -> None:
    ans = assistant.ask("According to Qingshan's 2025 government work report, how much grain did Qingshan produce?")
    assert "514.4" in ans.answer and "4 units" not in ans.answer, ans.answer
