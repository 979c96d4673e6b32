"""`qa info`: what an index holds (documents, chunks, embedder, size on disk)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from qa.cli.main import add_index_argument


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `info` subcommand."""
    i = sub.add_parser(
        "info",
        help="describe an index",
        epilog="example:\n  qa info --index index --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_index_argument(i)
    i.add_argument("--json", action="store_true", help="print the description as JSON")
    i.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the live build's manifest summary."""
    from qa.config import Settings
    from qa.index.loaded import load_index
    from qa.index.store import current_build, disk_size

    data = load_index(args.index, load_graphs=False)  # every file is opened and checked: damage is exit 3
    manifest = data.manifest
    docs = manifest.documents
    build = current_build(args.index)
    info: dict[str, Any] = {
        "index": str(args.index),
        "build": build.name if build else None,
        "built_at": manifest.built_at,
        "embedder": manifest.embedder.to_dict(),
        "chunker": manifest.contract,
        "documents": len(docs),
        "chunks": manifest.n_chunks,
        "segments": [
            {
                "name": seg.name,
                "rows": seg.rows,
                "hnsw": bool(seg.info.get("hnsw")),
                "deleted": len(m.get("deleted", [])),
            }
            for seg, m in zip(data.segments, manifest.segments, strict=True)
        ],
        "backend": manifest.backend,
        "size_bytes": disk_size(args.index),
        "versions": manifest.versions,
        "sources": [
            {"source": s, "chunks": d.get("chunks"), "size": d.get("size"), **_identity(data.metas.get(s))}
            for s, d in sorted(docs.items())
        ],
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"index      {info['index']} ({info['build']}, built {info['built_at']})")
    note = ""
    if info["chunker"] and info["chunker"] != Settings.from_env().index_params():
        note = "; stale for the current settings: `qa build` re-embeds or re-chunks what changed"
    print(f"embedder   {info['embedder']['name']} (dim {info['embedder']['dim']}{note})")
    print(f"chunker    {info['chunker']}")
    print(f"documents  {info['documents']}, chunks {info['chunks']}, {info['size_bytes'] / 1024:.0f} KiB on disk")
    print(f"storage    {info['backend']['name']}, {len(info['segments'])} segments")
    for s in info["sources"]:
        print(f"  {s['source']}: {s['chunks']} chunks, {s['size']:,} bytes")
        if s.get("label"):
            print(f"    《{s['label']}》 {s['about']}")
    return 0


def _identity(meta: Any) -> dict[str, Any]:
    """What identifies a document (qa.ingest.metadata.DocMeta): its label, title, places and the rest."""
    if meta is None:
        return {}
    return {"label": meta.label, "about": meta.about(), "title": meta.title, "places": list(meta.places),
            "genre": meta.genre, "issuer": meta.issuer, "level": meta.level, "published": meta.published,
            "results": list(meta.results), "targets": list(meta.targets)}  # fmt: skip
