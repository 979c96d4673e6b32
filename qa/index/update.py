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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import Settings
from qa.errors import IndexProblem, InputError
from qa.index.commit import commit, library_versions
from qa.index.embedders import Embedder
from qa.index.merge import lexicon_of, live_entries, live_rows, merge_small
from qa.index.segment import Segment, SegmentError
from qa.index.store import FORMAT_VERSION, Generation, open_generation, open_segment
from qa.index.writer import Progress, Writer, text_key
from qa.ingest.chunking import make_splitter
from qa.ingest.readers import content_hash
from qa.types import Document


def _stat(path: str) -> dict[str, float]:
    """Size and mtime of a source file, so a later freshness check can skip re-reading it."""
    if not path:
        return {}
    st = Path(path).stat()
    return {"size_on_disk": st.st_size, "mtime": st.st_mtime}


def previous_generation(index_dir: Path) -> Generation | None:
    """The live generation, if there is a readable one (a damaged one is simply rebuilt)."""
    try:
        return open_generation(index_dir)
    except IndexProblem:
        return None


@dataclass
class Unchanged:
    """A file whose size and mtime match the index: kept without reading it."""

    source: str
    path: str


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
) -> dict[str, Any]:
    """The one update path: stream items into a new segment, mark replaced and dropped documents deleted, merge
    small segments, write the lexicon and the manifest, switch CURRENT. The caller holds the lock."""
    previous = previous_generation(index_dir)
    params = settings.index_params()
    same_embedder = previous is not None and previous.manifest["embedder"]["name"] == embedder.name
    compatible = same_embedder and previous is not None and previous.manifest.get("chunker") == params
    segments: list[Segment] = []
    marks: list[dict[str, Any]] = []
    if previous is not None and compatible:
        for seg, m in zip(previous.segments, previous.manifest["segments"], strict=True):
            if seg.name in bad:
                continue  # a damaged segment is dropped: its documents are indexed again
            segments.append(seg)
            marks.append(
                {"name": seg.name, "deleted": list(m.get("deleted") or []), "removed": list(m.get("removed") or [])}
            )
    live = live_entries(segments, marks)
    old_reuse: dict[str, tuple[Segment, dict[str, Any]]] = {}
    if previous is not None and same_embedder and not compatible:
        prev_live = live_entries(previous.segments, previous.manifest["segments"])
        old_reuse = {s: (previous.segments[i], d) for s, (i, d) in prev_live.items()}
    documents = dict(previous.manifest["documents"]) if previous is not None and compatible else {}
    documents = {s: documents[s] for s in live if s in documents}
    updated = dict(previous.manifest.get("updated") or {}) if previous is not None and compatible else {}
    dim = int(previous.manifest["embedder"]["dim"]) if (previous is not None and same_embedder) else embedder.dim
    writer = Writer(index_dir, embedder, dim, report)
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    seen: set[str] = set()

    def delete(source: str) -> None:
        i, d = live.pop(source)
        a, b = d["rows"]
        if b > a:
            marks[i].setdefault("deleted", []).append([a, b])
        marks[i].setdefault("removed", []).append(source)
        documents.pop(source, None)
        updated.pop(source, None)

    try:
        for n, item in enumerate(items):
            if isinstance(item, Unchanged):
                seen.add(item.source)
                continue
            doc = item
            seen.add(doc.source)
            h = content_hash(doc.raw_text)
            old = live.get(doc.source)
            if old is not None and old[1].get("hash") == h:
                stat = {"path": doc.path or old[1].get("path", ""), **_stat(doc.path)}
                if any(old[1].get(k) != v for k, v in stat.items()):
                    updated[doc.source] = stat
                    documents[doc.source] = dict(documents.get(doc.source, {}), **stat)
                continue
            reuse: dict[str, np.ndarray] = {}
            source_of_reuse = None
            if old is not None:
                source_of_reuse = (segments[old[0]], old[1])
            elif doc.source in old_reuse:
                source_of_reuse = old_reuse[doc.source]
            if source_of_reuse is not None:
                seg, d = source_of_reuse
                a, b = d["rows"]
                for r in range(a, b):
                    try:
                        reuse[text_key(seg.chunk(r).search_text)] = np.asarray(seg.vectors[r])
                    except SegmentError:
                        break
            if old is not None:
                delete(doc.source)
            entry = {
                "source": doc.source,
                "hash": h,
                "size": len(doc.raw_text.encode("utf-8")),
                "chars": len(doc.raw_text),
                "indexed_at": now,
                "path": doc.path,
                **_stat(doc.path),
            }
            writer.add_document(entry, doc, splitter, settings.min_chunk, reuse)
            documents[doc.source] = {k: v for k, v in entry.items() if k not in ("source", "headings")}
            updated.pop(doc.source, None)
            if report:
                report(0.85 * (n + 1) / max(1, total), f"chunked {doc.source}")
        if not keep_existing:
            for source in [s for s in live if s not in seen]:
                delete(source)
        new_paths = writer.finish()
    except BaseException:
        writer.abort()
        raise
    if not documents and not seen and extra is None:
        raise InputError("no readable documents")
    new_segments = [open_segment(p) for p in new_paths]
    segments += new_segments
    marks += [{"name": s.name} for s in new_segments]
    segments, marks, merged = merge_small(index_dir, segments, marks)
    kept = [(s, m) for s, m in zip(segments, marks, strict=True) if len(m.get("removed") or []) < len(s.docs)]
    segments, marks = [s for s, _m in kept], [m for _s, m in kept]
    prev_cfg = previous.manifest.get("backend") if previous is not None else None
    from qa.index.backends import backend_config, sync_segments

    cfg = backend_config({"backend": backend if backend is not None else prev_cfg})
    fresh = [s for s in segments if s in new_segments or s in merged]
    sync_segments(index_dir, cfg, fresh if (compatible and backend_config({"backend": prev_cfg}) == cfg) else segments)
    if report:
        report(0.9, "writing the lexicon")
    prev_roots = list(previous.manifest.get("roots", [])) if (previous is not None and keep_existing) else []
    excluded = (
        [s for s in previous.manifest.get("excluded", []) if s not in documents]
        if (previous is not None and keep_existing)
        else []
    )
    if folders is None:
        folders = dict(previous.manifest.get("folders") or {}) if (previous is not None and keep_existing) else {}
    manifest: dict[str, Any] = {
        "embedder": {"name": embedder.name, "dim": int(dim)},
        "chunker": params,
        "backend": cfg,
        "segments": [{k: v for k, v in m.items() if v or k == "name"} for m in marks],
        "updated": {s: u for s, u in updated.items() if s in documents},
        "n_chunks": sum(live_rows(s, m) for s, m in zip(segments, marks, strict=True)),
        "n_documents": len(documents),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "versions": library_versions(),
        "embedded_now": writer.embedded,
        "roots": sorted(set(prev_roots) | set(roots)),
        "excluded": excluded,
        "folders": folders,
        **(extra or {}),
    }
    commit(index_dir, manifest, lexicon_of(segments))
    manifest.update(format_version=FORMAT_VERSION, documents=documents)
    if report:
        report(1.0, f"indexed {len(documents)} documents, {manifest['n_chunks']} chunks")
    return manifest
