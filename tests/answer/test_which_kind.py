"""A "which" question names the kind of thing it asks for (哪个机场, 哪一处文化景观); when the text writes that kind
right after the name, the answer is the whole name (亳州机场), not the part before it (亳州). A quoted name is
whole as quoted."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

REPORT = """2026年青山省政府工作报告

一、2025年工作回顾

交通网络更加完善，亳州机场建成通航，新开通国际航线12条。文化事业繁荣发展，2025年普洱景迈山古茶林文化景观成功列入世界遗产名录。青山市荣获“全国文明城市”称号。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2026.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("2025年哪个机场建成通航？", "亳州机场"),
        ("2025年哪一处文化景观成功列入世界遗产名录？", "普洱景迈山古茶林文化景观"),
    ],
)
def test_the_answer_keeps_the_kind_the_question_names(assistant: Assistant, question: str, whole: str) -> None:
    ans = assistant.ask(question)
    assert not ans.abstained, ans.answer
    assert whole in ans.answer


def test_a_quoted_name_needs_no_kind_after_it(assistant: Assistant) -> None:
    ans = assistant.ask("青山市荣获了什么称号？")
    assert "全国文明城市" in ans.answer
    assert "称号" not in ans.answer.replace("全国文明城市", "")
