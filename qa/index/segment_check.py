"""Reading a segment's files for `Segment.open` (`qa.index.segment`): each file loaded (arrays memory-mapped) and
checked against segment.json and the others, in the order `Segment.open` calls these; SegmentError says what is off.
"""

from __future__ import annotations

import json
import mmap
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.segment import SEGMENT_FORMAT, SegmentError, read_graph


def _load(path: Path, dtype: Any, ndim: int = 1) -> np.ndarray:
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    if arr.dtype != np.dtype(dtype) or arr.ndim != ndim:
        raise SegmentError(f"{path.name} has type {arr.dtype}/{arr.ndim}d, not {np.dtype(dtype)}/{ndim}d")
    return arr


def read_info(folder: Path) -> dict[str, Any]:
    """segment.json, checked: this format, whole rows >= 0 and dim > 0."""
    info = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
    if not isinstance(info, dict) or info.get("format") != SEGMENT_FORMAT:
        raise SegmentError("segment.json has another format")
    rows, dim = info["rows"], info["dim"]
    if not (isinstance(rows, int) and isinstance(dim, int) and rows >= 0 and dim > 0):
        raise SegmentError("segment.json: bad rows or dim")
    return info


def read_docs(folder: Path, rows: int) -> list[dict[str, Any]]:
    """docs.jsonl, checked: a document a line, their row ranges contiguous and adding up to `rows`."""
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
    return docs


def read_runs(folder: Path, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chunk lines' byte offsets and the offset runs (with their pointers), checked for length."""
    line_starts = _load(folder / "chunks.idx.npy", np.int64)
    if len(line_starts) != rows + 1 or int(line_starts[-1]) != (folder / "chunks.jsonl").stat().st_size:
        raise SegmentError("chunks.jsonl and chunks.idx.npy disagree")
    runs = _load(folder / "runs.npy", np.int32, 2)
    runs_ptr = _load(folder / "runs.ptr.npy", np.int64)
    if len(runs_ptr) != rows + 1 or int(runs_ptr[-1]) != len(runs) or (len(runs) and runs.shape[1] != 2):
        raise SegmentError("runs.npy and runs.ptr.npy disagree")
    return line_starts, runs, runs_ptr


def read_dense(folder: Path, info: dict[str, Any], rows: int, dim: int) -> Any:
    """The HNSW graph of a large segment (None for a small one), the vectors file checked for size."""
    vec_path = folder / "vectors.f32"
    graph = None
    if info.get("hnsw"):
        if not (folder / "dense.hnsw").is_file():
            raise SegmentError("dense.hnsw is missing")
        graph = read_graph(folder / "dense.hnsw", rows, dim)
    if (graph is None or vec_path.exists()) and vec_path.stat().st_size != rows * dim * 4:
        raise SegmentError("vectors.f32 has the wrong size")
    return graph


def read_bm25(folder: Path, info: dict[str, Any], rows: int) -> tuple[np.ndarray, ...]:
    """The BM25 vocabulary (CJK codes, word offsets), postings (indptr, rows, tf) and lengths, sizes checked."""
    cjk = _load(folder / "bm25.cjk.npy", np.uint64)
    words_idx = _load(folder / "bm25.words.idx.npy", np.int64)
    if len(words_idx) < 1 or int(words_idx[-1]) != (folder / "bm25.words.bin").stat().st_size:
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
    return cjk, words_idx, indptr, post_rows, post_tf, doclen


def map_words(blob_path: Path) -> Any:
    """bm25.words.bin memory-mapped (b"" when empty)."""
    blob: Any = b""
    if blob_path.stat().st_size:
        with open(blob_path, "rb") as f:
            blob = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return blob
