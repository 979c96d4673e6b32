"""English answers for English questions: a sentence that states the Chinese span, its number in English words
(100万元 -> 1 million yuan) beside the span as written."""

from __future__ import annotations

import re

from qa.answer.question import QuestionInfo
from qa.answer.rules import EN_SAYS, RULES
from qa.answer.units import EN_NAMES
from qa.text.script import has_cjk

_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}


def english_number(value: float) -> str:
    """12,000 / 1.5 million / 537.9 billion: a value in English words for its scale."""
    for size, word in _SCALES:
        if value >= size:
            return f"{value / size:.4f}".rstrip("0").rstrip(".") + f" {word}"
    if value >= 10_000 and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def quantity_phrase(span: str, unit: str) -> str:
    """'100万元' -> '1 million yuan', '近3万元' -> 'nearly 30,000 yuan', '60余篇' -> 'more than 60 articles',
    '17.8%' -> '17.8%'; ranges and unparsed spans stay as written."""
    numbers = list(_NUMBER.finditer(span))
    if len(numbers) != 1:
        return span
    m = numbers[0]
    value = float(m.group(1).replace(",", "")) * _MAGNITUDE.get(m.group(2) or "", 1)
    if unit in ("%", "％"):
        return f"{m.group(1)}%"
    approx = "nearly " if span.startswith(("近", "约")) else ("more than " if re.search("[余多超逾]", span) else "")
    name = EN_NAMES.get(unit, "")
    return f"{approx}{english_number(value)} {name}".strip()


def english_answer(span: str, info: QuestionInfo, unit: str, typed: bool) -> str:
    """An English sentence stating `span`: the rule's template when a typed span was found, else a quote."""
    if not typed:
        return EN_SAYS.format(span=span)
    rule = RULES[info.qtype]
    if not has_cjk(span):  # an English document: the span is already English
        return rule.english_doc.format(span=span)
    phrase = quantity_phrase(span, unit) if info.qtype == "quantity" else span
    return rule.english.format(span=span, phrase=phrase)
