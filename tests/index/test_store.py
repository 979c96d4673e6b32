"""The index folder: round trip, manifest, damage reported as IndexProblem, atomic swaps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import faiss
import numpy as np
import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import IndexProblem
from qa.index import store
from qa.index.bm25 import LexicalIndex
from qa.index.build import build_index
from qa.index.embedders import FakeEmbedder
from qa.ingest.chunking import chunk_document, make_splitter
from qa.ingest.readers import iter_documents

pytestmark = pytest.mark.usefixtures("fast_lexicon")


@pytest.fixture
def built(corpus: Path, tmp_path: Path, fake_settings: Settings) -> Path:
    """An index of the two-document corpus; returns the index folder."""
    build_index([corpus], tmp_path / "idx", fake_settings)
    return tmp_path / "idx"


def live(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def test_round_trip_keeps_chunks_and_vectors(built, corpus, fake_settings):
    data = store.load_index(built)
    docs, _ = iter_documents([corpus])
    splitter = make_splitter(fake_settings.chunk_size, fake_settings.chunk_overlap)
    expected = [
        c for d in sorted(docs, key=lambda d: d.source) for c in chunk_document(d, splitter, fake_settings.min_chunk)
    ]
    assert data.chunks == expected
    assert [c.offsets for c in data.chunks] == [c.offsets for c in expected]
    assert data.dense.ntotal == len(expected) == data.manifest["n_chunks"]
    # row i of the vector index is chunk i
    assert np.allclose(data.vectors(), FakeEmbedder().encode([c.text for c in expected]), atol=1e-6)


def test_manifest_records_how_the_index_was_built(built, corpus, fake_settings):
    m = store.read_manifest(built)
    assert m["format_version"] == store.FORMAT_VERSION
    assert m["embedder"] == {"name": "fake", "dim": FakeEmbedder().dim}
    for key in ("chunk_size", "chunk_overlap", "min_chunk"):
        assert m["chunker"][key] == getattr(fake_settings, key)
    assert set(m["documents"]) == {"a.txt", "b.txt"}
    a = m["documents"]["a.txt"]
    assert re.fullmatch(r"[0-9a-f]{16}", a["hash"])
    assert a["size"] == (corpus / "a.txt").stat().st_size
    assert a["chunks"] >= 1 and Path(a["path"]) == (corpus / "a.txt").resolve()
    assert m["documents"]["a.txt"]["hash"] != m["documents"]["b.txt"]["hash"]
    assert m["versions"]["faiss-cpu"] and m["versions"]["numpy"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", m["built_at"])
    assert m["n_chunks"] == sum(d["chunks"] for d in m["documents"].values())


def test_list_documents(built, corpus):
    docs = store.list_documents(built)
    assert [d["source"] for d in docs] == ["a.txt", "b.txt"]
    assert all(d["chunks"] >= 1 and d["size"] > 0 and d["indexed_at"] for d in docs)


def _truncate_faiss(folder: Path) -> None:
    f = folder / "dense.faiss"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def _garble_chunks(folder: Path) -> None:
    with open(folder / "chunks.jsonl", "a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": \n')


def _drop_a_chunk(folder: Path) -> None:
    lines = (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "chunks.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")


def _future_format(folder: Path) -> None:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    m["format_version"] = store.FORMAT_VERSION + 1
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _garble_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")


def _delete_build(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder)


@pytest.mark.parametrize(
    "damage", [_truncate_faiss, _garble_chunks, _drop_a_chunk, _future_format, _garble_manifest, _delete_build]
)
def test_damaged_index_is_an_index_problem_that_says_how_to_rebuild(built, damage):
    damage(live(built))
    for load in (store.load_index, Assistant.load):
        with pytest.raises(IndexProblem) as err:
            load(built)
        msg = str(err.value)
        assert "qa build" in msg and str(built) in msg and "\n" not in msg


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_missing_index_is_an_index_problem(tmp_path, make):
    idx = tmp_path / "idx"
    if make == "empty":
        idx.mkdir()
    with pytest.raises(IndexProblem, match="qa build"):
        store.load_index(idx)
    with pytest.raises(IndexProblem, match="qa build"):
        Assistant.load(idx)


def test_damaged_index_is_rebuilt_by_qa_build(built, corpus, fake_settings):
    _truncate_faiss(live(built))
    build_index([corpus], built, fake_settings)
    assert not Assistant.load(built).ask("共立案多少件提案？").abstained


def _boom(*args, **kwargs):
    raise OSError("disk full (simulated)")


def _fail_pointer_swap(monkeypatch):
    real = store.os.replace

    def replace(src, dst):
        if Path(dst).name == store.POINTER:
            _boom()
        return real(src, dst)

    monkeypatch.setattr(store.os, "replace", replace)


@pytest.mark.parametrize(
    "crash",
    [
        lambda mp: mp.setattr(faiss, "write_index", _boom),
        lambda mp: mp.setattr(LexicalIndex, "save", _boom),
        _fail_pointer_swap,
    ],
    ids=["faiss-write", "bm25-save", "pointer-swap"],
)
def test_crash_mid_build_leaves_the_old_index_live(built, corpus, fake_settings, monkeypatch, crash):
    before = live(built)
    old_chunks = store.load_index(built).chunks
    with monkeypatch.context() as mp:
        crash(mp)
        with pytest.raises(OSError, match="simulated"):
            build_index([corpus], built, fake_settings.with_overrides(chunk_size=60, chunk_overlap=10))
    assert live(built) == before
    assert not list(built.glob(".tmp-*"))
    data = store.load_index(built)
    assert data.chunks == old_chunks and data.manifest["chunker"]["chunk_size"] == fake_settings.chunk_size
    ans = Assistant.load(built).ask("西夏区政协共立案多少件提案？")
    assert not ans.abstained and "41" in ans.answer and ans.citations[0].source == "a.txt"
    # the next build succeeds and goes live
    build_index([corpus], built, fake_settings.with_overrides(chunk_size=60, chunk_overlap=10))
    assert live(built) != before
    assert store.read_manifest(built)["chunker"]["chunk_size"] == 60


def test_old_builds_are_pruned(built, corpus, fake_settings):
    for _ in range(3):
        build_index([corpus], built, fake_settings)
    builds = [p for p in built.glob("b-*") if p.is_dir()]
    assert len(builds) == 2  # the live build and the previous one
    assert live(built) in builds
    assert store.disk_size(built) > 0
