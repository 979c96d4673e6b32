"""Dense side of retrieval over segments: exact inner product on small segments, HNSW on large ones.

Rows are logical (deleted rows left out). `search(q, k)` returns the top k; `similarity(q, rows)` scores given
rows exactly (used to rescore candidates and to search inside a few documents).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from qa.index.segment import Segment

#: HNSW breadth at search time; at least k. 128 gave recall@10 >= 0.99 against exact search (docs/scaling.md).
EF_SEARCH = 128
#: Threads FAISS may use for one search (a question is one small search: more threads only add overhead).
SEARCH_THREADS = 1


def set_search_threads(n: int = SEARCH_THREADS) -> None:
    import faiss

    faiss.omp_set_num_threads(max(1, n))


class DenseIndex:
    """The vectors of a generation: `ntotal` logical rows of dimension `d` (a `DenseBackend` with no full-text side)."""

    hybrid = False

    def __init__(
        self,
        segments: Sequence[Segment],
        live: Sequence[np.ndarray | None],
        dim: int,
        logical: np.ndarray | None = None,
        physical: np.ndarray | None = None,
        load_graphs: bool = True,
    ) -> None:
        self.segments = list(segments)
        self.live = list(live)
        self.d = dim
        self.offsets = np.cumsum([0] + [s.rows for s in self.segments])
        self.logical = logical  # physical -> logical (-1: deleted); None: identity
        self.physical = physical  # logical -> physical; None: identity
        self.ntotal = int(self.offsets[-1]) if physical is None else len(physical)
        self.graphs: list[Any] = [seg.graph if load_graphs else None for seg in self.segments]
        self.ef_search = EF_SEARCH

    def _to_logical(self, phys: np.ndarray) -> np.ndarray:
        return phys if self.logical is None else self.logical[phys]

    def _to_physical(self, rows: np.ndarray) -> np.ndarray:
        return rows if self.physical is None else self.physical[rows]

    def _locate(self, phys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seg = np.searchsorted(self.offsets, phys, side="right") - 1
        return seg, phys - self.offsets[seg]

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (similarities, logical rows), each shaped (1, k) like FAISS; -1 rows pad a short result."""
        q = np.ascontiguousarray(np.asarray(q, dtype=np.float32).reshape(1, -1))
        sims_all: list[np.ndarray] = []
        ids_all: list[np.ndarray] = []
        for i, seg in enumerate(self.segments):
            if seg.rows == 0:
                continue
            mask = self.live[i]
            graph = self.graphs[i]
            if graph is not None:
                extra = 0 if mask is None else int(seg.rows - mask.sum())
                kk = min(seg.rows, k + min(extra, 4 * k))
                graph.hnsw.efSearch = max(self.ef_search, kk)
                sims, rows = graph.search(q, kk)
                sims, rows = sims[0], rows[0]
                ok = rows >= 0
                sims, rows = sims[ok], rows[ok]
            else:
                sims = np.asarray(seg.vectors @ q[0], dtype=np.float32)
                rows = np.arange(seg.rows)
                if len(sims) > k:
                    top = np.argpartition(-sims, k)[:k] if mask is None else None
                    if top is not None:
                        sims, rows = sims[top], rows[top]
            if mask is not None:
                keep = mask[rows]
                sims, rows = sims[keep], rows[keep]
            sims_all.append(sims)
            ids_all.append(rows.astype(np.int64) + int(self.offsets[i]))
        if not sims_all:
            return np.full((1, k), -np.inf, dtype=np.float32), np.full((1, k), -1, dtype=np.int64)
        sims = np.concatenate(sims_all)
        phys = np.concatenate(ids_all)
        order = np.argsort(-sims, kind="stable")[:k]
        out_s = np.full(k, -np.inf, dtype=np.float32)
        out_i = np.full(k, -1, dtype=np.int64)
        out_s[: len(order)] = sims[order]
        out_i[: len(order)] = self._to_logical(phys[order])
        return out_s[None, :], out_i[None, :]

    def reconstruct_rows(self, rows: np.ndarray) -> np.ndarray:
        """Vectors of logical `rows`, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros((len(rows), self.d), dtype=np.float32)
        if not len(rows):
            return out
        seg, local = self._locate(self._to_physical(rows))
        for s in np.unique(seg):
            pick = seg == s
            vecs = self.segments[int(s)].vectors
            loc = local[pick]
            order = np.argsort(loc)
            got = np.asarray(vecs[loc[order]])
            tmp = np.empty_like(got)
            tmp[order] = got
            out[pick] = tmp
        return out

    def reconstruct_n(self, start: int, n: int) -> np.ndarray:
        return self.reconstruct_rows(np.arange(start, start + n))

    def reconstruct(self, row: int) -> np.ndarray:
        return self.reconstruct_rows(np.array([row]))[0]

    def candidates(self, text: str, q: np.ndarray, k: int, dense_weight: float) -> np.ndarray | None:
        """No hybrid proposal: the retriever fuses `search` with the local BM25 postings."""
        return None

    def similarity(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact inner products of the question with logical `rows`."""
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        if self.physical is None and len(self.segments) == 1 and len(rows) > 1 and rows[-1] - rows[0] + 1 == len(rows):
            a = int(rows[0])
            return np.asarray(self.segments[0].vectors[a : a + len(rows)] @ q, dtype=np.float32)
        return np.asarray(self.reconstruct_rows(rows) @ q, dtype=np.float32)
