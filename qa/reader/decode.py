"""From the reader's start and end logits over one window to scored character spans and a "no answer" score.

Start and end are each a softmax over the window's passage tokens and ``<s>`` (position 0, "no answer"). A span's
probability is p(start) * p(end) for start <= end within `max_tokens`; "no answer" is p(<s>) * p(<s>). numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.reader.windows import Window


@dataclass(frozen=True)
class WindowSpans:
    """The best spans of one window as (char start, char end, probability), best first, and its "no answer"."""

    spans: list[tuple[int, int, float]]
    null: float


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max())
    return z / z.sum()


def decode_window(
    start_logits: np.ndarray, end_logits: np.ndarray, window: Window, top_n: int = 5, max_tokens: int = 40
) -> WindowSpans:
    """The `top_n` best spans of `window` (overlapping ones included) and its no-answer probability."""
    n = len(window.spans)
    first = window.first
    pos = np.r_[0, np.arange(first, first + n)]  # <s> and the passage tokens
    ps = _softmax(np.asarray(start_logits, dtype=np.float64)[pos])
    pe = _softmax(np.asarray(end_logits, dtype=np.float64)[pos])
    null = float(ps[0] * pe[0])
    if n == 0:
        return WindowSpans([], null)
    s, e = ps[1:], pe[1:]
    grid = np.triu(np.outer(s, e)) - np.triu(np.outer(s, e), k=max_tokens)  # start <= end < start + max_tokens
    for i, (a, b) in enumerate(window.spans):
        if b <= a:  # a token of no characters (a lone metaspace) neither starts nor ends an answer
            grid[i, :] = 0.0
            grid[:, i] = 0.0
    flat = np.argsort(grid, axis=None)[::-1][:top_n]
    spans = []
    for k in flat:
        i, j = divmod(int(k), n)
        p = float(grid[i, j])
        if p <= 0.0:
            break
        spans.append((window.spans[i][0], window.spans[j][1], p))
    return WindowSpans(spans, null)


def merge_windows(found: list[WindowSpans], top_n: int = 5) -> WindowSpans:
    """One passage's spans over its windows: each span at its best probability, "no answer" the lowest of the
    windows' (the passage answers when any window does)."""
    best: dict[tuple[int, int], float] = {}
    for w in found:
        for a, b, p in w.spans:
            best[(a, b)] = max(p, best.get((a, b), 0.0))
    spans = sorted(((a, b, p) for (a, b), p in best.items()), key=lambda s: -s[2])[:top_n]
    return WindowSpans(spans, min((w.null for w in found), default=1.0))
