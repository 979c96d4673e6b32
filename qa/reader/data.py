"""Training data for the span reader: SQuAD-format files -> tokens, token-level answers, cached features.

numpy only (OpenCC is imported when Traditional Chinese has to be converted). Features are computed
once per passage and per question and cached as one float16 matrix under the cache folder, with an
index (``.npz``, no pickle) that says where each passage's and question's rows are.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field

import numpy as np

from .features import FEATURE_DIM, UseFeatures
from .inputs import handcrafted, windows
from .tokenizer import Tokenizer

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_LAB = os.environ.get("QA_READER_LAB", os.path.join(os.path.expanduser("~"), ".cache", "qa-reader-lab"))
BENCH = os.environ.get("QA_BENCHMARKS", os.path.join(os.path.dirname(_REPO), "shared", "benchmarks"))
DRCD_FILES = (f"{BENCH}/drcd/DRCD_dev.json", f"{BENCH}/drcd/DRCD_test.json")
CMRC_TRIAL = f"{BENCH}/cmrc2018_trial.json"


def load_squad(paths, t2s: bool = False):
    """Read SQuAD-format files -> (passages, questions).

    passages: list of str. questions: list of dicts with id, question, passage (index) and answers
    (list of (text, char_start)). With ``t2s`` the text is converted with OpenCC t2s, which keeps
    lengths here (checked: answer offsets stay valid; a length change raises).
    """
    conv = None
    if t2s:
        import opencc

        conv = opencc.OpenCC("t2s").convert
    passages: list[str] = []
    questions: list[dict] = []
    for path in [paths] if isinstance(paths, str) else paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)["data"]
        for art in data:
            for para in art["paragraphs"]:
                ctx = para["context"]
                if conv:
                    c2 = conv(ctx)
                    if len(c2) != len(ctx):
                        raise ValueError("OpenCC changed a passage length; offsets would break")
                    ctx = c2
                pi = len(passages)
                passages.append(ctx)
                for qa in para["qas"]:
                    q = conv(qa["question"]) if conv else qa["question"]
                    answers = []
                    for a in qa["answers"]:
                        st = int(a["answer_start"])
                        text = ctx[st : st + len(a["text"])] if conv else a["text"]
                        answers.append((text, st))
                    questions.append({"id": qa["id"], "question": q, "passage": pi, "answers": answers})
    return passages, questions


def answer_tokens(starts: np.ndarray, ends: np.ndarray, a_start: int, a_end: int) -> tuple[int, int] | None:
    """Token indices (inclusive) covering the character answer [a_start, a_end); None if no token overlaps.

    Start: first token ending after a_start; end: last token starting before a_end (tokens with empty
    spans, i.e. <s> and </s>, never count).
    """
    real = ends > starts
    cand_s = np.nonzero(real & (ends > a_start))[0]
    cand_e = np.nonzero(real & (starts < a_end))[0]
    if len(cand_s) == 0 or len(cand_e) == 0:
        return None
    s, e = int(cand_s[0]), int(cand_e[-1])
    return (s, e) if s <= e else None


@dataclass
class Split:
    """A tokenised, featurised split held in memory."""

    name: str
    passages: list[str]
    questions: list[dict]
    p_ids: list[np.ndarray]
    p_starts: list[np.ndarray]
    p_ends: list[np.ndarray]
    q_ids: list[np.ndarray]
    p_off: np.ndarray  # row offset of each passage in feats
    q_off: np.ndarray
    feats: np.ndarray  # float16 (rows, 1280)
    extra_cache: dict = field(default_factory=dict)  # (question, lo, hi) -> hand-made features (training)
    extra_variant: str = ""

    def p_feats(self, i):
        return self.feats[self.p_off[i] : self.p_off[i] + len(self.p_ids[i])]

    def q_feats(self, i):
        return self.feats[self.q_off[i] : self.q_off[i] + len(self.q_ids[i])]


def build_split(name: str, paths, t2s: bool, cache_dir: str = f"{DEFAULT_LAB}/cache", log=print) -> Split:
    """Load a split, tokenising and featurising on first use (cached under cache_dir/name.*)."""
    os.makedirs(cache_dir, exist_ok=True)
    idx_path = os.path.join(cache_dir, f"{name}.index.npz")
    feat_path = os.path.join(cache_dir, f"{name}.feats.f16")
    passages, questions = load_squad(paths, t2s=t2s)
    tok = Tokenizer()
    if os.path.exists(idx_path) and os.path.exists(feat_path):
        z = np.load(idx_path, allow_pickle=False)
        p_len, q_len = z["p_len"], z["q_len"]
        p_ids = np.split(z["p_ids"], np.cumsum(p_len)[:-1])
        p_starts = np.split(z["p_starts"], np.cumsum(p_len)[:-1])
        p_ends = np.split(z["p_ends"], np.cumsum(p_len)[:-1])
        q_ids = np.split(z["q_ids"], np.cumsum(q_len)[:-1])
        rows = int(p_len.sum() + q_len.sum())
        feats = np.fromfile(feat_path, dtype=np.float16).reshape(rows, FEATURE_DIM)
        assert len(p_ids) == len(passages) and len(q_ids) == len(questions), "stale cache"
    else:
        t0 = time.time()
        ptoks = [tok(p) for p in passages]
        qtoks = [tok(q["question"]) for q in questions]
        p_ids = [t.ids for t in ptoks]
        p_starts = [t.starts for t in ptoks]
        p_ends = [t.ends for t in ptoks]
        q_ids = [t.ids for t in qtoks]
        log(f"[{name}] tokenised {len(passages)} passages, {len(questions)} questions in {time.time() - t0:.1f}s")
        seqs = p_ids + q_ids
        rows = sum(len(s) for s in seqs)
        feats = np.empty((rows, FEATURE_DIM), dtype=np.float16)
        uf = UseFeatures(threads=None)
        o, i, t0 = 0, 0, time.time()
        while i < len(seqs):  # ~4k tokens per forward pass
            j, n = i, 0
            while j < len(seqs) and (n == 0 or n + len(seqs[j]) <= 4096):
                n += len(seqs[j])
                j += 1
            for f in uf(seqs[i:j]):
                feats[o : o + len(f)] = f
                o += len(f)
            i = j
        log(f"[{name}] USE features for {rows} tokens in {time.time() - t0:.1f}s")
        feats.tofile(feat_path)
        p_len = np.array([len(s) for s in p_ids])
        q_len = np.array([len(s) for s in q_ids])
        np.savez(
            idx_path,
            p_len=p_len,
            q_len=q_len,
            p_ids=np.concatenate(p_ids),
            p_starts=np.concatenate(p_starts),
            p_ends=np.concatenate(p_ends),
            q_ids=np.concatenate(q_ids),
        )
    p_len = np.array([len(s) for s in p_ids])
    q_len = np.array([len(s) for s in q_ids])
    p_off = np.concatenate([[0], np.cumsum(p_len)[:-1]])
    q_off = int(p_len.sum()) + np.concatenate([[0], np.cumsum(q_len)[:-1]])
    return Split(name, passages, questions, p_ids, p_starts, p_ends, q_ids, p_off, q_off, feats)


@dataclass
class Example:
    """One training/validation window: passage tokens [lo, hi) (indices into the full token sequence)."""

    q: int
    lo: int
    hi: int
    y_start: int  # relative to lo, -1 when the answer is not inside
    y_end: int


def make_examples(split: Split, size: int, stride: int, train: bool) -> list[Example]:
    """Windows per question. Training keeps, per question, the window holding the answer most centrally."""
    out: list[Example] = []
    n_noalign = 0
    for qi, q in enumerate(split.questions):
        pi = q["passage"]
        n_content = len(split.p_ids[pi]) - 2
        wins = [(a + 1, b + 1) for a, b in windows(n_content, size, stride)]  # skip <s>
        if not train:
            out.extend(Example(qi, lo, hi, -1, -1) for lo, hi in wins)
            continue
        text, st = q["answers"][0]
        span = answer_tokens(split.p_starts[pi], split.p_ends[pi], st, st + len(text))
        if span is None:
            n_noalign += 1
            continue
        s, e = span
        best = None
        for lo, hi in wins:
            if lo <= s and e < hi:
                margin = min(s - lo, hi - 1 - e)
                if best is None or margin > best[0]:
                    best = (margin, lo, hi)
        if best is None:
            n_noalign += 1
            continue
        _, lo, hi = best
        out.append(Example(qi, lo, hi, s - lo, e - lo))
    return out


def extra_features(split: Split, ex: Example, variant: str) -> np.ndarray:
    q = split.questions[ex.q]
    pi = q["passage"]
    return handcrafted(
        q["question"],
        split.q_ids[ex.q],
        split.passages[pi],
        split.p_ids[pi][ex.lo : ex.hi],
        split.p_starts[pi][ex.lo : ex.hi],
        split.p_ends[pi][ex.lo : ex.hi],
        variant,
    )
