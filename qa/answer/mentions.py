"""Span finders inside an evidence sentence: quantities, dates, person names, places."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.units import EN_NOUNS, LATIN_UNITS, ZH_UNITS, english_unit_forms
from qa.text.english import word_variants
from qa.text.script import has_cjk, is_cjk_word
from qa.text.segment import load_posseg

#: A Chinese number has at most 20 numerals ("十二亿三千四百五十六万七千八百九十" has 18): an unbounded run was
#: retried from each of its characters, quadratic in its length.
_NUM = r"(?:\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千万亿]{1,20}(?=[余多]?(?:%s)))"
_QUALIFIER = r"(?:近|约|超过|超|逾|达|共|累计|总计|合计|仅|全年)?"
_EN_QUANTITY = re.compile(
    r"(?<!\d)(?P<n>\d++(?:[.,]\d++)*)(?P<mag>\s+(?:million|billion|thousand|hundred))?"
    r"(?P<u>\s+(?:" + "|".join(map(re.escape, english_unit_forms())) + r"))?\b",
    re.IGNORECASE,
)
_UNIT_ALT = (
    r"\s?(?:"
    + "|".join(re.escape(u) for u in sorted(LATIN_UNITS, key=len, reverse=True))
    + ")|"
    + "|".join(re.escape(u) for u in ZH_UNITS)
)
QUANTITY_RE = re.compile(
    rf"(?P<q>{_QUALIFIER})(?P<n>{_NUM % _UNIT_ALT}(?:[-－~～至到]\d+(?:\.\d+)?)?)(?P<approx>[余多]?)"
    rf"(?P<mag>万亿|[万亿千](?![万亿]))?(?P<approx2>[余多]?)(?P<u>{_UNIT_ALT})?(?![A-Za-z])"
    r"(?P<bound>左右|以上|以下|以内|上下)?"  # a target's bound belongs to it: 增长5%左右
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_RE = re.compile(
    r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}\s*年\s*\d{1,2}\s*月(?!\s*\d)(?:[初底末中旬])?|"
    r"(?:公元前?)?\d{3,4}\s*年(?:代(?:[初末中]期?)?|[初底末中]|上半年|下半年|春|夏|秋|冬)?(?![\d—\-度])|"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{4}}|"
    r"(?<=\bin )\d{4}\b"
)
ORDINAL_RE = re.compile(r"第[一二三四五六七八九十百零两\d]+[\u4e00-\u9fff]?")
_KEEP_QUALIFIERS = ("近", "约", "超过", "超", "逾")
_NUMBER_WORD = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Mention:
    """A candidate answer span [start, end) in a text, with what it is."""

    start: int
    end: int
    text: str
    unit: str = ""


def quantities(text: str, lists: bool = True) -> list[Mention]:
    """Numbers with their unit as written: '41件', '近3万元', '60余篇', '100%'. Bare years are skipped.
    In English text: '8 million yuan', '45,000 residents'. A range ('250米至600米') is one mention, and so is a
    list ('4.3%、5.6%') unless `lists` is off."""
    if not has_cjk(text):
        return _english_quantities(text)
    out = []
    for m in QUANTITY_RE.finditer(text):
        unit = (m.group("u") or "").strip() or (m.group("mag") or "")  # 5.2万亩 counts 亩; a bare 5.2万 counts 万
        number = m.group("n")
        if (not unit and not number[0].isdigit()) or re.fullmatch(r"[百千万亿]+", number):
            continue  # 每万人, 千家万户: a magnitude alone is no number
        if re.fullmatch(r"[零〇]", number):
            continue  # 零部件, 零距离: a lone 零 begins a word, it counts nothing
        after = text[m.end() : m.end() + 1]
        if unit == "" and after in ("年", "月", "日"):
            continue
        if unit in ("年", "月") and re.fullmatch(r"\d{4}", number):
            continue  # a year, not a count
        chinese_numeral = re.fullmatch(r"[一二三四五六七八九十]+", number) is not None
        if chinese_numeral and unit and text[m.end() : m.end() + len(unit)] == unit:
            continue  # 一条条, 一次次: "one after another", not a count
        if chinese_numeral and unit and text[m.end() : m.end() + 1] == "性":
            continue  # 一次性补贴: an adjective ("one-off"), not a count
        if chinese_numeral and (unit == "届" or text[m.end() : m.end() + 2] in ("会议", "全会")):
            continue  # 五届三次会议, 二十届三中全会 name a meeting
        start = m.start("n")
        if not m.group("q") and text[start - 1 : start] == "第":
            continue  # 第三次, 第5届: an ordinal names which one, it counts nothing
        if m.group("q") in _KEEP_QUALIFIERS:
            start = m.start("q")
        out.append(Mention(start, m.end(), text[start : m.end()], unit))
    return _join_ranges(text, out, _RANGE_GAP if lists else _SPAN_GAP)


def _english_quantities(text: str) -> list[Mention]:
    out = []
    for m in _EN_QUANTITY.finditer(text):
        word = (m.group("u") or "").strip().lower()
        unit = next((EN_NOUNS[v] for v in word_variants(word) if v in EN_NOUNS), "") if word else ""
        if not unit and not m.group("mag") and re.fullmatch(r"(1[5-9]|20)\d\d", m.group("n")):
            continue  # a year
        out.append(Mention(m.start(), m.end(), m.group(), unit))
    return out


#: What links the two ends of a range ('250米至600米') ...
_SPAN_GAP = re.compile(r"^(?:至|到|-|－|~|～|—|–)$")
#: ... or of a range or a list ('8月15日及8月16日', '4.3%、5.6%').
_RANGE_GAP = re.compile(r"^(?:至|到|-|－|~|～|—|–|及|和|、)$")


def _join_ranges(text: str, mentions: list[Mention], gap: re.Pattern[str] = _RANGE_GAP) -> list[Mention]:
    """'250米至600米' and '8月15日及8月16日' are one answer: join neighbours linked by `gap` (至, 到, -, 及 ...)."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and gap.match(text[prev.end : m.start]) and (prev.unit == m.unit or not prev.unit):
            out[-1] = Mention(prev.start, m.end, text[prev.start : m.end], m.unit)
        else:
            out.append(m)
    return out


def ordinals(text: str) -> list[Mention]:
    """Ordinals such as '第三区', '第2名'."""
    return [Mention(m.start(), m.end(), m.group()) for m in ORDINAL_RE.finditer(text)]


def dates(text: str) -> list[Mention]:
    """Dates as written; a range or pair ('1989年至1990年') is one mention."""
    return _join_ranges(text, [Mention(m.start(), m.end(), m.group()) for m in DATE_RE.finditer(text)])


_LOCATED = re.compile(
    r"(?:位于|坐落于|座落于|坐落在|座落在|地处|设在|设于|位在|located in|located at)\s*([^，。；,;（(]{2,40})"
)
#: Verbs whose object is a place or a list of places ("分布于菲律宾、印尼……"): the object runs to the sentence end.
_PLACED = re.compile(
    r"(?:分布于|分布在|分布到|原产于|原产地为|产于|生长于|栖息于|出生于|出生在|生于|发源于|源于|就读于|毕业于|效力于)\s*([^。；;！？]{2,60})"
)


_CONTACT_RE = re.compile(
    r"(?:\+?86[-\s]?)?(?:0\d{2,3}[-\s]?)?\d{7,8}(?:[-转]\d{1,5})?|1[3-9]\d{9}|\d{3,4}-\d{3,4}-\d{4}"  # phones
    r"|[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+"  # e-mail (a local part has at most 64 characters)
    r"|(?:https?://|www\.)[\w./%?=&#-]+"  # links
    r"|[\u4e00-\u9fff]{2,12}(?:路|街|大道|巷)\d{1,5}号(?:[\u4e00-\u9fff\d]{0,12}(?:楼|室|层))?"  # street addresses
)


def contacts(text: str) -> list[Mention]:
    """Phone and fax numbers, e-mail addresses, links and street addresses written as such."""
    return [Mention(m.start(), m.end(), m.group()) for m in _CONTACT_RE.finditer(text)]


def locations(text: str) -> list[Mention]:
    """What follows '位于 / 坐落于 / 地处 ...' up to the next clause mark (usually a full address), or
    what follows '分布于 / 原产于 / 出生于 ...' up to the sentence end (often a list of places)."""
    found = [Mention(m.start(1), m.end(1), m.group(1)) for m in _LOCATED.finditer(text)]
    return found or [Mention(m.start(1), m.end(1), m.group(1).rstrip("，,")) for m in _PLACED.finditer(text)]


_DOTS = ("·", "•", "・")


def tagged(text: str, tags: tuple[str, ...]) -> list[Mention]:
    """Words whose jieba part-of-speech tag starts with one of `tags` ('nr' person, 'ns' place).

    Adjacent tagged words form one mention, and a name grows over transliteration dots
    ("尼尔逊" in "巴里·尼尔逊" becomes "巴里·尼尔逊").
    """
    tokens: list[tuple[int, str]] = []
    marked: list[bool] = []
    pos = 0
    for word, flag in load_posseg().cut(text):
        tokens.append((pos, word))
        marked.append(any(flag.startswith(t) for t in tags))
        pos += len(word)
    for i in range(1, len(tokens) - 1):  # X·Y with either side tagged: the whole X·Y is the name
        if tokens[i][1] in _DOTS and (marked[i - 1] or marked[i + 1]):
            if is_cjk_word(tokens[i - 1][1]) and is_cjk_word(tokens[i + 1][1]):
                marked[i - 1] = marked[i] = marked[i + 1] = True
    out: list[Mention] = []
    for i, (start, word) in enumerate(tokens):
        if not marked[i]:
            continue
        end = start + len(word)
        if out and marked[i - 1]:
            out[-1] = Mention(out[-1].start, end, text[out[-1].start : end])
        else:
            out.append(Mention(start, end, word))
    return [m for m in out if len(m.text) >= 2]


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+\.?(?:\s+[A-Z][a-z]+\.?)+")
_TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. county city district province state mayor governor president "
    "chairman chairwoman chair vice deputy secretary minister director party committee general manager head "
    "on in at the after before during".split()
)


_ALIAS = re.compile(
    r"(?:又称|又名|别名|别称|原名|俗称|简称|又叫|也叫|亦称|也称|或称|旧称|古称|通称|学名)(?:为|是|作)?[：:]?\s*([^，。；;、]{1,40}(?:、[^，。；;、]{1,20})*)"
)


def aliases(text: str) -> list[Mention]:
    """Other names after 又称 / 又名 / 别名 / 原名 / 简称 ...: '又名不动佛、无动佛' -> '不动佛、无动佛'."""
    return [Mention(m.start(1), m.end(1), m.group(1)) for m in _ALIAS.finditer(text) if m.group(1).strip("（）() ")]


def _latin_names(text: str) -> list[Mention]:
    """Runs of capitalised words minus leading titles ('County Mayor John Smith' -> 'John Smith')."""
    out = []
    for m in _CAPITALISED_RUN.finditer(text):
        words = list(re.finditer(r"[A-Z][a-z]+\.?", m.group()))
        while words and words[0].group().lower() in _TITLES:
            words = words[1:]
        if len(words) >= 2 and not any(w.group().lower() in _TITLES for w in words):
            start, end = m.start() + words[0].start(), m.start() + words[-1].end()
            out.append(Mention(start, end, text[start:end]))
    return out


#: A name right after a post, standing alone as a signature does ("海拉尔区人民政府区长 杜联合"): jieba tags many
#: such names as common words.
_AFTER_POST = re.compile(
    r"(?:省长|市长|区长|县长|州长|盟长|旗长|主席|书记|主任|局长|部长|厅长|总理)[ \u3000]*"
    r"(?P<name>[\u4e00-\u9fff]{2,3})(?=$|[\s\u3000，。、；：,;:（(])"
)
#: The commonest surnames (about nine in ten people): a name after a post starts with one ("区长主持" is no name).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤殷易常乔赖文庞樊兰施洪牛"
)


def persons(text: str) -> list[Mention]:
    """Person names: jieba 'nr' in Chinese, and a name standing right after a post; capitalised runs without
    titles in English text."""
    if not has_cjk(text):
        return _latin_names(text)
    names = [n for n in tagged(text, ("nr",)) if not re.search(r"[区市县省委会]$", n.text)]
    seen = {(n.start, n.end) for n in names}
    signed = [
        Mention(m.start("name"), m.end("name"), m.group("name"))
        for m in _AFTER_POST.finditer(text)
        if m.group("name")[0] in SURNAMES
    ]
    names += [
        n
        for n in signed
        if (n.start, n.end) not in seen and not any(a.start < n.end and n.start < a.end for a in names)
    ]
    return _join_ranges(text, sorted(names, key=lambda n: n.start))  # "潘志文、张玛莉和林嘉华" is one answer


def places(text: str) -> list[Mention]:
    """Place names (jieba 'ns')."""
    return tagged(text, ("ns",))


def arabic_numbers(text: str) -> list[str]:
    """Every Arabic number in a text (used to check that answers quote their evidence)."""
    return _NUMBER_WORD.findall(re.sub(r"\[\d+\]", " ", text))
