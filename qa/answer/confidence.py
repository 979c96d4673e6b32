"""How sure an answer is: coverage of the question by its evidence plus dense similarity, cut when the
evidence lacks what the question pins down. Below the calibrated threshold the assistant abstains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.evidence import Candidate, Weights
from qa.answer.question import QuestionInfo
from qa.answer.support import Support, question_words
from qa.retrieve.terms import word_candidates
from qa.text.english import content_words
from qa.retrieve.query import Query
from qa.types import Hit

SINGLE_CHAR_CREDIT = 0.35  # coverage earned by a one-character dictionary term
DENSE_FULL = 0.5  # a question-chunk cosine at or above this counts as full semantic support


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


def _english_role_missing(question: str, weights: Weights, sentence: str) -> bool:
    """An English who-question's post has a word with no translation in the corpus and no trace in the evidence."""
    m = _EN_ROLE.search(question)
    if not m:
        return False
    sentence = sentence.lower()
    for word in content_words(m.group(1)):
        cands = [z for z, _w in word_candidates(word, weights.lexicon)]
        if not cands and word not in sentence:
            return True
    return False


def confidence(
    query: Query,
    info: QuestionInfo,
    cand: Candidate,
    hits: Sequence[Hit],
    typed: bool,
    weights: Weights,
    support: Support | None,
) -> float:
    """Coverage of the question by the evidence plus semantic similarity, cut when the evidence lacks
    what the question pins down (the kind of fact asked for, or a year or figure the question names)."""
    dense = min(1.0, max(0.0, hits[cand.hit_rank].dense) / DENSE_FULL)
    cover = cand.cover
    chunk_text = hits[cand.hit_rank].chunk.text
    if query.lang == "en":
        sentence_text = chunk_text[cand.start : cand.end]
        cover = 0.5 * weights.cover(sentence_text, SINGLE_CHAR_CREDIT) + 0.5 * weights.cover(chunk_text, SINGLE_CHAR_CREDIT)
    elif support is not None:
        cover = 0.5 * cover + 0.5 * support.cover(question_words(query.text), chunk_text)
    conf = 0.6 * cover + 0.4 * dense
    conf *= 0.5 ** min(2, weights.unknown_names)  # a named thing the documents never mention
    if info.qtype in ("quantity", "when") and not typed:
        conf *= 0.3  # asked for a number or a date, and the evidence has none (these are found reliably)
    elif info.qtype in ("who", "where", "alias") and not typed:
        conf *= 0.6  # name and place tagging misses some, so a softer cut
    sentence = chunk_text[cand.start : cand.end]
    role = role_asked(query.text) if info.qtype == "who" and query.lang == "zh" else None
    if role and support is not None and not support.supported(role, sentence):
        conf *= 0.4  # "秘书长是谁" answered from a sentence about someone else's post
    if info.qtype == "who" and query.lang == "en" and _english_role_missing(query.text, weights, sentence):
        conf *= 0.4  # "Who is the vice chairman": the report has no word for "vice"
    chunk = hits[cand.hit_rank].chunk
    titles = support.headings(chunk.source) if support is not None else ""
    for num in re.findall(r"\d+", query.text):
        if num in sentence:
            continue
        if num in chunk_text or num in chunk.context or num in titles:
            conf *= 0.6  # near the evidence, or in the report's title ("…2024年亮点工作巡礼")
        else:
            conf *= 0.3  # a year or figure the question names is not in the evidence
    return conf
