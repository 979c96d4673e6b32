"""The question-sentence similarity signal: cosines through the index's embedder, cached, and how the hand-set
score uses it (a sentence closer in meaning than its chunk lifts the score only when the profile says so)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import plain_signals

from qa.answer.confidence import heuristic
from qa.answer.similarity import SentenceSimilarity
from qa.config import AnswerWeights
from qa.index.embedders import FakeEmbedder
from qa.retrieve.query import Query


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def encode(self, texts, kind="passage"):  # type: ignore[no-untyped-def]
        self.calls.extend(texts)
        return super().encode(texts, kind)


def query(text: str, embedder: FakeEmbedder) -> Query:
    return Query(text, "zh", list(text), vector=embedder.encode([text], "query")[0])


def test_a_sentence_sharing_the_question_s_words_is_closer_than_an_unrelated_one() -> None:
    e = FakeEmbedder()
    sim = SentenceSimilarity(e)
    q = query("提案立案了多少件", e)
    near = sim.cosine(q, "全年共收到提案120件，立案41件。")
    far = sim.cosine(q, "全区地区生产总值增长6.5%。")
    assert near is not None and far is not None
    assert near > far
    assert near == pytest.approx(float(q.vector @ e.encode(["全年共收到提案120件，立案41件。"])[0]))  # type: ignore[operator]


def test_no_vector_or_no_text_gives_no_measure() -> None:
    e = FakeEmbedder()
    sim = SentenceSimilarity(e)
    assert sim.cosine(Query("提案", "zh", ["提案"]), "立案41件。") is None
    assert sim.cosine(query("提案", e), "   ") is None


def test_a_sentence_met_again_is_not_embedded_again_and_the_oldest_is_forgotten() -> None:
    e = CountingEmbedder()
    sim = SentenceSimilarity(e, cache_size=2)
    q = query("提案", e)
    e.calls.clear()
    for s in ["甲。", "乙。", "甲。", "丙。", "甲。", "乙。"]:
        sim.cosine(q, s)
    # 甲 and 乙 embedded, 甲 again from the cache, 丙 pushes out 乙 (甲 was used last), 乙 embedded again
    assert e.calls == ["甲。", "乙。", "丙。", "乙。"]


SIG = plain_signals()


def test_the_sentence_lifts_the_score_only_by_its_share_and_never_lowers_it() -> None:
    w = AnswerWeights(sentence_share=0.0)
    base = heuristic(SIG, w)
    assert heuristic(replace(SIG, sentence=0.9), w) == pytest.approx(base)  # share 0: not used
    full = AnswerWeights(sentence_share=1.0)
    lifted = heuristic(replace(SIG, sentence=0.9), full)
    assert lifted == pytest.approx(full.cover_weight * 0.5 + (1 - full.cover_weight) * 0.9)
    assert heuristic(replace(SIG, sentence=0.1), full) == pytest.approx(base)  # a weaker sentence: the chunk's
    half = heuristic(replace(SIG, sentence=0.9), AnswerWeights(sentence_share=0.5))
    assert base < half < lifted


def test_vectors_are_float32_rows_of_the_embedder_s_width() -> None:
    v = SentenceSimilarity(FakeEmbedder(dim=32)).vector("立案41件。")
    assert v.dtype == np.float32 and v.shape == (32,)
