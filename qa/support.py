"""Does the evidence support each word of a question? Exact match, a dictionary synonym, or shared characters.

Used to judge answerability: a question whose key words the evidence does not support is one the
report probably cannot answer. Synonyms are corpus words that share an English gloss in CC-CEDICT
with the question word (经费 -> 资金), prepared at build time (see translate.build_lexicon).
"""

from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

from .translate import SYNONYM_KEY

#: Interrogatives and fillers that say what is asked, not what about.
_FILLER = re.compile(
    r"多少|几|什么|哪里|哪些|哪个|哪位|哪儿|哪一天|哪一年|哪天|哪|谁|何时|何处|如何|怎么|怎样|是否|吗|呢|请问|一共|总共|共计|"
    r"分别|报告中|报告|文中|根据|提到|其中|有关|关于|情况|期间|名字|叫做|叫|地方|一天|一年"
)


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def question_words(question: str) -> list[str]:
    """Chinese content words of a question (jieba), without interrogatives and one-character words."""
    stripped = _FILLER.sub(" ", question)
    words = _jieba().lcut(stripped)
    return list(dict.fromkeys(w for w in words if len(w) >= 2 and all("\u3400" <= ch <= "\u9fff" for ch in w)))


class Support:
    """Word support and word weights for one corpus."""

    def __init__(self, lexicon: dict[str, list[list]], chunk_texts: list[str]) -> None:
        self._synonyms = dict(pair.split("\t") for pair, _w in lexicon.get(SYNONYM_KEY, []))
        self._texts = chunk_texts
        self._idf: dict[str, float] = {}

    def synonyms(self, word: str) -> list[str]:
        found = self._synonyms.get(word)
        return found.split("|") if found else []

    def idf(self, word: str) -> float:
        """Rarer words weigh more; a word the corpus never uses weighs most."""
        if word not in self._idf:
            n = len(self._texts)
            df = sum(1 for t in self._texts if word in t)
            self._idf[word] = math.log(1.0 + n / (1.0 + df))
        return self._idf[word]

    def supported(self, word: str, evidence: str) -> bool:
        """The word, a synonym, or (for 3+ character words) two thirds of its characters occur in `evidence`."""
        if word in evidence or any(s in evidence for s in self.synonyms(word)):
            return True
        if len(word) >= 3:
            return sum(ch in evidence for ch in word) * 3 >= len(word) * 2
        return False

    def cover(self, words: list[str], evidence: str) -> float:
        """idf-weighted share of `words` that `evidence` supports (1.0 when there are no words)."""
        if not words:
            return 1.0
        total = sum(self.idf(w) for w in words)
        return sum(self.idf(w) for w in words if self.supported(w, evidence)) / total
