"""The converted multilingual-e5-small at run time: questions through onnxruntime (no torch on the question path),
passages in batches through sentence-transformers with bfloat16 autocast where the CPU has it.

Both read the same converted folder (`qa.encoder.convert`); their vectors agree to a cosine of 0.9999. Prompts:
``query: `` for questions, ``passage: `` for chunks, as the model was trained.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from qa.encoder.convert import MAX_SEQ_LENGTH, ONNX_DIR, ONNX_FILE, WORDS_FILE


def quiet_transformers() -> None:
    """No weight-loading progress bars or load reports from transformers in qa's output (builds print their own)."""
    import warnings

    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    warnings.filterwarnings("ignore", module=r"torch\.onnx.*|transformers.*")


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX): then autocast is faster than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def session_options(threads: int) -> Any:
    """onnxruntime options for one short run at a time on `threads` threads: its worker threads stop spinning when a
    run ends, so they do not hold the CPU that the next model's run (the reader after the question, or the
    question encoder after the reader) needs. On 2 cores, with the question encoder on 2 threads: warm `ask` p50
    41 -> 30 ms, p95 unchanged (README "Speed")."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.force_spinning_stop", "1")
    return opts


class QuestionEncoder:
    """Short texts through the ONNX graph: the fast-loading unigram tokenizer, a memory-mapped word-embedding table
    and onnxruntime (no torch, no tokenizer.json: a cold `qa ask` loads this in about 0.4 s)."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime as ort

        from qa.encoder.unigram import UnigramTokenizer

        self._tok = UnigramTokenizer(folder / ONNX_DIR, max_length=MAX_SEQ_LENGTH)
        self._words = np.load(folder / ONNX_DIR / WORDS_FILE, mmap_mode="r")
        graph = str(folder / ONNX_DIR / ONNX_FILE)
        self._session = ort.InferenceSession(graph, session_options(threads), providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Texts (prompts already prefixed) -> L2-normalised float32 vectors."""
        encodings = [self._tok.encode(t) for t in texts]
        width = max(len(e) for e in encodings)
        ids = np.full((len(texts), width), self._tok.pad, dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1
        embeds = np.asarray(self._words[ids], dtype=np.float32)
        return np.asarray(self._session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0], np.float32)


class PassageEncoder:
    """Many texts through sentence-transformers (torch), batched, bfloat16 autocast when the CPU supports it."""

    def __init__(self, folder: Path, threads: int = 1, batch_size: int = 16) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        quiet_transformers()
        torch.set_num_threads(max(1, threads))
        self._torch = torch
        self._model: Any = SentenceTransformer(str(folder), device="cpu", model_kwargs={"dtype": torch.float32})
        self._bf16 = cpu_has_bf16()
        self._batch = batch_size

    def encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        with self._torch.inference_mode(), self._torch.autocast("cpu", dtype=self._torch.bfloat16, enabled=self._bf16):
            vecs = self._model.encode(
                list(texts),
                prompt_name=prompt_name,
                batch_size=self._batch,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
        return vecs.float().numpy()  # bfloat16 under autocast
