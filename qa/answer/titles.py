"""The title a "who" question asks for (秘书长 of "政协的秘书长是谁", 省长 of "是哪位省长作的"): a name answers it only
where the text writes that title with the name ("区委书记赫天江" names a party secretary, not the secretary-general)."""

from __future__ import annotations

import re

from qa.answer.focus import focus_words

#: Words that end a title: heads of offices and posts, members, reporters.
_TITLE = re.compile(
    r"(?:秘书长|[省市区县州镇乡]长|书记|主席|主任|部长|厅长|局长|院长|校长|董事长|经理|委员|理事|院士|记者|主编)$"
)


def asked_titles(question: str) -> list[str]:
    """The titles a Chinese "who" question turns on (its focus words that end like a title); [] when none."""
    return [w for w in focus_words(question, "zh") if _TITLE.search(w)]


def names_title(titles: list[str], clause: str) -> bool:
    """Does `clause` (the name's clause up to and including it) write one of the asked `titles`, or (a title of
    two words, 政协主席) its last word, 主席, after the first (西夏区政协党组书记、主席)? True when none is asked."""
    if not titles:
        return True
    for title in titles:
        if title in clause:
            return True
        head = _TITLE.search(title)
        if head and head.start() > 0 and title[: head.start()] in clause and head.group(0) in clause:
            return True
    return False
