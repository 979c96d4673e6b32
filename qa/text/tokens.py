"""The BM25 tokenizer: character unigrams and bigrams for CJK runs, whole numbers and Latin words.

Its output is stored in every index's postings, so `TOKENIZER_VERSION` names it in the manifest: change what
`tokenize` returns and `tests/index/test_contract.py` fails until the version is bumped (old indexes then rebuild).
"""

from __future__ import annotations

import re
import unicodedata

#: Bump when `tokenize` gives other tokens for any text (then update tests/index/contract.json).
TOKENIZER_VERSION = 1

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+(?:'[a-z]+)?")

#: Frequent function characters that only add noise as unigrams.
_STOP_UNIGRAMS = set("的了和与及在是为对把被等个之其这那有于以也并而或中上下")


def normalise_text(text: str) -> str:
    """Fold full-width forms and case, so '２０２４' matches '2024' and 'CT' matches 'ct'."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    """CJK runs -> unigrams (minus stop characters) + bigrams; numbers and Latin words whole."""
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(normalise_text(text)):
        run = m.group()
        if "\u3400" <= run[0] <= "\ufaff":
            tokens.extend(ch for ch in run if ch not in _STOP_UNIGRAMS)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def is_cjk_token(token: str) -> bool:
    """A CJK unigram or bigram (stored as a number rather than a string)."""
    return 0 < len(token) <= 2 and all("\u3400" <= ch <= "\ufaff" for ch in token)


def token_code(token: str) -> int:
    """A CJK unigram or bigram as one integer: first code point << 21 | second (0 for a unigram)."""
    return (ord(token[0]) << 21) | (ord(token[1]) if len(token) > 1 else 0)
