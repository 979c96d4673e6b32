"""Which files in the documents folder the web UI wrote itself, so that removing a document deletes only those.

`qa serve --docs D` may point at the very folder the user indexed: a file there is the user's, and removing its
document from the index must leave it on disk. A file the UI stored from an upload is recorded in INDEX/uploads.json
with its size and modification time; removing its document deletes that copy too, unless the file changed since
it was stored (then someone else wrote it, and it is kept). Nothing else is ever deleted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

RECORD = "uploads.json"

Stamp = tuple[int, int]  # (size, mtime in ns)


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Uploads:
    """The record of the uploaded copies of one index (a small JSON file the app owns in the index folder)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / RECORD

    def _read(self) -> dict[str, Stamp]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no record (or a damaged one): nothing counts as an upload, so nothing is deleted
        files = raw.get("files") if isinstance(raw, dict) else None
        if not isinstance(files, dict):
            return {}
        out: dict[str, Stamp] = {}
        for key, value in files.items():
            if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
                out[str(key)] = (value[0], value[1])
        return out

    def _write(self, files: dict[str, Stamp]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{RECORD}.{os.getpid()}.tmp")
        body = {"files": {k: list(v) for k, v in sorted(files.items())}}
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def current(self) -> set[str]:
        """Resolved paths of the recorded uploads that are still as the UI stored them."""
        return {key for key, stamp in self._read().items() if _stamp(Path(key)) == stamp}

    def is_upload(self, path: Path) -> bool:
        """Whether `path` is a copy the UI stored from an upload and nobody changed since."""
        key = _key(path)
        stamp = self._read().get(key)
        return stamp is not None and _stamp(Path(key)) == stamp

    def record(self, paths: Iterable[Path]) -> None:
        """Note `paths` (just written by the UI) as uploaded copies."""
        files = self._read()
        for p in paths:
            stamp = _stamp(p)
            if stamp is not None:
                files[_key(p)] = stamp
        self._write(files)

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop `paths` from the record (deleted, or no longer the UI's)."""
        files = self._read()
        keys = {_key(p) for p in paths}
        if keys & set(files):
            self._write({k: v for k, v in files.items() if k not in keys})
