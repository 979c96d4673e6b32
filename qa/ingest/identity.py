"""Which document this is, beyond its title: its genre, who issued it, at what level of government, when it was
published and which years' results and targets it gives.

A government work report given in year Y reviews Y-1 (its results) and sets Y's targets; a statistical communiqué
titled "2024年…统计公报" gives 2024's results and is published in 2025. A file may hold several documents of one
series (a city's communiqués for 2021-2024): every title it holds counts. Read from the text at build time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Genres, most specific first: the first found in a title names the document's genre.
GENRES = (
    "政府工作报告",
    "统计公报",
    "普查公报",
    "公报",
    "统计分析报告",
    "工作报告",
    "报告",
    "巡礼",
    "纪要",
    "白皮书",
    "年鉴",
    "规划",
    "总结",
)
#: Genres that report one year's statistics (the year in their title is the year of their figures).
STATISTICAL = frozenset({"统计公报", "普查公报", "公报", "统计分析报告"})
LEVELS = ("national", "province", "city", "district", "county")
#: Words that name the whole country as a level of government.
NATIONAL_WORDS = ("全国", "我国", "国家", "中华人民共和国", "中国", "国务院")
_NATIONAL_ISSUER = re.compile(r"中华人民共和国|国家统计局|国务院|^[^省市区县]{2,12}部$")
_ISSUER = re.compile(
    r"((?:中华人民共和国)?[\u4e00-\u9fff]{0,14}?(?:统计局|人民政府|调查队|普查办公室|办公室|委员会|部|厅|协会))"
)
_SERIES_TITLE = re.compile(
    r"^\s*#*\s*(\S{0,24}?((?:19|20)\d\d)\s*年度?\S{0,30}?(?:统计公报|政府工作报告|公报|报告))\s*$", re.M
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_DATE_ONLY = re.compile(
    r"^(?:发布(?:日期|时间)[:：]\s*)?(?:19|20)\d\d\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|-\d{1,2}-\d{1,2})"
)
_OPENS_ON_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年(?:度)?\s*[是，,]")
_DATE_LINE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年\s*\d{1,2}\s*月|-\d{1,2}-\d{1,2})")


@dataclass(frozen=True)
class Identity:
    """Genre, issuer and level of a document, the year it was published, the years it gives results for and the
    years it sets targets for, and the titles of the documents a series file holds."""

    genre: str = ""
    issuer: str = ""
    level: str = ""
    published: int | None = None
    results: tuple[int, ...] = ()
    targets: tuple[int, ...] = ()
    titles: tuple[str, ...] = ()
    parts: tuple[tuple[int, int], ...] = ()  # a statistical series file: (raw offset, year) where each year starts


def genre_of(title: str) -> str:
    """The most specific genre word of a title ("" when it has none)."""
    compact = re.sub(r"\s+", "", title)
    return next((g for g in GENRES if g in compact), "")


def _titles_at(raw: str) -> list[tuple[int, str, int]]:
    """(offset, title, year) of every line that is a year, a few words and a genre (not a subtitle or sentence)."""
    out = []
    for m in _SERIES_TITLE.finditer(raw):
        title = re.sub(r"\s+", "", m.group(1)).lstrip("#")
        if title[:1] in "—-－" or re.search(r"[，。；：！？,;!?]", title):
            continue  # a subtitle ("——2025年1月15日…的政府工作报告") or a sentence
        out.append((m.start(1), title, int(m.group(2))))
    return out


def series_titles(raw: str) -> list[tuple[str, int]]:
    """Titles (with their year) of the documents a file holds: lines that are a year, a few words and a genre."""
    out: list[tuple[str, int]] = []
    for _at, title, year in _titles_at(raw):
        if (title, year) not in out:
            out.append((title, year))
    return out


def _openings_at(raw: str) -> list[tuple[int, int]]:
    """(offset of the date line, year) of every dated opening (see `dated_openings`)."""
    lines = [(m.start(), m.group().strip()) for m in re.finditer(r"[^\r\n]+", raw) if m.group().strip()]
    out = []
    for i, (_start, line) in enumerate(lines):
        if not _DATE_ONLY.match(line):
            continue
        for _next_start, nxt in lines[i + 1 : i + 3]:
            m = _OPENS_ON_YEAR.match(nxt)
            if m:
                out.append((_block_start(lines, i), int(m.group(1))))
                break
    return out


def _block_start(lines: list[tuple[int, str]], i: int) -> int:
    """Offset of the issuer lines just above date line `i` (南京市统计局 / 国家统计局南京调查队), else of line `i`."""
    j = i
    while j > 0 and i - j < 3 and len(lines[j - 1][1]) <= 30 and _ISSUER.search(lines[j - 1][1]):
        if re.search(r"[，。；：！？,;!?\t]", lines[j - 1][1]):
            break
        j -= 1
    return lines[j][0]


def dated_openings(raw: str) -> list[int]:
    """Years of the documents in a file that are told apart by a date line, not a title: a line that is only a
    date ("2024年3月", "发布日期：2024-04-12"), then within two lines a paragraph opening on a year
    ("2023年是…", "2023年，…")."""
    return sorted({year for _at, year in _openings_at(raw)})


def series_parts(raw: str) -> tuple[tuple[int, int], ...]:
    """Where each year's document starts in a file of statistical documents of several years: (raw offset, year),
    in file order, from titles and dated openings; () when the file holds one year. A part runs to the next."""
    marks = sorted([(at, year) for at, _t, year in _titles_at(raw)] + _openings_at(raw))
    parts: list[tuple[int, int]] = []
    for at, year in marks:
        if not parts or parts[-1][1] != year:
            parts.append((at, year))
    if len({y for _at, y in parts}) < 2:
        return ()
    return ((0, parts[0][1]), *parts[1:])


def issuer_of(opening_lines: Sequence[str], genre: str, places: Sequence[str]) -> str:
    """Who issued the document: an office named on a line of its own near the top (国家统计局, 南京市统计局,
    中华人民共和国人力资源和社会保障部), the government that gives a work report, else ""."""
    for line in opening_lines[:8]:
        text = re.sub(r"\s+", " ", line).strip(" #")
        if not text or len(text) > 40 or re.search(r"[，。；！？]", text):
            continue
        first = _ISSUER.match(text.split(" ")[0])
        if first and first.group(1) == text.split(" ")[0]:
            return first.group(1)
        m = re.match(r"^([\u4e00-\u9fff]{2,12}人民政府)", text)
        if m:
            return m.group(1)
    if genre == "政府工作报告" and places:
        return f"{places[0]}人民政府"
    return ""


def level_of(title: str, issuer: str, places: Sequence[str], province: bool) -> str:
    """national, province, city, district or county ("" when none can be told)."""
    if places:
        p = places[0]
        if province:
            return "province"
        for suffix, level in (("区", "district"), ("县", "county"), ("旗", "county"), ("市", "city"), ("州", "city")):
            if p.endswith(suffix):
                return level
    if _NATIONAL_ISSUER.search(issuer) or any(w in title for w in ("全国", "中华人民共和国")):
        return "national"
    if not places and genre_of(title) in STATISTICAL:
        return "national"  # a communiqué about no place is the country's
    return ""


def published_year(raw: str, title_years: Sequence[int]) -> int | None:
    """The year on the date line near the top (发布时间：2024年08月30日, ——2025年1月14日在…, 2025年3月), else None."""
    for line in raw[:1500].splitlines()[:12]:
        if _SERIES_TITLE.match(line):
            continue
        m = _DATE_LINE.search(line)
        if m:
            return int(m.group(1))
    return None


def identify(raw: str, title: str, places: Sequence[str], province: bool) -> Identity:
    """A document's identity from its raw text, its title and the places it is about (`province`: the first is
    a province-level place)."""
    series = series_titles(raw)
    titles = [t for t, _y in series] or [title]
    genre = genre_of(title) or next((genre_of(t) for t in titles if genre_of(t)), "")
    lines = [ln.strip() for ln in raw[:3000].splitlines() if ln.strip()]
    after = lines[lines.index(title) + 1 :] if title in lines else lines
    issuer = issuer_of(after, genre, places)
    years = sorted({y for _t, y in series} | {int(y) for y in _YEAR.findall(title)})
    if genre in STATISTICAL:
        years = sorted(set(years) | set(dated_openings(raw)))
    published = published_year(raw, years)
    results: tuple[int, ...]
    targets: tuple[int, ...]
    if genre == "政府工作报告" or genre == "工作报告":
        given = published or (max(years) if years else None)
        results = (given - 1,) if given else ()
        targets = (given,) if given else ()
        published = given
    elif genre in STATISTICAL:
        results, targets = tuple(years), ()
        published = published or (max(years) + 1 if years else None)
    else:
        results, targets = tuple(years), ()
    parts = series_parts(raw) if genre in STATISTICAL else ()
    return Identity(
        genre, issuer, level_of(title, issuer, places, province), published, results, targets, tuple(titles), parts
    )
