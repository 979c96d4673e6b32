"""The `qa` command: build, ask, info, eval, serve, models. Thin: every command calls the library."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from qa.errors import QAError

EPILOG = """examples:
  qa build data/                                   index the bundled report into index/
  qa ask "西夏区政协五届三次会议和闭会期间共立案多少件提案？"
  qa ask "How many proposals were filed?" --json
  qa ask --batch questions.txt --json > answers.jsonl
  qa info
  qa eval                                          score eval/questions.jsonl
  qa serve                                         open the chat on http://127.0.0.1:7860
exit codes: 0 ok, 2 bad usage or input, 3 index missing, stale, corrupt or busy, 4 the index could not be written
"""

#: Subcommands implemented in their own modules, each exposing register(subparsers).
COMMAND_MODULES = ("qa.cli.build", "qa.cli.ask", "qa.cli.info", "qa.cli.evaluate", "qa.cli.serve", "qa.cli.models")


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"qa: error: {message} (see qa --help)\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="qa",
        description="Offline question answering over Chinese reports, with cited answers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from qa import __version__

    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = make_parser()  # reads QA_* defaults: a bad value is one line, exit 2
    except QAError as err:
        print(f"qa: error: {err}", file=sys.stderr)
        return err.exit_code
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except QAError as err:
        if getattr(args, "json", False) is True:
            print(json.dumps({"error": str(err), "exit_code": err.exit_code}, ensure_ascii=False))
        print(f"qa: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def add_index_argument(parser: argparse.ArgumentParser) -> None:
    """The `--index DIR` option every subcommand shares: default $QA_INDEX_DIR or ./index."""
    from qa.config import Settings

    parser.add_argument(
        "--index",
        type=Path,
        default=Settings.from_env().index_dir,
        metavar="DIR",
        help="index folder (default: %(default)s)",
    )


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1")
    return value


def settings_from_args(args: argparse.Namespace) -> Any:
    """Settings from the environment, overridden by the options a subcommand was given."""
    from qa.config import Settings

    return Settings.from_env().with_overrides(
        index_dir=getattr(args, "index", None),
        embedder=getattr(args, "embedder", None),
        chunk_size=getattr(args, "chunk_size", None),
    )
