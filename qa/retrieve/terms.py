"""English question -> Chinese search terms: dictionary lookups in the corpus lexicon and romanised names."""

from __future__ import annotations

import re
from typing import Any

from qa.index.lexicon import PINYIN_KEY
from qa.text.english import content_words, word_variants


def word_candidates(word: str, lexicon: dict[str, list[list]], limit: int = 6) -> list[tuple[str, float]]:
    """Chinese candidates of one English word (any of its base forms), best first."""
    cands: list[list] = []
    for v in word_variants(word):
        cands.extend(lexicon.get(v, []))
    cands.sort(key=lambda x: (-x[1], -(x[2] if len(x) > 2 else len(x[0]))))  # the corpus's own sense first
    if any(len(z) > 1 for z, *_rest in cands):  # a lone character (生, 长) matches far too much beside a word
        cands = [c for c in cands if len(c[0]) > 1]
    out: dict[str, float] = {}
    for z, w, *_count in cands:
        if z not in out and not (len(z) == 1 and w < 1.0):
            out[z] = float(w)
        if len(out) >= limit:
            break
    return list(out.items())


def phrase_entries(first: str, second: str, lexicon: dict[str, list[list]]) -> list[list]:
    """The lexicon's entries for a two-word English phrase (any base forms of either word), best first."""
    keys = (f"{a} {b}" for a in word_variants(first) for b in word_variants(second))
    return next((e for e in (lexicon.get(k, []) for k in keys) if e), [])


def whole_phrases(words: list[str], lexicon: dict[str, list[list]], per_phrase: int = 4) -> list[list[str]]:
    """For each pair of adjacent words the dictionary names whole as one Chinese term ("inbound tourist" ->
    入境游客, "forest coverage" -> 森林覆盖率), those terms."""
    out = []
    for i in range(len(words) - 1):
        terms = [z for z, w, *_count in phrase_entries(words[i], words[i + 1], lexicon)[:per_phrase] if w >= 1.0]
        if terms:
            out.append(terms)
    return out


def chinese_terms(question: str, lexicon: dict[str, list[list]], per_word: int = 4) -> list[tuple[str, float]]:
    """Chinese terms for the English question, with weights; two-word phrases are tried first, and the words of a
    phrase the dictionary names whole get no terms of their own ("migrant workers": 农民工, not 工人 and 民工)."""
    words = content_words(question)
    found: dict[str, float] = {}
    used: set[int] = set()
    whole: set[int] = set()  # words of a phrase the dictionary names whole ("migrant workers" -> 农民工)
    for i in range(len(words) - 1):  # phrases such as "standing committee", "migrant workers" (any base forms)
        for z, w, *_count in phrase_entries(words[i], words[i + 1], lexicon)[:per_word]:
            found[z] = max(found.get(z, 0.0), float(w) * 1.5)
            used.update((i, i + 1))
            if w >= 1.0:
                whole.update((i, i + 1))
    for i, word in enumerate(words):
        if i in whole:
            continue
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


def _spells(word: str, chinese: str, readings: dict[str, set[str]]) -> bool:
    """True when `word` is the pinyin of `chinese` (西夏 -> xixia)."""
    if not chinese:
        return not word
    return any(
        word.startswith(s) and _spells(word[len(s) :], chinese[1:], readings) for s in readings.get(chinese[0], ())
    )


def _english_word(word: str, lexicon: dict[str, list[list]], readings: dict[str, set[str]]) -> bool:
    """True when the dictionary glosses `word` as English (china -> 中国), not only as the pinyin of a word (xixia)."""
    return any(not _spells(word, z, readings) for z, *_rest in lexicon.get(word, []))


def name_terms(question: str, lexicon: dict[str, list[list]], corpus: Any) -> list[tuple[str, list[str]]]:
    """Chinese spellings, found in `corpus`, of capitalised romanised names in an English question. `corpus` is
    the corpus text, or an index with `find_sequences(char_sets)` (the index's character pairs: the cost does
    not grow with the corpus).

    Returns (chinese, english words) pairs, e.g. ("李海峰", ["li", "haifeng"]).
    """
    by_syllable: dict[str, set[str]] = {}
    for pair, _w in lexicon.get(PINYIN_KEY, []):
        ch, syl = pair.split("\t")
        by_syllable.setdefault(syl, set()).add(ch)
    known = set(by_syllable)
    readings: dict[str, set[str]] = {}
    for syl, chars in by_syllable.items():
        for ch in chars:
            readings.setdefault(ch, set()).add(syl)
    out: list[tuple[str, list[str]]] = []
    for run in re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", question):
        words = [w.lower() for w in re.split(r"[ -]", run)]
        while words and _syllables(words[0], known) is None:
            words = words[1:]  # "Who Li Haifeng": drop leading non-pinyin words
        if words and all(_english_word(w, lexicon, readings) for w in words):
            continue  # English words the dictionary knows ("China": 中国), not a romanised name (吃拿)
        parts = [_syllables(w, known) for w in words]
        if not words or any(p is None for p in parts):
            continue
        syls = [s for p in parts for s in p]  # type: ignore[union-attr]
        if len(syls) < 2:
            continue
        if not isinstance(corpus, str):
            out.extend((z, words) for z in sorted(corpus.find_sequences([by_syllable[s] for s in syls])))
            continue
        found = set()
        first = by_syllable[syls[0]]
        for i, ch in enumerate(corpus[: len(corpus) - len(syls) + 1]):
            if ch in first and all(corpus[i + k] in by_syllable[syls[k]] for k in range(1, len(syls))):
                found.add(corpus[i : i + len(syls)])
        out.extend((z, words) for z in sorted(found))
    return out
