"""Extractive answers: choose the evidence sentence, cut the asked-for span, cite it, or abstain."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from qa.answer.calibration import Calibration, inputs
from qa.answer.confidence import dense_support, heuristic, signals
from qa.answer.english import english_answer
from qa.answer.evidence import Candidate, QuestionCover, rank_sentences
from qa.answer.focus import counted_phrase, focus_words, without_when
from qa.answer.lists import asks_several, whole_list
from qa.answer.meaning import by_meaning
from qa.answer.mentions import Mention, arabic_numbers, dates
from qa.answer.question import QuestionInfo
from qa.answer.reading import Reading, SpanReader
from qa.answer.roles import flow_for_stock
from qa.answer.rules import EN_SAYS
from qa.answer.siblings import sibling
from qa.answer.similarity import SentenceSimilarity
from qa.answer.spans import MAX_ANSWER, TYPED, Pick, best_clause, mention_clause, reader_span, typed_span
from qa.answer.support import Support, question_words
from qa.answer.titles import asked_titles, names_title
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex
from qa.ingest.chunking import is_row
from qa.ingest.metadata import DocMeta
from qa.retrieve.opening import asks_about_report, posting_times
from qa.retrieve.outline import Outline
from qa.retrieve.query import Query
from qa.retrieve.scope import Scope, describe_scope
from qa.text.segment import dictionary_tag
from qa.text.segment import words as segment_words
from qa.types import Answer, Chunk, Citation, Hit

NOT_FOUND = {"zh": "报告中没有找到相关内容", "en": "Not found in the documents."}
NOT_FOUND_IN = {"zh": "在{docs}中没有找到相关内容", "en": "Not found in {docs}."}


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
    reader: SpanReader | None = None  # the learned span reader (None: rules alone)
    sentences: SentenceSimilarity | None = None  # question-sentence similarity (None: not measured)
    outline: Outline | None = None  # the top-level heading above a sub-section (None: sections alone)

    def section(self, chunk: Chunk) -> str:
        """The chunk's section, with the top-level heading above a numbered sub-heading."""
        return self.outline.section(chunk) if self.outline is not None else chunk.section

    def title(self, source: str) -> str:
        meta = self.metas.get(source)
        return meta.label if meta is not None else ""

    def years(self, source: str) -> tuple[int, ...]:
        meta = self.metas.get(source)
        return meta.years if meta is not None else ()


def not_found(query: Query, scope: Scope | None = None) -> str:
    """'Not found', naming the documents searched when the question was limited to some."""
    if scope is not None and scope.titles:
        return NOT_FOUND_IN[query.lang].format(docs=describe_scope(scope, query.lang))
    return NOT_FOUND[query.lang]


def _counted_noun(question: str, after: str, unit: str) -> int:
    """Length of the noun to keep after a quantity when the question counts it: '几个校区' -> '2个校区'."""
    m = re.search(rf"(?:几|多少){re.escape(unit)}([\u4e00-\u9fff]{{2,12}})", question) if unit else None
    if not m:
        return 0
    said = list(segment_words(m.group(1)))
    word = next(iter(said), "")
    if len(word) < 2 or not dictionary_tag(word).startswith("n") or not after.startswith(word):
        return 0  # '几次到北京' counts visits, not 到北京
    if len(said) > 1 and dictionary_tag(said[1]).startswith("n"):
        return 0  # only a modifier of the noun counted: '多少个国家卓越级智能工厂' counts 工厂, not 国家
    return len(word)


_WHICH = re.compile(r"(?:哪一?|什么)[个处家位种条所座项支部名类]?([\u4e00-\u9fff]{2,12})")


def _named_kind(question: str, after: str) -> int:
    """Length of the kind a "which" question names to keep after the name found, when the text writes it there:
    '哪一处文化景观' -> '普洱景迈山古茶林文化景观' (the name alone is not the whole name)."""
    m = _WHICH.search(question)
    if not m:
        return 0
    nouns = list(itertools.takewhile(lambda w: dictionary_tag(w).startswith("n"), segment_words(m.group(1))))[:2]
    kinds = ["".join(nouns[:k]) for k in range(len(nouns), 0, -1)]
    return next((len(k) for k in kinds if len(k) >= 2 and after.startswith(k)), 0)


def _verified(answer: str, citations: Sequence[Citation]) -> bool:
    """Every number in the answer's span appears verbatim in some cited snippet (an English answer's own number
    is computed from the span)."""
    return all(any(n in c.text for c in citations) for n in arabic_numbers(answer))


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
    # the reader reads only where its span may go first or its agreement counts (about 75 ms a stretch)
    reads = (weights.reader_first and info.qtype in weights.reader_types) or weights.reader_weight > 0
    reader = res.reader if reads else None
    reading = Reading.of(
        reader, query.text, hits, cands, weights.reader_segments, weights.reader_chars, weights.reader_min
    )
    years = {s: res.years(s) for s in {h.chunk.source for h in hits}}
    sections = [res.section(h.chunk) for h in hits]
    pick = (
        reader_span(cands, hits, reading, query, info, weights, years, avoid, sections)
        if weights.reader_first
        else None
    )

    def read(one: list[Candidate]) -> Pick | None:
        return typed_span(one, hits, query, info, cover, weights, years, reading, avoid, sections)

    if pick is None:  # a figure by coverage, or by meaning where coverage finds none or a much closer one is there
        pick = typed_span(cands, hits, query, info, cover, weights, years, reading, avoid, sections)
        pick = by_meaning(pick, cands, hits, query, info, res.sentences, weights, read)
    pick = pick or Pick(cands[0])
    cand = pick.cand
    typed = pick.mention is not None and (not pick.from_reader or info.qtype in TYPED)
    chunk = hits[cand.hit_rank].chunk
    if pick.mention is None and info.qtype == "who" and chunk.kind == "heading":
        return missing  # a heading names no one: no person was found where the question asks who
    meta = res.metas.get(chunk.source)
    part_year, speaks_for = (meta.year_at(chunk.start), meta.speaks_for) if meta is not None else (None, ())
    sig = signals(
        query, info, cand, hits, typed, cover, support, weights, scope, pick.aim_mismatch, speaks_for, part_year
    )  # fmt: skip
    sig = replace(
        sig,
        reader=pick.reader if pick.mention is not None else reading.support(cand.hit_rank, cand.start, cand.end),
        reader_null=reading.null(cand.hit_rank),
        reader_read=float(cand.hit_rank in reading.nulls),
        sentence=_sentence_support(query, hits[cand.hit_rank].chunk.text[cand.start : cand.end], res),
        subject=_subject_match(query, info, pick, hits, res),
        sibling=_sibling(query, info, pick, hits),
        title_missing=_title_missing(query, info, pick, hits),
        flow=info.qtype == "quantity"
        and pick.mention is not None
        and flow_for_stock(hits[cand.hit_rank].chunk.text[cand.start : cand.end], pick.mention.start, query.asked),
    )
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
        elif query.lang == "zh" and asks_several(query.asked):  # 哪两家: both, as the text lists them
            hs, he = whole_list(chunk.text, hs, he)
        elif query.lang == "zh" and info.qtype in ("what", "where") and chunk.text[he - 1 : he] not in "”」》）)":
            he += _named_kind(query.asked, chunk.text[he:])  # a quoted name is whole: “…”称号 needs no 称号
    else:
        room = MAX_ANSWER - (len(EN_SAYS.format(span="")) if query.lang == "en" else 0)
        s, e = best_clause(chunk.text[cand.start : cand.end], cover, room)
        hs, he, unit = cand.start + s, cand.start + e, ""
    span = chunk.text[hs:he].strip()
    citations = [_cite(1, hits[cand.hit_rank], (hs, he), res)]
    for other in cands[1:]:
        if len(citations) >= weights.max_citations or other.cover < weights.citation_cover_ratio * cand.cover:
            break
        if all(c.start != hits[other.hit_rank].chunk.start for c in citations):
            citations.append(_cite(len(citations) + 1, hits[other.hit_rank], (other.start, other.end), res))
    if pick.mention is not None and unit and is_row(chunk.text[cand.start : cand.end]) and not span.endswith(unit):
        span_shown = span + unit  # a table cell: its unit is in its column's header or the row's unit cell
    else:
        span_shown = span
    text = english_answer(span, info, unit, typed) if query.lang == "en" else span_shown
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


def unposted_dates(hits: Sequence[Hit]) -> tuple[tuple[str, int], ...]:
    """(source, offset) of every date in the hits' chunks but their posting times, as `answer_question`'s `avoid`
    takes them, when some chunk has a posting time: when a document was released is the date after its
    "发布时间：", never the year its title or body names. Empty when no chunk has one."""
    posted = set(posting_times(hits))
    found = ((h.chunk.source, h.chunk.start + m.start) for h in hits for m in dates(h.chunk.text)) if posted else ()
    return tuple(at for at in found if at not in posted)


def _sentence_support(query: Query, sentence: str, res: Resources) -> float:
    """The evidence sentence's similarity to the question on the dense scale (0 when it is not measured)."""
    if res.sentences is None:
        return 0.0
    cosine = res.sentences.cosine(query, sentence)
    return 0.0 if cosine is None else dense_support(cosine, res.weights)


def _subject_match(query: Query, info: QuestionInfo, pick: Pick, hits: Sequence[Hit], res: Resources) -> float:
    """How close what a Chinese question asks about (what a "how many" question counts, else the words beside its
    interrogative) is to the clause of the span chosen, up to the span: the embedder's cosine; 0 when not measured
    (no floor for this embedder, an English question, no span, nothing named)."""
    if res.weights.subject_floor <= 0 or res.sentences is None or query.lang != "zh" or pick.mention is None:
        return 0.0
    if info.qtype == "quantity":
        asked = counted_phrase(query.text)
    elif asks_about_report(query.asked, "zh"):
        return 0.0  # who delivered the report, when: its opening lines answer, in words of their own
    else:
        asked = "".join(focus_words(query.text, "zh"))  # the words beside the interrogative (秘书长 of 秘书长是谁)
    if not asked:
        return 0.0
    _text, clause, end = _figure_clause(pick.mention, pick, hits)
    cosine = res.sentences.phrase_cosine(asked, clause[: end + len(pick.mention.text)] if end >= 0 else clause)
    return 0.0 if cosine is None else cosine


def _figure_clause(mention: Mention, pick: Pick, hits: Sequence[Hit]) -> tuple[str, str, int]:
    """The evidence sentence of a pick, the clause of its mention, and where the mention starts in that clause
    (-1 when the clause does not write it as found)."""
    text = hits[pick.cand.hit_rank].chunk.text[pick.cand.start : pick.cand.end]
    clause = mention_clause(text, mention.start)
    return text, clause, clause.find(mention.text)


def _sibling(query: Query, info: QuestionInfo, pick: Pick, hits: Sequence[Hit]) -> bool:
    """Does the clause of a Chinese "how many" question's figure name a sibling of what the question counts
    (`qa.answer.siblings`)?"""
    if query.lang != "zh" or info.qtype != "quantity" or pick.mention is None:
        return False
    asked = counted_phrase(query.text)
    if not asked:
        return False
    text, clause, end = _figure_clause(pick.mention, pick, hits)
    if sibling(asked, clause[:end] if end >= 0 else clause, text) is not None:
        return True
    # the thing counted may stand in an earlier clause of the sentence ("1995年公有制工业占全部工业的份额，按工业
    # 总产值计算为70.6%" for "按工业总产值计算，1995年三资工业占全部工业的比重"): each clause against each
    lead = re.split(r"[，,；;：:]", without_when(text[: pick.mention.start]))
    return any(sibling(a, b, text) for a in re.split(r"[，,；;：:]", asked) for b in lead if a and b)


def _title_missing(query: Query, info: QuestionInfo, pick: Pick, hits: Sequence[Hit]) -> bool:
    """Does a Chinese "who" question ask for a title (秘书长, 省长) its answer's clause does not write with the
    name (`qa.answer.titles`)?"""
    if query.lang != "zh" or info.qtype != "who" or pick.mention is None:
        return False
    text = hits[pick.cand.hit_rank].chunk.text[pick.cand.start : pick.cand.end]
    start = max((m.end() for m in re.finditer(r"[，,。；;：:！？]", text[: pick.mention.start])), default=0)
    return not names_title(asked_titles(query.text), text[start : pick.mention.end])


def _cite(n: int, hit: Hit, highlight: tuple[int, int], res: Resources) -> Citation:
    c = hit.chunk
    title = res.title(c.source)
    return Citation(n, c.source, c.start, c.end, c.text, highlight, round(hit.score, 4), c.section, c.page, title)
