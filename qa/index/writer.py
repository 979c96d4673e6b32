"""Documents into segments: a document is chunked (a very long plain text a piece at a time, so memory stays
bounded), and `Writer` embeds the chunks in batches (reusing the vectors of chunk texts already embedded) and
streams them into segments, closing one every SEGMENT_ROWS rows; a large one gets an HNSW graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import InputError
from qa.index.embedders import Embedder
from qa.index.segment_writer import HNSW_MIN, SegmentWriter
from qa.index.store import SEGMENTS
from qa.ingest.chunking import chunk_and_describe
from qa.progress import Progress, Step
from qa.types import Chunk, Document

EMBED_BATCH = 256  # chunks embedded together
REPORT_EVERY = 32  # ... in calls of this many, each reported (an upload's progress moves while it embeds)
SEGMENT_ROWS = 50_000  # a segment is closed at this many rows (bounds build memory; large ones get HNSW)
SPLIT_CHARS = 2_000_000  # a longer text document is cleaned and chunked in pieces (bounded memory)


def _headings(chunks: Sequence[Chunk]) -> str:
    return "".join("\n" + c.text for c in chunks if c.kind == "heading")


def text_key(text: str) -> str:
    """Content hash used to reuse an embedding for identical chunk text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


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


class Writer:
    """Batches documents for embedding and streams them into segments."""

    def __init__(self, index_dir: Path, embedder: Embedder, dim: int, report: Progress | None) -> None:
        self.seg_dir = index_dir / SEGMENTS
        self.embedder = embedder
        self.dim = dim
        self.report = report
        self.writer: SegmentWriter | None = None
        self.pending: list[tuple[dict[str, Any], list[Chunk], dict[str, np.ndarray]]] = []
        self.pending_rows = 0
        self.finished: list[Path] = []
        self.embedded = 0
        self.at = 0.0  # the fraction of the whole update done, as the caller last reported it

    def add(self, entry: dict[str, Any], chunks: list[Chunk], reuse: dict[str, np.ndarray]) -> None:
        self.pending.append((entry, chunks, reuse))
        self.pending_rows += len(chunks)
        if self.pending_rows >= EMBED_BATCH:
            self.flush()

    def add_document(
        self, entry: dict[str, Any], doc: Document, splitter: Any, min_chunk: int, reuse: dict[str, np.ndarray]
    ) -> None:
        """One document, chunked whole, or a piece at a time when it is a very long plain text (`chunk_pieces`)."""
        if len(doc.raw_text) <= SPLIT_CHARS or doc.pages:
            chunks, meta = chunk_and_describe(doc, splitter, min_chunk)
            entry.update(meta=meta.to_dict(), chunks=len(chunks), headings=_headings(chunks))
            self.add(entry, chunks, reuse)
        else:
            self.add_pieces(entry, chunk_pieces(doc, splitter, min_chunk), reuse)

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
            got = self._encode([todo[k] for k in keys])
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

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`, REPORT_EVERY at a time when there is someone to tell."""
        step = len(texts) if self.report is None else REPORT_EVERY
        parts = []
        for i in range(0, len(texts), step):
            batch = texts[i : i + step]
            parts.append(np.asarray(self.embedder.encode(batch), dtype=np.float32).reshape(len(batch), -1))
            if self.report is not None:
                self.report(self.at, Step("embed", done=i + len(batch), total=len(texts)))
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

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
