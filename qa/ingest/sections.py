"""Which heading each passage belongs to, including PDF layouts that print a heading after its text."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from qa.text.script import is_han

#: A top-level heading's number: "一、2024年工作回顾", "二、2025年主要任务".
_ORDINAL = re.compile(r"^\s*([一二三四五六七八九十]{1,3})[、．.]")
_DIGITS = "一二三四五六七八九"


def _ordinal(numeral: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23."""
    tens, _ten, units = numeral.rpartition("十")
    if not _ten:
        return _DIGITS.index(numeral) + 1 if len(numeral) == 1 else 0
    return (_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_DIGITS.index(units) + 1 if units else 0)


def _numbered_in_order(texts: list[str], heads: list[int]) -> bool:
    """Whether the headings number the document's parts 一、二、三… in order: such a document is in reading order,
    however much its text shares with a later heading (a review of last year names this year's tasks)."""
    numbers = [_ordinal(m.group(1)) for i in heads if (m := _ORDINAL.match(texts[i]))]
    return len(numbers) >= 2 and numbers[0] == 1 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _feats(text: str) -> set[str]:
    han = [c for c in text if is_han(c)]
    return {a + b for a, b in zip(han, han[1:], strict=False)} | {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def assign_sections(texts: list[str], kinds: list[str]) -> list[str]:
    """Section of each passage: by default the latest heading before it.

    PDF extraction of multi-column pages often emits a heading *after* the text it heads. When at
    least two body passages come before the first heading and, over the runs of body text between
    headings, words shared with the following heading outweigh those shared with the preceding one,
    each run takes the heading that follows it (text after the last heading keeps the last one).
    Shared words are weighted by rarity among body passages and among headings. Headings numbered 一、二、三… in
    order mark a document in reading order: its text follows its headings.
    """
    heads = [i for i, k in enumerate(kinds) if k == "heading"]
    forward = _forward(texts, kinds)
    body = [i for i, k in enumerate(kinds) if k == "body"]
    if not heads or sum(i < heads[0] for i in body) < 2 or _numbered_in_order(texts, heads):
        return forward
    scorer = _Scorer(texts, body, heads)
    runs = _runs(kinds, heads, len(texts))
    if not _heads_follow(runs, kinds, len(texts), scorer):
        return forward
    return _backward(texts, kinds, runs, forward, scorer)


def _forward(texts: list[str], kinds: list[str]) -> list[str]:
    """The latest heading at or before each passage ("" before the first one)."""
    forward, last = [], ""
    for t, k in zip(texts, kinds, strict=True):
        last = t if k == "heading" else last
        forward.append(last)
    return forward


class _Scorer:
    """How much a run of body passages shares with a heading, words weighted by rarity in body and headings."""

    def __init__(self, texts: list[str], body: list[int], heads: list[int]) -> None:
        self.feats = {i: _feats(texts[i]) for i in body + heads}
        df = Counter(f for i in body for f in self.feats[i])
        self.idf = {f: math.log((len(body) + 1) / (n + 0.5)) for f, n in df.items()}
        self.dfh = Counter(f for i in heads for f in self.feats[i])  # words shared by all headings tell nothing
        self.n_heads = len(heads)

    def score(self, run: list[int], h: int) -> float:
        """Similarity of the passages `run` to heading `h`, normalised by the heading's length."""
        words = set().union(*(self.feats[i] for i in run))
        hits = [self.idf.get(f, 0.0) * math.log((self.n_heads + 1) / self.dfh[f]) for f in self.feats[h] if f in words]
        return sum(hits) / math.sqrt(max(1, len(self.feats[h])))


def _body_in(kinds: list[str], start: int, end: int) -> list[int]:
    """Indices of the body passages in [start, end)."""
    return [i for i in range(start, end) if kinds[i] == "body"]


def _runs(kinds: list[str], heads: list[int], n: int) -> list[tuple[int, int]]:
    """[start, end) passage ranges between headings (and after the last) that hold body text."""
    runs: list[tuple[int, int]] = []
    start = 0
    for h in heads + [n]:
        if any(kinds[i] == "body" for i in range(start, h)):
            runs.append((start, h))
        start = h + 1
    return runs


def _heads_follow(runs: list[tuple[int, int]], kinds: list[str], n: int, scorer: _Scorer) -> bool:
    """Whether runs between two headings share clearly more with the heading after them than the one before."""
    prev_total = next_total = 0.0
    for s, e in runs:
        run = _body_in(kinds, s, e)
        if s > 0 and e < n:
            prev_total += scorer.score(run, s - 1)
            next_total += scorer.score(run, e)
    return not next_total <= 1.1 * prev_total


def _backward(
    texts: list[str], kinds: list[str], runs: list[tuple[int, int]], forward: list[str], scorer: _Scorer
) -> list[str]:
    """Sections when headings follow their text: each run takes the heading after it."""
    backward = list(forward)
    for s, e in runs:
        if e < len(texts):
            backward[s:e] = [texts[e]] * (e - s)
        group = _heading_group_before(kinds, s)
        if len(group) >= 2:  # headings printed back to back with no text between head the text after them
            _assign_group(texts, kinds, (s, e), group, backward, scorer)
    return backward


def _assign_group(
    texts: list[str], kinds: list[str], span: tuple[int, int], group: list[int], backward: list[str], scorer: _Scorer
) -> None:
    """Share a run among a group of headings in order, each body passage to its best one (in place)."""
    s, e = span
    run = _body_in(kinds, s, e)
    picks = _monotone_best(run, group, lambda i, h: scorer.score([i], h))
    for i, h in zip(run, picks, strict=True):
        backward[i] = texts[h]
    for i in range(s, e):  # captions between take the section of the body before them
        if kinds[i] != "body" and i > s:
            backward[i] = backward[i - 1]


def _heading_group_before(kinds: list[str], start: int) -> list[int]:
    """Indices of the consecutive headings (captions may sit between) ending just before `start`."""
    group: list[int] = []
    i = start - 1
    while i >= 0 and kinds[i] != "body":
        if kinds[i] == "heading":
            group.insert(0, i)
        i -= 1
    return group


def _monotone_best(items: list[int], candidates: list[int], sim: Callable[[int, int], float]) -> list[int]:
    """Give each item (in order) one candidate (in order, never going back) maximising total similarity."""
    n, m = len(items), len(candidates)
    best = [[0.0] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for j in range(m):
        best[0][j] = sim(items[0], candidates[j])
    for i in range(1, n):
        for j in range(m):
            k = max(range(j + 1), key=lambda x: best[i - 1][x])
            best[i][j] = best[i - 1][k] + sim(items[i], candidates[j])
            back[i][j] = k
    j = max(range(m), key=lambda x: best[n - 1][x])
    picks = [0] * n
    for i in range(n - 1, -1, -1):
        picks[i] = candidates[j]
        j = back[i][j]
    return picks
