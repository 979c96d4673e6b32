"""Segments: immutable slices of an index (documents, chunks, vectors, BM25 postings, dictionary-word counts).

A build (generation) lists the segments it is made of and the rows it has deleted from them; segments are shared
between generations, so adding a document writes one small segment and a new manifest, never the whole corpus.
Every file is plain (JSON, JSON lines, NumPy `.npy`, raw little-endian float32, a FAISS HNSW index); the format
is described in index/README.md.

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
import os
import secrets
import shutil
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.bm25 import is_cjk_token, token_code, tokenize
from qa.index.lexicon import count_words
from qa.types import Chunk

SEGMENT_FORMAT = 2
#: Segments at least this large get an HNSW graph (measured: exact search of 20k 512-d rows ~2-4 ms on one busy
#: core, HNSW ~0.3 ms; see docs/scaling.md).
HNSW_MIN = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
EMPTY_TOKEN = "\u2205"
_KINDS = ("body", "caption", "heading")


class SegmentError(Exception):
    """A segment's files are missing, truncated or inconsistent (the message says which)."""


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


def runs_to_offsets(runs: np.ndarray, length: int) -> tuple[int, ...]:
    if length == 0 or len(runs) == 0:
        return ()
    pos = runs[:, 0].astype(np.int64)
    raw = runs[:, 1].astype(np.int64)
    ends = np.append(pos[1:], length)
    return tuple(np.concatenate([np.arange(r, r + (e - p)) for p, r, e in zip(pos, raw, ends, strict=True)]).tolist())


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


def _load(path: Path, dtype: Any, ndim: int = 1) -> np.ndarray:
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    if arr.dtype != np.dtype(dtype) or arr.ndim != ndim:
        raise SegmentError(f"{path.name} has type {arr.dtype}/{arr.ndim}d, not {np.dtype(dtype)}/{ndim}d")
    return arr


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
        try:
            info = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
            if not isinstance(info, dict) or info.get("format") != SEGMENT_FORMAT:
                raise SegmentError("segment.json has another format")
            rows, dim = info["rows"], info["dim"]
            if not (isinstance(rows, int) and isinstance(dim, int) and rows >= 0 and dim > 0):
                raise SegmentError("segment.json: bad rows or dim")
            docs = []
            with open(folder / "docs.jsonl", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    if not isinstance(d, dict) or not isinstance(d.get("source"), str):
                        raise SegmentError("docs.jsonl: a line is not a document")
                    r = d.get("rows")
                    if not (isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) for x in r)):
                        raise SegmentError(f"docs.jsonl: bad rows for {d['source']}")
                    docs.append(d)
            expect = 0
            for d in docs:
                if d["rows"][0] != expect or d["rows"][1] < expect:
                    raise SegmentError("docs.jsonl: row ranges are not contiguous")
                expect = d["rows"][1]
            if expect != rows:
                raise SegmentError("docs.jsonl: rows do not add up")
            line_starts = _load(folder / "chunks.idx.npy", np.int64)
            if len(line_starts) != rows + 1 or int(line_starts[-1]) != (folder / "chunks.jsonl").stat().st_size:
                raise SegmentError("chunks.jsonl and chunks.idx.npy disagree")
            runs = _load(folder / "runs.npy", np.int32, 2)
            runs_ptr = _load(folder / "runs.ptr.npy", np.int64)
            if len(runs_ptr) != rows + 1 or int(runs_ptr[-1]) != len(runs) or (len(runs) and runs.shape[1] != 2):
                raise SegmentError("runs.npy and runs.ptr.npy disagree")
            vec_path = folder / "vectors.f32"
            graph = None
            if info.get("hnsw"):
                if not (folder / "dense.hnsw").is_file():
                    raise SegmentError("dense.hnsw is missing")
                graph = read_graph(folder / "dense.hnsw", rows, dim)
            if (graph is None or vec_path.exists()) and vec_path.stat().st_size != rows * dim * 4:
                raise SegmentError("vectors.f32 has the wrong size")
            cjk = _load(folder / "bm25.cjk.npy", np.uint64)
            words_idx = _load(folder / "bm25.words.idx.npy", np.int64)
            blob_path = folder / "bm25.words.bin"
            if len(words_idx) < 1 or int(words_idx[-1]) != blob_path.stat().st_size:
                raise SegmentError("bm25.words.bin and its index disagree")
            n_vocab = len(cjk) + len(words_idx) - 1
            if n_vocab != info.get("vocab"):
                raise SegmentError("the BM25 vocabulary has the wrong size")
            indptr = _load(folder / "bm25.indptr.npy", np.int64)
            post_rows = _load(folder / "bm25.rows.npy", np.int32)
            post_tf = _load(folder / "bm25.tf.npy", np.uint16)
            doclen = _load(folder / "bm25.doclen.npy", np.int32)
            if len(indptr) != n_vocab + 1 or int(indptr[-1]) != len(post_rows) or len(post_tf) != len(post_rows):
                raise SegmentError("BM25 postings have the wrong length")
            if len(doclen) != rows:
                raise SegmentError("bm25.doclen.npy has the wrong length")
            words = (folder / "words.json").stat().st_size
            if words < 2:
                raise SegmentError("words.json is empty")
            blob: Any = b""
            if blob_path.stat().st_size:
                with open(blob_path, "rb") as f:
                    blob = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
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
