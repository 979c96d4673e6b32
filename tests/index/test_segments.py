"""Segments: updates cost what the changed documents cost, and a segmented index answers like a fresh one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.errors import InputError
from qa.index import loaded, merge, segment, store, writer
from qa.index.bm25 import LexicalIndex
from qa.index.build import add_documents, build_from_documents, build_index, remove_documents
from qa.index.dense import DenseIndex
from qa.text.tokens import tokenize
from qa.types import Document

pytestmark = pytest.mark.usefixtures("fast_lexicon")

EXTRA = [
    "西夏区政协组织委员开展非遗调研视察活动，走访非物质文化遗产传承基地6处。",
    "全年新建日光温室320座，公开招聘教师126名，改造老旧小区12个。",
    "区政协主席李海峰带队赴镇北堡镇调研乡村振兴工作，召开座谈会3次。",
]


def manifest_of(idx: Path) -> dict:
    return json.loads((store.current_build(idx) / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[operator]


def segment_files(idx: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in (idx / "segments").rglob("*") if p.is_file()}


def test_adding_a_document_writes_one_new_segment_and_leaves_the_others(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    before = segment_files(idx)
    extra = tmp_path / "c.txt"
    extra.write_text(EXTRA[0], encoding="utf-8")
    add_documents(idx, [extra])
    after = segment_files(idx)
    assert all(after.get(p) == t for p, t in before.items())  # nothing rewritten
    assert len(manifest_of(idx)["segments"]) == 2
    ans = Assistant.load(idx).ask("走访非物质文化遗产传承基地几处？")
    assert "6" in ans.answer and ans.citations[0].source == "c.txt"


def test_removing_and_replacing_mark_rows_deleted(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    n_a = len([c for c in loaded.load_index(idx).chunks if c.source == "a.txt"])
    remove_documents(idx, ["b.txt"])
    seg0 = manifest_of(idx)["segments"][0]
    assert seg0["removed"] == ["b.txt"] and seg0["deleted"]
    data = loaded.load_index(idx)
    assert {c.source for c in data.chunks} == {"a.txt"} and len(data.chunks) == n_a == data.dense.ntotal
    assert data.ranges == {"a.txt": (0, n_a)}
    (corpus / "a.txt").write_text(PROPOSALS.replace("41件", "43件"), encoding="utf-8")
    build_index([corpus], idx, fake_settings)
    assert "43" in Assistant.load(idx).ask("西夏区政协共立案多少件提案？").answer


def test_a_segmented_index_scores_like_a_fresh_build(tmp_path, fake_settings):
    docs = [Document(f"d{i}.txt", t) for i, t in enumerate([PROPOSALS, VISITS, *EXTRA])]
    seg_idx, fresh_idx = tmp_path / "seg", tmp_path / "fresh"
    build_from_documents(docs[:2], seg_idx, fake_settings)
    for d in docs[2:]:
        build_from_documents([d], seg_idx, fake_settings, keep_existing=True)
    build_from_documents([Document("gone.txt", "临时文件，稍后删除。" * 5)], seg_idx, fake_settings, keep_existing=True)
    remove_documents(seg_idx, ["gone.txt"])
    build_from_documents(docs, fresh_idx, fake_settings)
    a, b = loaded.load_index(seg_idx), loaded.load_index(fresh_idx)
    assert len(a.segments) > 1 and len(b.segments) == 1
    by_text_a = {c.search_text: i for i, c in enumerate(a.chunks)}
    order = [by_text_a[c.search_text] for c in b.chunks]
    for q in ["提案办理资金多少万元", "李海峰 调研 乡村振兴", "日光温室 教师", "ct机 救护车 捐赠"]:
        toks = tokenize(q)
        assert np.allclose(a.lexical.scores(toks)[order], b.lexical.scores(toks), atol=1e-5)
        for t in set(toks):
            assert a.lexical.df(t) == b.lexical.df(t)
        ha = Assistant(a, fake_settings).retrieve(q)
        hb = Assistant(b, fake_settings).retrieve(q)
        assert [h.chunk.id for h in ha] == [h.chunk.id for h in hb]


def test_small_segments_are_merged(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setattr(merge, "MAX_SMALL", 3)
    idx = tmp_path / "idx"
    build_from_documents([Document("a.txt", PROPOSALS)], idx, fake_settings)
    for i, text in enumerate(EXTRA + ["第四份补充材料：召开协商会议5次。"]):
        build_from_documents([Document(f"x{i}.txt", text)], idx, fake_settings, keep_existing=True)
    m = manifest_of(idx)
    assert len(m["segments"]) <= 3
    data = loaded.load_index(idx)
    assert len(data.manifest.documents) == 5 == len({c.source for c in data.chunks})
    assert "李海峰" in Assistant.load(idx).ask("谁带队赴镇北堡镇调研？").answer


def test_large_segments_get_an_hnsw_graph_that_finds_the_exact_neighbours(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setattr(writer, "HNSW_MIN", 4)
    docs = [Document(f"d{i}.txt", f"第{i}份材料。" + EXTRA[i % 3] + PROPOSALS) for i in range(8)]
    build_from_documents(docs, tmp_path / "idx", fake_settings)
    data = loaded.load_index(tmp_path / "idx")
    assert data.segments[0].info["hnsw"] and (data.segments[0].folder / "dense.hnsw").is_file()
    exact = DenseIndex(data.segments, [None], data.dense.d, load_graphs=False)
    q = data.dense.reconstruct(3)
    _s1, got = data.dense.search(q[None, :], 5)
    _s2, want = exact.search(q[None, :], 5)
    assert set(got[0]) == set(want[0])


def test_word_df_and_names_come_from_the_postings(report_index):
    data = loaded.load_index(report_index)
    texts = [c.text for c in data.chunks]
    for word in ["提案", "政协委员", "民生实事"]:
        exact = sum(word in t for t in texts)
        assert exact <= data.lexical.word_df(word) <= exact + 2  # context lines and split pairs may add a few
    assert data.lexical.find_sequences([{"李", "里"}, {"海"}, {"峰", "风"}]) == {"李海峰"}


def test_postings_match_bm25s(report_index):
    import bm25s

    data = loaded.load_index(report_index)
    texts = [c.search_text for c in data.chunks]
    ref = bm25s.BM25(k1=1.2, b=0.75)
    ref.index([tokenize(t) or ["\u2205"] for t in texts], show_progress=False)
    for q in ["西夏区政协五届三次会议和闭会期间共立案多少件提案", "农工党中央捐赠ct机 350万元"]:
        toks = tokenize(q)
        known = [t for t in toks if t in ref.vocab_dict]
        assert np.allclose(ref.get_scores(known), data.lexical.scores(toks), atol=1e-4)
    mem = LexicalIndex.build(texts)
    assert np.allclose(mem.scores(tokenize("提案办理")), data.lexical.scores(tokenize("提案办理")), atol=1e-5)


def test_a_very_long_document_is_chunked_in_pieces_with_exact_offsets(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setattr(writer, "SPLIT_CHARS", 400)
    text = (PROPOSALS + "\n\n" + VISITS + "\n\n") * 6
    build_from_documents([Document("long.txt", text)], tmp_path / "idx", fake_settings)
    data = loaded.load_index(tmp_path / "idx")
    for c in data.chunks:
        assert "".join(text[o] for o in c.offsets) == c.text
        assert c.start == c.offsets[0] and c.end == c.offsets[-1] + 1


@pytest.mark.parametrize("size", [0, -5, 10])
def test_chunk_sizes_that_cannot_work_are_refused(corpus, tmp_path, fake_settings, size):
    with pytest.raises(InputError, match="chunk-size"):
        build_index([corpus], tmp_path / "idx", fake_settings.with_overrides(chunk_size=size))
    assert not (tmp_path / "idx" / "CURRENT").exists()


def test_segment_folder_holds_no_per_character_offsets(report_index):
    seg = loaded.load_index(report_index).segments[0]
    info = json.loads((seg.folder / "segment.json").read_text(encoding="utf-8"))
    assert info["format"] == segment.SEGMENT_FORMAT and info["rows"] == seg.rows
    line = json.loads((seg.folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "offsets" not in line
