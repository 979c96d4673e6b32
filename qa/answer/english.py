"""English answers for English questions: a sentence that states the Chinese span, numbers as written."""

from __future__ import annotations

import re

from qa.answer.question import QuestionInfo
from qa.answer.rules import EN_SAYS, RULES
from qa.answer.units import EN_NAMES
from qa.text.script import has_cjk

#: Chinese magnitudes glossed in words, so an English answer adds no digits its citation lacks.
_EN_MAGNITUDE = {"万": "ten-thousand", "亿": "hundred-million", "千": "thousand"}


def quantity_phrase(span: str, unit: str) -> str:
    """'近3万元' -> 'nearly 3 ten-thousand yuan': the number as written, its magnitude and unit in words."""
    num = re.sub(r"[^\d.%,]", "", span.replace("%", ""))
    if not num:
        return span
    magnitude = next((w for ch, w in _EN_MAGNITUDE.items() if re.search(rf"\d{ch}", span)), "")
    gloss = " ".join(x for x in (magnitude, EN_NAMES.get(unit, "")) if x)
    approx = "nearly " if span.startswith("近") else ("more than " if "余" in span or "多" in span else "")
    return f"{approx}{num} {gloss}".strip()


def english_answer(span: str, info: QuestionInfo, unit: str, typed: bool) -> str:
    """An English sentence stating `span`: the rule's template when a typed span was found, else a quote."""
    if not typed:
        return EN_SAYS.format(span=span)
    rule = RULES[info.qtype]
    if not has_cjk(span):  # an English document: the span is already English
        return rule.english_doc.format(span=span)
    phrase = quantity_phrase(span, unit) if info.qtype == "quantity" else span
    return rule.english.format(span=span, phrase=phrase)
