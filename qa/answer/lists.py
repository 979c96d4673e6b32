"""A question that asks for several things ("哪两家企业", "哪几个城市", "分别是哪些") is answered by the whole list the
text writes them in ("天有为、大鹏工业成功上市"), not by the one item a span finder settled on."""

from __future__ import annotations

import re

#: Interrogatives that ask for more than one thing.
_SEVERAL = re.compile(r"哪[两二三四五六七八九十几]|哪些|分别是(?:什么|哪)|分别叫|有哪")
#: Characters an item of a list may hold: no punctuation, no blank.
_ITEM = r"[^\s，,。；;：:、（）()“”\"《》!！?？]"
#: How long one item of a list may be.
MAX_ITEM = 12
_BEFORE = re.compile(rf"(?:^|(?<=[\s，,。；;：:、（(“\"]))({_ITEM}{{1,{MAX_ITEM}}})、$")
_AFTER = re.compile(rf"^、({_ITEM}{{1,{MAX_ITEM}}})(?=$|[\s，,。；;：:）)”\"、])")


def asks_several(question: str) -> bool:
    """Does a Chinese question ask for several things (哪两家, 哪几个, 哪些, 分别是什么)?"""
    return _SEVERAL.search(question) is not None


def whole_list(text: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) of `text` grown over the items written beside it with 、, when every item is bounded
    by punctuation ("天有为、大鹏工业成功上市" from 大鹏工业: the first item opens its sentence, so it is whole); the
    span itself when it stands alone."""
    while m := _BEFORE.search(text[max(0, start - MAX_ITEM - 2) : start]):
        if start - MAX_ITEM - 2 > 0 and m.start(1) == 0:
            break  # the item runs on further back: no boundary seen
        start -= len(m.group(1)) + 1
        start += _lead_in(m.group(1))
    while m := _AFTER.match(text[end : end + MAX_ITEM + 2]):
        kept = _item_head(m.group(1))
        end += kept + 1
        if kept < len(m.group(1)):
            break  # the list ends inside this item ("浙江等地学习")
    return start, end


def _lead_in(item: str) -> int:
    """How many characters at the start of a list's first item are the words that lead into the list, not part of
    it: verbs, adverbs, prepositions, words of time ("先后到河北、广东" -> 河北)."""
    from qa.text.segment import dictionary_tag, words

    said = list(words(item))
    n = 0
    for w in said[:-1]:
        if not dictionary_tag(w).startswith(("v", "d", "p", "c", "t")):
            break
        n += len(w)
    return n


def _item_head(item: str) -> int:
    """How many characters at the start of a list's last item belong to it, before the words that follow the list:
    等, verbs, adverbs ("浙江等地学习" -> 浙江, "大鹏工业成功上市" -> 大鹏工业)."""
    from qa.text.segment import dictionary_tag, words

    n = 0
    for w in words(item):
        if n and (w.startswith("等") or dictionary_tag(w).startswith(("v", "u", "d", "p", "c", "a"))):
            break
        n += len(w)
    return n
