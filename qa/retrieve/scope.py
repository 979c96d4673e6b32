"""Which documents a question is about: the ones whose place it names (安徽, Anhui, 西夏区), narrowed by a year or
organisation it names when several share the place, or the ones the user picked by hand."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qa.errors import InputError
from qa.ingest.metadata import DocMeta
from qa.retrieve.naming import by_genre, by_year, genre_named, named_by_title_or_issuer, named_documents
from qa.text.places import PROVINCES, romanise, short_name
from qa.text.script import has_cjk

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Scope:
    """The documents to search (None: all) and why: the names in the question that chose them."""

    sources: tuple[str, ...] | None = None
    named: tuple[str, ...] = ()  # the names in the question that chose them (places, longest first; years; orgs)
    titles: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()  # provinces the question names that no indexed document is about
    years: tuple[int, ...] = ()  # the years the question names: a series file is searched in those years' parts

    @property
    def scoped(self) -> bool:
        return self.sources is not None


def _named(alias: str, question: str, lowered: str) -> bool:
    if has_cjk(alias):
        return alias in question
    return re.search(rf"(?<![a-z]){re.escape(alias)}(?:'s)?(?![a-z])", lowered) is not None


def _by_title_or_issuer(
    sources: Sequence[str], metas: Mapping[str, DocMeta], question: str, rendered: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    named = {s: named_by_title_or_issuer(question, metas[s], rendered) for s in sources}
    kept = [s for s in sources if named[s]]
    return (kept, sorted({n for s in kept for n in named[s]}, key=len, reverse=True)) if kept else (list(sources), [])


def _by_org(sources: Sequence[str], metas: Mapping[str, DocMeta], question: str) -> tuple[list[str], list[str]]:
    kept = [s for s in sources if any(o in question for o in metas[s].orgs if o not in ("政府", "人民政府"))]
    return (kept, [o for o in metas[kept[0]].orgs if o in question]) if kept else (list(sources), [])


def _narrow(
    sources: list[str], metas: Mapping[str, DocMeta], question: str, rendered: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """Among the documents a question names, the ones of the genre, title words or issuer, year and organisation
    it names (each step only when it keeps some); the words that chose them."""
    why: list[str] = []

    def by_title(s: Sequence[str], m: Mapping[str, DocMeta], q: str) -> tuple[list[str], list[str]]:
        return _by_title_or_issuer(s, m, q, rendered)

    for step in (by_genre, by_title, by_year, _by_org):
        kept, names = step(sources, metas, question)
        if kept and names:
            sources, why = kept, why + names
    return sources, why


LOOSE_MIN = 6  # romanisations this long may be matched one letter short (Hunan/Henan differ by one letter too)


class _AliasIndex:
    """The aliases and mentioned places of a document set, inverted once, so finding the documents a question
    names costs the question's length, not the number of documents."""

    def __init__(self, metas: Mapping[str, DocMeta]) -> None:
        self.cjk: dict[str, set[str]] = {}
        self.latin: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}  # a long romanisation less one letter: "hailar" for hailaer (海拉尔)
        self.by_mention: dict[str, list[str]] = {}
        for source, meta in metas.items():
            for a in meta.aliases:
                if has_cjk(a):
                    self.cjk.setdefault(a, set()).add(source)
                elif a:  # matched against the lowered question as written, as `_named` does
                    self.latin.setdefault(a, set()).add(source)
                    for k in range(1, len(a) - 1) if len(a) >= LOOSE_MIN else ():
                        self.loose.setdefault(a[:k] + a[k + 1 :], set()).add(source)
            if not meta.places:
                for p in meta.mentions:
                    self.by_mention.setdefault(p, []).append(source)
        self.known = {a for m in metas.values() for a in m.aliases}
        self.max_cjk = max((len(a) for a in self.cjk), default=0)
        self.max_latin = max((len(a) for a in self.latin), default=0)

    def named(self, question: str, lowered: str) -> dict[str, set[str]]:
        """source -> the aliases of it the question names (as `_named` decides)."""
        hits: dict[str, set[str]] = {}
        n = len(question)
        for i in range(n):
            for j in range(i + 1, min(n, i + self.max_cjk) + 1):
                for source in self.cjk.get(question[i:j], ()):
                    hits.setdefault(source, set()).add(question[i:j])
        if self.latin:
            m = len(lowered)
            for i in range(m):
                if i and "a" <= lowered[i - 1] <= "z":
                    continue
                for j in range(i + 1, min(m, i + self.max_latin) + 1):
                    if j < m and "a" <= lowered[j] <= "z":
                        continue
                    for source in self.latin.get(lowered[i:j], ()):
                        hits.setdefault(source, set()).add(lowered[i:j])
        if self.loose:  # a word spelt as people write it, one letter short of the pinyin ("Hailar")
            for word in set(re.findall(r"[a-z]+", lowered)):
                for source in self.loose.get(word, ()) if word not in self.latin else ():
                    hits.setdefault(source, set()).add(word)
        return hits


_INDEXES: list[tuple[Mapping[str, DocMeta], int, _AliasIndex]] = []


def _alias_index(metas: Mapping[str, DocMeta]) -> _AliasIndex:
    for m, n, index in _INDEXES:
        if m is metas and n == len(metas):
            return index
    index = _AliasIndex(metas)
    _INDEXES[:] = [(metas, len(metas), index)] + _INDEXES[:3]
    return index


def _unknown_provinces(question: str, lowered: str, metas: Mapping[str, DocMeta]) -> list[str]:
    known = _alias_index(metas).known
    out = []
    latin = any("a" <= ch <= "z" for ch in lowered)  # romanised names need Latin letters (and pypinyin: 1.5 s cold)
    for full, short, _english in PROVINCES:
        names = (full, short, *(romanise(full) if latin else ()))
        if any(_named(n, question, lowered) for n in names) and not any(n in known for n in names):
            out.append(short)
    return out


def find_scope(question: str, metas: Mapping[str, DocMeta], rendered: Sequence[str] = ()) -> Scope:
    """The documents a question names by place (then year or organisation); all documents when it names none.
    `rendered`: an English question's words in Chinese (the corpus lexicon's), to find the title words it names."""
    lowered = question.lower()
    years = tuple(sorted({int(y) for y in _YEAR.findall(question)}))
    index = _alias_index(metas)
    hits = index.named(question, lowered)
    matched: dict[str, list[str]] = {}
    for source, found in hits.items():
        names = [a for a in metas[source].aliases if a in found] + sorted(found - set(metas[source].aliases))
        if names:
            matched[source] = names
    unknown = tuple(_unknown_provinces(question, lowered, metas))
    own = sorted(matched)  # documents of a place the question names
    places = {short_name(p) for s in matched for p in metas[s].places}
    for place in sorted(places):  # a document about no place of its own may still be about this one
        for source in index.by_mention.get(place, ()):
            if source not in matched:
                matched[source] = sorted(places & set(metas[source].mentions))
    if not matched:  # no place named: a title, an issuer, the whole country
        matched = named_documents(question, metas, rendered)
    if not matched and (genre_named(question) or _YEAR.search(question)):
        matched = {s: [] for s in metas}  # a genre or a year alone may still pick some
    if not matched:
        return Scope(unknown_places=unknown, years=years)
    sources, why = _narrow(sorted(matched), metas, question, rendered)
    national = {s for s in sources if s not in own and metas[s].level == "national"}
    if own and national and set(sources) & set(own):
        # a national document that mentions the place (a ranking of provinces) stays only when the question also
        # names it otherwise (its title, genre or issuer)
        mine, mine_why = _narrow([s for s in sources if s not in national], metas, question, rendered)
        if len(mine_why) >= len(why):
            sources, why = mine, mine_why
    if len(sources) == len(metas):
        return Scope(unknown_places=unknown, years=years)
    named = tuple(sorted({n for s in sources for n in matched[s]}, key=len, reverse=True))
    named += tuple(w for w in why if w not in named)
    return Scope(tuple(sources), named, tuple(metas[s].label for s in sources), unknown, years)


def pick_documents(wanted: Iterable[str], metas: Mapping[str, DocMeta]) -> Scope:
    """The documents a user named by hand (file name, part of it, or part of the title); InputError for none."""
    sources: list[str] = []
    for name in wanted:
        hits = [s for s in metas if s == name] or [
            s for s, m in metas.items() if name.lower() in s.lower() or (name and name in m.title)
        ]
        if not hits:
            known = ", ".join(sorted(metas)[:5]) + (" …" if len(metas) > 5 else "")
            raise InputError(f"no indexed document matches {name!r} (documents: {known})")
        sources.extend(h for h in hits if h not in sources)
    return Scope(tuple(sources), tuple(wanted), tuple(metas[s].label for s in sources))


def describe_scope(scope: Scope, lang: str, limit: int = 3) -> str:
    """The searched documents, for a not-found message: '《2026年安徽省政府工作报告》' / '“2026年…报告”'."""
    titles: Sequence[str] = scope.titles[:limit]
    more = len(scope.titles) - len(titles)
    if lang == "zh":
        text = "、".join(f"《{t}》" for t in titles)
        return text + (f"等{len(scope.titles)}份文档" if more > 0 else "")
    text = ", ".join(f"“{t}”" for t in titles)
    return text + (f" and {more} more" if more > 0 else "")
