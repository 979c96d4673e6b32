"""`qa eval`: measure the assistant on gold questions or a SQuAD-format dataset (thin: the work is elsewhere)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qa.cli.main import add_index_argument
from qa.errors import InputError

EPILOG = """\
examples:
  qa eval                                   # eval/questions.jsonl against ./index
  qa eval my_questions.jsonl --index idx    # your own gold file
  qa eval --json out/eval.json --report out/eval_report
  qa eval --baseline tutorial               # compare with the usual tutorial RAG stack
  qa eval --squad ../shared/benchmarks/cmrc2018_trial.json --limit 200
  qa eval --squad ../shared/benchmarks/cmrc2018_trial.json --gold-passage   # the reader alone, no retrieval

The gold file is JSON Lines (see eval/README.md). Failed questions are listed with their cause:
retrieval miss, extraction miss, wrong abstention, missing abstention (or error).
"""


def register(subparsers: Any) -> None:
    """Add the `eval` subcommand."""
    p = subparsers.add_parser(
        "eval",
        help="measure answer quality on gold questions",
        epilog=EPILOG,
        description="Ask every gold question, print retrieval/answer/citation/abstention metrics and latency, "
        "overall and per language, then every failed question and why it failed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "file",
        nargs="?",
        default="eval/questions.jsonl",
        metavar="FILE",
        help="gold questions, JSON Lines (default: eval/questions.jsonl)",
    )
    add_index_argument(p)
    p.add_argument("--squad", metavar="FILE", help="evaluate on a SQuAD-format json instead (builds a cached index)")
    p.add_argument(
        "--gold-passage",
        action="store_true",
        help="SQuAD sets: ask each question of its own passage only (reader quality without retrieval)",
    )
    p.add_argument("--baseline", choices=["tutorial"], help="also run the tutorial RAG stack and compare")
    p.add_argument("--json", dest="json_path", metavar="PATH", help="write metrics, failures and every answer as JSON")
    p.add_argument("--report", dest="report_dir", metavar="DIR", help="write an HTML report with plots into DIR")
    p.add_argument("-k", dest="k", type=int, metavar="N", help="chunks given to the answerer (default: settings.k)")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N questions")
    p.add_argument("--split", choices=["tune", "holdout"], help="only the questions of this split")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run the evaluation and print the table and failures; raises QAError for the CLI to map."""
    from qa.config import Settings
    from qa.evaluation.runner import evaluate
    from qa.evaluation.table import format_failures, format_table, to_json

    if (args.k is not None and args.k < 1) or (args.limit is not None and args.limit < 1):
        raise InputError("-k and --limit must be positive numbers")
    progress = not args.no_progress
    settings = Settings.from_env()
    info: dict[str, Any] = {}
    if args.squad:
        from qa.evaluation.squad import ensure_index, load_squad

        dataset = load_squad(args.squad)
        index_dir, build = ensure_index(dataset, settings, progress=progress)
        how = "reused cached index" if build["cached"] else "built index"
        _say(
            f"{dataset.name}: {len(dataset.questions)} questions, {len(dataset.documents)} contexts; "
            f"{how} (build {build['build_seconds']:.1f} s) in {index_dir}"
        )
        questions, docs = dataset.questions, dataset.documents
        info.update(build, dataset=str(args.squad), skipped_questions=dataset.skipped)
    else:
        from qa.evaluation.gold import load_gold

        questions, docs = load_gold(args.file), None
        index_dir = Path(args.index)
        info.update(dataset=str(args.file), index_dir=str(index_dir))
    if args.split:  # a dialogue's turns share its split, so its earlier questions are always asked as history
        questions = [q for q in questions if q.split == args.split]
        if not questions:
            raise InputError(f"no question of the {args.split!r} split in {args.file}")
    questions = questions[: args.limit] if args.limit else questions

    from qa.assistant import Assistant

    settings = settings.with_overrides(index_dir=index_dir)
    assistant = Assistant.load(index_dir, settings, check_sources=not args.squad)  # SQuAD contexts are no files
    if args.gold_passage and not args.squad:
        raise InputError("--gold-passage needs --squad (gold sets have no single passage per question)")
    docs_of = (lambda q: [q.source]) if args.gold_passage else None
    result = evaluate(
        lambda q, docs=None, history=(): assistant.ask(q, k=args.k, docs=docs, history=history),
        questions,
        progress=progress,
        span_metrics=bool(args.squad),
        system="qa" + (" (gold passage)" if args.gold_passage else ""),
        docs_of=docs_of,
    )
    result.info.update(info, k=args.k or settings.k)

    baseline = None
    if args.baseline == "tutorial":
        from qa.evaluation.baseline import TutorialBaseline, documents_of_index

        tutorial = TutorialBaseline(docs if docs is not None else documents_of_index(index_dir))
        baseline = evaluate(tutorial, questions, progress=progress, span_metrics=bool(args.squad), system="tutorial")
        baseline.info.update(build_seconds=round(tutorial.build_seconds, 2), chunks=len(tutorial.chunks))

    if args.json_path:
        path = Path(args.json_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(to_json(result, baseline), ensure_ascii=False, indent=1), encoding="utf-8")
        _say(f"wrote {path}")
    if args.report_dir:
        from qa.evaluation.report import write_report

        # the same questions with abstention off, for the precision/recall curve of the confidence
        open_settings = settings.with_overrides(abstain_threshold=0.0)
        everything = Assistant.load(index_dir, open_settings, check_sources=not args.squad)
        curve = evaluate(
            lambda q, docs=None, history=(): everything.ask(q, k=args.k, docs=docs, history=history),
            questions,
            progress=progress,
            span_metrics=bool(args.squad),
            system="qa (no abstention)",
            docs_of=docs_of,
        )
        threshold = assistant.resources.threshold
        _say(f"wrote {write_report(result, args.report_dir, baseline, curve, threshold)}")
    print(format_table(result, baseline))
    print()
    print(format_failures(result))
    return 0
