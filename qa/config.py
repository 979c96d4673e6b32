"""Every setting in one dataclass, with environment overrides (QA_INDEX_DIR, QA_EMBEDDER, ...)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Settings that change what is stored in an index; a mismatch makes the index stale.
INDEX_KEYS = ("embedder", "chunk_size", "chunk_overlap", "min_chunk")


#: The package whose code decides what a chunk is: editing any of its modules makes stored chunks stale.
PIPELINE_PACKAGE = Path(__file__).parent / "ingest"


@lru_cache(maxsize=1)
def pipeline_signature() -> str:
    """Short hash of the reading, cleaning and chunking code (every module of `qa/ingest/`)."""
    h = hashlib.sha1()
    for path in sorted(PIPELINE_PACKAGE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Settings:
    """All knobs of the assistant. Index-shaping ones are recorded in the manifest."""

    index_dir: Path = Path("index")
    embedder: str = "use-m3"  # "use-m3", "st:MODEL_OR_FOLDER", "st:minilm", or "fake"
    chunk_size: int = 350  # characters per chunk (measured on eval/ and CMRC 2018: see README)
    chunk_overlap: int = 40
    min_chunk: int = 40  # pieces shorter than this join a neighbour
    k: int = 5  # citations/chunks considered for an answer
    retrieve_k: int = 10  # hits kept for inspection and evaluation
    dense_weight: float = 0.1  # weight of the dense side in score fusion (zh questions; see README)
    dense_weight_en: float = 0.5  # weight of the dense side for English questions
    abstain_threshold: float = 0.30  # minimum answer confidence (calibrated on eval/: see README)
    max_question_chars: int = 2000

    def index_params(self) -> dict[str, Any]:
        """The settings that shape the stored index, plus a hash of the cleaning and chunking code."""
        return {**{k: getattr(self, k) for k in INDEX_KEYS}, "pipeline": pipeline_signature()}

    def with_overrides(self, **kw: Any) -> "Settings":
        """Copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Defaults overridden by QA_<FIELD> environment variables."""
        env = dict(os.environ if env is None else env)
        kw: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get("QA_" + f.name.upper())
            if raw is None:
                continue
            default = getattr(cls(), f.name)
            if isinstance(default, Path):
                kw[f.name] = Path(raw)
            elif isinstance(default, bool):
                kw[f.name] = raw.lower() in ("1", "true", "yes")
            else:
                kw[f.name] = type(default)(raw)
        return cls(**kw)
