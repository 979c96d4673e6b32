"""Character-level text normalisation shared by the cleaner: what a kept character becomes, which
characters are CJK, and how whitespace between runs of characters collapses."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from qa.text.script import NEUTRAL, is_cjk, is_han

Chars = list[tuple[str, int]]  # (normalised char, raw index)

DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def norm_char(c: str) -> str:
    """The only change cleaning makes to a kept char: '' drops it, whitespace becomes ' '."""
    if c in DROP:
        return ""
    if c.isspace():
        return " "
    o = ord(c)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return unicodedata.normalize("NFKC", c)
    return "" if unicodedata.category(c) == "Cc" else c


def _side_cjk(tok: Chars, from_end: bool) -> bool:
    seq = reversed(tok) if from_end else iter(tok)
    for c, _ in seq:
        if c not in NEUTRAL:
            return is_cjk(c)
    return False


def _merge(tokens: list[tuple[Chars, int]], pred: Callable[[Chars, Chars], bool]) -> list[tuple[Chars, int]]:
    out = [tokens[0]]
    for tok, gap in tokens[1:]:
        if pred(out[-1][0], tok):
            out[-1][0].extend(tok)
        else:
            out.append((tok, gap))
    return out


def _merge_spaced_out(tokens: list[tuple[Chars, int]]) -> list[tuple[Chars, int]]:
    """Glue runs of single spaced-out Han chars or digits: "单 瑞" -> "单瑞", "2 0 2 4 年" -> "2024年"."""

    def single(t: Chars) -> bool:
        return len(t) == 1 and (is_han(t[0][0]) or t[0][0].isdigit())

    out: list[tuple[Chars, int]] = []
    in_run = False
    for tok, gap in tokens:
        if in_run and single(tok):
            out[-1][0].extend(tok)
        else:
            out.append((tok, gap))
            in_run = single(tok)
    return out


def _drop_gap(a: Chars, b: Chars, heading: bool) -> bool:
    x, y = a[-1][0], b[0][0]
    if heading and is_han(x) and is_han(y):
        return False
    if x == "-" and len(a) >= 2 and a[-2][0].isalpha() and y.islower():
        return True
    if len(a) == 1 and x in "-*+•▪●◆":
        return False
    return _side_cjk(a, True) or _side_cjk(b, False)


def _one_han(tok: Chars) -> bool:
    return len(tok) == 1 and is_han(tok[0][0])


def render(chars: Chars, heading: bool) -> Chars:
    """Collapse whitespace: none next to CJK, one space between Latin/digit runs.

    In headings a space between two multi-char Han phrases is kept ("坚持服务大局 突出履职主线"),
    while single spaced-out Han chars are glued ("单 瑞" -> "单瑞").
    """
    tokens: list[tuple[Chars, int]] = []
    gap = -1
    for c, o in chars:
        if c == " ":
            gap = o if gap < 0 else gap
            continue
        if gap >= 0 or not tokens:
            tokens.append(([], gap))
        tokens[-1][0].append((c, o))
        gap = -1
    if not tokens:
        return []
    if heading:
        tokens = _merge_spaced_out(tokens)
        tokens = _merge(tokens, lambda a, b: is_han(a[-1][0]) and is_han(b[0][0]) and (_one_han(a) or _one_han(b)))
    tokens = _merge(tokens, lambda a, b: _drop_gap(a, b, heading))
    out: Chars = []
    for k, (tok, g) in enumerate(tokens):
        if k:
            out.append((" ", g))
        out.extend(tok)
    return out
