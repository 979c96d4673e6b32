"""Scoring one question: compare an answer with its gold question and record how it did and why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa.evaluation import metrics as M
from qa.evaluation.gold import GoldQuestion
from qa.types import Answer

MISS_K = 5  # a question whose evidence is not in the top MISS_K hits is a retrieval miss
CAUSES = ("retrieval miss", "extraction miss", "wrong abstention", "missing abstention", "error")


@dataclass
class QuestionRecord:
    """One question's outcome: what came back, how it scored, and why it failed (cause None = passed)."""

    id: str
    lang: str
    question: str
    type: str | None
    answers: list[str]
    answerable: bool
    answer: str
    span: str
    abstained: bool
    correct: bool
    hit_rank: int | None
    cited_evidence: bool | None
    number_ok: bool | None
    latency_ms: float
    cause: str | None
    top_hit: str = ""
    error: str = ""
    confidence: float | None = None
    cmrc_em: float | None = None
    cmrc_f1: float | None = None
    kind: str = ""
    split: str = ""
    source: str = ""  # the report the question is about
    tags: tuple[str, ...] = ()
    cited_source: str = ""  # the report the answer's first citation comes from ("" when abstained)


def _cause(q: GoldQuestion, ans: Answer | None, correct: bool, rank: int | None) -> str | None:
    if ans is None:
        return "error"
    if not q.answerable:
        return None if ans.abstained else "missing abstention"
    if correct:
        return None
    if rank is None or rank > MISS_K:
        return "retrieval miss"
    return "wrong abstention" if ans.abstained else "extraction miss"


def is_hit(item: Any, q: GoldQuestion) -> bool:
    """A chunk or citation is relevant if its text holds a gold evidence span; for SQuAD sets (answer
    positions known) also if its raw range holds at least half of an answer (long answers outgrow chunks)."""
    if M.evidence_in(item.text, q.evidence):
        return True
    if item.source != q.source:
        return False
    return any(2 * (min(e, item.end) - max(s, item.start)) >= e - s > 0 for s, e in q.positions)


def first_hit_rank(q: GoldQuestion, ans: Answer) -> int | None:
    """1-based rank of the first relevant hit, or None."""
    for rank, hit in enumerate(ans.hits, start=1):
        if is_hit(hit.chunk, q):
            return rank
    return None


def _answered(ans: Answer | None) -> bool:
    """True when an answer came back and it did not abstain."""
    return ans is not None and not ans.abstained


def _correctness(q: GoldQuestion, ans: Answer | None, text: str, span: str) -> bool:
    """An answerable question is right when the answer matches every part; an unanswerable one when it abstained."""
    if not q.answerable:
        return bool(ans and ans.abstained)
    return _answered(ans) and all(M.answer_correct(text, part, span) for part in q.required)


def _citation_check(q: GoldQuestion, ans: Answer | None) -> bool | None:
    """Whether any citation holds gold evidence (None unless an answerable question was answered)."""
    if ans is None or not q.answerable or ans.abstained:
        return None
    return any(is_hit(c, q) for c in ans.citations)


def _number_check(q: GoldQuestion, answered: bool, text: str, span: str) -> bool | None:
    """Whether a quantity answer has the right numbers (None when not a quantity question or nothing to check);
    an abstention on a quantity question whose answers hold numbers counts as wrong."""
    if not q.answerable or q.type != "quantity":
        return None
    if not answered:
        return False if any(M.numbers_in(a) for a in q.answers) else None
    matches = [M.number_match(text, part, span) for part in q.required]
    return None if all(m is None for m in matches) else all(m is not False for m in matches)


def _span_scores(q: GoldQuestion, answered: bool, text: str, span: str) -> tuple[float | None, float | None]:
    """CMRC exact match and F1 of the answer span (an abstention scores the empty prediction)."""
    pred = (span or M.strip_markers(text)) if answered else ""
    return M.cmrc_em(pred, q.answers), M.cmrc_f1(pred, q.answers)


def _top_hit(ans: Answer | None) -> str:
    """The first hit as "source:start-end text…" ("" when there are no hits)."""
    if not ans or not ans.hits:
        return ""
    c = ans.hits[0].chunk
    return f"{c.source}:{c.start}-{c.end} {c.text[:80]}"


def _cited_source(ans: Answer | None) -> str:
    """The report of the answer's first citation ("" when abstained or uncited)."""
    if ans is None or ans.abstained or not ans.citations:
        return ""
    return ans.citations[0].source


def score_question(
    q: GoldQuestion, ans: Answer | None, latency_ms: float, span_metrics: bool = False, error: str = ""
) -> QuestionRecord:
    """Score one answer against its gold question (`ans` None means asking raised `error`)."""
    rank = first_hit_rank(q, ans) if ans and q.answerable else None
    answered = _answered(ans)
    text, span = (ans.answer, ans.span) if ans else ("", "")
    correct = _correctness(q, ans, text, span)
    em, f1 = _span_scores(q, answered, text, span) if span_metrics and q.answerable else (None, None)
    return QuestionRecord(
        id=q.id,
        lang=q.lang,
        question=q.question,
        type=q.type,
        answers=list(q.answers),
        answerable=q.answerable,
        answer=text,
        span=span,
        abstained=bool(ans and ans.abstained),
        correct=correct,
        hit_rank=rank,
        cited_evidence=_citation_check(q, ans),
        number_ok=_number_check(q, answered, text, span),
        latency_ms=latency_ms,
        cause=_cause(q, ans, correct, rank),
        top_hit=_top_hit(ans),
        error=error,
        cmrc_em=em,
        cmrc_f1=f1,
        confidence=getattr(ans, "confidence", None),
        kind=q.kind,
        split=q.split,
        tags=q.tags,
        source=q.source,
        cited_source=_cited_source(ans),
    )
