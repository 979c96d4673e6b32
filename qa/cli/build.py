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
  qa build data/ --backend milvus      vectors and full text in Milvus Lite (index/milvus.db); pip install qa[milvus]
  qa build data/ --backend milvus --milvus-uri http://milvus:19530   a Milvus server or cluster
  qa build --compact                   merge small segments (nothing is re-embedded)
Unchanged documents and chunks are reused, so re-running after an edit only embeds what changed.
Exit code 3 when another build or update of the same index is running (the index is busy)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `build` subcommand."""
    from qa.config import Settings

    b = sub.add_parser(
        "build", help="index documents", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    b.add_argument("paths", nargs="*", type=Path, default=[Path("data")], help="files or folders (default: data)")
    add_index_argument(b)
    b.add_argument(
        "--embedder", help="e5-small (default), use (USE multilingual v3), st:MODEL_OR_FOLDER, st:minilm, or fake"
    )
    b.add_argument("--chunk-size", type=int, help=f"characters per chunk (default {Settings.chunk_size})")
    b.add_argument("--if-stale", action="store_true", help="do nothing when the index is already up to date")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument(
        "--backend",
        choices=("embedded", "milvus"),
        help="where vectors are searched (default: as before, else embedded)",
    )
    b.add_argument("--milvus-uri", help="Milvus Lite file (relative to the index folder) or server URI")
    b.add_argument("--compact", action="store_true", help="merge the index's small segments, then stop")
    b.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another build to finish (default 0)")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build or update the index; skipped files are reported on stderr."""
    from qa.index.build import build_index, check_settings, compact

    settings = settings_from_args(args)
    check_settings(settings)
    if args.index.exists() and not args.index.is_dir():
        raise InputError(f"--index {args.index} is a file, not a folder")
    if args.compact:
        manifest = compact(args.index, wait=args.wait)
        print(f"compacted {args.index}: {len(manifest.segments)} segments, {manifest.n_chunks} chunks")
        return 0
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    backend = None
    if args.backend == "milvus" or args.milvus_uri:
        from qa.index.backends import milvus_config, require_milvus

        require_milvus()
        backend = milvus_config(args.milvus_uri or "milvus.db", args.index)
    elif args.backend == "embedded":
        backend = {"name": "embedded"}
    if args.if_stale:
        from qa.index.freshness import is_up_to_date

        current, n_docs = is_up_to_date(args.index, args.paths, settings.index_params(), backend)
        if current:
            print(f"index {args.index} is up to date ({n_docs} document{'' if n_docs == 1 else 's'})", file=sys.stderr)
            return 0
    manifest, skipped = build_index(
        args.paths, args.index, settings, progress=not args.quiet, wait=args.wait, backend=backend
    )
    for msg in skipped:
        print(f"qa: skipped {msg}", file=sys.stderr)
    for line in manifest.changes.lines() if manifest.changes else ():
        print(f"qa: {line}", file=sys.stderr)
    n = len(manifest.documents)
    print(
        f"indexed {n} document{'' if n == 1 else 's'}, {manifest.n_chunks} chunks into {args.index} "
        f"({manifest.embedded_now} chunks embedded, embedder {manifest.embedder.name})"
    )
    return 0
