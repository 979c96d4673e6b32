"""Process-wide state of the web UI: the loaded assistant (swapped after a re-index), login, host checks."""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa.errors import InputError

Loader = Callable[[Path], Any]
log = logging.getLogger(__name__)

#: How often (seconds) the index folder's CURRENT pointer is looked at for a build made by another process.
WATCH_INTERVAL = 2.0


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


def pointer_signature(index_dir: Path) -> tuple[int, int, str] | None:
    """What identifies the live build cheaply: (mtime_ns, size, contents) of index_dir/CURRENT, None without one.

    Every build (`qa build`, the web UI's uploads) replaces CURRENT atomically, so a new build changes this.
    """
    pointer = Path(index_dir) / "CURRENT"
    try:
        st = pointer.stat()
        return st.st_mtime_ns, st.st_size, pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None


class AssistantHolder:
    """Holds one loaded assistant per index; `reload()` swaps in a fresh one atomically.

    `get()` hands out a reference, so a question being answered keeps using the assistant it
    started with while a re-index builds and loads the next one. Index writes are serialised with
    `updating()`. `check_for_update()` (called by a background watcher, see `watch()`) reloads when
    another process, such as `qa build`, switched the index to a new build.
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
        self._loaded_sig: tuple[int, int, str] | None = None  # CURRENT as it was when the live assistant loaded
        self._failed_sig: tuple[int, int, str] | None = None  # a build that failed to load (not retried)
        self._last_check: float | None = None  # monotonic time of the last look; None: never looked
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()

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

    def check_for_update(self, min_interval: float = WATCH_INTERVAL) -> bool:
        """Reload when CURRENT names another build than the loaded one; True when it did.

        Cheap (one stat and a tiny read, at most once per `min_interval` seconds); skipped before the
        first load (the first question loads whatever is there) and while this process is writing the
        index itself (`updating()` reloads when it is done). A build that fails to load is logged and
        not retried until CURRENT changes again; the previous assistant stays.
        """
        now = time.monotonic()
        if self._last_check is not None and now - self._last_check < min_interval:
            return False
        self._last_check = now
        if self._current is None:
            return False
        sig = pointer_signature(self.index_dir)
        if sig is None or sig == self._loaded_sig or sig == self._failed_sig:
            return False
        if not self._write_lock.acquire(blocking=False):
            return False
        try:
            if pointer_signature(self.index_dir) == self._loaded_sig:
                return False
            try:
                self.reload()
            except Exception as exc:  # keep serving the old index
                self._failed_sig = sig
                log.warning("the index in %s changed but could not be loaded: %s", self.index_dir, exc)
                return False
            log.info("loaded the new build of %s", self.index_dir)
            return True
        finally:
            self._write_lock.release()

    def watch(self, interval: float = WATCH_INTERVAL) -> None:
        """Start (once) a daemon thread that calls `check_for_update()` every `interval` seconds."""
        with self._lock:
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._stop.clear()
            self._watcher = threading.Thread(
                target=self._watch_loop, args=(interval,), name="qa-index-watch", daemon=True
            )
            self._watcher.start()

    def stop_watching(self) -> None:
        """Stop the watcher thread (tests; the server's thread just dies with the process)."""
        self._stop.set()
        watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout=10)
        self._watcher = None

    def _watch_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.check_for_update(min_interval=0)
            except Exception:  # never let the watcher die
                log.exception("checking %s for a new build failed", self.index_dir)

    def _load(self) -> Any:
        sig = pointer_signature(self.index_dir)  # read before loading: a build switched mid-load is seen next time
        assistant = self._loader(self.index_dir)
        self.loads += 1
        self._loaded_sig = sig
        self._failed_sig = None
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
