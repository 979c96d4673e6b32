"""What a generation's segments hold live, and merging the small ones.

A generation's manifest marks rows and documents of its segments deleted (a segment's files never change);
`live_entries` and `live_rows` read those marks, `merge_small` rewrites segments with few live rows into one once
there are more than MAX_SMALL of them (dropping the deleted rows, re-embedding nothing), and `lexicon_of` sums the
dictionary-word counts of a generation's segments into its lexicon.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.lexicon import lexicon_from_counts
from qa.index.segment import Segment
from qa.index.segment_writer import HNSW_MIN, SegmentWriter
from qa.index.store import SEGMENTS, open_segment
from qa.index.writer import SEGMENT_ROWS

SMALL_ROWS = 1_000  # segments with fewer live rows than this are "small"...
MAX_SMALL = 10  # ...and merged into one once there are more than this many


_WORDS: dict[str, Counter[str]] = {}


def _words(seg: Segment) -> Counter[str]:
    key = str(seg.folder)
    if key not in _WORDS:
        if len(_WORDS) > 64:
            _WORDS.clear()
        _WORDS[key] = Counter({k: int(v) for k, v in seg.words().items()})
    return _WORDS[key]


def lexicon_of(segments: Sequence[Segment]) -> dict[str, list[list]]:
    """The lexicon of the generation: dictionary-word counts summed over its segments (rows deleted from a
    segment still count until the segment is merged)."""
    total: Counter[str] = Counter()
    for seg in segments:
        total.update(_words(seg))
    return lexicon_from_counts(total)


def live_entries(segments: Sequence[Segment], marks: Sequence[dict[str, Any]]) -> dict[str, tuple[int, dict[str, Any]]]:
    """source -> (segment index, document line) of every live document."""
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, (seg, mark) in enumerate(zip(segments, marks, strict=True)):
        removed = set(mark.get("removed") or [])
        for d in seg.docs:
            if d["source"] not in removed:
                out[d["source"]] = (i, d)
    return out


def live_rows(seg: Segment, mark: dict[str, Any]) -> int:
    """Rows of `seg` that its mark in the manifest does not delete."""
    return seg.rows - sum(b - a for a, b in mark.get("deleted") or [])


def _small(segments: list[Segment], marks: list[dict[str, Any]], force: bool) -> list[int]:
    """Indexes of the segments with few live rows (with `force`: of all that are not full)."""
    limit = SEGMENT_ROWS if force else SMALL_ROWS
    return [i for i, (s, m) in enumerate(zip(segments, marks, strict=True)) if live_rows(s, m) < limit]


def _rewrite(index_dir: Path, segments: list[Segment], marks: list[dict[str, Any]], small: list[int]) -> list[Path]:
    """Write the live documents of the segments `small` into new segments of up to SEGMENT_ROWS rows."""
    dim = int(segments[small[0]].info["dim"])
    writer: SegmentWriter | None = None
    written: list[Path] = []
    for i in small:
        seg, mark = segments[i], marks[i]
        removed = set(mark.get("removed") or [])
        for d in seg.docs:
            if d["source"] in removed:
                continue
            a, b = d["rows"]
            if writer is None:
                writer = SegmentWriter(index_dir / SEGMENTS, dim, str(seg.info["embedder"]))
            entry = {k: v for k, v in d.items() if k not in ("rows", "headings")}
            writer.add(entry, [seg.chunk(r) for r in range(a, b)], np.asarray(seg.vectors[a:b]))
            if writer.rows >= SEGMENT_ROWS:
                written.append(writer.finish(HNSW_MIN))
                writer = None
    if writer is not None:
        written.append(writer.finish(HNSW_MIN))
    return written


def merge_small(
    index_dir: Path, segments: list[Segment], marks: list[dict[str, Any]], force: bool = False
) -> tuple[list[Segment], list[dict[str, Any]], list[Segment]]:
    """Merge segments with few live rows into one when there are more than MAX_SMALL of them (all of them
    with `force`), dropping deleted rows. Returns the new lists and the segments written."""
    small = _small(segments, marks, force)
    if len(small) <= (1 if force else MAX_SMALL):
        return segments, marks, []
    new = [open_segment(p) for p in _rewrite(index_dir, segments, marks, small)]
    keep = [i for i in range(len(segments)) if i not in set(small)]
    return [segments[i] for i in keep] + new, [marks[i] for i in keep] + [{"name": s.name} for s in new], new
