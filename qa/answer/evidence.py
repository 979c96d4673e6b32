"""Evidence: how much of a question a piece of text covers, and the retrieved sentences ranked by it.

Chinese questions are covered by their weighted BM25 tokens (and, beside them, whole jieba words);
English questions by their dictionary terms, romanised names and numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.answer.question import QuestionInfo
from qa.answer.tables import row_context
from qa.answer.units import measure_word
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex
from qa.retrieve.query import Query
from qa.retrieve.terms import word_candidates
from qa.text.english import content_words, word_variants
from qa.text.sentences import split_sentences
from qa.text.tokens import tokenize
from qa.types import Hit

WordCover = Callable[[str], float]


@dataclass(frozen=True)
class Candidate:
    """An evidence sentence [start, end) of hit `hit_rank`, with how well it covers the question."""

    hit_rank: int
    start: int
    end: int
    cover: float
    score: float


_NAME_RUN = re.compile(r"(?<=[\s(\"“])[A-Z][A-Za-z]*(?:'s)?(?:\s+(?:of|and|the|for|de|[A-Z][A-Za-z]*(?:'s)?))*")


def unknown_names(query: Query, lexical: LexicalIndex, lexicon: dict, name_words: set[str]) -> int:
    """Capitalised names in an English question ("France", "Barack Obama") that the corpus has no trace of:
    no dictionary translation present, no romanised match, not written in the text itself."""
    unknown = 0
    for run in _NAME_RUN.findall(query.text):
        words = [w.lower().removesuffix("'s") for w in re.findall(r"[A-Z][A-Za-z]*(?:'s)?", run)]
        if not any(
            w in name_words or lexical.df(w) or any(len(z) > 1 for z, _ in word_candidates(w, lexicon)) for w in words
        ):
            unknown += 1
    return unknown


def _phrase_candidates(pair: list[str], lexicon: dict) -> list[str]:
    """Chinese words of this corpus glossed by the two English words together ("unemployment rates" -> 失业率)."""
    first, second = pair
    for variant in word_variants(second):
        found = [z for z, w, *_n in lexicon.get(f"{first} {variant}", []) if w >= 1.0 and len(z) > 1]
        if found:
            return found[:6]
    return []


def _word_candidates(word: str, lexicon: dict) -> list[str]:
    """Chinese words for one English word (a lone character only when there is nothing longer); a hyphenated word
    the dictionary lacks by its parts ("government-subsidized": government, subsidized)."""
    cands = [z for z, _w in word_candidates(word, lexicon)] or measure_word(word)
    if not cands and "-" in word:
        cands = [z for part in word.split("-") if len(part) > 2 for z, _w in word_candidates(part, lexicon)]
    if any(len(z) > 1 for z in cands):  # one character such as 案 matches too much
        cands = [z for z in cands if len(z) > 1]
    return cands


def _absorbed(word: str, i: int, phrases: dict[int, list[str]], glossed: list[str], lexicon: dict) -> bool:
    """Is `word`, next to a glossed phrase, already said by the phrase's Chinese ("new" beside "urban jobs":
    新 is in 城镇新增就业)?"""
    if not (i + 1 in phrases or i - 2 in phrases):
        return False
    own = {z for v in word_variants(word) for z, *_rest in lexicon.get(v, [])}
    return any(z in g for z in own for g in glossed)


class QuestionCover:
    """What each question token (zh) or content word (en) is worth, and how to spot it in text."""

    def __init__(self, query: Query, info: QuestionInfo, lexical: LexicalIndex, lexicon: dict) -> None:
        self.groups: list[tuple[float, list[str]]] = []  # (weight, alternatives)
        self.lexicon = lexicon
        self.unknown_names = 0  # capitalised English words the corpus has no trace of ("France")
        if query.lang == "zh":
            for t in info.topic_tokens:
                idf = lexical.idf(t) if lexical.df(t) else lexical.idf("\0") * 1.2
                self.groups.append(((1.0 if len(t) > 1 else 0.25) * idf, [t]))
        else:
            self._english(query, lexical, lexicon)
        self.total = sum(w for w, _ in self.groups) or 1.0

    def _english(self, query: Query, lexical: LexicalIndex, lexicon: dict) -> None:
        name_words = {w for _z, ws in query.names for w in ws}
        self.unknown_names = unknown_names(query, lexical, lexicon, name_words)
        spellings: dict[tuple[str, ...], list[str]] = {}  # one name, however many spellings the corpus has
        for z, ws in query.names:
            spellings.setdefault(tuple(ws), []).append(z)
        for zs in spellings.values():
            self.groups.append((max(lexical.idf(t) for z in zs for t in tokenize(z)) * 1.5, zs))
        words = [w for w in content_words(query.text) if w not in name_words]
        phrases: dict[int, list[str]] = {}  # a two-word gloss ("unemployment rate" -> 失业率) says more than its words
        i = 0
        while i + 1 < len(words):
            phrase = _phrase_candidates(words[i : i + 2], lexicon)
            if phrase:
                phrases[i] = phrase
            i += 2 if phrase else 1
        in_phrase = {j for i in phrases for j in (i, i + 1)}
        glossed = [z for zs in phrases.values() for z in zs]
        for i, word in enumerate(words):
            if i in phrases:
                cands = phrases[i]
            elif i in in_phrase or _absorbed(word, i, phrases, glossed, lexicon):
                continue
            else:
                cands = _word_candidates(word, lexicon)
            idfs = [lexical.idf(t) for z in cands for t in tokenize(z) if len(t) > 1 or len(z) == 1]
            self.groups.append((max(idfs) if idfs else lexical.idf("\0"), cands or [word]))
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", query.text):  # Chinese words the asker wrote in (新农合参合率)
            for t in dict.fromkeys(t for t in tokenize(run) if len(t) > 1):
                self.groups.append((lexical.idf(t) if lexical.df(t) else lexical.idf("\0") * 1.2, [t]))
        for num in re.findall(r"\d+", query.text):
            self.groups.append((lexical.idf(num), [num]))

    def cover(self, text: str, single_char_credit: float = 1.0) -> float:
        """Weighted share of the question found in `text`; a group matched only by a lone character
        (点, 开: weak evidence) earns `single_char_credit`."""
        if not self.groups:
            return 0.0
        total = 0.0
        text = text.lower()  # English alternatives are lower-case; Chinese is unaffected
        for w, alts in self.groups:
            found = [a for a in alts if a in text]
            if found:
                total += w * (1.0 if any(len(a) > 1 for a in found) else single_char_credit)
        return total / self.total

    def positions(self, text: str) -> list[int]:
        """Where matched question pieces sit in `text` (their end offsets)."""
        text = text.lower()
        out: list[int] = []
        for _w, alts in self.groups:
            for a in alts:
                if len(a) > 1 or not text:
                    out.extend(m.end() for m in re.finditer(re.escape(a), text))
        return out


def rank_sentences(
    hits: Sequence[Hit], cover: QuestionCover, weights: AnswerWeights, words: WordCover | None = None
) -> list[Candidate]:
    """Every sentence of the hits, best first, scored by what it covers itself and with its context.

    The context (the chunk's context line, its first sentence and the previous one) often holds the
    subject that the answer sentence leaves out ("黄鳍紫鱼……。以其他鱼类为食。"), so coverage is measured on both.
    """

    def covered(text: str) -> float:
        own = cover.cover(text)
        return own if words is None else (1 - weights.word_share) * own + weights.word_share * words(text)

    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        spans = split_sentences(text)
        for i, (s, e) in enumerate(spans):
            row = row_context(hit.chunk, text[s:e])  # a table row is read with its caption and header
            own = covered(f"{row}\n{text[s:e]}" if row else text[s:e])
            context = hit.chunk.context + "".join(
                text[a:b] for a, b in {spans[0], spans[max(0, i - 1)]} if (a, b) != (s, e)
            )
            with_context = covered(context + text[s:e]) if context else own
            score = weights.context_share * with_context + (1 - weights.context_share) * own
            out.append(Candidate(rank, s, e, own, score + weights.hit_score * hit.score - weights.rank_step * rank))
    return sorted(out, key=lambda c: -c.score)
