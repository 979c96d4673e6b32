"""The words a question turns on, beside its interrogative: an English article before them is skipped whole, and a
word that merely begins like one ("articles", "annual", "theatres") keeps its first letters."""

from __future__ import annotations

import pytest

from qa.answer.focus import focus_words


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("How many articles appeared in the People's Political Consultative Daily?", ["articles", "appeared"]),
        ("What is the annual output of steel?", ["annual", "output"]),
        ("How many theatres were built?", ["theatres"]),
        ("Who is the chairman of the CPPCC?", ["chairman"]),
        ("What was an increase of tourism revenue?", ["increase"]),
        # a parenthesis ends the phrase ("total foreign trade (imports and exports)" had matched nothing)
        ("By how much did total foreign trade (imports and exports) grow in 2025?", ["foreign", "trade"]),
    ],
)
def test_english_focus_words(question: str, words: list[str]) -> None:
    assert focus_words(question, "en") == words


def test_chinese_focus_words_beside_the_interrogative(fast_lexicon: None) -> None:
    assert "秘书长" in focus_words("西夏区政协的秘书长是谁？", "zh")
