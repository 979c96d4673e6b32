"""An English "how many" question's words cover a sentence of its year and place (2023, 全国) better than the one
of the indicator it asks about (城镇新增就业), which names neither: that sentence is still read for a figure it
names as asked, and answers."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

COMMUNIQUE = """2023年度人力资源和社会保障事业发展统计公报

一、就业

2023年全国农民工总量29753万人，比上年增长0.6%。其中，本地农民工12095万人，比上年下降2.2%。

全年城镇新增就业1244万人，城镇失业人员再就业514万人，就业困难人员就业172万人。

二、社会保险

年末全国参加基本养老保险人数106643万人。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"hrss_2023.txt": COMMUNIQUE})


def test_the_sentence_naming_the_indicator_answers(assistant: Assistant) -> None:
    ans = assistant.ask("According to the communiqué, how many new urban jobs were created nationwide in 2023?")
    assert "1244万人" in ans.answer, ans.answer


def test_a_chinese_question_still_reads_its_best_covering_sentences(assistant: Assistant) -> None:
    assert "29753万人" in assistant.ask("2023年全国农民工总量是多少？").answer


def test_a_sentence_above_the_cut_that_names_the_asked_keeps_it(assistant: Assistant) -> None:
    # 全国农民工总量 names 农民工 without ending on it; 本地农民工, a part, ends on it but covers less
    ans = assistant.ask("According to the communiqué, how many migrant workers were there nationwide?")
    assert "29753万人" in ans.answer, ans.answer


# A work report whose plan names the indicator with the next year's target in its best-covering sentence (the year
# asked written beside it); the year's result is in the review, in a sentence that covers less.
REPORT = """2025年青山省政府工作报告

一、过去一年工作回顾

初步统计，全省地区生产总值5776亿元、增长5.5%。工业生产稳中有进，规模以上工业增加值增长6.2%。消费市场回暖，社会消费品零售总额增长4.1%。外贸进出口保持稳定，实际使用外资32亿美元。财政收入平稳，一般公共预算收入3600亿元。粮食生产再获丰收，总产量达到510亿斤。生态环境持续改善，空气优良天数比率达到92%。加强政策保障，统筹9.8亿元用于援企稳岗，减收失业保险费62.7亿元，城镇新增就业53.1万人，失业人员实现再就业14.3万人。

二、2025年工作安排

全力促进就业增收。实施重点领域就业支持计划，在2024年基础上城镇新增就业50万人、失业人员实现再就业10万人。发挥新经济新产业新业态重要作用，提供更多就业岗位。推动城镇新就业群体融入城市。
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2025.txt": REPORT})


def test_a_target_above_the_cut_does_not_stop_the_reading_for_a_result(report: Assistant) -> None:
    """Defect: the plan's sentence named 城镇新增就业 (with 2025's target), so nothing below the cut was read and the
    target was given for the year's result."""
    asked = "According to Qingshan's 2025 government work report, how many new urban jobs were created in 2024?"
    ans = report.ask(asked)
    assert "53.1万人" in ans.answer, ans.answer
