"""The learned reader's part in an answer: scored spans in the top passages, each passage's "no answer"
probability, and how well a rule's span agrees.

The reader (`qa.reader.model.Reader`: multilingual-e5-small fine-tuned on CMRC 2018, DRCD and XQuAD-zh) reads the
question and the best passages and proposes character spans with a probability. Its best span of the asked-for
kind is the answer when it is sure enough; otherwise the rules choose, with the reader's agreement as one input.
Its span and no-answer probabilities are inputs of the confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.answer.evidence import Candidate
from qa.reader.decode import WindowSpans
from qa.types import Hit


class SpanReader(Protocol):
    """Anything that proposes scored answer spans in passages (the real reader, or a fake in tests)."""

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]: ...


def around(cands: Sequence[Candidate], hits: Sequence[Hit], segments: int, chars: int) -> list[tuple[int, int, int]]:
    """(hit rank, start, end) of up to `segments` stretches of chunk text, each about `chars` characters centred on
    one of the best-ranked sentences; a sentence already inside a chosen stretch adds none, nor does a heading (a
    title that repeats the question's words is no place for its answer, and would take the stretch)."""
    out: list[tuple[int, int, int]] = []
    for c in cands:
        if len(out) >= segments:
            break
        if hits[c.hit_rank].chunk.kind == "heading":
            continue
        if any(rank == c.hit_rank and a <= c.start and c.end <= b for rank, a, b in out):
            continue
        n = len(hits[c.hit_rank].chunk.text)
        room = max(0, chars - (c.end - c.start))
        a = max(0, c.start - room // 2)
        b = min(n, max(c.end, a + chars))
        a = max(0, min(a, b - chars))
        out.append((c.hit_rank, a, b))
    return out


@dataclass(frozen=True)
class ReadSpan:
    """A span [start, end) of hit `hit_rank`'s chunk text, with the reader's probability."""

    hit_rank: int
    start: int
    end: int
    prob: float


class Reading:
    """The reader's spans for one question over the top passages, and each passage's no-answer probability."""

    def __init__(self, spans: Sequence[ReadSpan], nulls: Mapping[int, float] | None = None) -> None:
        self.spans = sorted(spans, key=lambda s: -s.prob)
        self.nulls = dict(nulls or {})

    @classmethod
    def of(
        cls,
        reader: SpanReader | None,
        question: str,
        hits: Sequence[Hit],
        cands: Sequence[Candidate],
        segments: int,
        chars: int,
        enough: float = 0.0,
    ) -> Reading:
        """Read the passages around the best-ranked evidence sentences: at most `segments` of about `chars`
        characters each, centred on a sentence (nothing when there is no reader), one at a time, until a span is
        at least `enough` probable (0: all at once). Spans come back as offsets into their chunk; a chunk's
        no-answer probability is the lowest of its segments'."""
        if reader is None or not cands or segments <= 0:
            return cls([])
        parts = around(cands, hits, segments, chars)
        batches = [parts] if enough <= 0 else [[p] for p in parts]
        spans: list[ReadSpan] = []
        nulls: dict[int, float] = {}
        for batch in batches:
            found = reader.read(question, [hits[rank].chunk.text[a:b] for rank, a, b in batch], top_n=5)
            for (rank, a, _b), f in zip(batch, found, strict=True):
                spans += [ReadSpan(rank, a + s, a + e, p) for s, e, p in f.spans]
                nulls[rank] = min(f.null, nulls.get(rank, 1.0))
            if enough > 0 and any(s.prob >= enough for s in spans):
                break
        return cls(spans, nulls)

    @property
    def best(self) -> ReadSpan | None:
        return self.spans[0] if self.spans else None

    def null(self, hit_rank: int | None = None) -> float:
        """The no-answer probability of hit `hit_rank` (None: the lowest over the passages read); 1 when none of
        it was read, 0 when nothing was."""
        if not self.nulls:
            return 0.0
        if hit_rank is None:
            return min(self.nulls.values())
        return self.nulls.get(hit_rank, 1.0)

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
