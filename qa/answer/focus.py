"""The words a question turns on: those beside its interrogative ("秘书长是谁" -> 秘书长, "哪一年出生" -> 出生,
"Who is the vice chairman" -> vice, chairman). Evidence that supports none of them answers another question."""

from __future__ import annotations

import re

from qa.text.english import STOPWORDS, content_words
from qa.text.script import is_cjk_word
from qa.text.segment import load_jieba

_ASK = re.compile(r"^(?:多少|几\w?|什么|哪\w{0,2}|谁|何时|何处|何人|怎样|怎么|如何|是否)$")
#: Words between a focus word and the interrogative that carry no content ("秘书长是谁", "产量是多少").
_LINK = frozenset(
    "是 为 的 了 有 在 达 达到 共 共有 一共 总共 分别 约 大约 叫 叫做 称为 由 被 能 会 要 将 还 又 是否 吗 呢 到 增至"
    "".split()
)
#: What an English question asks about: the words after its interrogative, up to a preposition, a verb or punctuation.
#: Blank runs are atomic and the phrase at most 120 characters: they made it backtrack polynomially on long blank
#: runs and on repeated interrogatives (one blank-only phrase, which named no words anyway, no longer matches).
_EN_FOCUS = re.compile(
    r"\b(?:who|what|which|when|where|how many|how much)(?>\s+)(?:is|was|are|were|did|does|do)?(?>\s*)(?:the|a|an)?"
    r"(?>\s*)([a-z' -]{1,120}?)(?=(?<!\s)\s+(?:of|in|at|for|from|did|was|were|is|are|does|do|to|on|by)\b|[?,.]|$)",
    re.I,
)


def focus_words(question: str, lang: str, sides: tuple[int, ...] = (-1, 1)) -> list[str]:
    """Content words right before and after each interrogative (skipping linking words like 是, 的, 有); `sides`
    (-1, 1 or both) says which (Chinese)."""
    if lang == "en":
        m = _EN_FOCUS.search(question)
        return [w for w in content_words(m.group(1))] if m else []
    words = load_jieba().lcut(question)
    out: list[str] = []
    for i, w in enumerate(words):
        if not _ASK.match(w):
            continue
        for step in sides:
            j = i + step
            while 0 <= j < len(words) and words[j] in _LINK:
                j += step
            if 0 <= j < len(words) and len(words[j]) >= 2 and is_cjk_word(words[j]) and not _ASK.match(words[j]):
                out.append(words[j])
    return [w for w in dict.fromkeys(out) if w not in STOPWORDS]
