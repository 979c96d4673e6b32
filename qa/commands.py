"""The core subcommands: `qa build`, `qa ask`, `qa info`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .cli import add_index_argument
from .errors import InputError

BUILD_EPILOG = """examples:
  qa build data/                       index every .txt/.md/.pdf/.docx under data/ into index/
  qa build data/ more/report.pdf --index /tmp/idx
  qa build data/ --embedder st:minilm  use a sentence-transformers model (id or local folder)
Unchanged documents and chunks are reused, so re-running after an edit only embeds what changed."""

ASK_EPILOG = """examples:
  qa ask "提案立案了多少件？"
  qa ask "How many proposals were filed?" --json
  qa ask --batch questions.txt --json      one question per line in, one JSON object per line out"""


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    b = sub.add_parser("build", help="index documents", epilog=BUILD_EPILOG, formatter_class=fmt)
    b.add_argument("paths", nargs="*", type=Path, default=[Path("data")], help="files or folders (default: data)")
    add_index_argument(b)
    b.add_argument("--embedder", help="use-m3 (default), st:MODEL_OR_FOLDER, st:minilm, or fake")
    b.add_argument("--chunk-size", type=int, help="characters per chunk (default 250)")
    b.add_argument("--if-stale", action="store_true", help="do nothing when the index is already up to date")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=run_build)

    a = sub.add_parser("ask", help="answer a question", epilog=ASK_EPILOG, formatter_class=fmt)
    a.add_argument("question", nargs="?", help="the question (Chinese or English)")
    a.add_argument("--batch", type=Path, help="file with one question per line ('-' for stdin)")
    add_index_argument(a)
    a.add_argument("--json", action="store_true", help="print the answer as JSON")
    a.add_argument("-k", type=int, default=None, help="chunks to draw the answer from (default 5)")
    a.set_defaults(func=run_ask)

    i = sub.add_parser("info", help="describe an index")
    add_index_argument(i)
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=run_info)


def _settings(args: argparse.Namespace):  # noqa: ANN202
    from .config import Settings

    return Settings.from_env().with_overrides(
        index_dir=args.index,
        embedder=getattr(args, "embedder", None),
        chunk_size=getattr(args, "chunk_size", None),
    )


def run_build(args: argparse.Namespace) -> int:
    from .build import build_index
    from .errors import IndexProblem
    from .freshness import stale_reasons
    from .store import read_manifest

    settings = _settings(args)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    if args.if_stale:
        try:
            manifest = read_manifest(args.index)
            same_docs = {str(Path(r)) for r in manifest.get("roots", [])} >= {
                str(p.resolve()) for p in args.paths if p.is_dir()
            }
            if same_docs and manifest.get("chunker") == settings.index_params() and not stale_reasons(manifest):
                print(f"index {args.index} is up to date ({len(manifest['documents'])} documents)", file=sys.stderr)
                return 0
        except IndexProblem:
            pass
    manifest, skipped = build_index(args.paths, args.index, settings, progress=not args.quiet)
    for msg in skipped:
        print(f"qa: skipped {msg}", file=sys.stderr)
    print(
        f"indexed {len(manifest['documents'])} documents, {sum(d['chunks'] for d in manifest['documents'].values())} "
        f"chunks into {args.index} ({manifest['embedded_now']} chunks embedded, embedder {manifest['embedder']['name']})"
    )
    return 0


def _print_answer(ans, as_json: bool) -> None:  # noqa: ANN001 - Answer
    if as_json:
        print(json.dumps(ans.to_dict(), ensure_ascii=False), flush=True)
        return
    print(ans.answer)
    for c in ans.citations:
        s, e = c.highlight
        snippet = c.text[:s] + "【" + c.text[s:e] + "】" + c.text[e:]
        where = f"{c.source}:{c.start}-{c.end}" + (f" § {c.section}" if c.section else "")
        print(f"  [{c.n}] {where}\n      {snippet.replace(chr(10), ' ')}")
    print(f"  ({ans.timings_ms.get('total', 0):.0f} ms)")


def run_ask(args: argparse.Namespace) -> int:
    from .assistant import Assistant

    if args.batch is None and args.question is None:
        raise InputError('give a question, e.g. qa ask "提案立案了多少件？", or --batch FILE')
    if args.batch is not None and str(args.batch) != "-" and not args.batch.is_file():
        raise InputError(f"no such file: {args.batch}")
    assistant = Assistant.load(args.index, _settings(args))
    if args.batch is None:
        _print_answer(assistant.ask(args.question, k=args.k), args.json)
        return 0
    stream = sys.stdin if str(args.batch) == "-" else open(args.batch, encoding="utf-8")
    status = 0
    with stream:
        for line in stream:
            q = line.strip()
            if not q:
                continue
            try:
                _print_answer(assistant.ask(q, k=args.k), args.json)
            except InputError as err:  # one bad line does not stop the batch
                status = 2
                out = {"question": q[:200], "error": str(err)}
                print(json.dumps(out, ensure_ascii=False) if args.json else f"qa: {err}", flush=True)
    return status


def run_info(args: argparse.Namespace) -> int:
    from .store import current_build, disk_size, read_manifest

    manifest = read_manifest(args.index)
    docs = manifest.get("documents", {})
    info = {
        "index": str(args.index),
        "build": current_build(args.index).name,  # type: ignore[union-attr]
        "built_at": manifest.get("built_at"),
        "embedder": manifest["embedder"],
        "chunker": manifest.get("chunker"),
        "documents": len(docs),
        "chunks": manifest.get("n_chunks"),
        "size_bytes": disk_size(args.index),
        "versions": manifest.get("versions"),
        "sources": [{"source": s, "chunks": d.get("chunks"), "size": d.get("size")} for s, d in sorted(docs.items())],
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"index      {info['index']} ({info['build']}, built {info['built_at']})")
    print(f"embedder   {info['embedder']['name']} (dim {info['embedder']['dim']})")
    print(f"chunker    {info['chunker']}")
    print(f"documents  {info['documents']}, chunks {info['chunks']}, {info['size_bytes'] / 1024:.0f} KiB on disk")
    for s in info["sources"]:
        print(f"  {s['source']}: {s['chunks']} chunks, {s['size']:,} bytes")
    return 0
