"""Chunking: what gets retrieved and cited, and how it maps back to the raw file."""

from __future__ import annotations

import re

import pytest
from conftest import PROPOSALS, REPORT, VISITS

from qa.config import Settings
from qa.ingest.chars import norm_char
from qa.ingest.chunking import chunk_document, make_splitter
from qa.ingest.clean import clean
from qa.types import Chunk, Document

RAW = REPORT.read_text(encoding="utf-8")
SETTINGS = [(Settings().chunk_size, Settings().chunk_overlap, Settings().min_chunk), (120, 20, 30), (400, 50, 40)]
LONG_PARA = "".join(f"委员围绕第{i}项重点工作开展专题调研{i + 2}次，形成调研报告并提出意见建议。" for i in range(1, 13))
LONG_TEXT = (
    "# 调研\n\n"
    + "".join(f"第{i}批委员围绕营商环境开展专题调研{i * 3}次，形成报告{i}篇。" for i in range(1, 60))
    + "\n"
)


def chunks_of(
    raw: str, source: str = "r.txt", size: int | None = None, overlap: int | None = None, min_chunk: int | None = None
) -> list[Chunk]:
    s = Settings()
    doc = Document(source, raw)
    return chunk_document(
        doc,
        make_splitter(size or s.chunk_size, overlap if overlap is not None else s.chunk_overlap),
        min_chunk or s.min_chunk,
    )


def repeated_chars(c: Chunk) -> list[int]:
    """Positions where a chunk repeats raw text it already holds (joining newlines aside)."""
    offs = [o for ch, o in zip(c.text, c.offsets, strict=True) if ch != "\n"]
    return [i for i in range(1, len(offs)) if offs[i] <= offs[i - 1]]


def short_body_violations(chunks: list[Chunk], min_chunk: int) -> list[str]:
    """Body chunks shorter than `min_chunk` that share their section with another body chunk."""
    per_section: dict[str, int] = {}
    for c in chunks:
        if c.kind == "body":
            per_section[c.section] = per_section.get(c.section, 0) + 1
    return [c.text for c in chunks if c.kind == "body" and len(c.text) < min_chunk and per_section[c.section] > 1]


def test_chunks_carry_source_offsets_section_kind_and_id():
    chunks = chunks_of(RAW, source="xixia.txt")
    assert len(chunks) > 10
    for c in chunks:
        assert c.source == "xixia.txt"
        assert c.kind in ("body", "caption", "heading")
        assert re.fullmatch(r"[0-9a-f]{16}", c.id)
        assert 0 <= c.start < c.end <= len(RAW)
        assert len(c.offsets) == len(c.text)
        assert (c.start, c.end) == (c.offsets[0], c.offsets[-1] + 1)
        assert isinstance(c.section, str)
    body = [c for c in chunks if c.kind == "body"]
    assert body and any(c.section for c in body)  # body text is filed under the report's headings
    assert any("坚持服务大局" in c.section for c in body)


@pytest.mark.parametrize("size,overlap,min_chunk", SETTINGS)
def test_every_chunk_char_maps_back_to_the_raw_text(size, overlap, min_chunk):
    for c in chunks_of(RAW, size=size, overlap=overlap, min_chunk=min_chunk):
        for i, ch in enumerate(c.text):
            raw_ch = RAW[c.offsets[i]]
            assert norm_char(raw_ch) == ch or ch == "\n", (c.id, i, ch, raw_ch)


def test_chunks_read_forward_without_repeating_text():
    for text in (RAW, LONG_TEXT, "# 提案\n\n" + PROPOSALS):
        for c in chunks_of(text):
            assert repeated_chars(c) == [], c.text


def test_merged_tail_does_not_repeat_the_overlap():
    c = next(c for c in chunks_of("# 提案\n\n" + PROPOSALS, size=150, overlap=40, min_chunk=40) if "100%" in c.text)
    assert c.text.count("解决了一批长期困扰基层的民生痛点难点问题") == 1


def test_offsets_survive_full_width_digits_and_invisible_chars():
    raw = "# 提案办理\n\n西夏区政协\u200b共立案４１件，区委和政府专项安排１００万元提案办理资金，解决了一批民生难题。\n"
    chunks = chunks_of(raw)
    body = [c for c in chunks if c.kind == "body"]
    assert len(body) == 1
    c = body[0]
    assert "41件" in c.text and "100万元" in c.text and "\u200b" not in c.text
    s = c.text.index("41件")
    rs, re_ = c.raw_span(s, s + 3)
    assert raw[rs:re_] == "４１件"


def test_chunks_cover_all_cleaned_text():
    """Nothing the cleaner kept is lost by chunking."""
    kept = {o for p in clean(RAW) for ch, o in zip(p.text, p.offsets, strict=True) if not ch.isspace()}
    covered = {o for c in chunks_of(RAW) for o in c.offsets}
    assert kept - covered == set()


@pytest.mark.parametrize("size,overlap,min_chunk", SETTINGS)
def test_no_short_body_chunk_unless_alone_in_its_section(size, overlap, min_chunk):
    raw = (
        "# 标题一\n\n短段落一句。\n\n" + LONG_PARA + "\n\n# 标题二\n\n" + LONG_PARA + "\n\n短尾一句。\n\n另一短尾。\n\n"
        "# 标题三\n\n只有一句。\n"
    )
    for text in (RAW, raw):
        chunks = chunks_of(text, size=size, overlap=overlap, min_chunk=min_chunk)
        assert short_body_violations(chunks, min_chunk) == []
    lone = [c for c in chunks_of(raw, size=size, overlap=overlap, min_chunk=min_chunk) if c.section == "标题三"]
    assert [c.text for c in lone if c.kind == "body"] == ["只有一句。"]  # alone in its section: kept


def test_short_paragraph_before_a_caption_joins_its_section():
    raw = "# 标题一\n\n短段落一句。\n\n图1 委员调研现场\n\n" + LONG_PARA + "\n"
    chunks = chunks_of(raw, size=100, overlap=20, min_chunk=40)
    assert any(c.kind == "caption" for c in chunks)
    assert short_body_violations(chunks, 40) == []


@pytest.mark.parametrize("size", [120, Settings().chunk_size, 400])
def test_chunk_size_is_near_the_setting(size):
    min_chunk = Settings().min_chunk
    for text in (RAW, LONG_TEXT):
        body = [c for c in chunks_of(text, size=size, min_chunk=min_chunk) if c.kind == "body"]
        assert max(len(c.text) for c in body) <= size + min_chunk + 1
    long_body = [c for c in chunks_of(LONG_TEXT, size=size) if c.kind == "body"]
    assert len(long_body) >= len(LONG_TEXT) // size
    assert sum(len(c.text) for c in long_body) / len(long_body) >= size / 2


def test_a_long_list_of_short_items_is_split_near_the_setting():
    raw = "# 工作要点\n\n" + "\n".join(f"{i}、完成第{i}项重点任务。" for i in range(1, 61)) + "\n"
    size, min_chunk = 250, 40
    body = [c for c in chunks_of(raw, size=size, min_chunk=min_chunk) if c.kind == "body"]
    assert max(len(c.text) for c in body) <= size + min_chunk + 1


def test_captions_are_their_own_chunks():
    chunks = chunks_of(RAW)
    captions = [c for c in chunks if c.kind == "caption"]
    texts = [c.text for c in captions]
    assert "2024年3月22日，西夏区政协党组理论学习中心组学习会召开。" in texts
    assert "西夏区政协组织委员开展非遗调研视察活动。" in texts
    for cap in captions:  # a caption never leaks into body text
        assert not any(cap.text in c.text for c in chunks if c.kind == "body")
    first = next(c for c in captions if c.text.startswith("2024年3月22日"))
    assert RAW[first.start : first.end].startswith("2024 年3月22日")


def test_ids_are_stable_across_runs_and_depend_on_source():
    first = chunks_of(RAW, source="xixia.txt")
    again = chunks_of(RAW, source="xixia.txt")
    assert [c.id for c in first] == [c.id for c in again]
    assert first == again
    renamed = chunks_of(RAW, source="other.txt")
    assert not {c.id for c in first} & {c.id for c in renamed}
    assert len({c.id for c in first}) == len(first)


def test_page_numbers_come_from_the_document():
    page1, page2 = PROPOSALS, VISITS
    raw = page1 + "\n\n" + page2
    doc = Document("r.pdf", raw, pages=((0, len(page1)), (len(page1) + 2, len(raw))))
    chunks = chunk_document(doc, make_splitter(120, 20), 30)
    pages = {c.page for c in chunks}
    assert pages == {1, 2}
    for c in chunks:
        assert c.page == doc.page_of(c.start)
    assert next(c for c in chunks if "立案41件" in c.text).page == 1
    assert next(c for c in chunks if "陈雍" in c.text).page == 2
