"""A generation's manifest (`b-…/manifest.json`, described in index/README.md) as a typed, frozen record.

`Manifest.from_dict` checks what was read (an IndexProblem that says how to rebuild when it is not a manifest
this qa reads); `to_dict` gives back exactly the JSON that is written, unknown keys included (`extra`). The
JSON key `chunker` is the field `contract`: the settings and stage versions that shape the index.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem
from qa.index.changes import Changes

FORMAT_VERSION = 2
REBUILD_HINT = "run `qa build {roots} --index {dir}` to rebuild it"
SEGMENT_NAME = re.compile(r"s-[0-9A-Za-z-]{1,80}")

# the JSON keys in the order they are written; `chunker` is the field `contract`
_KEYS = (
    "embedder",
    "chunker",
    "backend",
    "segments",
    "updated",
    "n_chunks",
    "n_documents",
    "built_at",
    "versions",
    "embedded_now",
    "roots",
    "excluded",
    "folders",
    "format_version",
)
# keys that may be absent (left out of `to_dict` when None), and the type each key must have when present
_OPTIONAL = ("n_documents", "built_at", "versions", "embedded_now")
_TYPES: tuple[tuple[str, type], ...] = (
    ("n_chunks", int),
    ("roots", list),
    ("excluded", list),
    ("chunker", dict),
    ("updated", dict),
    ("backend", dict),
    ("folders", dict),
    ("versions", dict),
    ("n_documents", int),
    ("embedded_now", int),
    ("built_at", str),
)


def rebuild_hint(index_dir: Path | str) -> str:
    """What to run to rebuild the index in `index_dir`: with the folders it was built from, when its manifest still
    names them, else with a placeholder for the user's documents folder."""
    return REBUILD_HINT.format(
        roots=_built_from(Path(index_dir)) or "YOUR_DOCUMENTS_FOLDER", dir=shlex.quote(str(index_dir))
    )


def _built_from(index_dir: Path) -> str:
    """The quoted folders the live build's manifest records (`roots`), or "" when it cannot be read."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return ""  # not a build of this folder
        build = index_dir / name
        roots = json.loads((build / "manifest.json").read_text(encoding="utf-8")).get("roots")
    except (OSError, ValueError, AttributeError):
        return ""
    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) and r for r in roots):
        return ""
    return " ".join(shlex.quote(r) for r in roots)


def corrupt(index_dir: Path | str, what: str) -> IndexProblem:
    """The one-line IndexProblem of a damaged index."""
    return IndexProblem(f"index {index_dir} is corrupt ({what}): {rebuild_hint(index_dir)}")


def _valid_segment(s: Any) -> bool:
    return (
        isinstance(s, dict)
        and isinstance(s.get("name"), str)
        and SEGMENT_NAME.fullmatch(s["name"]) is not None
        and isinstance(s.get("deleted", []), list)
        and isinstance(s.get("removed", []), list)
    )


def _check(d: Any, index_dir: Path | str) -> None:
    """IndexProblem unless `d` is a manifest this qa reads (the same checks and messages as ever)."""
    if not isinstance(d, dict):
        raise corrupt(index_dir, "manifest.json is not an object")
    if d.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"index {index_dir} has format {d.get('format_version')}, this qa reads {FORMAT_VERSION}: "
            f"{rebuild_hint(index_dir)}"
        )
    emb = d.get("embedder")
    if not (isinstance(emb, dict) and isinstance(emb.get("name"), str) and isinstance(emb.get("dim"), int)):
        raise corrupt(index_dir, "manifest.json lacks the embedder")
    from qa.index.embedders import known_embedder

    if not known_embedder(emb["name"]):
        raise corrupt(index_dir, f"manifest.json names an unknown embedder {emb['name'][:40]!r}")
    segs = d.get("segments")
    if not isinstance(segs, list) or not all(_valid_segment(s) for s in segs):
        raise corrupt(index_dir, "manifest.json has no valid segment list")
    for key, kind in _TYPES:
        if key in d and not isinstance(d[key], kind):
            raise corrupt(index_dir, f"manifest.json: {key} is not a {kind.__name__}")
    if not isinstance(d.get("n_chunks"), int):
        raise corrupt(index_dir, "manifest.json lacks n_chunks")
    if "documents" in d and not isinstance(d["documents"], dict):
        raise corrupt(index_dir, "manifest.json: documents is not a dict")


@dataclass(frozen=True)
class EmbedderRecord:
    """The embedder an index was built with: its name (`qa.index.embedders`) and vector dimension."""

    name: str
    dim: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "dim": self.dim}


@dataclass(frozen=True)
class Manifest:
    """What a generation holds and how it was built. `documents` (source -> entry) is not in the file: readers
    gather it from the segments (`qa.index.store.open_generation`), writers from what they indexed."""

    embedder: EmbedderRecord
    n_chunks: int
    segments: tuple[dict[str, Any], ...] = ()  # {"name": "s-…", "deleted": [[a, b], …], "removed": [source, …]}
    contract: dict[str, Any] = field(default_factory=dict)  # JSON key "chunker"
    backend: dict[str, Any] = field(default_factory=lambda: {"name": "embedded"})
    updated: dict[str, dict[str, Any]] = field(default_factory=dict)
    n_documents: int | None = None
    built_at: str | None = None
    versions: dict[str, str] | None = None
    embedded_now: int | None = None
    roots: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    folders: dict[str, float] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys this qa does not know, written back as they were
    changes: Changes | None = None  # what the build that returned this manifest changed (not in the file)

    @classmethod
    def from_dict(cls, d: Any, index_dir: Path | str = "index") -> Manifest:
        """The manifest in a parsed manifest.json (or a writer's dict, possibly with `documents`); IndexProblem,
        naming `index_dir`, when it is not one this qa reads."""
        _check(d, index_dir)
        known = set(_KEYS) | {"documents"}
        return cls(
            embedder=EmbedderRecord(d["embedder"]["name"], d["embedder"]["dim"]),
            n_chunks=d["n_chunks"],
            segments=tuple(d["segments"]),
            contract=dict(d.get("chunker", {})),
            backend=dict(d.get("backend", {"name": "embedded"})),
            updated=dict(d.get("updated", {})),
            n_documents=d.get("n_documents"),
            built_at=d.get("built_at"),
            versions=d.get("versions"),
            embedded_now=d.get("embedded_now"),
            roots=tuple(d.get("roots", ())),
            excluded=tuple(d.get("excluded", ())),
            folders=dict(d.get("folders", {})),
            format_version=d["format_version"],
            documents=dict(d.get("documents", {})),
            extra={k: v for k, v in d.items() if k not in known},
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of manifest.json (without `documents`, which the segments hold)."""
        values: dict[str, Any] = {
            "embedder": self.embedder.to_dict(),
            "chunker": self.contract,
            "backend": self.backend,
            "segments": list(self.segments),
            "updated": self.updated,
            "n_chunks": self.n_chunks,
            "n_documents": self.n_documents,
            "built_at": self.built_at,
            "versions": self.versions,
            "embedded_now": self.embedded_now,
            "roots": list(self.roots),
            "excluded": list(self.excluded),
            "folders": self.folders,
            "format_version": self.format_version,
        }
        out = {k: values[k] for k in _KEYS if not (k in _OPTIONAL and values[k] is None)}
        return {**out, **self.extra}
