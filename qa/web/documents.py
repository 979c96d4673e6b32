"""Document management behind the web UI's Documents tab: validate, store, index, remove.

Uploads are checked before anything is written; accepted files are copied into `docs_dir` and added
to the index incrementally (the store swaps builds atomically, so a failure leaves the old index).
After each change the `AssistantHolder` loads the new index and swaps it in.

Removing a document never deletes a file the user put on disk (`docs_dir` may be the folder they indexed): only
a copy the UI stored from an upload, as qa.web.uploads records it, is deleted with its document.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem, InputError, QAError
from qa.progress import Progress, Step
from qa.web.render import format_size
from qa.web.state import AssistantHolder
from qa.web.text import t
from qa.web.uploads import Uploads

MAX_UPLOAD_MB = 20


@dataclass
class UploadResult:
    """What happened to one upload batch: names added, uploads stored under a new name (a file of that name with
    other content was already there: neither replaces the other), and one-line messages for rejected files."""

    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failed: str = ""


def _noop(frac: float, msg: Step | str) -> None:  # pragma: no cover - trivial
    return None


class DocumentManager:
    """Adds and removes documents of one index on behalf of the UI."""

    def __init__(self, index_dir: Path, docs_dir: Path, holder: AssistantHolder, max_mb: int = MAX_UPLOAD_MB):
        self.index_dir = Path(index_dir)
        self.docs_dir = Path(docs_dir)
        self.holder = holder
        self.max_mb = max_mb
        self.uploads = Uploads(self.index_dir)

    def documents(self) -> list[dict[str, Any]]:
        """Indexed documents ([] when there is no index yet): source, title, size (of the file on disk when
        known, else of its text), chunks, indexed_at, and uploaded (removing it deletes the uploaded copy)."""
        from qa.index import store
        from qa.ingest.metadata import DocMeta
        from qa.ingest.overrides import apply_override, read_overrides

        try:
            manifest = store.read_manifest(self.index_dir)
        except IndexProblem:
            return []
        entries = manifest.documents
        fixes = read_overrides(manifest.roots, warn=False)
        out = []
        uploaded = self.uploads.current()
        for source, d in sorted(entries.items()):
            if not isinstance(d, dict):
                continue
            meta = d.get("meta")
            described = DocMeta.from_dict(meta if isinstance(meta, dict) else None, source)
            about = apply_override(described, fixes[source]) if source in fixes else described
            out.append(
                {
                    "source": source,
                    "title": about.label if isinstance(meta, dict) or source in fixes else "",
                    "about": about.about(),
                    "size": d.get("size_on_disk") or d.get("size", 0),
                    "chunks": d.get("chunks", 0),
                    "indexed_at": d.get("indexed_at", ""),
                    "uploaded": self._is_copy(d, uploaded),
                }
            )
        return out

    def check(self, path: Path, lang: str) -> str | None:
        """A one-line reason why `path` cannot be indexed, or None when it can."""
        from qa.ingest.readers import SUPPORTED_SUFFIXES, is_hidden

        if is_hidden(path.name):  # `qa build` skips hidden files; an upload must not sneak one in
            return t(lang, "hidden_file")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            return t(lang, "unsupported", suffix=suffix or "(none)")
        size = path.stat().st_size
        if size == 0:
            return t(lang, "empty_file")
        if size > self.max_mb * 1024 * 1024:
            return t(lang, "too_big", size=format_size(size), mb=self.max_mb)
        from qa.ingest.readers import load_document

        try:
            load_document(path)
        except QAError as exc:
            return str(exc)
        except Exception as exc:  # a parser crash on a bad file is still a bad file
            return f"{exc.__class__.__name__}: {exc}"
        return None

    def add(self, paths: Sequence[Path], lang: str, progress: Progress = _noop) -> UploadResult:
        """Validate, store and index `paths`; the rest of the index is kept."""
        result = UploadResult()
        accepted: list[Path] = []
        for p in map(Path, paths):
            reason = self.check(p, lang)
            if reason:
                result.rejected.append((p.name, reason))
            else:
                accepted.append(p)
        if not accepted:
            return result
        with self.holder.updating():
            stored, created = self._store(accepted)
            copies = set(created) | {d for d in stored if self.uploads.is_upload(d)}
            try:
                progress(0.05, t(lang, "indexing"))
                self._index(stored, lambda f, m: progress(0.05 + 0.8 * f, m))
            except Exception as exc:  # any failure: take back the copies made now, keep the index
                for dest in created:
                    dest.unlink(missing_ok=True)
                result.failed = str(exc) if isinstance(exc, QAError) else f"{exc.__class__.__name__}: {exc}"
                return result
            self.uploads.record(p for p in stored if p in copies)
            progress(0.9, t(lang, "reloading"))
            try:
                self.holder.reload()
            except QAError as exc:
                result.failed = str(exc)
                return result
        progress(1.0, "")
        result.added = [p.name for p in stored]
        result.renamed = [(a.name, d.name) for a, d in zip(accepted, stored, strict=True) if a.name != d.name]
        return result

    def remove(self, source: str) -> bool:
        """Drop `source` from the index (it stays out of later builds of its folder, see qa.index.walk); delete
        its file only when that is a copy the UI stored from an upload. True when that copy was deleted."""
        from qa.index import build, store

        with self.holder.updating():
            entry = store.read_manifest(self.index_dir).documents.get(source)
            if entry is None:
                raise InputError(f"not in the index: {source}")
            build.remove_documents(self.index_dir, [source])
            deleted = False
            if self._is_copy(entry, self.uploads.current()):
                stored = Path(entry["path"])
                stored.unlink(missing_ok=True)
                self.uploads.forget([stored])
                deleted = True
            self.holder.reload()
        return deleted

    def _is_copy(self, entry: dict[str, Any], uploaded: set[str]) -> bool:
        """Whether the indexed file of `entry` is an unchanged copy the UI stored in `docs_dir` from an upload."""
        path = entry.get("path")
        if not isinstance(path, str) or not path:
            return False
        return path in uploaded and Path(path).is_file() and self._inside_docs(Path(path))

    def _inside_docs(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.docs_dir.resolve())
        except ValueError:
            return False
        return True

    def _destination(self, path: Path) -> Path:
        """Where an upload goes in docs_dir: its own name, unless a different file of that name is there (then
        `name-2.txt`, `name-3.txt`, ...): an upload never replaces a document silently."""
        dest = self.docs_dir / Path(path.name).name
        n = 2
        while dest.exists() and dest.resolve() != path.resolve() and not filecmp.cmp(dest, path, shallow=False):
            dest = self.docs_dir / f"{Path(path.name).stem}-{n}{Path(path.name).suffix}"
            n += 1
        return dest

    def _store(self, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
        """Copy uploads into docs_dir (`_destination`); the stored paths, and those of the files written now (a
        file already there with the same content is left as it is)."""
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        stored: list[Path] = []
        created: list[Path] = []
        for p in paths:
            dest = self._destination(p)
            if not dest.exists():
                shutil.copyfile(p, dest)
                created.append(dest)
            stored.append(dest)
        return stored, created

    def _index(self, stored: Sequence[Path], progress: Progress) -> None:
        from qa.config import Settings
        from qa.index import build, store

        if store.current_build(self.index_dir) is None:
            settings = Settings.from_env().with_overrides(index_dir=self.index_dir)
            build.build_index(list(stored), self.index_dir, settings, progress=progress)
        else:
            build.add_documents(self.index_dir, list(stored), progress=progress)
