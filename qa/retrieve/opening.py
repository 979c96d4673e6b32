"""Questions about a report itself (who delivered it, on which day, at which meeting) are answered by its opening
lines ("——2017年2月11日在海拉尔区第十四届人民代表大会第六次会议上 / 海拉尔区人民政府代区长 杨国宏"), which share few
words with the question and so rank low in search. Such a question gets each scoped report's opening chunks first."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.types import Hit

#: Who delivered the report, when or where: "是由谁作的", "是哪位省长作的", "在哪一天…作的", "who delivered".
_ASKS = {
    "zh": re.compile(
        r"(?:谁|哪位\w{0,4}?|什么人)(?:所)?(?:作|做|宣读|发表)的|报告人|作报告的是"
        r"|(?:哪一?天|何时|什么时候|哪次|什么|哪个)[^，。？?]{0,16}(?:会议|大会|人代会|会)上?(?:所)?(?:作|做)的"
        r"|(?:哪一?天|何时|什么时候)(?:所)?(?:作|做)的"
    ),
    "en": re.compile(
        r"\bwho (?:delivered|gave|presented|made|read)\b"
        r"|\b(?:when|on what date|on which (?:date|day)|at (?:what|which) (?:meeting|session))\b[^?]{0,60}"
        r"\b(?:delivered|presented|given)\b",
        re.I,
    ),
}
OPENING_ROWS = 12  # the chunks searched for the opening lines (a web page's menu may come first)
MAX_LINES = 3  # opening chunks kept per report
#: A line of a report's opening: the date and meeting it was delivered at, the speaker's post.
_OPENING_LINE = re.compile(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日|会议上|代表大会|[省市区县州]长|主席")


def asks_about_report(question: str, lang: str) -> bool:
    """True when the question asks who delivered a report, or when or where it was delivered."""
    return bool(_ASKS["zh" if lang == "zh" else "en"].search(question))


def is_opening(text: str) -> bool:
    """True when a chunk holds a line of a report's opening (date and meeting, or the speaker's post)."""
    return bool(_OPENING_LINE.search(text[:200]))


def with_openings(openings: Sequence[Hit], hits: Sequence[Hit]) -> list[Hit]:
    """The scoped reports' opening chunks (`openings`) ranked first, then the search's other hits."""
    have = {h.chunk.id for h in openings}
    top = max((h.score for h in hits), default=1.0)
    first = [Hit(h.chunk, top, h.bm25, h.dense) for h in openings]
    return first + [h for h in hits if h.chunk.id not in have]
