"""Load .txt / .md / .pdf / .docx files into `Document`s, with one-line errors for bad inputs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.errors import InputError
from qa.types import Document

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
MAX_FILE_BYTES = 50 * 1024 * 1024


def content_hash(text: str) -> str:
    """Short sha256 hex digest of `text` (utf-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _looks_binary(text: str) -> bool:
    """True when too many chars are control chars or U+FFFD (a wrong or binary decode)."""
    if not text:
        return False
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0c"))
    return bad > max(2, 0.01 * len(text))


def decode_text(data: bytes, name: str = "file") -> str:
    """Decode text bytes: BOMs, utf-8, gb18030, then charset-normalizer's best guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if not _looks_binary(text):
            return text
    raise InputError(f"{name}: cannot decode the text (binary file or unknown encoding)")


def _read_text(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    return decode_text(path.read_bytes(), name).replace("\r\n", "\n").replace("\r", "\n"), ()


def _read_pdf(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is password-protected")
        texts = [(page.extract_text() or "").replace("\r\n", "\n") for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise InputError(f"{name}: cannot read the PDF (corrupt or not a PDF: {type(exc).__name__})") from None
    if not any(t.strip() for t in texts):
        raise InputError(f"{name}: the PDF has no extractable text (it may be a scanned image; OCR it first)")
    pages, parts, pos = [], [], 0
    for t in texts:
        pages.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t) + 2
    return "\n\n".join(parts), tuple(pages)


def _read_docx(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Paragraphs (blank-line separated) and tables in document order.

    Heading / Title paragraph styles get markdown '#' marks; a table row is one line, cells joined by ' | '.
    """
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = docx.Document(str(path))
        parts: list[str] = []
        for el in doc.element.body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                para = Paragraph(el, doc)
                text = para.text.strip()
                style = (para.style.name if para.style is not None else "") or ""
                m = re.fullmatch(r"Heading (\d)", style)
                if text and (m or style == "Title"):
                    text = "#" * min(6, int(m.group(1)) if m else 1) + " " + text
                parts.append(text)
            elif tag == "tbl":
                rows: list[str] = []
                for row in Table(el, doc).rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if t and (not cells or cells[-1] != t):  # merged cells repeat
                            cells.append(t)
                    rows.append(" | ".join(cells))
                parts.append("\n".join(r for r in rows if r))
    except Exception as exc:
        raise InputError(f"{name}: cannot read the Word file (corrupt or not a .docx: {type(exc).__name__})") from None
    return "\n\n".join(p for p in parts if p.strip()), ()


_READERS: dict[str, Callable[[Path, str], tuple[str, tuple[tuple[int, int], ...]]]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def load_document(path: Path, root: Path | None = None) -> Document:
    """Read one file. `source` is the path relative to `root` (posix) or else the file name."""
    path = Path(path)
    name = path.name
    if root is not None:
        try:
            name = path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    if not path.is_file():
        raise InputError(f"{name}: file not found" if not path.exists() else f"{name}: not a regular file")
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"{name}: unsupported file type '{path.suffix or '(none)'}' (use {', '.join(SUPPORTED_SUFFIXES)})"
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{name}: file too large ({size / 1048576:.0f} MB > {MAX_FILE_BYTES // 1048576} MB)")
    if size == 0:
        raise InputError(f"{name}: the file is empty")
    try:
        text, pages = reader(path, name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if not text.strip():
        raise InputError(f"{name}: the file has no text (empty or whitespace only)")
    return Document(source=name, raw_text=text, pages=pages, path=str(path.resolve()))


def _expand(paths: list[Path]) -> list[tuple[Path, Path | None]]:
    """(file, root) pairs: folders are walked recursively, skipping hidden and unsupported files."""
    out: list[tuple[Path, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and not any(part.startswith(".") for part in rel)
                    and f.suffix.lower() in SUPPORTED_SUFFIXES
                ):
                    out.append((f, p))
        else:
            out.append((p, p.parent))
    return out


def iter_documents(paths: list[Path]) -> tuple[list[Document], list[str]]:
    """Load every file under `paths`; failures are skipped and reported as one-line messages."""
    docs: list[Document] = []
    errors: list[str] = []
    seen: set[str] = set()
    for f, root in _expand(paths):
        try:
            doc = load_document(f, root)
        except InputError as exc:
            errors.append(str(exc))
            continue
        if doc.source in seen:
            errors.append(f"{doc.source}: skipped, a file with the same name was already loaded")
            continue
        seen.add(doc.source)
        docs.append(doc)
    return docs, errors
