"""Writing a segment: chunk lines, offset runs, vectors, BM25 postings and dictionary-word counts go to a
temporary folder as documents arrive; `finish` writes the postings and, for a large segment, its HNSW graph, then
moves the folder into place (a segment is never changed after). The files are described in `qa.index.segment`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from array import array
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.lexicon import count_words
from qa.index.segment import EMPTY_TOKEN, SEGMENT_FORMAT
from qa.text.tokens import is_cjk_token, token_code, tokenize
from qa.types import Chunk

#: Segments at least this large get an HNSW graph (measured: exact search of 20k 512-d rows ~2-4 ms on one busy
#: core, HNSW ~0.3 ms; see docs/scaling.md).
HNSW_MIN = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80


def new_name(prefix: str = "s") -> str:
    now = time.time()
    return (
        time.strftime(f"{prefix}-%Y%m%dT%H%M%S", time.localtime(now))
        + f"{int(now * 1000) % 1000:03d}-"
        + (secrets.token_hex(4))
    )


def offsets_to_runs(offsets: Sequence[int]) -> list[tuple[int, int]]:
    """(position, raw offset) where each run of consecutive raw offsets starts."""
    runs: list[tuple[int, int]] = []
    prev = None
    for i, o in enumerate(offsets):
        if prev is None or o != prev + 1:
            runs.append((i, o))
        prev = o
    return runs


class SegmentWriter:
    """Writes one segment as documents arrive (chunk lines, runs and vectors go to disk at once)."""

    def __init__(self, segments_dir: Path, dim: int, embedder: str) -> None:
        self.name = new_name()
        self.segments_dir = segments_dir
        segments_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = segments_dir / f".tmp-{self.name}-{os.getpid()}"
        self.tmp.mkdir()
        self.dim = dim
        self.embedder = embedder
        self.rows = 0
        self.docs: list[dict[str, Any]] = []
        self._chunks = open(self.tmp / "chunks.jsonl", "wb")
        self._vectors = open(self.tmp / "vectors.f32", "wb")
        self._line_starts = array("q", [0])
        self._runs = array("i")
        self._runs_ptr = array("q", [0])
        self._vocab: dict[str, int] = {}
        self._tid = array("i")
        self._row = array("i")
        self._tf = array("H")
        self._doclen = array("i")
        self._words: Counter[str] = Counter()
        self._first = 0

    def add(self, entry: dict[str, Any], chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Append one document: its manifest entry, its chunks and their vectors (same order)."""
        self.begin(entry)
        self.append(chunks, vectors)
        self.end(dict(entry, chunks=len(chunks)))

    def begin(self, entry: dict[str, Any]) -> None:
        """Start a document whose chunks come in several `append` calls."""
        self._first = self.rows

    def end(self, entry: dict[str, Any]) -> None:
        """Close the document started by `begin`: its entry spans every row appended since."""
        self.docs.append(dict(entry, source=entry["source"], rows=[self._first, self.rows]))

    def append(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Append chunks (and their vectors) of the current document."""
        matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(chunks), -1) if len(chunks) else None
        if matrix is not None and matrix.shape[1] != self.dim:
            raise ValueError(f"vector size {matrix.shape[1]} != {self.dim}")
        vocab = self._vocab
        for c in chunks:
            d = {
                "id": c.id,
                "source": c.source,
                "start": c.start,
                "end": c.end,
                "section": c.section,
                "kind": c.kind,
                "text": c.text,
                "page": c.page,
                "context": c.context,
            }
            if len(c.offsets) != len(c.text):
                d["n_offsets"] = len(c.offsets)
            line = (json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8")
            self._chunks.write(line)
            self._line_starts.append(self._line_starts[-1] + len(line))
            for pos, raw in offsets_to_runs(c.offsets):
                self._runs.append(pos)
                self._runs.append(raw)
            self._runs_ptr.append(len(self._runs) // 2)
            tokens = tokenize(c.search_text) or [EMPTY_TOKEN]
            self._doclen.append(len(tokens))
            for tok, tf in Counter(tokens).items():
                tid = vocab.get(tok)
                if tid is None:
                    tid = vocab[tok] = len(vocab)
                self._tid.append(tid)
                self._row.append(self.rows)
                self._tf.append(min(tf, 65535))
            self.rows += 1
        count_words((c.text for c in chunks), self._words)
        if matrix is not None:
            self._vectors.write(matrix.tobytes())

    def finish(self, hnsw_min: int = HNSW_MIN) -> Path:
        """Write the postings, the HNSW graph (large segments), the document list; move into place."""
        self._chunks.close()
        self._vectors.close()
        tmp = self.tmp
        np.save(tmp / "chunks.idx.npy", np.frombuffer(self._line_starts, dtype=np.int64))
        np.save(tmp / "runs.npy", np.frombuffer(self._runs, dtype=np.int32).reshape(-1, 2))
        np.save(tmp / "runs.ptr.npy", np.frombuffer(self._runs_ptr, dtype=np.int64))
        n_vocab = self._write_postings(tmp)
        self._runs = self._tid = self._row = array("i")
        (tmp / "words.json").write_text(json.dumps(dict(self._words), ensure_ascii=False), encoding="utf-8")
        with open(tmp / "docs.jsonl", "w", encoding="utf-8") as f:
            for d in self.docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        hnsw = self.rows >= hnsw_min
        if hnsw:  # the graph keeps the vectors: the flat copy goes (2 KB a chunk)
            build_hnsw(tmp, self.dim)
            (tmp / "vectors.f32").unlink()
        info = {
            "format": SEGMENT_FORMAT,
            "name": self.name,
            "uid": secrets.randbits(31),
            "rows": self.rows,
            "docs": len(self.docs),
            "dim": self.dim,
            "embedder": self.embedder,
            "vocab": n_vocab,
            "tokens": int(sum(self._doclen)),
            "hnsw": hnsw,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (tmp / "segment.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
        final = self.segments_dir / self.name
        os.replace(tmp, final)
        return final

    def abort(self) -> None:
        for f in (self._chunks, self._vectors):
            f.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _write_postings(self, tmp: Path) -> int:
        tokens = list(self._vocab)
        self._vocab = {}
        cjk = [(token_code(t), i) for i, t in enumerate(tokens) if is_cjk_token(t)]
        cjk.sort()
        words = sorted(((t.encode("utf-8"), i) for i, t in enumerate(tokens) if not is_cjk_token(t)))
        new_id = np.zeros(len(tokens), dtype=np.int32)
        for j, (_code, i) in enumerate(cjk):
            new_id[i] = j
        for j, (_b, i) in enumerate(words):
            new_id[i] = len(cjk) + j
        np.save(tmp / "bm25.cjk.npy", np.array([c for c, _i in cjk], dtype=np.uint64))
        blob = b"".join(b for b, _i in words)
        (tmp / "bm25.words.bin").write_bytes(blob)
        starts = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(b) for b, _i in words], out=starts[1:])
        np.save(tmp / "bm25.words.idx.npy", starts)
        tid = new_id[np.frombuffer(self._tid, dtype=np.int32)]
        order = np.argsort(tid, kind="stable")  # rows were added in order: they stay sorted within a token
        np.save(tmp / "bm25.rows.npy", np.frombuffer(self._row, dtype=np.int32)[order])
        np.save(tmp / "bm25.tf.npy", np.frombuffer(self._tf, dtype=np.uint16)[order])
        del order
        indptr = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tid, minlength=len(tokens)), out=indptr[1:])
        np.save(tmp / "bm25.indptr.npy", indptr)
        np.save(tmp / "bm25.doclen.npy", np.frombuffer(self._doclen, dtype=np.int32))
        return len(tokens)


def build_hnsw(folder: Path, dim: int) -> None:
    """An HNSW graph over a segment's vectors (inner product on normalised vectors = cosine)."""
    import faiss

    vecs = np.memmap(folder / "vectors.f32", dtype=np.float32, mode="r").reshape(-1, dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # a build uses every core; searches set their own (one)
    try:
        step = 20_000
        for i in range(0, len(vecs), step):
            index.add(np.ascontiguousarray(vecs[i : i + step]))
    finally:
        faiss.omp_set_num_threads(threads)
    faiss.write_index(index, str(folder / "dense.hnsw"))
