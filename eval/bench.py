"""Speed benchmark: prints numbers (wall, and CPU beside it: the machine may be busy), asserts nothing.

    python eval/bench.py --index index                    # warm ask median/p95 and cold `qa ask` processes
    python eval/bench.py --index index --reader none      # the same with rules alone (no learned reader)
    python eval/bench.py --build data/ --embedder use     # build a fresh index of data/ first: chunks/s, peak RSS

Build: a new `qa build` process over the given folders, into a temporary index, with real vectors; its chunks/s
and peak resident memory. Warm: one loaded Assistant answers every gold question several times (the question is
embedded once per ask). Cold: a new `qa ask` process per run, which includes Python start-up, imports, index load
and the first model call; its peak RSS too.
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

ROOT = Path(__file__).resolve().parents[1]


def build(paths: list[Path], index: Path, embedder: str) -> None:
    """Time a fresh `qa build` of `paths` into `index` with `embedder` (a model conversion, if any, is done first)."""
    prep = f"from qa.index.embedders import get_embedder; get_embedder({embedder!r}).encode(['x'])"
    subprocess.run([sys.executable, "-c", prep], check=True, cwd=ROOT, capture_output=True)
    cmd = [sys.executable, "-m", "qa.cli", "build", *map(str, paths), "--index", str(index), "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([*cmd, "--embedder", embedder], check=True, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    chunks = int(out.stdout.split(" chunks into")[0].rsplit(" ", 1)[-1])
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(f"embedder              {embedder}")
    print(f"build                 {chunks} chunks in {wall:.1f} s: {chunks / wall:.1f} chunks/s (CPU {cpu:.1f} s)")
    print(f"build peak RSS        {after.ru_maxrss / 1024:8.0f} MB (largest child so far)")


def warm(index: Path, rounds: int, reader: str = "default") -> None:
    from dataclasses import replace

    from qa.assistant import Assistant
    from qa.config import Settings

    t0, c0 = time.perf_counter(), time.process_time()
    assistant = Assistant.load(index, replace(Settings.from_env(), index_dir=index, reader=reader))
    load_ms = (time.perf_counter() - t0) * 1000
    load_cpu = (time.process_time() - c0) * 1000
    questions = [json.loads(line)["question"] for line in open(ROOT / "eval" / "questions.jsonl", encoding="utf-8")]
    assistant.ask(questions[0])  # first call loads the embedding model and jieba
    times, cpu = [], []
    for _ in range(rounds):
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            assistant.ask(q)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    times.sort()
    cpu.sort()
    print(f"reader                {reader}")
    print(f"index load            {load_ms:8.1f} ms   ({load_cpu:.1f} CPU ms)")
    med, med_cpu = statistics.median(times), statistics.median(cpu)
    target = "40 ms" if reader == "none" else "150 ms, p95 <= 300 ms"
    print(f"warm ask median       {med:8.2f} ms   (target <= {target}; CPU {med_cpu:.2f} ms)")
    print(
        f"warm ask p95          {times[int(len(times) * 0.95)]:8.2f} ms   ({len(times)} asks; "
        f"CPU {cpu[int(len(cpu) * 0.95)]:.2f} ms)"
    )
    print(f"warm peak RSS         {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


#: Runs `qa` in the child and prints its own peak RSS (kB) on stderr's last line, whatever else ran before it.
_WITH_RSS = (
    "import resource, runpy, sys\n"
    "sys.argv = ['qa', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('qa.cli', run_name='__main__')\n"
    "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def cold(index: Path, runs: int, reader: str = "default") -> None:
    cmd = [
        sys.executable,
        "-c",
        _WITH_RSS,
        "ask",
        "西夏区政协五届三次会议和闭会期间共立案多少件提案？",
        "--index",
        str(index),
    ]
    for label, question in (("zh", None), ("en", "How many proposals were filed?")):
        if question:
            cmd[4] = question
        times, cpu, rss = [], [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            out = subprocess.run(
                cmd, check=True, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "QA_READER": reader}
            )
            times.append(time.perf_counter() - t)
            rss.append(int(out.stderr.strip().splitlines()[-1]) / 1024)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(
            f"cold qa ask ({label})     {statistics.median(times):8.2f} s    (median of {runs}; target <= 3 s; "
            f"CPU {statistics.median(cpu):.2f} s; peak RSS {max(rss):.0f} MB)"
        )
    probe = (
        "import qa.cli.main, qa.assistant, sys; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.split()
    print(f"torch imported by CLI {out[0]}, sentence_transformers {out[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--reader", default="default", help='the span reader: "default", "none" or a folder')
    parser.add_argument("--build", type=Path, nargs="+", help="build these folders into a fresh index first")
    parser.add_argument("--embedder", default="e5-small", help="the embedder of that build (default: e5-small)")
    args = parser.parse_args()
    if args.build:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
            index = Path(tmp) / "index"
            build(args.build, index, args.embedder)
            os.environ["QA_EMBEDDER"] = args.embedder
            warm(index, args.rounds, args.reader)
            cold(index, args.cold_runs, args.reader)
        return
    warm(args.index, args.rounds, args.reader)
    cold(args.index, args.cold_runs, args.reader)


if __name__ == "__main__":
    main()
