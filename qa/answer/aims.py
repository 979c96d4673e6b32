"""Achieved or aimed at? Reports state this year's targets beside last year's results in the same words
("增长5%左右" / "增长5.4%"). A question asks for one or the other; an answer must be of the kind asked."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.retrieve.outline import TARGET_LIST
from qa.text.sentences import split_clauses

#: Words that make a clause a plan or a target rather than a result.
_TARGET_CLAUSE = re.compile(
    r"预期|目标|力争|争取|计划|左右|今年|明年|拟|确保|到20\d\d年|力求|将(?:达到|超过|突破|实现)"
)
#: Words that make a question ask for a plan or a target.
_TARGET_QUESTION = {
    # 报告提出: what a report proposes is its plan (not 提出的建议/提案, what deputies put forward)
    "zh": re.compile(
        r"目标|预期|计划|力争|打算|争取|今年|明年|将要|要达到|拟|报告》?提出(?!的?(?:建议|提案|意见|议案))"
    ),
    "en": re.compile(r"\b(?:target|targets|goal|goals|aim|aims|plan|plans|planned|expected|expects?|will)\b", re.I),
}
#: Section headings of the forward-looking part of a report ("二、2026年工作安排", "主要预期目标").
_PLAN_SECTION = re.compile(
    r"工作安排|预期目标|主要目标|重点任务|主要任务|总体要求|今年|(?:工作)?部署|目标任务|重点工作"
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
#: A sentence that opens by estimating last year's results ("初步预计，全区地区生产总值增长4.2%左右"): results, even
#: where a report puts them in front of its plans.
_RESULT_LEAD = re.compile(r"^(?:据|经)?初步(?:预计|核算|统计|测算)|^预计全年")


def asks_target(question: str, lang: str, doc_years: Sequence[int] = ()) -> bool:
    """True when the question asks for a target or plan: it says so, or names a year after the
    report's own."""
    if _TARGET_QUESTION["zh" if lang == "zh" else "en"].search(question):
        return True
    named = [int(y) for y in _YEAR.findall(question)]
    return bool(named and doc_years and min(named) > max(doc_years))


def is_target(
    text: str, start: int, end: int, section: str = "", doc_years: Sequence[int] = (), paragraph: str = ""
) -> bool:
    """True when the span [start, end) of `text` states a target: its clause uses target words, or the sentence
    lists targets before it ("目标是："), or its clause names a year after the report's own, or it sits in the
    report's plans section and neither the sentence nor its `paragraph` (the paragraph's text before it) opens as an
    estimate of results (初步预计，…)."""
    clause = next((text[s:e] for s, e in split_clauses(text, 0, len(text)) if s <= start < e), text)
    if _TARGET_CLAUSE.search(clause) or text[start:end].endswith(("左右", "以内")):
        return True
    if TARGET_LIST.search(text[:start]):  # the sentence lists targets ("主要预期目标是：…，一般公共预算收入增长2%")
        return True
    years = [int(y) for y in _YEAR.findall(clause)]
    if years and doc_years and min(years) > max(doc_years):
        return True
    if _RESULT_LEAD.match(text.lstrip()) or _RESULT_LEAD.match(paragraph.lstrip()):
        return False
    if _PLAN_SECTION.search(section):
        return True
    section_years = [int(y) for y in _YEAR.findall(section)]
    return bool(section_years and doc_years and min(section_years) > max(doc_years))


def paragraph_before(text: str, start: int) -> str:
    """The text of `text`'s paragraph before `start` (from the last line break)."""
    return text[text.rfind("\n", 0, start) + 1 : start]
