"""The confidence on hand-built hits: coverage and similarity mixed, then cut for what the evidence lacks."""

from __future__ import annotations

import pytest

from qa.answer.confidence import confidence
from qa.answer.evidence import Candidate, QuestionCover
from qa.answer.question import analyse_question
from qa.answer.rules import RULES
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex, tokenize
from qa.retrieve.query import Query
from qa.types import Chunk, Hit

TEXT = "全年开展专题学习32次，交流研讨8次。"
W = AnswerWeights()


def setup(question: str, dense: float = 1.0, text: str = TEXT) -> tuple[Query, object, list[Hit], QuestionCover]:
    lexical = LexicalIndex.build([text, "其他内容。"])
    query = Query(question, "zh", tokenize(question))
    info = analyse_question(question, "zh")
    chunk = Chunk(id="c", source="r.txt", start=0, end=len(text), section="", kind="body", text=text)
    return query, info, [Hit(chunk, 1.0, 1.0, dense)], QuestionCover(query, info, lexical, {})


def conf(question: str, typed: bool, dense: float = 1.0, text: str = TEXT) -> float:
    query, info, hits, cover = setup(question, dense, text)
    cand = Candidate(0, 0, len(text), cover.cover(text), 1.0)
    return confidence(query, info, cand, hits, typed, cover, None, W)  # type: ignore[arg-type]


def test_full_coverage_and_similarity_give_full_confidence() -> None:
    assert conf("专题学习多少次？", typed=True) == pytest.approx(1.0)


def test_similarity_counts_up_to_its_ceiling() -> None:
    half = conf("专题学习多少次？", typed=True, dense=W.dense_full / 2)
    assert half == pytest.approx(W.cover_weight + (1 - W.cover_weight) * 0.5)
    assert conf("专题学习多少次？", typed=True, dense=0.99) == pytest.approx(1.0)  # capped at dense_full


def test_evidence_without_the_asked_kind_of_span_is_cut_by_the_rule_table() -> None:
    typed = conf("专题学习多少次？", typed=True)
    assert conf("专题学习多少次？", typed=False) == pytest.approx(typed * RULES["quantity"].missing_span)
    assert conf("专题学习是什么？", typed=False) == pytest.approx(conf("专题学习是什么？", typed=True))


def test_a_number_the_question_names_must_be_near_the_evidence() -> None:
    question = "2023年专题学习多少次？"
    query, info, hits, cover = setup(question)
    coverage = cover.cover(TEXT)  # 2023 is not in the text, so the coverage is below 1
    expected = (W.cover_weight * coverage + (1 - W.cover_weight)) * W.number_absent
    assert conf(question, typed=True) == pytest.approx(expected)
    near = TEXT + "（2023年数据）"
    query, info, hits, cover = setup(question, text=near)
    sentence = near[: near.index("。") + 1]  # the year sits in the chunk, not in the answer sentence
    cand = Candidate(0, 0, len(sentence), cover.cover(sentence), 1.0)
    got = confidence(query, info, cand, hits, True, cover, None, W)  # type: ignore[arg-type]
    assert got == pytest.approx((W.cover_weight * cover.cover(sentence) + (1 - W.cover_weight)) * W.number_near)
