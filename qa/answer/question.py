"""Question analysis: what kind of fact is asked (quantity, date, person, place, other) and in what unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.index.bm25 import tokenize

QTYPES = ("quantity", "when", "who", "where", "alias", "what")

#: Words that ask for another name of something ("又称什么", "别名是什么").
ALIAS_ASKED = r"又称|又名|别名|别称|原名|俗称|简称|又叫|也叫|亦称|也称|旧称|古称|称之为什么|称为什么"

#: Chinese measure words and units, longest first, as they follow a number in text.
UNITS = sorted(
    """万元 亿元 千元 元 万人 人次 场次 余人 件 次 篇 名 人 家 期 批 个 项 场 所 户 座 条 份 辆 台 天 年 届 岁 公里 千米 米
    平方米 平方公里 平方千米 平方英里 公尺 公分 英里 英尺 海里 亩 吨 小时 分钟 倍 周年 位 回 趟 遍 股 首 季 名次 支 处 套 本 册 起 间 栋 株 棵 公顷 万 亿 % 元钱 部 幅 门 轮 节 组 类 种 所 级 首 张 集""".split(),
    key=len,
    reverse=True,
)

#: Nouns that imply a measure word when the question names no unit ("多少委员" -> 名).
NOUN_UNITS = {
    "委员": "名", "人员": "名", "干部": "名", "代表": "名", "学生": "名", "员工": "名", "人才": "名",
    "提案": "件", "议案": "件", "案件": "件", "建议": "件", "实事": "件",
    "报告": "篇", "文章": "篇", "信息": "篇", "材料": "篇", "稿件": "篇", "报道": "篇",
    "企业": "家", "公司": "家", "单位": "家", "医院": "家",
    "资金": "元", "经费": "元", "钱": "元", "金额": "元", "价值": "元", "投资": "元", "捐款": "元", "费用": "元",
    "比例": "%", "比率": "%", "百分比": "%", "率": "%", "占比": "%",
    "活动": "次", "会议": "次", "调研": "次", "学习": "次", "培训": "次",
}

#: English counting nouns -> Chinese measure words.
EN_UNITS = {
    "proposal": "件", "case": "件", "motion": "件", "item": "件", "thing": "件",
    "time": "次", "session": "次", "meeting": "次", "visit": "次", "trip": "次", "inspection": "次", "round": "次",
    "activity": "次", "event": "场", "study": "次", "consultation": "次", "survey": "次",
    "member": "名", "people": "名", "person": "名", "official": "名", "cadre": "名", "entrepreneur": "名",
    "representative": "名", "child": "人", "resident": "人",
    "report": "篇", "article": "篇", "piece": "篇", "paper": "篇", "material": "篇",
    "company": "家", "enterprise": "家", "firm": "家", "business": "家",
    "issue": "期", "edition": "期", "batch": "批", "delegation": "批", "group": "批",
    "system": "项", "rule": "项", "regulation": "项", "project": "项",
    "money": "元", "yuan": "元", "fund": "元", "funding": "元", "worth": "元", "value": "元", "cost": "元",
    "percent": "%", "percentage": "%", "rate": "%", "share": "%", "proportion": "%",
    "year": "年", "anniversary": "周年",
    "gdp": "元", "budget": "元", "revenue": "元", "income": "元", "output": "元", "investment": "元", "salary": "元",
    "population": "人", "job": "人", "household": "户", "family": "户", "village": "个", "community": "个", "school": "所",
    "hospital": "家", "acre": "亩", "mu": "亩", "ton": "吨", "tonne": "吨", "kilometer": "公里", "kilometre": "公里",
}

_ZH_PATTERNS = [
    ("quantity", r"多少|几[个次名件篇人家期批项场位天年届岁倍]|几|多大|多高|多长|多久|比例|百分之|占比|数量|总数|金额"),
    ("when", r"什么时候|何时|哪一?天|哪一?年|哪个月|几月|几号|几日|日期|时间|哪日"),
    ("who", r"谁|哪位|何人|什么人|哪个人|哪些人|哪几位|哪两名|哪几名|叫什么名字|姓名是什么|名字是什么(?!意)"),
    ("where", r"哪里|哪儿|何处|何地|什么地方|哪个地方|哪些地方|到哪|去哪|地点|哪[个些]?(?:省|市|县|区|地)"),
]
_EN_PATTERNS = [
    (
        "quantity",
        r"\bhow (?:many|much|often|large|big|long|far|high)\b|\bwhat (?:share|percentage|proportion|number|amount|rate)\b"
        r"|\bnumber of\b|\bamount of\b|\bpercent|\bwhat (?:was|is|were|are) (?:the )?(?:[a-z'-]+ ){0,3}"
        r"(?:gdp|income|revenue|rate|population|budget|output|total|value|cost|price|share|percentage|area|length)\b",
    ),
    ("when", r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|year|month)\b|\bon what date\b"),
    ("who", r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (?:person|people|members?|official|leader)\b|\bname of\b|\bwhat is the name\b"),
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

    qtype: str
    unit: str | None
    topic_tokens: tuple[str, ...]
    ordinal: bool = False  # 第几: the answer is an ordinal such as 第三区


def question_type(question: str, lang: str) -> str:
    """One of QTYPES, from interrogative patterns (quantity first: '几月' is a date though)."""
    text = question.lower()
    patterns = _ZH_PATTERNS if lang == "zh" else _EN_PATTERNS
    if lang == "zh" and re.search(r"几月|几号|几日|哪一?年", text):
        return "when"
    if lang == "zh" and re.search(ALIAS_ASKED, text) and not re.search(r"(?<!称之)(?<!称)为什么|为何|原因", text):
        return "alias"
    for qtype, pat in patterns:
        if re.search(pat, text):
            return qtype
    return "what"


def expected_unit(question: str, lang: str) -> str | None:
    """The measure word the answer should carry, when the question implies one."""
    if lang == "zh":
        m = re.search(r"(?:多少|几)(.{0,6})", question)
        tail = m.group(1) if m else ""
        for unit in UNITS:
            if tail.startswith(unit):
                return "元" if unit in ("万元", "亿元", "千元", "元钱") else unit
        at = m.start() if m else len(question)
        phrase = re.split(r"[，。？！?,、；;\s]|是|被|受|由|在|用|于", question[at:])[0][:9]
        after = [(phrase.rfind(n), n) for n in NOUN_UNITS if phrase.rfind(n) >= 0]
        if after:
            return NOUN_UNITS[max(after)[1]]
        before = [(question.rfind(n, 0, at) + len(n), n) for n in NOUN_UNITS if question.rfind(n, 0, at) >= 0]
        if before:
            return NOUN_UNITS[max(before)[1]]
        return None
    from qa.text.english import content_words

    text = question.lower()
    if re.search(r"\bhow much (?:money|funding|funds?)\b|\bhow much\b.*\b(?:allocat|donat|spend|spent|fund|worth|cost|invest)", text):
        return "元"
    m = re.search(r"\b(?:how many|number of)((?: [a-z'-]+)+)", text)
    phrase: list[str] = []
    for w in (m.group(1).split() if m else []):  # the counted noun phrase ends at its verb or preposition
        if w in _PHRASE_END or (phrase and len(w) > 4 and w.endswith("ed")):
            break
        phrase.append(w)
    words = phrase[::-1] + content_words(question)  # head noun (last word of the phrase) first
    return next((measure_word(w)[0] for w in words if measure_word(w)), None)


_PHRASE_END = frozenset(
    "were was did do does are is have has had will would can could in of by from for to at on with during "
    "that which who than as".split()
)


def measure_word(word: str) -> list[str]:
    """The Chinese measure word an English counting noun implies ('batches' -> ['批']), if any."""
    from qa.text.english import word_variants

    return next(([EN_UNITS[v]] for v in word_variants(word.lower()) if v in EN_UNITS), [])


def topic_tokens(question: str) -> tuple[str, ...]:
    """BM25 tokens of the question with interrogatives and function words removed."""
    stripped = QUESTION_WORDS.sub(" ", question)
    return tuple(dict.fromkeys(tokenize(stripped)))


def analyse_question(question: str, lang: str) -> QuestionInfo:
    """Type, expected unit and topic tokens of a question."""
    qtype = question_type(question, lang)
    unit = expected_unit(question, lang) if qtype == "quantity" else None
    ordinal = lang == "zh" and "第几" in question
    return QuestionInfo(qtype, unit, topic_tokens(question) if lang == "zh" else (), ordinal)

