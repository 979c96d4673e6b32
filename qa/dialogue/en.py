"""English follow-ups: "What about imports?", "What was its growth rate?", "And in 2023?", "What about Hunan?"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.dialogue.followup import FollowKind, Reading

_LEAD = re.compile(r"^(?:and|so|then|ok|okay|also|now)\b[,\s]*", re.I)
_ABOUT = re.compile(r"^(?:what|how)\s+about\s+|^what\s+of\s+|^and\s+(?:for\s+|in\s+)?", re.I)
_TAIL = re.compile(r"(?:\s+then)?[?.!\s]*$")
_ASK = re.compile(r"\b(?:how|what|which|who|whom|whose|when|where|why|whether|is|are|was|were|did|does|do)\b", re.I)
_PRONOUN = re.compile(r"\b(?:its|it|they|them|their|these|those|both)\b", re.I)
_PLURAL = {"they", "them", "their", "these", "those", "both"}
#: Words that name a document, not a figure: "What about in the 2015 report?" asks of the 2015 report.
DOCUMENT = re.compile(r"report|communiqu|bulletin", re.I)
YEAR_ONLY = re.compile(r"^(?:in\s+|for\s+)?(?:the\s+)?((?:19|20)\d\d)(?:\s+(?:report|one|figure|figures))?$", re.I)
_PLACE_WORDS = re.compile(r"(?:'s)?(?:\s+(?:report|province|city|district|one))?$", re.I)
#: The noun phrase a question asks about: after "how many", "what was the", up to its verb or preposition.
_TOPIC = re.compile(
    r"\b(?:how many|how much|number of|what (?:was|is|were|are) the|what (?:was|is|were|are)|who (?:was|is) the)\s+"
    r"((?:(?!(?:were|was|did|do|does|are|is|have|has|had|in|of|by|from|for|to|at|on|with|during|that|which|than)\b)"
    r"[a-z'-]+\s*)+)",
    re.I,
)


def topic_of(question: str) -> str:
    """What a question asks about: "How many study sessions were held?" -> "study sessions"."""
    m = _TOPIC.search(question)
    return re.sub(r"^(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*'s\s+", "", m.group(1).strip()) if m else ""


def core(question: str) -> tuple[str, bool]:
    """The question without "and", "what about" and its question mark; True when such a lead was there."""
    core = _TAIL.sub("", question.strip())
    about = _ABOUT.sub("", core)
    marked = about != core
    core = _LEAD.sub("", about)
    return core, marked or core != about


def follow(
    question: str, core: str, marked: bool, prev: Reading, before_prev: Reading | None, places: frozenset[str]
) -> tuple[FollowKind, str, str] | None:
    """(kind, standalone question, topic) when `question` (its `core` without "and"/"what about", `marked` when
    those were there) leans on `prev` by its place, a pronoun or its topic; None when it stands on its own."""
    place = _PLACE_WORDS.sub("", core).strip().lower()
    if not _ASK.search(core) and len(place.split()) <= 3:  # a bare name; pypinyin (1.5 s cold) only then
        latin = {p.lower() for p in places if p.isascii()} | _province_names()
        if place in latin:
            changed = _replace_place(prev.resolved, place, latin)
            if changed is not None:
                return "place", changed, prev.topic
    pronoun = _PRONOUN.search(question)
    if pronoun and _ASK.search(question) and prev.topic:
        word = pronoun.group(0).lower()
        topics = [prev.topic]
        if word in _PLURAL and before_prev is not None and before_prev.topic and before_prev.topic != prev.topic:
            topics = [before_prev.topic, prev.topic]
        said = " and ".join(f"the {t}" for t in topics)
        if word in ("its", "their"):
            said += "'s" if len(topics) == 1 else "'"
        return "pronoun", question[: pronoun.start()] + said + question[pronoun.end() :], " and ".join(topics)
    if marked and not _ASK.search(core) and len(core.split()) <= 6:
        return "topic", with_topic(prev.resolved, prev.topic, core), core
    if marked and not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", core):  # "And how many were re-employed?"
        return "topic", core[0].upper() + core[1:] + "?", topic_of(core)
    return None


def with_topic(previous: str, old: str, new: str) -> str:
    """The previous question asked of `new` instead of `old` (its noun phrase replaced)."""
    if old and old in previous:
        return previous.replace(old, new, 1)
    return f"{_TAIL.sub('', previous)}: {new}?"


def _replace_place(text: str, place: str, known: set[str]) -> str | None:
    lowered = text.lower()
    names = sorted((p for p in known if p != place and re.search(rf"\b{re.escape(p)}\b", lowered)), key=len)
    if not names:
        return None
    m = re.search(rf"\b{re.escape(names[-1])}\b", lowered)
    assert m is not None
    return text[: m.start()] + place.title() + text[m.end() :]


def _province_names() -> set[str]:
    from qa.text.places import PROVINCES, romanise

    return {r for full, _short, _en in PROVINCES for r in romanise(full)}
