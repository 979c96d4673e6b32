"""The files to index under the folders and files given, and reading them.

`walk` lists every file to index (the ingest walker's rules: hidden and unsupported files left out, links followed
only inside the folders given) and the mtime of every folder walked; `WalkedFiles` reads what it found as documents
for `qa.index.update.apply_update`, standing an `Unchanged` in for a file whose size and mtime match the index, and
collects a one-line reason for every file it skips.

A document removed from the index (the web UI's "remove", which never deletes the user's file) is listed in the
manifest's `excluded`; a later build of its folder leaves the file out, so the removal holds. Naming the file itself
(`qa build FOLDER FOLDER/FILE`) or uploading it again brings it back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from qa.errors import InputError
from qa.index.update import Unchanged
from qa.types import Document

Walked = tuple[Path, Path, str | None, bool]  # (file, root, reason to skip it or None, found by walking)


def walk(paths: Sequence[Path]) -> tuple[list[Walked], dict[str, float]]:
    """(file, root, reason to skip it or None, found by walking) for every file to index under `paths` (the
    ingest walker's rules: hidden and unsupported files left out, links followed only inside the folders given),
    and the mtime of every folder walked."""
    from qa.ingest.readers import expand_paths

    folders: dict[str, float] = {}

    def record(folder: Path) -> None:
        try:
            folders[str(folder.resolve())] = os.stat(folder).st_mtime
        except (OSError, RuntimeError):
            pass

    return expand_paths(paths, on_folder=record), folders


def _resolved(path: Path) -> str | None:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return None


class WalkedFiles:
    """The files `walk` found, read as documents (iterate once): a file whose size and mtime match its entry in
    `known` (source -> manifest entry) is not read again, an `Unchanged` stands for it. `skipped` gets the reason for
    every file left out (by the walk, unreadable, or a second file of a name or a path already read); `readable`
    counts the items yielded. A file found by walking whose source is in `excluded` (removed from the index) is
    left out too; `excluded` becomes the names so left out, for the new manifest."""

    def __init__(self, files: Sequence[Walked], known: dict[str, dict[str, Any]], excluded: Iterable[str] = ()) -> None:
        from qa.ingest.readers import _source_name

        self.files = files
        self.known = known
        self.skipped: list[str] = []
        self.readable = 0
        self.excluded: list[str] = []
        removed = set(excluded)
        if removed:
            ok = [(f, root, walked) for f, root, reason, walked in files if reason is None]
            named = {_source_name(f, root) for f, root, walked in ok if not walked}
            found = {_source_name(f, root) for f, root, walked in ok if walked}
            self.excluded = sorted((removed & found) - named)
        self._left_out = frozenset(self.excluded)

    def __iter__(self) -> Iterator[Document | Unchanged]:
        from qa.ingest.readers import _load, _source_name

        files, known, skipped = self.files, self.known, self.skipped
        seen: set[str] = set()
        paths_read: dict[str, str] = {}
        # a link and the file it points to are one document: the file is read under its own name
        targets = {_resolved(f) for f, _r, reason, walked in files if walked and reason is None and not f.is_symlink()}
        for f, root, reason, walked in files:
            if reason is not None:
                skipped.append(reason)
                continue
            if walked and f.is_symlink() and _resolved(f) in targets:
                continue
            name = _source_name(f, root)
            if walked and name in self._left_out:
                skipped.append(
                    f"{name}: skipped, it was removed from this index (give the file itself to add it again)"
                )
                continue
            old = known.get(name)
            if old is not None and old.get("path") == _resolved(f):
                try:
                    st = f.stat()
                except OSError:
                    st = None
                if st is not None and st.st_size == old.get("size_on_disk") and st.st_mtime == old.get("mtime"):
                    if name not in seen:
                        seen.add(name)
                        paths_read[old["path"]] = name
                        self.readable += 1
                        yield Unchanged(name, old["path"])
                    continue
            try:
                doc = _load(f, root, confine=False)  # the walk already kept links inside the folders given
            except InputError as exc:
                skipped.append(str(exc))
                continue
            if doc.source in seen:
                skipped.append(f"{doc.source}: skipped, a file with the same name was already loaded")
                continue
            if doc.path in paths_read:
                skipped.append(f"{doc.source}: skipped, the same file as {paths_read[doc.path]}")
                continue
            seen.add(doc.source)
            paths_read[doc.path] = doc.source
            self.readable += 1
            yield doc
