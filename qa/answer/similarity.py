"""How close an evidence sentence is in meaning to the question: the cosine of the question's embedding (its core,
as retrieval embedded it) with the sentence's own, through the index's embedder. Unlike coverage, it does not
depend on shared characters, so a paraphrase or a question in English can still find its sentence well supported.

One sentence is embedded per answer (a few milliseconds through the question path's ONNX session with
e5-small); vectors are kept for the sentences seen last, since follow-ups and parts of one question meet the same
evidence again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from qa.index.embedders import FEW_PASSAGES, Embedder
from qa.retrieve.query import Query

#: Sentences whose vectors are kept (about 1.5 kB each with e5-small).
CACHE_SIZE = 512


class SentenceSimilarity:
    """Question-sentence cosines through `embedder` (the one the index and the question were embedded with)."""

    def __init__(self, embedder: Embedder, cache_size: int = CACHE_SIZE) -> None:
        self.embedder = embedder
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = cache_size

    def vector(self, sentence: str) -> np.ndarray:
        """The sentence's embedding as a passage (cached)."""
        v = self._vectors.get(sentence)
        if v is None:
            v = np.asarray(self.embedder.encode([sentence], "passage")[0], dtype=np.float32)
            self._vectors[sentence] = v
            if len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        else:
            self._vectors.move_to_end(sentence)
        return v

    def cosines(self, query: Query, sentences: Sequence[str]) -> list[float]:
        """cos(question, sentence) for each sentence, the ones not cached embedded in batches of `FEW_PASSAGES`
        (the question path's ONNX session, never torch); 0 without a question vector or for an empty sentence."""
        if query.vector is None:
            return [0.0] * len(sentences)
        new = list(dict.fromkeys(s for s in sentences if s.strip() and s not in self._vectors))
        for at in range(0, len(new), FEW_PASSAGES):  # batches small enough for the question path (no torch)
            batch = new[at : at + FEW_PASSAGES]
            for s, v in zip(batch, self.embedder.encode(batch, "passage"), strict=True):
                self._vectors[s] = np.asarray(v, dtype=np.float32)
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        q = np.asarray(query.vector, dtype=np.float32)
        return [float(np.dot(q, self.vector(s))) if s.strip() else 0.0 for s in sentences]

    def phrase_cosine(self, phrase: str, text: str) -> float | None:
        """cos(phrase as a question, text as a passage): what a question asks about against what a figure's clause
        says it measures. None when either is empty."""
        if not phrase.strip() or not text.strip():
            return None
        q = np.asarray(self.embedder.encode([phrase], "query")[0], dtype=np.float32)
        return float(np.dot(q, self.vector(text)))

    def cosine(self, query: Query, sentence: str) -> float | None:
        """cos(question, sentence); None when the question has no vector or the sentence no text."""
        if query.vector is None or not sentence.strip():
            return None
        return float(np.dot(np.asarray(query.vector, dtype=np.float32), self.vector(sentence)))
