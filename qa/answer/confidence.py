"""How sure an answer is. The evidence is described by `Signals` (coverage of the question, similarity, whether a
span of the asked-for kind was found, what the question names that the evidence lacks); a hand-set formula turns
them into a score, and a logistic model fit on tune questions (`qa.answer.calibration`) into a probability that
the answer is right. Below the threshold the assistant abstains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from qa.answer.evidence import Candidate, QuestionCover
from qa.answer.focus import focus_words
from qa.answer.question import QuestionInfo
from qa.answer.rules import RULES
from qa.answer.support import Support, question_words
from qa.config import AnswerWeights
from qa.retrieve.query import Query
from qa.retrieve.scope import Scope
from qa.retrieve.terms import chinese_terms, whole_phrases, word_candidates
from qa.types import Hit


@dataclass(frozen=True)
class Signals:
    """What the confidence is computed from, for one chosen evidence sentence."""

    coverage: float  # share of the question the evidence covers (0-1)
    dense: float  # question-chunk similarity, scaled so dense_full counts as 1
    typed: bool  # a span of the asked-for kind was found
    missing_span: float  # the rule's factor when it was not (1.0 when it was)
    unknown_names: int  # capitalised English names the corpus never mentions
    focus_missing: float  # share of the question's focus words the evidence lacks
    phrases_missing: int  # English focus phrases the dictionary names as one term (入境游客) the sentence lacks
    places_absent: int  # provinces no report is about that the evidence never names
    numbers_near: int  # numbers the question names found near the evidence but not in the sentence
    numbers_absent: int  # ... found nowhere near it
    years_covered: int  # years the question names, the sentence lacks and the report speaks for (results, targets)
    aim_mismatch: bool  # a target given for a result asked, or the other way round
    rank: int  # retrieval rank of the evidence chunk (0 = first)
    english: bool  # an English question
    reader: float = 0.0  # the learned reader's probability for the span (0 when it has none)
    reader_null: float = 0.0  # the reader's "no answer" probability for the evidence's chunk (1: unread; 0: none read)
    reader_read: float = 0.0  # 1 when the reader read the evidence's chunk (its two signals mean something)
    sentence: float = 0.0  # question-sentence similarity on the dense scale (0 when not measured)
    subject: float = 0.0  # cosine of what a Chinese question asks about with the span's clause (0: not measured)
    sibling: bool = False  # the figure's clause names another thing in the question's frame (养老 for 医疗保险)
    title_missing: bool = False  # a name given without the title a "who" question asks for (区委书记 for 秘书长)
    flow: bool = False  # the year's additions given where a total is asked (新增…38家 for 总数)

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def _coverage(
    query: Query, cand: Candidate, chunk_text: str, cover: QuestionCover, support: Support | None, credit: float
) -> float:
    """How much of the question the evidence covers: the sentence and its whole chunk (English, where a lone
    dictionary character earns `credit`), or the sentence's coverage beside the chunk's word support (Chinese)."""
    if query.lang == "en":
        sentence = chunk_text[cand.start : cand.end]
        return 0.5 * cover.cover(sentence, credit) + 0.5 * cover.cover(chunk_text, credit)
    if support is not None:
        return 0.5 * cand.cover + 0.5 * support.cover(question_words(query.text), chunk_text)
    return cand.cover


def _focus_missing(query: Query, evidence: str, cover: QuestionCover, support: Support | None) -> float:
    """Share of the question's focus words the evidence does not support (0 when it has none). An English word
    counts as missing only when the corpus has no word for it at all ("vice", "email")."""
    words = focus_words(query.text, query.lang)
    if not words:
        return 0.0
    if query.lang == "en":
        text = evidence.lower()
        phrase_terms = {z for z, _w in chinese_terms(query.text, cover.lexicon)}
        missing = 0
        for w in words:
            cands = [z for z, _w in word_candidates(w, cover.lexicon)]
            if cands or w in text or any(z in evidence for z in phrase_terms if len(z) > 1):
                continue
            missing += 1
        return missing / len(words)
    if support is None:
        return 0.0
    return sum(not support.supported(w, evidence) for w in words) / len(words)


def _phrases_missing(query: Query, sentence: str, cover: QuestionCover) -> int:
    """How many pairs of an English question's focus words the dictionary names whole (inbound tourist -> 入境游客)
    the evidence sentence states in none of their terms: it speaks of something broader (游客) or else."""
    if query.lang != "en":
        return 0
    phrases = whole_phrases(focus_words(query.text, "en"), cover.lexicon)
    return sum(not any(z in sentence for z in terms) for terms in phrases)


def signals(
    query: Query,
    info: QuestionInfo,
    cand: Candidate,
    hits: Sequence[Hit],
    typed: bool,
    cover: QuestionCover,
    support: Support | None,
    weights: AnswerWeights,
    scope: Scope | None = None,
    aim_mismatch: bool = False,
    covered_years: Sequence[int] = (),
    part_year: int | None = None,
) -> Signals:
    """Describe the evidence sentence `cand` as an answer to the question. A year the question names that the
    report speaks for (`covered_years`: the years it gives results or targets for) but the sentence does not is
    counted apart as `years_covered`: the report's identity states it. The year of the part of a series file the
    evidence lies in (`part_year`: its 2023 communiqué) is the year asked, not a number the evidence lacks."""
    hit = hits[cand.hit_rank]
    chunk = hit.chunk
    sentence = chunk.text[cand.start : cand.end]
    titles = support.headings(chunk.source) if support is not None else ""
    near = absent = 0
    covered = {str(y) for y in covered_years}
    years_covered = 0
    for num in re.findall(r"\d+(?!st\b|nd\b|rd\b|th\b)[A-Za-z]+|\d+", query.text):  # 5A级: not the 5 of 15721
        if num in sentence or num == str(part_year):
            continue
        if num in covered:
            years_covered += 1
        elif num in chunk.text or num in chunk.context or num in titles:
            near += 1
        else:
            absent += 1
    places = sum(
        p not in chunk.text and p not in chunk.context for p in (scope.unknown_places if scope is not None else ())
    )
    return Signals(
        coverage=_coverage(query, cand, chunk.text, cover, support, weights.single_char_credit),
        dense=dense_support(hit.dense, weights),
        typed=typed,
        missing_span=1.0 if typed else RULES[info.qtype].missing_span,
        unknown_names=min(2, cover.unknown_names),
        focus_missing=_focus_missing(query, chunk.text + chunk.context, cover, support),
        phrases_missing=_phrases_missing(query, sentence, cover),
        places_absent=places,
        numbers_near=near,
        numbers_absent=absent,
        years_covered=years_covered,
        aim_mismatch=aim_mismatch,
        rank=cand.hit_rank,
        english=query.lang == "en",
    )


def refused(s: Signals, weights: AnswerWeights) -> bool:
    """The reader read a Chinese question's evidence passage, is at least `reader_refusal_null` sure it holds no
    answer, and gives the clause chosen (no span of the asked kind) less than `reader_refusal_span`. (On English
    questions its no-answer probability is high whatever the passage.)"""
    return (
        s.reader_read > 0
        and not s.english
        and not s.typed
        and s.reader < weights.reader_refusal_span
        and s.reader_null >= weights.reader_refusal_null
    )


def dense_support(cosine: float, weights: AnswerWeights) -> float:
    """A question-chunk cosine on the embedder's scale: 0 at `dense_floor` or below, 1 at `dense_full` or above.
    One scale for both languages: an English scale of its own (its cosines run lower), with the calibration refit,
    cost multi-document abstention (tune 0.60 -> 0.68 but holdout accuracy 0.766 -> 0.694)."""
    return min(1.0, max(0.0, cosine - weights.dense_floor) / (weights.dense_full - weights.dense_floor))


def heuristic(s: Signals, weights: AnswerWeights) -> float:
    """The hand-set score: coverage and similarity mixed, cut for each thing the evidence lacks."""
    meaning = (1 - weights.sentence_share) * s.dense + weights.sentence_share * max(s.dense, s.sentence)
    conf = weights.cover_weight * s.coverage + (1 - weights.cover_weight) * meaning
    conf *= weights.unknown_name**s.unknown_names  # a named thing the documents never mention
    conf *= s.missing_span  # asked for a number, date, name ... and the evidence has none
    conf *= 1.0 - (1.0 - weights.focus_absent) * s.focus_missing  # the words the question turns on are not there
    conf *= weights.phrase_absent**s.phrases_missing  # what an English question names is not what the sentence says
    conf *= weights.place_absent**s.places_absent  # a province no indexed report is about, never named here
    conf *= weights.number_near**s.numbers_near * weights.number_absent**s.numbers_absent
    conf *= weights.year_covered**s.years_covered
    if s.aim_mismatch:
        conf *= weights.aim_mismatch
        if s.years_covered:  # and of a year whose results the report gives, not this target's year
            conf *= weights.aim_mismatch_year
    if refused(s, weights):
        conf *= weights.reader_refusal
    if 0.0 < s.subject < weights.subject_floor:  # the span is about something else (游客 for 机场旅客吞吐量)
        conf *= weights.subject_mismatch
    if s.sibling:
        conf *= weights.sibling
    if s.title_missing:
        conf *= weights.title_absent
    if s.flow:
        conf *= weights.flow_for_stock
    return conf
