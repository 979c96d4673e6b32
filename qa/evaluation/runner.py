"""The evaluation runner: ask every gold question, score each answer, aggregate overall and per language."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qa.errors import QAError
from qa.evaluation import metrics as M
from qa.evaluation.gold import KINDS, SPLITS, GoldQuestion
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
    cited_source: str = ""  # the report the answer's first citation comes from ("" when abstained)


@dataclass
class EvalResult:
    """Per-question records plus metrics for "all" and each language."""

    system: str
    records: list[QuestionRecord]
    metrics: dict[str, dict[str, Any]]
    k_values: tuple[int, ...]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[QuestionRecord]:
        return [r for r in self.records if r.cause]

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "info": self.info,
            "k_values": list(self.k_values),
            "metrics": self.metrics,
            "failures": [_failure_dict(r) for r in self.failures],
            "questions": [asdict(r) for r in self.records],
        }


def _failure_dict(r: QuestionRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "lang": r.lang,
        "cause": r.cause,
        "question": r.question,
        "expected": r.answers,
        "returned": r.answer,
        "abstained": r.abstained,
        "hit_rank": r.hit_rank,
        "top_hit": r.top_hit,
        "error": r.error,
    }


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


def score_question(
    q: GoldQuestion, ans: Answer | None, latency_ms: float, span_metrics: bool = False, error: str = ""
) -> QuestionRecord:
    """Score one answer against its gold question (`ans` None means asking raised `error`)."""
    rank = first_hit_rank(q, ans) if ans and q.answerable else None
    answered = ans is not None and not ans.abstained
    text, span = (ans.answer, ans.span) if ans else ("", "")
    correct = (
        (answered and all(M.answer_correct(text, part, span) for part in q.required))
        if q.answerable
        else bool(ans and ans.abstained)
    )
    cited = number = None
    if q.answerable and answered and ans is not None:
        cited = any(is_hit(c, q) for c in ans.citations)
        if q.type == "quantity":
            matches = [M.number_match(text, part, span) for part in q.required]
            number = None if all(m is None for m in matches) else all(m is not False for m in matches)
    if q.answerable and q.type == "quantity" and not answered:
        number = False if any(M.numbers_in(a) for a in q.answers) else None
    em = f1 = None
    if span_metrics and q.answerable:
        pred = (span or M.strip_markers(text)) if answered else ""
        em, f1 = M.cmrc_em(pred, q.answers), M.cmrc_f1(pred, q.answers)
    top = ""
    if ans and ans.hits:
        c = ans.hits[0].chunk
        top = f"{c.source}:{c.start}-{c.end} {c.text[:80]}"
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
        cited_evidence=cited,
        number_ok=number,
        latency_ms=latency_ms,
        cause=_cause(q, ans, correct, rank),
        top_hit=top,
        error=error,
        cmrc_em=em,
        cmrc_f1=f1,
        confidence=getattr(ans, "confidence", None),
        kind=q.kind,
        split=q.split,
        source=q.source,
        cited_source=ans.citations[0].source if answered and ans is not None and ans.citations else "",
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def aggregate(
    records: Sequence[QuestionRecord], k_values: Sequence[int] = (1, 3, 5, 10), span_metrics: bool = False
) -> dict[str, Any]:
    """Metrics for one group of records; a metric with nothing to count is None."""
    ans = [r for r in records if r.answerable]
    una = [r for r in records if not r.answerable]
    ranks = [r.hit_rank for r in ans]
    abstained = [r for r in records if r.abstained]
    out: dict[str, Any] = {"questions": len(records), "answerable": len(ans), "unanswerable": len(una)}
    for k in k_values:
        out[f"recall@{k}"] = M.recall_at_k(ranks, k)
    out["mrr@10"] = M.mrr(ranks, 10)
    out["answer_accuracy"] = _share([r.correct for r in ans])
    out["number_em"] = _share([r.number_ok for r in ans if r.number_ok is not None])
    out["citation_accuracy"] = _share([r.cited_evidence for r in ans if r.cited_evidence is not None])
    out["abstention_precision"] = _share([not r.answerable for r in abstained])
    out["abstention_recall"] = _share([r.abstained for r in una])
    out["false_abstention_rate"] = _share([r.abstained for r in ans])
    # abstained although the evidence was ranked first or second: the confidence, not retrieval, failed
    out["false_abstention_retrieved"] = _share([r.abstained for r in ans if r.hit_rank is not None and r.hit_rank <= 2])
    # answered from a report other than the one the question is about (multi-document sets)
    out["wrong_report_rate"] = _share([r.cited_source != r.source for r in records if r.cited_source])
    lat = [r.latency_ms for r in records]
    out["latency_p50_ms"] = M.percentile(lat, 50)
    out["latency_p95_ms"] = M.percentile(lat, 95)
    if span_metrics:
        out["cmrc_em"] = _mean([r.cmrc_em for r in ans if r.cmrc_em is not None])
        out["cmrc_f1"] = _mean([r.cmrc_f1 for r in ans if r.cmrc_f1 is not None])
    for cause in CAUSES:
        out[f"failures.{cause}"] = sum(1 for r in records if r.cause == cause)
    return out


def group_metrics(records: Sequence[QuestionRecord], k_values: Sequence[int], span_metrics: bool) -> dict[str, Any]:
    """Metrics for all records, then per language, per question kind and per split (groups that occur)."""
    groups = {"all": aggregate(records, k_values, span_metrics)}
    for attr, order in (("lang", ("en", "zh")), ("kind", KINDS), ("split", SPLITS)):
        present = {getattr(r, attr) for r in records} - {""}
        if attr != "lang" and len(present) < 2:
            continue  # one kind or one split says nothing beyond "all"
        for value in sorted(present, key=lambda v: (order.index(v) if v in order else len(order), v)):
            groups[value] = aggregate([r for r in records if getattr(r, attr) == value], k_values, span_metrics)
    return groups


def evaluate(
    ask: Callable[..., Answer],
    questions: Sequence[GoldQuestion],
    k_values: Sequence[int] = (1, 3, 5, 10),
    progress: bool = True,
    span_metrics: bool = False,
    system: str = "qa",
    warmup: bool = True,
    docs_of: Callable[[GoldQuestion], list[str]] | None = None,
) -> EvalResult:
    """Ask every question through `ask` and score it; a QAError from `ask` is recorded as an "error" failure.

    With `warmup`, the first question is asked once untimed, so lazy model loading does not count as latency.
    With `docs_of`, each question is asked as `ask(question, docs_of(question))`: limited to those documents
    (the gold passage of a SQuAD question, to measure the reader apart from retrieval).
    """
    from tqdm import tqdm

    def call(q: GoldQuestion) -> Answer:
        return ask(q.question, docs_of(q)) if docs_of is not None else ask(q.question)

    if warmup and questions:
        try:
            call(questions[0])
        except QAError:
            pass
    records = []
    for q in tqdm(questions, desc=f"eval {system}", unit="q", file=sys.stderr, disable=not progress, leave=False):
        t0 = time.perf_counter()
        try:
            ans: Answer | None = call(q)
            err = ""
        except QAError as exc:
            ans, err = None, str(exc)
        wall = (time.perf_counter() - t0) * 1000.0
        latency = float(ans.timings_ms.get("total", wall)) if ans else wall
        records.append(score_question(q, ans, latency, span_metrics, err))
    k_values = tuple(k_values)
    return EvalResult(system, records, group_metrics(records, k_values, span_metrics), k_values)
