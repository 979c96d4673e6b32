"""A question of when a communiqué was published is answered by the date it was released (发布时间), not by the year its
title names: an English question's "publish" reads as 发布."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

COMMUNIQUE = """# 2023年青山市文化和旅游发展统计公报

青山市文化和旅游局
发布时间：2024年08月30日

2023年，在市委市政府的坚强领导下，全市文化和旅游系统推动文化和旅游高质量发展。

一、公共文化服务

2023年末，全市共有公共图书馆46个，文化馆52个。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_culture_2023.txt": COMMUNIQUE})


def test_an_english_question_gets_the_release_date(assistant: Assistant) -> None:
    ans = assistant.ask("When was the 2023 Qingshan culture and tourism development statistical communiqué published?")
    assert "2024年08月30日" in ans.answer, ans.answer


@pytest.mark.parametrize(
    "question",
    ["2023年青山市文化和旅游发展统计公报的发布时间是哪一天？", "青山市2023年文化和旅游统计公报是什么时候发布的？"],
)
def test_a_chinese_question_gets_it_too(assistant: Assistant, question: str) -> None:
    assert "2024年08月30日" in assistant.ask(question).answer
