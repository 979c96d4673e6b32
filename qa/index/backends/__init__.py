"""Where the vectors are searched: the embedded default (segment files: exact search, FAISS HNSW on large
segments) or Milvus (`pip install qa[milvus]`: Milvus Lite in a local file, or a Milvus server or cluster by URI).

Every backend answers the same calls, on logical rows (deleted rows left out):

- `search(q, k)` -> (similarities, rows), each shaped (1, k): the k nearest chunks;
- `similarity(q, rows)`: exact cosine of the question with given rows (rescoring, searching inside documents);
- `reconstruct_rows(rows)` / `reconstruct_n(start, n)`: stored vectors; `ntotal`, `d`;
- `candidates(text, q, k, dense_weight)`: rows a hybrid engine proposes for a question (dense + its own BM25,
  fused by its ranker), or None when the backend has no full-text side (the retriever then uses `search` and
  the local BM25 postings).

The chunks, the BM25 statistics the answer path reads (df, idf) and the lexicon always stay in the local index
folder. The backend is chosen at build time (`qa build --backend milvus --milvus-uri ...`) and recorded in the
manifest (`backend`); readers open what the manifest names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from qa.errors import IndexProblem, InputError

if TYPE_CHECKING:
    from qa.index.segment import Segment
    from qa.index.store import Generation

EMBEDDED = {"name": "embedded"}


class DenseBackend(Protocol):
    """What the retriever and the index reader call on the vectors of a generation, whatever stores them."""

    d: int  # the vectors' dimension
    ntotal: int  # logical rows

    #: whether `candidates` proposes rows from a full-text side of its own (else it returns None)
    hybrid: bool

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def similarity(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray: ...

    def reconstruct_rows(self, rows: np.ndarray) -> np.ndarray: ...

    def reconstruct_n(self, start: int, n: int) -> np.ndarray: ...

    def candidates(self, text: str, q: np.ndarray, k: int, dense_weight: float) -> np.ndarray | None: ...


def backend_config(cfg: Any) -> dict[str, Any]:
    """A manifest's `backend` entry, checked (None or empty: the embedded default)."""
    cfg = cfg or EMBEDDED
    if not isinstance(cfg, dict) or cfg.get("name") not in ("embedded", "milvus"):
        raise IndexProblem(f"the index names an unknown storage backend {str(cfg)[:60]}")
    return cfg


def milvus_config(uri: str, index_dir: Path, collection: str = "qa_chunks", full_text: bool = True) -> dict[str, Any]:
    """The manifest entry of a Milvus backend: a Lite file (a path; relative to the index folder) or a server URI."""
    if not uri:
        uri = "milvus.db"
    return {"name": "milvus", "uri": uri, "collection": collection, "full_text": bool(full_text)}


def open_backend(
    gen: Generation,
    live: list[np.ndarray | None],
    logical: np.ndarray | None,
    physical: np.ndarray | None,
    load_graphs: bool = True,
) -> DenseBackend:
    from qa.index.dense import DenseIndex, set_search_threads

    cfg = backend_config(gen.manifest.backend)
    set_search_threads()
    dim = gen.manifest.embedder.dim
    if cfg["name"] == "embedded":
        return DenseIndex(gen.segments, live, dim, logical, physical, load_graphs=load_graphs)
    local = DenseIndex(gen.segments, live, dim, logical, physical, load_graphs=False)
    from qa.index.backends.milvus import MilvusBackend

    return MilvusBackend(cfg, gen.index_dir, local)


def sync_segments(index_dir: Path, cfg: dict[str, Any], segments: list[Segment]) -> None:
    """Make new segments searchable in the backend before the generation that uses them goes live."""
    if cfg.get("name") != "milvus" or not segments:
        return
    from qa.index.backends.milvus import insert_segments

    insert_segments(cfg, index_dir, segments)


def forget_segments(index_dir: Path, used: set[str], cfg: dict[str, Any] | None = None) -> None:
    """Drop what the backend holds for segments no kept generation uses."""
    if not cfg or cfg.get("name") != "milvus":
        return
    from qa.index.backends.milvus import delete_other_segments

    delete_other_segments(cfg, index_dir, used)


def require_milvus() -> None:
    try:
        import pymilvus  # noqa: F401
    except ImportError as exc:
        raise InputError(
            "the milvus backend needs pymilvus (and milvus-lite for a local file): pip install qa[milvus]"
        ) from exc
