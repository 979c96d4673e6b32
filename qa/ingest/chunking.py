"""Passages -> chunks with langchain-text-splitters, Chinese separators and raw-offset maps."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa.types import Chunk, Document, Kind, Passage

if TYPE_CHECKING:
    from qa.ingest.metadata import DocMeta

#: Split at paragraphs, then sentence ends, then clause marks; punctuation stays with its sentence.
CHINESE_SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", ". ", "! ", "? ", "，", "、", ", ", " ", ""]

Splitter = Callable[[str], list[tuple[int, int]]]


@dataclass
class _Piece:
    text: str
    offsets: list[int]
    kind: Kind
    section: str
    table: str = ""  # for table rows: the table's caption and header rows, which every chunk of it keeps


def is_row(text: str) -> bool:
    """A table row as cleaning writes it: cells between " | " (tab-separated or Markdown)."""
    return text.startswith("|") or " | " in text


def is_sub_header(row: str) -> bool:
    """A row under a table's header whose first cell is empty: a second header row (" | 1985 | 1995 | 1985 | …"
    under " | 按资产总额计算(%) | 按从业人员计算(%)"), since every data row names what it is about."""
    return is_row(row) and row.lstrip().startswith("|")


def _sub_headers(passages: Sequence[Passage], at: int) -> list[str]:
    """The sub-header rows right after a table's first row (passages[at:])."""
    out: list[str] = []
    while at < len(passages) and passages[at].kind == "body" and is_sub_header(passages[at].text):
        out.append(passages[at].text.splitlines()[0])
        at += 1
    return out


def table_parts(table: str) -> tuple[str, list[str]]:
    """A table's caption and header rows from what its chunks keep ("caption\\nheader row\\nsub-header row")."""
    lines = table.split("\n")
    k = len(lines)
    while k > 0 and is_row(lines[k - 1]):
        k -= 1
    return "\n".join(lines[:k]), lines[k:] or [""]


def make_splitter(chunk_size: int = 250, chunk_overlap: int = 40) -> Splitter:
    """A splitter returning [s, e) spans of `text`, backed by RecursiveCharacterTextSplitter."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=CHINESE_SEPARATORS,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        add_start_index=True,
        strip_whitespace=True,
    )

    def split(text: str) -> list[tuple[int, int]]:
        spans = []
        for doc in splitter.create_documents([text]):
            s = int(doc.metadata.get("start_index", -1))
            if s < 0:  # langchain could not locate the piece; search ourselves
                s = text.find(doc.page_content)
            spans.append((s, s + len(doc.page_content)))
        return spans

    split.chunk_size = chunk_size  # type: ignore[attr-defined]
    return split


def chunk_id(source: str, text: str) -> str:
    """Stable id: a hash of the source name and the chunk text."""
    return hashlib.sha1(f"{source}\0{text}".encode()).hexdigest()[:16]


def _join(a: _Piece, b: _Piece) -> _Piece:
    """Concatenate two pieces with a newline (mapped to a's last raw char); b's overlap with a is dropped."""
    last = a.offsets[-1] if a.offsets else -1
    keep = next((i for i, o in enumerate(b.offsets) if o > last), len(b.offsets))
    text, offsets = b.text[keep:].lstrip(), b.offsets[keep:]
    offsets = offsets[len(b.text[keep:]) - len(text) :]
    if not text:
        return a
    sep_off = a.offsets[-1] if a.offsets else offsets[0]
    return _Piece(a.text + "\n" + text, a.offsets + [sep_off] + offsets, a.kind, a.section, a.table)


def _body_neighbour(out: list[_Piece], section: str) -> int | None:
    """Index of the last body piece of `section` in `out`, looking back over captions only."""
    for j in range(len(out) - 1, -1, -1):
        if out[j].kind == "body":
            return j if out[j].section == section else None
        if out[j].kind != "caption":
            return None
    return None


def _only_header(piece: _Piece) -> bool:
    """A piece holding a table's header rows and nothing else: it goes with the rows under it."""
    if not piece.table:
        return False
    header = {h.strip() for h in table_parts(piece.table)[1]}
    return all(line.strip() in header for line in piece.text.split("\n"))


def _merge_short(pieces: list[_Piece], min_chars: int, max_chars: int) -> list[_Piece]:
    """Join every body piece shorter than `min_chars` to a body neighbour of its section (captions may sit
    between), as long as the result stays within `max_chars`."""
    out: list[_Piece] = []
    for p in pieces:
        j = _body_neighbour(out, p.section) if p.kind == "body" else None
        if (
            j is not None
            and out[j].table == p.table  # rows of one table together, never rows with prose
            and (len(p.text) < min_chars or len(out[j].text) < min_chars or _only_header(out[j]))
            and len(out[j].text) + len(p.text) < max_chars
        ):
            out[j] = _join(out[j], p)
        else:
            out.append(p)
    return out


def chunk_passages(
    passages: Sequence[Passage],
    source: str,
    splitter: Splitter,
    min_chars: int = 40,
    document: Document | None = None,
    max_chars: int = 10_000,
) -> list[Chunk]:
    """Split body passages with `splitter`; captions and headings stay whole (bylines live in headings)."""
    pieces: list[_Piece] = []
    caption = table = ""
    passages = [p for p in passages if p.text.strip()]
    for i, p in enumerate(passages):
        if p.kind == "body" and is_row(p.text):
            if not table:  # the first row after other text is the header, with the sub-header rows under it
                table = "\n".join([caption, p.text.splitlines()[0], *_sub_headers(passages, i + 1)])
            pieces.append(_Piece(p.text, list(p.offsets), "body", p.section, table))
            continue
        caption = p.text if p.kind in ("caption", "heading") else ""
        table = ""
        if p.kind in ("caption", "heading"):
            pieces.append(_Piece(p.text, list(p.offsets), p.kind, p.section))
            continue
        body_pieces = [
            _Piece(p.text[s:e], list(p.offsets[s:e]), "body", p.section) for s, e in splitter(p.text) if e > s
        ]
        pieces.extend(body_pieces)
    pieces = _merge_short(pieces, min_chars, max_chars)
    lead = _lead(pieces)
    chunks = []
    for i, piece in enumerate(pieces):
        start, end = piece.offsets[0], piece.offsets[-1] + 1
        context = piece.section or (lead if i > 0 and lead not in piece.text else "")
        if piece.table:  # a table's rows keep its caption and header rows
            caption, header = table_parts(piece.table)
            context = (caption if piece.text.startswith(header[0]) else piece.table) or context
        page = document.page_of(start) if document is not None else None
        chunks.append(
            Chunk(
                id=chunk_id(source, piece.text),
                source=source,
                start=start,
                end=end,
                section=piece.section,
                kind=piece.kind,
                text=piece.text,
                offsets=tuple(piece.offsets),
                page=page,
                context=context,
            )
        )
    return chunks


def _lead(pieces: list[_Piece], limit: int = 60) -> str:
    """The document's opening sentence (its topic, in encyclopedia-like text), cut to `limit` characters."""
    for p in pieces:
        if p.kind == "body":
            m = re.search(r"[。！？!?]", p.text)
            return p.text[: m.start() + 1 if m else limit][:limit]
    return ""


def chunk_and_describe(
    doc: Document, splitter: Splitter, min_chars: int = 40, max_chars: int | None = None
) -> tuple[list[Chunk], DocMeta]:
    """Clean a document once, then chunk it and read its title, places, organisations and years."""
    from qa.ingest.clean import clean_counted
    from qa.ingest.metadata import describe

    if max_chars is None:
        max_chars = getattr(splitter, "chunk_size", 10_000) + min_chars
    passages, dropped = clean_counted(doc.raw_text, doc.pages)
    chunks = chunk_passages(passages, doc.source, splitter, min_chars, document=doc, max_chars=max_chars)
    return chunks, replace(describe(doc.raw_text, passages, doc.source), dropped_lines=dropped)


def chunk_document(doc: Document, splitter: Splitter, min_chars: int = 40, max_chars: int | None = None) -> list[Chunk]:
    """Clean a document and chunk it; merged pieces stay under `max_chars` (default: chunk size + min_chars)."""
    from qa.ingest.clean import clean

    if max_chars is None:
        max_chars = getattr(splitter, "chunk_size", 10_000) + min_chars

    return chunk_passages(
        clean(doc.raw_text, doc.pages), doc.source, splitter, min_chars, document=doc, max_chars=max_chars
    )
