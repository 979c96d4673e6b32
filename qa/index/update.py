"""The one update path every writer goes through (`apply_update`).

Documents are streamed into a new segment (see `qa.index.writer`; chunks of an edited document whose text is
unchanged keep their vectors), replaced and dropped documents are marked deleted in the new generation's manifest,
unchanged documents stay in the segments they are in (an `Unchanged` item stands for one kept without reading it),
small segments are merged (`qa.index.merge`), then the lexicon and the manifest are written and made live
(`qa.index.commit`). The caller holds the index lock.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import Settings
from qa.errors import IndexProblem, InputError
from qa.index.commit import commit, library_versions
from qa.index.embedders import Embedder
from qa.index.manifest import EmbedderRecord, Manifest
from qa.index.merge import lexicon_of, live_entries, live_rows, merge_small
from qa.index.segment import Segment, SegmentError
from qa.index.store import Generation, open_generation, open_segment, salvage_generation
from qa.index.writer import Writer, text_key
from qa.ingest.chunking import make_splitter
from qa.ingest.readers import content_hash
from qa.progress import Progress, Step, reporting
from qa.types import Document


def _stat(path: str) -> dict[str, float]:
    """Size and mtime of a source file, so a later freshness check can skip re-reading it."""
    if not path:
        return {}
    st = Path(path).stat()
    return {"size_on_disk": st.st_size, "mtime": st.st_mtime}


def previous_generation(index_dir: Path) -> Generation | None:
    """The live generation; when it is damaged, what can still be read of it (`store.salvage_generation`: the
    segments that open), so that only the lost documents are read and embedded again."""
    try:
        return open_generation(index_dir)
    except IndexProblem:
        return salvage_generation(index_dir)


@dataclass
class Unchanged:
    """A file whose size and mtime match the index: kept without reading it."""

    source: str
    path: str


_Live = tuple[int, dict[str, Any]]  # a live document: its segment's index in the list, its line in docs.jsonl


@dataclass
class _Carried:
    """What an update works on: the kept segments with their manifest marks and the live documents' entries."""

    segments: list[Segment]
    marks: list[dict[str, Any]]
    live: dict[str, _Live]
    documents: dict[str, Any]
    updated: dict[str, Any]
    old_reuse: dict[str, tuple[Segment, dict[str, Any]]]
    seen: set[str] = field(default_factory=set)

    def delete(self, source: str) -> None:
        """Mark a live document's rows deleted and its source removed in its segment's mark."""
        i, d = self.live.pop(source)
        a, b = d["rows"]
        if b > a:
            self.marks[i].setdefault("deleted", []).append([a, b])
        self.marks[i].setdefault("removed", []).append(source)
        self.documents.pop(source, None)
        self.updated.pop(source, None)


def _compatibility(previous: Generation | None, embedder: Embedder, params: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the live generation has the same embedder, and whether its chunker too (its segments are kept)."""
    same_embedder = previous is not None and previous.manifest.embedder.name == embedder.name
    return same_embedder, same_embedder and previous is not None and previous.manifest.contract == params


def _kept_segments(previous: Generation, bad: frozenset[str]) -> tuple[list[Segment], list[dict[str, Any]]]:
    """The live generation's segments and copies of their marks, less the damaged ones (`bad`)."""
    segments: list[Segment] = []
    marks: list[dict[str, Any]] = []
    for seg, m in zip(previous.segments, previous.manifest.segments, strict=True):
        if seg.name in bad:
            continue  # a damaged segment is dropped: its documents are indexed again
        segments.append(seg)
        marks.append(
            {"name": seg.name, "deleted": list(m.get("deleted") or []), "removed": list(m.get("removed") or [])}
        )
    return segments, marks


def _carry_over(previous: Generation | None, same_embedder: bool, compatible: bool, bad: frozenset[str]) -> _Carried:
    """What the update starts from: the compatible live generation, else nothing (or only its vectors to reuse)."""
    segments, marks = _kept_segments(previous, bad) if previous is not None and compatible else ([], [])
    live = live_entries(segments, marks)
    old_reuse: dict[str, tuple[Segment, dict[str, Any]]] = {}
    if previous is not None and same_embedder and not compatible:
        prev_live = live_entries(previous.segments, previous.manifest.segments)
        old_reuse = {s: (previous.segments[i], d) for s, (i, d) in prev_live.items()}
    documents = dict(previous.manifest.documents) if previous is not None and compatible else {}
    documents = {s: documents[s] for s in live if s in documents}
    updated = dict(previous.manifest.updated) if previous is not None and compatible else {}
    return _Carried(segments, marks, live, documents, updated, old_reuse)


def _refresh_stat(doc: Document, old: dict[str, Any], state: _Carried) -> None:
    """Record a new path, size or mtime of a document whose text is unchanged."""
    stat = {"path": doc.path or old.get("path", ""), **_stat(doc.path)}
    if any(old.get(k) != v for k, v in stat.items()):
        state.updated[doc.source] = stat
        state.documents[doc.source] = dict(state.documents.get(doc.source, {}), **stat)


def _reusable_vectors(source: str, old: _Live | None, state: _Carried) -> dict[str, np.ndarray]:
    """Vectors of the chunk texts the document had when last indexed, by text key (none for a new document)."""
    if old is not None:
        seg, d = state.segments[old[0]], old[1]
    elif source in state.old_reuse:
        seg, d = state.old_reuse[source]
    else:
        return {}
    reuse: dict[str, np.ndarray] = {}
    a, b = d["rows"]
    for r in range(a, b):
        try:
            reuse[text_key(seg.chunk(r).search_text)] = np.asarray(seg.vectors[r])
        except SegmentError:
            break
    return reuse


def _write_document(
    doc: Document, h: str, old: _Live | None, state: _Carried, writer: Writer, splitter: Any, min_chunk: int, now: str
) -> None:
    """Write a new or edited document through `writer`, replacing its previous version (`old`)."""
    reuse = _reusable_vectors(doc.source, old, state)
    if old is not None:
        state.delete(doc.source)
    entry = {
        "source": doc.source,
        "hash": h,
        "size": len(doc.raw_text.encode("utf-8")),
        "chars": len(doc.raw_text),
        "indexed_at": now,
        "path": doc.path,
        **_stat(doc.path),
    }
    writer.add_document(entry, doc, splitter, min_chunk, reuse)
    state.documents[doc.source] = {k: v for k, v in entry.items() if k not in ("source", "headings")}
    state.updated.pop(doc.source, None)


def _stream(
    items: Iterable[Document | Unchanged],
    state: _Carried,
    writer: Writer,
    splitter: Any,
    min_chunk: int,
    report: Progress | None,
    total: int,
) -> None:
    """Go through the items: note each source seen, write the documents whose text changed. Reading an item (OCR
    of scanned pages) reports through qa.progress.note."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    with reporting(report) as told:
        for n, item in enumerate(items):
            state.seen.add(item.source)
            if isinstance(item, Unchanged):
                continue
            h = content_hash(item.raw_text)
            old = state.live.get(item.source)
            if old is not None and old[1].get("hash") == h:
                _refresh_stat(item, old[1], state)
                continue
            writer.at = 0.85 * n / max(1, total)
            if told:
                told(writer.at, Step("read", item.source))
            _write_document(item, h, old, state, writer, splitter, min_chunk, now)


def _drop_unseen(state: _Carried) -> None:
    """Mark deleted every live document the items did not name (a full update of the roots)."""
    for source in [s for s in state.live if s not in state.seen]:
        state.delete(source)


def _add_and_merge(
    index_dir: Path, state: _Carried, new_paths: list[Path]
) -> tuple[list[Segment], list[dict[str, Any]], list[Segment]]:
    """Add the new segments, merge small ones, drop emptied ones; returns the lists and the segments written now."""
    new_segments = [open_segment(p) for p in new_paths]
    segments = state.segments + new_segments
    marks = state.marks + [{"name": s.name} for s in new_segments]
    segments, marks, merged = merge_small(index_dir, segments, marks)
    kept = [(s, m) for s, m in zip(segments, marks, strict=True) if len(m.get("removed") or []) < len(s.docs)]
    segments, marks = [s for s, _m in kept], [m for _s, m in kept]
    fresh = [s for s in segments if s in new_segments or s in merged]
    return segments, marks, fresh


def _sync_backend(
    index_dir: Path,
    previous: Generation | None,
    backend: dict[str, Any] | None,
    compatible: bool,
    segments: list[Segment],
    fresh: list[Segment],
) -> dict[str, Any]:
    """The storage backend's configuration, synced with the segments it lacks (all of them when it changed)."""
    prev_cfg = previous.manifest.backend if previous is not None else None
    from qa.index.backends import backend_config, sync_segments

    cfg = backend_config(backend if backend is not None else prev_cfg)
    sync_segments(index_dir, cfg, fresh if (compatible and backend_config(prev_cfg) == cfg) else segments)
    return cfg


def _contents(segments: list[Segment], marks: list[dict[str, Any]], state: _Carried) -> dict[str, Any]:
    """The manifest's description of the new generation's segments and documents (`documents` aside)."""
    return {
        "segments": tuple({k: v for k, v in m.items() if v or k == "name"} for m in marks),
        "updated": {s: u for s, u in state.updated.items() if s in state.documents},
        "n_chunks": sum(live_rows(s, m) for s, m in zip(segments, marks, strict=True)),
        "n_documents": len(state.documents),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "versions": library_versions(),
    }


def _listing(
    base: Generation | None, documents: dict[str, Any], roots: Sequence[str], folders: dict[str, float] | None
) -> dict[str, Any]:
    """The manifest's roots, excluded files and folder mtimes, kept from `base` (the generation added to, if any)."""
    if base is None:
        return {"roots": sorted(set(roots)), "excluded": [], "folders": {} if folders is None else folders}
    excluded = [s for s in base.manifest.excluded if s not in documents]
    if folders is None:
        folders = dict(base.manifest.folders)
    return {"roots": sorted(set(base.manifest.roots) | set(roots)), "excluded": excluded, "folders": folders}


def apply_update(
    items: Iterable[Document | Unchanged],
    index_dir: Path,
    settings: Settings,
    embedder: Embedder,
    report: Progress | None,
    roots: Sequence[str],
    keep_existing: bool,
    total: int,
    backend: dict[str, Any] | None = None,
    folders: dict[str, float] | None = None,
    bad: frozenset[str] = frozenset(),
    extra: dict[str, Any] | None = None,
) -> Manifest:
    """The one update path: stream items into a new segment, mark replaced and dropped documents deleted, merge
    small segments, write the lexicon and the manifest, switch CURRENT. The caller holds the lock. Returns the new
    manifest with `documents`. `extra`: manifest keys that replace the computed ones (roots, excluded, folders)."""
    previous = previous_generation(index_dir)
    params = settings.index_params()
    same_embedder, compatible = _compatibility(previous, embedder, params)
    state = _carry_over(previous, same_embedder, compatible, bad)
    dim = previous.manifest.embedder.dim if (previous is not None and same_embedder) else embedder.dim
    writer = Writer(index_dir, embedder, dim, report)
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    try:
        _stream(items, state, writer, splitter, settings.min_chunk, report, total)
        if not keep_existing:
            _drop_unseen(state)
        new_paths = writer.finish()
    except BaseException:
        writer.abort()
        raise
    if not state.documents and not state.seen and extra is None:
        raise InputError("no readable documents")
    segments, marks, fresh = _add_and_merge(index_dir, state, new_paths)
    cfg = _sync_backend(index_dir, previous, backend, compatible, segments, fresh)
    if report:
        report(0.9, Step("lexicon"))
    listing = {**_listing(previous if keep_existing else None, state.documents, roots, folders), **(extra or {})}
    contents = _contents(segments, marks, state)
    manifest = Manifest(
        embedder=EmbedderRecord(embedder.name, int(dim)),
        contract=params,
        backend=cfg,
        embedded_now=writer.embedded,
        roots=tuple(listing["roots"]),
        excluded=tuple(listing["excluded"]),
        folders=listing["folders"],
        documents=state.documents,
        **contents,
    )
    commit(index_dir, manifest, lexicon_of(segments))
    if report:
        report(1.0, Step("done", done=len(state.documents), total=manifest.n_chunks))
    return manifest
