"""Segments: immutable slices of an index (documents, chunks, vectors, BM25 postings, dictionary-word counts).

A build (generation) lists the segments it is made of and the rows it has deleted from them; segments are shared
between generations, so adding a document writes one small segment and a new manifest, never the whole corpus.
Every file is plain (JSON, JSON lines, NumPy `.npy`, raw little-endian float32, a FAISS HNSW index); the format
is described in index/README.md. This module reads segments (`Segment`; `qa.index.segment_check` reads and checks
their files), `qa.index.segment_writer` writes them.

    segments/<name>/segment.json     what the segment holds (rows, dim, embedder, files)
                    docs.jsonl       one line per document: source, row range, hash, size, path, mtime, meta
                    chunks.jsonl     one line per chunk (no offsets); chunks.idx.npy: byte offset of each line
                    runs.npy         raw offsets as runs: (position in text, raw offset) int32 pairs
                    runs.ptr.npy     first run of each chunk (rows + 1)
                    vectors.f32      rows x dim float32, L2-normalised (row i = line i of chunks.jsonl); segments
                                     of >= HNSW_MIN rows keep them only in dense.hnsw, a FAISS IndexHNSWFlat
                    bm25.*.npy       postings (token -> rows, term frequencies), document lengths, vocabulary
                    words.json       CC-CEDICT headword -> occurrences in the chunk texts (for the lexicon)
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.text.tokens import is_cjk_token, token_code
from qa.types import Chunk

SEGMENT_FORMAT = 2
EMPTY_TOKEN = "\u2205"
_KINDS = ("body", "caption", "heading")


class SegmentError(Exception):
    """A segment's files are missing, truncated or inconsistent (the message says which)."""


def runs_to_offsets(runs: np.ndarray, length: int) -> tuple[int, ...]:
    if length == 0 or len(runs) == 0:
        return ()
    pos = runs[:, 0].astype(np.int64)
    raw = runs[:, 1].astype(np.int64)
    ends = np.append(pos[1:], length)
    return tuple(np.concatenate([np.arange(r, r + (e - p)) for p, r, e in zip(pos, raw, ends, strict=True)]).tolist())


def read_graph(path: Path, rows: int, dim: int) -> Any:
    """A segment's HNSW index, memory-mapped where FAISS can (its vectors are then paged in as searched)."""
    import faiss

    flag = getattr(faiss, "IO_FLAG_MMAP_IFC", None)
    index = None
    if flag is not None:
        try:
            index = faiss.read_index(str(path), flag)
        except RuntimeError:
            index = None
    if index is None:
        index = faiss.read_index(str(path))
    if index.ntotal != rows or index.d != dim:
        raise SegmentError(f"dense.hnsw holds {index.ntotal} vectors of {index.d}, not {rows} of {dim}")
    return index


@dataclass
class Segment:
    """A segment opened for reading: arrays memory-mapped, chunk lines parsed on demand."""

    folder: Path
    info: dict[str, Any]
    docs: list[dict[str, Any]]
    line_starts: np.ndarray
    runs: np.ndarray
    runs_ptr: np.ndarray
    cjk: np.ndarray
    words_idx: np.ndarray
    words_blob: Any
    indptr: np.ndarray
    post_rows: np.ndarray
    post_tf: np.ndarray
    doclen: np.ndarray
    _chunks_map: Any = None
    _vectors: np.ndarray | None = None
    graph: Any = None  # the HNSW index (memory-mapped) of a large segment

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def rows(self) -> int:
        return int(self.info["rows"])

    @property
    def uid(self) -> int:
        return int(self.info.get("uid", 0))

    @classmethod
    def open(cls, folder: Path) -> Segment:
        """Open and check a segment's structure (sizes and lengths); SegmentError when anything is off."""
        from qa.index.segment_check import map_words, read_bm25, read_dense, read_docs, read_info, read_runs

        try:
            info = read_info(folder)
            rows, dim = info["rows"], info["dim"]
            docs = read_docs(folder, rows)
            line_starts, runs, runs_ptr = read_runs(folder, rows)
            graph = read_dense(folder, info, rows, dim)
            cjk, words_idx, indptr, post_rows, post_tf, doclen = read_bm25(folder, info, rows)
            words = (folder / "words.json").stat().st_size
            if words < 2:
                raise SegmentError("words.json is empty")
            blob = map_words(folder / "bm25.words.bin")
        except SegmentError:
            raise
        except Exception as exc:
            raise SegmentError(f"{exc.__class__.__name__}: {str(exc)[:120]}") from exc
        seg = cls(
            folder, info, docs, line_starts, runs, runs_ptr, cjk, words_idx, blob, indptr, post_rows, post_tf, doclen
        )
        seg.graph = graph
        return seg

    # ---- chunks ----

    def _line(self, row: int) -> bytes:
        if self._chunks_map is None:
            with open(self.folder / "chunks.jsonl", "rb") as f:
                self._chunks_map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if self.rows else b""
        return bytes(self._chunks_map[int(self.line_starts[row]) : int(self.line_starts[row + 1])])

    def chunk(self, row: int) -> Chunk:
        """Chunk `row`, offsets decoded from runs; SegmentError when the stored line is malformed."""
        try:
            d = json.loads(self._line(row))
            n = d.pop("n_offsets", None)
            text = d["text"]
            checks = (
                isinstance(d["id"], str),
                isinstance(d["source"], str),
                isinstance(text, str),
                isinstance(d["start"], int) and isinstance(d["end"], int),
                isinstance(d["section"], str) and isinstance(d["context"], str),
                d["kind"] in _KINDS,
                d["page"] is None or isinstance(d["page"], int),
            )
            if not all(checks):
                raise SegmentError(f"chunk {row} of {self.name} has fields of the wrong type")
            a, b = int(self.runs_ptr[row]), int(self.runs_ptr[row + 1])
            offsets = runs_to_offsets(np.asarray(self.runs[a:b]), len(text) if n is None else int(n))
            return Chunk(offsets=offsets, **d)
        except SegmentError:
            raise
        except Exception as exc:
            raise SegmentError(f"chunk {row} of {self.name} is malformed ({exc.__class__.__name__})") from exc

    def text(self, row: int) -> str:
        return str(json.loads(self._line(row))["text"])

    def check_chunks(self) -> None:
        """Parse every chunk line (a full check, for `qa build`)."""
        for row in range(self.rows):
            self.chunk(row)

    # ---- vectors ----

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            dim = int(self.info["dim"])
            if self.rows == 0:
                self._vectors = np.zeros((0, dim), dtype=np.float32)
            elif self.graph is not None and not (self.folder / "vectors.f32").exists():
                import faiss

                storage: Any = faiss.downcast_index(self.graph.storage)
                self._vectors = faiss.rev_swig_ptr(storage.get_xb(), self.rows * dim).reshape(self.rows, dim)
            else:
                self._vectors = np.memmap(self.folder / "vectors.f32", dtype=np.float32, mode="r").reshape(-1, dim)
        return self._vectors

    # ---- BM25 ----

    def token_id(self, token: str) -> int | None:
        if is_cjk_token(token):
            code = np.uint64(token_code(token))
            i = int(np.searchsorted(self.cjk, code))
            return i if i < len(self.cjk) and self.cjk[i] == code else None
        key = token.encode("utf-8")
        idx = self.words_idx
        lo, hi = 0, len(idx) - 1
        blob = self.words_blob
        while lo < hi:
            mid = (lo + hi) // 2
            word = blob[int(idx[mid]) : int(idx[mid + 1])]
            if word < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(idx) - 1 and blob[int(idx[lo]) : int(idx[lo + 1])] == key:
            return len(self.cjk) + lo
        return None

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding `token` and its term frequencies (checked here, not at open: a scan of every posting
        would read the whole file at load)."""
        tid = self.token_id(token)
        if tid is None:
            return _EMPTY_ROWS, _EMPTY_TF
        a, b = int(self.indptr[tid]), int(self.indptr[tid + 1])
        if not 0 <= a <= b <= len(self.post_rows):
            raise SegmentError(f"BM25 postings of {self.name} point outside the file")
        rows = self.post_rows[a:b]
        if b > a and (int(rows[0]) < 0 or int(rows[-1]) >= self.rows):
            raise SegmentError(f"BM25 postings of {self.name} name rows the segment lacks")
        return rows, self.post_tf[a:b]

    def has_codes(self, codes: np.ndarray) -> np.ndarray:
        """Which CJK token codes (see bm25.token_code) occur in this segment."""
        if not len(self.cjk) or not len(codes):
            return np.zeros(len(codes), dtype=bool)
        i = np.minimum(np.searchsorted(self.cjk, codes), len(self.cjk) - 1)
        return np.asarray(self.cjk[i] == codes)

    def words(self) -> dict[str, int]:
        data = json.loads((self.folder / "words.json").read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise SegmentError("words.json is not an object")
        return data

    def close(self) -> None:
        for m in (self._chunks_map, self.words_blob):
            if isinstance(m, mmap.mmap):
                try:
                    m.close()
                except BufferError:
                    pass


_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.uint16)


def read_texts(segments: Iterable[Segment]) -> Iterable[str]:
    for seg in segments:
        for row in range(seg.rows):
            yield seg.text(row)
