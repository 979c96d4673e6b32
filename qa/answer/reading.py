"""The learned reader's part in an answer: scored spans in the top passages, and how well a rule's span agrees.

The reader (`qa.reader.model.Reader`, numpy, trained on DRCD) reads the question and the best passages and
proposes character spans with a probability. Rules still decide what kind of span may answer; the reader helps
choose among them, proposes the span when no rule has one, and its probability is one input of the confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.types import Hit


class SpanReader(Protocol):
    """Anything that proposes scored answer spans in passages (the real reader, or a fake in tests)."""

    def spans_batch(
        self, question: str, texts: list[str], top_n: int = 5, max_tokens: int = 30
    ) -> list[list[tuple[int, int, float]]]: ...


@dataclass(frozen=True)
class ReadSpan:
    """A span [start, end) of hit `hit_rank`'s chunk text, with the reader's probability."""

    hit_rank: int
    start: int
    end: int
    prob: float


class Reading:
    """The reader's spans for one question over the top passages."""

    def __init__(self, spans: Sequence[ReadSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: -s.prob)

    @classmethod
    def of(cls, reader: SpanReader | None, question: str, hits: Sequence[Hit], passages: int) -> Reading:
        """Read the first `passages` hits (nothing when there is no reader)."""
        if reader is None or not hits or passages <= 0:
            return cls([])
        texts = [h.chunk.text for h in hits[:passages]]
        found = reader.spans_batch(question, texts, top_n=5)
        return cls([ReadSpan(rank, s, e, p) for rank, spans in enumerate(found) for s, e, p in spans])

    @property
    def best(self) -> ReadSpan | None:
        return self.spans[0] if self.spans else None

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
