"""A question asking for several things (哪两家, 哪些省份) is answered with the whole list the text writes them in,
not the one item a span finder settled on; the words leading into the list (先后到) are not part of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest
from conftest import assistant_over

from qa.answer.lists import asks_several, whole_list
from qa.assistant import Assistant
from qa.reader.decode import WindowSpans

TEXT = """青山市2026年政府工作报告

一、2025年工作回顾

资本市场取得突破。健全金融服务实体经济工作机制。青禾科技、山川精工成功上市。
对外交流更加活跃，先后到河北、广东、浙江等地学习考察。
"""


class OneItemReader:
    """A reader that points at one item of the list, sure of it."""

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]:
        return [
            WindowSpans([(p.find("山川精工"), p.find("山川精工") + 4, 0.9)] if "山川精工" in p else [], 0.05)
            for p in passages
        ]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    a = assistant_over(tmp_path_factory, {"qingshan_2026.txt": TEXT})
    a._resources = replace(a.resources, reader=OneItemReader(), threshold=0.0)
    return a


def _grown(text: str, item: str) -> str:
    s = text.index(item)
    a, b = whole_list(text, s, s + len(item))
    return text[a:b]


def test_a_list_is_read_whole() -> None:
    assert _grown("工作机制。青禾科技、山川精工成功上市。", "山川精工") == "青禾科技、山川精工"
    assert _grown("对外交流，先后到河北、广东、浙江等地学习。", "广东") == "河北、广东、浙江"
    assert _grown("，包括广州、深圳、佛山。", "佛山") == "广州、深圳、佛山"
    assert _grown("全年新增青禾科技等企业。", "青禾科技") == "青禾科技"  # no list: the item alone
    # an item that runs on past what one item may hold has no boundary: the list stops before it
    assert _grown("这是一段很长很长很长的没有标点的文字甲、乙。", "乙") == "乙"


def test_questions_that_ask_for_several() -> None:
    assert asks_several("成功上市的两家企业是哪两家？")
    assert asks_several("去了哪些省份？")
    assert not asks_several("哪家企业成功上市？")
    assert not asks_several("提案立案了多少件？")


def test_the_answer_names_both(assistant: Assistant) -> None:
    assert assistant.ask("青山市2025年成功上市的两家企业是哪两家？").span == "青禾科技、山川精工"
    assert assistant.ask("青山市2025年哪家企业成功上市？").span == "山川精工"  # one asked: the reader's one
