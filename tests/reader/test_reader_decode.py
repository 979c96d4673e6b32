"""Span decoding, hand-made features, answer alignment and the CMRC metric (numpy only, fast)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.reader.data import answer_tokens
from qa.reader.inputs import handcrafted, span_scores, top_spans, windows


def test_span_decoding_on_hand_made_logits():
    start = np.array([0.0, 5.0, 0.5, 0.0, 3.0, 0.0])
    end = np.array([0.0, 0.0, 2.5, 6.0, 0.0, 7.0])
    # best pair overall is (1, 5) = 12, but it is 5 tokens long; with max_tokens=3 the best is (1, 3) = 11
    probs = span_scores(start, end, max_tokens=3)
    assert probs.shape == (6, 3)
    best = top_spans(probs, 3)
    assert [(i, j) for i, j, _ in best] == [(1, 3), (4, 5), (1, 2)]
    # probabilities: softmax over the valid (start, end) pairs only
    valid = [(i, j) for i in range(6) for j in range(i, min(i + 3, 6))]
    z = sum(np.exp(start[i] + end[j]) for i, j in valid)
    assert best[0][2] == pytest.approx(np.exp(11) / z)
    assert probs.sum() == pytest.approx(1.0)
    assert probs[5, 1] == 0 and probs[4, 2] == 0  # spans running past the window
    assert [(i, j) for i, j, _ in top_spans(span_scores(start, end, max_tokens=30), 1)] == [(1, 5)]


def test_span_decoding_respects_mask_and_prior():
    start = np.array([3.0, 1.0, 0.0])
    end = np.array([0.0, 0.0, 3.0])
    valid = np.array([False, True, True])
    assert top_spans(span_scores(start, end, 30, valid=valid), 1)[0][:2] == (1, 2)
    prior = np.array([0.0, 0.0, -10.0])
    assert top_spans(span_scores(start, end, 30, length_prior=prior), 1)[0][:2] != (0, 2)


def test_windows_cover_every_token():
    assert windows(10, 400, 200) == [(0, 10)]
    w = windows(900, 400, 200)
    assert w == [(0, 400), (200, 600), (400, 800), (600, 900)]


def test_answer_tokens():
    starts = np.array([0, 0, 2, 4, 7, 9])
    ends = np.array([0, 2, 4, 7, 9, 9])  # <s>, 4 tokens, </s>
    assert answer_tokens(starts, ends, 2, 7) == (2, 3)
    assert answer_tokens(starts, ends, 3, 5) == (2, 3)  # partial tokens are included
    assert answer_tokens(starts, ends, 9, 10) is None


def test_handcrafted_features():
    q = "1990年有多少人口？"
    text = "人口在1990年达到五百人。"
    ids = np.array([10, 11, 12, 13, 14])
    starts = np.array([0, 2, 3, 7, 13])  # 人口 | 在 | 1990 | 年 | 。
    ends = np.array([2, 3, 7, 8, 14])
    q_ids = np.array([1, 13, 10, 2])
    base = handcrafted(q, q_ids, text, ids, starts, ends, "base")
    assert base.shape == (5, 2)
    assert base[:, 0].tolist() == [1, 0, 0, 1, 0]  # the punctuation token never counts
    assert base[0, 1] == 1.0 and base[4, 1] == 0.0
    typed = handcrafted(q, q_ids, text, ids, starts, ends, "type")
    assert typed.shape == (5, 12) and typed[2, 6] == 1 and typed[2, 10] == 1  # digit in a 多少 question
