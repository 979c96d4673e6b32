"""One figure for each part of a question, read from a sentence that lists them ("A和B分别增长4.3%、5.6%").

A question "A和B分别是多少？" is answered one part at a time (`qa.answer.parts`). When a part's evidence sentence
says "…A和B分别达X、Y", the rules see X、Y as one span (a list) and the other part finds nothing or a figure from
another sentence. Here the list is read the way the sentence means it: the i-th figure after 分别/各 belongs to the
i-th thing named before it. The things are put in the order the sentence names them where it names them all, else
in the question's order (城乡居民 for 城镇居民 and 农村居民).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.answer.mentions import quantities
from qa.answer.parts import Part
from qa.text.sentences import split_sentences
from qa.types import Answer, Citation

#: 分别 or 各 before the figures it hands out (各 only when a verb follows it: 各增长, 各达, 各为).
_EACH = re.compile(r"分别|各(?=[为是达有增长下降提高占约])")
#: What may stand between two listed figures.
_BETWEEN = re.compile(r"^(?:、|和|与|及|以及)$")


@dataclass(frozen=True)
class _Listed:
    """Figures handed out by one 分别 in a citation's text: their offsets in it, and the text before 分别."""

    citation: Citation
    figures: list[tuple[int, int]]
    named: str  # the sentence up to 分别: where the things the figures belong to are named


def listed_figures(citation: Citation, count: int) -> _Listed | None:
    """The run of exactly `count` figures right after 分别/各 in the sentence that holds the citation's highlight,
    each joined to the next by 、/和/与/及; None when the sentence has no such run."""
    text = citation.text
    at = citation.highlight[0]
    begin, end = next(((s, e) for s, e in split_sentences(text) if s <= at < e), (0, len(text)))
    marks = [m for m in _EACH.finditer(text, begin, end) if m.end() <= at]
    if not marks:
        return None
    each = marks[-1]
    figures = [(each.end() + m.start, each.end() + m.end) for m in quantities(text[each.end() : end], lists=False)]
    if not figures:
        return None
    run = [figures[0]]
    for prev, nxt in zip(figures, figures[1:], strict=False):
        if not _BETWEEN.match(text[prev[1] : nxt[0]]):
            break
        run.append(nxt)
    gap = text[each.end() : run[0][0]]
    if len(run) != count or len(gap) > 4 or not run[0][0] <= at < run[-1][1]:
        return None
    return _Listed(citation, run, text[begin : each.start()])


def _order(parts: Sequence[Part], named: str) -> list[int]:
    """Part indexes in the order the sentence names their things (the question's order unless it names all)."""
    where = [named.find(p.label) if p.label else -1 for p in parts]
    if all(w >= 0 for w in where) and len(set(where)) == len(where):
        return sorted(range(len(parts)), key=lambda i: where[i])
    return list(range(len(parts)))


def distribute(parts: Sequence[Part], answers: Sequence[Answer]) -> list[Answer]:
    """`answers[i]` answers `parts[i]`. When an answered part's cited sentence hands out one figure per part after
    分别/各 (the first such part's), each part gets its own figure with that citation (highlighting it); else the
    answers as they are."""
    if len(parts) < 2 or not all(p.label for p in parts):
        return list(answers)
    for source in answers:
        if source.abstained or not source.citations or source.lang != "zh":
            continue
        listed = listed_figures(source.citations[0], len(parts))
        if listed is None:
            continue
        out = list(answers)
        for slot, i in enumerate(_order(parts, listed.named)):
            s, e = listed.figures[slot]
            figure = listed.citation.text[s:e]
            cite = replace(listed.citation, highlight=(s, e))
            out[i] = replace(
                source, question=parts[i].text, answer=f"{figure} [1]", span=figure, citations=(cite,), abstained=False
            )
        return out
    return list(answers)
