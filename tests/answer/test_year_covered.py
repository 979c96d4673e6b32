"""A year the question names that the report speaks for (a 2013 work report reviews 2012) is stated by the report
itself: a sentence of last year's results that does not repeat the year still answers. A year the report does not
speak for stays a year the evidence lacks."""

from __future__ import annotations

import pytest
from conftest import assistant_over, plain_signals

from qa.answer.confidence import heuristic
from qa.assistant import Assistant
from qa.config import AnswerWeights

REPORT = """青溪区2013年政府工作报告
——2013年1月10日在青溪区第八届人民代表大会第二次会议上
区长 林远

一、过去一年工作回顾
过去的一年，全区上下齐心协力，经济社会发展取得新成效。
教育均衡发展，投资4.5亿元新建标准化幼儿园12所，新招聘教师176名，办学条件进一步改善。
全年新增城镇就业3200人，城镇登记失业率控制在3.5%以内。

二、今年工作安排
新建中小学3所，改造校舍2万平方米。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_gov_work_report_2013.txt": REPORT})


def test_the_year_a_report_reviews_need_not_be_repeated_in_its_sentence(assistant: Assistant) -> None:
    answer = assistant.ask("2012年青溪区新招聘教师多少名？")
    assert not answer.abstained and "176名" in answer.answer
    assert answer.signals["years_covered"] == 1 and answer.signals["numbers_absent"] == 0


def test_a_year_the_report_does_not_speak_for_still_counts_as_missing(assistant: Assistant) -> None:
    answer = assistant.ask("2009年青溪区新招聘教师多少名？")
    assert answer.signals["years_covered"] == 0 and answer.signals["numbers_absent"] == 1


def test_a_covered_year_costs_less_than_an_absent_number() -> None:
    weights = AnswerWeights()
    covered = heuristic(plain_signals(years_covered=1), weights)
    absent = heuristic(plain_signals(numbers_absent=1), weights)
    assert absent < covered < heuristic(plain_signals(), weights)


TARGETS = """青溪市2026年政府工作报告
——2026年1月20日在青溪市第九届人民代表大会第五次会议上
市长 林远

一、2025年工作回顾
全年地区生产总值增长5.1%，城镇新增就业3.2万人，居民消费价格上涨0.3%。

二、2026年主要目标任务
今年经济社会发展主要预期目标是：地区生产总值增长5%左右；城镇调查失业率5.5%左右，城镇新增就业3万人以上。
"""


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_gov_work_report_2026.txt": TARGETS})


def test_a_target_is_no_result_of_the_year_the_report_reviews(targets: Assistant) -> None:
    answer = targets.ask("青溪市2026年政府工作报告中，2025年青溪城镇调查失业率是多少？")
    assert answer.abstained, answer.answer
    assert answer.signals["aim_mismatch"] == 1 and answer.signals["years_covered"] == 1


def test_the_target_still_answers_when_a_target_is_asked(targets: Assistant) -> None:
    answer = targets.ask("青溪市2026年城镇调查失业率的预期目标是多少？")
    assert "5.5%" in answer.answer


def test_a_target_for_a_reviewed_year_costs_more_than_a_target_alone() -> None:
    weights = AnswerWeights()
    alone = heuristic(plain_signals(aim_mismatch=True), weights)
    assert heuristic(plain_signals(aim_mismatch=True, years_covered=1), weights) < alone * weights.year_covered
