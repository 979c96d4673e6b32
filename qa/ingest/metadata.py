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

from qa.ingest.identity import identify
from qa.text.places import distinctive, place_candidates, province_of, provinces_in, romanise, short_name
from qa.types import Passage

#: Words that mark a heading as a document title.
_TITLE_WORDS = re.compile(
    "|".join("报告 公报 纪要 巡礼 通知 意见 总结 规划 方案 白皮书 年鉴 决定 讲话 综述 条例 办法 简报 汇报".split())
)
#: Organisations a report is by or about, as they are named in titles and openings.
_ORGS = tuple("政协 人大 人民代表大会 人民政府 政府 党委 纪委 法院 检察院 委员会 办公厅 统计局".split())
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_CONGRESS = re.compile(r"^[—\-－]+\s*(?:19|20)\d\d\s*年.{0,30}人民代表大会.{0,20}会议上")
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
    genre: str = ""  # 政府工作报告, 统计公报, 公报, 报告 ... (qa.ingest.identity.GENRES)
    issuer: str = ""  # 国家统计局, 南京市统计局, 湖南省人民政府 ...
    level: str = ""  # national, province, city, district, county
    published: int | None = None  # the year it was given or published
    results: tuple[int, ...] = ()  # the years whose results it reports (a 2025 work report: 2024)
    targets: tuple[int, ...] = ()  # the years it sets targets for (a 2025 work report: 2025)
    titles: tuple[str, ...] = ()  # the titles of the documents a series file holds (else its one title)
    parts: tuple[tuple[int, int], ...] = ()  # a file of several years' communiqués: (raw offset, year) of each

    def year_at(self, offset: int) -> int | None:
        """The year of the part of a series file that raw `offset` lies in (None for a file of one year)."""
        year = None
        for at, y in self.parts:
            if at > offset:
                break
            year = y
        return year

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def about(self) -> str:
        """One line of what identifies it: genre, level, issuer, the year given, the years of its figures."""
        parts = [self.genre, self.level, self.issuer]
        if self.published:
            parts.append(f"given {self.published}")
        if self.results:
            parts.append("results " + ",".join(map(str, self.results)))
        if self.targets:
            parts.append("targets " + ",".join(map(str, self.targets)))
        return " · ".join(p for p in parts if p)

    @property
    def speaks_for(self) -> tuple[int, ...]:
        """The years it speaks for: those it gives results or targets for, else its title's years and the years
        before them (an annual report looks back on the year before)."""
        if self.results or self.targets:
            return tuple(sorted({*self.results, *self.targets}))
        return tuple(sorted({*self.years, *(y - 1 for y in self.years)}))

    @property
    def label(self) -> str:
        """The title, with the place and year put in front when it names neither ("政府工作报告" of Hailar
        2017 -> "海拉尔区2017年政府工作报告"): what tells documents apart in a note or a list."""
        place = self.places[0] if self.places else ""
        year = (
            self.published if self.genre in ("政府工作报告", "工作报告") else (max(self.years) if self.years else None)
        )
        named_place = not place or short_name(place) in self.title
        named_year = year is None or str(year) in self.title
        if named_place and named_year:
            return self.title
        return f"{'' if named_place else place}{'' if named_year else f'{year}年'}{self.title}"

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
            genre=str(d.get("genre") or ""),
            issuer=str(d.get("issuer") or ""),
            level=str(d.get("level") or ""),
            published=int(d["published"]) if str(d.get("published") or "").isdigit() else None,
            results=_years(d.get("results")),
            targets=_years(d.get("targets")),
            titles=tuple(map(str, d.get("titles") or ())),
            parts=_parts(d.get("parts")),
        )


def _parts(value: Any) -> tuple[tuple[int, int], ...]:
    try:
        return tuple((int(at), int(year)) for at, year in value or ())
    except (TypeError, ValueError):
        return ()


def _years(value: Any) -> tuple[int, ...]:
    return tuple(int(y) for y in value or () if str(y).isdigit())


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
    lines = [_unspaced(ln.strip().lstrip("#").strip()) for ln in raw[:3000].splitlines()[:40]]
    headings = [p.text.strip() for p in passages if p.kind == "heading"]
    for text in [ln for ln in lines if ln] + headings:
        if _title_like(text):
            return text
    if any(_CONGRESS.match(ln) for ln in lines[:6]):  # "——2017年2月11日在…人民代表大会…会议上": a work report
        return "政府工作报告"
    early = [p.text.strip() for p in passages[:20] if p.kind == "heading"]
    for text in early:
        if 6 <= len(text) <= 60 and text[0] not in "—-－":
            return text
    return PurePosixPath(source).stem


def _unspaced(line: str) -> str:
    """A title letter-spaced for show ("政 府 工 作 报 告") as written plainly."""
    return re.sub(r"(?<=[一-鿿])[ 　]+(?=[一-鿿])", "", line)


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
    who = identify(raw, title, places, bool(places) and province_of(places[0]) == places[0])
    years = sorted(set(years) | {y for t in who.titles for y in map(int, _YEAR.findall(t))})
    return DocMeta(
        title,
        tuple(places),
        tuple(dict.fromkeys(aliases)),
        tuple(orgs),
        tuple(years),
        mentions,
        genre=who.genre,
        issuer=who.issuer,
        level=who.level,
        published=who.published,
        results=who.results,
        targets=who.targets,
        titles=who.titles,
        parts=who.parts,
    )
