"""How a question names a document other than by place: by words of its title (文化和旅游发展, 工业普查), its genre
(统计公报, 政府工作报告), its issuer (国家统计局, 人社部), the country as a whole (全国, 我国), and which year's
report or figures it means (a 2025 report gives 2024's results and 2025's targets)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from qa.ingest.identity import STATISTICAL
from qa.ingest.metadata import DocMeta
from qa.text.places import short_name

#: Words that name the whole country (a national document, when the question names no place).
NATIONAL = ("全国", "我国", "中华人民共和国", "nationwide", "national")
#: Short forms of issuers, and their English names, as people write them.
ISSUER_ALIASES = {
    "人力资源和社会保障部": ("人社部", "Ministry of Human Resources and Social Security", "MOHRSS"),
    "文化和旅游部": ("文旅部", "Ministry of Culture and Tourism"),
    "国家统计局": ("统计局", "National Bureau of Statistics"),
}
#: The genres a genre word in a question stands for.
GENRE_FAMILIES = {
    "政府工作报告": ("政府工作报告",),
    "工作报告": ("政府工作报告", "工作报告"),
    "统计公报": ("统计公报", "公报", "普查公报"),
    "公报": tuple(STATISTICAL),
    "统计分析报告": ("统计分析报告",),
    "government work report": ("政府工作报告",),
    "communiqué": tuple(STATISTICAL),
    "communique": tuple(STATISTICAL),
    "statistical": tuple(STATISTICAL),
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: A year that names a report rather than the year of a figure: "2025年政府工作报告", "2023年度…统计公报".
_REPORT_YEAR = re.compile(
    r"((?:19|20)\d\d)\s*年度?[\u4e00-\u9fff]{0,14}?(?:政府工作报告|统计公报|公报|报告)"
    r"|((?:19|20)\d\d)\s+(?:(?!(?:according|per|in|from|by|to|of|the|its|was|were)\b)[A-Za-z]+\s+){0,5}?"
    r"(?:report|communiqu[eé]|bulletin)\b",
    re.I,
)
#: A figure asked as a target, not a result.
_TARGET = re.compile(r"目标|预期|计划|力争|打算|target|plan|aim", re.I)
MIN_TITLE_WORD = 4


def title_words(meta: DocMeta) -> list[str]:
    """The distinctive Chinese stretches of a document's titles: without years, places and the genre word (Latin
    words are left out: four letters of a file name would match inside any English word)."""
    out = []
    for title in meta.titles or (meta.title,):
        rest = _YEAR.sub(" ", title).replace("年度", " ").replace("年", " ")
        for place in meta.places:
            rest = rest.replace(place, " ").replace(short_name(place), " ")
        if meta.genre:
            rest = rest.replace(meta.genre, " ")
        out += [w for w in re.findall(r"[\u4e00-\u9fff]+", rest) if len(w) >= MIN_TITLE_WORD]  # Chinese runs
    return list(dict.fromkeys(out))


def named_by_title(question: str, meta: DocMeta) -> list[str]:
    """The parts of the document's title words the question uses (four characters in a row or more)."""
    found = []
    for word in title_words(meta):
        best = ""
        for i in range(len(word) - MIN_TITLE_WORD + 1):
            for j in range(len(word), i + MIN_TITLE_WORD - 1, -1):
                if j - i > len(best) and word[i:j] in question:
                    best = word[i:j]
                    break
        if best:
            found.append(best)
    return found


#: Characters that join two rendered words inside a title ("文化和旅游": culture and tourism).
_JOINERS = "和与及"


def named_by_rendering(rendered: Sequence[str], meta: DocMeta) -> list[str]:
    """For an English question: the stretches of the document's title words that the Chinese renderings of its
    words (`rendered`, two characters or more each) cover in a row, four characters or more ("third national
    industrial census" -> 三次全国工业普查; "culture and tourism" -> 文化和旅游, a joiner between two covered words
    counted)."""
    terms = [t for t in rendered if len(t) >= 2]
    found = []
    for word in title_words(meta):
        covered = [False] * len(word)
        for term in terms:
            for m in re.finditer(re.escape(term), word):
                covered[m.start() : m.end()] = [True] * len(term)
        for i in range(1, len(word) - 1):
            if word[i] in _JOINERS and covered[i - 1] and covered[i + 1]:
                covered[i] = True
        marks = "".join("1" if c else "0" for c in covered)
        run = max((m.span() for m in re.finditer("1+", marks)), key=lambda r: r[1] - r[0], default=(0, 0))
        if run[1] - run[0] >= MIN_TITLE_WORD:
            found.append(word[run[0] : run[1]])
    return found


def named_by_issuer(question: str, meta: DocMeta) -> list[str]:
    """The issuer as the question names it (full, without 中华人民共和国, or a common short form)."""
    if not meta.issuer:
        return []
    short = meta.issuer.removeprefix("中华人民共和国")
    names = [meta.issuer, short, *ISSUER_ALIASES.get(short, ())]
    lowered = question.lower()  # English names in any case ("ministry of culture and tourism")
    return [n for n in dict.fromkeys(names) if len(n) >= 3 and n.lower() in lowered][:1]


def genre_named(question: str) -> tuple[str, tuple[str, ...]] | None:
    """The genre word a question uses and the genres it stands for, most specific first."""
    lowered = question.lower()
    for word in sorted(GENRE_FAMILIES, key=len, reverse=True):
        if word in lowered:
            return word, GENRE_FAMILIES[word]
    return None


def national(question: str) -> list[str]:
    """The words naming the whole country in the question."""
    lowered = question.lower()
    return [w for w in NATIONAL if w in lowered]


def named_by_title_or_issuer(question: str, meta: DocMeta, rendered: Sequence[str] = ()) -> list[str]:
    """The title words (or, for an English question, their renderings: `rendered`) and issuer a question names."""
    titles = named_by_rendering(rendered, meta) if rendered else named_by_title(question, meta)
    return titles + named_by_issuer(question, meta)


def named_documents(question: str, metas: Mapping[str, DocMeta], rendered: Sequence[str] = ()) -> dict[str, list[str]]:
    """Documents a question names by title words or issuer, else (naming the whole country) the national ones."""
    out: dict[str, list[str]] = {}
    for source, meta in metas.items():
        names = named_by_title_or_issuer(question, meta, rendered)
        if names:
            out[source] = names
    if not out:
        words = national(question)
        if words:
            out = {s: words for s, m in metas.items() if m.level == "national"}
    return out


def by_genre(sources: Sequence[str], metas: Mapping[str, DocMeta], question: str) -> tuple[list[str], list[str]]:
    """The documents of the genre the question names (all when it names none)."""
    found = genre_named(question)
    if found is None:
        return list(sources), []
    word, family = found
    kept = [s for s in sources if metas[s].genre in family]
    return (kept, [word]) if kept else (list(sources), [])


def by_year(sources: Sequence[str], metas: Mapping[str, DocMeta], question: str) -> tuple[list[str], list[str]]:
    """The documents of the year the question names: the report of that year when it names a report's year
    ("2025年政府工作报告"), else those giving that year's targets (when a target is asked) or results."""
    years = {int(y) for y in _YEAR.findall(question)}
    if not years:
        return list(sources), []
    report_years = {int(a or b) for a, b in _REPORT_YEAR.findall(question)}
    tests = []
    if report_years:
        tests.append(lambda m: bool(report_years & ({m.published} | set(m.years))))
    if _TARGET.search(question):
        tests.append(lambda m: bool(years & set(m.targets)))
    tests += [lambda m: bool(years & set(m.results)), lambda m: bool(years & (set(m.years) | {m.published}))]
    for test in tests:
        kept = [s for s in sources if test(metas[s])]
        if kept:
            return kept, [str(y) for y in sorted(years)]
    return list(sources), []
