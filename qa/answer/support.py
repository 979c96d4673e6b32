"""Does the evidence support each word of a question? Exact match, a dictionary synonym, or shared characters.

Used to judge answerability: a question whose key words the evidence does not support is one the
report probably cannot answer. Synonyms are corpus words that share an English gloss in CC-CEDICT
with the question word (经费 -> 资金), prepared at build time (see translate.build_lexicon).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from qa.answer.question import QUESTION_WORDS
from qa.index.lexicon import SYNONYM_KEY
from qa.text.script import is_cjk_word
from qa.text.segment import load_jieba
from qa.types import Chunk


def question_words(question: str) -> list[str]:
    """Chinese content words of a question (jieba), without interrogatives and one-character words."""
    words = load_jieba().lcut(QUESTION_WORDS.sub(" ", question))
    return list(dict.fromkeys(w for w in words if len(w) >= 2 and is_cjk_word(w)))


class Support:
    """Word support and word weights for one corpus."""

    def __init__(self, lexicon: dict[str, list[list]], chunks: Sequence[Chunk]) -> None:
        """`chunks`: a list of chunks (scanned here), or an index's chunk table that answers `word_df(word)` from
        its postings and `headings(source)` from its document list, so nothing here grows with the corpus."""
        self._synonyms = dict(pair.split("\t") for pair, _w in lexicon.get(SYNONYM_KEY, []))
        self._idf: dict[str, float] = {}
        self._n = len(chunks)
        self._df: Callable[[str], int]
        self._heading: Callable[[str], str]
        if hasattr(chunks, "word_df") and hasattr(chunks, "headings"):
            self._df, self._heading = chunks.word_df, chunks.headings
            return
        texts = [c.text for c in chunks]
        headings: dict[str, str] = {}
        for c in chunks:
            if c.kind == "heading":
                headings[c.source] = headings.get(c.source, "") + "\n" + c.text
        self._df = lambda word: sum(1 for t in texts if word in t)
        self._heading = lambda source: headings.get(source, "")

    def headings(self, source: str) -> str:
        """Every heading of a document (its title, dateline and section titles), joined."""
        return self._heading(source)

    def synonyms(self, word: str) -> list[str]:
        found = self._synonyms.get(word)
        return found.split("|") if found else []

    def word_weight(self, word: str) -> float:
        """Rarer words weigh more; a word the corpus never uses weighs most."""
        if word not in self._idf:
            if len(self._idf) > 100_000:
                self._idf.clear()
            self._idf[word] = math.log(1.0 + self._n / (1.0 + self._df(word)))
        return self._idf[word]

    def supported(self, word: str, evidence: str) -> bool:
        """The word, a synonym, or (for 3+ character words) two thirds of its characters occur in `evidence`."""
        if word in evidence or any(s in evidence for s in self.synonyms(word)):
            return True
        if len(word) == 2 and word[0] == word[1]:  # 弟弟 is 弟, 哥哥 is 哥
            return word[0] in evidence
        if len(word) >= 3:
            return sum(ch in evidence for ch in word) * 3 >= len(word) * 2
        return False

    def cover(self, words: list[str], evidence: str) -> float:
        """idf-weighted share of `words` that `evidence` supports (1.0 when there are no words)."""
        if not words:
            return 1.0
        total = sum(self.word_weight(w) for w in words)
        return sum(self.word_weight(w) for w in words if self.supported(w, evidence)) / total
