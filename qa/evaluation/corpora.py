"""The gold sets and the documents each is asked of: one place for the evaluation, the calibration and the
side-by-side tables to find them, and their indexes built once (cached beside the SQuAD indexes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
CMRC_TRIAL = SHARED / "benchmarks" / "cmrc2018_trial.json"


@dataclass(frozen=True)
class GoldSet:
    """A gold file and the folders of development documents indexed with the bundled report for it."""

    name: str
    file: Path
    folders: tuple[str, ...]  # under ../shared/corpus; () = the bundled report alone

    def paths(self) -> list[Path]:
        """The documents indexed for this set (the bundled report last)."""
        return [p for f in self.folders for p in sorted((CORPUS / f).glob("*.txt"))] + [ROOT / "data"]

    def available(self) -> bool:
        return all((CORPUS / f).is_dir() for f in self.folders)


SETS = {
    "gold": GoldSet("gold", ROOT / "eval" / "questions.jsonl", ()),
    "multidoc": GoldSet("multidoc", ROOT / "eval" / "multidoc.jsonl", ("gov-reports-2026",)),
    "genres": GoldSet(
        "genres",
        ROOT / "eval" / "genres.jsonl",
        ("gov-reports-2026", "gov-reports-2025", "communiques", "other-reports"),
    ),
}


def corpus_index(paths: list[Path]) -> Path:
    """An index of these documents, cached by their paths, brought up to date (only what changed is embedded)."""
    from qa.config import Settings
    from qa.evaluation.squad import cache_root
    from qa.index.build import build_index

    key = hashlib.sha256("|".join(str(p.resolve()) for p in paths).encode()).hexdigest()[:12]
    index_dir = cache_root().parent / "corpus" / key
    build_index(list(paths), index_dir, Settings(index_dir=index_dir))
    return index_dir


def index_for(name: str) -> Path:
    """The index a gold set is asked of: index/ for the bundled report's set, else a cached corpus index."""
    gold = SETS[name]
    if not gold.folders:
        from qa.config import Settings
        from qa.index.build import build_index

        index_dir = Path(Settings.from_env().index_dir)
        build_index([ROOT / "data"], index_dir, Settings(index_dir=index_dir))
        return index_dir
    return corpus_index(gold.paths())
