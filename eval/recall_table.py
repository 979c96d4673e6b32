"""Retrieval recall@1/5/20 for BM25 alone, dense alone and the hybrid, per question kind and split.

    python eval/recall_table.py --index index                                      # the gold set
    python eval/recall_table.py --index corpus-idx --gold eval/multidoc.jsonl      # the multi-document set
    python eval/recall_table.py --squad ../shared/benchmarks/cmrc2018_trial.json   # a SQuAD set (its own index)
    QA_EMBEDDER=use python eval/recall_table.py --index idx-use                    # an index of another embedder

Retrieval only: the question is searched over the whole index (no scoping by the documents it names); a hit is a
chunk holding the gold evidence (`qa.evaluation.scoring.is_hit`). Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.evaluation.gold import GoldQuestion
from qa.evaluation.scoring import is_hit

KS = (1, 5, 20)
MODES = ("bm25", "dense", "hybrid")


def ranked(assistant, question: str, mode: str, k: int) -> list:
    """The top-k chunks of one mode."""
    r = assistant.retriever
    if mode == "dense":
        scores = r.dense_scores(r.query(question))
        return [assistant.data.chunks[int(i)] for i in np.argsort(-scores, kind="stable")[:k]]
    settings = r.settings
    if mode == "bm25":
        r.settings = replace(settings, dense_weight=0.0, dense_weight_en=0.0)
    try:
        return [h.chunk for h in r.search(r.query(question), k)]
    finally:
        r.settings = settings


def table(assistant, questions: list[GoldQuestion]) -> dict[tuple[str, str, str], list[float]]:
    """(mode, split, kind) -> recall at each of KS."""
    found: dict[tuple[str, str, str], list[list[bool]]] = defaultdict(list)
    for q in questions:
        if not q.answerable:
            continue
        for mode in MODES:
            hits = [is_hit(c, q) for c in ranked(assistant, q.question, mode, max(KS))]
            row = [any(hits[:k]) for k in KS]
            for split in (q.split or "all", "all"):
                for kind in (q.kind or "-", "all"):
                    found[(mode, split, kind)].append(row)
    return {key: [float(np.mean(col)) for col in zip(*rows, strict=True)] for key, rows in found.items()}


def main() -> None:
    from qa.assistant import Assistant
    from qa.config import Settings
    from qa.evaluation.gold import load_gold

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="the index to search (not with --squad)")
    parser.add_argument("--gold", type=Path, default=Path("eval/questions.jsonl"))
    parser.add_argument("--squad", type=Path, help="a SQuAD-format set, indexed on its own (cached)")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.squad:
        from qa.evaluation.squad import ensure_index, load_squad

        dataset = load_squad(args.squad)
        index_dir, _ = ensure_index(dataset, settings)
        questions = [replace(q, split=q.split or "tune", kind=q.kind or "squad") for q in dataset.questions]
    else:
        index_dir, questions = args.index, load_gold(args.gold)
    assistant = Assistant.load(index_dir, settings, check_sources=False)
    result = table(assistant, questions)
    print(f"embedder {assistant.embedder.name}, {sum(q.answerable for q in questions)} answerable questions")
    print(f"{'mode':7} {'split':8} {'kind':12} " + " ".join(f"R@{k:<4}" for k in KS) + "  n")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for q in questions:
        if q.answerable:
            for split in (q.split or "all", "all"):
                for kind in (q.kind or "-", "all"):
                    counts[(split, kind)] += 1
    for (mode, split, kind), values in sorted(
        result.items(), key=lambda kv: (kv[0][1], kv[0][2], MODES.index(kv[0][0]))
    ):
        print(f"{mode:7} {split:8} {kind:12} " + " ".join(f"{v:.3f}" for v in values) + f"  {counts[(split, kind)]}")


if __name__ == "__main__":
    main()
