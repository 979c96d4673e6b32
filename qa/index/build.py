"""Build and update an index: documents -> chunks -> vectors + BM25 postings, streamed into segments.

Documents are read, chunked and embedded in batches and written to segment files as they go, so memory does not
grow with the corpus. An update writes only what changed: new and edited documents go to a new segment (edited
chunks whose text is unchanged keep their vectors), removed and replaced documents are marked deleted in the new
generation's manifest, unchanged documents stay in the segments they are in. Small segments are merged once there
are many (see `merge_small`). Every writer holds the index lock for its whole run.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import INDEX_KEYS, Settings
from qa.errors import IndexProblem, InputError
from qa.index import store
from qa.index.embedders import Embedder, get_embedder
from qa.index.lexicon import lexicon_from_counts
from qa.index.segment import HNSW_MIN, Segment, SegmentError, SegmentWriter
from qa.ingest.chunking import chunk_and_describe, make_splitter
from qa.ingest.readers import content_hash
from qa.types import Chunk, Document

Progress = Callable[[float, str], None]

EMBED_BATCH = 256  # chunks embedded together
SEGMENT_ROWS = 50_000  # a segment is closed at this many rows (bounds build memory; large ones get HNSW)
SMALL_ROWS = 1_000  # segments with fewer live rows than this are "small"...
MAX_SMALL = 10  # ...and merged into one once there are more than this many
SPLIT_CHARS = 2_000_000  # a longer text document is cleaned and chunked in pieces (bounded memory)
MIN_CHUNK_SIZE = 50


def _headings(chunks: Sequence[Chunk]) -> str:
    return "".join("\n" + c.text for c in chunks if c.kind == "heading")


def text_key(text: str) -> str:
    """Content hash used to reuse an embedding for identical chunk text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def check_settings(settings: Settings) -> None:
    """InputError for chunk settings that cannot make an index (0, negative, smaller than the overlap)."""
    size, overlap, min_chunk = settings.chunk_size, settings.chunk_overlap, settings.min_chunk
    if not isinstance(size, int) or size < MIN_CHUNK_SIZE:
        raise InputError(f"--chunk-size must be at least {MIN_CHUNK_SIZE} characters, not {size}")
    if size > 100_000:
        raise InputError(f"--chunk-size must be at most 100000 characters, not {size}")
    if overlap < 0 or overlap >= size:
        raise InputError(f"chunk overlap {overlap} must be at least 0 and below the chunk size {size}")
    if min_chunk < 0 or min_chunk >= size:
        raise InputError(f"minimum chunk {min_chunk} must be at least 0 and below the chunk size {size}")


def _stat(path: str) -> dict[str, float]:
    """Size and mtime of a source file, so a later freshness check can skip re-reading it."""
    if not path:
        return {}
    st = Path(path).stat()
    return {"size_on_disk": st.st_size, "mtime": st.st_mtime}


def _tqdm_progress(total_label: str) -> Progress:
    """A progress bar on stderr, drawn from the first report on (a build that fails early prints only its error)."""
    from tqdm import tqdm

    bars: list[Any] = []

    def report(frac: float, msg: str) -> None:
        if not bars:
            bars.append(tqdm(total=100, desc=total_label, unit="%", leave=False))
        bar = bars[0]
        bar.n = int(frac * 100)
        bar.set_postfix_str(msg[:40])
        bar.refresh()
        if frac >= 1.0:
            bar.close()

    return report


def _previous(index_dir: Path) -> store.Generation | None:
    """The live generation, if there is a readable one (a damaged one is simply rebuilt)."""
    try:
        return store.open_generation(index_dir)
    except IndexProblem:
        return None


def _pieces(text: str, size: int = SPLIT_CHARS) -> list[tuple[int, str]]:
    """(start, piece) cuts of a long text at paragraph breaks (else line breaks) near every `size` characters."""
    out = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start + size // 2, start + size)
        if cut < 0:
            cut = text.rfind("\n", start + size // 2, start + size)
        cut = cut + 1 if cut >= 0 else start + size
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def chunk_pieces(doc: Document, splitter: Any, min_chunk: int) -> Iterator[tuple[list[Chunk], Any]]:
    """Chunks and metadata of one document, a piece at a time: a very long plain-text document is cleaned and
    chunked in pieces of SPLIT_CHARS, so memory stays bounded (its metadata comes from the first piece)."""
    if len(doc.raw_text) <= SPLIT_CHARS or doc.pages:
        yield chunk_and_describe(doc, splitter, min_chunk)
        return
    for start, piece in _pieces(doc.raw_text):
        part, meta = chunk_and_describe(Document(doc.source, piece, path=doc.path), splitter, min_chunk)
        yield (
            [
                replace(c, start=c.start + start, end=c.end + start, offsets=tuple(o + start for o in c.offsets))
                for c in part
            ],
            meta,
        )


def chunk_document(doc: Document, splitter: Any, min_chunk: int) -> tuple[list[Chunk], Any]:
    """All chunks and the metadata of one document (see `chunk_pieces`)."""
    chunks: list[Chunk] = []
    meta = None
    for part, m in chunk_pieces(doc, splitter, min_chunk):
        meta = meta or m
        chunks.extend(part)
    return chunks, meta


@dataclass
class _Unchanged:
    """A file whose size and mtime match the index: kept without reading it."""

    source: str
    path: str


class _Writer:
    """Batches documents for embedding and streams them into segments."""

    def __init__(self, index_dir: Path, embedder: Embedder, dim: int, report: Progress | None) -> None:
        self.seg_dir = index_dir / store.SEGMENTS
        self.embedder = embedder
        self.dim = dim
        self.report = report
        self.writer: SegmentWriter | None = None
        self.pending: list[tuple[dict[str, Any], list[Chunk], dict[str, np.ndarray]]] = []
        self.pending_rows = 0
        self.finished: list[Path] = []
        self.embedded = 0

    def add(self, entry: dict[str, Any], chunks: list[Chunk], reuse: dict[str, np.ndarray]) -> None:
        self.pending.append((entry, chunks, reuse))
        self.pending_rows += len(chunks)
        if self.pending_rows >= EMBED_BATCH:
            self.flush()

    def add_pieces(
        self, entry: dict[str, Any], pieces: Iterable[tuple[list[Chunk], Any]], reuse: dict[str, np.ndarray]
    ) -> None:
        """One long document, written a piece at a time (its rows stay together in one segment)."""
        self.flush()
        if self.writer is None:
            self.writer = SegmentWriter(self.seg_dir, self.dim, self.embedder.name)
        self.writer.begin(entry)
        n = 0
        headings = []
        for chunks, meta in pieces:
            if "meta" not in entry:
                entry["meta"] = meta.to_dict()
            self.pending = [(entry, chunks, reuse)]
            vectors = self._vectors()
            self.writer.append(chunks, vectors[0][1])
            self.pending = []
            n += len(chunks)
            headings.append(_headings(chunks))
        entry.update(chunks=n, headings="".join(headings))
        self.writer.end(entry)
        if self.writer.rows >= SEGMENT_ROWS:
            self._close()

    def _vectors(self) -> list[tuple[dict[str, Any], np.ndarray]]:
        """Embed what the pending documents need; their vector matrices, in order."""
        todo: dict[str, str] = {}
        for _e, chunks, reuse in self.pending:
            for c in chunks:
                key = text_key(c.search_text)
                if key not in reuse and key not in todo:
                    todo[key] = c.search_text
        vecs: dict[str, np.ndarray] = {}
        if todo:
            keys = list(todo)
            got = self.embedder.encode([todo[k] for k in keys])
            got = np.asarray(got, dtype=np.float32).reshape(len(keys), -1)
            if got.shape[1] != self.dim:
                raise InputError(f"the embedder gives vectors of {got.shape[1]} numbers, the index holds {self.dim}")
            vecs = dict(zip(keys, got, strict=True))
            self.embedded += len(keys)
        out = []
        for entry, chunks, reuse in self.pending:
            matrix = np.zeros((len(chunks), self.dim), dtype=np.float32)
            for i, c in enumerate(chunks):
                key = text_key(c.search_text)
                matrix[i] = reuse[key] if key in reuse else vecs[key]
            out.append((entry, matrix))
        return out

    def flush(self) -> None:
        if not self.pending:
            return
        for (entry, matrix), (_e, chunks, _r) in zip(self._vectors(), self.pending, strict=True):
            if self.writer is None:
                self.writer = SegmentWriter(self.seg_dir, self.dim, self.embedder.name)
            self.writer.add(entry, chunks, matrix)
            if self.writer.rows >= SEGMENT_ROWS:
                self._close()
        self.pending = []
        self.pending_rows = 0

    def _close(self) -> None:
        if self.writer is not None:
            self.finished.append(self.writer.finish(HNSW_MIN))
            self.writer = None

    def finish(self) -> list[Path]:
        self.flush()
        self._close()
        return self.finished

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()
        import shutil

        for p in self.finished:
            shutil.rmtree(p, ignore_errors=True)


_WORDS: dict[str, Counter[str]] = {}


def _words(seg: Segment) -> Counter[str]:
    key = str(seg.folder)
    if key not in _WORDS:
        if len(_WORDS) > 64:
            _WORDS.clear()
        _WORDS[key] = Counter({k: int(v) for k, v in seg.words().items()})
    return _WORDS[key]


def _lexicon(segments: Sequence[Segment]) -> dict[str, list[list]]:
    """The lexicon of the generation: dictionary-word counts summed over its segments (rows deleted from a
    segment still count until the segment is merged)."""
    total: Counter[str] = Counter()
    for seg in segments:
        total.update(_words(seg))
    return lexicon_from_counts(total)


def _entries(segments: Sequence[Segment], marks: Sequence[dict[str, Any]]) -> dict[str, tuple[int, dict[str, Any]]]:
    """source -> (segment index, document line) of every live document."""
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, (seg, mark) in enumerate(zip(segments, marks, strict=True)):
        removed = set(mark.get("removed") or [])
        for d in seg.docs:
            if d["source"] not in removed:
                out[d["source"]] = (i, d)
    return out


def _live_rows(seg: Segment, mark: dict[str, Any]) -> int:
    return seg.rows - sum(b - a for a, b in mark.get("deleted") or [])


def merge_small(
    index_dir: Path, segments: list[Segment], marks: list[dict[str, Any]], force: bool = False
) -> tuple[list[Segment], list[dict[str, Any]], list[Segment]]:
    """Merge segments with few live rows into one when there are more than MAX_SMALL of them (all of them
    with `force`), dropping deleted rows. Returns the new lists and the segments written."""
    small = [i for i, (s, m) in enumerate(zip(segments, marks, strict=True)) if _live_rows(s, m) < SMALL_ROWS]
    if force:
        small = [i for i, (s, m) in enumerate(zip(segments, marks, strict=True)) if _live_rows(s, m) < SEGMENT_ROWS]
    if len(small) <= (1 if force else MAX_SMALL):
        return segments, marks, []
    dim = int(segments[small[0]].info["dim"])
    writer: SegmentWriter | None = None
    written: list[Path] = []
    for i in small:
        seg, mark = segments[i], marks[i]
        removed = set(mark.get("removed") or [])
        for d in seg.docs:
            if d["source"] in removed:
                continue
            a, b = d["rows"]
            if writer is None:
                writer = SegmentWriter(index_dir / store.SEGMENTS, dim, str(seg.info["embedder"]))
            entry = {k: v for k, v in d.items() if k not in ("rows", "headings")}
            writer.add(entry, [seg.chunk(r) for r in range(a, b)], np.asarray(seg.vectors[a:b]))
            if writer.rows >= SEGMENT_ROWS:
                written.append(writer.finish(HNSW_MIN))
                writer = None
    if writer is not None:
        written.append(writer.finish(HNSW_MIN))
    new = [store.open_segment(p) for p in written]
    keep = [i for i in range(len(segments)) if i not in set(small)]
    return [segments[i] for i in keep] + new, [marks[i] for i in keep] + [{"name": s.name} for s in new], new


def _build(
    items: Iterable[Document | _Unchanged],
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
    previous = _previous(index_dir)
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
    live = _entries(segments, marks)
    old_reuse: dict[str, tuple[Segment, dict[str, Any]]] = {}
    if previous is not None and same_embedder and not compatible:
        prev_live = _entries(previous.segments, previous.manifest["segments"])
        old_reuse = {s: (previous.segments[i], d) for s, (i, d) in prev_live.items()}
    documents = dict(previous.manifest["documents"]) if previous is not None and compatible else {}
    documents = {s: documents[s] for s in live if s in documents}
    updated = dict(previous.manifest.get("updated") or {}) if previous is not None and compatible else {}
    dim = int(previous.manifest["embedder"]["dim"]) if (previous is not None and same_embedder) else embedder.dim
    writer = _Writer(index_dir, embedder, dim, report)
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
            if isinstance(item, _Unchanged):
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
            if len(doc.raw_text) <= SPLIT_CHARS or doc.pages:
                chunks, meta = chunk_and_describe(doc, splitter, settings.min_chunk)
                entry.update(meta=meta.to_dict(), chunks=len(chunks), headings=_headings(chunks))
                writer.add(entry, chunks, reuse)
            else:
                writer.add_pieces(entry, chunk_pieces(doc, splitter, settings.min_chunk), reuse)
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
    new_segments = [store.open_segment(p) for p in new_paths]
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
        "n_chunks": sum(_live_rows(s, m) for s, m in zip(segments, marks, strict=True)),
        "n_documents": len(documents),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "versions": store.library_versions(),
        "embedded_now": writer.embedded,
        "roots": sorted(set(prev_roots) | set(roots)),
        "excluded": excluded,
        "folders": folders,
        **(extra or {}),
    }
    store.commit(index_dir, manifest, _lexicon(segments))
    manifest.update(format_version=store.FORMAT_VERSION, documents=documents)
    if report:
        report(1.0, f"indexed {len(documents)} documents, {manifest['n_chunks']} chunks")
    return manifest


def _embedder_for_build(settings: Settings) -> Embedder:
    return get_embedder(settings.embedder, threads=max(1, min(4, os.cpu_count() or 1)))


def build_from_documents(
    docs: Sequence[Document] | Iterable[Document],
    index_dir: Path,
    settings: Settings | None = None,
    progress: bool | Progress = False,
    roots: Sequence[str] = (),
    keep_existing: bool = False,
    wait: float = 0.0,
    backend: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Index `docs` into `index_dir`. With `keep_existing`, documents already indexed stay."""
    settings = settings or Settings()
    check_settings(settings)
    index_dir = Path(index_dir)
    embedder = _embedder_for_build(settings)  # an unknown name fails before any progress bar starts
    report = _tqdm_progress("indexing") if progress is True else (progress or None)
    docs = list(docs) if not isinstance(docs, list) else docs
    with store.index_lock(index_dir, wait):
        store.clean_leftovers(index_dir)
        return _build(docs, index_dir, settings, embedder, report, roots, keep_existing, len(docs), backend)


def _walk(paths: Sequence[Path]) -> tuple[list[tuple[Path, Path, str | None, bool]], dict[str, float]]:
    """(file, root, reason to skip it or None, found by walking) for every file to index under `paths` (the
    ingest walker's rules: hidden and unsupported files left out, links followed only inside the folders given),
    and the mtime of every folder walked."""
    from qa.ingest.readers import walk_folder

    given = [Path(p) for p in paths if Path(p).is_dir()]
    folders: dict[str, float] = {}

    def record(folder: Path) -> None:
        try:
            folders[str(folder.resolve())] = os.stat(folder).st_mtime
        except (OSError, RuntimeError):
            pass

    out: list[tuple[Path, Path, str | None, bool]] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend((f, p, reason, True) for f, reason in walk_folder(p, given, on_folder=record))
        else:
            out.append((p, p.parent, None, False))
    return out, folders


def _resolved(path: Path) -> str | None:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return None


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    settings: Settings | None = None,
    progress: bool | Progress = False,
    wait: float = 0.0,
    backend: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Index every supported file under `paths` (replacing the index's document set). Files whose size and
    mtime match the index are not read again; every kept segment's chunks are checked, so a damaged index is
    repaired. Returns the manifest and the one-line messages of files that were skipped."""
    settings = settings or Settings()
    check_settings(settings)
    index_dir = Path(index_dir)
    embedder = _embedder_for_build(settings)
    report = _tqdm_progress("indexing") if progress is True else (progress or None)
    files, folders = _walk([Path(p) for p in paths])
    roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
    skipped: list[str] = []
    with store.index_lock(index_dir, wait):
        store.clean_leftovers(index_dir)
        previous = _previous(index_dir)
        known: dict[str, dict[str, Any]] = {}
        bad: set[str] = set()
        if previous is not None and previous.manifest.get("chunker") == settings.index_params():
            for seg in previous.segments:
                try:
                    seg.check_chunks()
                except SegmentError:
                    bad.add(seg.name)
            in_bad = {d["source"] for seg in previous.segments if seg.name in bad for d in seg.docs}
            known = {s: e for s, e in previous.manifest["documents"].items() if s not in in_bad}
        readable = 0

        def items() -> Iterable[Document | _Unchanged]:
            from qa.ingest.readers import _load, _source_name

            nonlocal readable
            seen: set[str] = set()
            paths_read: dict[str, str] = {}
            # a link and the file it points to are one document: the file is read under its own name
            targets = {
                _resolved(f) for f, _r, reason, walked in files if walked and reason is None and not f.is_symlink()
            }
            for f, root, reason, walked in files:
                if reason is not None:
                    skipped.append(reason)
                    continue
                if walked and f.is_symlink() and _resolved(f) in targets:
                    continue
                name = _source_name(f, root)
                old = known.get(name)
                if old is not None and old.get("path") == _resolved(f):
                    try:
                        st = f.stat()
                    except OSError:
                        st = None
                    if st is not None and st.st_size == old.get("size_on_disk") and st.st_mtime == old.get("mtime"):
                        if name not in seen:
                            seen.add(name)
                            paths_read[old["path"]] = name
                            readable += 1
                            yield _Unchanged(name, old["path"])
                        continue
                try:
                    doc = _load(f, root, confine=False)  # the walk already kept links inside the folders given
                except InputError as exc:
                    skipped.append(str(exc))
                    continue
                if doc.source in seen:
                    skipped.append(f"{doc.source}: skipped, a file with the same name was already loaded")
                    continue
                if doc.path in paths_read:
                    skipped.append(f"{doc.source}: skipped, the same file as {paths_read[doc.path]}")
                    continue
                seen.add(doc.source)
                paths_read[doc.path] = doc.source
                readable += 1
                yield doc

        try:
            manifest = _build(
                items(),
                index_dir,
                settings,
                embedder,
                report,
                roots,
                False,
                len(files),
                backend,
                folders,
                frozenset(bad),
            )
        except InputError:
            if readable:
                raise
            detail = f" ({'; '.join(skipped)})" if skipped else ""
            raise InputError(f"no readable documents in {', '.join(map(str, paths))}{detail}") from None
    if not readable:  # pragma: no cover - _build refuses an empty set
        raise InputError(f"no readable documents in {', '.join(map(str, paths))}")
    return manifest, skipped


def add_documents(
    index_dir: Path, paths: Sequence[Path], progress: Progress | None = None, wait: float = 0.0
) -> dict[str, Any]:
    """Add (or refresh) files in an existing index, keeping everything already indexed. Costs what the new
    documents cost (plus writing a small manifest and the lexicon), not what the index holds."""
    from qa.ingest.readers import iter_documents

    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    docs, skipped = iter_documents([Path(p) for p in paths])
    if not docs:
        raise InputError(skipped[0] if skipped else "no readable document given")
    return build_from_documents(docs, index_dir, settings, progress or False, keep_existing=True, wait=wait)


def remove_documents(index_dir: Path, sources: Sequence[str], wait: float = 0.0) -> dict[str, Any]:
    """Drop documents (by source name) from the index; nothing is re-embedded, no segment is rewritten."""
    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    embedder = get_embedder(settings.embedder)
    with store.index_lock(index_dir, wait):
        store.clean_leftovers(index_dir)
        previous = store.open_generation(index_dir)
        unknown = [s for s in sources if s not in previous.manifest["documents"]]
        if unknown:
            raise InputError(f"not in the index: {', '.join(unknown)}")
        keep = [_Unchanged(s, "") for s in previous.manifest["documents"] if s not in set(sources)]
        extra = {
            "roots": previous.manifest.get("roots", []),
            "excluded": sorted(set(previous.manifest.get("excluded", [])) | set(sources)),
            "folders": previous.manifest.get("folders", {}),
        }
        return _build(keep, index_dir, settings, embedder, None, (), False, len(keep), extra=extra)


def compact(index_dir: Path, wait: float = 0.0) -> dict[str, Any]:
    """Merge every segment below SEGMENT_ROWS live rows (and drop deleted rows); nothing is re-embedded."""
    index_dir = Path(index_dir)
    with store.index_lock(index_dir, wait):
        gen = store.open_generation(index_dir)
        marks = [dict(m) for m in gen.manifest["segments"]]
        segments, marks, merged = merge_small(index_dir, list(gen.segments), marks, force=True)
        from qa.index.backends import backend_config, sync_segments

        cfg = backend_config(gen.manifest)
        sync_segments(index_dir, cfg, merged)
        manifest = {k: v for k, v in gen.manifest.items() if k != "documents"}
        manifest["segments"] = [{k: v for k, v in m.items() if v or k == "name"} for m in marks]
        store.commit(index_dir, manifest, _lexicon(segments))
        return dict(manifest, documents=gen.manifest["documents"])


def _settings_of(index_dir: Path) -> Settings:
    """Settings that reproduce an existing index (same embedder and chunker)."""
    manifest = store.read_manifest(index_dir)
    params = {k: v for k, v in manifest.get("chunker", {}).items() if k in INDEX_KEYS and k != "embedder"}
    return Settings(index_dir=index_dir, embedder=manifest["embedder"]["name"], **params)
