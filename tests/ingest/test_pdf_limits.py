"""Reading a PDF is bounded in time and memory: a hostile PDF is refused with one line, and a build goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import InputError
from qa.index.build import build_index
from qa.ingest import pdf_text
from qa.ingest.pdf_text import Limits, extract_pages


def shared_stream_pdf(path: Path, pages: int, ops: int) -> Path:
    """The probe's bomb in small: every page draws one long shared content stream of text operators."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fref = w._add_object(font)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td " + b"(ab) Tj 0 -1 Td " * ops + b"ET")
    sref = w._add_object(stream)
    for _ in range(pages):
        page = w.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): fref})}
        )
        page[NameObject("/Contents")] = sref
    with path.open("wb") as f:
        w.write(f)
    return path


def test_a_page_over_the_time_budget_stops_the_read_with_one_line(tmp_path):
    bomb = shared_stream_pdf(tmp_path / "bomb.pdf", pages=50, ops=40_000)
    t0 = time.monotonic()
    with pytest.raises(InputError) as err:
        extract_pages(bomb, "bomb.pdf", Limits(page_seconds=0.05, total_seconds=60))
    assert "bomb.pdf: page" in str(err.value) and "took more than 0.05 s" in str(err.value)
    assert "\n" not in str(err.value)
    assert time.monotonic() - t0 < 30  # 50 pages at well over a second each: stopped early, not read through


def test_the_whole_file_has_a_time_budget_too(tmp_path):
    bomb = shared_stream_pdf(tmp_path / "bomb.pdf", pages=50, ops=10_000)
    with pytest.raises(InputError, match="took more than 1 s"):
        extract_pages(bomb, "bomb.pdf", Limits(page_seconds=30, total_seconds=1))


def test_a_read_over_the_memory_bound_is_refused(tmp_path):
    pdf = shared_stream_pdf(tmp_path / "big.pdf", pages=1, ops=200_000)
    with pytest.raises(InputError, match="more than 100 MB of memory|out of memory") as err:
        extract_pages(pdf, "big.pdf", Limits(memory_bytes=100 * 1024**2))
    assert "\n" not in str(err.value)


def test_a_pdf_within_the_bounds_is_read_page_by_page(tmp_path):
    pdf = shared_stream_pdf(tmp_path / "ok.pdf", pages=3, ops=5)
    pages = extract_pages(pdf, "ok.pdf")
    assert len(pages.texts) == 3 and all("ab" in t for t in pages.texts) and pages.imaged == []


def test_a_build_skips_the_hostile_pdf_and_indexes_the_rest(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    shared_stream_pdf(folder / "bomb.pdf", pages=50, ops=40_000)
    (folder / "a.txt").write_text("政协全年共立案提案41件，办结率100%。", encoding="utf-8")
    monkeypatch.setattr(pdf_text, "PAGE_SECONDS", 0.05)
    manifest, skipped = build_index([folder], tmp_path / "idx", Settings(embedder="fake"))
    assert set(manifest.documents) == {"a.txt"}
    assert any(m.startswith("bomb.pdf: page") and "took more than" in m for m in skipped)
