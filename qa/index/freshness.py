"""Is an index still in step with its source files? Compares the manifest with the disk.

A small archive (up to FULL_CHECK_MAX documents) is checked file by file, as `qa build` would: one stat per file,
the text hashed only when size or mtime changed, every root folder walked for new files. A large archive is
checked through its folders: each folder's mtime is recorded at build time, and only folders whose mtime changed
(a file was added, removed or renamed there) are listed again. A file edited in place is then found by
`sources_changed` (the CLI checks the files an answer cites), by a full `stale_reasons(..., full=True)` (the web
server runs it in the background) and by `qa build`, which stats every file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.index.manifest import Manifest

FULL_CHECK_MAX = 5_000


def _hash_file_text(path: Path) -> str | None:
    from qa.errors import InputError
    from qa.ingest.readers import content_hash, load_document

    try:
        doc = load_document(path)
    except InputError:
        return None
    return content_hash(doc.raw_text)


def _file_reason(source: str, entry: dict[str, Any]) -> str | None:
    path = entry.get("path")
    if not path:
        return None  # built from in-memory documents
    try:
        st = os.stat(path)
    except OSError:
        return f"{source} was removed"
    if entry.get("size_on_disk") == st.st_size and entry.get("mtime") == st.st_mtime:
        return None
    if _hash_file_text(Path(path)) != entry.get("hash"):
        return f"{source} changed"
    return None


def sources_changed(manifest: Manifest, sources: Iterable[str]) -> list[str]:
    """Why any of `sources` (e.g. the documents an answer cites) no longer matches the index."""
    docs = manifest.documents
    out = []
    for s in dict.fromkeys(sources):
        entry = docs.get(s)
        if isinstance(entry, dict):
            reason = _file_reason(s, entry)
            if reason:
                out.append(reason)
    return out


def _is_new(p: Path, r: Path, known: set[str], sources: set[str]) -> bool:
    from qa.ingest.readers import SUPPORTED_SUFFIXES

    return (
        p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(r).parts)
        and str(p.resolve()) not in known
        and p.relative_to(r).as_posix() not in sources
        and p.is_file()
        and p.stat().st_size > 0
        and _hash_file_text(p) is not None
    )


def _indexed_paths(docs: dict[str, Any], full: bool) -> tuple[set[str], list[str]]:
    """The paths of the indexed documents, and (when `full`) why any of those files no longer matches."""
    known: set[str] = set()
    reasons: list[str] = []
    for source, entry in docs.items():
        path = entry.get("path") if isinstance(entry, dict) else None
        if not path:
            continue
        known.add(path)
        if full:
            reason = _file_reason(source, entry)
            if reason:
                reasons.append(reason)
    return known, reasons


def _new_files(r: Path, known: set[str], sources: set[str]) -> list[str]:
    """The files under root `r` that the index lacks (every folder walked but hidden ones)."""
    reasons: list[str] = []
    for dirpath, dirnames, filenames in os.walk(r):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            p = Path(dirpath) / f
            if _is_new(p, r, known, sources):
                reasons.append(f"{p.relative_to(r)} is new")
    return reasons


@dataclass
class _Folders:
    """The folder check of a large archive: the indexed documents, their paths and sources, folder mtimes."""

    docs: dict[str, Any]
    known: set[str]
    sources: set[str]
    folders: dict[str, float]
    groups: dict[str, list[str]] = field(default_factory=dict)

    def in_folder(self, folder: str) -> list[str]:
        """Documents directly in `folder` (grouped on first use: most starts find no folder changed)."""
        if not self.groups:
            for source, entry in self.docs.items():
                path = entry.get("path") if isinstance(entry, dict) else None
                if path:
                    self.groups.setdefault(os.path.dirname(path), []).append(source)
        return self.groups.get(folder, [])

    def reasons(self, r: Path) -> list[str]:
        """Why the folders under root `r` whose mtime changed (or that are gone) no longer match."""
        reasons: list[str] = []
        for folder, mtime in sorted(self.folders.items()):
            if not folder.startswith(str(r)):
                continue
            try:
                now = os.stat(folder).st_mtime
            except OSError:
                reasons.extend(f"{s} was removed" for s in self.in_folder(folder))
                continue
            if now != mtime:
                reasons += self.changed(folder, r)
        return reasons

    def changed(self, folder: str, r: Path) -> list[str]:
        """Why a folder that changed no longer matches: its documents that changed, new files and new folders."""
        reasons: list[str] = []
        for s in self.in_folder(folder):
            reason = _file_reason(s, self.docs[s])
            if reason:
                reasons.append(reason)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            p = Path(entry.path)
            if entry.is_file() and _is_new(p, r, self.known, self.sources):
                reasons.append(f"{p.relative_to(r)} is new")
            elif entry.is_dir() and not entry.name.startswith(".") and str(p.resolve()) not in self.folders:
                reasons.append(f"{p.relative_to(r)}/ is new")
        return reasons


def stale_reasons(manifest: Manifest, full: bool | None = None) -> list[str]:
    """Why the index no longer matches its sources (empty when it does). `full`: check every file (default:
    only for archives of up to FULL_CHECK_MAX documents, else the folder check described above)."""
    docs, folders = manifest.documents, manifest.folders
    if full is None:
        full = len(docs) <= FULL_CHECK_MAX or not folders
    sources = set(docs) | set(manifest.excluded)
    known, reasons = _indexed_paths(docs, full)
    check = _Folders(docs, known, sources, folders)
    for root in manifest.roots:
        r = Path(root)
        if not r.is_dir():
            continue
        reasons += _new_files(r, known, sources) if full else check.reasons(r)
    return reasons


def is_up_to_date(
    index_dir: Path, paths: Iterable[Path], params: dict[str, Any], backend: dict[str, Any] | None = None
) -> tuple[bool, int]:
    """Whether the index in `index_dir` already holds `paths` as `params` (Settings.index_params) would build them,
    with the `backend` asked for (None: any): same embedder, versions and chunking, every folder among its roots,
    and no document added, changed or removed since. Also the number of documents it holds."""
    from qa.errors import IndexProblem
    from qa.index.store import read_manifest

    try:
        manifest = read_manifest(index_dir)
    except IndexProblem:
        return False, 0
    roots = {str(Path(r)) for r in manifest.roots}
    same_docs = roots >= {str(p.resolve()) for p in paths if p.is_dir()}
    same_backend = backend is None or manifest.backend == backend
    same_params = manifest.contract == params
    current = same_docs and same_backend and same_params and not stale_reasons(manifest, full=True)
    return current, len(manifest.documents)
