"""English follow-ups: "What about imports?", "What was its growth rate?", "And in 2023?", "What about Hunan?"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.dialogue.followup import YEAR

if TYPE_CHECKING:
    from qa.dialogue.followup import FollowKind, Reading

_LEAD = re.compile(r"^(?:and|so|then|ok|okay|also|now)\b[,\s]*", re.I)
_ABOUT = re.compile(r"^(?:what|how)\s+about\s+(?:for\s+)?|^what\s+of\s+|^and\s+(?:for\s+|in\s+)?", re.I)
_TAIL = re.compile(r"(?:\s+then)?[?.!\s]*$")
#: Words a bare topic carries that point back at the setting, not at what is asked ("urban residents that year").
_BACK = re.compile(r"^(?:the\s+)|\s+(?:that|the same|this)\s+year$|\s+(?:then|too|as well|also)$", re.I)
#: The document a question names before the question proper ("In Sichuan's 2026 government work report, ").
_CONTEXT = re.compile(
    r"^((?:in|according to|from|per)\s+[^,?]{3,100}?"
    r"\b(?:report|communiqu\w*|bulletin|highlights|review)\b[^,?]{0,20},\s*)",
    re.I,
)
#: Nouns that measure something named after them ("the total value of exports", "the share of ...").
_MEASURES = frozenset("value number amount volume share total output rate proportion size scale level".split())
_MEASURED = re.compile(
    r"\s*of\s+((?:(?!(?:in|by|from|for|to|at|on|with|during|that|which|than)\b)[a-z'.-]+\s*){1,4})", re.I
)
#: Words that end a noun phrase's modifiers on the left ("income of [rural] residents").
_FUNCTION = frozenset(
    "the a an of for in on at by to from and or with its their what how many much was were is are".split()
)
_ASK = re.compile(r"\b(?:how|what|which|who|whom|whose|when|where|why|whether|is|are|was|were|did|does|do)\b", re.I)
_PRONOUN = re.compile(r"\b(?:its|it|they|them|their|these|those|both)\b", re.I)
_PLURAL = {"they", "them", "their", "these", "those", "both"}
#: Words that name a document, not a figure: "What about in the 2015 report?" asks of the 2015 report.
DOCUMENT = re.compile(r"report|communiqu|bulletin", re.I)
YEAR_ONLY = re.compile(r"^(?:in\s+|for\s+)?(?:the\s+)?((?:19|20)\d\d)(?:\s+(?:report|one|figure|figures))?$", re.I)
_PLACE_WORDS = re.compile(r"(?:'s)?(?:\s+(?:report|province|city|district|one))?$", re.I)
#: The noun phrase a question asks about: after "how many", "what was the", up to its verb or preposition.
_TOPIC = re.compile(
    r"\b(?:by how much (?:did|does|do|has|have|had|was|were|is|are)(?:\s+the)?|how much (?:was|is|were|are)(?:\s+the)?|"
    r"how many|how much|number of|what (?:was|is|were|are) the|what (?:was|is|were|are)|who (?:was|is) the)\s+"
    r"((?:(?!(?:were|was|did|do|does|are|is|have|has|had|in|of|by|from|for|to|at|on|with|during|that|which|than|"
    r"grow|grew|rise|rose|increase|fall|fell|drop|decline|decrease|change)\b)"
    r"[a-z'.-]+\s*)+)",
    re.I,
)


def topic_of(question: str) -> str:
    """What a question asks about: "How many study sessions were held?" -> "study sessions"; a measure keeps what
    it measures ("What was the total value of exports?" -> "total value of exports")."""
    m = _TOPIC.search(question)
    if m is None:
        return ""
    topic = re.sub(r"^(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*'s\s+", "", m.group(1).strip())
    measured = _MEASURED.match(question, m.end(1))
    if topic.split() and topic.split()[-1].lower() in _MEASURES and measured:
        topic = f"{topic} of {measured.group(1).strip()}"
    return topic


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
    context = "" if _CONTEXT.match(question) or _year(question) else _context(prev.resolved)
    pronoun = _PRONOUN.search(question)
    if pronoun and _ASK.search(question) and prev.topic:
        word = pronoun.group(0).lower()
        topics = [prev.topic]
        if word in _PLURAL and before_prev is not None and before_prev.topic and before_prev.topic != prev.topic:
            topics = [before_prev.topic, prev.topic]
        said = " and ".join(f"the {t}" for t in topics)
        if word in ("its", "their"):
            said += "'s" if len(topics) == 1 and not said.endswith("s") else "'"
        text = question[: pronoun.start()] + said + question[pronoun.end() :]
        return "pronoun", _with_context(context, text), " and ".join(topics)
    if marked and not _ASK.search(core) and len(core.split()) <= 6:
        new = _BACK.sub("", _BACK.sub("", core)).strip() or core
        swapped = _swap_head(prev.resolved, new, prev.topic)
        if swapped is not None:  # "And for rural residents?" after "...income of residents?": a kind of the old
            return "topic", swapped, prev.topic
        return "topic", with_topic(prev.resolved, prev.topic, new), _new_topic(prev.topic, new)
    if marked and not _year(core):  # "And how many were re-employed?"
        return "topic", _with_context(context, core[0].upper() + core[1:] + "?"), topic_of(core)
    return None


def _year(text: str) -> bool:
    return YEAR.search(text) is not None


def _context(question: str) -> str:
    """The clause naming the document a question asks of ("In Sichuan's 2026 government work report, "), or ""."""
    m = _CONTEXT.match(question)
    return m.group(1) if m else ""


def _with_context(context: str, question: str) -> str:
    """`question` asked of the document `context` names (the year it asks about is left to the evidence: a report
    states last year's results without naming the year)."""
    return context + question[0].lower() + question[1:] if context and question else question


def _swap_head(previous: str, new: str, old: str) -> str | None:
    """`previous` with the noun phrase that ends in `new`'s last word replaced by `new` ("income of residents" and
    "rural residents": "income of rural residents"); None when `new` is not a short plain noun phrase, or its last
    word is not in `previous` outside the topic `old`."""
    words = new.split()
    if not 2 <= len(words) <= 3 or any(w.lower() in _FUNCTION for w in words):
        return None
    head = words[-1].lower()
    tokens = re.findall(r"[\w'-]+|[^\w\s]+|\s+", previous)
    for i, t in enumerate(tokens):
        if t.lower() != head:
            continue
        start = i
        while start >= 2 and tokens[start - 1].isspace() and tokens[start - 2].isalpha():
            if tokens[start - 2].lower() in _FUNCTION or tokens[start - 2][0].isupper():
                break
            start -= 2
        phrase = "".join(tokens[start : i + 1])
        if old and phrase.lower() in old.lower():
            continue  # the topic itself ends in this word: replacing it is the plain topic change
        return "".join(tokens[:start]) + new + "".join(tokens[i + 1 :])
    return None


def _new_topic(old: str, new: str) -> str:
    """What a follow-up naming `new` asks about after `old`: `new`, or of a measure, the measure of `new`."""
    measure, of, _what = old.partition(" of ")
    if of and " of " not in new and measure.split() and measure.split()[-1].lower() in _MEASURES:
        return f"{measure} of {new}"
    return new


def with_topic(previous: str, old: str, new: str) -> str:
    """The previous question asked of `new` instead of `old` (its noun phrase replaced; of a measure, what it
    measures: "total value of exports" and "imports" -> "total value of imports")."""
    if old and old in previous:
        return previous.replace(old, _new_topic(old, new), 1)
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
