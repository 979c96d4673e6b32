"""What a document is about, read at build time: its title, the places and organisations it is about, its years.

Questions that name a place, organisation or year are answered from the documents these identify
(`qa.retrieve.scope`); citations show the title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from qa.text.places import distinctive, place_candidates, province_of, provinces_in, romanise, short_name
from qa.types import Passage

#: Words that mark a heading as a document title.
_TITLE_WORDS = re.compile(
    "|".join("报告 公报 纪要 巡礼 通知 意见 总结 规划 方案 白皮书 年鉴 决定 讲话 综述 条例 办法 简报 汇报".split())
)
#: Organisations a report is by or about, as they are named in titles and openings.
_ORGS = tuple("政协 人大 人民代表大会 人民政府 政府 党委 纪委 法院 检察院 委员会 办公厅 统计局".split())
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
#: Place-like words that say nothing about which report this is.
_GENERIC = frozenset("中国 全国 国家 国际 城市 城镇 农村 乡村 上市 边疆 内地 沿海 东部 西部 中部 东北 地方".split())
OPENING_CHARS = 800  # how much of the start of a document counts as its opening
MENTION_CHARS = 20_000  # how much of a document is read for the places it mentions
MAX_MENTIONS = 30
MIN_PLACE_COUNT = 5  # a place the title does not name must appear this often for the document to be about it


@dataclass(frozen=True)
class DocMeta:
    """A document's title and what identifies it: places (as written), the forms a question may use for them
    (short names, pinyin, English names), organisations and years."""

    title: str
    places: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    mentions: tuple[str, ...] = ()  # short names of places the text mentions anywhere (most frequent first)
    dropped_lines: int = 0  # lines dropped at cleaning as page numbers or running headers (the build log says so)

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None, source: str = "") -> DocMeta:
        if not isinstance(d, dict):
            return cls(title=PurePosixPath(source).stem)
        return cls(
            title=str(d.get("title") or PurePosixPath(source).stem),
            places=tuple(map(str, d.get("places") or ())),
            aliases=tuple(map(str, d.get("aliases") or ())),
            orgs=tuple(map(str, d.get("orgs") or ())),
            years=tuple(int(y) for y in d.get("years") or () if str(y).isdigit()),
            mentions=tuple(map(str, d.get("mentions") or ())),
            dropped_lines=int(d.get("dropped_lines") or 0),
        )


def _title_like(text: str) -> bool:
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    return (
        bool(_TITLE_WORDS.search(text))
        and han >= 4
        and len(text) <= 60
        and text[0] not in "（(—【[<《-"
        and not set(text) & set("、，。；：,;:!?！？")  # a sentence, not a title
    )


def find_title(raw: str, passages: Sequence[Passage], source: str) -> str:
    """The first line of the opening or heading that reads like a title (…报告, …巡礼), else an early heading of
    six characters or more, else the file name without its extension."""
    lines = [ln.strip().lstrip("#").strip() for ln in raw[:3000].splitlines()[:40]]
    headings = [p.text.strip() for p in passages if p.kind == "heading"]
    for text in [ln for ln in lines if ln] + headings:
        if _title_like(text):
            return text
    early = [p.text.strip() for p in passages[:20] if p.kind == "heading"]
    for text in early:
        if 6 <= len(text) <= 60:
            return text
    return PurePosixPath(source).stem


def _places(title: str, opening: str, body: str) -> list[str]:
    """Places in the title, then the place the opening names most often (counting the whole text too)."""
    in_title = [p for p in place_candidates(title) if short_name(p) not in _GENERIC]
    candidates = [p for p in place_candidates(opening) if short_name(p) not in _GENERIC]
    counts: Counter[str] = Counter()
    for p in candidates:
        counts[p] = opening.count(short_name(p)) + body.count(short_name(p)) // 20
    for full in provinces_in(opening):
        counts[full] = max(counts[full], opening.count(short_name(full)) + body.count(short_name(full)) // 20)
    # the opening's most named place, if the whole text keeps naming it: what the document is about
    ranked = [p for p, n in counts.most_common() if n >= 2 and body.count(short_name(p)) >= MIN_PLACE_COUNT]
    places = list(dict.fromkeys(in_title + ranked[:1]))
    # a province and one of its forms (安徽 / 安徽省) are the same place
    out: list[str] = []
    for p in places:
        full = province_of(p) or p
        if all(short_name(full) != short_name(q) for q in out):
            out.append(full)
    return out


def _subtitle(raw: str, title: str) -> str:
    """The line under the title that says when and where it was given ("——2026年1月25日在…会议上")."""
    lines = [ln.strip() for ln in raw[:3000].splitlines() if ln.strip()]
    after = lines[lines.index(title) + 1 :] if title in lines else lines
    return next((ln for ln in after[:4] if ln[:1] in "—（(" or ln.endswith("会议上")), "")


def describe(raw: str, passages: Sequence[Passage], source: str) -> DocMeta:
    """Title, places, organisations and years of a document (its raw text and cleaned passages)."""
    title = find_title(raw, passages, source)
    body = "".join(p.text for p in passages)
    opening = body[:OPENING_CHARS]
    places = _places(title, opening, body)
    aliases: list[str] = []
    for p in places:
        aliases += [p, *([short_name(p)] if distinctive(short_name(p)) else []), *romanise(p)]
    head = title + opening[:200]
    orgs = [o for o in _ORGS if o in head]
    years = sorted({int(y) for y in _YEAR.findall(title + " " + _subtitle(raw, title))})
    mentioned = Counter(short_name(p) for p in place_candidates(body[:MENTION_CHARS]) if short_name(p) not in _GENERIC)
    mentions = tuple(p for p, _n in mentioned.most_common(MAX_MENTIONS))
    return DocMeta(title, tuple(places), tuple(dict.fromkeys(aliases)), tuple(orgs), tuple(years), mentions)
