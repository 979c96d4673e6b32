"""The index folder: generations (builds) of shared, immutable segments, switched atomically under a lock.

Layout (see index/README.md)::

    index/CURRENT              name of the live build folder, replaced atomically
    index/.lock                held by the one writer (build, add, remove); readers never take it
    index/b-<time>-<rand>/     manifest.json (segments and deleted rows), lexicon.json
    index/segments/s-.../      documents, chunks, vectors, BM25 postings of some documents (qa.index.segment)

This module finds the live generation and opens it (`open_generation`, `read_manifest`) and holds the writer lock;
`qa.index.loaded` loads a generation for searching, `qa.index.commit` writes one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexProblem, InputError, WriteFailed
from qa.index.lexicon import build_lexicon  # noqa: F401 - re-exported: tests memoise it (CC-CEDICT is parsed once now)
from qa.index.manifest import FORMAT_VERSION, Manifest, corrupt, rebuild_hint  # noqa: F401 - re-exported
from qa.index.segment import Segment, SegmentError

POINTER = "CURRENT"
SEGMENTS = "segments"
LOCK = ".lock"
_BUILD_NAME = re.compile(r"b-[0-9A-Za-z-]{1,80}")


class IndexBusy(IndexProblem):
    """Another process is writing the index (exit code 3)."""


# ---------------------------------------------------------------- pointer, lock, generations


def _check_folder(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexProblem(f"{index_dir} is a file, not an index folder: give --index a folder")


def current_build(index_dir: Path) -> Path | None:
    """The live build folder named by CURRENT, or None when there is no index. A CURRENT that is not a
    build name of this folder (a path, '..', bad UTF-8) is an IndexProblem: nothing outside is ever read."""
    index_dir = Path(index_dir)
    _check_folder(index_dir)
    pointer = index_dir / POINTER
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise corrupt(index_dir, f"{POINTER} is unreadable: {exc.__class__.__name__}") from exc
    if not name:
        return None
    if not _BUILD_NAME.fullmatch(name):
        raise corrupt(index_dir, f"{POINTER} names {name[:40]!r}, not a build of this folder")
    return index_dir / name


@contextmanager
def index_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock; IndexBusy when another writer holds it for longer than `wait` seconds.
    The lock is an OS file lock: a killed writer releases it."""
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise InputError(f"--index {index_dir} is a file, not a folder")
    lock = FileLock(str(index_dir / LOCK))
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=wait)
    except Timeout:
        raise IndexBusy(
            f"index {index_dir} is busy: another build or update is running; try again when it ends"
        ) from None
    except OSError as exc:  # a read-only folder (no .lock can be made) or a path under a file
        raise _write_failed(index_dir, exc) from exc
    try:
        yield
    except OSError as exc:  # a full disk or a read-only folder: one line, and the live build is untouched
        raise _write_failed(index_dir, exc) from exc
    finally:
        lock.release()


def _write_failed(index_dir: Path, exc: OSError) -> WriteFailed:
    reason = exc.strerror or str(exc) or exc.__class__.__name__
    return WriteFailed(f"cannot write index {index_dir}: {reason}; the previous index is unchanged")


_SEGMENT_CACHE: dict[str, tuple[tuple, Segment]] = {}


def _segment_stamp(folder: Path) -> tuple:
    return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)))


def open_segment(folder: Path) -> Segment:
    """Open a segment (cached per process while its files are unchanged)."""
    key = str(folder)
    try:
        stamp = _segment_stamp(folder)
    except OSError as exc:
        raise SegmentError(f"segment {folder.name} is missing") from exc
    cached = _SEGMENT_CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    seg = Segment.open(folder)
    if len(_SEGMENT_CACHE) > 256:
        _SEGMENT_CACHE.clear()
    _SEGMENT_CACHE[key] = (stamp, seg)
    return seg


@dataclass
class Generation:
    """A generation opened for reading: its folder, validated manifest (with `documents`) and segments."""

    index_dir: Path
    build: Path
    manifest: Manifest
    segments: list[Segment]
    live: list[np.ndarray | None]


def _live_masks(segments: Sequence[Segment], entries: Sequence[dict[str, Any]]) -> list[np.ndarray | None]:
    masks: list[np.ndarray | None] = []
    for seg, entry in zip(segments, entries, strict=True):
        deleted = entry.get("deleted") or []
        if not deleted:
            masks.append(None)
            continue
        mask = np.ones(seg.rows, dtype=bool)
        for a, b in deleted:
            mask[int(a) : int(b)] = False
        masks.append(mask)
    return masks


def open_generation(index_dir: Path) -> Generation:
    """Read CURRENT, the manifest and every segment's structure; IndexProblem on anything missing or damaged.
    When a writer switched CURRENT meanwhile (and pruned what was being read), the new generation is read."""
    index_dir = Path(index_dir)
    for _attempt in range(3):
        build = current_build(index_dir)
        try:
            return _open_generation(index_dir, build)
        except IndexProblem:
            if build is None or current_build(index_dir) == build:
                raise
    return _open_generation(index_dir, current_build(index_dir))


def _read_manifest_file(index_dir: Path, build: Path) -> Manifest:
    """A build's manifest.json, parsed and validated (IndexProblem when it cannot be read)."""
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise corrupt(index_dir, f"{exc.__class__.__name__} reading manifest") from exc
    return Manifest.from_dict(manifest, index_dir)


def _open_segments(index_dir: Path, manifest: Manifest) -> list[Segment]:
    """The segments the manifest lists, each checked against it (embedder, deleted rows)."""
    segments: list[Segment] = []
    emb = manifest.embedder
    for entry in manifest.segments:
        try:
            seg = open_segment(index_dir / SEGMENTS / entry["name"])
        except SegmentError as exc:
            raise corrupt(index_dir, f"segment {entry['name'][:40]}: {exc}") from exc
        if seg.info.get("dim") != emb.dim or seg.info.get("embedder") != emb.name:
            raise corrupt(index_dir, "a segment's vectors differ from the manifest's embedder")
        for d in entry.get("deleted") or []:
            if not (isinstance(d, list) and len(d) == 2 and 0 <= d[0] <= d[1] <= seg.rows):
                raise corrupt(index_dir, "manifest.json: bad deleted rows")
        segments.append(seg)
    return segments


def _live_documents(segments: Sequence[Segment], manifest: Manifest) -> dict[str, dict[str, Any]]:
    """source -> entry of every document the manifest does not mark removed (with its `updated` stat)."""
    documents: dict[str, dict[str, Any]] = {}
    updated = manifest.updated
    for seg, entry in zip(segments, manifest.segments, strict=True):
        removed = set(entry.get("removed") or [])
        for d in seg.docs:
            if d["source"] in removed:
                continue
            doc = {k: v for k, v in d.items() if k not in ("rows", "headings", "source")}
            if isinstance(updated.get(d["source"]), dict):
                doc.update(updated[d["source"]])
            documents[d["source"]] = doc
    return documents


def _open_generation(index_dir: Path, build: Path | None) -> Generation:
    if build is None:
        raise IndexProblem(f"no index in {index_dir}: {rebuild_hint(index_dir)}")
    manifest = _read_manifest_file(index_dir, build)
    segments = _open_segments(index_dir, manifest)
    live = _live_masks(segments, manifest.segments)
    documents = _live_documents(segments, manifest)
    n_live = sum(s.rows if m is None else int(m.sum()) for s, m in zip(segments, live, strict=True))
    if n_live != manifest.n_chunks:
        raise corrupt(index_dir, "chunk counts differ from the manifest")
    return Generation(index_dir, build, replace(manifest, documents=documents), segments, live)


def salvage_generation(index_dir: Path) -> Generation | None:
    """What can still be read of a damaged live generation: its manifest with only the segments that open and
    match it (a missing or truncated one is left out), so a repair re-embeds only what was lost. None when even
    the manifest cannot be read."""
    index_dir = Path(index_dir)
    try:
        build = current_build(index_dir)
        if build is None:
            return None
        manifest = _read_manifest_file(index_dir, build)
    except IndexProblem:
        return None
    segments: list[Segment] = []
    entries: list[dict[str, Any]] = []
    for entry in manifest.segments:
        one = replace(manifest, segments=(entry,))
        try:
            (seg,) = _open_segments(index_dir, one)
        except IndexProblem:
            continue
        segments.append(seg)
        entries.append(entry)
    kept = replace(manifest, segments=tuple(entries))
    live = _live_masks(segments, kept.segments)
    n_live = sum(s.rows if m is None else int(m.sum()) for s, m in zip(segments, live, strict=True))
    kept = replace(kept, n_chunks=n_live, documents=_live_documents(segments, kept))
    return Generation(index_dir, build, kept, segments, live)


def read_manifest(index_dir: Path) -> Manifest:
    """The live manifest with `documents` (source -> entry) filled in; IndexProblem when missing or damaged."""
    return open_generation(Path(index_dir)).manifest


def referenced(build: Path) -> set[str]:
    """Names of the segments a build's manifest lists (none when it cannot be read)."""
    try:
        m = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        return {s["name"] for s in m["segments"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """The indexed documents: source, size in bytes, chunk count, indexing time."""
    manifest = read_manifest(Path(index_dir))
    return [
        {"source": src, "size": d.get("size", 0), "chunks": d.get("chunks", 0), "indexed_at": d.get("indexed_at", "")}
        for src, d in sorted(manifest.documents.items())
    ]


def disk_size(index_dir: Path) -> int:
    """Bytes used by the live generation: its build folder and the segments it uses."""
    build = current_build(Path(index_dir))
    if build is None:
        return 0
    total = sum(p.stat().st_size for p in build.rglob("*") if p.is_file())
    for name in referenced(build):
        folder = Path(index_dir) / SEGMENTS / name
        if folder.is_dir():
            total += sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return total
