"""Training batches for the span reader: windows of cached USE features, hand-made features and answer positions,
padded into torch tensors on the training device; length-bucketed batch order."""

from __future__ import annotations

import random

import numpy as np
import torch

from . import data as D
from .inputs import EXTRA_DIMS
from .net import DEVICE


def collate(split: D.Split, exs: list[D.Example], variant: str):
    B = len(exs)
    T = max(ex.hi - ex.lo for ex in exs)
    Q = max(len(split.q_ids[ex.q]) for ex in exs)
    nx = EXTRA_DIMS[variant]
    pf = np.zeros((B, T, D.FEATURE_DIM), np.float32)
    qf = np.zeros((B, Q, D.FEATURE_DIM), np.float32)
    ex_f = np.zeros((B, T, nx), np.float32)
    plen = np.zeros(B, np.int64)
    qlen = np.zeros(B, np.int64)
    for b, ex in enumerate(exs):
        pi = split.questions[ex.q]["passage"]
        n = ex.hi - ex.lo
        pf[b, :n] = split.feats[split.p_off[pi] + ex.lo : split.p_off[pi] + ex.hi]
        qq = split.q_feats(ex.q)
        qf[b, : len(qq)] = qq
        ex_f[b, :n] = split.extra_cache[(ex.q, ex.lo, ex.hi)]
        plen[b], qlen[b] = n, len(qq)
    ys = torch.tensor([ex.y_start for ex in exs], device=DEVICE)
    ye = torch.tensor([ex.y_end for ex in exs], device=DEVICE)
    tensors = (pf, plen, qf, qlen, ex_f)
    return tuple(torch.from_numpy(a).to(DEVICE) for a in tensors), ys, ye


def attach_extras(split: D.Split, exs: list[D.Example], variant: str):
    if split.extra_variant != variant:
        split.extra_cache = {}
        split.extra_variant = variant
    for ex in exs:
        key = (ex.q, ex.lo, ex.hi)
        if key not in split.extra_cache:
            split.extra_cache[key] = D.extra_features(split, ex, variant)


def batches(exs, bs, rng: random.Random, shuffle=True):
    """Length-bucketed batches: shuffle, sort chunks of 50 batches by window length, shuffle the batches."""
    exs = list(exs)
    if shuffle:
        rng.shuffle(exs)
    out: list[list[D.Example]] = []
    chunk = bs * 50
    for i in range(0, len(exs), chunk):
        part = sorted(exs[i : i + chunk], key=lambda e: e.hi - e.lo)
        out.extend(part[j : j + bs] for j in range(0, len(part), bs))
    if shuffle:
        rng.shuffle(out)
    return out
