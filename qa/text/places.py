"""Place names: China's provincial-level divisions (full name, short name, English names), the short form of any
place name (西夏区 -> 西夏), and its romanisation (安徽 -> anhui), so questions in either language can name a report."""

from __future__ import annotations

import re
from functools import lru_cache

#: (full name, short name, English names besides the pinyin of the short name).
PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("北京市", "北京", ("peking",)), ("天津市", "天津", ()), ("上海市", "上海", ()), ("重庆市", "重庆", ("chungking",)),
    ("河北省", "河北", ()), ("山西省", "山西", ()), ("辽宁省", "辽宁", ()), ("吉林省", "吉林", ()),
    ("黑龙江省", "黑龙江", ()), ("江苏省", "江苏", ()), ("浙江省", "浙江", ()), ("安徽省", "安徽", ()),
    ("福建省", "福建", ()), ("江西省", "江西", ()), ("山东省", "山东", ()), ("河南省", "河南", ()),
    ("湖北省", "湖北", ()), ("湖南省", "湖南", ()), ("广东省", "广东", ("canton",)), ("海南省", "海南", ()),
    ("四川省", "四川", ("szechuan", "szechwan")), ("贵州省", "贵州", ()), ("云南省", "云南", ()),
    ("陕西省", "陕西", ("shaanxi",)), ("甘肃省", "甘肃", ()), ("青海省", "青海", ()), ("台湾省", "台湾", ("taiwan",)),
    ("内蒙古自治区", "内蒙古", ("inner mongolia",)), ("广西壮族自治区", "广西", ()), ("西藏自治区", "西藏", ("tibet",)),
    ("宁夏回族自治区", "宁夏", ()), ("新疆维吾尔自治区", "新疆", ()),
    ("香港特别行政区", "香港", ("hong kong",)), ("澳门特别行政区", "澳门", ("macau", "macao")),
)  # fmt: skip

#: Suffixes of administrative units, longest first; the short form drops them (西夏区 -> 西夏).
_SUFFIXES = tuple(
    "维吾尔自治区 壮族自治区 回族自治区 特别行政区 自治区 自治州 自治县 省 市 区 县 州 盟 旗 镇 乡".split()
)
_PLACE_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}(?:" + "|".join(_SUFFIXES) + ")")  # fmt: skip
#: Two-character words ending like a place that are not places ("全省", "城区", "社区").
_NOT_PLACES = frozenset(
    "全省 全市 全区 全县 本省 本市 本区 我省 我市 我区 城区 社区 园区 新区 景区 街区 片区 县区 市区 省市 地区 山区 "
    "牧区 林区 矿区 灾区 自贸区 示范区 开发区 试验区 先行区 合作区 保护区 功能区 产业区 乡镇 城镇 村镇 集镇 重镇 名镇 "
    "特色小镇 市县 省区 州市 盟市 自治区 自治州 自治县 特区 行政区 选区 辖区 校区 厂区 营区".split()
)


COMMON_WORD_FREQ = 1000  # jieba dictionary frequency above which a non-place word is too common to name a place


def short_name(place: str) -> str:
    """The name without its administrative suffix: 安徽省 -> 安徽, 广西壮族自治区 -> 广西, 西夏区 -> 西夏."""
    for full, short, _en in PROVINCES:
        if place in (full, short):
            return short
    for suffix in _SUFFIXES:
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


def distinctive(short: str) -> bool:
    """True when a short place name is not also a common word: '西夏', '银川' are; '中心' (中心区), '和平' are not."""
    if province_of(short) is not None:
        return True
    if len(short) < 2:
        return False
    from qa.text.segment import load_posseg

    dt = load_posseg().dt
    tag = dt.word_tag_tab.get(short)
    return tag is None or tag.startswith("ns") or dt.tokenizer.FREQ.get(short, 0) <= COMMON_WORD_FREQ


def province_of(name: str) -> str | None:
    """The full name of a provincial-level division named by `name` (full or short form), else None."""
    for full, short, _en in PROVINCES:
        if name in (full, short):
            return full
    return None


def provinces_in(text: str) -> list[str]:
    """Full names of the provincial-level divisions a Chinese text names (by full or short form), in order."""
    found: list[tuple[int, str]] = []
    for full, short, _en in PROVINCES:
        at = text.find(short)
        if at >= 0:
            found.append((at, full))
    return [full for _at, full in sorted(found)]


def place_candidates(text: str) -> list[str]:
    """Provinces a text names (by full or short form), then words jieba segments whole that end like an
    administrative unit (西夏区, 银川市, 柳州市)."""
    from qa.text.segment import load_jieba

    words = [
        w
        for w in load_jieba().lcut(text)
        if _PLACE_WORD.fullmatch(w) and w not in _NOT_PLACES and not any(w.endswith(x) for x in _NOT_PLACES)
    ]
    return list(dict.fromkeys(provinces_in(text) + [w for w in words if province_of(w) is None]))


@lru_cache(maxsize=4096)
def romanise(name: str) -> tuple[str, ...]:
    """English spellings of a place: its pinyin without tones ('anhui'), and the customary English names."""
    from pypinyin import lazy_pinyin

    def pinyin(text: str) -> str:
        return "".join(lazy_pinyin(text)).lower()

    out: list[str] = []
    own = pinyin(short_name(name))
    for full, short, english in PROVINCES:
        if name in (full, short):
            out.extend(english)
            # 陕西 and 山西 are both "shanxi" in pinyin: the one with its own English name (Shaanxi) gives it up
            if english and any(pinyin(s) == own for f, s, _e in PROVINCES if f != full):
                own = ""
    out.append(own)
    return tuple(dict.fromkeys(x for x in out if x.isascii() and len(x) >= 3))
