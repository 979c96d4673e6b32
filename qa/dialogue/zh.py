"""Chinese follow-ups: 那交流研讨呢？, 它们分别是多少次？, 那2023年呢？, 湖南呢？ read against the previous turn."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.answer.units import ZH_UNITS
from qa.dialogue.followup import YEAR
from qa.text.script import has_cjk

if TYPE_CHECKING:
    from qa.dialogue.followup import FollowKind, Reading

_LEAD = re.compile(r"^(?:那么|那(?![些个一])|还有|另外|再问一下|再问|而|以及|请问)[，,\s]*")
_TAIL = re.compile(r"(?:的情况|的数据|的数字|的呢|又如何|又怎样|怎么样|如何|怎样|方面|呢)?[？?。.!！\s]*$")
_ASK = re.compile(r"多少|几|什么|哪|谁|何时|何处|如何|怎么|怎样|是否|吗|有没有|是不是|多大|多高|多长|多久|为何|为什么")
#: A pronoun for the figure just given ("这个数字同比增长了多少？"): it stands for what the previous turn asked of.
_FIGURE = re.compile(r"这一?个?(?:数字|数据|数值|指标)|该(?:数字|数据|数值|指标)")
_PRONOUN = re.compile(
    _FIGURE.pattern + r"|它们|他们|她们|这些|那些|这两项|这两个|这两者|两者|二者|前者|后者|"
    r"这一?(?=[项个类数指])|那一?(?=[项个类数指])|该(?=[项类数指])|它|(?<![尤极])其(?![他它中余实次])"
)
_PLURAL = ("它们", "他们", "她们", "这些", "那些", "这两项", "这两个", "这两者", "两者", "二者")
YEAR_ONLY = re.compile(
    r"^(?:在|于)?((?:19|20)\d\d)\s*年?(?:的|度)?(?:(?:报告|公报|政府工作报告|统计公报)(?:里|中|上)?|数据|情况|时)?$"
)
#: Words that name a document, not a figure: "那2017年的报告呢？" asks of the 2017 report.
DOCUMENT = re.compile(r"报告|公报")
_DOC_WORDS = re.compile(r"(?:的)?(?:政府工作报告|统计公报|公报|报告|情况|数据)$")
#: The document named before the question proper: "江苏省2026年政府工作报告中，" (kept when the ask changes).
_PREFIX = re.compile(r"^(.{2,40}?(?:报告|公报|通报|中|里|显示|表明|指出|提到|看)[，,：:])")
_UNIT = "|".join(re.escape(u) for u in ZH_UNITS) + r"|[个次件项名位家所座条处批期篇场]"
_ASK_PHRASE = re.compile(
    rf"(?:是|为|有|达到?|约|共|一共|总共|共计|累计)?(?:多少|几)(?:{_UNIT})?|什么时候|什么|哪些|哪里|哪个|哪位|谁|何时"
)
#: Words that set when or where in a question, not what about (kept in front when the topic changes).
_SETTING = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?(?:省|市|自治区|区|县)(?=(?:19|20)\d\d年|全年|年末))?"  # 湖南省2025年, 青山市全年
    r"(?:全年|年末|年底|年初|今年|去年|上年|全省|全市|全区|全县|全国|(?:19|20)\d\d年(?:末|底|初)?)+"
)
#: A growth rate asked of a topic ("参观人次的增幅"): when the previous turn asked a growth, the topic alone changes.
_RATE = re.compile(r"的?(?:增幅|增速|增长率|增长幅度)$")
_GROWTH = re.compile(r"增长|增幅|增速|下降")
#: What a question says of its topic that fits any other topic (增长了多少, 占…比重, 的从业人员有多少).
_GENERIC = re.compile(r"增长|下降|增加|减少|上升|提高|降低|比上年|同比|比重|占|增速|增幅")
#: What a question says happened to its topic, not the topic ("服务进出口总额增长了多少" is about 服务进出口总额).
_PREDICATE = re.compile(r"(?:比上年|同比|较上年)?(?:增长|下降|增加|减少|上升|提高|降低|回落)$")
_FILLER = re.compile(
    r"^(?:实现|完成|开展了?|举办了?|组织了?|召开了?|新增|共|累计)|(?:是|为|有|达到?|了|共|约|完成了?)+$"
)


def topic_of(question: str) -> str:
    """What a question asks about: 全年开展了多少次专题学习？ -> 专题学习; 粮食产量是多少？ -> 粮食产量."""
    _prefix, body = split_prefix(question)
    m = _ASK_PHRASE.search(body)
    if m is None:
        return _FILLER.sub("", _SETTING.sub("", _TAIL.sub("", body)))
    after = _TAIL.sub("", body[m.end() :]).lstrip("的")
    if len(after) >= 2:
        return after
    before = _FILLER.sub("", _SETTING.sub("", body[: m.start()]))
    return _PREDICATE.sub("", before) or before or after


def split_prefix(question: str) -> tuple[str, str]:
    """The clause naming the document ("江苏省2026年政府工作报告中，") and the question proper."""
    m = _PREFIX.match(question)
    return (m.group(1), question[m.end() :]) if m else ("", question)


def core(question: str) -> tuple[str, bool]:
    """The question without a leading 那/还有 and a trailing 呢/怎么样; True when either was there."""
    core = _LEAD.sub("", question)
    led = core != question
    stripped = _TAIL.sub("", core)
    return stripped, led or bool(re.search(r"(?:呢|怎么样|如何|怎样)[？?。\s]*$", core))


def follow(
    question: str, core: str, marked: bool, prev: Reading, before_prev: Reading | None, places: frozenset[str]
) -> tuple[FollowKind, str, str] | None:
    """(kind, standalone question, topic) when `question` (its `core` without 那…呢, `marked` when those were
    there) leans on `prev` by its place, a pronoun or its topic; None when it stands on its own."""
    from qa.dialogue.followup import replace_place
    from qa.text.places import province_of
    from qa.text.segment import words

    place = _DOC_WORDS.sub("", core)
    if place and (place in places or province_of(place) is not None) and not _ASK.search(place):
        known = set(places) | {p for p in (province_of(w) for w in places) if p}
        changed = replace_place(prev.resolved, place, known | _provinces())
        if changed is not None:
            return "place", changed, prev.topic
    prefix = "" if _PREFIX.match(question) or YEAR.search(question) else _context(prev.resolved)
    among = re.match(r"^(?:那么|那)?其中", question)
    if among and _ASK.search(question) and prev.topic:  # 其中城镇人口有多少？ -> 年末常住人口中城镇人口有多少？
        return "pronoun", prefix + f"{prev.topic}中" + question[among.end() :], prev.topic
    part = core[2:] if core.startswith("其中") else ""
    if part and marked and prev.topic and prev.topic in prev.resolved:  # 其中出口呢？: the part, asked as before
        return "pronoun", prev.resolved.replace(prev.topic, f"{prev.topic}中{part}", 1), part
    pronoun = _PRONOUN.search(question)
    if pronoun and _ASK.search(question) and prev.topic:
        plural = pronoun.group(0) in _PLURAL
        topics = [(_FIGURE.fullmatch(pronoun.group(0)) and _figure_of(prev)) or prev.topic]
        if plural and before_prev is not None and before_prev.topic and before_prev.topic != prev.topic:
            topics = [before_prev.topic, prev.topic]
        said = "和".join(topics)
        end = pronoun.end()
        for size in (4, 3, 2, 1):  # a determiner before a noun of the topic: 这些提案 -> 提案, 这些项目 -> 重大项目
            word = question[end : end + size]
            if len(topics) == 1 and len(word) == size and has_cjk(word) and topics[0].endswith(word):
                end += size
                break
        text = question[: pronoun.start()] + said + question[end:]
        return "pronoun", prefix + _LEAD.sub("", text), said
    if marked and not _ASK.search(core) and len(core) <= 20:
        if _RATE.search(core) and _GROWTH.search(prev.resolved):  # 参观人次的增幅呢？ after a growth: the ask stays
            core = _RATE.sub("", core) or core
        kind_of = _swap_kind(words(prev.topic), core) if prev.topic else None  # 农村居民 of 全体居民人均可支配收入
        return "topic", with_topic(prev.resolved, prev.topic, core), kind_of or core
    if marked and not _PREFIX.match(core) and not YEAR.search(core):  # 那城镇新增就业多少人？: same documents
        return "topic", prefix + core + "？", topic_of(core)
    return None


def _figure_of(prev: Reading) -> str:
    """What the figure the previous turn gave counts: its ask's topic, with the thing it belonged to when that
    turn was itself a pronoun's (它们举办了多少场展览 -> 公共美术馆展览)."""
    figure = topic_of(prev.resolved)
    if prev.kind == "pronoun" and prev.topic and figure and prev.topic not in figure:
        return prev.topic + figure
    return figure


def _context(question: str) -> str:
    """What a question says before its topic that a follow-up leaning on it keeps: the document it names and the
    year or setting it asks about ("福建省2026年政府工作报告中，2025年")."""
    prefix, body = split_prefix(question)
    setting = _SETTING.match(body)
    return prefix + (setting.group(0) if setting and YEAR.search(setting.group(0)) else "")


def with_topic(previous: str, old: str, new: str) -> str:
    """The previous question asked of `new` instead of `old`: a word run ending like `new` is replaced in place
    (全体居民 -> 农村居民, 出口 -> 进口, the ask kept whole); else the old topic is replaced and the measure word of
    the ask dropped (提案 is counted in 件, not in the 次 of 专题学习)."""
    prefix, body = split_prefix(previous)
    m = _ASK_PHRASE.search(body)
    ask = _plain_ask(m.group(0)) if m else ""
    swapped = _swap_word(body, new)
    if swapped is not None:
        body = swapped
    elif old and old in body:
        at = body.find(old)
        if m and at >= m.end():  # 开展了多少次专题学习 -> 开展了多少交流研讨
            body = body[: m.start()] + ask + body[m.end() :].replace(old, new, 1)
        else:  # 提案立案了多少件 -> 交流研讨多少; 收入增长了多少 -> 进出口总额增长了多少
            setting = _SETTING.match(body)
            middle = body[at + len(old) : m.start()] if m else ""
            keep = middle if (_GENERIC.search(middle) or middle.startswith("的")) else ""
            asked = m.group(0) if (keep and m) else ask  # a kept predicate keeps its unit (增长了多少个百分点)
            body = (setting.group(0) if setting else "") + new + keep + asked + "？"
    else:
        setting = _SETTING.match(body)
        body = (setting.group(0) if setting else "") + new + (ask or "是多少") + "？"
    return prefix + body


def _plain_ask(ask: str) -> str:
    """多少次 -> 多少; 几个 -> 多少; other asks unchanged."""
    return "多少" if ("多少" in ask or "几" in ask) else ask


def _swap_word(body: str, new: str) -> str | None:
    """`body` with the word run that ends like `new` (same last word) replaced by it, or None."""
    from qa.text.segment import words

    if len(new) < 2:
        return None
    tokens = words(body)
    kind = _swap_kind(tokens, new)
    if kind is not None:
        return kind
    same_tail = [
        i
        for i, w in enumerate(tokens)
        if len(new) <= len(w) <= len(new) + 1 and w[-1] == new[-1] and w != new and w[-1] not in "的了"
    ]
    if same_tail:
        i = same_tail[0]  # 出口 -> 进口, 第三产业 -> 第二产业
        return "".join(tokens[:i]) + new + "".join(tokens[i + 1 :])
    return _swap_head(tokens, new)


def _swap_kind(tokens: list[str], new: str) -> str | None:
    """The words with the modifier of the word(s) `new` ends with replaced by `new`'s (全体居民 -> 农村居民: another
    kind of the same thing, the rest of the phrase kept); None when `new` ends with none of them."""
    ends = [i for i, w in enumerate(tokens) if len(w) >= 2 and new.endswith(w) and w != new]
    for i in ends:
        first = i  # the shared words run back as far as `new` ends like them (常住居民 of 城镇常住居民)
        while first > 0 and len(shared := "".join(tokens[first - 1 : i + 1])) < len(new) and new.endswith(shared):
            first -= 1
        lead = new[: -len("".join(tokens[first : i + 1]))]
        if first == 0 or not lead or "的" in lead:
            continue  # a modifier clause ("向区委和政府报送的专题协商报告") names a new thing, not a kind of the old
        start = first - 1  # the word before the shared ones is the modifier being replaced (全体 -> 农村)
        while start > 0 and tokens[start - 1] in lead:  # 城镇新增就业 -> 城镇失业人员再就业, 城镇said once
            start -= 1
        return "".join(tokens[:start]) + new + "".join(tokens[i + 1 :])
    return None


def _swap_head(tokens: list[str], new: str) -> str | None:
    """The word run that starts with `new`'s first word and is as many words long, replaced by `new`
    (营业收入 -> 营业利润, 一般公共预算收入 -> 一般公共预算支出); None when no run shares that word."""
    from qa.text.segment import words

    parts = words(new)
    if len(parts) < 2 or len(parts[0]) < 2 or not has_cjk(parts[0]):
        return None
    n = len(parts)
    for i, w in enumerate(tokens):
        run = tokens[i : i + n]
        if w != parts[0] or len(run) < n or run == parts:
            continue
        if any(not has_cjk(t) or _ASK.search(t) or t in ("的", "了", "是") for t in run):
            continue
        return "".join(tokens[:i]) + new + "".join(tokens[i + n :])
    return None


def _provinces() -> set[str]:
    from qa.text.places import PROVINCES

    return {n for full, short, _en in PROVINCES for n in (full, short)}
