"""`qa ask`: answer one question, or a file of questions, with numbered citations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qa.cli.main import add_index_argument, positive_int, settings_from_args
from qa.errors import InputError

EPILOG = """examples:
  qa ask "提案立案了多少件？"
  qa ask "How many proposals were filed?" --json
  qa ask "提案立案了多少件？" --doc xixia      search only documents whose file name or title contains "xixia"
  qa ask "How many proposals were filed?" --doc a.txt --doc b.txt   search only these two documents
  qa ask --batch questions.txt --json      one question per line in, one JSON object per line out
  qa ask "全年开展了多少次专题学习？" --session chat.json
  qa ask "那交流研讨呢？" --session chat.json    a follow-up, read against the questions kept in chat.json"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `ask` subcommand."""
    from qa.config import Settings

    a = sub.add_parser(
        "ask", help="answer a question", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    a.add_argument("question", nargs="?", help="the question (Chinese or English)")
    a.add_argument("--batch", type=Path, help="file with one question per line ('-' for stdin)")
    add_index_argument(a)
    a.add_argument("--json", action="store_true", help="print the answer as JSON")
    a.add_argument("-k", type=positive_int, default=None, help=f"chunks to draw the answer from (default {Settings.k})")
    a.add_argument(
        "--doc",
        action="append",
        dest="docs",
        metavar="NAME",
        help="search only this document: its file name, part of the name, or part of its title; "
        "repeat for several (default: every indexed document)",
    )
    a.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        help="a conversation file (JSON, created if missing): the question is read against the questions kept "
        "there (follow-ups such as 那交流研讨呢？), then added to it",
    )
    a.set_defaults(func=run)


def print_answer(ans: Any, as_json: bool) -> None:
    """An answer as text (answer, then each citation with the span in 【】) or as one JSON line."""
    if as_json:
        print(json.dumps(ans.to_dict(), ensure_ascii=False), flush=True)
        return
    if ans.read_as:
        print(f"(read as: {ans.read_as})")
    print(("possibly: " if ans.uncertain else "") + ans.answer)
    if ans.from_doc:
        print(f"  from: {ans.from_doc}")
    for c in ans.citations:
        s, e = c.highlight
        snippet = c.text[:s] + "【" + c.text[s:e] + "】" + c.text[e:]
        where = f"{c.source}:{c.start}-{c.end}" + (f" § {c.section}" if c.section else "")
        print(f"  [{c.n}] {where}\n      {snippet.replace(chr(10), ' ')}")
    print(f"  ({ans.timings_ms.get('total', 0):.0f} ms)")


def run(args: argparse.Namespace) -> int:
    """Answer the question (or every line of --batch); a bad batch line does not stop the rest."""
    from qa.assistant import Assistant

    if args.batch is None and args.question is None:
        raise InputError('give a question, e.g. qa ask "提案立案了多少件？", or --batch FILE')
    if args.batch is not None and str(args.batch) != "-" and not args.batch.is_file():
        raise InputError(f"no such file: {args.batch}")
    assistant = Assistant.load(args.index, settings_from_args(args))
    if args.docs:
        assistant.scope("", args.docs)  # an unknown --doc is one error up front, not one per batch line
    if args.batch is None:
        history = load_session(args.session) if args.session else []
        ans = assistant.ask(args.question, k=args.k, docs=args.docs, history=history)
        if args.session:
            save_session(args.session, [*history, args.question.strip()])
        print_answer(ans, args.json)
        return 0
    status = 0
    for n, line in enumerate(batch_lines(read_batch(args.batch), str(args.batch)), start=1):
        q = line.strip().lstrip("\ufeff").strip() if line is not None else ""
        if line is not None and not q:
            continue
        try:
            if line is None:
                raise InputError("not valid UTF-8 text (a damaged character?): line skipped")
            print_answer(assistant.ask(q, k=args.k, docs=args.docs), args.json)
        except InputError as err:  # one bad line does not stop the batch
            status = 2
            if args.json:
                print(json.dumps({"question": q[:200], "error": str(err)}, ensure_ascii=False), flush=True)
            else:
                print(f"qa: line {n}: {err}", file=sys.stderr, flush=True)
    return status


SESSION_TURNS = 20  # questions a session file keeps (follow-ups look back a few turns at most)


def load_session(path: Path) -> list[str]:
    """The questions kept in a session file ([] when it does not exist yet); InputError when it is not one."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path} is not a qa session file (JSON): {err}") from None
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise InputError(f'{path} is not a qa session file: expected {{"questions": [...]}}')
    return questions


def save_session(path: Path, questions: list[str]) -> None:
    """Keep the last SESSION_TURNS questions in `path` (written whole to a temporary file, then renamed)."""
    data = {"questions": questions[-SESSION_TURNS:]}
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as err:
        raise InputError(f"cannot write the session file {path}: {err}") from None


def read_batch(path: Path) -> bytes | str:
    """The questions file's bytes (or stdin's: text when stdin is already text, as in tests and embedding apps)."""
    if str(path) == "-":
        raw = getattr(sys.stdin, "buffer", None)
        return raw.read() if raw is not None else sys.stdin.read()
    return path.read_bytes()


def batch_lines(data: bytes | str, name: str) -> list[str | None]:
    """The questions, one per line, decoded as documents are (UTF-8, GB18030 and other legacy encodings are
    detected; binary data is an InputError). A UTF-8 file (as many lines of non-ASCII UTF-8 as lines that are not
    UTF-8) keeps its good lines: each damaged line is None, to be named and skipped."""
    from qa.ingest.decode import decode_text

    if isinstance(data, str):
        return list(data.splitlines())
    raw_lines = data.splitlines()
    decoded: list[str | None] = []
    for raw in raw_lines:
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
    bad = decoded.count(None)
    utf8 = sum(1 for line in decoded if line is not None and not line.isascii())  # evidence the file is UTF-8
    if 0 < bad <= utf8 and b"\x00" not in data:
        return decoded
    return list(decode_text(data, "standard input" if name == "-" else name).splitlines())
