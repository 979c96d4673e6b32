"""A share asked (比重达到多少, "what share") is a percent; a change of a share, written in 百分点, is another fact.
Asked how much it changed, the 百分点 figure answers."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.question import analyse_question
from qa.assistant import Assistant

# A made-up city report: a share and its change in one sentence, another change in the next.
REPORT = """青山市2025年经济社会发展情况

新型城镇化稳步推进。全市常住人口城镇化率提高1.2个百分点、达到64.5%。县域经济增速高于全市经济增速0.6个百分点。

空气质量持续改善。全年空气质量优良天数比率提高2.1个百分点。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "lang", "change"),
    [
        ("城镇化率达到多少？", "zh", False),
        ("城镇化率比上年提高了多少？", "zh", True),
        ("城镇化率提高了几个百分点？", "zh", True),
        ("What share of residents lived in towns?", "en", False),
        ("By how many points did the urbanisation rate rise?", "en", True),
    ],
)
def test_a_question_says_whether_it_asks_a_change(question: str, lang: str, change: bool) -> None:
    assert analyse_question(question, lang).change is change


def test_a_share_is_answered_by_the_percent_not_the_change(assistant: Assistant) -> None:
    answer = assistant.ask("青山市常住人口城镇化率达到多少？")
    assert not answer.abstained and answer.span.startswith("64.5%"), answer.answer


def test_a_change_is_answered_in_points(assistant: Assistant) -> None:
    answer = assistant.ask("青山市常住人口城镇化率提高了多少？")
    assert not answer.abstained and answer.span.startswith("1.2个百分点"), answer.answer


def test_a_share_asked_where_only_its_change_is_written_is_not_the_change(assistant: Assistant) -> None:
    answer = assistant.ask("青山市空气质量优良天数比率是多少？")
    assert not answer.span.startswith("2.1"), answer.answer
