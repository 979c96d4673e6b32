"""The confidence on hand-built hits: signals read off the evidence, the hand-set score, and the fitted model."""

from __future__ import annotations

import math

import pytest

from qa.answer.calibration import FEATURES, Calibration, features, inputs
from qa.answer.confidence import heuristic, signals
from qa.answer.evidence import Candidate, QuestionCover
from qa.answer.question import analyse_question
from qa.answer.rules import RULES
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex
from qa.retrieve.query import Query
from qa.text.tokens import tokenize
from qa.types import Chunk, Hit

TEXT = "全年开展专题学习32次，交流研讨8次。"
W = AnswerWeights()


def score(question: str, typed: bool, dense: float = 1.0, text: str = TEXT, end: int | None = None) -> float:
    lexical = LexicalIndex.build([text, "其他内容。"])
    query = Query(question, "zh", tokenize(question))
    info = analyse_question(question, "zh")
    chunk = Chunk(id="c", source="r.txt", start=0, end=len(text), section="", kind="body", text=text)
    cover = QuestionCover(query, info, lexical, {})
    end = len(text) if end is None else end
    cand = Candidate(0, 0, end, cover.cover(text[:end]), 1.0)
    return heuristic(signals(query, info, cand, [Hit(chunk, 1.0, 1.0, dense)], typed, cover, None, W), W)


def test_full_coverage_and_similarity_give_full_confidence() -> None:
    assert score("专题学习多少次？", typed=True) == pytest.approx(1.0)


def test_similarity_counts_up_to_its_ceiling() -> None:
    half = score("专题学习多少次？", typed=True, dense=W.dense_full / 2)
    assert half == pytest.approx(W.cover_weight + (1 - W.cover_weight) * 0.5)
    assert score("专题学习多少次？", typed=True, dense=0.99) == pytest.approx(1.0)  # capped at dense_full


def test_evidence_without_the_asked_kind_of_span_is_cut_by_the_rule_table() -> None:
    typed = score("专题学习多少次？", typed=True)
    assert score("专题学习多少次？", typed=False) == pytest.approx(typed * RULES["quantity"].missing_span)
    assert score("专题学习是什么？", typed=False) == pytest.approx(score("专题学习是什么？", typed=True))


def test_a_number_the_question_names_must_be_near_the_evidence() -> None:
    question = "2023年专题学习多少次？"
    base = score(question, typed=True)
    lexical = LexicalIndex.build([TEXT, "其他内容。"])
    query = Query(question, "zh", tokenize(question))
    coverage = QuestionCover(query, analyse_question(question, "zh"), lexical, {}).cover(TEXT)
    assert base == pytest.approx((W.cover_weight * coverage + (1 - W.cover_weight)) * W.number_absent)
    near = TEXT + "（2023年数据）"  # the year sits in the chunk, not in the answer sentence
    got = score(question, typed=True, text=near, end=len(TEXT))
    assert got == pytest.approx((W.cover_weight * coverage + (1 - W.cover_weight)) * W.number_near, rel=0.1)
    assert got > base


def test_the_calibrated_model_is_a_logistic_function_of_the_features() -> None:
    lexical = LexicalIndex.build([TEXT, "其他内容。"])
    query = Query("专题学习多少次？", "zh", tokenize("专题学习多少次？"))
    info = analyse_question(query.text, "zh")
    chunk = Chunk(id="c", source="r.txt", start=0, end=len(TEXT), section="", kind="body", text=TEXT)
    cover = QuestionCover(query, info, lexical, {})
    sig = signals(query, info, Candidate(0, 0, len(TEXT), 1.0, 1.0), [Hit(chunk, 1.0, 1.0, 0.5)], True, cover, None, W)
    values = inputs(sig, heuristic(sig, W))
    weights = tuple(0.5 if name in ("heuristic", "typed") else 0.0 for name in FEATURES)
    model = Calibration(weights, bias=-0.25, threshold=0.5)
    x = dict(zip(FEATURES, features(values), strict=True))
    assert x["typed"] == 1.0 and x["rank0"] == 1.0
    expected = 1 / (1 + math.exp(-(-0.25 + 0.5 * x["heuristic"] + 0.5)))
    assert model.probability(values) == pytest.approx(expected)


def test_chinese_words_written_into_an_english_question_must_be_covered() -> None:
    evidence, other = "新农合参合率达到99.42%。", "城镇登记失业率控制到3.9%。"
    lexical = LexicalIndex.build([evidence, other, "其他内容。"])
    question = "What was the participation rate of the rural cooperative medical scheme (新农合参合率)?"
    query = Query(question, "en", tokenize(question))
    cover = QuestionCover(query, analyse_question(question, "en"), lexical, {})
    assert cover.cover(evidence) > 0.5 > cover.cover(other)
