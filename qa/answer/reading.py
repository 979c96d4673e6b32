"""The learned reader's part in an answer: scored spans in the top passages, each passage's "no answer"
probability, and how well a rule's span agrees.

The reader (`qa.reader.model.Reader`: multilingual-e5-small fine-tuned on CMRC 2018, DRCD and XQuAD-zh) reads the
question and the best passages and proposes character spans with a probability. Its best span of the asked-for
kind is the answer when it is sure enough; otherwise the rules choose, with the reader's agreement as one input.
Its span and no-answer probabilities are inputs of the confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.reader.decode import WindowSpans
from qa.types import Hit


class SpanReader(Protocol):
    """Anything that proposes scored answer spans in passages (the real reader, or a fake in tests)."""

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]: ...


@dataclass(frozen=True)
class ReadSpan:
    """A span [start, end) of hit `hit_rank`'s chunk text, with the reader's probability."""

    hit_rank: int
    start: int
    end: int
    prob: float


class Reading:
    """The reader's spans for one question over the top passages, and each passage's no-answer probability."""

    def __init__(self, spans: Sequence[ReadSpan], nulls: Sequence[float] = ()) -> None:
        self.spans = sorted(spans, key=lambda s: -s.prob)
        self.nulls = list(nulls)

    @classmethod
    def of(cls, reader: SpanReader | None, question: str, hits: Sequence[Hit], passages: int) -> Reading:
        """Read the first `passages` hits (nothing when there is no reader)."""
        if reader is None or not hits or passages <= 0:
            return cls([])
        found = reader.read(question, [h.chunk.text for h in hits[:passages]], top_n=5)
        spans = [ReadSpan(rank, s, e, p) for rank, f in enumerate(found) for s, e, p in f.spans]
        return cls(spans, [f.null for f in found])

    @property
    def best(self) -> ReadSpan | None:
        return self.spans[0] if self.spans else None

    def null(self, hit_rank: int | None = None) -> float:
        """The no-answer probability of hit `hit_rank` (None: the lowest over the passages read); 0 when unread."""
        if hit_rank is None:
            return min(self.nulls, default=0.0)
        return self.nulls[hit_rank] if 0 <= hit_rank < len(self.nulls) else 0.0

    def support(self, hit_rank: int, start: int, end: int) -> float:
        """The reader's probability for a span of hit `hit_rank`: the best of its spans that overlap it, scaled by
        how much of the reader's span it covers."""
        best = 0.0
        for s in self.spans:
            if s.hit_rank != hit_rank or s.end <= start or s.start >= end:
                continue
            overlap = min(end, s.end) - max(start, s.start)
            best = max(best, s.prob * overlap / max(1, s.end - s.start))
        return best
