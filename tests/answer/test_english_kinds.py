"""What kind of answer an English question asks for: a phrase headed by a measure noun ("…progress contribution
rate") asks for the figure, not a quoted clause; the name of a thing (a tunnel) is no person's name."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

REPORT = """青溪区2026年政府工作报告
——2026年1月10日在青溪区第九届人民代表大会第一次会议上
区长 林远

一、2025年工作回顾
全年城镇调查失业率均值5.2%，居民人均可支配收入增长5.1%。
加快农业开放创新，建设现代设施农业产业园，农业科技进步贡献率67.5%。
重大基础设施加快建设，世界最长高速公路隧道——天山胜利隧道贯通、乌尉高速全线通车。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_gov_work_report_2026.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What was Qingxi's average surveyed urban unemployment rate in 2025?", "5.2%"),
        ("What was Qingxi's agricultural science and technology progress contribution rate?", "67.5%"),
    ],
)
def test_the_figure_is_the_answer(assistant: Assistant, question: str, figure: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span == figure, answer.answer


def test_the_name_of_a_thing_is_not_a_person(assistant: Assistant) -> None:
    answer = assistant.ask("What is the name of the world's longest expressway tunnel?")
    assert not answer.abstained and "天山胜利隧道" in answer.answer, answer.answer
