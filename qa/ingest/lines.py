"""Raw text -> lines: each kept character with its raw offset, page numbers and running headers dropped."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from qa.ingest.chars import Chars, norm_char
from qa.text.script import CLOSERS

FINAL = set("。！？!?…；;.")
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
            while cur and cur[-1][0] == " ":
                cur.pop()
            out.append(Line(cur, lead, i if i < len(raw) else -1) if cur else None)
            if ch == "\x0c":
                out.append(None)
            cur, lead, in_lead = [], 0, True
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


def filter_lines(lines: list[Line | None]) -> list[Line | None]:
    """Drop page numbers and running headers/footers; mark fenced code; undouble lines."""

    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", ln.compact)

    counts = Counter(key(ln) for ln in lines if ln)
    seen: set[str] = set()
    fence = False
    out: list[Line | None] = []
    for ln in lines:
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
        k = key(ln)
        repeated = counts[k] >= 3 and 4 <= len(k) <= 40 and not set(k) & SENT_PUNCT
        if _PAGE_NO.fullmatch(t) or (repeated and k in seen):  # a running header is kept once
            out.append(None)
            continue
        seen.add(k)
        out.append(_undouble(ln))
    return out
