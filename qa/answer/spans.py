"""Choosing the answer span: among the well-covering evidence sentences, a span of the kind the question asks for
(the rule table's finder), the one whose clause covers the question best and the reader agrees with most; a
result over a target, a total over its parts; the reader's own span for questions no rule types."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from qa.answer import mentions
from qa.answer.aims import asks_target, is_target, paragraph_before
from qa.answer.evidence import Candidate, QuestionCover
from qa.answer.focus import Asked, counted_phrase, focus_words
from qa.answer.mentions import Mention
from qa.answer.question import QuestionInfo
from qa.answer.reading import Reading
from qa.answer.roles import asks_per_head, asks_period, of_period, per_head, states_change
from qa.answer.rules import RULES
from qa.answer.tables import cell_mentions
from qa.answer.units import unit_matches
from qa.config import AnswerWeights
from qa.ingest.chunking import is_row
from qa.retrieve.query import Query
from qa.text.sentences import split_clauses
from qa.types import Hit

MAX_ANSWER = 140
_SUBTOTAL = re.compile(r"其中|包括|含(?=[\u4e00-\u9fff《“])")
#: A parenthesis that gives a part of the figure before it: "运营里程483.3公里（含有轨电车16.8公里）".
_PART_PAREN = re.compile(r"[（(](?:其中|包括|含)[^）)]*[）)]")
#: A question that asks for a total with its parts in it.
_INCLUDING = re.compile(r"\binclud(?:ing|ed|es)\b|含|包括", re.I)
#: A round figure passed on the way to the exact one: "突破4000亿元、达到4211亿元".
_MILESTONE = re.compile(r"(?:突破|超过|迈上|跨越|首超|站上|跃上|超)$")

#: Characters before a figure compared with what the question names ("城镇失业人员再就业514万人" for
#: "…城镇失业人员再就业多少人"; `focus.Asked`).
RUN_CHARS = 16
NOTHING_ASKED = Asked()


def _milestones(text: str, found: list[Mention]) -> set[int]:
    """Mentions that are milestones passed ("突破2万元") with an exact figure of the same unit right after."""
    out = set()
    for i, m in enumerate(found):
        if not _MILESTONE.search(text[max(0, m.start - 3) : m.start]):
            continue
        later = [n for n in found[i + 1 :] if n.unit == m.unit and n.start - m.end <= 12]
        if later:
            out.add(i)
    return out


@dataclass(frozen=True)
class Pick:
    """The evidence sentence chosen and the span in it (None: no span of the asked-for kind, the answer is the
    sentence's best clause); whether that span states a target where a result is asked (or the other way round);
    the reader's probability for it; whether the span is the reader's own rather than a rule's."""

    cand: Candidate
    mention: Mention | None = None
    aim_mismatch: bool = False
    reader: float = 0.0
    from_reader: bool = False


def _parts(text: str) -> list[tuple[int, int]]:
    """Where the parts of a total stand: each parenthesis that opens with 含, 包括 or 其中, and the rest of the
    text after the first such word outside one ("…，其中…")."""
    spans = [(m.start(), m.end()) for m in _PART_PAREN.finditer(text)]
    outside = next((m for m in _SUBTOTAL.finditer(text) if not any(a <= m.start() < b for a, b in spans)), None)
    if outside is not None:
        spans.append((outside.start(), len(text)))
    return sorted(spans)


def _names_a_part(cover: QuestionCover, text: str, parts: Sequence[tuple[int, int]]) -> bool:
    """Does the question name something one of the `parts` of `text` has and the rest of it lacks?"""
    outside, at = [], 0
    for a, b in parts:  # sorted by start; the rest after 其中 may hold a parenthesis too
        outside.append(text[at:a])
        at = max(at, b)
    rest = "".join(outside) + text[at:]
    return any(_names_more(cover, text[a:b], rest) for a, b in parts)


def _names_more(cover: QuestionCover, part: str, whole: str) -> bool:
    """Does the question name something `part` has and `whole` (the text before it) lacks, not even by half its
    characters (刊登 beside 刊发 is the same verb)?"""
    part, whole = part.lower(), whole.lower()

    def near(a: str) -> bool:
        return a in whole or (len(a) > 1 and 2 * sum(ch in whole for ch in a) >= len(a))

    return any(any(a in part for a in alts) and not any(near(a) for a in alts) for _w, alts in cover.groups)


def _clause_of(text: str, clauses: Sequence[tuple[int, int]], start: int) -> tuple[int, int]:
    """The clause of `clauses` holding the figure at `start`, with the clause before it when the figure is a change
    ("藏量1.02册，比上年末增加0.06册"); the whole text when none holds it."""
    at = next((k for k, (s, e) in enumerate(clauses) if s <= start < e), None)
    if at is None:
        return 0, len(text)
    s, e = clauses[at]
    return (clauses[at - 1][0], e) if at and states_change(text, start) else (s, e)


def mention_clause(text: str, start: int) -> str:
    """The text of the clause holding the figure at `start` (see `_clause_of`)."""
    s, e = _clause_of(text, split_clauses(text, 0, len(text)), start)
    return text[s:e]


def _names(asked: Asked, text: str, m: Mention) -> bool:
    """Does the text around mention `m` (before it, or right after it) name what the question asks about?"""
    return asked.names(text[max(0, m.start - RUN_CHARS) : m.start], text[m.end : m.end + RUN_CHARS])


def pick_mention(
    text: str,
    found: list[Mention],
    cover: QuestionCover,
    weights: AnswerWeights,
    agree: dict[int, float],
    focus: Sequence[str] = (),
    asked: Asked = NOTHING_ASKED,
    unit: str | None = None,
    question: str = "",
) -> Mention:
    """The mention whose clause covers the question best (plus the reader's agreement `agree[i]` with mention i);
    ties go to the one nearest a matched word. Chinese names what it counts just before the number, so the few
    characters before a mention count extra; a change ("，比上年末增加0.06册") belongs to the clause before it. After
    其中 come the parts of a total: a part answers only when the question names something only the part has. A
    round figure passed on the way ("突破4000亿元、达到4211亿元") gives way to the exact one. Then a figure written
    right after what the question names (`focus.Asked`: what it writes before 多少, "城镇失业人员再就业514万人";
    the Chinese for an English question's subject), then one whose lead-in holds a `focus` word (the word the
    question puts before its interrogative: "总量" of "总量达到多少家"), then one in the very measure word the question
    writes (`unit`: 提案1309件 before 议案5项 for "多少件…提案"; a counting word, not the generic 个). A
    parenthesis that opens with 含 holds a part of the figure before it, and a `question` that itself says
    "including" asks for the whole."""
    clauses = split_clauses(text, 0, len(text))
    matched = cover.positions(text)
    parts = _parts(text)
    # a question that itself says "including" asks for the total that includes the part ("(including trams)")
    names_part = bool(parts) and not _INCLUDING.search(question) and _names_a_part(cover, text, parts)
    passed = _milestones(text, found)
    # a measure word that counts (件, 项, 家; not the generic 个, nor % or 元, whose figures differ in kind not word)
    exact = unit is not None and re.fullmatch(r"[\u4e00-\u9fff]", unit) is not None and unit not in "个元"
    exact = exact and len({m.unit for m in found}) > 1

    def key(i: int) -> tuple[bool, bool, bool, bool, bool, float, bool, float]:
        m = found[i]
        clause = _clause_of(text, clauses, m.start)
        lead_in = text[max(clause[0], m.start - weights.lead_in_chars) : m.start]
        dist = min((abs(m.start - p) for p in matched), default=len(text))
        score = cover.cover(text[clause[0] : clause[1]]) + weights.lead_in_weight * cover.cover(lead_in)
        score += weights.reader_weight * agree.get(i, 0.0)
        is_part = any(a <= m.start < b for a, b in parts)
        named = any(f in lead_in for f in focus)  # "总量达1198家" for "总量达到多少家"
        return (
            is_part == names_part,
            i not in passed,
            _names(asked, text, m),
            named,
            exact and m.unit == unit,
            round(score, 3),
            any(ch.isdigit() for ch in m.text),
            -dist,
        )

    return found[max(range(len(found)), key=key)]


def typed_span(
    cands: list[Candidate],
    hits: Sequence[Hit],
    query: Query,
    info: QuestionInfo,
    cover: QuestionCover,
    weights: AnswerWeights,
    years_of: dict[str, tuple[int, ...]],
    reading: Reading,
    avoid: Collection[tuple[str, int]] = (),
    sections: Sequence[str] = (),
) -> Pick | None:
    """The best span of the asked-for kind in the well-covering sentences: the sentence's evidence score plus the
    reader's agreement decides, after whether the figure is written right after what the question names
    (`focus.Asked`). A figure of the kind of aim asked (a result, or a target; `sections[i]`: hit i's section in
    the document's outline) is preferred to one of the other kind, and a level to a change when no change is
    asked."""
    if not cands:
        return None
    find = RULES[info.qtype].find
    # the word before the interrogative ("总量" of "总量达到多少家"), which the text writes before its figure; not a
    # verb (marked by 了: "新增了多少个…" may head a list, "新增2个中心、40个专科")
    focus = (
        [w for w in focus_words(query.text, "zh", (-1,)) if f"{w}了" not in query.text] if query.lang == "zh" else []
    )
    asked = Asked.of(query.text, query.lang, cover.lexicon) if info.qtype == "quantity" else NOTHING_ASKED
    options: list[tuple[tuple[bool, bool, float], Pick]] = []
    fallback: tuple[tuple[bool, bool, float], Pick] | None = None
    below = named_above = False
    for c in cands[: weights.typed_candidates]:
        # a sentence that covers much less of the question is tried only for a figure it names as asked, and only
        # while no sentence above it with a figure names it at all (an English question's words cover a sentence of
        # its year and place, "2023年全国农民工总量", better than the one of its indicator, "城镇新增就业1244万人")
        below = below or c.cover < weights.typed_cover_ratio * cands[0].cover
        if below and (named_above or not (query.lang == "en" and info.qtype == "quantity" and asked.terms)):
            break
        chunk = hits[c.hit_rank].chunk
        text = chunk.text[c.start : c.end]
        # a name, date or place the question already states is never its answer ("王法慧是谁的女儿？")
        row = info.qtype == "quantity" and is_row(text)
        found = cell_mentions(text, chunk, query.asked)[:1] if row else find(text, info)
        found = [m for m in found if m.text not in query.asked]
        found = [m for m in found if (chunk.source, chunk.start + c.start + m.start) not in avoid]
        mismatch = False
        if found and info.qtype == "quantity":  # targets and results differ in figures; a date is a date
            years = years_of.get(chunk.source, ())
            want = asks_target(query.asked, query.lang, years)
            section = sections[c.hit_rank] if c.hit_rank < len(sections) else chunk.section
            para = paragraph_before(chunk.text, c.start)
            fitting = [m for m in found if is_target(text, m.start, m.end, section, years, para) == want]
            found, mismatch = (fitting, False) if fitting else (found, True)
            if not info.change:  # a level asked: how much it moved ("比上年末增加0.06册") is another fact
                levels = [m for m in found if not states_change(text, m.start)]
                found, mismatch = (levels, mismatch) if levels else (found, True)
            if not asks_period(query.asked):  # one year asked: a five-year review's figure is another fact
                yearly = [m for m in found if not of_period(text, m.start, query.asked)]
                found, mismatch = (yearly, mismatch) if yearly else (found, True)
            if counted_phrase(query.asked) and not asks_per_head(query.asked):  # a total named: per head is another
                totals = [m for m in found if not per_head(text, m.start)]
                found, mismatch = (totals, mismatch) if totals else (found, True)
        if not found:
            continue
        # (a target where a result is asked, or the other way round, names it for another aim: read on)
        named_above = named_above or (not below and not mismatch and any(t in text for t in asked.terms))
        agree = {i: reading.support(c.hit_rank, c.start + m.start, c.start + m.end) for i, m in enumerate(found)}
        m = pick_mention(text, found, cover, weights, agree, focus, asked, info.unit, query.asked)
        support = agree[found.index(m)]
        named = _names(asked, text, m)
        if below and not named:
            continue
        bare = not (named and asked.qualified(text[max(0, m.start - RUN_CHARS) : m.start], query.asked))
        figure = info.qtype == "quantity" and weights.clause_weight > 0  # a figure's clause names what it measures
        own = weights.clause_weight * cover.cover(mention_clause(text, m.start)) if figure else 0.0
        option = ((named, bare, c.score + own + weights.reader_weight * support), Pick(c, m, mismatch, support))
        if mismatch:
            fallback = fallback or option
        else:
            options.append(option)
    best = max(options, key=lambda o: o[0]) if options else fallback
    return best[1] if best else None


#: Question types whose answer must be a span of their kind (a number, a date): the reader's span answers only
#: through a mention of that kind inside it.
TYPED = frozenset({"quantity", "when", "contact"})


def _of_kind(text: str, info: QuestionInfo) -> list[Mention]:
    """The spans of the asked-for kind in `text`: any quantity for a "how many" (the reader, not the unit the
    question seems to expect, decides which), else the rule's finder."""
    if info.qtype == "quantity":
        return mentions.ordinals(text) if info.ordinal else mentions.quantities(text)
    return RULES[info.qtype].find(text, info)


def reader_span(
    cands: list[Candidate],
    hits: Sequence[Hit],
    reading: Reading,
    query: Query,
    info: QuestionInfo,
    weights: AnswerWeights,
    years_of: dict[str, tuple[int, ...]],
    avoid: Collection[tuple[str, int]] = (),
    sections: Sequence[str] = (),
) -> Pick | None:
    """For a question of one of `reader_types`, the reader's most probable span that is sure enough, lies in a
    ranked evidence sentence, is not stated by the question and is of the asked-for kind: for a number or a date,
    the mention of that kind it covers most (so the unit comes with it), a result where a result is asked and a
    target where a target is, in the measure the question expects unless the reader is very sure; for a name,
    place or phrase, the span itself."""
    if info.qtype not in weights.reader_types:
        return None
    for best in reading.spans[: weights.reader_spans]:
        if best.prob < weights.reader_min:
            return None
        chunk = hits[best.hit_rank].chunk
        c = next((c for c in cands if c.hit_rank == best.hit_rank and c.start <= best.start < c.end), None)
        if c is None:
            continue
        start, end = best.start - c.start, min(best.end, c.end) - c.start
        text = chunk.text[c.start : c.end]
        if info.qtype in TYPED:
            inside = [m for m in _of_kind(text, info) if m.start < end and m.end > start]
            if not inside:
                continue
            m = max(inside, key=lambda m: min(end, m.end) - max(start, m.start))
            if info.qtype == "quantity":
                years = years_of.get(chunk.source, ())
                section = sections[best.hit_rank] if best.hit_rank < len(sections) else chunk.section
                para = paragraph_before(chunk.text, c.start)
                if is_target(text, m.start, m.end, section, years, para) != asks_target(query.asked, query.lang, years):
                    continue  # a target where a result is asked, or the other way round
                if states_change(text, m.start) != info.change:
                    continue  # a change where a level is asked ("比上年末增加0.06册"), or the other way round
                if not unit_matches(m.unit, info.unit) and best.prob < weights.reader_sure:
                    continue
        else:
            span = text[start:end].strip()
            if not span or span in query.asked:
                continue
            m = Mention(start, end, "")
        if (chunk.source, chunk.start + c.start + m.start) in avoid:
            continue
        return Pick(c, m, reader=best.prob, from_reader=True)
    return None


def best_clause(text: str, cover: QuestionCover, limit: int = MAX_ANSWER) -> tuple[int, int]:
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
