"""A parenthesis that opens with 含 gives a part of the figure before it: the figure after it is the whole again,
a question that names only what the whole says is answered by the whole, and one that says "including" asks for
the whole that includes the part."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

COMMUNIQUE = """青溪市2024年国民经济和社会发展统计公报

交通运输。已建成轨道交通线路15条（含有轨电车2条）、运营里程483.3公里（含有轨电车16.8公里）。
全年地铁实现客运量10.96亿人次，比上年增长8.6%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_statcomm_2024.txt": COMMUNIQUE})


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("青溪市已建成轨道交通的运营里程是多少公里？", "483.3公里"),
        ("How many kilometres of rail transit lines (including trams) were in operation in Qingxi?", "483.3公里"),
        ("青溪市有轨电车的运营里程是多少公里？", "16.8公里"),  # the part, when the question names what only it has
    ],
)
def test_the_whole_or_the_part_the_question_names(assistant: Assistant, question: str, span: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span == span, answer.answer
