"""Figures in table rows: a row is kept as cells between " | " (qa.ingest.clean), and every chunk of a table keeps
its caption and header row (qa.ingest.chunking). For a "how many" question the answer is a cell of the row, not the
row: the numeric cell whose column the question names best (出口额 rather than 进口额, a year's column), a growth
column only when growth is asked, with the unit its row's unit column or its header's "（亿元）" gives."""

from __future__ import annotations

import itertools
import re

from qa.answer.mentions import Mention
from qa.ingest.chunking import is_row, is_sub_header
from qa.types import Chunk

SEP = " | "
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
_HEADER_UNIT = re.compile(r"[（(]([^）)]{1,6})[）)]")
_UNIT_COLUMN = re.compile(r"单位")
_WITH_UNIT = re.compile(r"(?<![\d,.])-?\d[\d,]*(?:\.\d+)?([\u4e00-\u9fff]{1,6})")  # a figure with its unit in one cell
_YEAR_LABEL = re.compile(r"(?:19|20)\d\d年")  # "1995年产量" names a column, it is no figure of 1995 年产量
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》")
_GROWTH = re.compile(r"增长|增速|增幅|下降|比上年|同比|growth|increase|rise|fall", re.I)


def cells(text: str) -> list[tuple[int, int]]:
    """[start, end) of each cell of a row, stripped of spaces ("| 1985 | 1995": a row whose empty first cell lost
    its space has that empty cell first)."""
    out, at = [], 0
    if text.startswith("| "):
        out, at = [(0, 0)], 2
    for part in text[at:].split(SEP):
        lead = len(part) - len(part.lstrip())
        out.append((at + lead, at + len(part.rstrip())))
        at += len(part) + len(SEP)
    return out


def _numeric(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def _words(parts: list[str]) -> bool:
    """Mostly words, as a header row is."""
    return sum(map(_numeric, parts)) <= len(parts) // 3


def header_of(chunk: Chunk, width: int) -> list[str] | None:
    """The header of a row's table with `width` cells: its header rows, from the chunk's context (or, in the
    table's first chunk, its first rows). A sub-header row of that width is the header; one of years under groups
    ("按资产总额计算(%)" over "1985 | 1995") names each column by both ("按资产总额计算(%) 1995"), when the groups
    divide the columns evenly; else the first row, when it has that width and is mostly words."""
    rows = [ln for ln in chunk.context.splitlines() if is_row(ln)]
    if not rows:
        lines = chunk.text.splitlines()
        rows = lines[:1] + list(itertools.takewhile(is_sub_header, lines[1:]))
    split = [[row[s:e] for s, e in cells(row)] for row in rows if is_row(row)]
    if not split:
        return None
    top, sub = split[0], split[-1]
    if len(split) > 1 and len(sub) == width:
        if _words(sub[1:]):
            return sub
        groups = len(top) - 1
        if groups > 0 and (width - 1) % groups == 0:
            span = (width - 1) // groups
            return [top[0] or sub[0]] + [f"{top[1 + j // span]} {sub[1 + j]}" for j in range(width - 1)]
        return None
    return top if len(top) == width and _words(top) else None


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
    """What header `a` shares with question `b`: its letters also in `b`, and its numbers that `b` writes whole
    (a column of 1985 shares nothing with a question of 1995)."""
    words = sum(1 for ch in set(re.sub(r"\d+", " ", a)) if ch.isalnum() and ch in b)
    asked = set(re.findall(r"\d+", b))
    return words + sum(len(n) for n in set(re.findall(r"\d+", a)) if n in asked)


def cell_mentions(row: str, chunk: Chunk, asked: str) -> list[Mention]:
    """The numeric cells of `row` (a table row's text) the question may ask for, best column first, each with its
    unit; [] when `row` is no row or holds no figure."""
    if not is_row(row):
        return []
    spans = cells(row)
    texts = [row[s:e] for s, e in spans]
    header = header_of(chunk, len(spans))
    if header == texts:  # the header row itself: its cells name columns ("1995年产量"), they hold no figure
        return []
    unit_col = next((i for i, h in enumerate(header or []) if _UNIT_COLUMN.search(h)), None)
    row_unit = texts[unit_col] if unit_col is not None and not _numeric(texts[unit_col]) else ""
    wants_growth = bool(_GROWTH.search(_QUOTED.sub("", asked)))  # not in a table's quoted title (…及增长情况)
    found: list[tuple[int, int, Mention]] = []
    for i, ((s, e), t) in enumerate(zip(spans, texts, strict=True)):
        with_unit = None if _YEAR_LABEL.match(t) else _WITH_UNIT.fullmatch(t)
        if i == 0 or not (_numeric(t) or with_unit):
            continue
        head = header[i] if header else ""
        # the column's header, or the row's label in a table of indicators by row ("“八五”时期平均每年增长(%)")
        growth = bool(_GROWTH.search(head) or _GROWTH.search(texts[0])) or t.endswith("%")
        if header and growth != wants_growth:
            continue
        in_head = _HEADER_UNIT.search(head) or _HEADER_UNIT.search(texts[0])
        unit = in_head.group(1) if in_head else ("%" if growth else row_unit)
        if t.endswith("%"):
            unit = ""
        elif with_unit:
            unit = with_unit.group(1)  # the cell's own unit: "13.61亿吨"
        found.append((-_overlap(head, asked), i, Mention(s, e, t, unit)))
    return [m for _score, _i, m in sorted(found, key=lambda f: (f[0], f[1]))]
