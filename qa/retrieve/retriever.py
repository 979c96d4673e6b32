"""Hybrid retrieval: BM25 (character n-grams, or dictionary-translated terms for English) fused with dense.

On a large index a question scores candidates only (see EXACT_ROWS): the cost does not grow with the corpus
beyond the BM25 postings of its tokens.

Fusion is score-aware: each side is scaled by its best score for the question, then mixed with a
weight that depends on the question's script. (Plain equal-weight RRF was measured to hurt Chinese.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.config import Settings
from qa.index.embedders import Embedder
from qa.index.loaded import IndexData
from qa.retrieve.query import Query, analyse_query
from qa.types import Hit


def _scale(x: np.ndarray) -> np.ndarray:
    """Divide by the maximum, so the best document scores 1 (all zeros stay zeros)."""
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else np.zeros_like(x)


#: Above this many chunks a question is scored against candidates only: the DENSE_K nearest vectors (HNSW on
#: large segments) and the BM25_K best BM25 rows, each rescored exactly; below it every chunk is scored.
EXACT_ROWS = 5_000
DENSE_K = 200
BM25_K = 200


class Retriever:
    """Searches one loaded index; cheap to call many times."""

    def __init__(self, data: IndexData, embedder: Embedder, settings: Settings) -> None:
        self.data = data
        self.embedder = embedder
        self.settings = settings.for_embedder(embedder.name)  # the embedder's cosine scale and fusion weights

    def query(self, question: str, drop: Sequence[str] = ()) -> Query:
        """The question analysed for search (language, tokens, dictionary terms, vector), without `drop` (the
        names of the reports it is limited to). Romanised names are looked up in the index's character pairs."""
        embedder = self.embedder if len(self.data.chunks) else None
        return analyse_query(question, self.data.lexicon, lambda: self.data.lexical, embedder, drop)

    def rows(self, sources: Sequence[str] | None, years: Sequence[int] = ()) -> np.ndarray | None:
        """Chunk rows of `sources` (None: every row). With `years`, a file of several years' documents is searched
        in those years' parts only (when it holds any of them): "南京2023年末常住人口" reads the 2023 communiqué."""
        if sources is None:
            if not years or len(self.data.chunks) > EXACT_ROWS:
                return None
            if not any(m.parts for m in self.data.metas.values()):
                return None
            sources = list(self.data.ranges)
        ranges = self.data.ranges
        parts = []
        for s in sources:
            if s in ranges:
                part = self.data.part_rows(s, years) if years else None
                parts.append(np.arange(*ranges[s]) if part is None else part)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _vector(self, query: Query) -> np.ndarray:
        q = query.vector if query.vector is not None else self.embedder.encode([query.text], "query")[0]
        return np.ascontiguousarray(np.asarray(q, dtype=np.float32).reshape(-1))

    def dense_scores(self, query: Query, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of the question with every chunk (with `rows`: with those chunks only, others 0);
        above EXACT_ROWS chunks, only the DENSE_K nearest are filled in."""
        n = len(self.data.chunks)
        out = np.zeros(n, dtype=np.float32)
        if n == 0:
            return out
        q = self._vector(query)
        if rows is None and n > EXACT_ROWS:
            sims, ids = self.data.dense.search(q[None, :], DENSE_K)
            ok = ids[0] >= 0
            out[ids[0][ok]] = sims[0][ok]
            return out
        rows = np.arange(n) if rows is None else rows
        out[rows] = self.data.dense.similarity(q, rows)
        return out

    def candidates(self, query: Query, bm25: np.ndarray, q: np.ndarray, weight: float) -> np.ndarray:
        """Rows worth scoring on a large index: the nearest vectors (or the backend's hybrid proposal) and the
        best BM25 rows, sorted."""
        ids = None
        if self.data.dense.hybrid:
            text = (
                query.text
                if query.lang != "en"
                else " ".join(z for z, _w in query.terms + [(z, 1.0) for z, _ in query.names])
            )
            ids = self.data.dense.candidates(text or query.text, q, DENSE_K, weight)
        if ids is None:
            _sims, found = self.data.dense.search(q[None, :], DENSE_K)
            ids = found[0][found[0] >= 0]
            positive = np.flatnonzero(bm25 > 0)
            if len(positive) > BM25_K:
                positive = positive[np.argpartition(-bm25[positive], BM25_K)[:BM25_K]]
            ids = np.concatenate([ids, positive])
        return np.unique(np.asarray(ids, dtype=np.int64))

    def search(
        self, query: Query, k: int = 10, sources: Sequence[str] | None = None, years: Sequence[int] = ()
    ) -> list[Hit]:
        """Top-k chunks by fused score, among the chunks of `sources` when given (and of the parts of `years` in
        a series file, see `rows`)."""
        n = len(self.data.chunks)
        rows = self.rows(sources, years)
        if n == 0 or (rows is not None and rows.size == 0):
            return []
        bm25 = self.data.lexical.scores(query.tokens)
        w = self.settings.dense_weight_en if query.lang == "en" else self.settings.dense_weight
        assert w is not None  # set by for_embedder
        q = self._vector(query)
        if rows is not None:
            cand = np.sort(rows)
        elif n <= EXACT_ROWS and not self.data.dense.hybrid:
            cand = np.arange(n)
        else:
            cand = self.candidates(query, bm25, q, w)
        if cand.size == 0:
            return []
        dense = np.asarray(self.data.dense.similarity(q, cand), dtype=np.float32)
        lexical = bm25[cand] if rows is None else bm25[cand]
        top_b = float(bm25.max()) if rows is None else float(lexical.max())
        weights = self.settings.weights  # the embedder's cosine of unrelated texts (EMBEDDER_PROFILES)
        floor = weights.dense_floor_en if query.lang == "en" else weights.dense_floor
        above = np.maximum(dense - floor, 0.0)
        top_d = float(above.max())
        fused = (1.0 - w) * (lexical / top_b if top_b > 0 else np.zeros_like(lexical))
        fused = fused + w * (above / top_d if top_d > 0 else np.zeros_like(dense))
        order = np.argsort(-fused, kind="stable")[:k]
        chunks = self.data.chunks
        return [Hit(chunks[int(cand[i])], float(fused[i]), float(lexical[i]), float(dense[i])) for i in order]


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted rows as [start, end) runs of consecutive numbers."""
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks] + 1, [rows[-1] + 1]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
