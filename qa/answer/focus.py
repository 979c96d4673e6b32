"""The words a question turns on: those beside its interrogative ("秘书长是谁" -> 秘书长, "哪一年出生" -> 出生,
"Who is the vice chairman" -> vice, chairman). Evidence that supports none of them answers another question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.units import ZH_UNITS
from qa.retrieve.terms import chinese_terms
from qa.text.english import STOPWORDS, content_words
from qa.text.script import is_cjk_word
from qa.text.segment import load_jieba

_ASK = re.compile(r"^(?:多少|几\w?|什么|哪\w{0,2}|谁|何时|何处|何人|怎样|怎么|如何|是否)$")
#: Words between a focus word and the interrogative that carry no content ("秘书长是谁", "产量是多少").
_LINK = frozenset(
    "是 为 的 了 有 在 达 达到 共 共有 一共 总共 分别 约 大约 叫 叫做 称为 由 被 能 会 要 将 还 又 是否 吗 呢 到 增至"
    "".split()
)
#: What an English question asks about: the words after its interrogative, up to a preposition, a verb or punctuation.
#: Blank runs are atomic and the phrase at most 120 characters: they made it backtrack polynomially on long blank
#: runs and on repeated interrogatives (one blank-only phrase, which named no words anyway, no longer matches).
_EN_FOCUS = re.compile(
    r"\b(?:who|what|which|when|where|how many|how much)(?>\s+)(?:is|was|are|were|did|does|do)?(?>\s*)"
    r"(?:(?:the|a|an)(?>\s+))?(?>\s*)([a-z' -]{1,120}?)"
    r"(?=(?<!\s)\s+(?:of|in|at|for|from|did|was|were|is|are|does|do|to|on|by)\b|\s*[?,.(]|$)",
    re.I,
)


def focus_words(question: str, lang: str, sides: tuple[int, ...] = (-1, 1)) -> list[str]:
    """Content words right before and after each interrogative (skipping linking words like 是, 的, 有); `sides`
    (-1, 1 or both) says which (Chinese)."""
    if lang == "en":
        m = _EN_FOCUS.search(question)
        return [w for w in content_words(m.group(1))] if m else []
    words = load_jieba().lcut(question)
    out: list[str] = []
    for i, w in enumerate(words):
        if not _ASK.match(w):
            continue
        for step in sides:
            j = i + step
            while 0 <= j < len(words) and words[j] in _LINK:
                j += step
            if 0 <= j < len(words) and len(words[j]) >= 2 and is_cjk_word(words[j]) and not _ASK.match(words[j]):
                out.append(words[j])
    return [w for w in dict.fromkeys(out) if w not in STOPWORDS]


#: What a text or question writes between what it counts and the figure or 多少 ("达1198家", "为5%", "是多少").
_LINKING = ("达到", "达", "为", "是", "有", "共计", "一共", "总共", "共", "累计", "约", "了", "：", ":", " ", "\n")
#: When, not what: a year or 全年 in either run is left out of the comparison ("2025年开行" against "2026年开行").
_WHEN = re.compile(r"(?:19|20)\d\d\s?年(?:末|底|初|度)?|全年|年末|年底")


def _strip_linking(text: str) -> str:
    """`text` without the linking words at its end."""
    while True:
        end = next((w for w in _LINKING if text.endswith(w)), "")
        if not end:
            return text
        text = text[: -len(end)]


def _around_ask(question: str) -> tuple[str, str] | None:
    """A Chinese question's text before its amount interrogative (多少, 几) and after it and its measure word;
    None when it asks no amount."""
    m = re.search("多少|几", question)
    if m is None:
        return None
    after = question[m.end() :]
    unit = max((u for u in ZH_UNITS if after.startswith(u)), key=len, default="")
    return question[: m.start()], after[len(unit) :]


def asked_run(question: str) -> str:
    """What a Chinese question writes right before its amount interrogative ("…城镇失业人员再就业多少人" -> its
    text up to 再就业); '' when it asks no amount."""
    around = _around_ask(question)
    if around is None or around[0].endswith("了"):
        return ""  # none, or a verb before it: what is counted follows ("新增了多少个临床重点专科")
    before, after = around
    if len(re.findall(r"[\u4e00-\u9fff]", after.replace("呢", "").replace("吗", ""))) >= 2:
        return ""  # the thing counted is named after it ("多少个区域医疗中心")
    return _strip_linking(before)


def asked_tail(question: str) -> str:
    """What a Chinese question counts when it writes it after its amount interrogative and measure word
    ("新增了多少个临床重点专科" -> 临床重点专科); '' when it writes nothing there."""
    around = _around_ask(question)
    if around is None:
        return ""
    tail = re.split(r"[，。？！?,!；;、\s]|呢|吗", around[1])[0]
    return tail if len(re.findall(r"[\u4e00-\u9fff]", tail)) >= RUN_MIN else ""


def _leads(asked: str, trail: str) -> bool:
    """Does the text right after a figure begin with the end of `asked` (at least RUN_MIN characters)? Chinese
    often writes what it counts after the figure and its measure word ("新建15个国家卓越级智能工厂")."""
    return any(trail.startswith(asked[-k:]) for k in range(len(asked), RUN_MIN - 1, -1))


def run_match(lead_in: str, asked: str) -> int:
    """How many characters the text right before a figure shares with the end of `asked_run`: Chinese writes what
    it counts just before the figure, as the question does before 多少 ("城镇失业人员再就业514万人")."""
    lead = _WHEN.sub("", _strip_linking(lead_in))
    asked = _WHEN.sub("", asked)
    n = 0
    while n < min(len(lead), len(asked)) and lead[-1 - n] == asked[-1 - n]:
        n += 1
    return n


RUN_MIN = 3  # characters a figure's lead-in must share with what a Chinese question writes before 多少


def _item_ends(lead_in: str, tail: str) -> bool:
    """Does the text before a figure end with the end of `tail` (what a question writes after 多少 and its measure
    word): RUN_MIN characters of it, or a whole list item of two ("议案5项、建议877件" for "多少件市人大代表建议"; not
    "未来工厂10家" for "多少个国家卓越级智能工厂")?"""
    n = run_match(lead_in, tail)
    item = re.split(r"[、，,；;：:]", _WHEN.sub("", _strip_linking(lead_in)))[-1]
    return n >= RUN_MIN or n == len(item) >= 2


#: An English question that asks how much something changed ("By how much did total foreign trade grow?").
_EN_CHANGE_ASKED = re.compile(
    r"\bhow much\b.*\b(?:grow|grew|grown|increased?|rise|rose|risen|fall|fell|fallen|declined?|drop|dropped)\b",
    re.I,
)
#: The English words of a change, not of what changed.
_EN_CHANGE_WORDS = frozenset(
    "grow grew grown growth increase increased rise rose risen fall fell fallen decline declined drop dropped"
    " rate".split()
)
#: A change the text writes between what changed and its figure ("外贸进出口总额增长19.9%").
_ZH_CHANGE = re.compile(r"(?:比上年|同比)?(?:增长|下降|提高|降低|增加|减少|上涨|回落|上升)$")
#: Marks that end a figure's clause.
_CLAUSE_END = re.compile(r"[，,；;。：:、（(]")
#: A note marker a statistical text writes right after an indicator's name ("地区生产总值[2]").
_NOTE = re.compile(r"(?:\[\d{1,2}\]|[①②③④⑤⑥⑦⑧⑨])\s*$")


@dataclass(frozen=True)
class Asked:
    """What a question names as the thing its figure measures, to spot the figure written right after it: the
    text a Chinese question writes before 多少 (`asked_run`), or the Chinese words for what an English question
    counts ("how many public libraries" -> 公共图书馆; the subject of "what was …" too cost a follow-up turn)."""

    run: str = ""
    terms: tuple[str, ...] = ()
    tail: str = ""  # what a Chinese question writes after 多少 and its measure word (`asked_tail`)
    change: bool = False  # an English question asks how much it changed ("by how much did … grow")

    @classmethod
    def of(cls, question: str, lang: str, lexicon: dict[str, list[list]]) -> Asked:
        if lang == "zh":
            run = asked_run(question)
            return cls(run=run, tail="" if run else asked_tail(question))
        count = re.search(r"\bhow many\b", question, re.I) is not None
        change = not count and _EN_CHANGE_ASKED.search(question) is not None
        words = [w for w in focus_words(question, "en") if w.lower() not in _EN_CHANGE_WORDS] if count or change else []
        terms = [z for z, w in chinese_terms(" ".join(words), lexicon) if w >= 1.0 and len(z) >= 2] if words else []
        return cls(terms=tuple(terms), change=change)

    def names(self, lead_in: str, trail: str = "") -> bool:
        """Does the text right before a figure end with what the question asks about, or the text right after its
        measure word (`trail`) begin with it? A note marker after the name is skipped ("地区生产总值[2]185亿元")."""
        lead_in = _NOTE.sub("", lead_in)
        if self.run:
            return run_match(lead_in, self.run) >= RUN_MIN or _leads(_WHEN.sub("", self.run), trail)
        if self.tail:  # "多少件市人大代表建议": the text may write the noun after the figure or, as usual, before it
            return trail.startswith(self.tail[:RUN_MIN]) or _item_ends(lead_in, self.tail)
        lead = _ZH_CHANGE.sub("", _WHEN.sub("", _strip_linking(lead_in)))
        if self.change:  # "外贸进出口总额增长19.9%": what changed is named in the clause, not always at its end
            return any(t in _CLAUSE_END.split(lead)[-1] for t in self.terms)
        return any(lead.endswith(t) for t in self.terms)

    def qualified(self, lead_in: str, question: str) -> bool:
        """Does the clause before a figure name what the question asks about with a qualifier the question lacks
        ("乡及乡以上工业增加值15446.1亿元" for "1995年工业增加值是多少"): two or more characters before the named run,
        besides when, that the question never writes? Such a figure measures a narrower thing."""
        clause = _CLAUSE_END.split(_NOTE.sub("", lead_in))[-1]
        if self.terms:  # English: what the clause writes before the first term it names, the other terms aside
            at = min((clause.find(t) for t in self.terms if t in clause), default=-1)
            rest = _WHEN.sub("", clause[: max(at, 0)])
            for t in sorted(self.terms, key=len, reverse=True):
                rest = rest.replace(t, "")
            return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2
        if not self.run:
            return False
        n = run_match(clause, self.run)
        if n < RUN_MIN:
            return False
        rest = _WHEN.sub("", _strip_linking(clause))[:-n]
        return sum(ch not in question for ch in re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


def without_when(text: str) -> str:
    """`text` without the years and 全年, 年末 … it writes: when, not what."""
    return _WHEN.sub("", text)


def counted_phrase(question: str) -> str:
    """What a Chinese question counts, without when: the run before 多少 (`asked_run`) or, when it writes it there,
    the words after 多少 and its measure word (`asked_tail`); '' when neither."""
    return _WHEN.sub("", asked_run(question) or asked_tail(question)).strip("，,的 ")
