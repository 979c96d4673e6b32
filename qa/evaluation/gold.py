"""The gold question set: one JSON object per line, validated on load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from qa.errors import InputError

QUESTION_TYPES = ("quantity", "when", "who", "what", "where", "unanswerable")
#: What a question tests: a plain fact, two asks in one, everyday wording, English, or no answer in its report.
KINDS = ("fact", "two-part", "paraphrase", "english", "unanswerable")
#: What a turn of a dialogue tests: its opening question, or a follow-up that changes the topic, leans on a
#: pronoun, or asks the same of another year or place.
TURN_KINDS = ("first", "topic", "pronoun", "year", "place")
#: What else a question tests, besides its kind (a question may have several or none).
TAGS = ("year", "document", "table")
SPLITS = ("tune", "holdout")
_REQUIRED = ("id", "lang", "question", "answers", "evidence", "source")


@dataclass(frozen=True)
class GoldQuestion:
    """A question with its acceptable answers (empty = unanswerable) and evidence spans of the raw source."""

    id: str
    lang: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...]
    source: str
    type: str | None = None
    paraphrased: bool = False
    positions: tuple[tuple[int, int], ...] = ()  # raw [start, end) of answers in `source` (SQuAD sets only)
    parts: tuple[tuple[str, ...], ...] = ()  # every part's acceptable answers (two-part questions); () = (answers,)
    kind: str = ""  # one of KINDS ("" when the file does not say and it cannot be derived)
    split: str = ""  # "tune" or "holdout" ("" when the file has no split)
    tags: tuple[str, ...] = ()  # of TAGS: a year's figure among several years, a document named, a table row
    history: tuple[str, ...] = ()  # a dialogue turn's earlier questions, oldest first (() for a lone question)
    read_as: str = ""  # a dialogue turn written out as a standalone question (for reading failures)

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def required(self) -> tuple[tuple[str, ...], ...]:
        """The answer parts, each a tuple of alternatives; a correct answer matches every part."""
        return self.parts or ((self.answers,) if self.answers else ())

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["answers"], d["evidence"] = list(self.answers), list(self.evidence)
        d["positions"] = [list(p) for p in self.positions]
        return d


def _string_list(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def _check_fields(obj: Any, where: str) -> None:
    """The line is an object with every required field, and the plain string fields are non-empty."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object")
    missing = [k for k in _REQUIRED if k not in obj]
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(repr(k) for k in missing)}")
    for key in ("id", "lang", "question", "source"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise InputError(f"{where}: '{key}' must be a non-empty string")


def _evidence(obj: dict[str, Any], answers: tuple[str, ...], where: str) -> tuple[str, ...]:
    """The evidence spans; an answerable question needs at least one."""
    evidence = _string_list(obj, "evidence", where)
    if answers and not evidence:
        raise InputError(f"{where}: an answerable question needs at least one 'evidence' span")
    return evidence


def _question_type(obj: dict[str, Any], answers: tuple[str, ...], where: str) -> str | None:
    """The optional 'type': one of QUESTION_TYPES, and "unanswerable" only without answers."""
    qtype = obj.get("type")
    if qtype is not None and qtype not in QUESTION_TYPES:
        raise InputError(f"{where}: 'type' must be one of {', '.join(QUESTION_TYPES)}, not {qtype!r}")
    if qtype == "unanswerable" and answers:
        raise InputError(f"{where}: type 'unanswerable' but 'answers' is not empty")
    return qtype


def _paraphrased(obj: dict[str, Any], where: str) -> bool:
    """The optional 'paraphrased' flag (default false)."""
    paraphrased = obj.get("paraphrased", False)
    if not isinstance(paraphrased, bool):
        raise InputError(f"{where}: 'paraphrased' must be true or false")
    return paraphrased


def _split(obj: dict[str, Any], where: str) -> str:
    """The optional 'split': one of SPLITS, or "" when absent."""
    split = obj.get("split", "")
    if split not in SPLITS + ("",):
        raise InputError(f"{where}: 'split' must be one of {', '.join(SPLITS)}, not {split!r}")
    return split


def _tags(obj: dict[str, Any], where: str) -> tuple[str, ...]:
    """The optional 'tags': a list of TAGS."""
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or any(t not in TAGS for t in tags):
        raise InputError(f"{where}: 'tags' must be a list of {', '.join(TAGS)}, not {tags!r}")
    return tuple(tags)


def _kind(obj: dict[str, Any], answerable: bool, paraphrased: bool, n_parts: int, where: str) -> str:
    """The 'kind' as given, or derived from the other fields when absent or empty; one of KINDS."""
    kind = obj.get("kind") or derive_kind(obj["lang"], answerable, paraphrased, n_parts)
    if kind not in KINDS:
        raise InputError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def parse_dialogue(obj: Any, where: str) -> list[GoldQuestion]:
    """A dialogue line: {"id", "split"?, "turns": [question objects with "type" of TURN_KINDS as "kind" and
    "resolved"]}; each turn is a question asked after the ones before it."""
    turns = obj.get("turns") if isinstance(obj, dict) else None
    if not isinstance(turns, list) or not turns or not isinstance(obj.get("id"), str):
        raise InputError(f"{where}: a dialogue needs an 'id' and a non-empty list of 'turns'")
    out: list[GoldQuestion] = []
    for i, turn in enumerate(turns, start=1):
        at = f"{where} turn {i}"
        if not isinstance(turn, dict) or turn.get("type") not in TURN_KINDS:
            raise InputError(f"{at}: 'type' must be one of {', '.join(TURN_KINDS)}")
        if (i == 1) != (turn["type"] == "first"):
            raise InputError(f"{at}: a dialogue opens with its one 'first' turn")
        kind = turn["type"]
        fields = {**turn, "id": f"{obj['id']}.{i}", "split": obj.get("split", ""), "type": None, "kind": ""}
        q = parse_gold_line(fields, at)
        resolved = turn.get("resolved", "")
        out.append(replace(q, kind=kind, history=tuple(t["question"] for t in turns[: i - 1]), read_as=str(resolved)))
    return out


def parse_gold_line(obj: Any, where: str) -> GoldQuestion:
    """Validate one decoded line; `where` prefixes every error ("questions.jsonl line 7")."""
    _check_fields(obj, where)
    parts = _answer_parts(obj, where)
    answers = parts[0] if parts else ()
    evidence = _evidence(obj, answers, where)
    qtype = _question_type(obj, answers, where)
    paraphrased = _paraphrased(obj, where)
    split = _split(obj, where)
    kind = _kind(obj, bool(answers), paraphrased, len(parts), where)
    return GoldQuestion(
        obj["id"],
        obj["lang"],
        obj["question"],
        answers,
        evidence,
        obj["source"],
        qtype,
        paraphrased,
        parts=parts if len(parts) > 1 else (),
        kind=kind,
        split=split,
        tags=_tags(obj, where),
    )


def derive_kind(lang: str, answerable: bool, paraphrased: bool, n_parts: int) -> str:
    """The kind of a question whose file does not say it."""
    if not answerable:
        return "unanswerable"
    if n_parts > 1:
        return "two-part"
    if lang == "en":
        return "english"
    return "paraphrase" if paraphrased else "fact"


def _answer_parts(obj: dict[str, Any], where: str) -> tuple[tuple[str, ...], ...]:
    """'answers' as parts: a list of strings is one part; a list of lists is one part per inner list."""
    value = obj["answers"]
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return tuple(_string_list({"answers": v}, "answers", where) for v in value)
    answers = _string_list(obj, "answers", where)
    return (answers,) if answers else ()


def load_gold(path: Path | str) -> list[GoldQuestion]:
    """Read and validate a gold file; raises InputError naming the file and line of the first problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"gold question file not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    questions: list[GoldQuestion] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: invalid JSON ({err.msg} at column {err.colno})") from None
        for q in (
            parse_dialogue(obj, where) if isinstance(obj, dict) and "turns" in obj else [parse_gold_line(obj, where)]
        ):
            if q.id in seen:
                raise InputError(f"{where}: duplicate id {q.id!r} (first on line {seen[q.id]})")
            seen[q.id] = number
            questions.append(q)
    if not questions:
        raise InputError(f"{path.name}: no questions found")
    return questions
