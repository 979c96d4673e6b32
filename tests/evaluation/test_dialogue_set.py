"""The dialogue gold set (eval/dialogues.jsonl) loads as turns asked after the ones before them."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from qa.errors import InputError
from qa.evaluation.gold import TURN_KINDS, load_gold

ROOT = Path(__file__).resolve().parents[2]
DIALOGUES = ROOT / "eval" / "dialogues.jsonl"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_dialogue_set_has_every_turn_type_in_both_splits() -> None:
    turns = load_gold(DIALOGUES)
    assert len(turns) >= 60
    assert {t.kind for t in turns} == set(TURN_KINDS)
    assert {t.split for t in turns} == {"tune", "holdout"}
    by_dialogue = Counter(t.id.split(".")[0] for t in turns)
    assert len(by_dialogue) >= 30
    for t in turns:
        n = int(t.id.split(".")[1])
        assert len(t.history) == n - 1 and (t.kind == "first") == (n == 1), t.id
        for part in t.required:  # each part's canonical answer is quoted in the turn's evidence
            assert any(squash(part[0]) in squash(e) for e in t.evidence), t.id


def test_a_dialogue_that_does_not_open_with_its_first_question_is_refused(tmp_path: Path) -> None:
    turn = {
        "question": "那交流研讨呢？",
        "lang": "zh",
        "answers": ["8次"],
        "evidence": ["交流研讨8次"],
        "source": "a.txt",
    }
    bad = tmp_path / "d.jsonl"
    bad.write_text(json.dumps({"id": "d-1", "turns": [{**turn, "type": "topic"}]}, ensure_ascii=False) + "\n")
    with pytest.raises(InputError, match="line 1 turn 1: a dialogue opens with its one 'first' turn"):
        load_gold(bad)
    bad.write_text(json.dumps({"id": "d-1", "turns": [{**turn, "type": "sideways"}]}) + "\n")
    with pytest.raises(InputError, match="'type' must be one of first, topic, pronoun, year, place"):
        load_gold(bad)
