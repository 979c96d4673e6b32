"""Extractive answers: choose the evidence sentence, cut the asked-for span, cite it, or abstain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answer import mentions as extract
from qa.answer.confidence import confidence as score_confidence
from qa.answer.evidence import Candidate, Weights, WordCover
from qa.answer.question import QuestionInfo
from qa.answer.support import Support, question_words
from qa.index.bm25 import LexicalIndex
from qa.retrieve.query import Query
from qa.text.script import is_cjk_char
from qa.text.sentences import split_clauses, split_sentences
from qa.types import Answer, Citation, Hit

NOT_FOUND = {"zh": "报告中没有找到相关内容", "en": "Not found in the documents."}
MAX_ANSWER = 140
EN_SAYS = "The report says: "
LEAD_IN = 12  # characters before a mention that usually name what it counts ("经济社会发展专题报告2篇")
WORD_SHARE = 0.5  # weight of whole-word coverage (jieba words) beside character-bigram coverage
CONTEXT_SHARE = 0.7  # weight of context coverage when ranking evidence sentences (tuned on eval/ and CMRC)

_EN_UNIT = {
    "件": "items", "次": "times", "篇": "articles", "名": "people", "人": "people", "家": "companies", "期": "issues",
    "批": "groups", "个": "units", "项": "items", "场": "events", "场次": "events", "%": "percent", "元": "yuan",
    "人次": "person-times", "周年": "years", "户": "households", "亩": "mu", "吨": "tonnes", "所": "institutions",
    "公里": "km", "米": "metres", "平方公里": "km²", "座": "units", "位": "people", "回": "times",
}
#: Chinese magnitudes glossed in words, so an English answer adds no digits its citation lacks.
_EN_MAGNITUDE = {"万": "ten-thousand", "亿": "hundred-million", "千": "thousand"}


def _candidates(hits: Sequence[Hit], weights: Weights, words: WordCover | None = None) -> list[Candidate]:
    """Every sentence of the hits, scored by what it covers itself and with its context.

    The context (the chunk's first sentence and the previous one) often holds the subject that the
    answer sentence leaves out ("黄鳍紫鱼……。以其他鱼类为食。"), so coverage is measured on both.
    """
    out = []
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        spans = split_sentences(text)
        for i, (s, e) in enumerate(spans):
            own = weights.cover(text[s:e])
            if words is not None:
                own = (1 - WORD_SHARE) * own + WORD_SHARE * words(text[s:e])
            context = hit.chunk.context + "".join(
                text[a:b] for a, b in {spans[0], spans[max(0, i - 1)]} if (a, b) != (s, e)
            )
            with_context = own
            if context:
                with_context = weights.cover(context + text[s:e])
                if words is not None:
                    with_context = (1 - WORD_SHARE) * with_context + WORD_SHARE * words(context + text[s:e])
            cover = CONTEXT_SHARE * with_context + (1 - CONTEXT_SHARE) * own
            out.append(Candidate(rank, s, e, own, cover + 0.15 * hit.score - 0.02 * rank))
    return sorted(out, key=lambda c: -c.score)


def _mentions(text: str, info: QuestionInfo) -> list[extract.Mention]:
    if info.qtype == "quantity" and info.ordinal:
        return extract.ordinals(text)
    if info.qtype == "quantity":
        ms = extract.quantities(text)
        fitting = [m for m in ms if extract.unit_matches(m.unit, info.unit)]
        if fitting or not info.unit:
            return fitting or ms
        # English text writes no measure words: there a bare number may answer a "how many" question
        return [m for m in ms if not m.unit] if not any(is_cjk_char(ch) for ch in text) else []
    if info.qtype == "when":
        return extract.dates(text)
    if info.qtype == "who":
        return extract.persons(text)
    if info.qtype == "where":
        return extract.locations(text) or extract.places(text)
    if info.qtype == "alias":
        return extract.aliases(text)
    return []


def _pick_mention(text: str, mentions: list[extract.Mention], weights: Weights) -> extract.Mention:
    """The mention whose clause covers the question best; ties go to the one nearest a matched word."""
    clauses = split_clauses(text, 0, len(text))
    hits = weights.positions(text)

    def key(m: extract.Mention) -> tuple[float, bool, float]:
        clause = next(((s, e) for s, e in clauses if s <= m.start < e), (0, len(text)))
        lead_in = text[max(clause[0], m.start - LEAD_IN) : m.start]  # Chinese names what it counts just before
        dist = min((abs(m.start - p) for p in hits), default=len(text))
        score = weights.cover(text[clause[0] : clause[1]]) + 1.5 * weights.cover(lead_in)
        return (round(score, 3), any(ch.isdigit() for ch in m.text), -dist)

    return max(mentions, key=key)


def _best_clause(text: str, weights: Weights, limit: int = MAX_ANSWER) -> tuple[int, int]:
    """The sentence when short, else its best-covering run of clauses within `limit` characters."""
    if len(text) <= limit:
        return 0, len(text)
    clauses = split_clauses(text, 0, len(text), marks="，：:；;,")  # keep 、-lists ("田帅、郭荣") whole
    best = max(clauses, key=lambda c: weights.cover(text[c[0] : c[1]]))
    s, e = best
    for cs, ce in clauses:  # grow to the right while it fits
        if cs >= e and ce - s <= limit:
            e = ce
        elif cs >= e:
            break
    return s, min(e, s + limit)


def _counted_noun(question: str, after: str, unit: str) -> int:
    """Length of the noun to keep after a quantity when the question counts it: '几个校区' -> '2个校区'."""
    m = re.search(rf"(?:几|多少){re.escape(unit)}([\u4e00-\u9fff]{{2,6}})", question) if unit else None
    if not m:
        return 0
    word, flag = next(iter(extract.load_posseg().lcut(m.group(1))), ("", ""))
    if len(word) < 2 or not flag.startswith("n") or not after.startswith(word):
        return 0  # '几次到西夏区' counts visits, not 到西夏区
    return len(word)


def _english(span: str, info: QuestionInfo, unit: str, typed: bool) -> str:
    """An English sentence stating a Chinese span; numbers stay exactly as written."""
    if not typed:
        return EN_SAYS + span
    if not any(is_cjk_char(ch) for ch in span):  # an English document: the span is already English
        return {"when": f"It was on {span}.", "who": f"It was {span}."}.get(info.qtype, f"The report gives {span}.")
    if info.qtype == "quantity":
        num = re.sub(r"[^\d.%,]", "", span.replace("%", ""))
        magnitude = next((w for ch, w in _EN_MAGNITUDE.items() if re.search(rf"\d{ch}", span)), "")
        gloss = " ".join(x for x in (magnitude, _EN_UNIT.get(unit, "")) if x)
        approx = "nearly " if span.startswith("近") else ("more than " if "余" in span or "多" in span else "")
        phrase = f"{approx}{num} {gloss}".strip() if num else span
        return f"The report gives {phrase} ({span})."
    if info.qtype == "when":
        return f"According to the report, it was on {span}."
    if info.qtype == "who":
        return f"According to the report, it was {span}."
    if info.qtype == "where":
        return f"According to the report, the place is {span}."
    return EN_SAYS + span


def _verified(answer: str, citations: Sequence[Citation]) -> bool:
    """Every number in the answer appears verbatim in some cited snippet."""
    return all(any(n in c.text for c in citations) for n in extract.numbers_in(answer))


def answer_question(
    query: Query,
    info: QuestionInfo,
    hits: Sequence[Hit],
    lexical: LexicalIndex,
    lexicon: dict,
    threshold: float,
    support: Support | None = None,
) -> Answer:
    """Pick evidence among `hits`, extract the span, attach numbered citations; abstain when weak."""
    weights = Weights(query, info, lexical, lexicon)
    words = None
    if support is not None and query.lang == "zh":
        qwords = question_words(query.text)
        words = (lambda text: support.cover(qwords, text)) if qwords else None
    cands = _candidates(hits, weights, words)
    not_found = Answer(query.text, NOT_FOUND[query.lang], True, lang=query.lang, hits=tuple(hits))
    if not cands:
        return not_found
    best = cands[0]
    chosen: tuple[Candidate, extract.Mention] | None = None
    if info.qtype != "what":
        for c in cands[:8]:
            if c.cover < 0.75 * best.cover:
                break
            text = hits[c.hit_rank].chunk.text[c.start : c.end]
            # a name, date or place the question already states is never its answer ("王法慧是谁的女儿？")
            ms = [m for m in _mentions(text, info) if m.text not in query.text]
            if ms:
                chosen = (c, _pick_mention(text, ms, weights))
                break
    cand = chosen[0] if chosen else best
    confidence = score_confidence(query, info, cand, hits, chosen is not None, weights, support)
    if confidence < threshold:
        return replace(not_found, confidence=confidence)
    chunk = hits[cand.hit_rank].chunk
    sentence = chunk.text[cand.start : cand.end]
    if chosen:
        m = chosen[1]
        hs, he, unit = cand.start + m.start, cand.start + m.end, m.unit
        if info.qtype == "quantity":
            he += _counted_noun(query.text, chunk.text[he:], unit)
    else:
        s, e = _best_clause(sentence, weights, MAX_ANSWER - (len(EN_SAYS) if query.lang == "en" else 0))
        hs, he, unit = cand.start + s, cand.start + e, ""
    span = chunk.text[hs:he].strip()
    citations = [_cite(1, hits[cand.hit_rank], (hs, he))]
    for other in cands[1:]:
        if len(citations) >= 3 or other.cover < 0.6 * cand.cover:
            break
        if all(c.start != hits[other.hit_rank].chunk.start for c in citations):
            citations.append(_cite(len(citations) + 1, hits[other.hit_rank], (other.start, other.end)))
    text = _english(span, info, unit, chosen is not None) if query.lang == "en" else span
    if not _verified(text, citations):
        text = span
    return Answer(
        query.text, f"{text} [1]", False, tuple(citations), lang=query.lang, span=span, hits=tuple(hits),
        confidence=confidence,
    )


def _cite(n: int, hit: Hit, highlight: tuple[int, int]) -> Citation:
    c = hit.chunk
    return Citation(n, c.source, c.start, c.end, c.text, highlight, round(hit.score, 4), c.section, c.page)
