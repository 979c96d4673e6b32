"""How long, how high, how large: a dimension asked with no unit of its own is answered by a figure in a unit of
that dimension, not by the first count of the sentence ("一座", "356处")."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

TEXT = """青溪古镇概况

东关街是青溪古镇最古老的街道，沿街保存明清建筑356处，全长1122米。
古镇内有一座石桥，桥高12米，建于清代。
青溪湿地公园占地面积约3.2平方公里，栖息鸟类120余种。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_town.txt": TEXT})


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("东关街有多长？", "1122米"),
        ("古镇的石桥有多高？", "12米"),
        ("青溪湿地公园的占地面积有多大？", "3.2平方公里"),
    ],
)
def test_a_dimension_is_answered_in_its_unit(assistant: Assistant, question: str, span: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and span in answer.answer, answer.answer
