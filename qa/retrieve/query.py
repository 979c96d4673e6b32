"""Query analysis: a question's language, its BM25 tokens and, for English, the Chinese terms it stands for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qa.index.bm25 import tokenize
from qa.index.embedders import Embedder
from qa.retrieve.terms import chinese_terms, name_terms
from qa.text.script import Lang, detect_lang


@dataclass(frozen=True)
class Query:
    """A question prepared for search: its language, BM25 tokens and (for English) Chinese terms."""

    text: str
    lang: Lang
    tokens: list[str]
    terms: list[tuple[str, float]] = field(default_factory=list)  # Chinese anchors of an English question
    names: list[tuple[str, list[str]]] = field(default_factory=list)  # romanised names found in Chinese
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # the question's embedding


def analyse_query(
    question: str,
    lexicon: Callable[[], dict[str, list[list]]],
    corpus_text: Callable[[], str],
    embedder: Embedder | None,
) -> Query:
    """Language and BM25 tokens; for English, dictionary terms and romanised names found in the corpus
    (added to the tokens, names twice); the question's vector when an embedder is given."""
    lang = detect_lang(question)
    tokens = tokenize(question)
    terms: list[tuple[str, float]] = []
    names: list[tuple[str, list[str]]] = []
    if lang == "en":
        lex = lexicon()
        terms = chinese_terms(question, lex)
        names = name_terms(question, lex, corpus_text())
        for term, _w in terms + [(z, 1.0) for z, _ in names] * 2:
            tokens.extend(t for t in tokenize(term) if len(term) == 1 or len(t) > 1)
    vector = embedder.encode([question])[0] if embedder is not None else None
    return Query(question, lang, tokens, terms, names, vector)
