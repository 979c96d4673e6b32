"""Latency benchmark: prints numbers, asserts nothing.

    python eval/bench.py --index index        # warm ask median/p95 and cold `qa ask` processes

Warm: one loaded Assistant answers every gold question several times. Cold: a new `qa ask` process per run,
which includes Python start-up, imports, index load and the first model call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def warm(index: Path, rounds: int) -> None:
    from qa.assistant import Assistant

    t0 = time.perf_counter()
    assistant = Assistant.load(index)
    load_ms = (time.perf_counter() - t0) * 1000
    questions = [json.loads(line)["question"] for line in open(ROOT / "eval" / "questions.jsonl", encoding="utf-8")]
    assistant.ask(questions[0])  # first call loads the embedding model and jieba
    times = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"index load            {load_ms:8.1f} ms")
    print(f"warm ask median       {statistics.median(times):8.2f} ms   (target <= 20 ms)")
    print(f"warm ask p95          {times[int(len(times) * 0.95)]:8.2f} ms   ({len(times)} asks)")


def cold(index: Path, runs: int) -> None:
    cmd = [
        sys.executable,
        "-m",
        "qa.cli",
        "ask",
        "西夏区政协五届三次会议和闭会期间共立案多少件提案？",
        "--index",
        str(index),
    ]
    for label, question in (("zh", None), ("en", "How many proposals were filed?")):
        if question:
            cmd[4] = question
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - t)
        print(f"cold qa ask ({label})     {statistics.median(times):8.2f} s    (median of {runs}; target <= 3 s)")
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
    args = parser.parse_args()
    warm(args.index, args.rounds)
    cold(args.index, args.cold_runs)


if __name__ == "__main__":
    main()
