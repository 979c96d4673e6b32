"""The one rule table: what the answer path does for each kind of question.

A question's type (`QType`) selects a `Rule`: which spans of an evidence sentence can answer it,
how much the confidence drops when the evidence holds none, and how an English answer states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qa.answer import mentions
from qa.answer.mentions import Mention
from qa.answer.question import QType, QuestionInfo
from qa.answer.units import unit_matches
from qa.text.script import has_cjk

Finder = Callable[[str, QuestionInfo], list[Mention]]

#: An English answer that states a sentence or clause rather than a typed span.
EN_SAYS = "The report says: {span}"


@dataclass(frozen=True)
class Rule:
    """How one kind of question is answered."""

    find: Finder  # candidate answer spans in an evidence sentence
    missing_span: float  # confidence factor when the evidence holds no such span
    english: str  # English answer for a Chinese span: {span} as written, {phrase} the English rendering
    english_doc: str  # English answer when the document itself is English


def _quantities(text: str, info: QuestionInfo) -> list[Mention]:
    """Numbers with units; those in the expected unit when there are any. English text writes no measure
    words, so there a bare number may answer a "how many" question."""
    if info.ordinal:
        return mentions.ordinals(text)
    found = mentions.quantities(text)
    fitting = [m for m in found if unit_matches(m.unit, info.unit)]
    if info.unit in ("亿元", "万亿元"):  # a sum asked in 亿: a figure in plain 元 (per head, a price) is another fact
        fitting = [m for m in fitting if re.search(r"[万亿]\s*元|[万亿]$", m.text)]
    if info.unit == "%" and not info.change:  # a share asked (比重达到多少): a change in 百分点 is no answer
        fitting = [m for m in fitting if "百分点" not in m.unit]
    if fitting or not info.unit:
        return fitting or found
    return [m for m in found if not m.unit] if not has_cjk(text) else []


def _dates(text: str, info: QuestionInfo) -> list[Mention]:
    """Dates; a question for a day (哪一天, 几号, what date) is answered by a day, not a bare year."""
    found = mentions.dates(text)
    if info.day:
        return [m for m in found if re.search(r"\d\s*[日号]|\d{1,2}[-/.]\d{1,2}|[A-Za-z]+\.?\s+\d{1,2}\b", m.text)]
    return found


def _none(text: str, info: QuestionInfo) -> list[Mention]:
    return []


# missing_span: numbers and dates are found reliably, so their absence says much (0.3); name and place
# tagging misses some, so a softer cut (0.6). Set on the gold set's abstention checks (README "Abstention").
RULES: dict[QType, Rule] = {
    "quantity": Rule(_quantities, 0.3, "The report gives {phrase} ({span}).", "The report gives {span}."),
    "when": Rule(
        lambda t, i: mentions.dates(t), 0.3, "According to the report, it was on {span}.", "It was on {span}."
    ),
    "who": Rule(lambda t, i: mentions.persons(t), 0.6, "According to the report, it was {span}.", "It was {span}."),
    "where": Rule(
        lambda t, i: mentions.locations(t) or mentions.places(t),
        0.6,
        "According to the report, the place is {span}.",
        "The report gives {span}.",
    ),
    "alias": Rule(lambda t, i: mentions.aliases(t), 0.6, EN_SAYS, "The report gives {span}."),
    # a phone number, e-mail or address is never paraphrased: without one written, there is no answer
    "contact": Rule(lambda t, i: mentions.contacts(t), 0.1, "The report gives {span}.", "The report gives {span}."),
    "what": Rule(_none, 1.0, EN_SAYS, "The report gives {span}."),
}
