"""Lexical side of retrieval: character uni+bigram tokens for CJK, words for Latin, BM25 via bm25s."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+(?:'[a-z]+)?")

#: Frequent function characters that only add noise as unigrams.
_STOP_UNIGRAMS = set("的了和与及在是为对把被等个之其这那有于以也并而或中上下")


def normalise_text(text: str) -> str:
    """Fold full-width forms and case, so '２０２４' matches '2024' and 'CT' matches 'ct'."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    """CJK runs -> unigrams (minus stop characters) + bigrams; numbers and Latin words whole."""
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(normalise_text(text)):
        run = m.group()
        if "\u3400" <= run[0] <= "\ufaff":
            tokens.extend(ch for ch in run if ch not in _STOP_UNIGRAMS)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


class LexicalIndex:
    """BM25 over `tokenize` tokens; saved as bm25s's folder of .npy and .json files."""

    def __init__(self, retriever: Any = None, n_docs: int = 0) -> None:
        self._bm25 = retriever
        self.n_docs = n_docs

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        if texts:
            retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens (zeros when nothing matches)."""
        if self._bm25 is None or self.n_docs == 0 or not query_tokens:
            return np.zeros(self.n_docs, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def idf(self, token: str) -> float:
        """BM25 idf of a token; a token absent from the corpus gets the idf of a one-off word."""
        n = max(1, self.n_docs)
        df = 0
        if self._bm25 is not None and token in self._bm25.vocab_dict:
            tid = self._bm25.vocab_dict[token]
            indptr = self._bm25.scores["indptr"]
            df = int(indptr[tid + 1] - indptr[tid])
        return float(np.log(1.0 + (n - max(df, 1) + 0.5) / (max(df, 1) + 0.5)))

    def df(self, token: str) -> int:
        """Number of chunks holding `token`."""
        if self._bm25 is None or token not in self._bm25.vocab_dict:
            return 0
        tid = self._bm25.vocab_dict[token]
        indptr = self._bm25.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid])

    def has_token(self, token: str) -> bool:
        """True when `token` occurs somewhere in the indexed corpus."""
        return self._bm25 is not None and token in self._bm25.vocab_dict

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None and self.n_docs:
            self._bm25.save(str(folder))

    @classmethod
    def load(cls, folder: Path, n_docs: int) -> LexicalIndex:
        if n_docs == 0:
            return cls(None, 0)
        import bm25s

        return cls(bm25s.BM25.load(str(folder)), n_docs)
