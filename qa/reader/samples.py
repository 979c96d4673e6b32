"""Training windows from examples: for each question the window that holds its answer with the most context
around it, some windows of its passage that do not hold it, and a window of a passage BM25 ranks high that cannot
answer it (both "no answer": start and end at ``<s>``)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from qa.reader.data import Example
from qa.reader.windows import OffsetTokenizer, Window, make_windows, question_ids


@dataclass(frozen=True)
class Sample:
    """One training window and its gold start and end positions (0, 0 for "no answer")."""

    ids: list[int]
    first: int  # first passage position: positions 1 .. first - 1 are the question and never an answer
    start: int
    end: int


@dataclass(frozen=True)
class SampleSettings:
    """How windows are cut and how many "no answer" windows go in."""

    max_len: int = 256
    overlap: int = 96
    other_windows: float = 0.1  # chance that each window of the passage without the answer is kept
    hard_negative: float = 0.5  # chance that a question brings its BM25 passage as a "no answer" window


def _best_positive(windows: list[Window], start: int, end: int) -> tuple[Window, int, int] | None:
    best = None
    for w in windows:
        tokens = w.token_range(start, end)
        if tokens is None:
            continue
        context = min(tokens[0] - w.first, w.first + len(w.spans) - 1 - tokens[1])
        if best is None or context > best[0]:
            best = (context, w, tokens)
    return None if best is None else (best[1], best[2][0], best[2][1])


def _closest_window(windows: list[Window], passage: str, question: str) -> Window:
    """The window sharing the most characters with the question (where a reader would look)."""
    chars = set(question)

    def shared(w: Window) -> int:
        lo, hi = w.char_range
        return len(chars & set(passage[lo:hi]))

    return max(windows, key=shared)


class Sampler:
    """Examples -> samples, tokenising each passage once."""

    def __init__(self, tok: OffsetTokenizer, settings: SampleSettings | None = None) -> None:
        self.tok = tok
        self.settings = settings or SampleSettings()
        self._passages: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def windows(self, question: str, passage: str) -> list[Window]:
        """The windows of `passage` for `question`."""
        if passage not in self._passages:
            self._passages[passage] = self.tok.encode_offsets(passage)
        ids, spans = self._passages[passage]
        s = self.settings
        return make_windows(
            question_ids(self.tok, question), ids, spans, self.tok.bos, self.tok.eos, s.max_len, s.overlap
        )

    def samples(self, e: Example, negative: str | None, rng: random.Random) -> list[Sample]:
        """The samples of one example (none when its answer does not fit a window)."""
        text, start = e.answers[0]
        windows = self.windows(e.question, e.passage)
        found = _best_positive(windows, start, start + len(text))
        if found is None:
            return []
        win, s, t = found
        out = [Sample(win.ids, win.first, s, t)]
        for w in windows:
            if w.token_range(start, start + len(text)) is None and rng.random() < self.settings.other_windows:
                out.append(Sample(w.ids, w.first, 0, 0))
        if negative is not None and rng.random() < self.settings.hard_negative:
            w = _closest_window(self.windows(e.question, negative), negative, e.question)
            out.append(Sample(w.ids, w.first, 0, 0))
        return out


def build_samples(
    examples: list[Example],
    negatives: Mapping[str, str],
    tok: OffsetTokenizer,
    settings: SampleSettings | None = None,
    seed: int = 2018,
) -> list[Sample]:
    """Every example's samples, in example order (the trainer shuffles)."""
    rng = random.Random(seed)
    sampler = Sampler(tok, settings)
    out: list[Sample] = []
    for e in examples:
        out.extend(sampler.samples(e, negatives.get(e.id), rng))
    return out
