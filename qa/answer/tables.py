"""Figures in table rows: a row is kept as cells between " | " (qa.ingest.clean), and every chunk of a table keeps
its caption and header row (qa.ingest.chunking). For a "how many" question the answer is a cell of the row, not the
row: the numeric cell whose column the question names best (出口额 rather than 进口额, a year's column), a growth
column only when growth is asked, with the unit its row's unit column or its header's "（亿元）" gives."""

from __future__ import annotations

import re

from qa.answer.mentions import Mention
from qa.ingest.chunking import is_row
from qa.types import Chunk

SEP = " | "
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
_HEADER_UNIT = re.compile(r"[（(]([^）)]{1,6})[）)]")
_UNIT_COLUMN = re.compile(r"单位")
_GROWTH = re.compile(r"增长|增速|增幅|下降|比上年|同比|growth|increase|rise|fall", re.I)


def cells(text: str) -> list[tuple[int, int]]:
    """[start, end) of each cell of a row, stripped of spaces."""
    out, at = [], 0
    for part in text.split(SEP):
        lead = len(part) - len(part.lstrip())
        out.append((at + lead, at + len(part.rstrip())))
        at += len(part) + len(SEP)
    return out


def _numeric(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def header_of(chunk: Chunk, width: int) -> list[str] | None:
    """The header row of a row's table with `width` cells: the last row of the chunk's context, else the chunk's
    first row, when it has that many cells and is mostly words."""
    lines = [ln for ln in chunk.context.splitlines() if is_row(ln)] + chunk.text.splitlines()[:1]
    for line in lines:
        parts = [line[s:e] for s, e in cells(line)]
        if is_row(line) and len(parts) == width and sum(map(_numeric, parts)) <= width // 3:
            return parts
    return None


def row_context(chunk: Chunk, row: str) -> str:
    """What a table row of `chunk` says beyond its cells: its table's caption and header row ("" when `row` is not
    a row). "原煤 | 13.61亿吨" is 1995年产量 of 原煤 in 主要产品产量及增长情况 only with them."""
    if not is_row(row):
        return ""
    caption = [ln for ln in chunk.context.splitlines() if ln.strip() and not is_row(ln)]
    width = len(cells(row))
    header = header_of(chunk, width)
    own = [row[s:e] for s, e in cells(row)]
    return "\n".join(caption + ([SEP.join(header)] if header and header != own else []))


def _overlap(a: str, b: str) -> int:
    """Characters of `a` (letters, digits) also in `b`."""
    return sum(1 for ch in set(a) if ch.isalnum() and ch in b)


def cell_mentions(row: str, chunk: Chunk, asked: str) -> list[Mention]:
    """The numeric cells of `row` (a table row's text) the question may ask for, best column first, each with its
    unit; [] when `row` is no row or holds no figure."""
    if not is_row(row):
        return []
    spans = cells(row)
    texts = [row[s:e] for s, e in spans]
    header = header_of(chunk, len(spans))
    unit_col = next((i for i, h in enumerate(header or []) if _UNIT_COLUMN.search(h)), None)
    row_unit = texts[unit_col] if unit_col is not None and not _numeric(texts[unit_col]) else ""
    wants_growth = bool(_GROWTH.search(asked))
    found: list[tuple[int, int, Mention]] = []
    for i, ((s, e), t) in enumerate(zip(spans, texts, strict=True)):
        if i == 0 or not _numeric(t):
            continue
        head = header[i] if header else ""
        growth = bool(_GROWTH.search(head)) or t.endswith("%")
        if header and growth != wants_growth:
            continue
        in_head = _HEADER_UNIT.search(head)
        unit = in_head.group(1) if in_head else ("%" if growth else row_unit)
        if t.endswith("%"):
            unit = ""
        found.append((-_overlap(head, asked), i, Mention(s, e, t, unit)))
    return [m for _score, _i, m in sorted(found, key=lambda f: (f[0], f[1]))]
