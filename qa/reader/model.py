"""The fine-tuned reader at run time: onnxruntime and numpy, no torch.

    from qa.reader.model import Reader
    reader = Reader.load()                             # the shipped weights in qa/reader/weights/
    [found] = reader.read("立案多少件？", [passage])      # found.spans: [(start, end, p), ...]; found.null

Token ids come from the encoder's own unigram tokenizer (with character offsets), their embeddings from the
converted encoder's word-embedding table (memory-mapped), the rest from the exported graph (`qa.reader.export`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from qa.reader.export import CONFIG, GRAPH
from qa.reader.reading import WindowReader

WEIGHTS_DIR = Path(__file__).parent / "weights"


class Reader(WindowReader):
    """Start and end logits through onnxruntime."""

    def __init__(self, folder: Path, model_folder: Path, threads: int = 1) -> None:
        import onnxruntime as ort

        from qa.encoder.convert import MAX_SEQ_LENGTH, ONNX_DIR, WORDS_FILE
        from qa.encoder.runtime import session_options
        from qa.encoder.unigram import UnigramTokenizer

        self.config: dict[str, Any] = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        s = self.config["settings"]
        super().__init__(UnigramTokenizer(model_folder / ONNX_DIR, MAX_SEQ_LENGTH), s["max_len"], s["overlap"])
        self._words = np.load(model_folder / ONNX_DIR / WORDS_FILE, mmap_mode="r")
        graph = str(folder / GRAPH)
        self._session = ort.InferenceSession(graph, session_options(threads), providers=["CPUExecutionProvider"])

    @classmethod
    def load(cls, spec: str | Path = "default", threads: int = 1) -> Reader:
        """The reader in a weights folder ("default": the shipped one), on the converted encoder."""
        from qa.encoder.convert import ensure_model

        folder = WEIGHTS_DIR if str(spec) == "default" else Path(spec)
        return cls(folder, ensure_model(), threads)

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        embeds = np.asarray(self._words[ids], dtype=np.float32)
        start, end = self._session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})
        return np.asarray(start, np.float32), np.asarray(end, np.float32)
