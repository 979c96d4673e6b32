"""Where a chunk sits in its document's outline: a numbered sub-heading ("（七）加大保障和改善民生力度") is read
with the top-level heading above it ("2026年重点工作"), so a figure in a plan's sub-section is known to be a
target. A government work report reviews last year, then lists this year's targets ("今年经济社会发展的主要预期
目标是：…"), then sets out the year's work: what follows that list is its plans, whatever its headings say (many
reports' headings are not found as headings, or name no plan)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping, Sequence

from qa.ingest.metadata import DocMeta
from qa.types import Chunk

#: A numbered sub-heading: （一）…, (2)…, 1. …, 1、…
SUB_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[.、．])")
#: A list of targets after a colon ("主要预期目标是：地区生产总值增长5%左右…", "“十五五”时期…的主要目标是："): in a
#: report it opens the plans; in a sentence, what follows it is a target (`qa.answer.aims`).
TARGET_LIST = re.compile(r"目标(?:是|为)?[:：]")
#: Said of a chunk after that list: its 预期目标 makes `qa.answer.aims` read the section as plans.
PLANS = "（主要预期目标之后）"


class Outline:
    """The top-level headings of each document of a chunk list, found once per document."""

    def __init__(
        self, chunks: Sequence[Chunk], ranges: dict[str, tuple[int, int]], reports: Collection[str] = ()
    ) -> None:
        """`reports`: the sources that are government work reports (review, targets, then plans)."""
        self.chunks = chunks
        self.ranges = ranges
        self.reports = frozenset(reports)
        self._tops: dict[str, tuple[list[int], list[str]]] = {}
        self._plans: dict[str, int | None] = {}

    def plans_from(self, source: str) -> int | None:
        """Where a report's plans begin: the start of the first chunk listing targets (None: not a report, or no
        list)."""
        if source not in self.reports:
            return None
        if source not in self._plans:
            a, b = self.ranges.get(source, (0, 0))
            at = next((self.chunks[i].start for i in range(a, b) if TARGET_LIST.search(self.chunks[i].text)), None)
            self._plans[source] = at
        return self._plans[source]

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
        """The chunk's section, after the top-level heading above it when it is a numbered sub-heading, and marked
        as plans (PLANS) when it follows its report's list of targets."""
        section = chunk.section
        if SUB_HEADING.match(section):
            starts, heads = self._top_headings(chunk.source)
            at = bisect.bisect_right(starts, chunk.start) - 1
            section = f"{heads[at]} {section}" if at >= 0 else section
        plans = self.plans_from(chunk.source)
        return f"{section}{PLANS}" if plans is not None and chunk.start > plans else section


def reports(metas: Mapping[str, DocMeta]) -> set[str]:
    """The sources that are government work reports (and so have a review, targets, then plans)."""
    return {source for source, meta in metas.items() if meta.genre == "政府工作报告"}
