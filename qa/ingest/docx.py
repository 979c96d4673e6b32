"""Read a .docx by streaming its XML, with limits that make a zip bomb a quick, one-line refusal.

A .docx is a zip archive; a small one can expand to gigabytes of XML or millions of paragraphs. So: the zip's
directory is checked before it is parsed (how many parts, how big it is), each part read is checked against a
limit on its declared expanded size and counted while it is decompressed (a lying header cannot get past it),
word/document.xml is parsed incrementally (lxml iterparse, every element freed once read), and paragraphs and
parsing time are bounded. Output is as before: paragraphs separated by blank lines, Heading N / Title styles
as markdown '#' marks, a table row per line with its cells joined by ' | ' (a merged cell once).
"""

from __future__ import annotations

import posixpath
import re
import struct
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from qa.errors import InputError

MAX_XML_BYTES = 64 * 1024 * 1024  # word/document.xml, expanded (a 1,000-page report is about 10 MB)
MAX_PART_BYTES = 8 * 1024 * 1024  # styles.xml and the relationship parts, expanded
MAX_PARAGRAPHS = 200_000  # paragraphs, table cells' included (a 1,000-page report has about 30,000)
MAX_PARSE_SECONDS = 60.0
MAX_MEMBERS = 10_000  # parts in the zip (a report with many pictures has a few hundred)
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024  # the zip's central directory

_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_R_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NAMES = ("p", "pStyle", "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "tbl", "tr", "tc", "vMerge", "hMerge")
_LOCAL = {f"{{{ns}}}{name}": name for ns in _W for name in _NAMES}
_TXBX = {f"{{{ns}}}txbxContent" for ns in _W}
_VAL = {f"{{{ns}}}val" for ns in _W}
_TYPE = {f"{{{ns}}}type" for ns in _W}
_HEADING = re.compile(r"heading ([1-9])", re.IGNORECASE)


class _Limit(Exception):
    """A limit was hit; the message says which."""


class _Capped:
    """A read-only stream that stops with `_Limit` once more than `limit` bytes came out of it."""

    def __init__(self, raw: IO[bytes], limit: int, what: str):
        self.raw, self.limit, self.what, self.count = raw, limit, what, 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n is not None and n >= 0 else 1 << 20)
        self.count += len(data)
        if self.count > self.limit:
            raise _Limit(f"{self.what} expands to more than {_mb(self.limit)} (the limit)")
        return data


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB"


def _check_directory(path: Path) -> None:
    """Refuse a zip whose central directory lists too many parts, before zipfile reads it all into memory."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 65_557))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # not a zip: zipfile says so
    entries, dir_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF:
        raise _Limit(f"the zip is a ZIP64 archive with more than {MAX_MEMBERS:,} parts (the limit)")
    if entries > MAX_MEMBERS:
        raise _Limit(f"the zip has {entries:,} parts (the limit is {MAX_MEMBERS:,})")
    if dir_size > MAX_DIRECTORY_BYTES:
        raise _Limit(f"the zip's directory is {_mb(dir_size)} (the limit is {_mb(MAX_DIRECTORY_BYTES)})")


def _open(zf: zipfile.ZipFile, member: str, limit: int) -> _Capped | None:
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > limit:
        raise _Limit(f"{member} expands to {_mb(info.file_size)} (the limit is {_mb(limit)})")
    return _Capped(zf.open(info), limit, member)


def _small_part(zf: zipfile.ZipFile, member: str) -> Any:
    """The parsed root of a small part (relationships, styles), or None when absent."""
    from lxml import etree

    stream = _open(zf, member, MAX_PART_BYTES)
    if stream is None:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(stream.read(MAX_PART_BYTES + 1), parser)


def _relationship(zf: zipfile.ZipFile, rels: str, kind: str, base: str) -> str | None:
    root = _small_part(zf, rels)
    if root is None:
        return None
    for rel in root.iter(f"{{{_R_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
    return None


def _style_names(zf: zipfile.ZipFile, styles: str) -> dict[str, str]:
    """styleId -> style name (e.g. 'Heading1' or '1' -> 'heading 1')."""
    root = _small_part(zf, styles)
    names: dict[str, str] = {}
    if root is None:
        return names
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.endswith("}style"):
            continue
        sid = next((v for k, v in el.attrib.items() if k.endswith("}styleId")), None)
        name_el = next((c for c in el if isinstance(c.tag, str) and c.tag.endswith("}name")), None)
        name = next((v for k, v in name_el.attrib.items() if k in _VAL), None) if name_el is not None else None
        if sid and name:
            names[sid] = name
    return names


def _heading_level(style: str | None, names: dict[str, str]) -> int:
    """1-6 for Heading N / Title paragraph styles, else 0."""
    if not style:
        return 0
    name = names.get(style, style).strip()
    if name.lower() == "title":
        return 1
    m = _HEADING.fullmatch(name)
    return min(6, int(m.group(1))) if m else 0


class _Cell:
    __slots__ = ("paras", "merged")

    def __init__(self) -> None:
        self.paras: list[str] = []
        self.merged = False


class _Reader:
    """The state of one pass over word/document.xml: the open paragraph, run depth and open tables, rows, cells."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.parts: list[str] = []
        self.tables: list[list[str]] = []  # rows of each open table, innermost last
        self.rows: list[list[str]] = []  # cells of each open row
        self.cells: list[_Cell] = []
        self.para: list[str] | None = None  # the open paragraph's text pieces
        self.style: str | None = None
        self.in_run = 0
        self.skip = 0  # inside a text box or an mc:Fallback copy (python-docx left them out too)
        self.paragraphs = 0

    def feed(self, event: str, el: Any) -> None:
        """Handle one iterparse event; every element is freed at its end."""
        handler = _HANDLERS.get((event, self._local(event, el.tag)))
        if handler is not None:
            handler(self, el)
        if event == "end":
            _free(el)

    def _local(self, event: str, tag: Any) -> str | None:
        """The local name of a tag this reader handles, or None when it is not one or sits in a skipped part."""
        if tag in _TXBX or tag == _MC_FALLBACK:
            self.skip += 1 if event == "start" else -1
        local = _LOCAL.get(tag) if isinstance(tag, str) else None
        return None if self.skip else local

    def _start_p(self, el: Any) -> None:
        """A paragraph opens: no text, no style yet."""
        self.para, self.style = [], None

    def _start_style(self, el: Any) -> None:
        """The open paragraph's style, the first one given."""
        if self.para is not None and self.style is None:
            self.style = _attr(el, _VAL)

    def _start_merge(self, el: Any) -> None:
        """Mark the open cell merged unless it starts the merge: a continuation holds nothing of its own."""
        if self.cells:
            self.cells[-1].merged = _attr(el, _VAL) != "restart"

    def _run(self, step: int) -> None:
        """A run opens (+1) or closes (-1)."""
        self.in_run += step

    def _end_text(self, el: Any) -> None:
        """A text element's characters join the open paragraph."""
        if self.para is not None and el.text:
            self.para.append(el.text)

    def _piece(self, piece: str) -> None:
        """A tab, break or hyphen inside a run joins the open paragraph."""
        if self.para is not None and self.in_run:
            self.para.append(piece)

    def _end_break(self, el: Any) -> None:
        """A line break (not a page or column break) becomes a newline."""
        if _attr(el, _TYPE) in (None, "textWrapping"):
            self._piece("\n")

    def _end_p(self, el: Any) -> None:
        """A paragraph closes: its text goes to the open cell, or to the output with its heading marks."""
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise _Limit(f"it has more than {MAX_PARAGRAPHS:,} paragraphs (the limit)")
        text = "".join(self.para or ()).strip()
        if self.cells:
            self.cells[-1].paras.append(text)
        else:
            level = _heading_level(self.style, self.names)
            self.parts.append("#" * level + " " + text if text and level else text)
        self.para, self.style = None, None

    def _end_cell(self, el: Any) -> None:
        """A cell closes: its text, whitespace collapsed, joins the open row unless empty or merged."""
        cell = self.cells.pop()
        text = " ".join("\n".join(cell.paras).split())
        if text and not cell.merged and self.rows:
            self.rows[-1].append(text)

    def _end_row(self, el: Any) -> None:
        """A row closes: its cells, joined by ' | ', become a line of the open table."""
        row = self.rows.pop() if self.rows else []
        if row and self.tables:
            self.tables[-1].append(" | ".join(row))

    def _end_table(self, el: Any) -> None:
        """A table closes: its lines go to the open cell (a nested table) or to the output."""
        table = "\n".join(self.tables.pop()) if self.tables else ""
        if self.cells:
            self.cells[-1].paras.append(table)
        else:
            self.parts.append(table)


_HANDLERS: dict[tuple[str, str | None], Callable[[_Reader, Any], None]] = {  # (event, element) -> its step
    ("start", "p"): _Reader._start_p,
    ("start", "pStyle"): _Reader._start_style,
    ("start", "r"): lambda r, el: r._run(1),
    ("start", "tbl"): lambda r, el: r.tables.append([]),  # a table opens with no rows yet
    ("start", "tr"): lambda r, el: r.rows.append([]),  # a row opens with no cells yet
    ("start", "tc"): lambda r, el: r.cells.append(_Cell()),
    ("start", "vMerge"): _Reader._start_merge,
    ("start", "hMerge"): _Reader._start_merge,
    ("end", "t"): _Reader._end_text,
    ("end", "tab"): lambda r, el: r._piece("\t"),
    ("end", "ptab"): lambda r, el: r._piece("\t"),
    ("end", "br"): _Reader._end_break,
    ("end", "cr"): lambda r, el: r._piece("\n"),
    ("end", "noBreakHyphen"): lambda r, el: r._piece("-"),
    ("end", "r"): lambda r, el: r._run(-1),
    ("end", "p"): _Reader._end_p,
    ("end", "tc"): _Reader._end_cell,
    ("end", "tr"): _Reader._end_row,
    ("end", "tbl"): _Reader._end_table,
}


def _parse_document(stream: _Capped, names: dict[str, str], deadline: float) -> list[str]:
    """The document's paragraphs and tables in order, within the paragraph and time limits."""
    from lxml import etree

    reader = _Reader(names)
    safe = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
    context = etree.iterparse(stream, events=("start", "end"), remove_comments=True, remove_pis=True, **safe)
    for events, (event, el) in enumerate(context, 1):
        if events & 0xFFF == 0 and time.monotonic() > deadline:
            raise _Limit(f"reading it took more than {MAX_PARSE_SECONDS:.0f} s (the limit)")
        reader.feed(event, el)
    return reader.parts


def _attr(el: Any, keys: set[str]) -> str | None:
    for k, v in el.attrib.items():
        if k in keys:
            return str(v)
    return None


def _free(el: Any) -> None:
    """Drop a parsed element and the finished siblings before it, so memory stays flat."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def read_docx(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Paragraphs (blank-line separated) and tables of a .docx, in document order."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS
    try:
        _check_directory(path)
        with zipfile.ZipFile(path) as zf:
            main = _relationship(zf, "_rels/.rels", "officeDocument", "") or "word/document.xml"
            base, leaf = posixpath.split(main)
            styles = _relationship(zf, posixpath.join(base, "_rels", leaf + ".rels"), "styles", base)
            names = _style_names(zf, styles or posixpath.join(base, "styles.xml"))
            stream = _open(zf, main, MAX_XML_BYTES)
            if stream is None:
                raise KeyError(main)
            parts = _parse_document(stream, names, deadline)
    except _Limit as exc:
        raise InputError(f"{name}: refused, {exc}; the Word file may be a zip bomb") from None
    except OSError:
        raise
    except Exception as exc:  # zipfile, lxml and zlib raise many types on damaged files
        raise InputError(f"{name}: cannot read the Word file (corrupt or not a .docx: {type(exc).__name__})") from None
    return "\n\n".join(p for p in parts if p.strip()), ()
