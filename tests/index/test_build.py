"""Building and updating an index, and refusing an index whose sources changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import IndexProblem, InputError
from qa.index import loaded, store
from qa.index.build import add_documents, build_index, remove_documents
from qa.index.embedders import FakeEmbedder

pytestmark = pytest.mark.usefixtures("fast_lexicon")

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
HERITAGE = """西夏区政协组织委员开展非遗调研视察活动，
走访非物质文化遗产传承基地6处，
形成非遗保护传承专题调研报告1篇。
"""


@pytest.fixture
def spy(monkeypatch) -> list[str]:
    """Every text the fake embedder is asked to embed."""
    seen: list[str] = []
    real = FakeEmbedder.encode

    def encode(self, texts, kind="passage"):
        seen.extend(texts)
        return real(self, texts, kind)

    monkeypatch.setattr(FakeEmbedder, "encode", encode)
    return seen


def chunks_by_source(index_dir: Path) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in loaded.load_index(index_dir).chunks:
        out.setdefault(c.source, []).append(c)
    return out


def test_first_build_embeds_every_chunk(corpus, tmp_path, fake_settings, spy):
    manifest, skipped = build_index([corpus], tmp_path / "idx", fake_settings)
    assert skipped == []
    assert manifest.embedded_now == store.read_manifest(tmp_path / "idx").n_chunks == len(spy) > 0
    assert set(manifest.documents) == {"a.txt", "b.txt"}


def test_rebuild_of_unchanged_documents_embeds_nothing(corpus, tmp_path, fake_settings, spy):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    before = loaded.load_index(idx).chunks
    spy.clear()
    manifest, _ = build_index([corpus], idx, fake_settings)
    assert manifest.embedded_now == 0 and spy == []
    assert list(loaded.load_index(idx).chunks) == list(before)
    assert not Assistant.load(idx).ask("共立案多少件提案？").abstained


def test_editing_one_document_re_embeds_only_its_chunks(corpus, tmp_path, fake_settings, spy):
    idx = tmp_path / "idx"
    first, _ = build_index([corpus], idx, fake_settings)
    old = chunks_by_source(idx)
    (corpus / "b.txt").write_text(VISITS.replace("6次到西夏", "9次到西夏"), encoding="utf-8")
    spy.clear()
    manifest, _ = build_index([corpus], idx, fake_settings)
    new = chunks_by_source(idx)
    assert new["a.txt"] == old["a.txt"]
    for key in ("hash", "chunks", "indexed_at"):  # a.txt was reused, not re-indexed
        assert manifest.documents["a.txt"][key] == first.documents["a.txt"][key]
    assert manifest.documents["b.txt"]["hash"] != first.documents["b.txt"]["hash"]
    b_texts = {c.text for c in new["b.txt"]}
    assert spy and set(spy) <= b_texts
    assert manifest.embedded_now == len(spy)
    assert any("9次" in t for t in spy)
    ans = Assistant.load(idx).ask("陈雍几次到西夏区调研？")
    assert "9" in ans.answer and ans.citations[0].source == "b.txt"


def test_build_replaces_the_document_set(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    manifest, _ = build_index([corpus / "a.txt"], idx, fake_settings)
    assert set(manifest.documents) == {"a.txt"}
    assert set(chunks_by_source(idx)) == {"a.txt"}


def test_add_documents_keeps_existing_and_adds_new(corpus, tmp_path, fake_settings, spy):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    old = chunks_by_source(idx)
    extra = tmp_path / "upload" / "c.txt"
    extra.parent.mkdir()
    extra.write_text(HERITAGE, encoding="utf-8")
    spy.clear()
    manifest = add_documents(idx, [extra])
    assert set(manifest.documents) == {"a.txt", "b.txt", "c.txt"}
    new = chunks_by_source(idx)
    assert new["a.txt"] == old["a.txt"] and new["b.txt"] == old["b.txt"]
    assert set(spy) == {c.text for c in new["c.txt"]}
    assert manifest.embedder.name == "fake" and manifest.contract == store.read_manifest(idx).contract
    ans = Assistant.load(idx).ask("走访非物质文化遗产传承基地几处？")
    assert "6" in ans.answer and ans.citations[0].source == "c.txt"


def test_add_documents_rejects_a_bad_file_and_keeps_the_index(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    bad = tmp_path / "blob.txt"
    bad.write_bytes(PNG)
    with pytest.raises(InputError, match="blob.txt"):
        add_documents(idx, [bad])
    assert set(store.read_manifest(idx).documents) == {"a.txt", "b.txt"}


def test_remove_documents_drops_a_source_and_its_chunks(corpus, tmp_path, fake_settings, spy):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    old = chunks_by_source(idx)
    spy.clear()
    manifest = remove_documents(idx, ["b.txt"])
    assert set(manifest.documents) == {"a.txt"}
    assert manifest.embedded_now == 0 and spy == []
    assert chunks_by_source(idx) == {"a.txt": old["a.txt"]}
    data = loaded.load_index(idx)
    assert data.dense.ntotal == len(old["a.txt"])
    hits = Assistant(data, Settings()).retrieve("自治区政协主席陈雍到西夏区调研")
    assert all(h.chunk.source == "a.txt" for h in hits)


def test_index_still_loads_after_removing_a_document(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    remove_documents(idx, ["b.txt"])
    assistant = Assistant.load(idx)  # b.txt is still on disk in the indexed folder: removed, not "new"
    assert all(c.source == "a.txt" for c in assistant.data.chunks)
    (tmp_path / "docs" / "c.txt").write_text(HERITAGE, encoding="utf-8")
    with pytest.raises(IndexProblem, match="c.txt is new"):  # a really new file still counts
        Assistant.load(idx)


def test_removing_an_unknown_source_is_an_input_error(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    before = (idx / "CURRENT").read_text()
    with pytest.raises(InputError, match="nope.txt"):
        remove_documents(idx, ["nope.txt"])
    assert (idx / "CURRENT").read_text() == before
    assert set(store.read_manifest(idx).documents) == {"a.txt", "b.txt"}


def test_bad_files_are_skipped_with_messages(tmp_path, fake_settings):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(PROPOSALS, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    manifest, skipped = build_index([folder], tmp_path / "idx", fake_settings)
    assert set(manifest.documents) == {"good.txt"}
    assert len(skipped) == 2
    assert any("empty.txt" in m for m in skipped) and any("photo.txt" in m for m in skipped)
    assert all("\n" not in m for m in skipped)


def test_a_folder_of_only_bad_files_is_an_input_error(tmp_path, fake_settings):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    with pytest.raises(InputError) as err:
        build_index([folder], tmp_path / "idx", fake_settings)
    assert "empty.txt" in str(err.value) and "photo.txt" in str(err.value)
    assert store.current_build(tmp_path / "idx") is None


# ---- freshness: Assistant.load refuses an index whose source files changed ----


def _append(corpus: Path) -> None:
    with open(corpus / "a.txt", "a", encoding="utf-8") as f:
        f.write("提案工作经验被自治区政协推广。\n")


def _same_size_edit(corpus: Path) -> None:
    p = corpus / "a.txt"
    st = p.stat()
    p.write_text(PROPOSALS.replace("41件", "42件"), encoding="utf-8")
    assert p.stat().st_size == st.st_size
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _delete(corpus: Path) -> None:
    (corpus / "b.txt").unlink()


def _new_file(corpus: Path) -> None:
    (corpus / "sub").mkdir()
    (corpus / "sub" / "c.md").write_text(HERITAGE, encoding="utf-8")


@pytest.mark.parametrize(
    "change,reason",
    [
        (_append, "a.txt changed"),
        (_same_size_edit, "a.txt changed"),
        (_delete, "b.txt was removed"),
        (_new_file, "sub/c.md is new"),
    ],
)
def test_stale_index_is_refused_until_rebuilt(corpus, tmp_path, fake_settings, change, reason):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    change(corpus)
    with pytest.raises(IndexProblem) as err:
        Assistant.load(idx)
    msg = str(err.value)
    assert reason in msg and "qa build" in msg and str(idx) in msg and "\n" not in msg
    build_index([corpus], idx, fake_settings)
    Assistant.load(idx)


def test_untouched_content_and_unsupported_files_do_not_make_the_index_stale(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    p = corpus / "a.txt"
    p.write_text(p.read_text(encoding="utf-8"), encoding="utf-8")  # rewritten, same text
    os.utime(p, (p.stat().st_atime + 5, p.stat().st_mtime + 5))
    (corpus / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (corpus / ".hidden.txt").write_text(HERITAGE, encoding="utf-8")
    (corpus / "blank.txt").write_bytes(b"")
    Assistant.load(idx)


def test_stale_message_names_the_folder_that_was_indexed(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    _append(corpus)
    with pytest.raises(IndexProblem) as err:
        Assistant.load(idx)
    assert str(corpus.resolve()) in str(err.value) or f"qa build {corpus}" in str(err.value)


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_repairing_one_lost_segment_embeds_only_what_it_held(corpus, tmp_path, fake_settings, spy, damage):
    """Defect: with one segment missing, the repair re-embedded 597 of 629 chunks (every document)."""
    import shutil

    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    (corpus / "c.txt").write_text(HERITAGE, encoding="utf-8")
    add_documents(idx, [corpus / "c.txt"])  # c.txt goes into a segment of its own
    segments = store.open_generation(idx).segments
    lost = next(s for s in segments if [d["source"] for d in s.docs] == ["c.txt"])
    if damage == "delete":
        shutil.rmtree(lost.folder)
    else:
        vectors = lost.folder / "vectors.f32"
        vectors.write_bytes(vectors.read_bytes()[:10])
    with pytest.raises(IndexProblem):
        store.open_generation(idx)
    spy.clear()
    manifest, _ = build_index([corpus], idx, fake_settings)
    assert set(manifest.documents) == {"a.txt", "b.txt", "c.txt"}
    assert len(spy) == len(chunks_by_source(idx)["c.txt"])  # only c.txt's chunks were embedded again
    assert all("非遗" in text for text in spy)
