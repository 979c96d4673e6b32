"""The question "A和B分别是多少？" over a sentence "A和B分别达X、Y": each part gets its own figure (X for A, Y for
B), not the whole list for A and "not found" for B."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.parts import Part
from qa.answer.respectively import distribute, listed_figures
from qa.assistant import Assistant
from qa.types import Answer, Citation

# A made-up province report: listed figures after 分别, one list of another thing right before the one asked.
REPORT = """青河省2026年政府工作报告

一、2025年工作回顾
安全发展水平提升，生产安全事故起数和死亡人数分别下降4.3%、5.6%，城乡居民人均可支配收入分别达6.6万元和3.2万元。

文旅消费持续升温，接待游客数量和游客总花费分别增长10.3%、16.5%，其中，入境游客数量和花费分别增长47.8%、52.3%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qinghe.txt": REPORT})


def test_each_part_gets_its_own_figure_of_the_list(assistant: Assistant) -> None:
    answer = assistant.ask("青河省2025年生产安全事故起数和死亡人数分别下降了多少？")
    first, second = answer.answer.split("；")
    assert "4.3%" in first and "5.6%" not in first
    assert "5.6%" in second and "未找到" not in second


def test_the_figures_follow_the_order_the_sentence_names_the_things(assistant: Assistant) -> None:
    answer = assistant.ask("青河省2025年入境游客花费和数量分别增长了多少？")
    first, second = answer.answer.split("；")
    assert "52.3%" in first and "47.8%" in second


def _cited(text: str, figure: str) -> Answer:
    at = text.index(figure)
    cite = Citation(1, "r.txt", 0, len(text), text, (at, at + len(figure)), 1.0)
    return Answer("q", f"{figure} [1]", False, (cite,), span=figure, confidence=0.7)


def test_a_list_of_another_length_is_left_as_it_was() -> None:
    text = "力争全年交通、水利、能源领域投资额分别达2400亿元、450亿元、1700亿元。"
    parts = [Part("交通投资额多少？", "交通"), Part("水利投资额多少？", "水利")]
    answers = [_cited(text, "2400亿元、450亿元、1700亿元"), Answer("q", "未找到", True)]
    assert listed_figures(answers[0].citations[0], 2) is None
    assert distribute(parts, answers) == answers


def test_a_figure_after_the_list_is_not_one_of_it() -> None:
    text = "热线诉求解决率、满意率分别达96.7%和97%，一批群众身边的烦心事得到解决。"
    parts = [Part("解决率多少？", "解决率"), Part("满意率多少？", "满意率")]
    out = distribute(parts, [_cited(text, "96.7%和97%"), Answer("q", "未找到", True)])
    assert [a.span for a in out] == ["96.7%", "97%"]
    assert all(not a.abstained for a in out)
    assert out[1].citations[0].text[slice(*out[1].citations[0].highlight)] == "97%"
