"""jieba's words and dictionary tags, read without the part-of-speech tagger."""

from __future__ import annotations

import pytest

from qa.text.segment import dictionary_tag, load_posseg


@pytest.mark.parametrize("word", ["校区", "粮食", "北京", "提高", "提案", "城镇"])
def test_a_dictionary_word_has_the_taggers_tag(word: str) -> None:
    tagged = dict(load_posseg().lcut(word))
    assert dictionary_tag(word) == tagged[word]


def test_a_word_outside_the_dictionary_has_no_tag() -> None:
    assert dictionary_tag("西夏区政协") == ""
    assert dictionary_tag("") == ""
    assert dictionary_tag("a\nb") == ""
