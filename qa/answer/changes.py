"""Level or change? Reports give a figure and how much it moved in one breath ("公共图书馆3246个，比上年末增加
29个"; "人均图书藏量1.02册，比上年末增加0.06册"). A question that does not ask how much something changed is not
answered by the change."""

from __future__ import annotations

import re

#: A change verb right before a figure ("比上年增长5.3%", "增加0.06册", "下降0.3个百分点"); not "新增" (what was added
#: is a level: "新增就业62.2万人") and not a level reached ("提高到", "降至").
_CHANGE_BEFORE = re.compile(
    r"(?<!新)(?:增加|增长|减少|下降|提高|提升|上升|降低|回落|扩大|缩小|增|降|减)了?(?:约|近|超过|超|逾)?\s*$"
)
LEAD = 8  # characters before a figure searched for the change verb


def states_change(text: str, start: int) -> bool:
    """True when the figure starting at `start` of `text` says how much something changed."""
    lead = re.split(r"[，,。；;：:、（(]", text[max(0, start - LEAD) : start])[-1]
    return bool(_CHANGE_BEFORE.search(lead))
