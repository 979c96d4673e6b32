"""Achieved or aimed at: a target sits in a clause with target words, after "目标是：" in its sentence, or in the
report's plans section; a result asked is never answered by a target."""

from __future__ import annotations

import pytest

from qa.answer.aims import asks_target, is_target, paragraph_before

TARGETS = (
    "综合各方面因素，建议今年的主要预期目标是：全市生产总值增长5%左右，地方一般公共预算收入增长2%，"
    "城镇新增就业55万人以上。"
)
RESULTS = "地方一般公共预算收入达到8500亿元、增长1.5%，居民消费价格上涨0.1%。"


@pytest.mark.parametrize("figure", ["5%左右", "2%", "55万人"])
def test_every_figure_after_a_list_of_targets_is_a_target(figure: str) -> None:
    at = TARGETS.index(figure)
    assert is_target(TARGETS, at, at + len(figure))


def test_a_result_in_the_review_is_no_target() -> None:
    at = RESULTS.index("1.5%")
    assert not is_target(RESULTS, at, at + 4, "一、2025年工作回顾", (2026,))


def test_the_plans_section_makes_a_target() -> None:
    assert is_target(RESULTS, 0, 4, "三、2026年主要任务")


def test_an_estimate_of_last_year_s_results_in_the_plans_section_is_no_target() -> None:
    # some reports open their plans with last year's preliminary figures
    estimate = "初步预计，全区外贸进出口总额增长9.4%，一般公共预算收入增长3%。"
    at = estimate.index("9.4%")
    assert not is_target(estimate, at, at + 4, "二、2025年目标任务和重点工作", (2025,))
    target = "外贸进出口总额增长5%以上；一般公共预算收入增长3%。"
    assert is_target(target, 9, 11, "二、2025年目标任务和重点工作", (2025,))
    # a later sentence of the estimate's paragraph too
    paragraph = estimate + "民生支出增长6.8%，城镇和农村居民人均可支配收入分别增长4.3%和7.1%。"
    later = paragraph.index("民生")
    sentence = paragraph[later:]
    at = sentence.index("6.8%")
    opening = paragraph_before(paragraph, later)
    assert not is_target(sentence, at, at + 4, "二、2025年目标任务和重点工作", (2025,), opening)
    assert is_target(sentence, at, at + 4, "二、2025年目标任务和重点工作", (2025,), "今年主要目标是：")


def test_a_question_asks_a_target_when_it_says_so() -> None:
    assert asks_target("2026年的预期目标是增长多少？", "zh") and not asks_target("2025年增长了多少？", "zh")


def test_what_a_report_proposes_is_a_target_but_what_deputies_put_forward_is_not() -> None:
    assert asks_target("湖北省2025年政府工作报告提出当年实施多少项民生实事？", "zh")
    assert asks_target("《2025年湖北省政府工作报告》提出2025年建设高标准农田多少亩？", "zh")
    assert not asks_target("报告提出的建议有多少件？", "zh")
    assert not asks_target("委员们提出了多少件提案？", "zh")
