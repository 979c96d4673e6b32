"""Rules alone, the reader's span first, and the reader alone, side by side on every set (issue 17's table).

    python eval/reader_table.py --split holdout                 # gold, multi-document, genres, CMRC trial, DRCD
    python eval/reader_table.py --sets gold,cmrc --limit 200    # some sets, fewer questions each

Sets: `gold` (eval/questions.jsonl over data/), `multidoc` (eval/multidoc.jsonl over the 2026 reports and
data/), `genres` (eval/genres.jsonl over every development corpus and data/), `cmrc` (CMRC 2018 trial, open
retrieval over its 256 passages), `cmrc-gold` (each trial question asked of its own passage), `drcd` (the
reader's held-out tenth of DRCD, open retrieval). Indexes are built once and cached (the gold set's in index/,
the others under ~/.cache/qa). Systems: `rules` (QA_READER=none), `combined` (the shipped reader, its span first
when sure and of the asked kind, else the rules), `reader` (its span whenever it has one of the asked kind:
reader_min 0). Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

READER = os.environ.get("QA_READER_WEIGHTS", "default")  # a weights folder to measure instead of the shipped one
ALL_TYPES = ("quantity", "when", "who", "where", "alias", "contact", "what")
SYSTEMS = {
    "rules": ("none", {}),
    "combined": (READER, {}),
    "reader": (READER, {"reader_min": 0.0, "reader_types": ALL_TYPES}),
}
METRICS = (
    ("answer_accuracy", "accuracy"),
    ("cmrc_em", "EM"),
    ("cmrc_f1", "F1"),
    ("abstention_precision", "abst. P"),
    ("abstention_recall", "abst. R"),
    ("false_abstention_retrieved", "false abst. (evidence top 3)"),
    ("latency_p50_ms", "p50 ms"),
)


def _settings(system: str, index_dir: Path) -> Any:
    from qa.config import Settings

    reader, weights = SYSTEMS[system]
    s = Settings.from_env().with_overrides(index_dir=index_dir, reader=reader)
    return replace(s, weights=replace(s.weights, **weights)) if weights else s


def _drcd_file(folder: Path) -> Path:
    """The reader's held-out DRCD tenth as a SQuAD file (Simplified Chinese)."""
    from qa.reader.data import drcd_holdout

    data: dict[str, Any] = {}
    for e in drcd_holdout():
        art = data.setdefault(e.passage, {"context": e.passage, "qas": []})
        art["qas"].append({"id": e.id, "question": e.question,
                           "answers": [{"text": t, "answer_start": s} for t, s in e.answers]})  # fmt: skip
    path = folder / "drcd_holdout.json"
    squad = {"data": [{"title": "drcd", "paragraphs": list(data.values())}]}
    path.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    return path


def _set(name: str, tmp: Path) -> tuple[Path, list[Any], bool]:
    """(index folder, questions, whether SQuAD) for a named set, building the index when needed."""
    from qa.evaluation.corpora import CMRC_TRIAL, SETS, index_for
    from qa.evaluation.gold import load_gold
    from qa.evaluation.squad import ensure_index, load_squad

    if name in SETS:
        return index_for(name), load_gold(SETS[name].file), False
    dataset = load_squad(CMRC_TRIAL if name.startswith("cmrc") else _drcd_file(tmp))
    return ensure_index(dataset)[0], dataset.questions, True


def main() -> None:
    from qa.assistant import Assistant
    from qa.evaluation.runner import evaluate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="gold,multidoc,genres,cmrc,cmrc-gold,drcd")
    parser.add_argument("--systems", default="rules,combined,reader")
    parser.add_argument("--split", default="holdout", help="holdout, tune or all (gold files only)")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            index_dir, questions, squad = _set(name, Path(tmp))
            if not squad and args.split != "all":
                questions = [q for q in questions if q.split == args.split]
            if args.limit:
                questions = questions[: args.limit]
            for system in args.systems.split(","):
                a = Assistant.load(index_dir, _settings(system, index_dir), check_sources=not squad)
                docs_of = (lambda q: [q.source]) if name == "cmrc-gold" else None
                res = evaluate(a.ask, questions, progress=False, span_metrics=squad, system=system, docs_of=docs_of)
                m = res.metrics["all"]
                rows.append((name, system, len(questions), [m.get(k) for k, _ in METRICS]))
                print(f"{name} {system}: {json.dumps({k: m.get(k) for k, _ in METRICS})}", file=sys.stderr)
    head = "| set | system | n | " + " | ".join(label for _k, label in METRICS) + " |"
    print(head + "\n|" + "---|" * (3 + len(METRICS)))
    for name, system, n, values in rows:
        cells = ["" if v is None else f"{v:.0f}" if k.startswith("latency") else f"{v:.3f}"
                 for (k, _l), v in zip(METRICS, values, strict=True)]  # fmt: skip
        print(f"| {name} | {system} | {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
