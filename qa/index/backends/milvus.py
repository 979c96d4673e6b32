"""Milvus backend through `pymilvus`: the same client code for Milvus Lite (a local file) and a server or cluster.

One collection holds every segment's chunks: `pk` (segment uid << 24 | row), `seg` (segment uid), `vec` (the
chunk's normalised vector, inner product), and with full text `text` (the indexed text, Milvus's jieba analyzer)
plus `sparse` (Milvus's BM25 function over it). A search is filtered to the segments of the generation being
read, and rows the generation deleted are dropped afterwards, so readers of an older generation keep working
while a build inserts new segments. Candidates of a question come from Milvus's hybrid search (dense + BM25,
weighted ranker); the retriever rescores them with the local BM25 statistics and exact cosines, so answers match
the embedded backend's.

Milvus Lite (milvus-lite 3.x) has the same full-text search (BM25 function, jieba tokenizer) and hybrid search as
the server; it indexes vectors with FLAT only, and one process opens a Lite file at a time. A server URI
(http://host:19530) gets an HNSW index (M 32, efConstruction 80).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexProblem

ROW_BITS = 24
_CLIENTS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _uri(cfg: dict[str, Any], index_dir: Path) -> str:
    uri = str(cfg.get("uri") or "milvus.db")
    if "://" in uri:
        return uri
    p = Path(uri)
    return str(p if p.is_absolute() else (Path(index_dir) / p).resolve())


def is_lite(cfg: dict[str, Any]) -> bool:
    return "://" not in str(cfg.get("uri") or "milvus.db")


def client(cfg: dict[str, Any], index_dir: Path) -> Any:
    from qa.index.backends import require_milvus

    require_milvus()
    from pymilvus import MilvusClient

    uri = _uri(cfg, index_dir)
    with _LOCK:
        if uri not in _CLIENTS:
            try:
                _CLIENTS[uri] = MilvusClient(uri)
            except Exception as exc:
                raise IndexProblem(f"cannot open Milvus at {uri}: {str(exc).splitlines()[0][:160]}") from exc
        return _CLIENTS[uri]


def close_clients() -> None:
    with _LOCK:
        for c in _CLIENTS.values():
            try:
                c.close()
            except Exception:  # pragma: no cover - best effort
                pass
        _CLIENTS.clear()


def _ensure_collection(c: Any, cfg: dict[str, Any], dim: int) -> str:
    from pymilvus import DataType, Function, FunctionType

    name = str(cfg.get("collection") or "qa_chunks")
    if c.has_collection(name):
        return name
    schema = c.create_schema(auto_id=False)
    schema.add_field("pk", DataType.INT64, is_primary=True)
    schema.add_field("seg", DataType.INT64)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
    index = c.prepare_index_params()
    if is_lite(cfg):
        index.add_index("vec", index_type="FLAT", metric_type="IP")
    else:
        index.add_index("vec", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 80})
    if cfg.get("full_text", True):
        schema.add_field(
            "text", DataType.VARCHAR, max_length=8192, enable_analyzer=True, analyzer_params={"tokenizer": "jieba"}
        )
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(
            Function(
                name="bm25", function_type=FunctionType.BM25, input_field_names=["text"], output_field_names=["sparse"]
            )
        )
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    c.create_collection(name, schema=schema, index_params=index)
    return name


def insert_segments(cfg: dict[str, Any], index_dir: Path, segments: list[Any]) -> None:
    """Insert the rows of new segments (vectors, and texts for full-text search)."""
    if not segments:
        return
    c = client(cfg, index_dir)
    name = _ensure_collection(c, cfg, int(segments[0].info["dim"]))
    full_text = cfg.get("full_text", True)
    for seg in segments:
        uid = seg.uid
        c.delete(name, filter=f"seg == {uid}")  # a retried build may have inserted part of it
        step = 512
        for a in range(0, seg.rows, step):
            b = min(seg.rows, a + step)
            vecs = np.asarray(seg.vectors[a:b], dtype=np.float32)
            rows = []
            for i in range(a, b):
                row: dict[str, Any] = {"pk": (uid << ROW_BITS) | i, "seg": uid, "vec": vecs[i - a].tolist()}
                if full_text:
                    ch = seg.chunk(i)
                    row["text"] = ch.search_text[:8000]
                rows.append(row)
            c.insert(name, rows)
    if hasattr(c, "flush"):
        c.flush(name)


def delete_other_segments(cfg: dict[str, Any], index_dir: Path, used: set[str]) -> None:
    """Delete rows of segments no kept generation uses."""
    import json

    uids = []
    for n in sorted(used):
        try:
            uids.append(int(json.loads((Path(index_dir) / "segments" / n / "segment.json").read_text())["uid"]))
        except (OSError, ValueError, KeyError):
            continue
    try:
        c = client(cfg, index_dir)
        name = str(cfg.get("collection") or "qa_chunks")
        if c.has_collection(name):
            c.delete(name, filter=f"seg not in {uids}" if uids else "seg >= 0")
    except Exception:  # pruning is best effort; a later build retries
        return


class MilvusBackend:
    """Vectors (and full text) searched in Milvus; exact cosines from the local segment files."""

    def __init__(self, cfg: dict[str, Any], index_dir: Path, local: Any) -> None:
        self.cfg = cfg
        self.index_dir = Path(index_dir)
        self.local = local  # DenseIndex without graphs: exact similarity and stored vectors
        self.d = local.d
        self.ntotal = local.ntotal
        self.hybrid = bool(cfg.get("full_text", True))
        self.name = str(cfg.get("collection") or "qa_chunks")
        self.client = client(cfg, index_dir)
        if not self.client.has_collection(self.name):
            raise IndexProblem(f"Milvus at {_uri(cfg, index_dir)} has no collection {self.name}: run `qa build` again")
        self.uids = {seg.uid: i for i, seg in enumerate(local.segments)}
        self._filter = f"seg in {sorted(self.uids)}"

    def _rows(self, pks: list[int]) -> np.ndarray:
        """Logical rows of Milvus primary keys (rows deleted in this generation, or of other segments: dropped)."""
        out = []
        for pk in pks:
            seg = self.uids.get(pk >> ROW_BITS)
            if seg is None:
                continue
            row = pk & ((1 << ROW_BITS) - 1)
            mask = self.local.live[seg]
            if mask is not None and not mask[row]:
                continue
            phys = int(self.local.offsets[seg]) + row
            out.append(phys if self.local.logical is None else int(self.local.logical[phys]))
        return np.array(out, dtype=np.int64)

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        extra = sum(0 if m is None else int(len(m) - m.sum()) for m in self.local.live)
        limit = max(1, min(16384, k + min(extra, 4 * k)))
        res = self.client.search(
            self.name,
            data=[q.tolist()],
            anns_field="vec",
            limit=limit,
            filter=self._filter,
            output_fields=["pk"],
            search_params={"metric_type": "IP"},
        )
        hits = res[0] if res else []
        pks = [int(h["pk"] if "pk" in h else h["id"]) for h in hits]
        sims = {int(h["pk"] if "pk" in h else h["id"]): float(h["distance"]) for h in hits}
        rows = self._rows(pks)
        keep_pk = [pk for pk in pks if len(self._rows([pk]))]
        out_s = np.full(k, -np.inf, dtype=np.float32)
        out_i = np.full(k, -1, dtype=np.int64)
        n = min(k, len(rows))
        out_i[:n] = rows[:n]
        out_s[:n] = [sims[pk] for pk in keep_pk[:n]]
        return out_s[None, :], out_i[None, :]

    def candidates(self, text: str, q: np.ndarray, k: int, dense_weight: float) -> np.ndarray | None:
        """Rows Milvus's hybrid search (dense + BM25 over its jieba tokens, weighted ranker) proposes."""
        if not self.cfg.get("full_text", True) or not text.strip():
            return None
        from pymilvus import AnnSearchRequest, WeightedRanker

        q = np.asarray(q, dtype=np.float32).reshape(-1)
        reqs = [
            AnnSearchRequest(
                data=[q.tolist()], anns_field="vec", param={"metric_type": "IP"}, limit=k, expr=self._filter
            ),
            AnnSearchRequest(
                data=[text], anns_field="sparse", param={"metric_type": "BM25"}, limit=k, expr=self._filter
            ),
        ]
        res = self.client.hybrid_search(
            self.name, reqs, ranker=WeightedRanker(dense_weight, 1.0 - dense_weight), limit=k, output_fields=["pk"]
        )
        hits = res[0] if res else []
        return self._rows([int(h["pk"] if "pk" in h else h["id"]) for h in hits])

    def similarity(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.local.similarity(q, rows))

    def reconstruct_rows(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.local.reconstruct_rows(rows))

    def reconstruct_n(self, start: int, n: int) -> np.ndarray:
        return np.asarray(self.local.reconstruct_n(start, n))
