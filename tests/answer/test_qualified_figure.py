"""A question that names a measure plainly ("工业增加值是多少") is answered by the figure the text names plainly, not by
one whose name carries a qualifier the question lacks ("乡及乡以上工业增加值"): that figure measures a narrower
thing, even when its sentence shares more of the question's words."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.focus import Asked
from qa.assistant import Assistant

REPORT = """青山市工业普查主要数据公报

一、工业总量

1995年乡及乡以上工业增加值1544.6亿元，按可比价格计算，比1985年增长1.6倍。

1995年全市工业产品销售收入7723.2亿元；工业增加值为2435.3亿元，占地区生产总值的41.8％。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_census.txt": REPORT})


def test_a_qualifier_the_question_lacks_is_spotted() -> None:
    asked = Asked.of("1995年工业增加值是多少亿元？", "zh", {})
    assert asked.qualified("1995年乡及乡以上工业增加值", "1995年工业增加值是多少亿元？")
    assert not asked.qualified("工业产品销售收入7723.2亿元；工业增加值为", "1995年工业增加值是多少亿元？")
    assert not asked.qualified("全年工业增加值", "1995年工业增加值是多少亿元？")  # when is no qualifier
    # the question's own words are no qualifier either
    asked = Asked.of("乡及乡以上工业增加值是多少？", "zh", {})
    assert not asked.qualified("1995年乡及乡以上工业增加值", "乡及乡以上工业增加值是多少？")


def test_the_plainly_named_figure_answers(assistant: Assistant) -> None:
    assert assistant.ask("青山市1995年工业增加值是多少亿元？").span == "2435.3亿元"
    assert assistant.ask("青山市1995年乡及乡以上工业增加值是多少亿元？").span == "1544.6亿元"
