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
        r"(?:谁|哪位\w{0,4}?|什么人)(?:所)?(?:作|做|宣读|发表)的|报告人(?:是|为)?(?:谁|哪位|什么人|叫什么|的姓名)|谁是报告人"
        r"|作报告的是"
        r"|(?:哪一?天|何时|什么时候|哪次|什么|哪个)[^，。？?]{0,16}(?:会议|大会|人代会|会)上?(?:所)?(?:作|做)的"
        r"|(?:哪一?天|何时|什么时候)(?:所)?(?:作|做)的"
        r"|(?:哪一?天|何时|什么时候)[^，。？?]{0,16}宣读的"  # 在哪一天向人代会代表们宣读的
    ),
    "en": re.compile(
        r"\bwho (?:delivered|gave|presented|made|read)\b"
        r"|\b(?:when|on what date|on which (?:date|day)|at (?:what|which) (?:meeting|session))\b[^?]{0,60}"
        r"\b(?:delivered|presented|given)\b",
        re.I,
    ),
}
#: When a document was published or released ("发布时间是哪一天", "什么时候发布的", "When was … published?").
_RELEASE = {
    "zh": re.compile(r"(?:发布|公布)(?:的)?(?:日期|时间)|(?:哪一?天|何时|什么时候|哪年哪月)(?:正式)?(?:发布|公布)"),
    "en": re.compile(
        r"\bwhen (?:was|were|is)\b[^?]{0,160}?\b(?:published|released|issued)\b|\b(?:publication|release) date\b", re.I
    ),
}
OPENING_ROWS = 16  # the chunks searched for the opening lines (a web page's menu may take the first nine)
MAX_LINES = 3  # opening chunks kept per report
#: The speaker's post and name ending a line, as a signature ("区长 杜联合", "省长王予波各位代表：…"); a body line that
#: names the post ("区长办公会…由区长主持") is none.
_SIGNATURE = r"(?:[省市区县州]长|主席)\s*[\u4e00-\u9fff·]{2,5}(?:\s*$|各位代表)"
#: A line of a report's opening: the date and meeting it was delivered at, or the signature.
_OPENING_LINE = re.compile(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日|会议上|代表大会|" + _SIGNATURE)
#: A line that says how the report was delivered: at which meeting ("——2014年2月19日在…人民代表大会第三次会议上"), or
#: by whom (the signature). A photo caption's date ("2024年3月22日，…学习会召开") is neither.
_DELIVERY_LINE = re.compile(r"在[^，。；]{2,40}(?:会议|大会)上|" + _SIGNATURE)
#: A web page's posting time among a report's opening lines ("时间：2026-02-07", "发布日期：2026年2月7日"): when the
#: page went up, days after the report was delivered.
_POSTED = re.compile(r"(?:时间|日期)[:：]\s*(?=\d)")
OPENING_LINES = 3  # the lines of a chunk looked at
MAX_LINE = 120  # the start of a line looked at (a dateline may run on into the speech: "…会议上的讲话各位代表：…")


def asks_about_report(question: str, lang: str) -> bool:
    """True when the question asks who delivered a report, or when or where it was delivered."""
    return bool(_ASKS["zh" if lang == "zh" else "en"].search(question))


def is_opening(text: str) -> bool:
    """True when one of a chunk's first lines is a line of a report's opening (date and meeting, or the speaker's
    post and name)."""
    return _first_lines_match(_OPENING_LINE, text)


def with_openings(openings: Sequence[Hit], hits: Sequence[Hit]) -> list[Hit]:
    """The scoped reports' opening chunks (`openings`) ranked first, then the search's other hits."""
    have = {h.chunk.id for h in openings}
    top = max((h.score for h in hits), default=1.0)
    first = [Hit(h.chunk, top, h.bm25, h.dense) for h in openings]
    return first + [h for h in hits if h.chunk.id not in have]


def states_delivery(text: str) -> bool:
    """True when one of a chunk's first lines says at which meeting or by whom the report was delivered: its
    names and dates answer a question about the report itself, whatever words they share with it."""
    return _first_lines_match(_DELIVERY_LINE, text)


def posting_times(hits: Sequence[Hit]) -> list[tuple[str, int]]:
    """(source, offset) of each date after "时间：" or "日期：" in the hits' chunks, as `answer_question`'s `avoid`
    takes them: a question about when (or by whom) a report was delivered is not answered by its page's posting
    time (23 of the 28 provincial reports of 2026 in the corpus carry one beside their dateline)."""
    return [(h.chunk.source, h.chunk.start + m.end()) for h in hits for m in _POSTED.finditer(h.chunk.text)]


def asks_release(question: str, lang: str) -> bool:
    """True when the question asks when a document was published or released."""
    return bool(_RELEASE["zh" if lang == "zh" else "en"].search(question))


def _first_lines_match(pattern: re.Pattern[str], text: str) -> bool:
    """Does `pattern` occur in the start of one of the chunk's first lines?"""
    return any(pattern.search(line.strip()[:MAX_LINE]) for line in text.split("\n")[:OPENING_LINES])
