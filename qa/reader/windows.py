"""Question and passage as the reader's input: ``<s> question </s> passage </s>`` in windows of at most `max_len`
tokens, overlapping by `overlap` tokens, each passage token with its character span in the passage.

The same code makes training windows (`qa.reader.data`) and run-time windows (`qa.reader.model`), so the model
reads at run time exactly what it was trained on. Token 0 (``<s>``) is the "no answer" position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

#: A question is cut to this many tokens (the passage keeps the rest of the window).
MAX_QUESTION_TOKENS = 64


class OffsetTokenizer(Protocol):
    """What windows need of a tokenizer (`qa.encoder.unigram.UnigramTokenizer`)."""

    bos: int
    eos: int
    pad: int

    def encode_offsets(self, text: str) -> tuple[list[int], list[tuple[int, int]]]: ...


@dataclass(frozen=True)
class Window:
    """One model input: `ids` (``<s>`` q ``</s>`` p ``</s>``), the index of its first passage token, and the
    character span in the passage of each of its passage tokens."""

    ids: list[int]
    first: int  # position of the first passage token in `ids`
    spans: list[tuple[int, int]]  # spans[i] is the passage span of ids[first + i]

    @property
    def char_range(self) -> tuple[int, int]:
        """The passage characters this window reads."""
        return (self.spans[0][0], self.spans[-1][1]) if self.spans else (0, 0)

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Positions in `ids` of the first and last token covering characters [start, end) (inclusive), or None
        when the window does not hold all of them."""
        lo, hi = self.char_range
        if not self.spans or start < lo or end > hi or end <= start:
            return None
        first = last = None
        for i, (s, e) in enumerate(self.spans):
            if e <= s:
                continue
            if first is None and e > start:
                first = i
            if s < end:
                last = i
        if first is None or last is None or last < first:
            return None
        return self.first + first, self.first + last


def question_ids(tok: OffsetTokenizer, question: str) -> list[int]:
    """The question's token ids, cut to MAX_QUESTION_TOKENS."""
    return tok.encode_offsets(question)[0][:MAX_QUESTION_TOKENS]


def make_windows(
    q_ids: Sequence[int],
    p_ids: Sequence[int],
    p_spans: Sequence[tuple[int, int]],
    bos: int,
    eos: int,
    max_len: int = 256,
    overlap: int = 96,
) -> list[Window]:
    """Windows over the passage tokens: each holds the question and as much passage as fits, the next starting
    `overlap` tokens before the previous one ends. A passage with no tokens gives one window with none."""
    room = max(8, max_len - len(q_ids) - 3)
    head = [bos, *q_ids, eos]
    out: list[Window] = []
    start = 0
    while True:
        end = min(len(p_ids), start + room)
        out.append(Window([*head, *p_ids[start:end], eos], len(head), list(p_spans[start:end])))
        if end >= len(p_ids):
            return out
        start = max(start + 1, end - overlap)


def windows_for(
    tok: OffsetTokenizer, question: str, passage: str, max_len: int = 256, overlap: int = 96
) -> list[Window]:
    """Tokenise question and passage and cut the windows."""
    p_ids, p_spans = tok.encode_offsets(passage)
    return make_windows(question_ids(tok, question), p_ids, p_spans, tok.bos, tok.eos, max_len, overlap)
