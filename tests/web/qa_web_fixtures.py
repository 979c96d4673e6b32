"""Shared by the web tests: one real index of data/ (the default embedder), built once per session.

(Not a conftest.py: tests import `conftest` by name, and a second conftest module would shadow tests/conftest.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_BUILT: dict[str, Path] = {}


def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of data/ (default embedder, like tests/evaluation/test_gold_gate.py), built on first use and
    shared by every web test module; treat it as read-only and `copy_index` it to change it."""
    if "index" not in _BUILT:
        from qa.index.build import build_index

        index_dir = tmp_path_factory.mktemp("bundled") / "index"
        build_index([ROOT / "data"], index_dir)
        _BUILT["index"] = index_dir
    return _BUILT["index"]


def copy_index(index_dir: Path, dest: Path) -> Path:
    """A private copy of a whole index folder (whatever its layout: builds, shared parts, pointer)."""
    shutil.copytree(index_dir, dest, ignore=shutil.ignore_patterns(".lock"))
    return dest
