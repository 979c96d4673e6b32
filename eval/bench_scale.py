"""Scale benchmark: build, load and ask at about 1k, 10k, 50k and 200k chunks of real Chinese text. Prints a table,
writes results-<embedder>.json and a log-log plot with fitted growth exponents; asserts nothing.

    python eval/bench_scale.py --work ../bench-scale                 # every size (make bench-scale)
    python eval/bench_scale.py --work ../bench-scale --sizes 1000,10000 --tutorial

Corpus: see eval/bench_scale_corpus.py (CMRC 2018 trial and DRCD passages, the 2026 provincial government work
reports and the bundled report, replicated with sentences shuffled per replica). Each size is the prefix of the
file list that holds that many chunks.

Vectors (`--embedder`, e5-small by default): chunks whose text is in that embedder's cache get their real vector
(the cache is filled by `bench_scale_corpus.py --embedder ...`); the others get a hashed character n-gram vector of
the same size (FakeEmbedder), so every size can be built on this machine in minutes. The table's "real vectors"
column says how many chunks had a real one. The manifest names the embedder, so questions are embedded with the real
model: question timings are real, dense answers beyond the cache are not. Build times are reported without
embedding, and with the embedding CPU time the chunks would have cost (CPU seconds per chunk measured here, on one
thread).

Every step runs in its own process, so peak RSS and CPU seconds are that step's (RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

QUESTION = "该国徽于哪一年采用？"


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def questions(n: int = 120) -> list[str]:
    """Real questions about passages of the corpus: CMRC trial and DRCD dev (converted to Simplified)."""
    bench = ROOT.parent / "shared" / "benchmarks"
    out: list[str] = []
    trial = json.loads((bench / "cmrc2018_trial.json").read_text(encoding="utf-8"))
    for art in trial["data"]:
        for p in art["paragraphs"]:
            out.extend(q["question"] for q in p["qas"][:1])
    dev = bench / "drcd" / "DRCD_dev.json"
    if dev.is_file():
        import opencc

        t2s = opencc.OpenCC("t2s")
        for art in json.loads(dev.read_text(encoding="utf-8"))["data"]:
            for p in art["paragraphs"]:
                out.extend(t2s.convert(q["question"]) for q in p["qas"][:1])
    import random

    random.Random(7).shuffle(out)
    return out[:n]


# ---------------------------------------------------------------- steps (each in a child process)


#: Vector size of each embedder the benchmark knows (so a build needs no model to know it).
DIMS = {"e5-small": 384, "use-m3": 512}


def _patch_embedder(work: Path, embedder: str) -> Any:
    """Builds use the embedder's cached vectors, else hashed n-gram vectors of its size (see the module doc)."""
    from bench_scale_corpus import CachedEmbedder, VectorCache, cache_folder

    from qa.index import build
    from qa.index.embedders import FakeEmbedder, canonical_embedder

    name = canonical_embedder(embedder)
    dim = DIMS[name]

    class Hashed(FakeEmbedder):
        def __init__(self) -> None:
            super().__init__(dim)
            self.name = name

    cache = VectorCache(cache_folder(work, name), dim)

    class ReadOnly(CachedEmbedder):
        def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
            import numpy as np
            from bench_scale_corpus import text_key

            keys = [text_key(t) for t in texts]
            out = np.zeros((len(texts), dim), dtype=np.float32)
            todo = [i for i, k in enumerate(keys) if k not in self.cache]
            if todo:
                out[todo] = self.inner.encode([texts[i] for i in todo])
                self.embedded += len(todo)
            for i, k in enumerate(keys):
                if k in self.cache:
                    out[i] = self.cache.get(k)
            return out

    emb = ReadOnly(Hashed(), cache)
    build._embedder_for_build = lambda settings: emb  # type: ignore[assignment]
    return emb


def step_build(args: argparse.Namespace) -> None:
    from qa.config import Settings
    from qa.index.build import build_index

    emb = _patch_embedder(args.work, args.embedder)
    t0 = time.perf_counter()
    manifest, _ = build_index([args.folder], args.index, Settings())
    print(json.dumps({"wall": time.perf_counter() - t0, "chunks": manifest.n_chunks, "hashed": emb.embedded}))


def step_add(args: argparse.Namespace) -> None:
    from qa.index.build import add_documents, remove_documents

    _patch_embedder(args.work, args.embedder)
    doc = args.work / "extra" / "新增报告.txt"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(
        "2026年全区新建日光温室320座，公开招聘教师126名。全年接待游客860万人次，实现旅游收入95亿元。\n",
        encoding="utf-8",
    )
    c0, t0 = time.process_time(), time.perf_counter()
    add_documents(args.index, [doc])
    add = (time.perf_counter() - t0, time.process_time() - c0)
    c0, t0 = time.process_time(), time.perf_counter()
    remove_documents(args.index, [doc.name])
    rem = (time.perf_counter() - t0, time.process_time() - c0)
    print(json.dumps({"add_wall": add[0], "add_cpu": add[1], "remove_wall": rem[0], "remove_cpu": rem[1]}))


def step_query(args: argparse.Namespace) -> None:
    import numpy as np

    from qa.assistant import Assistant
    from qa.index.dense import DenseIndex

    qs = questions(args.questions)
    base_rss = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    assistant = Assistant.load(args.index)
    load = (time.perf_counter() - t0, time.process_time() - c0)
    after_load = rss_mb()
    assistant.ask("热身问题：提案立案了多少件？")  # loads the model and jieba (not a 'new question' cost)
    new_w, new_c, warm_w, warm_c = [], [], [], []
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        assistant.ask(q)
        new_w.append((time.perf_counter() - t) * 1000)
        new_c.append((time.process_time() - c) * 1000)
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        assistant.ask(q)
        warm_w.append((time.perf_counter() - t) * 1000)
        warm_c.append((time.process_time() - c) * 1000)
    data = assistant.data
    recall = None
    if any(g is not None for g in getattr(data.dense, "graphs", [])):
        from qa.retrieve.retriever import DENSE_K

        exact = DenseIndex(data.segments, data.dense.live, data.dense.d, data.dense.logical, data.dense.physical, False)
        found = []
        for q in qs:  # as the retriever searches: DENSE_K candidates, of which the best 10
            v = assistant.embedder.encode([q], "query")[0]  # as the retriever embeds a question
            _s, a = data.dense.search(v[None, :], DENSE_K)
            a = a[:, :10]
            _s, b = exact.search(v[None, :], 10)
            found.append(len(set(a[0]) & set(b[0])) / 10)
        recall = float(np.mean(found))

    def pct(xs: list[float], p: float) -> float:
        return float(np.percentile(xs, p))

    print(
        json.dumps(
            {
                "load_wall": load[0],
                "load_cpu": load[1],
                "rss_base_mb": base_rss,
                "rss_load_mb": after_load,
                "rss_end_mb": rss_mb(),
                "new_p50": pct(new_w, 50),
                "new_p95": pct(new_w, 95),
                "new_cpu_p50": pct(new_c, 50),
                "new_cpu_p95": pct(new_c, 95),
                "warm_p50": pct(warm_w, 50),
                "warm_p95": pct(warm_w, 95),
                "warm_cpu_p50": pct(warm_c, 50),
                "recall10": recall,
                "segments": len(data.segments),
            }
        )
    )


def step_recall(args: argparse.Namespace) -> None:
    """HNSW (the index's parameters) against exact search: recall@10, over the embedder's cached real vectors with
    the real questions, and over a built index's HNSW segments with questions embedded as its vectors were."""
    import faiss
    import numpy as np
    from bench_scale_corpus import VectorCache, cache_folder

    from qa.index import dense, segment_writer
    from qa.index.embedders import FakeEmbedder, canonical_embedder, get_embedder

    faiss.omp_set_num_threads(1)
    qs = questions(args.questions)
    out: dict[str, Any] = {}
    dim = DIMS[canonical_embedder(args.embedder)]
    cache = VectorCache(cache_folder(args.work, args.embedder), dim)
    real = np.vstack([np.asarray(s) for s in cache.shards]).astype(np.float32)
    qv = get_embedder(args.embedder, threads=1).encode(qs, "query")

    def recall(index: Any, vecs: np.ndarray, q: np.ndarray, ef: int, k: int = 10) -> float:
        index.hnsw.efSearch = ef
        _s, got = index.search(q, k)
        exact = np.argsort(-(q @ vecs.T), axis=1)[:, :k]
        return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(got, exact, strict=True)]))

    hnsw = faiss.IndexHNSWFlat(real.shape[1], segment_writer.HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = segment_writer.HNSW_EF_CONSTRUCTION
    hnsw.add(real)
    out["real_rows"] = len(real)
    for ef in (32, 64, dense.EF_SEARCH, 200):
        out[f"real_ef{ef}"] = recall(hnsw, real, qv, ef)
    if args.index is not None:
        from qa.index.loaded import load_index

        data = load_index(args.index)
        hq = FakeEmbedder(dim).encode(qs)
        for i, seg in enumerate(data.segments):
            g = data.dense.graphs[i]
            if g is None:
                continue
            vecs = np.asarray(seg.vectors)
            out[f"hashed_{seg.rows}_ef{dense.EF_SEARCH}"] = recall(g, vecs, hq, dense.EF_SEARCH)
            out[f"hashed_{seg.rows}_ef200"] = recall(g, vecs, hq, 200)
            break
    print(json.dumps(out))


def step_tutorial(args: argparse.Namespace) -> None:
    from qa.evaluation.baseline import TutorialBaseline
    from qa.ingest.readers import iter_documents

    docs, _ = iter_documents([args.folder])
    t0, c0 = time.perf_counter(), time.process_time()
    base = TutorialBaseline(docs)
    build = (time.perf_counter() - t0, time.process_time() - c0)
    qs = questions(args.questions)
    base(qs[0])
    times = []
    for q in qs:
        t = time.perf_counter()
        base(q)
        times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"build_wall": build[0], "build_cpu": build[1], "p50": statistics.median(times)}))


def step_embed_rate(args: argparse.Namespace) -> None:
    """The embedder's CPU seconds per chunk on one thread, measured on 64 chunk texts of the corpus."""
    from bench_scale_corpus import base_documents

    from qa.index.embedders import get_embedder

    texts = [t[:350] for _n, t in base_documents()[:64]]
    emb = get_embedder(args.embedder, threads=1)
    emb.encode(texts[:8])
    c0 = time.process_time()
    emb.encode(texts)
    print(json.dumps({"cpu_per_chunk": (time.process_time() - c0) / len(texts)}))


# ---------------------------------------------------------------- driver


EMBEDDER = ["e5-small"]  # the embedder of this run, passed on to every step


def child(step: str, **kw: Any) -> tuple[dict[str, Any], float, float, float]:
    """Run a step in a child process: (its JSON, wall s, CPU s, peak RSS MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, __file__, "--step", step, "--embedder", EMBEDDER[0]]
    for k, v in kw.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(f"{step} failed: {out.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.stdout.strip().splitlines()[-1]), wall, cpu, after.ru_maxrss / 1024


def cold_ask(index: Path, runs: int = 3) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "qa.cli", "ask", QUESTION, "--index", str(index)], capture_output=True, cwd=ROOT
        )
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def corpus_of(work: Path, size: int) -> tuple[Path, int]:
    """A folder of hard links to the first files holding `size` chunks (made once)."""
    folder = work / "sizes" / str(size)
    rows = [line.split("\t") for line in (work / "files.tsv").read_text(encoding="utf-8").splitlines()]
    chosen = []
    for name, _n, total in rows:
        chosen.append(name)
        if int(total) >= size:
            break
    n_chunks = int(rows[len(chosen) - 1][2])
    if not (folder / ".done").is_file():
        for name in chosen:
            dst = folder / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.exists():
                os.link(work / "corpus" / name, dst)
        (folder / ".done").write_text(str(len(chosen)))
    return folder, n_chunks


def fit(xs: list[float], ys: list[float]) -> float | None:
    import numpy as np

    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if y and y > 0]
    if len(pts) < 2:
        return None
    lx, ly = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    return float(np.polyfit(lx, ly, 1)[0])


COLUMNS = [
    ("chunks", "chunks", "{:,.0f}"),
    ("build_wall", "build wall s", "{:.0f}"),
    ("build_cpu", "build CPU s", "{:.0f}"),
    ("real_vectors", "real vectors", "{:,.0f}"),
    ("build_cpu_embed", "+embedding CPU s", "{:.0f}"),
    ("build_rss", "build peak GB", "{:.2f}"),
    ("disk_mb", "disk MB", "{:.0f}"),
    ("load_wall", "load s", "{:.2f}"),
    ("rss_load_mb", "RSS after load MB", "{:.0f}"),
    ("warm_p50", "warm p50/p95 ms", None),
    ("new_p50", "new p50/p95 ms (CPU)", None),
    ("cold_wall", "cold qa ask s (CPU)", None),
    ("add_wall", "add 1 doc s (CPU)", None),
    ("recall10", "HNSW recall@10", None),
]


def show(results: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(c[1] for c in COLUMNS) + " |"
    lines = [head, "|" + "---|" * len(COLUMNS)]
    for r in results:
        cells = []
        for key, _label, fmt in COLUMNS:
            if key == "warm_p50":
                cells.append(f"{r['warm_p50']:.0f} / {r['warm_p95']:.0f}")
            elif key == "new_p50":
                cells.append(
                    f"{r['new_p50']:.0f} / {r['new_p95']:.0f} ({r['new_cpu_p50']:.0f} / {r['new_cpu_p95']:.0f})"
                )
            elif key == "cold_wall":
                cells.append(f"{r['cold_wall']:.1f} ({r['cold_cpu']:.1f})")
            elif key == "add_wall":
                cells.append(f"{r['add_wall']:.1f} ({r['add_cpu']:.1f})")
            elif key == "recall10":
                cells.append("exact" if r.get("recall10") is None else f"{r['recall10']:.3f}")
            else:
                cells.append(fmt.format(r[key]) if fmt else str(r[key]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(results: list[dict[str, Any]], out: Path) -> dict[str, float | None]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["chunks"] for r in results]
    series = {
        "build CPU s": [r["build_cpu"] for r in results],
        "build peak RSS MB": [r["build_rss"] * 1024 for r in results],
        "disk MB": [r["disk_mb"] for r in results],
        "load s": [r["load_wall"] for r in results],
        "RSS after load MB": [r["rss_load_mb"] for r in results],
        "new question p50 ms": [r["new_p50"] for r in results],
        "new question CPU p50 ms": [r["new_cpu_p50"] for r in results],
        "add one document s": [r["add_wall"] for r in results],
    }
    exps = {k: fit(xs, v) for k, v in series.items()}
    fig, ax = plt.subplots(figsize=(8, 6))
    for k, v in series.items():
        e = exps[k]
        ax.loglog(xs, v, marker="o", label=f"{k} (n^{e:.2f})" if e is not None else k)
    ax.set_xlabel("chunks")
    ax.set_title("qa at scale (log-log; exponents fitted)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return exps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT.parent / "bench-scale")
    parser.add_argument("--sizes", default="1000,10000,50000,200000")
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--tutorial", action="store_true", help="also run the tutorial stack on the 10k corpus")
    parser.add_argument("--recall", action="store_true", help="also measure HNSW recall@10 against exact search")
    parser.add_argument("--embedder", default="e5-small", help="e5-small (default) or use: whose cached vectors")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    EMBEDDER[0] = args.embedder
    if args.step:
        {
            "build": step_build,
            "add": step_add,
            "query": step_query,
            "tutorial": step_tutorial,
            "embed_rate": step_embed_rate,
            "recall": step_recall,
        }[args.step](args)
        return
    if not (args.work / "files.tsv").is_file():
        sys.exit(f"no corpus in {args.work}: run python eval/bench_scale_corpus.py --work {args.work} first")
    rate, *_ = child("embed_rate", work=args.work)
    from qa.index.embedders import canonical_embedder

    name = canonical_embedder(args.embedder)
    tag = "" if name == "use-m3" else f"-{name}"
    results_path = args.work / f"results{tag}.json"
    results: list[dict[str, Any]] = json.loads(results_path.read_text()) if results_path.is_file() else []
    done = {r["size"] for r in results}
    for size in [int(s) for s in args.sizes.split(",")]:
        if size in done:
            continue
        folder, n = corpus_of(args.work, size)
        index = args.work / f"indexes{tag}" / str(size)
        if index.exists():
            import shutil

            shutil.rmtree(index)
        print(f"== {size}: {n} chunks, building …", file=sys.stderr, flush=True)
        b, b_wall, b_cpu, b_rss = child("build", work=args.work, folder=folder, index=index)
        from qa.index.store import disk_size

        q, *_ = child("query", work=args.work, index=index, questions=args.questions)
        cold_wall, cold_cpu = cold_ask(index)
        a, *_ = child("add", work=args.work, index=index)
        r = {
            "size": size,
            "chunks": b["chunks"],
            "build_wall": b_wall,
            "build_cpu": b_cpu,
            "build_cpu_embed": b_cpu + b["chunks"] * rate["cpu_per_chunk"],
            "build_rss": b_rss / 1024,
            "real_vectors": b["chunks"] - b["hashed"],
            "disk_mb": disk_size(index) / 1e6,
            "cold_wall": cold_wall,
            "cold_cpu": cold_cpu,
            **q,
            **a,
        }
        results.append(r)
        results_path.write_text(json.dumps(results, indent=1))
        print(show([r]), file=sys.stderr, flush=True)
    results.sort(key=lambda r: r["chunks"])
    print(show(results))
    exps = plot(results, args.work / f"scale{tag}.png")
    print("growth exponents (log-log fit): " + ", ".join(f"{k} {v:.2f}" for k, v in exps.items() if v is not None))
    print(f"{name}: {rate['cpu_per_chunk'] * 1000:.1f} CPU-ms per chunk on one thread; plot: scale{tag}.png")
    if args.recall:
        big = max(results, key=lambda r: r["chunks"])
        rec, *_ = child("recall", work=args.work, index=args.work / f"indexes{tag}" / str(big["size"]), questions=200)
        print("HNSW recall@10 against exact: " + ", ".join(f"{k} {v:.3f}" for k, v in rec.items() if k != "real_rows"))
        (args.work / f"recall{tag}.json").write_text(json.dumps(rec, indent=1))
    if args.tutorial:
        folder, n = corpus_of(args.work, 10_000)
        t, t_wall, t_cpu, t_rss = child("tutorial", work=args.work, folder=folder, questions=args.questions)
        ours = next((r for r in results if r["size"] == 10_000), None)
        print(
            f"tutorial stack (MiniLM + FAISS flat) on {n} chunks: build {t_wall:.0f} s wall ({t_cpu:.0f} CPU s), "
            f"peak {t_rss / 1024:.2f} GB, question p50 {t['p50']:.1f} ms"
        )
        if ours:
            print(
                f"ratio qa / tutorial: question p50 {ours['warm_p50'] / t['p50']:.2f}, "
                f"build CPU (with embedding) {ours['build_cpu_embed'] / t_cpu:.2f}"
            )


if __name__ == "__main__":
    main()
