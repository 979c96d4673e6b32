"""Raw text -> lines: each kept character with its raw offset, page numbers and running headers dropped."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from qa.ingest.chars import Chars, norm_char
from qa.text.script import CLOSERS

FINAL = set("。！？!?…；;.")
TAB = "\t"
SENT_PUNCT = set("，。；;！!？?")
_PAGE_NO = re.compile(r"[-–—\s]*\d{1,3}[-–—\s]*|第\s*\d+\s*页.{0,8}|\d+\s*/\s*\d+|(?i:page|p\.)\s*\d+(\s*of\s*\d+)?")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ends_final(text: str) -> bool:
    t = text.rstrip("".join(CLOSERS))
    return bool(t) and t[-1] in FINAL


@dataclass
class Line:
    chars: Chars  # normalised, stripped
    indent: int
    brk: int  # raw index of the terminating newline / form feed, -1 at end of text
    verbatim: bool = False

    @cached_property
    def text(self) -> str:
        return "".join(c for c, _ in self.chars)

    @cached_property
    def compact(self) -> str:
        return self.text.replace(" ", "")


def read_lines(raw: str) -> list[Line | None]:
    """Split on newlines / form feeds; None marks a blank line (form feeds add one)."""
    out: list[Line | None] = []
    cur: Chars = []
    lead, in_lead = 0, True
    for i, ch in enumerate(raw + "\n"):
        if ch in "\n\x0c":
            while cur and cur[-1][0] in (" ", TAB):
                cur.pop()
            out.append(Line(cur, lead, i if i < len(raw) else -1) if cur else None)
            if ch == "\x0c":
                out.append(None)
            cur, lead, in_lead = [], 0, True
            continue
        if ch == "\t" and not in_lead:
            cur.append((TAB, i))  # a table's cell boundary: kept apart from other spaces (qa.ingest.clean)
            continue
        n = norm_char(ch)
        if not n:
            continue
        if n == " " and in_lead:
            lead += 1
            continue
        in_lead = False
        cur.append((n, i))
    return out


def _undouble(line: Line) -> Line:
    """A line made of the same string twice (a glued duplicate title) keeps one copy."""
    comp = line.compact
    n = len(comp) // 2
    if n < 4 or len(comp) != 2 * n or comp[:n] != comp[n:]:
        return line
    last = [o for c, o in line.chars if c != " "][n - 1]
    return Line([x for x in line.chars if x[1] <= last], line.indent, line.brk)


#: Running headers and footers are found only where pages are known (form feeds, or a PDF's page offsets): a line
#: among the first or last EDGE lines of a page, repeated at page edges on at least MIN_PAGES pages.
EDGE = 2
MIN_PAGES = 3
_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"\d{1,3}")


@dataclass
class Filtered:
    """Lines with page furniture blanked out, and how many were dropped as such (the build log counts them)."""

    lines: list[Line | None]
    dropped: int


def page_starts(raw: str, pages: tuple[tuple[int, int], ...] = ()) -> list[int]:
    """Raw offsets where pages start: a PDF's page offsets, else the text's form feeds (one page if none)."""
    if pages:
        return [s for s, _ in pages]
    return [0] + [m.end() for m in re.finditer("\x0c", raw)]


def _edge_lines(lines: list[Line | None], starts: list[int]) -> dict[int, int]:
    """Index of each line at a page edge -> its page number."""
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln and ln.chars:
            by_page.setdefault(bisect_right(starts, ln.chars[0][1]) - 1, []).append(i)
    edges: dict[int, int] = {}
    for page, idx in by_page.items():
        for i in idx[:EDGE] + idx[-EDGE:]:
            edges[i] = page
    return edges


def _furniture(lines: list[Line | None], edges: dict[int, int]) -> set[int]:
    """Page-edge lines that are running headers or footers: the same text on MIN_PAGES or more pages, where the
    only numbers that differ between copies rise with the page (page numbers), never a row of differing figures."""
    groups: dict[str, list[int]] = {}
    for i in edges:
        ln = lines[i]
        assert ln is not None
        k = _DIGITS.sub("#", ln.compact)
        if len(k) <= 60 and not set(k) & SENT_PUNCT:
            groups.setdefault(k, []).append(i)
    out: set[int] = set()
    for idx in groups.values():
        if len({edges[i] for i in idx}) < MIN_PAGES:
            continue
        idx.sort()
        texts = [lines[i].compact for i in idx]  # type: ignore[union-attr]
        if len(set(texts)) > 1:
            numbers = [tuple(int(n) for n in _DIGITS.findall(t)) for t in texts]
            if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
                continue  # differing figures, not page numbers: a table row
        out.update(idx[1:] if len(set(texts)) == 1 else idx)  # an unchanging header is kept once
    return out


def _isolated(lines: list[Line | None], i: int) -> bool:
    return (i == 0 or lines[i - 1] is None) and (i + 1 >= len(lines) or lines[i + 1] is None)


def filter_lines(lines: list[Line | None], starts: list[int] | None = None) -> Filtered:
    """Drop page numbers and running headers/footers on evidence of pages; mark fenced code; undouble lines.

    `starts` are the raw offsets where pages begin (`page_starts`). With pages known, page numbers and repeated
    headers go at page edges only. Without pages, only lines that can be nothing else go: explicit page marks
    (`- 3 -`, `第3页`, `3/10`), a bare number alone between blank lines, and copies of a short line without digits or
    punctuation seen three times or more. Table rows, which differ in their figures, are always kept."""
    starts = starts or [0]
    paged = len(starts) >= MIN_PAGES
    edges = _edge_lines(lines, starts) if paged else {}
    drop = _furniture(lines, edges) if paged else set()
    counts = Counter(ln.compact for ln in lines if ln) if not paged else Counter()
    seen: set[str] = set()
    fence = False
    out: list[Line | None] = []
    dropped = 0
    for i, ln in enumerate(lines):
        if ln is None:
            out.append(None)
            continue
        t = ln.text
        if t.startswith("```"):
            fence = not fence
            out.append(None)
            continue
        if fence:
            ln.verbatim = True
            out.append(ln)
            continue
        c = ln.compact
        if paged:
            furniture = i in drop or (i in edges and bool(_PAGE_NO.fullmatch(t)))
        else:
            repeated = counts[c] >= 3 and 4 <= len(c) <= 40 and not _DIGITS.search(c) and not set(c) & SENT_PUNCT
            page_mark = bool(_PAGE_NO.fullmatch(t)) and (not _BARE_NUMBER.fullmatch(c) or _isolated(lines, i))
            furniture = page_mark or (repeated and c in seen)
            seen.add(c)
        if furniture:
            out.append(None)
            dropped += 1
            continue
        out.append(_undouble(ln))
    return Filtered(out, dropped)
