"""An English question's focus phrase that the dictionary names as one Chinese term ("inbound tourist" -> 入境游客)
must be stated by the evidence: a sentence about all tourists does not say how many came from abroad."""

from __future__ import annotations

import pytest
from conftest import assistant_over, plain_signals

from qa.answer.confidence import heuristic
from qa.assistant import Assistant
from qa.config import AnswerWeights
from qa.retrieve.terms import whole_phrases

HEADER = """青溪区2026年政府工作报告
——2026年1月10日在青溪区第九届人民代表大会第一次会议上
区长 林远

一、2025年工作回顾
"""
TOTAL_ONLY = (
    HEADER
    + """文旅消费持续升温，全年接待游客3200万人次、增长8.5%，旅游收入突破300亿元。
入境游客人均消费增长12%，国际航线恢复至6条。
"""
)
BOTH = (
    HEADER
    + """文旅消费持续升温，全年接待游客3200万人次、增长8.5%，旅游收入突破300亿元。
全年接待入境游客45万人次，国际航线恢复至6条。
"""
)
QUESTION = "How many inbound tourist visits did Qingxi receive in 2025?"


@pytest.fixture(scope="module")
def total_only(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_gov_work_report_2026.txt": TOTAL_ONLY})


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingxi_gov_work_report_2026.txt": BOTH})


def test_the_dictionary_names_the_phrase_whole(total_only: Assistant) -> None:
    phrases = whole_phrases(["inbound", "tourist", "visits"], total_only.data.lexicon())
    assert any("入境游客" in terms for terms in phrases)


def test_all_tourists_do_not_answer_how_many_came_from_abroad(total_only: Assistant) -> None:
    answer = total_only.ask(QUESTION)
    assert answer.abstained, answer.answer
    assert "3200" not in answer.answer


def test_the_inbound_count_answers_when_stated(both: Assistant) -> None:
    answer = both.ask(QUESTION)
    assert not answer.abstained and "45万人次" in answer.answer
    assert answer.signals["phrases_missing"] == 0


def test_a_missing_phrase_costs_confidence() -> None:
    weights = AnswerWeights()
    assert heuristic(plain_signals(phrases_missing=1), weights) < heuristic(plain_signals(), weights)
