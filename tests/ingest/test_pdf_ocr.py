"""Scanned PDF pages (no text layer) are OCR'd with the optional `ocr` extra, keeping their page numbers."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingest import ocr, pdf
from qa.ingest.readers import load_document

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAGE_ONE = ["青山县2023年农业农村工作情况", "全年新建日光温室358座，设施蔬菜", "种植面积达到1.2万亩。"]
PAGE_THREE = ["二、民生保障", "全县改造农村公路86公里，新建村级", "卫生室12个，惠及群众3.4万人。"]


def scan(lines: list[str], size: tuple[int, int] = (1240, 700)):
    """A grey page image (150 dpi, a third of A4) with `lines` of black text on it."""
    if not FONT.exists():
        pytest.skip(f"no CJK font to draw a scanned page ({FONT} is missing: apt-get install fonts-wqy-microhei)")
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    for i, line in enumerate(lines):
        draw.text((80, 100 + 80 * i), line, font=font, fill=0)
    return image


def text_page() -> bytes:
    """One PDF page with a real text layer (matplotlib)."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 4))
    fig.text(0.1, 0.8, "The committee filed 41 proposals.")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    plt.close(fig)
    return out.getvalue()


def write_pdf(path: Path, pages: list) -> Path:
    """A PDF of `pages`: PIL images become image-only (scanned) pages, bytes are one-page PDFs put in as is."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in pages:
        if isinstance(page, bytes):
            data = page
        else:
            out = io.BytesIO()
            page.save(out, format="PDF", resolution=150)
            data = out.getvalue()
        writer.add_page(PdfReader(io.BytesIO(data)).pages[0])
    with open(path, "wb") as f:
        writer.write(f)
    return path


@pytest.fixture
def fake_ocr(monkeypatch):
    """An OCR engine that 'recognises' an image by its height (one call per image, recorded)."""
    calls: list[tuple[int, int]] = []

    def recognise(image):
        calls.append(image.size)
        return f"识别出的文字，高{image.size[1]}像素。"

    monkeypatch.setattr(ocr, "load_engine", lambda: object())
    monkeypatch.setattr(ocr, "recognise", recognise)
    return calls


def test_only_the_pages_without_text_are_ocred_and_page_offsets_follow(tmp_path, fake_ocr):
    path = write_pdf(tmp_path / "mixed.pdf", [scan(["甲"], (600, 700)), text_page(), scan(["乙"], (600, 500))])
    doc = load_document(path)
    assert fake_ocr == [(600, 700), (600, 500)]
    assert len(doc.pages) == 3
    first, second, third = (doc.raw_text[s:e] for s, e in doc.pages)
    assert first == "识别出的文字，高700像素。"
    assert "41 proposals" in second
    assert third == "识别出的文字，高500像素。"
    assert doc.page_of(doc.raw_text.index("高500")) == 3


def test_without_the_extra_a_scanned_pdf_names_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # `import rapidocr_onnxruntime` fails
    monkeypatch.setattr(ocr, "_engine", None)
    path = write_pdf(tmp_path / "scan.pdf", [scan(PAGE_ONE)])
    with pytest.raises(InputError) as err:
        load_document(path)
    assert str(err.value) == (
        "scan.pdf: the PDF is scanned (no text layer); reading it needs the OCR extra: "
        "pip install 'rapidocr-onnxruntime>=1.3'"
    )


def test_without_the_extra_the_text_pages_of_a_mixed_pdf_are_still_read(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    monkeypatch.setattr(ocr, "_engine", None)
    doc = load_document(write_pdf(tmp_path / "mixed.pdf", [scan(PAGE_ONE), text_page()]))
    assert "41 proposals" in doc.raw_text and len(doc.pages) == 2 and doc.pages[0] == (0, 0)


def test_scanned_page_limits(tmp_path, fake_ocr, monkeypatch):
    path = write_pdf(tmp_path / "many.pdf", [scan(["甲"], (600, 300)), scan(["乙"], (600, 300))])
    monkeypatch.setattr(pdf, "MAX_OCR_PAGES", 1)
    with pytest.raises(InputError, match=r"^many\.pdf: 2 scanned pages to OCR, over the limit of 1$"):
        load_document(path)
    monkeypatch.setattr(pdf, "MAX_OCR_PAGES", 10)
    monkeypatch.setattr(pdf, "MAX_IMAGE_PIXELS", 100_000)
    with pytest.raises(InputError, match=r"^many\.pdf: page 1 has a 600x300 image, over the OCR limit"):
        load_document(path)
    assert fake_ocr == []


def test_ocr_lines_keep_rows_together():
    boxes = [
        ([[10, 10], [90, 10], [90, 40], [10, 40]], "办复率", 0.9),
        ([[120, 12], [200, 12], [200, 42], [120, 42]], "100%", 0.9),
        ([[10, 60], [200, 60], [200, 90], [10, 90]], "满意率均达100%", 0.9),
    ]
    assert ocr._lines(boxes) == ["办复率 100%", "满意率均达100%"]


@pytest.mark.slow
def test_a_scanned_chinese_pdf_is_read_by_ocr_with_its_pages(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed (pip install 'qa[ocr]')")
    path = write_pdf(tmp_path / "county.pdf", [scan(PAGE_ONE), text_page(), scan(PAGE_THREE)])
    doc = load_document(path)
    text = doc.raw_text.replace(" ", "")
    for words in ("农业农村工作情况", "日光温室358座", "1.2万亩", "农村公路86公里", "卫生室12个"):
        assert words in text, (words, doc.raw_text)
    assert doc.page_of(doc.raw_text.index("358")) == 1
    assert doc.page_of(doc.raw_text.index("41 proposals")) == 2
    assert doc.page_of(doc.raw_text.index("86")) == 3


def test_an_ocr_engine_that_fails_to_start_is_a_one_line_input_error(tmp_path, monkeypatch):
    def broken():
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(ocr, "load_engine", broken)
    with pytest.raises(InputError, match=r"^scan\.pdf: OCR failed to start \(RuntimeError\)$"):
        load_document(write_pdf(tmp_path / "scan.pdf", [scan(["甲"], (600, 300))]))


def test_make_run_installs_ocr_and_the_hint_names_the_same_requirement():
    """A fresh clone's `make run` reads scanned PDFs; elsewhere the message names a command that works anywhere
    (the extra's own requirement, not `qa[ocr]`, which pip cannot find outside a checkout)."""
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    recipe = re.search(r"^\$\(VENV\)/\.installed:.*?(?=^\S|\Z)", (root / "Makefile").read_text(), re.M | re.S)
    assert recipe is not None and "-e '.[ocr]'" in recipe.group(0)
    extra = tomllib.loads((root / "pyproject.toml").read_text())["project"]["optional-dependencies"]["ocr"]
    assert ocr.EXTRA_HINT == f"pip install '{extra[0]}'"


def test_an_upload_says_which_scanned_page_it_is_reading(tmp_path, fake_ocr):
    """The progress of an update names each page OCR reads (the web UI words it: 正在识别扫描页（OCR）…)."""
    from qa.config import Settings
    from qa.index.build import build_index
    from qa.progress import Step

    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "scan.pdf", [scan(["甲"], (600, 700)), text_page(), scan(["乙"], (600, 500))])
    seen: list = []
    build_index([docs], tmp_path / "idx", Settings(embedder="fake"), progress=lambda f, m: seen.append((f, m)))
    pages = [(m.done, m.total) for _f, m in seen if isinstance(m, Step) and m.kind == "ocr"]
    assert pages == [(1, 2), (2, 2)]
    assert [f for f, _m in seen] == sorted(f for f, _m in seen)
