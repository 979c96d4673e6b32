"""Splitting a question with two asks into one question per ask."""

from __future__ import annotations

import pytest

from qa.answer.parts import split_question


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("全年开展了多少次专题学习？交流研讨多少次？", ["全年开展了多少次专题学习？", "交流研讨多少次？"]),
        ("新建精品示范村和省级中心村各多少个？", ["新建精品示范村多少个？", "新建省级中心村多少个？"]),
        ("热线诉求解决率和满意率分别是多少？", ["热线诉求解决率多少？", "热线诉求满意率多少？"]),
        ("对东盟和对欧盟的进出口分别增长了多少？", ["对东盟的进出口增长了多少？", "对欧盟的进出口增长了多少？"]),
        ("办理了多少件代表建议，又办理了多少件政协提案？", ["办理了多少件代表建议？", "办理了多少件政协提案？"]),
        ("每千人口托位数从多少个增至多少个？", ["每千人口托位数从多少个？", "增至多少个？"]),
        ("上市公司多少家？上市公司总量达到多少家？", ["上市公司多少家？", "上市公司总量达到多少家？"]),
    ],
)
def test_two_asks_become_two_questions(question: str, parts: list[str]) -> None:
    assert [p.text for p in split_question(question, "zh")] == parts


def test_coordinated_parts_carry_their_names() -> None:
    assert [p.label for p in split_question("粮食播种面积和总产量分别是多少？", "zh")] == ["播种面积", "总产量"]


@pytest.mark.parametrize(
    "question",
    [
        "西夏区政协五届三次会议和闭会期间共立案多少件提案？",  # one ask about two periods together
        "产业推介、公益募捐等各种志愿服务一共有多少场次？",  # 各种 is not 各
        "How many proposals were filed?",
    ],
)
def test_one_ask_stays_one_question(question: str) -> None:
    assert len(split_question(question, "zh" if not question.isascii() else "en")) == 1


def test_english_and_how_many() -> None:
    parts = split_question("How many proposals were filed and how many were answered?", "en")
    assert [p.text for p in parts] == ["How many proposals were filed", "How many were answered?"]


def test_duoda_is_an_ask_of_its_own() -> None:
    parts = split_question("年末社会保障卡持卡人数是多少？覆盖了多大比例的人口？", "zh")
    assert [p.text for p in parts] == ["年末社会保障卡持卡人数是多少？", "覆盖了多大比例的人口？"]
