"""Extractive answers: choose the evidence sentence, cut the asked-for span, cite it, or abstain."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from qa.answer.aims import asks_target, is_target
from qa.answer.calibration import Calibration, inputs
from qa.answer.confidence import heuristic, signals
from qa.answer.english import english_answer
from qa.answer.evidence import Candidate, QuestionCover, rank_sentences
from qa.answer.mentions import Mention, arabic_numbers
from qa.answer.question import QuestionInfo
from qa.answer.rules import EN_SAYS, RULES
from qa.answer.support import Support, question_words
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex
from qa.ingest.metadata import DocMeta
from qa.retrieve.query import Query
from qa.retrieve.scope import Scope, describe_scope
from qa.text.segment import load_posseg
from qa.text.sentences import split_clauses
from qa.types import Answer, Citation, Hit

NOT_FOUND = {"zh": "报告中没有找到相关内容", "en": "Not found in the documents."}
NOT_FOUND_IN = {"zh": "在{docs}中没有找到相关内容", "en": "Not found in {docs}."}
MAX_ANSWER = 140


@dataclass(frozen=True)
class Resources:
    """What answering needs from the loaded index besides the hits."""

    lexical: LexicalIndex
    lexicon: dict
    support: Support | None = None
    weights: AnswerWeights = field(default_factory=AnswerWeights)
    threshold: float = 0.3
    metas: Mapping[str, DocMeta] = field(default_factory=dict)  # source -> title, places, years
    calibration: Calibration | None = None  # the fitted confidence model (None: the hand-set score)

    def title(self, source: str) -> str:
        meta = self.metas.get(source)
        return meta.title if meta is not None else ""

    def years(self, source: str) -> tuple[int, ...]:
        meta = self.metas.get(source)
        return meta.years if meta is not None else ()


def not_found(query: Query, scope: Scope | None = None) -> str:
    """'Not found', naming the documents searched when the question was limited to some."""
    if scope is not None and scope.titles:
        return NOT_FOUND_IN[query.lang].format(docs=describe_scope(scope, query.lang))
    return NOT_FOUND[query.lang]


def _pick_mention(text: str, found: list[Mention], cover: QuestionCover, weights: AnswerWeights) -> Mention:
    """The mention whose clause covers the question best; ties go to the one nearest a matched word.
    Chinese names what it counts just before the number, so the few characters before a mention count extra."""
    clauses = split_clauses(text, 0, len(text))
    matched = cover.positions(text)
    part_at = _SUBTOTAL.search(text)
    # after 其中 come the parts of a total; a part answers only when the question names something only it has
    names_part = part_at is not None and _names_more(cover, text[part_at.start() :], text[: part_at.start()])

    def key(m: Mention) -> tuple[bool, float, bool, float]:
        clause = next(((s, e) for s, e in clauses if s <= m.start < e), (0, len(text)))
        lead_in = text[max(clause[0], m.start - weights.lead_in_chars) : m.start]
        dist = min((abs(m.start - p) for p in matched), default=len(text))
        score = cover.cover(text[clause[0] : clause[1]]) + weights.lead_in_weight * cover.cover(lead_in)
        is_part = part_at is not None and m.start >= part_at.start()
        return (is_part == names_part, round(score, 3), any(ch.isdigit() for ch in m.text), -dist)

    return max(found, key=key)


_SUBTOTAL = re.compile(r"其中|包括|含(?=[\u4e00-\u9fff《“])")


def _names_more(cover: QuestionCover, part: str, whole: str) -> bool:
    """Does the question name something `part` has and `whole` (the text before it) lacks, not even by half its
    characters (刊登 beside 刊发 is the same verb)?"""
    part, whole = part.lower(), whole.lower()

    def near(a: str) -> bool:
        return a in whole or (len(a) > 1 and 2 * sum(ch in whole for ch in a) >= len(a))

    return any(any(a in part for a in alts) and not any(near(a) for a in alts) for _w, alts in cover.groups)


def _best_clause(text: str, cover: QuestionCover, limit: int = MAX_ANSWER) -> tuple[int, int]:
    """The sentence when short, else its best-covering run of clauses within `limit` characters."""
    if len(text) <= limit:
        return 0, len(text)
    clauses = split_clauses(text, 0, len(text), marks="，：:；;,")  # keep 、-lists ("田帅、郭荣") whole
    s, e = max(clauses, key=lambda c: cover.cover(text[c[0] : c[1]]))
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
    word, flag = next(iter(load_posseg().lcut(m.group(1))), ("", ""))
    if len(word) < 2 or not flag.startswith("n") or not after.startswith(word):
        return 0  # '几次到北京' counts visits, not 到北京
    return len(word)


def _verified(answer: str, citations: Sequence[Citation]) -> bool:
    """Every number in the answer's span appears verbatim in some cited snippet (an English answer's own number
    is computed from the span)."""
    return all(any(n in c.text for c in citations) for n in arabic_numbers(answer))


@dataclass(frozen=True)
class Pick:
    """The evidence sentence chosen, the typed span in it (None: no span of the asked-for kind), and whether that
    span states a target while the question asks for a result, or the other way round."""

    cand: Candidate
    mention: Mention | None = None
    aim_mismatch: bool = False


def _typed_span(
    cands: list[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    cover: QuestionCover,
    res: Resources,
    avoid: Collection[tuple[str, int]] = (),
) -> Pick | None:
    """The first well-covering sentence that holds a span of the asked-for kind, and that span; a span of the kind
    of aim asked (a result, or a target) is preferred over one found earlier of the other kind."""
    if not cands:
        return None
    weights = res.weights
    find = RULES[info.qtype].find
    fallback: Pick | None = None
    for c in cands[: weights.typed_candidates]:
        if c.cover < weights.typed_cover_ratio * cands[0].cover:
            break
        chunk = hits[c.hit_rank].chunk
        text = chunk.text[c.start : c.end]
        # a name, date or place the question already states is never its answer ("王法慧是谁的女儿？")
        found = [m for m in find(text, info) if m.text not in query.asked]
        found = [m for m in found if (chunk.source, chunk.start + c.start + m.start) not in avoid]
        if not found:
            continue
        if info.qtype != "quantity":  # targets and results differ in figures; a date is a date
            return Pick(c, _pick_mention(text, found, cover, weights))
        years = res.years(chunk.source)
        want_target = asks_target(query.asked, query.lang, years)
        fitting = [m for m in found if is_target(text, m.start, m.end, chunk.section, years) == want_target]
        if fitting:
            return Pick(c, _pick_mention(text, fitting, cover, weights))
        if fallback is None:
            fallback = Pick(c, _pick_mention(text, found, cover, weights), aim_mismatch=True)
    return fallback


def answer_question(
    query: Query,
    info: QuestionInfo,
    hits: Sequence[Hit],
    res: Resources,
    scope: Scope | None = None,
    avoid: Collection[tuple[str, int]] = (),
) -> Answer:
    """Pick evidence among `hits`, extract the span, attach numbered citations; abstain when weak. Spans starting at
    a raw position in `avoid` ((source, offset): another part's answer) are not chosen."""
    weights, support = res.weights, res.support
    cover = QuestionCover(query, info, res.lexical, res.lexicon)
    words = None
    if support is not None and query.lang == "zh":
        qwords = question_words(query.text)
        words = (lambda text: support.cover(qwords, text)) if qwords else None
    cands = rank_sentences(hits, cover, weights, words)
    searched = scope.titles if scope is not None else ()
    missing = Answer(query.asked, not_found(query, scope), True, lang=query.lang, hits=tuple(hits), searched=searched)
    if not cands:
        return missing
    pick = _typed_span(cands, hits, query, info, cover, res, avoid) or Pick(cands[0])
    cand = pick.cand
    sig = signals(query, info, cand, hits, pick.mention is not None, cover, support, weights, scope, pick.aim_mismatch)
    values = inputs(sig, heuristic(sig, weights))
    conf = res.calibration.probability(values) if res.calibration is not None else values["heuristic"]
    if conf < res.threshold:
        return replace(missing, confidence=conf, signals=values)
    chunk = hits[cand.hit_rank].chunk
    if pick.mention is not None:
        m = pick.mention
        hs, he, unit = cand.start + m.start, cand.start + m.end, m.unit
        if info.qtype == "quantity":
            he += _counted_noun(query.asked, chunk.text[he:], unit)
    else:
        room = MAX_ANSWER - (len(EN_SAYS.format(span="")) if query.lang == "en" else 0)
        s, e = _best_clause(chunk.text[cand.start : cand.end], cover, room)
        hs, he, unit = cand.start + s, cand.start + e, ""
    span = chunk.text[hs:he].strip()
    citations = [_cite(1, hits[cand.hit_rank], (hs, he), res)]
    for other in cands[1:]:
        if len(citations) >= weights.max_citations or other.cover < weights.citation_cover_ratio * cand.cover:
            break
        if all(c.start != hits[other.hit_rank].chunk.start for c in citations):
            citations.append(_cite(len(citations) + 1, hits[other.hit_rank], (other.start, other.end), res))
    text = english_answer(span, info, unit, pick.mention is not None) if query.lang == "en" else span
    if not _verified(span, citations):
        text = span
    return Answer(
        query.asked,
        f"{text} [1]",
        False,
        tuple(citations),
        lang=query.lang,
        span=span,
        hits=tuple(hits),
        confidence=conf,
        searched=searched,
        signals=values,
    )


def _cite(n: int, hit: Hit, highlight: tuple[int, int], res: Resources) -> Citation:
    c = hit.chunk
    title = res.title(c.source)
    return Citation(n, c.source, c.start, c.end, c.text, highlight, round(hit.score, 4), c.section, c.page, title)
