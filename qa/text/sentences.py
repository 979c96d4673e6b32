"""Sentence and clause boundaries inside a cleaned passage (used to pick answer evidence)."""

from __future__ import annotations

from qa.text.script import CLOSERS, OPENERS, is_cjk

_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "fig", "inc", "ltd", "jr", "sr"}


def _word_before(text: str, s: int, i: int) -> str:
    r"""The word characters and dots right before `i` (back to `s` at most): what `[\w.]*$` finds in text[s:i],
    without slicing text[s:i] for every dot (quadratic on a long line of "J. " or "e.g. "). The scans are disjoint:
    a dot that may end a sentence is followed by a space, a quote or the end, none of which a scan crosses."""
    j = i
    while j > s and (text[j - 1].isalnum() or text[j - 1] in "_."):
        j -= 1
    return text[j:i]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[s, e) spans of sentences: split after 。！？；!? (with closing quotes), after '. ' and at newlines."""
    spans: list[tuple[int, int]] = []

    def close(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))

    s, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            close(s, i)
            i = s = i + 1
            continue
        end = c in "。！？；!?;" or (c == "." and (i + 1 == n or text[i + 1].isspace() or text[i + 1] in "\"'”’)"))
        if c == "." and end:
            word = _word_before(text, s, i).lower()
            end = not (word in _ABBREV or "." in word or (len(word) == 1 and word.isalpha()))
        i += 1
        if end:
            while i < n and text[i] in CLOSERS:
                i += 1
            if i < n and c in ".!?;" and not text[i].isspace() and not is_cjk(text[i]):
                continue
            close(s, i)
            s = i
    close(s, n)
    return spans


def split_clauses(text: str, s: int, e: int, marks: str = "，、：:；;,") -> list[tuple[int, int]]:
    """Split a sentence span at `marks` (delimiter kept on the left); never inside quotes or brackets."""
    for protect in (True, False):
        spans: list[tuple[int, int]] = []
        depth, start = 0, s
        for i in range(s, e):
            c = text[i]
            if protect and c in OPENERS:
                depth += 1
            elif protect and c in "”’」』）)】》" and depth:
                depth -= 1
            elif (
                depth == 0
                and c in marks
                and not (c == "," and 0 < i < e - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())
            ):
                spans.append((start, i + 1))
                start = i + 1
                while start < e and text[start] == " ":
                    start += 1
        if start < e:
            spans.append((start, e))
        if depth == 0 or not protect:
            return [sp for sp in spans if sp[1] > sp[0]]
    return [(s, e)]
