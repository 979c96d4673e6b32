"""A loaded index: the live generation opened for searching (`load_index` -> `IndexData`).

Chunks are read from the segments' files on demand (`ChunkTable`), vectors and BM25 postings are memory-mapped;
the dense search is the embedded FAISS one or a backend's (`qa.index.backends`). Any damage found while loading or
reading becomes an IndexProblem that says how to rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np

from qa.errors import IndexProblem
from qa.index.backends import DenseBackend
from qa.index.bm25 import LexicalIndex
from qa.index.manifest import Manifest
from qa.index.segment import Segment, SegmentError
from qa.index.store import corrupt, open_generation
from qa.ingest.metadata import DocMeta
from qa.types import Chunk


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
            raise corrupt(folder, str(exc)) from exc
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
    manifest: Manifest
    chunks: Sequence[Chunk]
    dense: DenseBackend  # qa.index.dense.DenseIndex, or Milvus
    lexical: LexicalIndex
    segments: list[Segment] = field(default_factory=list)
    _lexicon: dict[str, list[list]] | None = None
    _corpus: str | None = None
    _ranges: dict[str, tuple[int, int]] | None = None
    _metas: dict[str, DocMeta] | None = None
    _part_years: dict[str, np.ndarray] = field(default_factory=dict)  # source -> the part year of each chunk

    @property
    def metas(self) -> dict[str, DocMeta]:
        """Title, places, organisations and years of every document (a file-name title for old entries), with the
        corrections of the folders' qa-metadata.json (qa.ingest.overrides)."""
        if self._metas is None:
            from qa.ingest.overrides import with_overrides

            docs = self.manifest.documents
            metas = {s: DocMeta.from_dict(e.get("meta"), s) for s, e in docs.items() if isinstance(e, dict)}
            self._metas = with_overrides(metas, self.manifest.roots)
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
                    if b <= a or (mask is not None and not mask[a]) or d["source"] not in self.manifest.documents:
                        continue
                    pa = int(offsets[i]) + a
                    la = pa if logical is None else int(logical[pa])
                    self._ranges[d["source"]] = (la, la + (b - a))
        return self._ranges

    def part_rows(self, source: str, years: Iterable[int]) -> np.ndarray | None:
        """Chunk rows of `source` in its parts of `years`, when it is a file of several years' documents and
        holds some of them (None otherwise: the whole document stands)."""
        meta = self.metas.get(source)
        wanted = set(years)
        if meta is None or not meta.parts or source not in self.ranges or not wanted & {y for _a, y in meta.parts}:
            return None
        if source not in self._part_years:
            a, b = self.ranges[source]
            self._part_years[source] = np.array([meta.year_at(self.chunks[i].start) or 0 for i in range(a, b)])
        a, _b = self.ranges[source]
        return a + np.flatnonzero(np.isin(self._part_years[source], sorted(wanted)))

    def lexicon(self) -> dict[str, list[list]]:
        """English -> Chinese terms present in this corpus (read on first use)."""
        if self._lexicon is None:
            path = self.folder / "lexicon.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            except (OSError, ValueError) as exc:
                raise corrupt(self.folder.parent, f"{exc.__class__.__name__} reading lexicon.json") from exc
            if not isinstance(data, dict):
                raise corrupt(self.folder.parent, "lexicon.json is not an object")
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
        raise corrupt(index_dir, f"lexicon.json is missing or truncated ({exc.__class__.__name__})") from exc
    from qa.index.backends import open_backend

    try:
        dense = open_backend(gen, live, logical, physical, load_graphs=load_graphs)
    except IndexProblem:
        raise
    except Exception as exc:
        raise corrupt(index_dir, f"{exc.__class__.__name__} opening the vectors") from exc
    chunks = ChunkTable(segments, physical, lexical)
    return IndexData(gen.build, gen.manifest, chunks, dense, lexical, segments)
