"""The evaluation runner: ask every gold question, score each answer, aggregate overall and per language."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qa.errors import QAError
from qa.evaluation import metrics as M
from qa.evaluation.gold import KINDS, SPLITS, TAGS, GoldQuestion
from qa.evaluation.scoring import CAUSES, QuestionRecord, score_question
from qa.types import Answer


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


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _counts(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """How many questions, and how many of them answerable and unanswerable."""
    answerable = sum(1 for r in records if r.answerable)
    return {"questions": len(records), "answerable": answerable, "unanswerable": len(records) - answerable}


def _retrieval_metrics(ans: Sequence[QuestionRecord], k_values: Sequence[int]) -> dict[str, Any]:
    """Recall@k for each k, then MRR@10, over the answerable questions."""
    ranks = [r.hit_rank for r in ans]
    out: dict[str, Any] = {f"recall@{k}": M.recall_at_k(ranks, k) for k in k_values}
    out["mrr@10"] = M.mrr(ranks, 10)
    return out


def _answer_metrics(ans: Sequence[QuestionRecord]) -> dict[str, Any]:
    """Answer accuracy, number exact match and citation accuracy over the answerable questions."""
    return {
        "answer_accuracy": _share([r.correct for r in ans]),
        "number_em": _share([r.number_ok for r in ans if r.number_ok is not None]),
        "citation_accuracy": _share([r.cited_evidence for r in ans if r.cited_evidence is not None]),
    }


def _abstention_metrics(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """How well abstaining tracks unanswerability: precision, recall, and false abstentions."""
    ans = [r for r in records if r.answerable]
    return {
        "abstention_precision": _share([not r.answerable for r in records if r.abstained]),
        "abstention_recall": _share([r.abstained for r in records if not r.answerable]),
        "false_abstention_rate": _share([r.abstained for r in ans]),
        # abstained although the evidence was ranked first or second: the confidence, not retrieval, failed
        "false_abstention_retrieved": _share([r.abstained for r in ans if r.hit_rank is not None and r.hit_rank <= 2]),
    }


def _wrong_report_rate(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """How often an answer came from a report other than the one the question is about (multi-document sets)."""
    return {"wrong_report_rate": _share([r.cited_source != r.source for r in records if r.cited_source])}


def _latency_metrics(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """Median and 95th-percentile latency in milliseconds."""
    lat = [r.latency_ms for r in records]
    return {"latency_p50_ms": M.percentile(lat, 50), "latency_p95_ms": M.percentile(lat, 95)}


def _span_metrics(ans: Sequence[QuestionRecord]) -> dict[str, Any]:
    """Mean CMRC exact match and F1 over the answerable questions that have them."""
    return {
        "cmrc_em": _mean([r.cmrc_em for r in ans if r.cmrc_em is not None]),
        "cmrc_f1": _mean([r.cmrc_f1 for r in ans if r.cmrc_f1 is not None]),
    }


def _failure_counts(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """The number of failures of each cause, in CAUSES order."""
    return {f"failures.{cause}": sum(1 for r in records if r.cause == cause) for cause in CAUSES}


def aggregate(
    records: Sequence[QuestionRecord], k_values: Sequence[int] = (1, 3, 5, 10), span_metrics: bool = False
) -> dict[str, Any]:
    """Metrics for one group of records; a metric with nothing to count is None."""
    ans = [r for r in records if r.answerable]
    out: dict[str, Any] = {
        **_counts(records),
        **_retrieval_metrics(ans, k_values),
        **_answer_metrics(ans),
        **_abstention_metrics(records),
        **_wrong_report_rate(records),
        **_latency_metrics(records),
    }
    if span_metrics:
        out.update(_span_metrics(ans))
    out.update(_failure_counts(records))
    return out


def group_metrics(records: Sequence[QuestionRecord], k_values: Sequence[int], span_metrics: bool) -> dict[str, Any]:
    """Metrics for all records, then per language, per question kind, per split and per tag (`#year`; groups
    that occur)."""
    groups = {"all": aggregate(records, k_values, span_metrics)}
    for attr, order in (("lang", ("en", "zh")), ("kind", KINDS), ("split", SPLITS)):
        present = {getattr(r, attr) for r in records} - {""}
        if attr != "lang" and len(present) < 2:
            continue  # one kind or one split says nothing beyond "all"
        for value in sorted(present, key=lambda v: (order.index(v) if v in order else len(order), v)):
            groups[value] = aggregate([r for r in records if getattr(r, attr) == value], k_values, span_metrics)
    for tag in TAGS:
        tagged = [r for r in records if tag in r.tags]
        if tagged:
            groups[f"#{tag}"] = aggregate(tagged, k_values, span_metrics)
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
        if docs_of is not None:
            return ask(q.question, docs=docs_of(q))
        return ask(q.question, history=q.history) if q.history else ask(q.question)

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
