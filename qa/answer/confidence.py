"""How sure an answer is: coverage of the question by its evidence plus dense similarity, cut when the
evidence lacks what the question pins down. Below the calibrated threshold the assistant abstains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.evidence import Candidate, QuestionCover
from qa.answer.question import QuestionInfo
from qa.answer.rules import RULES
from qa.answer.support import Support, question_words
from qa.config import AnswerWeights
from qa.retrieve.query import Query
from qa.retrieve.scope import Scope
from qa.types import Hit


def _coverage(
    query: Query,
    cand: Candidate,
    chunk_text: str,
    cover: QuestionCover,
    support: Support | None,
    weights: AnswerWeights,
    scope: Scope | None = None,
) -> float:
    """How much of the question the evidence covers: the sentence and its whole chunk (English, where a lone
    dictionary character earns little), or the sentence's coverage beside the chunk's word support (Chinese)."""
    if query.lang == "en":
        sentence = chunk_text[cand.start : cand.end]
        credit = weights.single_char_credit
        return 0.5 * cover.cover(sentence, credit) + 0.5 * cover.cover(chunk_text, credit)
    if support is not None:
        return 0.5 * cand.cover + 0.5 * support.cover(question_words(query.text), chunk_text)
    return cand.cover


def confidence(
    query: Query,
    info: QuestionInfo,
    cand: Candidate,
    hits: Sequence[Hit],
    typed: bool,
    cover: QuestionCover,
    support: Support | None,
    weights: AnswerWeights,
    scope: Scope | None = None,
) -> float:
    """Coverage of the question by the evidence plus semantic similarity, cut when the evidence lacks
    what the question pins down (the kind of fact asked for, or a year or figure the question names)."""
    hit = hits[cand.hit_rank]
    chunk_text = hit.chunk.text
    dense = min(1.0, max(0.0, hit.dense) / weights.dense_full)
    coverage = _coverage(query, cand, chunk_text, cover, support, weights)
    conf = weights.cover_weight * coverage + (1 - weights.cover_weight) * dense
    conf *= weights.unknown_name ** min(2, cover.unknown_names)  # a named thing the documents never mention
    if not typed:
        conf *= RULES[info.qtype].missing_span  # asked for a number, date, name ... and the evidence has none
    sentence = chunk_text[cand.start : cand.end]
    for place in scope.unknown_places if scope is not None else ():
        if place not in chunk_text and place not in hit.chunk.context:
            conf *= weights.place_absent  # a province no indexed report is about, and the evidence never names it
    titles = support.headings(hit.chunk.source) if support is not None else ""
    for num in re.findall(r"\d+", query.text):
        if num in sentence:
            continue
        near = num in chunk_text or num in hit.chunk.context or num in titles
        conf *= weights.number_near if near else weights.number_absent  # a year or figure the question names
    return conf
