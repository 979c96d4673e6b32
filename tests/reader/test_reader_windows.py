"""Windows over question and passage (qa.reader.windows): what the reader reads at training and at run time."""

from __future__ import annotations

from fake_tokenizer import CharTokenizer

from qa.reader.windows import MAX_QUESTION_TOKENS, make_windows, question_ids, windows_for

TOK = CharTokenizer()


def test_a_short_passage_is_one_window_of_question_then_passage() -> None:
    [w] = windows_for(TOK, "几件？", "立案41件。")
    assert w.ids[0] == TOK.bos and w.ids[-1] == TOK.eos
    assert w.ids[1 : w.first - 1] == [ord(c) + 10 for c in "几件？"]
    assert w.ids[w.first - 1] == TOK.eos
    assert len(w.spans) == len(w.ids) - w.first - 1 == 6
    assert w.char_range == (0, 6)


def test_long_passages_overlap_and_every_character_is_read() -> None:
    passage = "".join(chr(0x4E00 + i) for i in range(100))
    windows = windows_for(TOK, "问", passage, max_len=32, overlap=8)
    assert all(len(w.ids) <= 32 for w in windows)
    read = set()
    for a, b in zip(windows, windows[1:], strict=False):
        assert b.char_range[0] == a.char_range[1] - 8  # the next starts `overlap` tokens before the end
    for w in windows:
        read.update(range(*w.char_range))
    assert read == set(range(100))


def test_token_range_finds_the_answer_only_where_the_window_holds_all_of_it() -> None:
    passage = "甲乙丙丁戊己庚辛壬癸" * 3
    windows = windows_for(TOK, "问", passage, max_len=12, overlap=3)
    w = windows[0]
    lo, hi = w.char_range
    s, e = w.token_range(lo + 1, lo + 3)  # type: ignore[misc]
    assert (s, e) == (w.first + 1, w.first + 2)
    assert w.token_range(hi - 1, hi + 2) is None  # runs past the window
    assert w.token_range(lo + 2, lo + 2) is None  # empty


def test_spaces_in_the_passage_keep_offsets_into_the_original_text() -> None:
    [w] = windows_for(TOK, "问", "立案 41 件")
    s, e = w.token_range(3, 5)  # type: ignore[misc]
    assert w.spans[s - w.first] == (3, 4) and w.spans[e - w.first] == (4, 5)


def test_a_long_question_is_cut_and_an_empty_passage_still_gives_a_window() -> None:
    q = "问" * 200
    assert len(question_ids(TOK, q)) == MAX_QUESTION_TOKENS
    [w] = make_windows(question_ids(TOK, q), [], [], TOK.bos, TOK.eos)
    assert w.spans == [] and w.char_range == (0, 0)
