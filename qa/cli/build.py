"""`qa build`: index documents (incremental: unchanged text is never re-embedded)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.cli.main import add_index_argument, settings_from_args
from qa.errors import InputError

EPILOG = """examples:
  qa build data/                       index every .txt/.md/.pdf/.docx under data/ into index/
  qa build data/ more/report.pdf --index /tmp/idx
  qa build data/ --embedder st:minilm  use a sentence-transformers model (id or local folder)
Unchanged documents and chunks are reused, so re-running after an edit only embeds what changed."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `build` subcommand."""
    from qa.config import Settings

    b = sub.add_parser(
        "build", help="index documents", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    b.add_argument("paths", nargs="*", type=Path, default=[Path("data")], help="files or folders (default: data)")
    add_index_argument(b)
    b.add_argument("--embedder", help="use-m3 (default), st:MODEL_OR_FOLDER, st:minilm, or fake")
    b.add_argument("--chunk-size", type=int, help=f"characters per chunk (default {Settings.chunk_size})")
    b.add_argument("--if-stale", action="store_true", help="do nothing when the index is already up to date")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build or update the index; skipped files are reported on stderr."""
    from qa.errors import IndexProblem
    from qa.index.build import build_index
    from qa.index.freshness import stale_reasons
    from qa.index.store import read_manifest

    settings = settings_from_args(args)
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
    n_chunks = sum(d["chunks"] for d in manifest["documents"].values())
    embedder = manifest["embedder"]["name"]
    print(
        f"indexed {len(manifest['documents'])} documents, {n_chunks} chunks into {args.index} "
        f"({manifest['embedded_now']} chunks embedded, embedder {embedder})"
    )
    return 0
