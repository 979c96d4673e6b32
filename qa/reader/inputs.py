"""Hand-made token features and span decoding shared by training and inference (numpy only)."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from .tokenizer import BOS_ID, EOS_ID, UNK_ID

_SPECIAL = {BOS_ID, EOS_ID, UNK_ID}

_Q_TYPES = (
    (
        "num",
        re.compile(
            r"多少|几|多大|多长|多高|多远|多重|多久|多深|多宽|数量|数目|人数|比例|百分|面积|人口|距离|高度|长度|价格|金额|总数|排名第|第几"
        ),
    ),
    (
        "time",
        re.compile(
            r"何时|什么时候|哪一年|哪年|哪个年|那一年|何年|年份|日期|哪一天|哪天|几月|哪个月|哪一月|几年|哪个世纪|哪一世纪|时间|年代|时期|朝代"
        ),
    ),
    ("who", re.compile(r"谁|何人|哪位|哪一位|什么人|哪个人")),
    ("where", re.compile(r"哪里|何处|哪儿|何地|哪个国家|哪个城市|哪座|哪一个国家|什么地方|位于|在哪")),
)
_CN_NUM = set("零〇一二三四五六七八九十百千万亿两")
_TIME_UNIT = set("年月日时世纪代")

EXTRA_DIMS = {"base": 2, "type": 12}


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PZSC"


def question_types(question: str) -> np.ndarray:
    return np.array([1.0 if rx.search(question) else 0.0 for _, rx in _Q_TYPES], dtype=np.float32)


def handcrafted(
    question: str,
    q_ids: np.ndarray,
    text: str,
    ids: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    variant: str = "base",
) -> np.ndarray:
    """(n_tokens, EXTRA_DIMS[variant]) float32 features of passage tokens given the question.

    base: [exact match: the token id occurs in the question (not for punctuation),
           char overlap: share of the token's non-punctuation characters found in the question].
    type: base + question type (number, time, person, place), token class (arabic digit, Chinese
          numeral, time unit, punctuation) and two products (number question x digit, time question x digit).
    """
    qset = set(int(i) for i in q_ids) - _SPECIAL
    qchars = {c for c in question if not _is_punct(c)}
    n = len(ids)
    dim = EXTRA_DIMS[variant]
    out = np.zeros((n, dim), dtype=np.float32)
    typed = variant == "type"
    if typed:
        qt = question_types(question)
        out[:, 2:6] = qt
    for k in range(n):
        s, e = int(starts[k]), int(ends[k])
        piece = text[s:e]
        chars = [c for c in piece if not _is_punct(c)]
        if chars:
            if int(ids[k]) in qset:
                out[k, 0] = 1.0
            out[k, 1] = sum(c in qchars for c in chars) / len(chars)
        if typed and piece:
            digit = any(c.isdigit() for c in piece)
            out[k, 6] = digit
            out[k, 7] = any(c in _CN_NUM for c in piece)
            out[k, 8] = any(c in _TIME_UNIT for c in piece)
            out[k, 9] = not chars
            out[k, 10] = qt[0] * digit
            out[k, 11] = qt[1] * digit
    return out


def length_prior(alpha: float, max_tokens: int) -> np.ndarray | None:
    """Log-prior over span lengths, ``alpha * log(length in tokens)``; alpha > 0 favours longer spans."""
    if not alpha:
        return None
    return alpha * np.log(np.arange(1, max_tokens + 1, dtype=np.float64))


def span_scores(
    start: np.ndarray,
    end: np.ndarray,
    max_tokens: int = 30,
    length_prior: np.ndarray | None = None,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Probabilities of the spans [i, i + d] of one window: shape (T, max_tokens), entry [i, d].

    Softmax of start[i] + end[i + d] (+ length_prior[d]) over all spans with 0 <= d < max_tokens that
    stay inside the window (and start and end on `valid` tokens); other entries are 0.
    """
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    T = len(start)
    D = max(1, min(max_tokens, T))
    idx = np.arange(T)[:, None] + np.arange(D)[None, :]
    ok = idx < T
    idx_c = np.minimum(idx, T - 1)
    logit = start[:, None] + end[idx_c]
    if length_prior is not None:
        logit = logit + np.asarray(length_prior, dtype=np.float64)[None, :D]
    if valid is not None:
        ok &= valid[:, None] & valid[idx_c]
    logit = np.where(ok, logit, -np.inf)
    m = logit.max()
    if not np.isfinite(m):
        return np.zeros((T, D))
    p = np.exp(logit - m)
    p /= p.sum()
    return p


def top_spans(probs: np.ndarray, top_n: int) -> list[tuple[int, int, float]]:
    """Best (start_token, end_token_inclusive, prob) from a span_scores matrix, best first."""
    flat = probs.ravel()
    k = min(top_n, int((flat > 0).sum()))
    if k <= 0:
        return []
    cand = np.argpartition(-flat, k - 1)[:k]
    cand = cand[np.argsort(-flat[cand], kind="stable")]
    D = probs.shape[1]
    return [(int(c // D), int(c // D + c % D), float(flat[c])) for c in cand]


def windows(n_content: int, size: int, stride: int) -> list[tuple[int, int]]:
    """[a, b) windows over content token positions 0..n_content-1 (the last one ends at n_content)."""
    if n_content <= size:
        return [(0, n_content)]
    out, a = [], 0
    while True:
        b = min(a + size, n_content)
        out.append((a, b))
        if b == n_content:
            return out
        a += stride
