"""Build and update an index: documents -> chunks -> vectors + BM25 postings, streamed into segments.

Documents are read, chunked and embedded in batches and written to segment files as they go, so memory does not
grow with the corpus. An update writes only what changed: new and edited documents go to a new segment (edited
chunks whose text is unchanged keep their vectors), removed and replaced documents are marked deleted in the new
generation's manifest, unchanged documents stay in the segments they are in. Small segments are merged once there
are many (see `merge_small`). Every writer holds the index lock for its whole run. This module holds the entry
points; the parts are `qa.index.walk` (which files), `qa.index.writer` (chunking, embedding, streaming),
`qa.index.update` (the one update path), `qa.index.merge` and `qa.index.commit`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.config import INDEX_KEYS, Settings
from qa.errors import InputError
from qa.index import store
from qa.index.changes import changes_between
from qa.index.commit import clean_leftovers, commit
from qa.index.embedders import Embedder, get_embedder
from qa.index.manifest import Manifest
from qa.index.merge import lexicon_of, merge_small
from qa.index.segment import SegmentError
from qa.index.update import Unchanged, apply_update, previous_generation
from qa.index.walk import WalkedFiles, walk
from qa.progress import Progress, Step
from qa.types import Document

MIN_CHUNK_SIZE = 50
#: Longer chunks would be embedded only in part (e5-small reads 512 tokens) and make every answer step slower.
MAX_CHUNK_SIZE = 2000


def check_settings(settings: Settings) -> None:
    """InputError for chunk settings that cannot make an index (0, negative, smaller than the overlap)."""
    size, overlap, min_chunk = settings.chunk_size, settings.chunk_overlap, settings.min_chunk
    if not isinstance(size, int) or size < MIN_CHUNK_SIZE:
        raise InputError(f"--chunk-size must be at least {MIN_CHUNK_SIZE} characters, not {size}")
    if size > MAX_CHUNK_SIZE:
        raise InputError(
            f"--chunk-size must be at most {MAX_CHUNK_SIZE} characters, not {size} (the encoder reads 512 tokens, "
            "about 700 Chinese characters, of a chunk)"
        )
    if overlap < 0 or overlap >= size:
        raise InputError(f"chunk overlap {overlap} must be at least 0 and below the chunk size {size}")
    if min_chunk < 0 or min_chunk >= size:
        raise InputError(f"minimum chunk {min_chunk} must be at least 0 and below the chunk size {size}")


def _tqdm_progress(total_label: str) -> Progress:
    """A progress bar on stderr, drawn from the first report on (a build that fails early prints only its error)."""
    from tqdm import tqdm

    bars: list[Any] = []

    def report(frac: float, msg: Step | str) -> None:
        if not bars:  # no rate: a bar of percent that jumps reads as "11500510.97%/s"
            bars.append(
                tqdm(total=100, desc=total_label, leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}")
            )
        bar = bars[0]
        bar.n = int(frac * 100)
        bar.set_postfix_str(str(msg)[:50])
        bar.refresh()
        if frac >= 1.0:
            bar.close()

    return report


def _embedder_for_build(settings: Settings) -> Embedder:
    return get_embedder(settings.embedder, threads=max(1, min(4, os.cpu_count() or 1)))


def build_from_documents(
    docs: Sequence[Document] | Iterable[Document],
    index_dir: Path,
    settings: Settings | None = None,
    progress: bool | Progress = False,
    roots: Sequence[str] = (),
    keep_existing: bool = False,
    wait: float = 0.0,
    backend: dict[str, Any] | None = None,
) -> Manifest:
    """Index `docs` into `index_dir`. With `keep_existing`, documents already indexed stay."""
    settings = settings or Settings()
    check_settings(settings)
    index_dir = Path(index_dir)
    embedder = _embedder_for_build(settings)  # an unknown name fails before any progress bar starts
    report = _tqdm_progress("indexing") if progress is True else (progress or None)
    docs = list(docs) if not isinstance(docs, list) else docs
    with store.index_lock(index_dir, wait):
        clean_leftovers(index_dir)
        return apply_update(docs, index_dir, settings, embedder, report, roots, keep_existing, len(docs), backend)


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    settings: Settings | None = None,
    progress: bool | Progress = False,
    wait: float = 0.0,
    backend: dict[str, Any] | None = None,
) -> tuple[Manifest, list[str]]:
    """Index every supported file under `paths` (replacing the index's document set). Files whose size and
    mtime match the index are not read again; every kept segment's chunks are checked, so a damaged index is
    repaired. Returns the manifest (with the `changes` made) and the one-line messages of files that were skipped."""
    settings = settings or Settings()
    check_settings(settings)
    index_dir = Path(index_dir)
    embedder = _embedder_for_build(settings)
    report = _tqdm_progress("indexing") if progress is True else (progress or None)
    files, folders = walk([Path(p) for p in paths])
    roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
    with store.index_lock(index_dir, wait):
        clean_leftovers(index_dir)
        previous = previous_generation(index_dir)
        known: dict[str, dict[str, Any]] = {}
        bad: set[str] = set()
        if previous is not None and previous.manifest.contract == settings.index_params():
            for seg in previous.segments:
                try:
                    seg.check_chunks()
                except SegmentError:
                    bad.add(seg.name)
            in_bad = {d["source"] for seg in previous.segments if seg.name in bad for d in seg.docs}
            known = {s: e for s, e in previous.manifest.documents.items() if s not in in_bad}
        files_read = WalkedFiles(files, known, previous.manifest.excluded if previous is not None else ())
        try:
            manifest = apply_update(
                _refuse_empty(files_read) if files_read.excluded else files_read,
                index_dir,
                settings,
                embedder,
                report,
                roots,
                False,
                len(files),
                backend,
                folders,
                frozenset(bad),
                extra={"excluded": files_read.excluded} if files_read.excluded else None,  # removals hold
            )
        except InputError:
            if files_read.readable:
                raise
            skipped = files_read.skipped
            detail = f" ({'; '.join(skipped)})" if skipped else ""
            raise InputError(f"no readable documents in {', '.join(map(str, paths))}{detail}") from None
    if not files_read.readable:  # pragma: no cover - apply_update refuses an empty set
        raise InputError(f"no readable documents in {', '.join(map(str, paths))}")
    before = previous.manifest.documents if previous is not None else {}
    return replace(manifest, changes=changes_between(before, manifest.documents)), files_read.skipped


def _refuse_empty(files: WalkedFiles) -> Iterator[Document | Unchanged]:
    """`files`, then InputError when none was readable: apply_update refuses an empty set only without `extra`."""
    yield from files
    if not files.readable:
        raise InputError("no readable documents")


def add_documents(
    index_dir: Path, paths: Sequence[Path], progress: Progress | None = None, wait: float = 0.0
) -> Manifest:
    """Add (or refresh) files in an existing index, keeping everything already indexed. Costs what the new
    documents cost (plus writing a small manifest and the lexicon), not what the index holds."""
    from qa.ingest.readers import iter_documents

    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    docs, skipped = iter_documents([Path(p) for p in paths])
    if not docs:
        raise InputError(skipped[0] if skipped else "no readable document given")
    return build_from_documents(docs, index_dir, settings, progress or False, keep_existing=True, wait=wait)


def remove_documents(index_dir: Path, sources: Sequence[str], wait: float = 0.0) -> Manifest:
    """Drop documents (by source name) from the index; nothing is re-embedded, no segment is rewritten."""
    index_dir = Path(index_dir)
    settings = _settings_of(index_dir)
    embedder = get_embedder(settings.embedder)
    with store.index_lock(index_dir, wait):
        clean_leftovers(index_dir)
        previous = store.open_generation(index_dir)
        documents = previous.manifest.documents
        unknown = [s for s in sources if s not in documents]
        if unknown:
            raise InputError(f"not in the index: {', '.join(unknown)}")
        keep = [Unchanged(s, "") for s in documents if s not in set(sources)]
        extra = {
            "roots": list(previous.manifest.roots),
            "excluded": sorted(set(previous.manifest.excluded) | set(sources)),
            "folders": previous.manifest.folders,
        }
        return apply_update(keep, index_dir, settings, embedder, None, (), False, len(keep), extra=extra)


def compact(index_dir: Path, wait: float = 0.0) -> Manifest:
    """Merge every segment below SEGMENT_ROWS live rows (and drop deleted rows); nothing is re-embedded."""
    index_dir = Path(index_dir)
    with store.index_lock(index_dir, wait):
        gen = store.open_generation(index_dir)
        marks = [dict(m) for m in gen.manifest.segments]
        segments, marks, merged = merge_small(index_dir, list(gen.segments), marks, force=True)
        from qa.index.backends import backend_config, sync_segments

        cfg = backend_config(gen.manifest.backend)
        sync_segments(index_dir, cfg, merged)
        kept = tuple({k: v for k, v in m.items() if v or k == "name"} for m in marks)
        manifest = replace(gen.manifest, segments=kept)
        commit(index_dir, manifest, lexicon_of(segments))
        return manifest


def _settings_of(index_dir: Path) -> Settings:
    """Settings that reproduce an existing index (same embedder and chunker)."""
    manifest = store.read_manifest(index_dir)
    params = {k: v for k, v in manifest.contract.items() if k in INDEX_KEYS and k != "embedder"}
    return Settings(index_dir=index_dir, embedder=manifest.embedder.name, **params)
