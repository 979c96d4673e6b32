"""Reading passages for a question, whatever computes the logits: windows cut (`qa.reader.windows`), scored in one
batch, decoded (`qa.reader.decode`) and merged per passage. The exported reader (`qa.reader.model.Reader`,
onnxruntime) and the training module (`qa.reader.train`, torch) differ only in `logits`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from qa.reader.decode import WindowSpans, decode_window, merge_windows
from qa.reader.windows import OffsetTokenizer, Window, make_windows, question_ids


def padded(windows: Sequence[Window], pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask of the windows as one batch, padded at the end."""
    width = max(len(w.ids) for w in windows)
    ids = np.full((len(windows), width), pad, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for row, w in enumerate(windows):
        ids[row, : len(w.ids)] = w.ids
        mask[row, : len(w.ids)] = 1
    return ids, mask


class WindowReader(ABC):
    """Passages in windows of `max_len` tokens (overlapping by `overlap`); spans of at most `max_tokens` tokens."""

    def __init__(self, tok: OffsetTokenizer, max_len: int = 256, overlap: int = 96, max_tokens: int = 40) -> None:
        self.tok = tok
        self.max_len = max_len
        self.overlap = overlap
        self.max_tokens = max_tokens

    @abstractmethod
    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits, (batch, tokens) each, of a padded batch."""

    def windows(self, question: str, passages: Sequence[str]) -> list[list[Window]]:
        """Each passage's windows for the question."""
        q = question_ids(self.tok, question)
        out = []
        for p in passages:
            ids, spans = self.tok.encode_offsets(p)
            out.append(make_windows(q, ids, spans, self.tok.bos, self.tok.eos, self.max_len, self.overlap))
        return out

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]:
        """Each passage's best spans (character offsets into it) and its "no answer" probability."""
        if not passages:
            return []
        per_passage = self.windows(question, passages)
        flat = [w for ws in per_passage for w in ws]
        start, end = self.logits(*padded(flat, self.tok.pad))
        decoded = [
            decode_window(start[i, : len(w.ids)], end[i, : len(w.ids)], w, top_n, self.max_tokens)
            for i, w in enumerate(flat)
        ]
        out, k = [], 0
        for ws in per_passage:
            out.append(merge_windows(decoded[k : k + len(ws)], top_n))
            k += len(ws)
        return out
