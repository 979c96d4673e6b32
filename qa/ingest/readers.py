"""Load .txt / .md / .pdf / .docx files into `Document`s, with one-line errors for bad inputs.

Folders are walked recursively in sorted order. Hidden files and folders (a name starting with '.') and
unsupported file types are left out silently; a file given by its own path is read even when hidden (it was
asked for). Links: a link to a file is followed only when it resolves inside one of the folders given, links
to folders are not followed, and every link left out (outside, broken, looping, to a folder) is reported. A
name that is not valid UTF-8 is reported and skipped: the index, its manifest and the answers are UTF-8.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from qa.errors import InputError
from qa.ingest.decode import decode_text, looks_binary
from qa.ingest.docx import read_docx
from qa.ingest.pdf import read_pdf
from qa.types import Document

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "content_hash",
    "decode_text",
    "iter_documents",
    "load_document",
    "looks_binary",
    "walk_folder",
    "expand_paths",
    "is_hidden",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
MAX_FILE_BYTES = 50 * 1024 * 1024

Pages = tuple[tuple[int, int], ...]


def content_hash(text: str) -> str:
    """Short sha256 hex digest of `text` (utf-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _read_text(path: Path, name: str) -> tuple[str, Pages]:
    return decode_text(path.read_bytes(), name).replace("\r\n", "\n").replace("\r", "\n"), ()


_READERS: dict[str, Callable[[Path, str], tuple[str, Pages]]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def printable(name: str) -> str:
    """`name` with bytes that are not UTF-8 (surrogate escapes from the file system) shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _source_name(path: Path, root: Path | None) -> str:
    """`path` relative to `root` (posix; links are not resolved, so a link keeps its own name), else its name."""
    if root is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, RuntimeError, OSError):
            pass
    return path.name


def load_document(path: Path, root: Path | None = None) -> Document:
    """Read one file. `source` is the path relative to `root` (posix) or else the file name.

    With a `root`, a path under it that resolves outside it (a link, or a link to a folder on the way) is
    refused: files found by walking a folder stay in that folder. Pass no root for a file given by name.
    """
    return _load(Path(path), root, confine=root is not None)


def _within(path: str | Path, folder: str | Path) -> bool:
    return Path(path).is_relative_to(folder)


def _load(path: Path, root: Path | None, confine: bool) -> Document:
    name = _source_name(path, root)
    if not _is_utf8(name):
        raise InputError(f"{printable(name)}: skipped, its name is not valid UTF-8 (rename the file to index it)")
    try:
        resolved = str(path.resolve())
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError('Symlink loop') even when not strict
        raise InputError(f"{name}: skipped, a link that loops") from None
    if not _is_utf8(resolved):
        raise InputError(f"{name}: skipped, the name of a folder above it is not valid UTF-8 (rename the folder)")
    if (
        confine
        and root is not None
        and _within(os.path.abspath(path), os.path.abspath(root))
        and not _within(resolved, Path(root).resolve())
    ):
        raise InputError(f"{name}: skipped, a link to a file outside the folders given")
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
    return Document(source=name, raw_text=text, pages=pages, path=resolved)


def _inside(target: Path, folders: Sequence[Path]) -> bool:
    return any(target == f or target.is_relative_to(f) for f in folders)


def _link_problem(link: Path, folders: Sequence[Path]) -> tuple[str | None, bool]:
    """(why a link found in a folder is not followed, or None for a file inside the folders given; whether it
    points to a folder)."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return "skipped, a broken link (its target does not exist)", False
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11's 'Symlink loop'; OSError: ELOOP
        return "skipped, a link that loops", False
    if target.is_dir():
        return "skipped, a link to a folder (links to folders are not followed)", True
    if not _inside(target, folders):
        return "skipped, a link to a file outside the folders given", False
    return None, False


def is_hidden(name: str) -> bool:
    """Whether a file or folder name is hidden: a walk leaves it out, and the web refuses it as an upload."""
    return name.startswith(".")


def walk_folder(
    root: Path, folders: Sequence[Path] | None = None, on_folder: Callable[[Path], None] | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Files under `root` to index, in sorted order, each with None or the one-line reason it is skipped.

    Hidden entries and unsupported file types are not listed. Links are followed only to files inside
    `folders` (the folders given; default: `root`). The reason names the path relative to `root`.
    `on_folder` is called with each folder walked (`root` first), e.g. to record its mtime.
    """
    root = Path(root)
    allowed = [Path(f).resolve() for f in (folders or [root])]

    def rel(p: Path) -> str:
        return printable(p.relative_to(root).as_posix())

    def visit(folder: Path) -> Iterator[tuple[Path, str | None]]:
        if on_folder is not None:
            on_folder(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, f"{rel(folder)}: skipped, cannot list the folder ({exc.strerror or exc})"
            return
        for entry in entries:
            if is_hidden(entry.name):
                continue
            p = Path(entry.path)
            supported = p.suffix.lower() in SUPPORTED_SUFFIXES
            try:
                if entry.is_symlink():
                    problem, to_folder = _link_problem(p, allowed)
                    if problem is not None and (supported or to_folder):
                        yield p, f"{rel(p)}: {problem}"
                    elif problem is None and supported:
                        yield p, None
                    continue
                if entry.is_dir(follow_symlinks=False):
                    yield from visit(p)
                    continue
                if not supported:
                    continue
                if not entry.is_file(follow_symlinks=False):
                    yield p, f"{rel(p)}: skipped, not a regular file"
                    continue
            except OSError as exc:
                yield p, f"{rel(p)}: skipped ({exc.strerror or exc})"
                continue
            yield p, None

    yield from visit(root)


def expand_paths(
    paths: Sequence[Path], on_folder: Callable[[Path], None] | None = None
) -> list[tuple[Path, Path, str | None, bool]]:
    """(file, root, reason to skip it or None, found by walking a folder): folders walked (`walk_folder`, which
    calls `on_folder` with each), files taken as given. The one rule for which files a build reads."""
    paths = [Path(p) for p in paths]
    folders = [p for p in paths if p.is_dir()]
    out: list[tuple[Path, Path, str | None, bool]] = []
    for p in paths:
        if p.is_dir():
            out.extend((f, p, reason, True) for f, reason in walk_folder(p, folders, on_folder))
        else:
            out.append((p, p.parent, None, False))
    return out


def iter_documents(paths: Sequence[Path]) -> tuple[list[Document], list[str]]:
    """Load every file under `paths`; failures are skipped and reported as one-line messages."""
    docs: list[Document] = []
    errors: list[str] = []
    seen: set[str] = set()
    files: dict[str, str] = {}  # resolved path -> source of the document read from it
    expanded = expand_paths(paths)
    # a link and the file it points to are one document: the file is read under its own name
    targets = {
        str(f.resolve()) for f, _, reason, walked in expanded if walked and reason is None and not f.is_symlink()
    }
    for f, root, reason, walked in expanded:
        if reason is not None:
            errors.append(reason)
            continue
        if walked and f.is_symlink() and str(f.resolve()) in targets:
            continue  # the file it points to is in the walk, and is read under its own name
        try:
            doc = _load(f, root, confine=False)  # the walk already kept links inside the folders given
        except InputError as exc:
            errors.append(str(exc))
            continue
        if doc.source in seen:
            errors.append(f"{doc.source}: skipped, a file with the same name was already loaded")
            continue
        if doc.path in files:
            errors.append(f"{doc.source}: skipped, the same file as {files[doc.path]}")
            continue
        seen.add(doc.source)
        files[doc.path] = doc.source
        docs.append(doc)
    return docs, errors
