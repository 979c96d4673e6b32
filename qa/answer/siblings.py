"""A sibling figure: the clause before a figure names, where the question names one thing, another between the
same words ("参加基本养老保险人数" for "参加基本医疗保险的人数", "共有国家级非遗代表性项目" for "共有省级非遗代表性
项目"). Such a figure counts something else, and the question it would answer is not the one asked."""

from __future__ import annotations

import difflib
import re

from qa.text.segment import dictionary_tag

#: Shared characters needed on each side of the words that differ: the same frame around them.
ANCHOR = 2
#: The longest word on either side that still reads as one modifier swapped for another.
MAX_SWAP = 4
_CJK = re.compile(r"[\u4e00-\u9fff]+")
#: Tags of words whose swap is a paraphrase, not another thing: verbs (占 for 相当于), adverbs, pronouns, particles,
#: prepositions, conjunctions, numerals, places (a place the question names is settled by its scope) and times
#: (去年 for 今年: when, not what).
_NOT_A_KIND = re.compile(r"^(?:v|d|r|u|p|c|m|ns|t)")


def _a_kind(word: str) -> bool:
    """Can `word` name a kind of thing (医疗, 国家, 企业职工)? Words the dictionary lacks count as such."""
    return not _NOT_A_KIND.match(dictionary_tag(word))


def sibling(asked: str, lead_in: str, sentence: str) -> tuple[str, str] | None:
    """The pair (question's word, clause's word) where the clause before a figure (`lead_in`) frames another kind
    of thing than what the question counts (`asked`): the two differ in one run of at most `MAX_SWAP` Chinese
    characters with at least `ANCHOR` shared characters on both sides, the question's run appears nowhere in the
    evidence `sentence`, the clause's nowhere in the question, and both can name a kind. None otherwise."""
    if "分别" in lead_in:
        return None  # figures given respectively: the clause names several things at once (城乡 for 城镇 and 农村)
    ops = difflib.SequenceMatcher(None, asked, lead_in, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or not 0 <= k < len(ops) - 1:
            continue
        after = ops[k + 1]
        if after[0] != "equal" or after[2] - after[1] < (2 * ANCHOR if k == 0 else ANCHOR):
            continue  # where both open with the swap, a longer frame after it stands for the one before
        if k > 0 and (ops[k - 1][0] != "equal" or ops[k - 1][2] - ops[k - 1][1] < ANCHOR):
            continue
        mine, theirs = asked[i1:i2], lead_in[j1:j2]
        if not (_CJK.fullmatch(mine) and _CJK.fullmatch(theirs)) or max(len(mine), len(theirs)) > MAX_SWAP:
            continue
        if mine in sentence or theirs in asked or not (_a_kind(mine) and _a_kind(theirs)):
            continue
        return mine, theirs
    return None
