"""Chinese often writes what it counts after the figure and its measure word ("新建15个智能工厂"): a question that
names the thing counted (after 多少个, or before 多少 as a follow-up reads it) is answered by that figure, not by a
figure of a thing that merely ends the same way ("培育未来工厂10家"); and the answer keeps the counted noun only
when the question counts that noun, not a modifier of it."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.focus import Asked, asked_tail
from qa.assistant import Assistant

REPORT = """青山市2026年政府工作报告

一、2025年工作回顾

制造业加快转型。全年新能源汽车产量达到29.6万辆。培育未来工厂10家，新建15个国家卓越级智能工厂，新增7个市级工业互联网平台。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2026.txt": REPORT})


def test_the_thing_counted_after_the_interrogative() -> None:
    assert asked_tail("2025年新建了多少个国家卓越级智能工厂？") == "国家卓越级智能工厂"
    assert asked_tail("产量是多少？") == ""
    asked = Asked.of("新建了多少个国家卓越级智能工厂？", "zh", {})
    assert asked.names("培育未来工厂10家，新建", "国家卓越级智能工厂，新增")
    assert not asked.names("培育未来工厂", "，新建15个国家卓越级")


@pytest.mark.parametrize(
    "question",
    ["青山市2025年新建了多少个国家卓越级智能工厂？", "青山市2025年新建的国家卓越级智能工厂有多少？"],
)
def test_the_figure_before_what_is_counted_answers(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert ans.span == "15个"  # not 10家 (未来工厂), and not "15个国家": 国家 only modifies what is counted
