"""Chinese word segmentation: the one place jieba is loaded (lazily, quietly, once, from any thread)."""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def _cache_file() -> Path:
    """jieba's dictionary cache under the user's own cache folder (not a shared /tmp file)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base / "jieba.cache"
    except OSError:
        pass
    import tempfile

    return Path(tempfile.gettempdir()) / f"qa-jieba-{os.getuid() if hasattr(os, 'getuid') else 'user'}.cache"


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.cache_file = str(_cache_file())
    jieba.initialize()
    return jieba


def load_jieba() -> Any:
    """jieba's segmenter, imported and initialised once (about 0.6 s); safe from any thread."""
    with _LOCK:
        return _jieba()


@lru_cache(maxsize=1)
def load_posseg() -> Any:
    """jieba's part-of-speech tagger (its tables load on first use), for names and places."""
    load_jieba()
    import jieba.posseg

    return jieba.posseg


@lru_cache(maxsize=1)
def _dictionary_text() -> str:
    """jieba's main dictionary ("word freq tag" lines) as one string, read once (about 20 ms)."""
    with load_jieba().dt.get_dict_file() as f:
        return "\n" + f.read().decode("utf-8")


@lru_cache(maxsize=4096)
def dictionary_tag(word: str) -> str:
    """jieba's part-of-speech tag of a dictionary word ('n', 'v', 'ns', …), '' when the dictionary lacks it: one
    word's tag without loading the tagger's tables (about 0.7 s)."""
    if not word or "\n" in word:
        return ""
    m = re.search(rf"\n{re.escape(word)} \d+ (\S+)", _dictionary_text())
    return m.group(1) if m else ""


def words(text: str) -> list[str]:
    """jieba's words of `text`, in order."""
    return list(load_jieba().lcut(text))
