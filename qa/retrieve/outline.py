"""Where a chunk sits in its document's outline: a numbered sub-heading ("（七）加大保障和改善民生力度") is read
with the top-level heading above it ("2026年重点工作"), so a figure in a plan's sub-section is known to be a
target."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from qa.types import Chunk

#: A numbered sub-heading: （一）…, (2)…, 1. …, 1、…
SUB_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[.、．])")


class Outline:
    """The top-level headings of each document of a chunk list, found once per document."""

    def __init__(self, chunks: Sequence[Chunk], ranges: dict[str, tuple[int, int]]) -> None:
        self.chunks = chunks
        self.ranges = ranges
        self._tops: dict[str, tuple[list[int], list[str]]] = {}

    def _top_headings(self, source: str) -> tuple[list[int], list[str]]:
        """(start offsets, headings) of the document's sections that are not numbered sub-headings, in order."""
        if source not in self._tops:
            starts: list[int] = []
            heads: list[str] = []
            a, b = self.ranges.get(source, (0, 0))
            for i in range(a, b):
                c = self.chunks[i]
                if c.section and not SUB_HEADING.match(c.section) and (not heads or heads[-1] != c.section):
                    starts.append(c.start)
                    heads.append(c.section)
            self._tops[source] = (starts, heads)
        return self._tops[source]

    def section(self, chunk: Chunk) -> str:
        """The chunk's section, after the top-level heading above it when it is a numbered sub-heading."""
        if not SUB_HEADING.match(chunk.section):
            return chunk.section
        starts, heads = self._top_headings(chunk.source)
        at = bisect.bisect_right(starts, chunk.start) - 1
        return f"{heads[at]} {chunk.section}" if at >= 0 else chunk.section
