"""Read a PDF's text layer page by page; pages without one are OCR'd from their images (the `ocr` extra)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from qa.errors import InputError
from qa.ingest import ocr
from qa.progress import Step, note

MAX_OCR_PAGES = 200  # scanned pages recognised in one PDF (a few seconds each on two cores)
MAX_OCR_SECONDS = 900.0
MAX_IMAGE_PIXELS = 60_000_000  # one page image (an A4 scan at 600 dpi is 35 million)
_MAX_FORM_DEPTH = 4


def page_images(page: Any) -> list[Any]:
    """The image XObjects drawn on `page` (and in its form XObjects), as pypdf stream objects."""
    found: list[Any] = []
    seen: set[int] = set()

    def walk(resources: Any, depth: int) -> None:
        try:
            xobjects = resources.get_object().get("/XObject") if resources is not None else None
            items = list(xobjects.get_object().items()) if xobjects is not None else []
        except Exception:
            return
        for _key, ref in items:
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            subtype = obj.get("/Subtype")
            if subtype == "/Image":
                found.append(obj)
            elif subtype == "/Form" and depth < _MAX_FORM_DEPTH:
                walk(obj.get("/Resources"), depth + 1)

    walk(page.get("/Resources"), 0)
    return found


def _ocr_page(page: Any, number: int, name: str) -> str:
    texts = []
    for obj in page_images(page):
        width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        if min(width, height) < ocr.MIN_SIDE:
            continue
        if width * height > MAX_IMAGE_PIXELS:
            raise InputError(
                f"{name}: page {number} has a {width}x{height} image, over the OCR limit of "
                f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels"
            )
        try:
            image = obj.decode_as_image()
        except Exception:
            continue  # a filter Pillow cannot decode (e.g. JBIG2): nothing to read on it
        if image is not None:
            texts.append(ocr.recognise(image))
    return "\n".join(t for t in texts if t.strip())


def read_pdf(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Page texts joined by blank lines, with each page's raw (start, end) offsets."""
    from qa.ingest.pdf_text import extract_pages

    extracted = extract_pages(path, name)  # in a child process, under time and memory bounds
    texts, scanned = extracted.texts, extracted.imaged
    if scanned:
        texts = _ocr(_open_pages(path, name), texts, scanned, name)
    if not any(t.strip() for t in texts):
        raise InputError(f"{name}: the PDF has no extractable text (it may be a scanned image; OCR it first)")
    offsets, parts, pos = [], [], 0
    for t in texts:
        offsets.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t) + 2
    return "\n\n".join(parts), tuple(offsets)


def _open_pages(path: Path, name: str) -> list[Any]:
    """The pages of a PDF whose text layer was already read (`extract_pages`), for OCR of their images."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        return list(reader.pages)
    except Exception as exc:
        raise InputError(f"{name}: cannot read the PDF (corrupt or not a PDF: {type(exc).__name__})") from None


def _ocr(pages: list[Any], texts: list[str], scanned: list[int], name: str) -> list[str]:
    """`texts` with the scanned pages' text recognised (left as is without the `ocr` extra, when other pages
    have text: those are still indexed)."""
    has_text = any(t.strip() for t in texts)
    try:
        ocr.load_engine()
    except ocr.OcrUnavailable:
        if has_text:
            return texts
        raise InputError(
            f"{name}: the PDF is scanned (no text layer); reading it needs the OCR extra: {ocr.EXTRA_HINT}"
        ) from None
    except Exception as exc:  # installed but broken (a model file, onnxruntime)
        raise InputError(f"{name}: OCR failed to start ({type(exc).__name__})") from None
    if len(scanned) > MAX_OCR_PAGES:
        raise InputError(f"{name}: {len(scanned)} scanned pages to OCR, over the limit of {MAX_OCR_PAGES}")
    deadline = time.monotonic() + MAX_OCR_SECONDS
    out = list(texts)
    for i in scanned:
        if time.monotonic() > deadline:
            raise InputError(f"{name}: OCR took more than {MAX_OCR_SECONDS:.0f} s (the limit) at page {i + 1}")
        note(Step("ocr", name, done=scanned.index(i) + 1, total=len(scanned)))
        try:
            out[i] = _ocr_page(pages[i], i + 1, name)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"{name}: OCR failed on page {i + 1} ({type(exc).__name__})") from None
    return out
