"""Sanity checks for the gold evaluation set in eval/questions.jsonl (read through the evaluator's own loader)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from qa.evaluation.gold import KINDS, GoldQuestion, load_gold

ROOT = Path(__file__).parents[2]
GOLD = ROOT / "eval" / "questions.jsonl"
DATA = ROOT / "data"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def questions() -> list[GoldQuestion]:
    return load_gold(GOLD)


def test_fields_and_types(questions: list[GoldQuestion]) -> None:
    for q in questions:
        assert q.lang in {"zh", "en"}, q.id
        assert q.kind in KINDS, q.id
        assert q.split in {"tune", "holdout"}, q.id
        assert (DATA / q.source).is_file(), q.id
        unanswerable = q.type == "unanswerable"
        assert (not q.answerable) == unanswerable == (q.kind == "unanswerable"), q.id
        assert (not q.evidence) == unanswerable, q.id


def test_counts(questions: list[GoldQuestion]) -> None:
    zh = [q for q in questions if q.lang == "zh" and q.answerable]
    en = [q for q in questions if q.lang == "en" and q.answerable]
    assert len(zh) >= 45
    assert sum(q.paraphrased for q in zh) >= 15
    assert len(en) >= 18
    assert sum(1 for q in questions if not q.answerable) >= 12


def test_holdout_is_at_least_40_percent_of_every_kind(questions: list[GoldQuestion]) -> None:
    by_kind = Counter(q.kind for q in questions)
    held = Counter(q.kind for q in questions if q.split == "holdout")
    assert sum(held.values()) >= 0.4 * len(questions)
    for kind, n in by_kind.items():
        assert held[kind] >= 0.4 * n, kind


def test_evidence_in_source(questions: list[GoldQuestion]) -> None:
    for q in questions:
        raw = _flat((DATA / q.source).read_text(encoding="utf-8"))
        for ev in q.evidence:
            assert _flat(ev) in raw, (q.id, ev)
            assert 15 <= len(_flat(ev)) <= 80, (q.id, ev)


def test_every_canonical_answer_is_in_its_evidence(questions: list[GoldQuestion]) -> None:
    for q in questions:
        for part in q.required:
            assert any(_flat(part[0]) in _flat(ev) for ev in q.evidence), (q.id, part[0])
