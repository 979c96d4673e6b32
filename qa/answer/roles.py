"""What a figure is. A level or a change: reports give a figure and how much it moved in one breath
("公共图书馆3246个，比上年末增加29个"; "人均图书藏量1.02册，比上年末增加0.06册"), and a question that does not ask how
much something changed is not answered by the change. One year's or a period's: a report's review of five years
("人均可支配收入年均增长6%，城镇新增就业超690万人") sits beside the last year's figures, and a question that asks no
period is not answered by the period's. Per head or a sum: "人均地区生产总值达1.19万美元" does not answer a
question about the 地区生产总值 itself."""

from __future__ import annotations

import re

#: A change verb right before a figure ("比上年增长5.3%", "增加0.06册", "下降0.3个百分点"); not "新增" (what was added
#: is a level: "新增就业62.2万人") and not a level reached ("提高到", "降至").
_CHANGE_BEFORE = re.compile(
    r"(?<!新)(?:增加|增长|减少|下降|提高|提升|上升|降低|回落|扩大|缩小|增|降|减)了?(?:约|近|超过|超|逾)?\s*$"
)
LEAD = 8  # characters before a figure searched for the change verb


def states_change(text: str, start: int) -> bool:
    """True when the figure starting at `start` of `text` says how much something changed."""
    lead = re.split(r"[，,。；;：:、（(]", text[max(0, start - LEAD) : start])[-1]
    return bool(_CHANGE_BEFORE.search(lead))


#: A sentence about several years: "年均", "五年来", "“十四五”时期" ...
_PERIOD = re.compile(r"年均|五年来|过去五年|五年间|五年累计|十[二三四五]五”?(?:时期|期间|以来)|以来累计")
#: ... and a question that asks about one.
_PERIOD_ASKED = re.compile(
    r"五年|十[二三四五]五|年均|累计|期间|以来|历年|多年|five[- ]years?|five-year|average annual|annual average"
    r"|cumulative|since|\d{4}\s*(?:-|–|—|至|到|to)\s*\d{4}",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def of_period(sentence: str, start: int, question: str) -> bool:
    """True when the figure at `start` of `sentence` belongs to a period of several years (the sentence says so
    and the figure's own clause names none of the question's years)."""
    if not _PERIOD.search(sentence):
        return False
    clause = re.split(r"[，,。；;]", sentence[:start])[-1] + sentence[start : start + 12]
    return not any(y in clause for y in _YEAR.findall(question))


def asks_period(question: str) -> bool:
    """True when a question asks about a period of several years (五年, 十四五, 年均, since ...)."""
    return bool(_PERIOD_ASKED.search(question))


#: A figure per head or per household ("人均地区生产总值达1.19万美元", "户均增收3000元") ...
_PER_HEAD = re.compile(r"人均|户均|每人|每户|每位|每名|每个")
#: ... and a question that asks about one (per head, per capita, average).
_PER_HEAD_ASKED = re.compile(
    r"人均|户均|每人|每户|每位|每名|每个|平均|per[- ](?:capita|head|person|household)|average", re.I
)


def per_head(text: str, start: int) -> bool:
    """True when the clause of the figure starting at `start` of `text` says it is per head or per household (a
    clause runs over 、: "人均可支配收入首次突破2万元、达到20793元")."""
    lead = re.split(r"[，,。；;：:（(]", text[:start])[-1]
    return bool(_PER_HEAD.search(lead))


def asks_per_head(question: str) -> bool:
    """True when a question asks for a figure per head, per household or on average."""
    return bool(_PER_HEAD_ASKED.search(question))


#: A question that asks how many there are in all (a stock) ...
_STOCK_ASKED = re.compile(r"总数|总量|一共|共有|累计|现有|拥有|总共|\bin total\b|\btotal number\b|\baltogether\b", re.I)
#: ... unless it asks what was added ("一共多出了多少张病床", "新增多少家").
_FLOW_ASKED = re.compile(r"新增|新建|新当选|增选|新认定|多出|增加|\bnew(?:ly)?\b|\badded\b", re.I)
#: A clause that counts what was added in the year ("新增国家级制造业单项冠军14家、专精特新“小巨人”企业38家").
_FLOW = re.compile(r"新增|新建|新认定|新当选|增选|新培育|新获批|新登记|新引进|新入选|新开工")
#: A list item that names a stock of its own ("新增境内外上市企业41家、总量达1198家").
_STOCK_WORD = re.compile(r"总数|总量|累计|共有|总计|合计|拥有")


def flow_for_stock(text: str, start: int, question: str) -> bool:
    """True when the question asks how many there are in all and the clause of the figure at `start` of `text`
    counts what was added (新增, 新建, 新登记 …), its list item naming no stock of its own: the year's additions are
    not the total."""
    if not _STOCK_ASKED.search(question) or _FLOW_ASKED.search(question):
        return False
    clause = re.split(r"[，,。；;：:（(]", text[:start])[-1]
    if _STOCK_WORD.search(clause.split("、")[-1]):
        return False
    return bool(_FLOW.search(clause))
