"""Sanity checks for the gold evaluation set in eval/questions.jsonl."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
GOLD = ROOT / "eval" / "questions.jsonl"
DATA = ROOT / "data"
TYPES = {"quantity", "when", "who", "what", "where", "unanswerable"}
FIELDS = {
    "id": str,
    "lang": str,
    "question": str,
    "answers": list,
    "evidence": list,
    "source": str,
    "type": str,
    "paraphrased": bool,
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = []
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"blank line {n}"
        out.append(json.loads(line))
    return out


def test_fields_and_types(rows: list[dict]) -> None:
    for r in rows:
        assert set(r) == set(FIELDS), r.get("id")
        for key, typ in FIELDS.items():
            assert isinstance(r[key], typ), (r["id"], key)
        assert r["lang"] in {"zh", "en"}, r["id"]
        assert r["type"] in TYPES, r["id"]
        assert r["question"].strip(), r["id"]
        assert all(isinstance(a, str) and a.strip() for a in r["answers"]), r["id"]
        assert all(isinstance(e, str) and e.strip() for e in r["evidence"]), r["id"]
        assert (DATA / r["source"]).is_file(), r["id"]
        unanswerable = r["type"] == "unanswerable"
        assert (r["answers"] == []) == unanswerable, r["id"]
        assert (r["evidence"] == []) == unanswerable, r["id"]


def test_ids_unique(rows: list[dict]) -> None:
    dupes = [k for k, v in Counter(r["id"] for r in rows).items() if v > 1]
    assert not dupes


def test_counts(rows: list[dict]) -> None:
    zh = [r for r in rows if r["lang"] == "zh" and r["answers"]]
    en = [r for r in rows if r["lang"] == "en" and r["answers"]]
    assert len(zh) >= 45
    assert sum(r["paraphrased"] for r in zh) >= 15
    assert len(en) >= 18
    assert sum(1 for r in rows if not r["answers"]) >= 12


def test_evidence_in_source(rows: list[dict]) -> None:
    cache: dict[str, str] = {}
    for r in rows:
        raw = cache.setdefault(r["source"], _flat((DATA / r["source"]).read_text(encoding="utf-8")))
        for ev in r["evidence"]:
            assert _flat(ev) in raw, (r["id"], ev)
            assert 15 <= len(_flat(ev)) <= 80, (r["id"], ev)


def test_canonical_answer_supported(rows: list[dict]) -> None:
    for r in rows:
        if not r["answers"]:
            continue
        answer = _flat(r["answers"][0])
        raw = _flat((DATA / r["source"]).read_text(encoding="utf-8"))
        assert any(answer in _flat(ev) for ev in r["evidence"]) or answer in raw, r["id"]
