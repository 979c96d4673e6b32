"""A figure found by meaning where words fail: a paraphrased "how many" question ("四川人现在平均能活到多少岁？")
shares almost no characters with the sentence that answers it ("人均预期寿命提高到78.8岁。"), so that sentence ranks
far below the well-covering ones and none of those holds a figure of the asked measure. Among the evidence
sentences that do hold one, the one closest to the question in the encoder's judgement is read, when it is close
enough."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qa.answer.confidence import dense_support
from qa.answer.evidence import Candidate
from qa.answer.question import QuestionInfo
from qa.answer.rules import RULES
from qa.answer.similarity import SentenceSimilarity
from qa.answer.spans import Pick
from qa.answer.units import AMOUNT
from qa.config import AnswerWeights
from qa.retrieve.query import Query
from qa.types import Hit


def by_meaning(
    pick: Pick | None,
    cands: Sequence[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    sentences: SentenceSimilarity | None,
    weights: AnswerWeights,
    read: Callable[[list[Candidate]], Pick | None],
) -> Pick | None:
    """A "how many" question's figure, where meaning must choose it: `read`'s span in the sentence closest to the
    question (`_closest`) when coverage found no figure (`pick` None), or when that sentence is `meaning_override`
    closer (dense scale) than `pick`'s ("全市林木覆盖率31.95%" over "水质优良比例达100%" for "全市树木覆盖的比例达到了
    多少"); else `pick`."""
    if info.qtype != "quantity" or info.unit in (None, "", AMOUNT) or sentences is None or query.vector is None:
        return pick  # an English "how much" (AMOUNT) names no measure word a figure could be written in
    if weights.meaning_min > 1.0:
        return pick
    chosen = 0.0
    if pick is not None:
        text = hits[pick.cand.hit_rank].chunk.text[pick.cand.start : pick.cand.end]
        chosen = dense_support(sentences.cosines(query, [text])[0], weights)
        if chosen > 1.0 - weights.meaning_override:
            return pick  # no sentence can be that much closer (the scale stops at 1): nothing more is embedded
    found = _closest(cands, hits, query, info, sentences, weights)
    if found is None:
        return pick
    cand, support = found
    if pick is not None and (cand == pick.cand or support - chosen < weights.meaning_override):
        return pick
    return read([cand]) or pick


def _closest(
    cands: Sequence[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    sentences: SentenceSimilarity,
    weights: AnswerWeights,
) -> tuple[Candidate, float] | None:
    """The sentence closest in meaning to the question, and its similarity on the dense scale, among the first
    `meaning_candidates` evidence sentences holding a figure of the asked measure's family. None unless that
    sentence's figure is written in the question's own measure word, its similarity is at least `meaning_min` and
    beats the next such sentence's (if any) by `meaning_margin`: a figure of the measure alone is no answer, nor a
    sentence the encoder cannot tell from another."""
    find = RULES[info.qtype].find
    pool = []
    for c in cands[: weights.meaning_candidates]:
        text = hits[c.hit_rank].chunk.text[c.start : c.end]
        if any(m.text not in query.asked for m in find(text, info)):
            pool.append((c, text))
    if not pool:
        return None
    cosines = sentences.cosines(query, [t for _c, t in pool])
    best = max(range(len(pool)), key=lambda i: cosines[i])
    if not any(m.unit == info.unit for m in find(pool[best][1], info)):
        return None  # its figure is in a measure of the family the question does not write
    support = dense_support(cosines[best], weights)
    second = max((dense_support(x, weights) for i, x in enumerate(cosines) if i != best), default=0.0)
    if support < weights.meaning_min or support - second < weights.meaning_margin:
        return None
    return pool[best][0], support
