"""Hybrid retrieval: BM25 (character n-grams, or dictionary-translated terms for English) fused with dense.

Fusion is score-aware: each side is scaled by its best score for the question, then mixed with a
weight that depends on the question's script. (Plain equal-weight RRF was measured to hurt Chinese.)
"""

from __future__ import annotations

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

    def query(self, question: str) -> Query:
        """The question analysed for search (language, tokens, dictionary terms, vector)."""
        return analyse_query(
            question, self.data.lexicon, lambda: self.data.corpus_text, self.embedder if self.data.chunks else None
        )

    def dense_scores(self, query: Query) -> np.ndarray:
        """Cosine similarity of the question with every chunk."""
        n = len(self.data.chunks)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        q = query.vector[None, :] if query.vector is not None else self.embedder.encode([query.text])
        sims, ids = self.data.dense.search(np.ascontiguousarray(q, dtype=np.float32), n)
        out = np.zeros(n, dtype=np.float32)
        valid = ids[0] >= 0
        out[ids[0][valid]] = sims[0][valid]
        return out

    def search(self, query: Query, k: int = 10) -> list[Hit]:
        """Top-k chunks by fused score."""
        n = len(self.data.chunks)
        if n == 0:
            return []
        bm25 = self.data.lexical.scores(query.tokens)
        dense = self.dense_scores(query)
        w = self.settings.dense_weight_en if query.lang == "en" else self.settings.dense_weight
        fused = (1.0 - w) * _scale(bm25) + w * _scale(np.maximum(dense, 0.0))
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(self.data.chunks[i], float(fused[i]), float(bm25[i]), float(dense[i])) for i in order]
