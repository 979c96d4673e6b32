"""Sentence splitting stays linear on one very long line (a 100 KB chunk with no line breaks)."""

from __future__ import annotations

import time

import pytest

from qa.text.sentences import split_sentences

LENGTH = 100_000


@pytest.mark.parametrize(
    "unit",
    [
        "西夏区政协共立案提案办理资金一百万元",  # no punctuation at all
        "J. ",  # initials: each dot is checked and is not a sentence end
        "e.g. ",  # an abbreviation with a dot inside
        "see Fig. ",
    ],
)
def test_a_100_000_character_line_is_split_in_under_a_second(unit: str) -> None:
    """Defect: every dot that might end a sentence re-read the sentence so far (74 s for 100,000 chars of 'J. ')."""
    line = (unit * (LENGTH // len(unit) + 1))[:LENGTH]
    start = time.perf_counter()
    spans = split_sentences(line)
    assert time.perf_counter() - start < 1.0
    assert len(spans) == 1 and spans[0][0] == 0 and spans[0][1] >= LENGTH - 1


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Li came. He left.", ["Mr. Li came.", "He left."]),
        ("It rose 5.2 percent. J. Smith said so.", ["It rose 5.2 percent.", "J. Smith said so."]),
        ("See e.g. the table. Then stop.", ["See e.g. the table.", "Then stop."]),
        ("共立案41件。办复率100%！", ["共立案41件。", "办复率100%！"]),
        ("第一句\n第二句", ["第一句", "第二句"]),
    ],
)
def test_sentences_still_end_where_they_did(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == sentences
