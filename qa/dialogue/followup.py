"""Follow-up questions: a question that leans on the conversation is read as the standalone question it means.

`read_dialogue(questions)` reads each question of a conversation in turn. A question that stands on its own is
kept as typed. One that leans on the turn before it is rewritten:

- a bare topic, the ask left out (那交流研讨呢？, 提案呢？, What about imports?): the previous question, its topic
  replaced;
- a pronoun (它比上年增长多少？, 它们分别是多少次？, What was its growth rate?): the pronoun replaced by what the
  turn(s) before asked about;
- another year or place (那2023年呢？, 湖南呢？, What about 2023?): the previous question with that year or place.

The rewriting is plain string work (jieba words for Chinese topics); the Chinese and English rules live in
qa.dialogue.zh and qa.dialogue.en. Which documents a follow-up searches is decided by the caller
(`Assistant.ask` keeps the previous turn's documents when a follow-up names none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from qa.text.script import detect_lang

FollowKind = Literal["standalone", "topic", "pronoun", "year", "place"]
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Reading:
    """How one question of a conversation was read."""

    question: str  # as typed
    resolved: str  # the standalone question it means (the question itself when it stands alone)
    kind: FollowKind = "standalone"
    topic: str = ""  # what it asks about, for a later pronoun (它们, they)
    lang: str = "zh"

    @property
    def followup(self) -> bool:
        return self.kind != "standalone"


def read_question(question: str, before: Sequence[Reading] = (), places: Iterable[str] = ()) -> Reading:
    """`question` read against the readings of the turns before it (oldest first). `places` are names of places
    the index knows (a document's place aliases), so 那浙江呢？ is read as a change of place."""
    from qa.dialogue import en, zh

    q = question.strip()
    lang = detect_lang(q)
    rules = zh if lang == "zh" else en
    if not before:
        return Reading(q, q, "standalone", rules.topic_of(q), lang)
    prev = before[-1]
    core, marked = rules.core(q)
    year = rules.YEAR_ONLY.match(core)
    if year:  # 那2023年呢？, 那2017年的报告呢？ (the report's year, not the figure's), "What about 2024?"
        document = rules.DOCUMENT.search(core) is not None
        return Reading(q, replace_year(prev.resolved, year.group(1), document), "year", prev.topic, lang)
    known = frozenset(p for p in places if p)
    read = rules.follow(q, core, marked, prev, before[-2] if len(before) > 1 else None, known) if core else None
    if read is None:
        return Reading(q, q, "standalone", rules.topic_of(q), lang)
    kind, resolved, topic = read
    return Reading(q, resolved, kind, topic, lang)


def read_dialogue(questions: Sequence[str], places: Iterable[str] = ()) -> list[Reading]:
    """Each question of a conversation (oldest first) read against the ones before it."""
    known = tuple(places)
    out: list[Reading] = []
    for q in questions:
        if q and q.strip():
            out.append(read_question(q, out, known))
    return out


def replace_year(text: str, year: str, document: bool = False) -> str:
    """`text` asked of another year: the year it asks about (its last-named one; with `document`, the year of the
    report it names first) becomes `year`, and every other year it names moves by as many years ("海拉尔区2016年
    政府工作报告中，2015年…" asked of the 2018 report: 2018年…2017年); `year` put first when it names none."""
    found = list(YEAR.finditer(text))
    if not found:
        return f"{year}年{text}" if not text.isascii() else f"{text.rstrip('?. ')} in {year}?"
    shift = int(year) - int((found[0] if document else found[-1]).group(1))
    return YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def replace_place(text: str, place: str, known: Iterable[str]) -> str | None:
    """`text` with the longest known place name in it changed to `place`, and its level word to the new place's
    (全省 -> 全市 for 重庆); None when it names no known place."""
    names = sorted((p for p in known if p and p in text and p != place), key=len, reverse=True)
    if not names:
        return None
    out = text.replace(names[0], place, 1)
    level = _level(place)
    return re.sub(r"(?<=[全本我])[省市区县]", level, out) if level else out


def _level(place: str) -> str:
    """The character a report uses for its own level ("全省", "全市", "全区"): from the full name of a province-level
    place, else from the name's own suffix; '' when unknown."""
    from qa.text.places import PROVINCES

    full = next((f for f, short, _en in PROVINCES if place in (f, short)), place)
    if full.endswith("自治区"):
        return "区"
    return full[-1] if full[-1] in "省市区县" else ""
