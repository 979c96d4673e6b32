"""The span reader's network in torch, for training (`qa.reader.train`); `qa.reader.model` runs the same weights
with numpy or onnxruntime. Only training imports this module."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class TorchReader(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.cfg = cfg
        E, H = cfg["emb"], cfg["hidden"]
        self.proj = nn.Linear(cfg["feat_dim"], E)
        self.align = nn.Linear(E, E)
        doc_in = 2 * E + cfg["extra"]
        # Each BiLSTM layer is two one-way LSTMs; the backward one reads every sequence reversed within its
        # own length. (Packed sequences make the CPU backward pass quadratic in the length: avoided.)
        self.doc_rnn = nn.ModuleList(
            [nn.LSTM(doc_in if i < 2 else 2 * H, H, batch_first=True) for i in range(2 * cfg["layers"])]
        )
        self.q_rnn = nn.ModuleList(
            [nn.LSTM(E if i < 2 else 2 * H, H, batch_first=True) for i in range(2 * cfg["q_layers"])]
        )
        dd = 2 * H * (cfg["layers"] if cfg["concat"] else 1)
        qd = 2 * H * (cfg["q_layers"] if cfg["concat"] else 1)
        self.q_attn = nn.Linear(qd, 1)
        self.start = nn.Linear(qd, dd)
        self.end = nn.Linear(qd, dd)
        self.drop = cfg["dropout"]
        self.drop_in = cfg.get("dropout_in", cfg["dropout"])

    @staticmethod
    def _reverse(x, lens):
        T = x.shape[1]
        t = torch.arange(T, device=x.device)[None, :]
        idx = lens[:, None] - 1 - t
        idx = torch.where(idx >= 0, idx, t)
        return x.gather(1, idx[:, :, None].expand(-1, -1, x.shape[2]))

    def _rnn(self, layers, x, lens):
        outs = []
        for i in range(0, len(layers), 2):
            x = F.dropout(x, self.drop, self.training)
            fw, _ = layers[i](x)
            bw, _ = layers[i + 1](self._reverse(x, lens))
            x = torch.cat([fw, self._reverse(bw, lens)], -1)
            outs.append(x)
        out = torch.cat(outs, -1) if self.cfg["concat"] else outs[-1]
        return F.dropout(out, self.drop, self.training)

    def forward(self, pf, plen, qf, qlen, extra):
        pmask = torch.arange(pf.shape[1], device=pf.device)[None, :] < plen[:, None]
        qmask = torch.arange(qf.shape[1], device=qf.device)[None, :] < qlen[:, None]
        p = self.proj(F.dropout(pf, self.drop_in, self.training))
        q = self.proj(F.dropout(qf, self.drop_in, self.training))
        pa = F.relu(self.align(p))
        qa = F.relu(self.align(q))
        sc = pa @ qa.transpose(1, 2)
        sc = sc.masked_fill(~qmask[:, None, :], -1e30)
        aligned = torch.softmax(sc, -1) @ q
        x = torch.cat([p, aligned, extra], -1)
        doc = self._rnn(self.doc_rnn, x, plen)
        qh = self._rnn(self.q_rnn, q, qlen)
        w = self.q_attn(qh).squeeze(-1).masked_fill(~qmask, -1e30)
        qv = (torch.softmax(w, -1)[:, :, None] * qh).sum(1)
        s = (doc @ self.start(qv)[:, :, None]).squeeze(-1).masked_fill(~pmask, -1e30)
        e = (doc @ self.end(qv)[:, :, None]).squeeze(-1).masked_fill(~pmask, -1e30)
        return s, e


def joint_span_loss(s, e, ys, ye, max_tokens):
    """-log P(gold span) under the softmax over all spans [i, i + d], d < max_tokens, inside the window
    (the distribution `inputs.span_scores` decodes from). Gold spans longer than that fall back to the
    independent start/end loss."""
    B, T = s.shape
    D = min(max_tokens, T)
    idx = torch.arange(T, device=s.device)[:, None] + torch.arange(D, device=s.device)[None, :]
    ok = idx < T
    pair = s[:, :, None] + e[:, idx.clamp(max=T - 1)]
    pair = pair.masked_fill(~ok[None], -1e30)
    lse = torch.logsumexp(pair.reshape(B, -1), -1)
    d = ye - ys
    fits = d < D
    gold = pair[torch.arange(B, device=s.device), ys, d.clamp(max=D - 1)]
    joint = lse - gold
    indep = F.cross_entropy(s, ys, reduction="none") + F.cross_entropy(e, ye, reduction="none")
    return torch.where(fits, joint, indep).mean()
