"""Optical character recognition of scanned pages, with rapidocr-onnxruntime (the optional `ocr` extra).

Its wheel ships the Chinese PP-OCRv4 detection and recognition models and the direction classifier as ONNX
files, so nothing is downloaded at run time. It is imported only when a page needs it, and its engine is
built once per process (about 0.3 s) and shared.
"""

from __future__ import annotations

import threading
from typing import Any

#: The command that adds OCR wherever qa is installed (a checkout's `make run` installs it already).
EXTRA_HINT = "pip install 'rapidocr-onnxruntime>=1.3'"
MIN_SIDE = 32  # pixels: smaller images (rules, bullets, logos) are not worth recognising

_engine: Any = None
_lock = threading.Lock()


class OcrUnavailable(Exception):
    """The `ocr` extra (rapidocr-onnxruntime) is not installed or does not load."""


def load_engine() -> Any:
    """The shared RapidOCR engine; raises OcrUnavailable without the extra."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # also a cv2 or onnxruntime that fails to load
                raise OcrUnavailable(str(exc)) from None
            _engine = RapidOCR()
        return _engine


def _lines(result: list[Any]) -> list[str]:
    """Boxes (top to bottom, left to right) to lines: boxes side by side on one row are joined by a space."""
    lines: list[str] = []
    row_bottom = -1.0
    for box, text, _score in result:
        ys = [float(p[1]) for p in box]
        top, bottom = min(ys), max(ys)
        text = str(text).strip()
        if not text:
            continue
        if lines and (top + bottom) / 2 < row_bottom:
            lines[-1] += " " + text
            row_bottom = max(row_bottom, bottom)
        else:
            lines.append(text)
            row_bottom = bottom
    return lines


def recognise(image: Any) -> str:
    """The text of a PIL image, a line per row of text (empty when none is found)."""
    if min(image.size) < MIN_SIDE:
        return ""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    engine = load_engine()
    with _lock:  # one recognition at a time: onnxruntime already uses every core
        result, _elapsed = engine(image)
    return "\n".join(_lines(result or []))
