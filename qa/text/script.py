"""Which script a character or text is written in: the one place that decides "is this Chinese?"."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]

_LATIN = re.compile(r"[A-Za-z]")

CLOSERS = frozenset("”’」』）)】》\"'")  # closing quotes and brackets
OPENERS = frozenset("“‘「『（(【《")
NEUTRAL = frozenset("“”‘’—–…·\"'")  # take their script from their neighbours


def is_han(ch: str) -> bool:
    """A Han ideograph, including the rare extension planes."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF


def is_cjk_char(ch: str) -> bool:
    """A CJK ideograph of the basic planes (what tokenisation and answer checks treat as Chinese)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul or full-width / CJK punctuation (what takes no space next to it)."""
    o = ord(ch)
    return is_han(ch) or 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF or 0xAC00 <= o <= 0xD7AF


def has_cjk(text: str) -> bool:
    """True when `text` holds at least one CJK ideograph."""
    return any(is_cjk_char(ch) for ch in text)


def is_cjk_word(word: str) -> bool:
    """True for a non-empty run of CJK ideographs."""
    return bool(word) and all(is_cjk_char(ch) for ch in word)


def detect_lang(text: str) -> Lang:
    """'zh' when the text is mostly Chinese characters (a CJK char counts as three Latin letters), else 'en'."""
    cjk = sum(1 for ch in text if is_cjk_char(ch))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 3 >= latin else "en"
