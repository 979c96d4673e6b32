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
from qa.retrieve.terms import word_candidates
from qa.text.english import content_words
from qa.types import Hit

_ROLE_AFTER = re.compile(r"哪(?:位|个|名|一位)([\u4e00-\u9fff]{2,5})")  # 哪位记者写的 -> 记者
_ROLE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,6})(?:是谁|为谁|叫什么)|谁(?:是|担任)([\u4e00-\u9fff]{2,6})")


def role_asked(question: str) -> str | None:
    """The post a who-question asks about: '西夏区政协的秘书长是谁' -> '秘书长', '哪位记者写的' -> '记者'."""
    m = _ROLE_AFTER.search(question)
    if m:
        words = question_words(m.group(1))
        return words[0] if words else None
    m = _ROLE_BEFORE.search(question)
    words = question_words(m.group(1) or m.group(2)) if m else []
    return words[-1] if words else None


_EN_ROLE = re.compile(r"\bwho (?:is|was|are|were) (?:the |a |an )?([a-z' -]+?)(?= of\b| in\b| at\b| for\b|\?|$)", re.I)


def _english_role_missing(question: str, cover: QuestionCover, sentence: str) -> bool:
    """An English who-question's post has a word with no translation in the corpus and no trace in the evidence."""
    m = _EN_ROLE.search(question)
    if not m:
        return False
    sentence = sentence.lower()
    for word in content_words(m.group(1)):
        cands = [z for z, _w in word_candidates(word, cover.lexicon)]
        if not cands and word not in sentence:
            return True
    return False


def _coverage(query: Query, cand: Candidate, chunk_text: str, cover: QuestionCover, support: Support | None,
              weights: AnswerWeights) -> float:
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
    role = role_asked(query.text) if info.qtype == "who" and query.lang == "zh" else None
    if role and support is not None and not support.supported(role, sentence):
        conf *= 0.4  # "秘书长是谁" answered from a sentence about someone else's post
    if info.qtype == "who" and query.lang == "en" and _english_role_missing(query.text, cover, sentence):
        conf *= 0.4  # "Who is the vice chairman": the report has no word for "vice"
    titles = support.headings(hit.chunk.source) if support is not None else ""
    for num in re.findall(r"\d+", query.text):
        if num in sentence:
            continue
        near = num in chunk_text or num in hit.chunk.context or num in titles
        conf *= weights.number_near if near else weights.number_absent  # a year or figure the question names
    return conf
