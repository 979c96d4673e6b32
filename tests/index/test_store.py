"""The index folder: round trip, manifest, damage reported as IndexProblem, atomic swaps."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import IndexProblem, InputError, WriteFailed
from qa.index import commit, loaded, segment_writer, store, update
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
    data = loaded.load_index(built)
    docs, _ = iter_documents([corpus])
    splitter = make_splitter(fake_settings.chunk_size, fake_settings.chunk_overlap)
    expected = [
        c for d in sorted(docs, key=lambda d: d.source) for c in chunk_document(d, splitter, fake_settings.min_chunk)
    ]
    assert list(data.chunks) == expected
    assert [c.offsets for c in data.chunks] == [c.offsets for c in expected]
    assert data.dense.ntotal == len(expected) == data.manifest.n_chunks
    # row i of the vector index is chunk i
    assert np.allclose(data.vectors(), FakeEmbedder().encode([c.text for c in expected]), atol=1e-6)


def test_manifest_records_how_the_index_was_built(built, corpus, fake_settings):
    m = store.read_manifest(built)
    assert m.format_version == store.FORMAT_VERSION
    assert m.embedder.to_dict() == {"name": "fake", "dim": FakeEmbedder().dim}
    for key in ("chunk_size", "chunk_overlap", "min_chunk"):
        assert m.contract[key] == getattr(fake_settings, key)
    assert set(m.documents) == {"a.txt", "b.txt"}
    a = m.documents["a.txt"]
    assert re.fullmatch(r"[0-9a-f]{16}", a["hash"])
    assert a["size"] == (corpus / "a.txt").stat().st_size
    assert a["chunks"] >= 1 and Path(a["path"]) == (corpus / "a.txt").resolve()
    assert m.documents["a.txt"]["hash"] != m.documents["b.txt"]["hash"]
    assert m.versions["faiss-cpu"] and m.versions["numpy"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", m.built_at)
    assert m.n_chunks == sum(d["chunks"] for d in m.documents.values())


def test_list_documents(built, corpus):
    docs = store.list_documents(built)
    assert [d["source"] for d in docs] == ["a.txt", "b.txt"]
    assert all(d["chunks"] >= 1 and d["size"] > 0 and d["indexed_at"] for d in docs)


def seg(index_dir: Path) -> Path:
    """The (only) segment folder of the live build."""
    m = json.loads((live(index_dir) / "manifest.json").read_text(encoding="utf-8"))
    return index_dir / "segments" / m["segments"][0]["name"]


def _truncate_vectors(idx: Path) -> None:
    f = seg(idx) / "vectors.f32"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def _garble_chunks(idx: Path) -> None:
    with open(seg(idx) / "chunks.jsonl", "a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": \n')


def _drop_a_chunk(idx: Path) -> None:
    path = seg(idx) / "chunks.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def _edit_manifest(idx: Path, change) -> None:
    path = live(idx) / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(m)), encoding="utf-8")


def _future_format(idx: Path) -> None:
    _edit_manifest(idx, lambda m: dict(m, format_version=store.FORMAT_VERSION + 1))


def _garble_manifest(idx: Path) -> None:
    (live(idx) / "manifest.json").write_text("{not json", encoding="utf-8")


def _manifest_is_a_list(idx: Path) -> None:
    _edit_manifest(idx, lambda m: [])


def _manifest_lacks_embedder(idx: Path) -> None:
    _edit_manifest(idx, lambda m: {k: v for k, v in m.items() if k != "embedder"})


def _manifest_segments_null(idx: Path) -> None:
    _edit_manifest(idx, lambda m: dict(m, segments=None))


def _manifest_bogus_embedder(idx: Path) -> None:
    _edit_manifest(idx, lambda m: dict(m, embedder={"name": "no-such-model", "dim": 64}))


def _delete_build(idx: Path) -> None:
    shutil.rmtree(live(idx))


def _delete_segment(idx: Path) -> None:
    shutil.rmtree(seg(idx))


def _empty_lexicon(idx: Path) -> None:
    (live(idx) / "lexicon.json").write_text("", encoding="utf-8")


def _truncate_lexicon(idx: Path) -> None:
    f = live(idx) / "lexicon.json"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def _pointer_bad_utf8(idx: Path) -> None:
    (idx / "CURRENT").write_bytes(b"b-\xff\xfe\n")


def _pointer_outside(idx: Path) -> None:
    foreign = idx.parent / "evil" / "foreign"
    shutil.copytree(live(idx), foreign)
    (idx / "CURRENT").write_text("../../evil/foreign\n", encoding="utf-8")


def _bm25_wrong_length(idx: Path) -> None:
    path = seg(idx) / "bm25.rows.npy"
    np.save(path, np.load(path)[:-3])


def _missing(name: str):
    def damage(idx: Path) -> None:
        (seg(idx) / name).unlink()

    damage.__name__ = f"_missing_{name}"
    return damage


def _wrong_chunk_types(idx: Path) -> None:
    """A consistent file (line index rewritten) whose chunk fields have the wrong types."""
    folder = seg(idx)
    lines = (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines:
        d = json.loads(line)
        d["start"], d["kind"] = "zero", 7
        rows.append((json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8"))
    (folder / "chunks.jsonl").write_bytes(b"".join(rows))
    np.save(folder / "chunks.idx.npy", np.cumsum([0] + [len(r) for r in rows]).astype(np.int64))


DAMAGES = [
    _truncate_vectors,
    _garble_chunks,
    _drop_a_chunk,
    _future_format,
    _garble_manifest,
    _manifest_is_a_list,
    _manifest_lacks_embedder,
    _manifest_segments_null,
    _manifest_bogus_embedder,
    _delete_build,
    _delete_segment,
    _empty_lexicon,
    _truncate_lexicon,
    _pointer_bad_utf8,
    _pointer_outside,
    _bm25_wrong_length,
    _missing("chunks.jsonl"),
    _missing("vectors.f32"),
    _missing("bm25.indptr.npy"),
    _missing("docs.jsonl"),
]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__.strip("_"))
def test_damaged_index_is_an_index_problem_that_says_how_to_rebuild(built, damage):
    damage(built)
    for load in (loaded.load_index, Assistant.load):
        with pytest.raises(IndexProblem) as err:
            load(built)
        msg = str(err.value)
        assert "qa build" in msg and str(built) in msg and "\n" not in msg


def test_chunks_with_wrong_field_types_are_an_index_problem_when_read(built):
    _wrong_chunk_types(built)
    assistant = Assistant.load(built)  # the structure is intact: chunks are read (and checked) on demand
    with pytest.raises(IndexProblem, match="corrupt.*qa build"):
        assistant.ask("西夏区政协共立案多少件提案？")


def test_a_pointer_outside_the_folder_is_never_followed(built):
    _pointer_outside(built)
    with pytest.raises(IndexProblem, match="not a build of this folder"):
        loaded.load_index(built)


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_missing_index_is_an_index_problem(tmp_path, make):
    idx = tmp_path / "idx"
    if make == "empty":
        idx.mkdir()
    with pytest.raises(IndexProblem, match="qa build"):
        loaded.load_index(idx)
    with pytest.raises(IndexProblem, match="qa build"):
        Assistant.load(idx)


def test_an_index_path_that_is_a_file_is_refused(tmp_path, fake_settings, corpus):
    f = tmp_path / "index"
    f.write_text("not a folder", encoding="utf-8")
    with pytest.raises(IndexProblem, match="is a file"):
        loaded.load_index(f)
    with pytest.raises(InputError, match="is a file"):
        build_index([corpus], f, fake_settings)


@pytest.mark.parametrize("damage", DAMAGES + [_wrong_chunk_types], ids=lambda d: d.__name__.strip("_"))
def test_damaged_index_is_rebuilt_by_qa_build(built, corpus, fake_settings, damage):
    damage(built)
    build_index([corpus], built, fake_settings)
    assert not Assistant.load(built).ask("共立案多少件提案？").abstained


def _boom(*args, **kwargs):
    raise OSError("disk full (simulated)")


def _fail_pointer_swap(monkeypatch):
    real = commit.os.replace

    def replace(src, dst):
        if Path(dst).name == store.POINTER:
            _boom()
        return real(src, dst)

    monkeypatch.setattr(commit.os, "replace", replace)


@pytest.mark.parametrize(
    "crash",
    [
        lambda mp: mp.setattr(segment_writer.SegmentWriter, "_write_postings", _boom),
        lambda mp: mp.setattr(segment_writer.SegmentWriter, "add", _boom),
        lambda mp: mp.setattr(update, "lexicon_of", _boom),
        _fail_pointer_swap,
    ],
    ids=["postings-write", "chunk-write", "lexicon", "pointer-swap"],
)
def test_crash_mid_build_leaves_the_old_index_live(built, corpus, fake_settings, monkeypatch, crash):
    before = live(built)
    old_chunks = list(loaded.load_index(built).chunks)
    with monkeypatch.context() as mp:
        crash(mp)
        with pytest.raises(WriteFailed, match="simulated"):  # a write error is one line, exit code 4
            build_index([corpus], built, fake_settings.with_overrides(chunk_size=60, chunk_overlap=10))
    assert live(built) == before
    assert not list(built.glob(".tmp-*")) and not list((built / "segments").glob(".tmp-*"))
    data = loaded.load_index(built)
    assert list(data.chunks) == old_chunks and data.manifest.contract["chunk_size"] == fake_settings.chunk_size
    ans = Assistant.load(built).ask("西夏区政协共立案多少件提案？")
    assert not ans.abstained and "41" in ans.answer and ans.citations[0].source == "a.txt"
    # the next build succeeds and goes live
    build_index([corpus], built, fake_settings.with_overrides(chunk_size=60, chunk_overlap=10))
    assert live(built) != before
    assert store.read_manifest(built).contract["chunk_size"] == 60
    assert len(list((built / "segments").iterdir())) <= 2  # the live segment and the previous generation's


def test_offsets_are_stored_as_runs_and_read_back_exactly(built, corpus, fake_settings):
    data = loaded.load_index(built)
    runs = np.load(seg(built) / "runs.npy")
    total = sum(len(c.offsets) for c in data.chunks)
    assert len(runs) < total / 5  # mostly consecutive
    assert "offsets" not in (seg(built) / "chunks.jsonl").read_text(encoding="utf-8")


def test_old_builds_are_pruned(built, corpus, fake_settings):
    for _ in range(3):
        build_index([corpus], built, fake_settings)
    builds = [p for p in built.glob("b-*") if p.is_dir()]
    assert len(builds) == 2  # the live build and the previous one
    assert live(built) in builds
    assert store.disk_size(built) > 0


@pytest.mark.parametrize("damage", [_delete_segment, _missing("vectors.f32"), _garble_manifest])
def test_the_rebuild_hint_names_the_folder_the_index_was_built_from(built, corpus, damage):
    """Defect: the hint always said `qa build data/`, a folder the user may not have indexed."""
    damage(built)
    with pytest.raises(IndexProblem) as err:
        loaded.load_index(built)
    msg = str(err.value)
    if damage is _garble_manifest:  # the manifest is what is damaged: no folder to name
        assert "qa build YOUR_DOCUMENTS_FOLDER --index" in msg and "data/" not in msg
    else:
        assert f"qa build {corpus.resolve()} --index {built}" in msg
