"""Medal tallies are written "获得14金9银13铜": a question counting gold medals (多少枚金牌, 几块金牌) is answered
with the gold count, never the silver or bronze one beside it, and one counting medals in 枚 or 块 with a figure
in either."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.question import expected_unit
from qa.answer.units import unit_matches
from qa.assistant import Assistant

TEXT = """青山市体育事业发展情况

青山市在第十五届全国运动会上共输送运动员86名，获得7金5银11铜。
全年举办市级以上体育赛事120场，新建健身步道45公里。
青山市选手在省运会上获得奖牌64枚。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_sports.txt": TEXT})


def test_a_medal_count_is_measured_by_its_metal() -> None:
    assert expected_unit("共获得多少枚金牌？", "zh") == "金"
    assert expected_unit("获得了几块铜牌？", "zh") == "铜"
    assert unit_matches("金", "金") and unit_matches("枚", "金")
    assert not unit_matches("银", "金")


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("青山市在第十五届全国运动会上获得多少枚金牌？", "7金"),
        ("青山市在第十五届全国运动会上获得了几块银牌？", "5银"),
        ("青山市在第十五届全国运动会上获得多少枚铜牌？", "11铜"),
        ("青山市选手在省运会上获得多少枚奖牌？", "64枚"),
    ],
)
def test_the_tally_answers_each_metal(assistant: Assistant, question: str, span: str) -> None:
    assert assistant.ask(question).span == span
