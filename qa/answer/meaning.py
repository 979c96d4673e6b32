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
from qa.config import AnswerWeights
from qa.retrieve.query import Query
from qa.types import Hit


def closest_figure(
    cands: Sequence[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    sentences: SentenceSimilarity | None,
    weights: AnswerWeights,
    read: Callable[[list[Candidate]], Pick | None],
) -> Pick | None:
    """The span `read` finds in the sentence closest in meaning to a "how many" question that names its measure,
    among the first `meaning_candidates` evidence sentences holding a figure of that measure's family. None unless
    that sentence's figure is written in the question's own measure word, its similarity (on the dense scale) is
    at least `meaning_min` and beats the next such sentence's by `meaning_margin`: a figure of the measure alone
    is no answer, nor a sentence the encoder cannot tell from another."""
    if info.qtype != "quantity" or not info.unit or sentences is None or query.vector is None:
        return None
    if weights.meaning_min > 1.0:
        return None
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
    second = max((x for i, x in enumerate(cosines) if i != best), default=None)
    if second is None or not any(m.unit == info.unit for m in find(pool[best][1], info)):
        return None  # nothing to tell it from, or its figure is in a measure of the family the question does not write
    support = dense_support(cosines[best], weights)
    if support < weights.meaning_min or support - dense_support(second, weights) < weights.meaning_margin:
        return None
    return read([pool[best][0]])


def closer_figure(
    pick: Pick,
    cands: Sequence[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    sentences: SentenceSimilarity | None,
    weights: AnswerWeights,
    read: Callable[[list[Candidate]], Pick | None],
) -> Pick:
    """`pick` (a figure chosen by coverage), or the figure `closest_figure` finds when its sentence's similarity
    beats the picked sentence's by `meaning_override` (dense scale): "全市林木覆盖率31.95%" over "水质优良比例达100%"
    for "全市树木覆盖的比例达到了多少"."""
    if sentences is None or info.qtype != "quantity" or not info.unit:
        return pick
    chosen_text = hits[pick.cand.hit_rank].chunk.text[pick.cand.start : pick.cand.end]
    if dense_support(sentences.cosines(query, [chosen_text])[0], weights) > 1.0 - weights.meaning_override:
        return pick  # no sentence can be that much closer (the scale stops at 1): nothing more is embedded
    alt = closest_figure(cands, hits, query, info, sentences, weights, read)
    if alt is None or alt.cand == pick.cand:
        return pick
    texts = [hits[c.hit_rank].chunk.text[c.start : c.end] for c in (alt.cand, pick.cand)]
    closer, chosen = (dense_support(x, weights) for x in sentences.cosines(query, texts))  # cached
    return alt if closer - chosen >= weights.meaning_override else pick
