"""From logits to spans (qa.reader.decode): probabilities, the length limit, "no answer", merging windows."""

from __future__ import annotations

import numpy as np
import pytest
from fake_tokenizer import CharTokenizer

from qa.reader.decode import WindowSpans, decode_window, merge_windows
from qa.reader.windows import windows_for

TOK = CharTokenizer()
PASSAGE = "全年立案41件，办复率100%。"


def logits_for(w, start: int, end: int, null: float = -5.0) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Logits peaked at the passage characters start and end-1, with `null` at <s>."""
    s = np.full(len(w.ids), -8.0)
    e = np.full(len(w.ids), -8.0)
    s[0] = e[0] = null
    s[w.first + start] = 6.0
    e[w.first + end - 1] = 6.0
    return s, e


def test_the_peaked_span_comes_first_with_most_of_the_probability() -> None:
    [w] = windows_for(TOK, "立案多少件？", PASSAGE)
    s, e = logits_for(w, 4, 7)
    found = decode_window(s, e, w)
    a, b, p = found.spans[0]
    assert PASSAGE[a:b] == "41件" and p > 0.9
    assert found.null < 0.01
    assert [x[2] for x in found.spans] == sorted((x[2] for x in found.spans), reverse=True)


def test_no_answer_wins_when_the_start_token_is_peaked() -> None:
    [w] = windows_for(TOK, "GDP是多少？", PASSAGE)
    s, e = logits_for(w, 4, 7, null=9.0)
    found = decode_window(s, e, w)
    assert found.null > 0.9 and found.spans[0][2] < found.null


def test_spans_end_after_they_start_and_within_the_length_limit() -> None:
    [w] = windows_for(TOK, "问", PASSAGE)
    s, e = logits_for(w, 10, 3)  # end peaked before start
    for a, b, _p in decode_window(s, e, w, top_n=20, max_tokens=4).spans:
        assert a < b and b - a <= 4


def test_question_tokens_are_never_an_answer() -> None:
    [w] = windows_for(TOK, "立案多少件？", PASSAGE)
    s = np.full(len(w.ids), -8.0)
    e = np.full(len(w.ids), -8.0)
    s[1] = e[2] = 10.0  # peaked inside the question
    for a, b, _p in decode_window(s, e, w).spans:
        assert 0 <= a < b <= len(PASSAGE)


def test_merging_windows_keeps_each_span_at_its_best_and_the_lowest_no_answer() -> None:
    one = WindowSpans([(0, 2, 0.2), (4, 7, 0.5)], 0.3)
    two = WindowSpans([(4, 7, 0.7)], 0.1)
    merged = merge_windows([one, two])
    assert merged.spans == [(4, 7, 0.7), (0, 2, 0.2)]
    assert merged.null == pytest.approx(0.1)
    assert merge_windows([]).spans == [] and merge_windows([]).null == 1.0
