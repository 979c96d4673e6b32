"""Is an index still in step with its source files? Compares the manifest with the disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _hash_file_text(path: Path) -> str | None:
    from qa.errors import InputError
    from qa.ingest.readers import content_hash, load_document

    try:
        doc = load_document(path)
    except InputError:
        return None
    return content_hash(doc.raw_text)


def stale_reasons(manifest: dict[str, Any]) -> list[str]:
    """Why the index no longer matches its sources (empty when it does)."""
    from qa.ingest.readers import SUPPORTED_SUFFIXES

    reasons: list[str] = []
    known = set()
    sources = set(manifest.get("documents", {})) | set(manifest.get("excluded", []))
    for source, entry in manifest.get("documents", {}).items():
        path = entry.get("path")
        if not path:
            continue  # built from in-memory documents
        p = Path(path)
        known.add(str(p))
        if not p.is_file():
            reasons.append(f"{source} was removed")
        elif entry.get("size_on_disk") == p.stat().st_size and entry.get("mtime") == p.stat().st_mtime:
            continue
        elif _hash_file_text(p) != entry.get("hash"):
            reasons.append(f"{source} changed")
    for root in manifest.get("roots", []):
        r = Path(root)
        if not r.is_dir():
            continue
        for p in sorted(r.rglob("*")):
            if (
                p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(r).parts)
                and str(p.resolve()) not in known
                and p.relative_to(r).as_posix() not in sources
                and p.stat().st_size > 0
                and _hash_file_text(p) is not None
            ):
                reasons.append(f"{p.relative_to(r)} is new")
    return reasons
