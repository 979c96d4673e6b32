"""Question analysis: what kind of fact is asked (quantity, date, person, place, other) and in what unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from qa.answer.units import AMOUNT, NOUN_UNITS, ZH_UNITS, measure_word
from qa.text.tokens import tokenize

QType = Literal["quantity", "when", "who", "where", "alias", "contact", "what"]
QTYPES: tuple[QType, ...] = get_args(QType)

#: Words that ask for another name of something ("又称什么", "别名是什么").
ALIAS_ASKED = r"又称|又名|别名|别称|原名|俗称|简称|又叫|也叫|亦称|也称|旧称|古称|称之为什么|称为什么"

#: Questions for a way to reach someone: answered only by a number, address or link written as such.
_CONTACT = {
    "zh": r"电话|手机号|号码是|传真|邮箱|电子邮件|邮件地址|网址|网站|微信号|地址是|通讯地址|邮编|邮政编码",
    "en": r"\b(?:phone|telephone|fax|e-?mail|website|web site|url|address|postcode|zip code|hotline)\b",
}
_DAY_ASKED = {
    "zh": r"哪一?天|哪[几些]天|几号|几日|哪日|几月几",
    "en": r"\bwhat (?:date|day)\b|\bwhich (?:date|day)\b|\bon what date\b",
}
_ZH_PATTERNS: list[tuple[QType, str]] = [
    ("quantity", r"多少|几[个次名件篇人家期批项场位天年届岁倍]|几|多大|多高|多长|多久|比例|百分之|占比|数量|总数|金额"),
    ("when", r"什么时候|何时|哪一?天|哪一?年|哪个月|几月|几号|几日|日期|时间|哪日"),
    ("who", r"谁|哪位|何人|什么人|哪个人|哪些人|哪几位|哪两名|哪几名|叫什么名字|姓名是什么|名字是什么(?!意)"),
    ("where", r"哪里|哪儿|何处|何地|什么地方|哪个地方|哪些地方|到哪|去哪|地点|哪[个些]?(?:省|市|县|区|地)"),
]
#: Nouns of what is measured: "what was X's <noun>" asks for a figure.
_MEASURE_NOUNS = (
    r"(?:gdp|income|revenue|rate|population|budget|output|total|value|cost|price|share|percentage|area|length"
    r"|intensity|ratio|index|density|concentration|coverage|throughput|volume|capacity|production|sales"
    r"|expenditure|spending|investment|turnover|size|scale|count)"
)
#: Nouns of people: "the name of the <noun>" asks who.
_PERSON_NOUNS = (
    r"(?:person|people|chairman|chairwoman|chair|governor|mayor|reporter|author|writer|official|leader|secretary"
    r"|head|director|president|deputy|minister|speaker|members?|representative|winner|founder|man|woman|party "
    r"secretary|vice[- ]\w+)s?\b"
)
_EN_PATTERNS: list[tuple[QType, str]] = [
    (
        "quantity",
        r"\bhow (?:many|much|often|large|big|long|far|high)\b"
        r"|\bwhat (?:share|percentage|proportion|number|amount|rate)\b"
        r"|\bnumber of\b|\bamount of\b|\bpercent|\bwhat (?:was|is|were|are) (?:the )?"
        # a measure noun among the first words asked about, or heading a longer phrase ("Anhui's agricultural
        # science and technology progress contribution rate, according to …"): words before it are no preposition
        r"(?:(?:[a-z0-9.'&-]+ ){0,3}" + _MEASURE_NOUNS + r"\b"
        r"|(?:(?!(?:of|in|at|for|from|to|by|on|with|that|which|who)\b)[a-z0-9.'&-]+ ){4,9}"
        + _MEASURE_NOUNS
        + r"(?=\s*(?:[,?.]|$|(?:of|in|at|for|from|by|on|during|according)\b)))",
    ),
    ("when", r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|year|month)\b|\bon what date\b"),
    (
        "who",
        r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (?:person|people|members?|official|leader)\b"
        # the name of a person (of a tunnel, a park or a company is a "what")
        r"|\bname of (?:the |its |this |that )?(?:[a-z'-]+ ){0,3}" + _PERSON_NOUNS,
    ),
    ("where", r"\bwhere\b|\bwhich (?:place|places|city|cities|province|provinces|region|country)\b"),
]

#: Interrogatives and fillers that say what is asked, not what about: removed before matching evidence.
QUESTION_WORDS = re.compile(
    r"多少|几|什么|哪一天|哪一年|哪天|哪里|哪些|哪个|哪位|哪儿|哪|谁|何时|何处|如何|怎么|怎样|是否|吗|呢|请问|"
    r"一共|总共|共计|分别|报告中|报告里|本报告|该报告|这篇报告|文中|根据|提到|其中|有关|关于|情况|期间|名字|叫做|地方|"
    r"一天|一年|的|了"
)


@dataclass(frozen=True)
class QuestionInfo:
    """What a question asks for."""

    qtype: QType
    unit: str | None
    topic_tokens: tuple[str, ...]
    ordinal: bool = False  # 第几: the answer is an ordinal such as 第三区
    day: bool = False  # the question asks for a day (哪一天, 几号, what date), not a year or month
    change: bool = False  # it asks how much something changed (增长, 提高, 下降, grew): a rate's change is in 百分点


#: Words that ask how much a figure changed rather than what it is.
_CHANGE_ASKED = {
    "zh": r"增长|增加(?!值)|减少|下降|提高|提升|降低|上升|回落|增幅|增速|降幅|涨|跌|变化|比上年|同比|较上年|百分点",
    "en": r"\b(?:gr[eo]wn?|growth|increas|decreas|ris[ei]|rose|fell|fall|drop|declin|chang|up|down|more|less|points?)",
}


#: "Gross domestic/regional product" is GDP, a sum of money (a product alone is a thing).
_GDP = re.compile(r"\bgross (?:domestic|regional) product\b", re.I)


def question_type(question: str, lang: str) -> QType:
    """One of QTYPES, from interrogative patterns (quantity first: '几月' is a date though)."""
    text = _GDP.sub("gdp", question.lower())
    patterns = _ZH_PATTERNS if lang == "zh" else _EN_PATTERNS
    if re.search(_CONTACT[lang], text):
        return "contact"
    if lang == "zh" and re.search(r"几月|几号|几日|哪一?年|哪[几些]天", text):  # 哪几天: which days, not how many
        return "when"
    if lang == "zh" and re.search(ALIAS_ASKED, text) and not re.search(r"(?<!称之)(?<!称)为什么|为何|原因", text):
        return "alias"
    return next((qtype for qtype, pat in patterns if re.search(pat, text)), "what")


NOUN_REACH = 4  # characters between a unit-implying noun and the interrogative after it


def _verb_object(gap: str) -> bool:
    """Does `gap` (between a noun and the interrogative) end with a verb and its object, which is then what is
    measured ("促消费活动拉动消费多少": 消费, not 活动's 次)?"""
    from qa.text.segment import dictionary_tag, words

    said = list(words(gap))
    return len(said) >= 2 and dictionary_tag(said[-1]) in ("n", "vn") and dictionary_tag(said[-2]).startswith("v")


def expected_unit(question: str, lang: str) -> str | None:
    """The measure word the answer should carry, when the question implies one."""
    if lang == "zh":
        if re.search(
            r"(?:多少|多大)的?(?:比例|比重|占比|份额)", question
        ):  # "覆盖了多大比例的人口": a share, of anything
            return "%"
        if re.search(r"多(?:高|长|深|远|宽|厚)(?!时间|时候|期)", question):  # 有多长: a length, in any unit of length
            return "米"
        if re.search(r"多重", question):
            return "公斤"
        if re.search(r"(?:面积|占地)\w{0,3}多大", question):
            return "平方米"
        m = re.search(r"(?:多少|几)(.{0,6})", question)
        tail = m.group(1) if m else ""
        if medal := re.match(r"(?:枚|块|个)?([金银铜])牌", tail):  # 多少枚金牌: "14金9银" writes them as 14金
            return medal.group(1)
        magnitude = re.match(r"[万亿]", tail)
        if magnitude and max((len(u) for u in ZH_UNITS if tail.startswith(u)), default=0) <= magnitude.end():
            # a magnitude before a measure word that is no unit with it: 多少万个 counts in 个 (734.2万个), and
            # 多少万？ names no unit, so the noun asked about may ("常住人口多少万" -> 人)
            tail = tail[magnitude.end() :]
        for unit in ZH_UNITS:
            if tail.startswith(unit):  # 亿元 keeps its magnitude: a sum of 亿 is never a per-head figure in 元
                return unit if unit in ("亿元", "万亿元") else "元" if unit.endswith("元") else unit
        # how much it changed: a count of 游客 may have grown by 6.9%, so only a rate's words (增长, 增速) imply one
        changed = re.search(_CHANGE_ASKED["zh"] + "|涨", question) is not None
        nouns = {n: u for n, u in NOUN_UNITS.items() if u == "%"} if changed else NOUN_UNITS
        at = m.start() if m else len(question)
        noun_phrase = re.split(r"[，。？！?,、；;\s]|是|被|受|由|在|用|于", question[at:])[0][:9]
        after = [(noun_phrase.rfind(n), n) for n in nouns if noun_phrase.rfind(n) >= 0]
        if after:
            return nouns[max(after)[1]]
        # a noun just before the interrogative ("委员共有多少"), not one further back ("活动拉动消费多少")
        before = [(question.rfind(n, 0, at) + len(n), n) for n in nouns if question.rfind(n, 0, at) >= 0]
        before = [(end, n) for end, n in before if at - end <= NOUN_REACH and not _verb_object(question[end:at])]
        if before:
            return nouns[max(before)[1]]
        return None
    question = _GDP.sub("GDP", question)
    text = question.lower()
    if re.search(
        r"\bby how much\b|\bhow (?:much|fast) did\b.*\b(?:grow|grew|increase|rise|rose|fall|fell|drop|decline)", text
    ):
        return "%"  # a change asked for is a rate
    if re.search(r"\b(?:growth|increase|decrease|decline) rate\b|\bgrowth\b", text):
        return "%"
    if re.search(
        r"\bhow much (?:money|funding|funds?)\b|\bhow much\b.*\b(?:allocat|donat|spend|spent|fund|worth|cost|invest)",
        text,
    ):
        return "元"
    stated = re.search(r"\bin ([a-z]+)(?: [a-z]+){0,3}\s*[?.]?\s*$", text)  # "…, in micrograms per cubic meter?"
    if stated and (said := measure_word(stated.group(1))):
        return said[0]
    m = re.search(r"\b(?:how many|number of)((?: [a-z'\"“”-]+)+)", text)
    phrase: list[str] = []
    for w in m.group(1).split() if m else []:  # the counted noun phrase ends at its verb or preposition
        if w in _PHRASE_END:
            break
        phrase.append(w.strip('"“”'))
    if not phrase:  # "what was the surveyed unemployment rate": the asked phrase's head noun, not "surveyed"
        from qa.answer.focus import focus_words

        words = focus_words(question, "en")[::-1]
        named = next((measure_word(w)[0] for w in words if measure_word(w)), None)
        return named or (AMOUNT if re.search(r"\bhow much\b", text) else None)  # how much grain: not 4个
    # the head noun first: the last word before a participle ("villages covered ...", "hospitals serving people"),
    # else the phrase's last; a counting noun further on ("suggestions from people's congress deputies") is not
    # what is counted
    head = next((i for i, w in enumerate(phrase) if i and len(w) > 4 and w.endswith(("ed", "ing"))), len(phrase))
    words = phrase[:head][::-1] + phrase[head:][::-1]
    found = next((measure_word(w)[0] for w in words if measure_word(w)), None)
    return found or "个"  # things counted ("how many libraries"): a count, not a measure


_PHRASE_END = frozenset(
    "were was did do does are is have has had will would can could in of by from for to at on with during "
    "that which who than as".split()
)


def topic_tokens(question: str) -> tuple[str, ...]:
    """BM25 tokens of the question with interrogatives and function words removed."""
    stripped = QUESTION_WORDS.sub(" ", question)
    return tuple(dict.fromkeys(tokenize(stripped)))


def analyse_question(question: str, lang: str) -> QuestionInfo:
    """Type, expected unit and topic tokens of a question."""
    qtype = question_type(question, lang)
    unit = expected_unit(question, lang) if qtype == "quantity" else None
    ordinal = lang == "zh" and "第几" in question
    day = qtype == "when" and bool(re.search(_DAY_ASKED[lang], question.lower()))
    change = qtype == "quantity" and bool(re.search(_CHANGE_ASKED[lang], question.lower()))
    return QuestionInfo(qtype, unit, topic_tokens(question) if lang == "zh" else (), ordinal, day, change)
