"""Questions with two asks, split into one question per ask.

- "A和B各是多少？", "A和B分别增长了多少？": one question about A, one about B (the words before A shared);
- "…多少起？涉及金额多少？", "…多少件建议，又办理了多少件提案？", "从多少个增至多少个": a question per interrogative;
- "How many X and how many Y?": a question per "how many/much".

Each part carries a short label ("A", "B") when the question names its parts, for the joined answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.segment import load_jieba

#: Interrogatives that each stand for one ask.
_ASK = re.compile(
    r"多少|多大|几[个次名件篇人家期批项场位天年届岁倍所户条座家元]?|第几|哪[一]?(?:些|个|位|里|年|天|家)|谁|何时|什么时候"
)
#: Where a question may be cut between two asks (the cut keeps the mark with the left part).
_PUNCT_CUT = re.compile(r"[？?；;，,、]")
_WORD_CUT = re.compile(r"又|还|以及|其中|并且|(?:增|增加|提高|上升|下降|降|减少|扩大)?(?<!达)(?:至|到)")
#: "A和B各/分别 …" (A and B each …): 各 or 分别 and the ask after it, in the last clause (see _each).
_CLAUSE_MARKS = "，,。？?；;"
_EACH = re.compile(
    r"(?P<each>各自|各|分别)(?:是|为|有|达到|达|增长了|增长|增加了|增加|下降了|下降|占|约|叫|在)?(?:多少|几|什么|哪|谁)"
)
_AND = ("和", "与", "及", "、", "以及", "跟", "同")
#: The blank run before "and" starts at a comma or at its first blank (not inside a run: that was quadratic).
_EN_SPLIT = re.compile(r"(?:,|(?<!\s))\s+and\s+(?=how\s+(?:many|much)\b|what\b|when\b|who\b|where\b)", re.I)


@dataclass(frozen=True)
class _Each:
    """Where a question reads "PAIR 各/分别 TAIL" (TAIL: an ask and the rest of the question)."""

    start: int  # where PAIR starts
    pair: str
    tail: str


def _each(question: str) -> _Each | None:
    """The coordination before 各 or 分别 in the question's last clause: the clause (PAIR, 各/分别, TAIL, no clause
    mark but a final ？) runs to the end, PAIR is not empty, and the first 各/分别 followed by an ask ends PAIR.

    Found with string scans and one fixed-width regex (it was one pattern with a lazy PAIR and an anchored TAIL,
    which backtracked with the cube of the length: '甲各多少' * 499 + '，' took 20 s)."""
    end = len(question)
    if question.endswith(("？\n", "?\n")):  # the old "$" also matched before a final newline
        end -= 1
    body = question[: end - 1] if question[:end].endswith(("？", "?")) else question[:end]
    start = max(body.rfind(c) for c in _CLAUSE_MARKS) + 1
    m = _EACH.search(body, start + 1)
    if not m:
        return None
    return _Each(start, question[start : m.start()], question[m.end("each") : end])


@dataclass(frozen=True)
class Part:
    """One ask of a question: a question of its own, and a label naming what it asks about ("" when none)."""

    text: str
    label: str = ""


def _coordination(question: str) -> list[Part] | None:
    """'…新建A和B各多少个？' -> '…新建A多少个？', '…新建B多少个？'. Each item is as many words long as the last one
    (B), so the words before the first item stay shared ("新建")."""
    m = _each(question)
    if not m or not _ASK.search(m.tail):
        return None
    words = load_jieba().lcut(m.pair)
    joins = [i for i, w in enumerate(words) if w in _AND]
    if not joins or joins[-1] == len(words) - 1:
        return None
    last = joins[-1]
    b_words = words[last + 1 :]
    suffix = ""
    if "的" in b_words[1:] and "的" not in words[max(0, last - 4) : last]:  # "对东盟和对欧盟的进出口": shared head
        cut = b_words.index("的", 1)
        b_words, suffix = b_words[:cut], "".join(b_words[cut:])
    start = _items_start(words, last, len("".join(b_words)))
    if start is None and not suffix:  # "广州、深圳地铁客运量": one-word items before a shared rest
        b_words, suffix = words[last + 1 : last + 2], "".join(words[last + 2 :])
        start = _items_start(words, last, len(b_words[0]))
        if start is None:
            return None
    items = [x for x in _split_items(words[start:last]) if x] + ["".join(b_words)]
    end = start
    prefix = question[: m.start] + "".join(words[:end])
    tail = m.tail
    if tail[:1] in ("是", "为", "有") and _ASK.match(tail[1:]):
        tail = tail[1:]
    return [Part(prefix + item + suffix + tail, item) for item in items]


def _items_start(words: list[str], join: int, chars: int) -> int | None:
    """Where the items before `join` start: the fewest whole words (back from the join) holding about as many
    characters as the last item; further back over earlier items joined by 、/和."""
    i, size = join, 0
    while i > 0 and size < max(2, chars):
        i -= 1
        if words[i] in _AND or not words[i].strip():
            return None
        size += len(words[i])
    if size < max(2, chars):
        return None
    while i >= 2 and words[i - 1] in _AND:  # "A、B和C": A too, if it is about as long
        j, size = i - 1, 0
        while j > 0 and size < max(2, chars - 1) and words[j - 1] not in _AND:
            j -= 1
            size += len(words[j])
        if size < max(2, chars - 1):
            break
        i = j
    return i


def _split_items(words: list[str]) -> list[str]:
    """Items before the last join, split at the joins between them."""
    out, cur = [], ""
    for w in words:
        if w in _AND:
            out.append(cur)
            cur = ""
        else:
            cur += w
    return out + [cur]


def _by_asks(question: str) -> list[Part] | None:
    """A part per interrogative, cut at the last break between two of them."""
    asks = [m for m in _ASK.finditer(question)]
    if len(asks) < 2:
        return None
    cuts: list[int] = []
    for left, right in zip(asks, asks[1:], strict=False):
        between = list(_PUNCT_CUT.finditer(question, left.end(), right.start()))
        between = between or list(_WORD_CUT.finditer(question, left.end(), right.start()))
        if not between:
            return None  # "多少个几" — not two asks
        cuts.append(between[-1].start())
    pieces, start = [], 0
    for c in cuts:
        pieces.append(question[start:c])
        start = c
    pieces.append(question[start:])
    parts = []
    for i, piece in enumerate(pieces):
        piece = re.sub(r"^[？?；;，,、\s]*(?:又|还|以及|其中|并且)?", "", piece).strip()
        if i == 0:
            piece = piece.rstrip("？?；;，,、")
        if piece:
            parts.append(Part(piece if piece.endswith(("？", "?")) else piece + "？"))
    return parts if len(parts) >= 2 else None


def split_question(question: str, lang: str) -> list[Part]:
    """The question's asks, one Part each (a single Part when it asks one thing)."""
    if lang == "en":
        pieces = [p.strip(" ,") for p in _EN_SPLIT.split(question) if p.strip(" ,")]
        if len(pieces) >= 2:
            return [Part(p[0].upper() + p[1:] if i else p) for i, p in enumerate(pieces)]
        return [Part(question)]
    return _coordination(question) or _by_asks(question) or [Part(question)]
