"""Hybrid retrieval: BM25 (character n-grams, or dictionary-translated terms for English) fused with dense.

Fusion is score-aware: each side is scaled by its best score for the question, then mixed with a
weight that depends on the question's script. (Plain equal-weight RRF was measured to hurt Chinese.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.config import Settings
from qa.index.embedders import Embedder
from qa.index.store import IndexData
from qa.retrieve.query import Query, analyse_query
from qa.types import Hit


def _scale(x: np.ndarray) -> np.ndarray:
    """Divide by the maximum, so the best document scores 1 (all zeros stay zeros)."""
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else np.zeros_like(x)


class Retriever:
    """Searches one loaded index; cheap to call many times."""

    def __init__(self, data: IndexData, embedder: Embedder, settings: Settings) -> None:
        self.data = data
        self.embedder = embedder
        self.settings = settings

    def query(self, question: str, drop: Sequence[str] = ()) -> Query:
        """The question analysed for search (language, tokens, dictionary terms, vector), without `drop` (the
        names of the reports it is limited to)."""
        embedder = self.embedder if self.data.chunks else None
        return analyse_query(question, self.data.lexicon, lambda: self.data.corpus_text, embedder, drop)

    def rows(self, sources: Sequence[str] | None) -> np.ndarray | None:
        """Chunk rows of `sources` (None: every row)."""
        if sources is None:
            return None
        ranges = self.data.ranges
        parts = [np.arange(*ranges[s]) for s in sources if s in ranges]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def dense_scores(self, query: Query, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of the question with every chunk (with `rows`: with those chunks only, others 0)."""
        n = len(self.data.chunks)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        q = query.vector[None, :] if query.vector is not None else self.embedder.encode([query.text])
        q = np.ascontiguousarray(q, dtype=np.float32)
        out = np.zeros(n, dtype=np.float32)
        if rows is not None:
            for a, b in _runs(rows):
                out[a:b] = self.data.dense.reconstruct_n(int(a), int(b - a)) @ q[0]
            return out
        sims, ids = self.data.dense.search(q, n)
        valid = ids[0] >= 0
        out[ids[0][valid]] = sims[0][valid]
        return out

    def search(self, query: Query, k: int = 10, sources: Sequence[str] | None = None) -> list[Hit]:
        """Top-k chunks by fused score, among the chunks of `sources` when given."""
        n = len(self.data.chunks)
        rows = self.rows(sources)
        if n == 0 or (rows is not None and rows.size == 0):
            return []
        bm25 = self.data.lexical.scores(query.tokens)
        dense = self.dense_scores(query, rows)
        if rows is not None:
            keep = np.zeros(n, dtype=bool)
            keep[rows] = True
            bm25 = np.where(keep, bm25, 0.0)
        w = self.settings.dense_weight_en if query.lang == "en" else self.settings.dense_weight
        fused = (1.0 - w) * _scale(bm25) + w * _scale(np.maximum(dense, 0.0))
        candidates = rows if rows is not None else np.arange(n)
        order = candidates[np.argsort(-fused[candidates], kind="stable")[:k]]
        return [Hit(self.data.chunks[i], float(fused[i]), float(bm25[i]), float(dense[i])) for i in order]


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted rows as [start, end) runs of consecutive numbers."""
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks] + 1, [rows[-1] + 1]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
