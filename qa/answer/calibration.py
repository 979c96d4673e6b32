"""The confidence model: a logistic regression from `Signals` to the probability that an answer is right, and the
threshold below which the assistant abstains. Fit by `qa.evaluation.calibrate` on tune questions; stored as plain
JSON beside this module (no pickle)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa.answer.confidence import Signals

DEFAULT_PATH = Path(__file__).with_name("calibration.json")  # fit for the default embedder, e5-small


def calibration_path(embedder: str) -> Path:
    """The model fit for `embedder`'s profile (qa.config.profile_name): calibration-<name>.json when there is one,
    else the default embedder's."""
    from qa.config import profile_name

    own = DEFAULT_PATH.with_name(f"calibration-{profile_name(embedder)}.json")
    return own if own.is_file() else DEFAULT_PATH


#: The model's inputs, in order: the hand-set score first, then the signals it is made of.
FEATURES = (
    "heuristic", "coverage", "dense", "typed", "missing_span", "focus_missing", "aim_mismatch", "unknown_names",
    "places_absent", "numbers_near", "numbers_absent", "years_covered", "rank0", "english", "reader", "reader_typed",
    "sentence", "reader_null", "reader_read",
)  # fmt: skip


def inputs(s: Signals, heuristic: float) -> dict[str, float]:
    """An answer's signals and hand-set score, as the numbers the model reads (and `Answer.signals` keeps)."""
    return {**s.to_dict(), "heuristic": heuristic}


def features(values: Mapping[str, float], names: Sequence[str] = FEATURES) -> list[float]:
    """The model's input vector from `inputs(...)`."""
    derived = {
        "rank0": float(values.get("rank", 1) == 0),
        "reader_typed": values.get("reader", 0) * values.get("typed", 0),
    }
    return [float(derived[n] if n in derived else values.get(n, 0.0)) for n in names]


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over FEATURES, the abstention threshold, and how they were fit."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    fit: dict[str, Any] = field(default_factory=dict)
    features: tuple[str, ...] = FEATURES

    def probability(self, values: Mapping[str, float]) -> float:
        """P(the answer is right | its signals), from `inputs(...)`."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features(values, self.features), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "fit": self.fit,
        }

    def save(self, path: Path = DEFAULT_PATH) -> Path:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


@lru_cache(maxsize=4)
def load_calibration(path: Path = DEFAULT_PATH) -> Calibration | None:
    """The stored model, or None when there is none (the hand-set score is used then)."""
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return Calibration(
            weights=tuple(float(w) for w in d["weights"]),
            bias=float(d["bias"]),
            threshold=float(d["threshold"]),
            fit=dict(d.get("fit") or {}),
            features=tuple(str(f) for f in d["features"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
