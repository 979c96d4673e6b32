"""One answer from the answers to a question's parts: each part's span with its own citation marker,
"not found" for a part the documents do not answer, citations numbered once across the parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answer.parts import Part
from qa.types import Answer, Citation

_SEP = {"zh": "；", "en": " "}
_MISSING = {"zh": "{label}未找到", "en": "{label}not found."}
_MARKER = re.compile(r"(?<!\s)\s*\[\d+\]$")


def _label(part: Part, lang: str) -> str:
    """The part's name before its answer ("专题学习"), when the question named its parts cleanly."""
    if not part.label or len(part.label) > 10 or lang != "zh" or "的" in part.label:
        return ""
    return part.label


def join_answers(question: str, parts: Sequence[Part], answers: Sequence[Answer], lang: str) -> Answer:
    """`answers[i]` answers `parts[i]`; the joined answer abstains only when every part does."""
    if all(a.abstained for a in answers):
        best = max(answers, key=lambda a: a.confidence)
        return replace(best, question=question, hits=answers[0].hits)
    citations: list[Citation] = []
    pieces: list[str] = []
    spans: list[str] = []
    for part, ans in zip(parts, answers, strict=True):
        label = _label(part, lang)
        if ans.abstained or not ans.citations:
            pieces.append(_MISSING[lang].format(label=f"{label}：" if label and lang == "zh" else label))
            continue
        first = ans.citations[0]
        n = next((c.n for c in citations if (c.source, c.start) == (first.source, first.start)), 0)
        if not n:
            n = len(citations) + 1
            citations.append(replace(first, n=n))
        text = _MARKER.sub("", ans.answer)
        body = text if not label or text.startswith(label) else label + text
        pieces.append(f"{body} [{n}]")
        spans.append(ans.span)
    answered = [a for a in answers if not a.abstained]
    weakest = min(answered, key=lambda a: a.confidence)
    return Answer(
        question=question,
        answer=_SEP[lang].join(pieces),
        abstained=False,
        citations=tuple(citations),
        lang=answers[0].lang,
        span="；".join(spans),
        confidence=weakest.confidence,
        hits=answers[0].hits,
        searched=answers[0].searched,
        signals=weakest.signals,
    )
