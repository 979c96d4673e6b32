"""The reader's training and validation data: SQuAD-format sets read into questions over passages, DRCD converted
to Simplified Chinese, a held-out tenth of DRCD, and "no answer" examples.

Sets (read from ``../shared/benchmarks`` or ``$QA_BENCHMARKS``, never copied into the project): CMRC 2018 train,
XQuAD-zh and DRCD dev+test for training; CMRC 2018 trial for choosing the checkpoint. CMRC 2018 dev is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def bench_dir() -> Path:
    """Where the benchmark files are: $QA_BENCHMARKS, else ../shared/benchmarks beside the checkout."""
    return Path(os.environ.get("QA_BENCHMARKS") or _REPO.parent / "shared" / "benchmarks")


#: name -> (file names under bench_dir(), Traditional Chinese)
SETS: dict[str, tuple[tuple[str, ...], bool]] = {
    "cmrc-train": (("cmrc2018_train.json",), False),
    "xquad-zh": (("xquad_zh.json",), False),
    "drcd": (("drcd/DRCD_dev.json", "drcd/DRCD_test.json"), True),
    "cmrc-trial": (("cmrc2018_trial.json",), False),
}
TRAIN_SETS = ("cmrc-train", "xquad-zh", "drcd")
VALIDATION_SET = "cmrc-trial"
#: One DRCD article in this many is held out of training (by a hash of its title), for a Traditional-sourced check.
DRCD_HOLDOUT_MOD = 10


@dataclass(frozen=True)
class Example:
    """A question over a passage, with its answers as (text, character start); no answers: none in the passage."""

    id: str
    question: str
    passage: str
    answers: tuple[tuple[str, int], ...]
    source: str
    group: str  # the article it comes from (held-out splits never share one with training)


def drcd_held_out(group: str) -> bool:
    """Whether a DRCD article is in the held-out tenth."""
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest()[:8], 16) % DRCD_HOLDOUT_MOD == 0


def _converter(traditional: bool):  # -> Callable[[str], str] | None
    if not traditional:
        return None
    import opencc

    return opencc.OpenCC("t2s").convert


def read_squad(path: Path, source: str, traditional: bool = False) -> list[Example]:
    """One SQuAD-format file as examples. Traditional text is converted with OpenCC t2s, which keeps every length
    (checked: a passage whose length changes is skipped, so answer offsets stay valid)."""
    convert = _converter(traditional)
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out: list[Example] = []
    for art in data:
        group = f"{source}:{art.get('title', '')}"
        for para in art["paragraphs"]:
            ctx = para["context"]
            if convert is not None:
                simple = convert(ctx)
                if len(simple) != len(ctx):
                    continue
                ctx = simple
            for qa in para["qas"]:
                question = convert(qa["question"]) if convert is not None else qa["question"]
                answers = []
                for a in qa.get("answers", []):
                    start = int(a["answer_start"])
                    text = ctx[start : start + len(a["text"])]
                    if text.strip() and (convert is not None or text == a["text"]):
                        answers.append((text, start))
                if question.strip() and answers:
                    out.append(Example(str(qa["id"]), question.strip(), ctx, tuple(answers), source, group))
    return out


def load_set(name: str, root: Path | None = None) -> list[Example]:
    """A named set (SETS), all of it."""
    files, traditional = SETS[name]
    root = root or bench_dir()
    out: list[Example] = []
    for f in files:
        out.extend(read_squad(root / f, name, traditional))
    return out


def training_examples(root: Path | None = None, sets: tuple[str, ...] = TRAIN_SETS) -> list[Example]:
    """The training questions: every set named, less DRCD's held-out tenth."""
    out: list[Example] = []
    for name in sets:
        out.extend(e for e in load_set(name, root) if not (name == "drcd" and drcd_held_out(e.group)))
    return out


def drcd_holdout(root: Path | None = None) -> list[Example]:
    """DRCD's held-out tenth (never trained on)."""
    return [e for e in load_set("drcd", root) if drcd_held_out(e.group)]


def hard_negatives(examples: list[Example], top: int = 5) -> dict[str, str]:
    """For each question, the passage BM25 ranks highest among the other passages of its set that holds none of
    its answers: a passage that reads as relevant but cannot answer it (SQuAD 2.0-style "no answer")."""
    import bm25s
    import numpy as np

    from qa.text.tokens import tokenize

    out: dict[str, str] = {}
    by_source: dict[str, list[Example]] = {}
    for e in examples:
        by_source.setdefault(e.source, []).append(e)
    for group in by_source.values():
        passages = sorted({e.passage for e in group})
        if len(passages) < 2:
            continue
        retriever = bm25s.BM25()
        retriever.index([tokenize(p) or ["_"] for p in passages], show_progress=False)
        queries = [tokenize(e.question) or ["_"] for e in group]
        found, _scores = retriever.retrieve(queries, k=min(top, len(passages)), show_progress=False, n_threads=1)
        for e, row in zip(group, np.asarray(found), strict=True):
            for i in row:
                p = passages[int(i)]
                if p != e.passage and not any(a in p for a, _s in e.answers):
                    out[e.id] = p
                    break
    return out
