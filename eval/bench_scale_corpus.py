"""The scale benchmark's corpus and embedding cache (used by eval/bench_scale.py; runnable on its own).

    python eval/bench_scale_corpus.py --work ../bench-scale --chunks 210000   # files + embedding cache

Real Chinese text, replicated and perturbed:

- base documents: the CMRC 2018 trial passages (256) and the DRCD dev and test passages (about 2,000, Traditional,
  converted to Simplified with OpenCC t2s) from `../shared/benchmarks/`, the 28 provincial government work reports
  of `../shared/corpus/gov-reports-2026/` and the bundled report in `data/`: about 6,000 chunks of unique text.
- replica r >= 1 of a document shuffles the sentences inside each of its paragraphs (seeded by r and the name),
  so chunk boundaries and chunk texts differ from every other replica: nothing is embedded once and reused, as
  it would be for identical copies. The vocabulary (character pairs) grows much less than a real archive's.
- files are written in replica order (the base documents shuffled once), so every smaller corpus is a prefix of
  the larger ones: `files.tsv` lists each file with the running chunk count.

Embedding cache: the vectors of every chunk's indexed text (sha1 of the text -> vector of `--embedder`, e5-small by
default) in shards under `cache-<embedder>/` (USE-m3's under `cache/`), so repeated benchmark builds do not
re-embed (the build benchmark reports the measured embedding cost per chunk beside the cached build time).
Resumable: rerun to continue.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_SENT = re.compile(r"(?<=[。！？；])")


def base_documents() -> list[tuple[str, str]]:
    """(relative name, text) of the real documents, in a fixed shuffled order."""
    docs: list[tuple[str, str]] = []
    bench = SHARED / "benchmarks"
    trial = bench / "cmrc2018_trial.json"
    if trial.is_file():
        for art in json.loads(trial.read_text(encoding="utf-8"))["data"]:
            for j, p in enumerate(art["paragraphs"]):
                docs.append((f"cmrc/{p.get('id', art.get('id', len(docs)))}-{j}.txt", p["context"]))
    t2s = None
    for split in ("dev", "test"):
        path = bench / "drcd" / f"DRCD_{split}.json"
        if not path.is_file():
            continue
        if t2s is None:
            import opencc

            t2s = opencc.OpenCC("t2s")
        for art in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for j, p in enumerate(art["paragraphs"]):
                docs.append((f"drcd/{split}-{p.get('id', j)}.txt", t2s.convert(p["context"])))
    for folder in (SHARED / "corpus" / "gov-reports-2026", ROOT / "data"):
        for f in sorted(folder.glob("*.txt")):
            docs.append((f"reports/{f.name}", f.read_text(encoding="utf-8")))
    random.Random(2026).shuffle(docs)
    return docs


def perturb(text: str, replica: int, name: str) -> str:
    """Replica 0 is the text itself; others shuffle the sentences of each paragraph (seeded)."""
    if replica == 0:
        return text
    rng = random.Random(f"{replica}:{name}")
    lines = []
    for line in text.split("\n"):
        parts = [s for s in _SENT.split(line) if s]
        if len(parts) > 1:
            rng.shuffle(parts)
        lines.append("".join(parts))
    return "\n".join(lines)


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """sha1(text) -> vector, kept in .npy shards with a keys file each; appends are flushed per shard."""

    def __init__(self, folder: Path, dim: int = 512) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self.index: dict[str, tuple[int, int]] = {}
        self.shards: list[np.ndarray] = []
        for keys in sorted(folder.glob("keys-*.txt")):
            vecs = np.load(
                keys.with_name(keys.name.replace("keys-", "vectors-").replace(".txt", ".npy")), mmap_mode="r"
            )
            shard = len(self.shards)
            self.shards.append(vecs)
            for row, key in enumerate(keys.read_text().split()):
                self.index[key] = (shard, row)
        self._pending_keys: list[str] = []
        self._pending: list[np.ndarray] = []

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def get(self, key: str) -> np.ndarray:
        shard, row = self.index[key]
        if shard >= len(self.shards):
            return self._pending[row]
        return np.asarray(self.shards[shard][row])

    def add(self, keys: list[str], vecs: np.ndarray) -> None:
        for k, v in zip(keys, vecs, strict=True):
            if k in self.index:
                continue
            self.index[k] = (len(self.shards), len(self._pending))
            self._pending_keys.append(k)
            self._pending.append(np.asarray(v, dtype=np.float32))
        if len(self._pending) >= 8192:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        n = len(self.shards)
        np.save(self.folder / f"vectors-{n:04d}.npy", np.vstack(self._pending).astype(np.float32))
        (self.folder / f"keys-{n:04d}.txt").write_text("\n".join(self._pending_keys) + "\n")
        self.shards.append(np.load(self.folder / f"vectors-{n:04d}.npy", mmap_mode="r"))
        self._pending, self._pending_keys = [], []


class CachedEmbedder:
    """An embedder that answers from a VectorCache and embeds (and caches) only what it lacks."""

    def __init__(self, inner, cache: VectorCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.dim = inner.dim
        self.embedded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in self.cache]
        if todo:
            vecs = self.inner.encode([texts[i] for i in todo])
            self.cache.add([keys[i] for i in todo], vecs)
            self.embedded += len(todo)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = self.cache.get(k)
        return out


def cache_folder(work: Path, embedder: str) -> Path:
    """Where the vectors of `embedder` are cached: work/cache-<name> (USE-m3's in work/cache, as before)."""
    from qa.index.embedders import canonical_embedder

    name = canonical_embedder(embedder)
    return work / "cache" if name == "use-m3" else work / f"cache-{name}"


def prepare(
    work: Path, chunks_wanted: int, embed: bool = True, threads: int = 2, embedder_name: str = "e5-small"
) -> None:
    """Write the replicated corpus under work/corpus and fill the embedder's cache (resumable)."""
    from qa.config import Settings
    from qa.index.embedders import get_embedder
    from qa.ingest.chunking import make_splitter

    settings = Settings()
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    listing = work / "files.tsv"
    done: dict[str, int] = {}
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            name, n, _total = line.split("\t")
            done[name] = int(n)
    inner = get_embedder(embedder_name, threads=threads)
    cache = VectorCache(cache_folder(work, embedder_name), inner.dim)
    embedder = CachedEmbedder(inner, cache)
    base = base_documents()
    total = sum(done.values())
    t0 = time.time()
    cpu0 = time.process_time()
    pending: list[str] = []
    try:
        if embed:
            _embed_listed(work, chunks_wanted, embedder, cache, splitter, settings)
        _fill(base, corpus, listing, done, total, chunks_wanted, embed, embedder, cache, splitter, settings, pending)
    finally:
        cache.flush()
    wall, cpu = time.time() - t0, time.process_time() - cpu0
    stats = {"embedded": embedder.embedded, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1)}
    (cache.folder / f"run-{int(t0)}.json").write_text(json.dumps(stats))
    print(f"\n{stats}", file=sys.stderr)


def _embed_listed(work: Path, chunks_wanted: int, embedder, cache, splitter, settings) -> None:
    """Embed the chunks of files already listed (written earlier with --no-embed, or for another embedder) up to
    `chunks_wanted`, 256 at a time, printing the rate."""
    from qa.ingest.chunking import chunk_and_describe
    from qa.types import Document

    listing = work / "files.tsv"
    if not listing.is_file():
        return
    t0, cpu0, pending = time.time(), time.process_time(), []
    for line in listing.read_text(encoding="utf-8").splitlines():
        rel, n, running = line.split("\t")
        if int(running) - int(n) >= chunks_wanted:
            break
        path = work / "corpus" / rel
        body = path.read_text(encoding="utf-8")
        chunks, _meta = chunk_and_describe(Document(rel, body, path=str(path)), splitter, settings.min_chunk)
        pending.extend(c.search_text for c in chunks if text_key(c.search_text) not in cache)
        if len(pending) >= 256:
            embedder.encode(pending)
            pending = []
            print(
                f"\r{running:>7} chunks listed, {embedder.embedded} embedded, "
                f"{embedder.embedded / max(1e-9, time.time() - t0):.1f}/s wall, "
                f"{embedder.embedded / max(1e-9, time.process_time() - cpu0):.1f}/CPU-s",
                end="",
                file=sys.stderr,
                flush=True,
            )
    if pending:
        embedder.encode(pending)


def _fill(base, corpus, listing, done, total, chunks_wanted, embed, embedder, cache, splitter, settings, pending):
    from qa.ingest.chunking import chunk_and_describe
    from qa.types import Document

    t0 = time.time()
    cpu0 = time.process_time()
    with open(listing, "a", encoding="utf-8") as out:
        replica = 0
        while total < chunks_wanted:
            for name, text in base:
                rel = f"r{replica:03d}/{name}"
                if rel in done:
                    continue
                body = perturb(text, replica, name)
                path = corpus / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
                chunks, _meta = chunk_and_describe(Document(rel, body, path=str(path)), splitter, settings.min_chunk)
                total += len(chunks)
                out.write(f"{rel}\t{len(chunks)}\t{total}\n")
                if embed:
                    pending.extend(c.search_text for c in chunks if text_key(c.search_text) not in cache)
                    if len(pending) >= 256:
                        embedder.encode(pending)
                        pending = []
                        rate = embedder.embedded / max(1e-9, time.process_time() - cpu0)
                        print(
                            f"\r{total:>7} chunks, {embedder.embedded} embedded, {rate:.0f}/CPU-s, "
                            f"{time.time() - t0:.0f} s",
                            end="",
                            file=sys.stderr,
                        )
                if total >= chunks_wanted:
                    break
            out.flush()
            replica += 1
    if pending:
        embedder.encode(pending)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT.parent / "bench-scale")
    parser.add_argument("--chunks", type=int, default=210_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--embedder", default="e5-small", help="whose vectors to cache: e5-small (default) or use")
    parser.add_argument(
        "--estimate",
        action="store_true",
        help="past what is listed, write files without chunking them: a replica's chunk count is taken from the "
        "same document's first listed replica (the build reports the real count)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.estimate:
        estimate(args.work, args.chunks)
        return
    prepare(args.work, args.chunks, not args.no_embed, args.threads, args.embedder)


def estimate(work: Path, chunks_wanted: int) -> None:
    """Write replicas without chunking; chunk counts estimated from each document's first listed replica."""
    listing = work / "files.tsv"
    rows = [line.split("\t") for line in listing.read_text(encoding="utf-8").splitlines()]
    done = {name for name, _n, _t in rows}
    per_doc: dict[str, int] = {}
    for name, n, _t in rows:
        per_doc.setdefault(name.split("/", 1)[1], int(n))
    total = int(rows[-1][2]) if rows else 0
    replica = 0
    with open(listing, "a", encoding="utf-8") as out:
        while total < chunks_wanted:
            for name, text in base_documents():
                rel = f"r{replica:03d}/{name}"
                if rel in done:
                    continue
                path = work / "corpus" / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(perturb(text, replica, name), encoding="utf-8")
                total += per_doc.get(name, max(1, len(text) // 300))
                out.write(f"{rel}\t{per_doc.get(name, 1)}\t{total}\n")
                if total >= chunks_wanted:
                    break
            replica += 1


if __name__ == "__main__":
    main()
