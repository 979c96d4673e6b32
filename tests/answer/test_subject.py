"""What a Chinese question asks about, checked against the clause of the span chosen: what a "how many" question
counts (a figure whose clause measures something else, 接待游客704万人次 for 机场旅客吞吐量), or the words beside
another question's interrogative (出生 of 哪一年出生, against a year of another event), lowers the confidence,
where the embedder's profile sets a floor (e5-small's; not USE-m3's or the fake one's)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import plain_signals

from qa.answer.confidence import heuristic
from qa.answer.focus import counted_phrase
from qa.answer.similarity import SentenceSimilarity
from qa.config import AnswerWeights, Settings
from qa.index.embedders import FakeEmbedder

SIG = plain_signals(coverage=0.6, dense=0.5)


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("2016年海拉尔机场旅客吞吐量达到多少万人次？", "海拉尔机场旅客吞吐量"),  # the run before 多少, without when
        ("2025年新建了多少个国家卓越级智能工厂？", "国家卓越级智能工厂"),  # written after 多少个
        ("一共有多少？", ""),  # nothing counted is named
    ],
)
def test_what_a_question_counts(question: str, phrase: str) -> None:
    assert counted_phrase(question) == phrase


def test_a_figure_that_measures_something_else_lowers_the_confidence_only_below_the_floor() -> None:
    w = AnswerWeights(subject_floor=0.865)
    base = heuristic(SIG, w)
    assert heuristic(replace(SIG, subject=0.85), w) == pytest.approx(base * w.subject_mismatch)
    assert heuristic(replace(SIG, subject=0.90), w) == pytest.approx(base)
    assert heuristic(replace(SIG, subject=0.0), w) == pytest.approx(base)  # not measured
    assert heuristic(replace(SIG, subject=0.5), AnswerWeights()) == pytest.approx(heuristic(SIG, AnswerWeights()))


def test_the_floor_is_the_embedder_s_own() -> None:
    assert Settings().for_embedder("e5-small").weights.subject_floor == pytest.approx(0.865)
    assert Settings().for_embedder("use-m3").weights.subject_floor == 0.0  # its cosines run on another scale
    assert Settings().for_embedder("fake").weights.subject_floor == 0.0


def test_a_phrase_is_compared_with_a_clause_as_a_question_with_a_passage() -> None:
    e = FakeEmbedder()
    sim = SentenceSimilarity(e)
    same = sim.phrase_cosine("旅游收入", "旅游收入完成82.8亿元")
    other = sim.phrase_cosine("旅游收入", "全年接待游客达到704万人次")
    assert same is not None and other is not None and same > other
    assert sim.phrase_cosine("", "旅游收入完成82.8亿元") is None


REPORT = """青山区2017年政府工作报告

一、2016年工作回顾

旅游文化资源集聚效应不断显现。持续开展冰雪观赏体验活动，旅游产业四季均衡发展实现突破。全年接待游客达到704万人次，同比增长16%；旅游收入完成82.8亿元，同比增长20%。
"""


CPPCC = """青山区政协2024年工作报告

一、主要工作

区政协主席王立新主持召开常委会议12次。副主席赵明带队开展专题调研，形成调研报告5篇。
"""


def _real(tmp_path_factory: pytest.TempPathFactory, name: str, text: str):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant
    from qa.index.build import build_index

    base = tmp_path_factory.mktemp("subject")
    (base / "docs").mkdir()
    (base / "docs" / name).write_text(text, encoding="utf-8")
    build_index([base / "docs"], base / "index")  # the real default embedder, e5-small
    return Assistant.load(base / "index")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _real(tmp_path_factory, "qingshan_2017.txt", REPORT)


@pytest.fixture(scope="module")
def cppcc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _real(tmp_path_factory, "qingshan_cppcc_2024.txt", CPPCC)


@pytest.mark.slow
def test_with_e5_a_figure_of_another_thing_is_not_the_answer(real) -> None:  # type: ignore[no-untyped-def]
    assert real.ask("青山区2016年旅游收入完成多少亿元？").span == "82.8亿元"
    assert real.ask("青山区2016年接待游客多少万人次？").span == "704万人次"
    airport = real.ask("青山区2016年机场旅客吞吐量达到多少万人次？")  # the report gives visitors, not the airport's
    assert airport.abstained, airport.answer


@pytest.mark.slow
def test_with_e5_a_date_of_another_event_is_not_the_answer(cppcc) -> None:  # type: ignore[no-untyped-def]
    # the words beside the interrogative (主席, 出生) against the clause of the only year in sight (the title's 2024年)
    born = cppcc.ask("青山区政协主席是哪一年出生的？")
    assert born.abstained, born.answer
