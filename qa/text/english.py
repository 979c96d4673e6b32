"""English words: stop words, plausible base forms and the content words of a question."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

STOPWORDS = frozenset(
    """a an the of in on at to for from by with about as into over under and or but not no nor is are was were be been
    being do does did done has have had having how many much what which who whom whose when where why whether
    this that these those there their they them it its he she his her we our us you your i me my
    can could would should will shall may might must than then so such also any all each every some more most
    per via did get got give given make made report reports according document text say said says
    tell please list name number amount total year years time times often
    province city district county region municipality""".split()
)


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


def _plain(text: str) -> str:
    """Lower case without accents (communiqué -> communique), R&D spelt out."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\br\s*&\s*d\b", "research and development", text)


#: "how many people": a noun that only says what is counted in, not what about (the unit carries it).
_COUNTED_IN = re.compile(r"\bhow many (?:people|persons|units|items|pieces)\b")


def content_words(question: str) -> list[str]:
    """Lower-cased English content words of a question, in order."""
    text = _COUNTED_IN.sub("how many", _plain(question))
    return [w for w in _WORD.findall(text) if w not in STOPWORDS and len(w) > 1]
