"""Build and update an index: documents -> chunks -> vectors + BM25, reusing unchanged work.

Unchanged documents keep their chunks, and chunks whose text was embedded before keep their vectors,
so adding, changing or removing one document only embeds what is new.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import INDEX_KEYS, Settings
from qa.errors import IndexProblem, InputError
from qa.index import store
from qa.index.embedders import Embedder, get_embedder
from qa.ingest.chunking import chunk_and_describe, make_splitter
from qa.ingest.readers import content_hash, iter_documents
from qa.types import Chunk, Document

Progress = Callable[[float, str], None]


def text_key(text: str) -> str:
    """Content hash used to reuse an embedding for identical chunk text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _stat(path: str) -> dict[str, float]:
    """Size and mtime of a source file, so a later freshness check can skip re-reading it."""
    if not path:
        return {}
    st = Path(path).stat()
    return {"size_on_disk": st.st_size, "mtime": st.st_mtime}


def _previous(index_dir: Path) -> store.IndexData | None:
    """The live index, if there is a readable one (a damaged one is simply rebuilt)."""
    try:
        return store.load_index(index_dir)
    except IndexProblem:
        return None


def _tqdm_progress(total_label: str) -> Progress:
    from tqdm import tqdm

    bar = tqdm(total=100, desc=total_label, unit="%", leave=False)

    def report(frac: float, msg: str) -> None:
        bar.n = int(frac * 100)
        bar.set_postfix_str(msg[:40])
        bar.refresh()
        if frac >= 1.0:
            bar.close()

    return report


def _embed(texts: list[str], embedder: Embedder, progress: Progress | None) -> np.ndarray:
    vecs = []
    step = 64
    for i in range(0, len(texts), step):
        vecs.append(embedder.encode(texts[i : i + step]))
        if progress:
            progress(min(1.0, (i + step) / max(1, len(texts))), f"embedded {min(i + step, len(texts))}/{len(texts)}")
    if not vecs:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(vecs).astype(np.float32)


def _write(
    index_dir: Path,
    entries: dict[str, dict[str, Any]],
    chunks_by_doc: dict[str, list[Chunk]],
    settings: Settings,
    embedder: Embedder,
    previous: store.IndexData | None,
    progress: Progress | None,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Embed what is new, then save a complete build."""
    chunks = [c for src in sorted(chunks_by_doc) for c in chunks_by_doc[src]]
    cache: dict[str, np.ndarray] = {}
    if previous is not None and previous.manifest["embedder"]["name"] == embedder.name:
        vecs = previous.vectors()
        cache = {text_key(c.search_text): vecs[i] for i, c in enumerate(previous.chunks)}
    todo = sorted({c.search_text for c in chunks if text_key(c.search_text) not in cache})
    if todo:
        for t, v in zip(todo, _embed(todo, embedder, progress), strict=True):
            cache[text_key(t)] = v
    vectors = np.array([cache[text_key(c.search_text)] for c in chunks], dtype=np.float32).reshape(len(chunks), -1)
    dim = vectors.shape[1] if len(chunks) else embedder.dim
    manifest = {
        "embedder": {"name": embedder.name, "dim": int(dim)},
        "chunker": settings.index_params(),
        "documents": entries,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "versions": store.library_versions(),
        "embedded_now": len(todo),
        **extra,
    }
    store.save_index(index_dir, manifest, chunks, vectors)
    manifest.update(format_version=store.FORMAT_VERSION, n_chunks=len(chunks))
    if progress:
        progress(1.0, f"indexed {len(entries)} documents, {len(chunks)} chunks")
    return manifest


def _entries_from(previous: store.IndexData | None, settings: Settings, embedder_name: str):
    """Reusable per-document entries and chunks of the previous build (same chunker and embedder)."""
    if previous is None or previous.manifest.get("chunker") != settings.index_params():
        return {}, {}
    if previous.manifest["embedder"]["name"] != embedder_name:
        return {}, {}
    by_doc: dict[str, list[Chunk]] = {}
    for c in previous.chunks:
        by_doc.setdefault(c.source, []).append(c)
    entries = dict(previous.manifest.get("documents", {}))
    return entries, {s: by_doc.get(s, []) for s in entries}


def build_from_documents(
    docs: Sequence[Document],
    index_dir: Path,
    settings: Settings | None = None,
    progress: bool | Progress = False,
    roots: Sequence[str] = (),
    keep_existing: bool = False,
) -> dict[str, Any]:
    """Index `docs` into `index_dir`. With `keep_existing`, documents already indexed stay."""
    settings = settings or Settings()
    index_dir = Path(index_dir)
    embedder = get_embedder(settings.embedder)  # an unknown name fails before any progress bar starts
    report = _tqdm_progress("indexing") if progress is True else (progress or None)
    previous = _previous(index_dir)
    old_entries, old_chunks = _entries_from(previous, settings, embedder.name)
    entries: dict[str, dict[str, Any]] = dict(old_entries) if keep_existing else {}
    chunks_by_doc: dict[str, list[Chunk]] = {s: old_chunks[s] for s in entries if s in old_chunks}
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    for i, doc in enumerate(docs):
        h = content_hash(doc.raw_text)
        old = old_entries.get(doc.source)
        path = doc.path
        if old and old.get("hash") == h and doc.source in old_chunks:
            chunks_by_doc[doc.source] = old_chunks[doc.source]
            entries[doc.source] = dict(old, path=path or old.get("path", ""), **_stat(path))
            continue
        chunks_by_doc[doc.source], meta = chunk_and_describe(doc, splitter, settings.min_chunk)
        entries[doc.source] = {
            "hash": h,
            "meta": meta.to_dict(),
            "size": len(doc.raw_text.encode("utf-8")),
            "chars": len(doc.raw_text),
            "chunks": len(chunks_by_doc[doc.source]),
            "indexed_at": now,
            "path": path,
            **_stat(path),
        }
        if report:
            report(0.3 * (i + 1) / max(1, len(docs)), f"chunked {doc.source}")
    prev_roots = list(previous.manifest.get("roots", [])) if (previous and keep_existing) else []
    excluded = (
        [s for s in previous.manifest.get("excluded", []) if s not in entries] if (previous and keep_existing) else []
    )
    extra = {"roots": sorted(set(prev_roots) | set(roots)), "excluded": excluded}
    return _write(index_dir, entries, chunks_by_doc, settings, embedder, previous, report, extra)


def build_index(
    paths: Sequence[Path], index_dir: Path, settings: Settings | None = None, progress: bool | Progress = False
) -> tuple[dict[str, Any], list[str]]:
    """Index every supported file under `paths` (replacing the index's document set).

    Returns the manifest and the one-line messages of files that were skipped.
    """
    docs, skipped = iter_documents([Path(p) for p in paths])
    if not docs:
        detail = f" ({'; '.join(skipped)})" if skipped else ""
        raise InputError(f"no readable documents in {', '.join(map(str, paths))}{detail}")
    roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
    manifest = build_from_documents(docs, index_dir, settings, progress, roots=roots)
    return manifest, skipped


def add_documents(index_dir: Path, paths: Sequence[Path], progress: Progress | None = None) -> dict[str, Any]:
    """Add (or refresh) files in an existing index, keeping everything already indexed."""
    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    docs, skipped = iter_documents([Path(p) for p in paths])
    if not docs:
        raise InputError(skipped[0] if skipped else "no readable document given")
    return build_from_documents(docs, index_dir, settings, progress or False, keep_existing=True)


def remove_documents(index_dir: Path, sources: Sequence[str]) -> dict[str, Any]:
    """Drop documents (by source name) from the index; nothing is re-embedded."""
    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    previous = store.load_index(index_dir)
    unknown = [s for s in sources if s not in previous.manifest.get("documents", {})]
    if unknown:
        raise InputError(f"not in the index: {', '.join(unknown)}")
    entries, chunks = _entries_from(previous, settings, previous.manifest["embedder"]["name"])
    for s in sources:
        entries.pop(s, None)
        chunks.pop(s, None)
    embedder = get_embedder(settings.embedder)
    excluded = sorted(set(previous.manifest.get("excluded", [])) | set(sources))
    extra = {"roots": previous.manifest.get("roots", []), "excluded": excluded}
    return _write(index_dir, entries, chunks, settings, embedder, previous, None, extra)


def _settings_of(index_dir: Path) -> Settings:
    """Settings that reproduce an existing index (same embedder and chunker)."""
    manifest = store.read_manifest(index_dir)
    params = {k: v for k, v in manifest.get("chunker", {}).items() if k in INDEX_KEYS and k != "embedder"}
    return Settings(index_dir=index_dir, embedder=manifest["embedder"]["name"], **params)
