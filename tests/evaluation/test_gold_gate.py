"""Regression gate: the real assistant on the holdout split of eval/questions.jsonl stays above the agreed thresholds.

The tune split is what development looks at; the holdout split is only measured, here and in `qa eval`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.evaluation.gold import load_gold
from qa.evaluation.runner import EvalResult, evaluate
from qa.evaluation.table import format_failures

ROOT = Path(__file__).parents[2]
GOLD = ROOT / "eval" / "questions.jsonl"
DATA = ROOT / "data"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> EvalResult:
    from qa.assistant import Assistant
    from qa.index.build import build_index

    index_dir = tmp_path_factory.mktemp("gate") / "index"
    build_index([DATA], index_dir)  # the real default embedder
    assistant = Assistant.load(index_dir)
    holdout = [q for q in load_gold(GOLD) if q.split == "holdout"]
    return evaluate(assistant.ask, holdout, progress=False)


def _check(result: EvalResult, lang: str, key: str, ok: Callable[[float], bool], wanted: str) -> None:
    value = result.metrics[lang][key]
    shown = "-" if value is None else f"{value:.3f}"
    assert value is not None and ok(value), f"{key} ({lang}) = {shown}, wanted {wanted}\n{format_failures(result)}"


# 12 answerable English questions in the holdout: one question moves recall by 0.083, so 0.75 allows three misses
# (e5-small finds 9 of 12 in its top 5, USE-m3 found 11: README "Measured").
@pytest.mark.parametrize(("lang", "minimum"), [("zh", 0.95), ("en", 0.75)])
def test_retrieval_recall_at_5(result: EvalResult, lang: str, minimum: float) -> None:
    _check(result, lang, "recall@5", lambda v: v >= minimum, f">= {minimum}")


@pytest.mark.parametrize(("lang", "minimum"), [("zh", 0.85), ("en", 0.70)])
def test_answer_accuracy(result: EvalResult, lang: str, minimum: float) -> None:
    _check(result, lang, "answer_accuracy", lambda v: v >= minimum, f">= {minimum}")


# 7 unanswerable holdout questions: 0.70 is 5 of them. USE-m3 abstained on all 7; e5-small's higher cosines for
# on-topic questions the report cannot answer (a 2023 figure, the district's GDP) let 2 through (README "Measured").
def test_abstains_on_unanswerable_questions(result: EvalResult) -> None:
    _check(result, "all", "abstention_recall", lambda v: v >= 0.70, ">= 0.70")


def test_rarely_abstains_on_answerable_questions(result: EvalResult) -> None:
    _check(result, "all", "false_abstention_rate", lambda v: v <= 0.05, "<= 0.05")
