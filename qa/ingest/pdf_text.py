"""A PDF's text layer, extracted in a child process under time and memory bounds.

pypdf's `extract_text` cannot be interrupted, and a hostile PDF (hundreds of pages sharing one huge content
stream) takes minutes per page. So extraction runs in a child process (`python -m qa.ingest.pdf_text`) that
reports page by page: the parent stops it when one page takes longer than `page_seconds`, the whole file longer
than `total_seconds`, or the child needs more memory than `memory_bytes`, and refuses the file with one line.
The indexing queue keeps moving.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import InputError

#: The bounds on reading one PDF (README "Guarantees"): a normal report page extracts in well under a second here.
PAGE_SECONDS = 30.0
TOTAL_SECONDS = 600.0
MEMORY_BYTES = 3 * 1024**3


@dataclass(frozen=True)
class Limits:
    """How long one page and one file may take to extract, and how much memory the extraction may use."""

    page_seconds: float = PAGE_SECONDS
    total_seconds: float = TOTAL_SECONDS
    memory_bytes: int = MEMORY_BYTES


@dataclass(frozen=True)
class PageTexts:
    """Each page's extracted text, and the pages that have no text but draw images (candidates for OCR)."""

    texts: list[str]
    imaged: list[int]


def _child(path: str, memory_bytes: int) -> None:  # pragma: no cover - runs in the child process
    """Extract page by page, printing JSON lines: {"pages": n}, then {"page": i, "text": ..., "imaged": bool} for
    each, or {"error": kind}."""
    out = sys.stdout

    def send(obj: dict[str, Any]) -> None:
        out.write(json.dumps(obj, ensure_ascii=True) + "\n")
        out.flush()

    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass
    try:
        from pypdf import PdfReader

        from qa.ingest.pdf import page_images

        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            send({"error": "encrypted"})
            return
        pages = reader.pages
        send({"pages": len(pages)})
        for i, page in enumerate(pages):
            text = (page.extract_text() or "").replace("\r\n", "\n")
            send({"page": i, "text": text, "imaged": not text.strip() and bool(page_images(page))})
    except MemoryError:
        send({"error": "memory"})
    except Exception as exc:  # pypdf raises many types on damaged files
        send({"error": type(exc).__name__})


def extract_pages(path: Path, name: str, limits: Limits | None = None) -> PageTexts:
    """The text of every page of the PDF at `path`, within `limits`; InputError (one line) when it is damaged,
    password-protected or over a bound."""
    limits = limits or Limits(PAGE_SECONDS, TOTAL_SECONDS, MEMORY_BYTES)  # read now: a test may lower them
    cmd = [sys.executable, "-m", "qa.ingest.pdf_text", str(path), str(limits.memory_bytes)]
    root = str(Path(__file__).resolve().parents[2])  # the folder holding `qa`, installed or a checkout
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    texts: list[str] = []
    imaged: list[int] = []
    start = time.monotonic()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    try:
        wait = limits.page_seconds + 20.0  # the first line also waits for the child to start and open the file
        while True:
            while b"\n" not in buf:
                left = limits.total_seconds - (time.monotonic() - start)
                if not sel.select(max(0.0, min(wait, left))):
                    if time.monotonic() - start >= limits.total_seconds:
                        raise InputError(
                            f"{name}: reading the PDF took more than {limits.total_seconds:g} s (the limit)"
                        )
                    raise InputError(
                        f"{name}: page {len(texts) + 1} took more than {limits.page_seconds:g} s to read "
                        "(the limit; a damaged or hostile PDF?)"
                    )
                chunk = os.read(proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    if proc.wait(5) == 0:
                        return PageTexts(texts, imaged)
                    raise InputError(_error(name, "stopped", limits))
                buf += chunk
            line, buf = buf.split(b"\n", 1)
            msg = json.loads(line)
            if "error" in msg:
                raise InputError(_error(name, msg["error"], limits))
            if "page" in msg:
                texts.append(msg["text"])
                if msg["imaged"]:
                    imaged.append(msg["page"])
            wait = limits.page_seconds
    finally:
        sel.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()


def _error(name: str, kind: str, limits: Limits) -> str:
    if kind == "encrypted":
        return f"{name}: the PDF is password-protected"
    if kind == "stopped":
        return f"{name}: cannot read the PDF (the reader stopped: out of memory or damaged)"
    if kind == "memory":
        return f"{name}: reading the PDF needs more than {limits.memory_bytes // 1024**2} MB of memory (the limit)"
    return f"{name}: cannot read the PDF (corrupt or not a PDF: {kind})"


if __name__ == "__main__":  # pragma: no cover - the child process of extract_pages
    _child(sys.argv[1], int(sys.argv[2]))
