"""An English "by how much did … grow" question names what changed: the figure whose clause names it answers, and a
clause that names it with a qualifier the question lacks (对共建“一带一路”国家进出口, trade with some countries)
measures a narrower thing, even where its sentence covers the question better."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

REPORT = """2026年青山省政府工作报告

一、2025年工作回顾

着力稳外贸稳外资，外贸进出口突破5000亿元大关，对共建“一带一路”国家进出口增长14.7%，实际利用外资增长9.8%。对外贸易结构持续优化，外贸新业态蓬勃发展，进出口主体持续壮大。

全年地区生产总值2.15万亿元、增长5.5%，固定资产投资增长7.2%，社会消费品零售总额增长3.6%，外贸进出口总额增长19.9%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2026.txt": REPORT})


def test_the_figure_of_what_changed_answers(assistant: Assistant) -> None:
    ans = assistant.ask("By how much did total foreign trade (imports and exports) grow in 2025?")
    assert "19.9%" in ans.answer, ans.answer


def test_another_indicator_s_change_is_not_taken(assistant: Assistant) -> None:
    ans = assistant.ask("By how much did total retail sales of consumer goods grow in 2025?")
    assert "3.6%" in ans.answer, ans.answer
