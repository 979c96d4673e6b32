"""Process-wide state of the web UI: the loaded assistant (swapped after a re-index), login, host checks."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa.errors import InputError

Loader = Callable[[Path], Any]


WARM_UP = ("提案", "proposals")


def default_loader(index_dir: Path) -> Any:
    """Load the real assistant (imported lazily: it pulls in the embedder) and warm it up.

    The first question pays for lazy set-up (tokenizer dictionaries, the lexicon, graph tracing);
    asking throw-away questions here keeps that off the first user's answer. Source freshness is
    not enforced: the UI edits the document set itself and shows staleness in its header instead.
    """
    from qa.assistant import Assistant
    from qa.errors import QAError

    assistant = Assistant.load(index_dir, check_sources=False)
    for question in WARM_UP:
        try:
            assistant.ask(question)
        except QAError:
            pass
    return assistant


class AssistantHolder:
    """Holds one loaded assistant per index; `reload()` swaps in a fresh one atomically.

    `get()` hands out a reference, so a question being answered keeps using the assistant it
    started with while a re-index builds and loads the next one. Index writes are serialised with
    `updating()`.
    """

    def __init__(self, index_dir: Path | str, loader: Loader | None = None) -> None:
        self.index_dir = Path(index_dir)
        self._loader = loader or default_loader
        self._lock = threading.Lock()  # guards _current / generation
        self._load_lock = threading.Lock()  # one load at a time
        self._write_lock = threading.Lock()  # one index update at a time
        self._current: Any = None
        self.generation = 0  # bumped on every successful (re)load
        self.loads = 0  # how many times the index was loaded (for tests/diagnostics)

    @property
    def loaded(self) -> bool:
        return self._current is not None

    def get(self) -> Any:
        """The current assistant, loading it on first use (raises IndexProblem when unusable)."""
        current = self._current
        if current is not None:
            return current
        with self._load_lock:
            if self._current is None:
                self._swap(self._load())
            return self._current

    def reload(self) -> Any:
        """Load the index again and swap it in; on failure the previous assistant stays."""
        with self._load_lock:
            fresh = self._load()
            self._swap(fresh)
            return fresh

    def peek(self) -> Any:
        """The current assistant without loading (None before the first load)."""
        return self._current

    @contextmanager
    def updating(self) -> Iterator[None]:
        """Serialise index writes (uploads, removals) within this process."""
        with self._write_lock:
            yield

    def _load(self) -> Any:
        assistant = self._loader(self.index_dir)
        self.loads += 1
        return assistant

    def _swap(self, fresh: Any) -> None:
        with self._lock:
            self._current = fresh
            self.generation += 1


_HOLDERS: dict[Path, AssistantHolder] = {}
_HOLDERS_LOCK = threading.Lock()


def holder_for(index_dir: Path | str) -> AssistantHolder:
    """The process-wide holder of `index_dir` (so the index loads once per process)."""
    key = Path(index_dir).resolve()
    with _HOLDERS_LOCK:
        if key not in _HOLDERS:
            _HOLDERS[key] = AssistantHolder(key)
        return _HOLDERS[key]


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`QA_AUTH=user:password` -> (user, password); unset or blank -> None (no login)."""
    if value is None or not value.strip():
        return None
    user, sep, password = value.strip().partition(":")
    if not sep or not user or not password:
        raise InputError("QA_AUTH must look like user:password (both parts non-empty)")
    return user, password


def is_loopback(host: str) -> bool:
    """True for localhost / 127.x / ::1; False for 0.0.0.0, LAN addresses and other names."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost.localdomain") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
