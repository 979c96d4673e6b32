"""The reader on its own, gold passage given: official CMRC 2018 EM and F1 (character level, punctuation removed,
best over the gold answers), answer-contains, and latency, on any SQuAD-format set.

    python -m qa.reader.evaluate                    # the shipped reader on CMRC 2018 trial
    python -m qa.reader.evaluate --set drcd-holdout --limit 300

The same function scores checkpoints during training (through the torch module) and the exported reader (through
onnxruntime), since both read the same windows (`qa.reader.windows`) and decode the same way (`qa.reader.decode`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.evaluation.metrics import cmrc_em, cmrc_f1
from qa.reader.data import Example, drcd_holdout, load_set
from qa.reader.decode import WindowSpans


class PassageReader(Protocol):
    """Reads passages for a question: each one's best spans and its "no answer" probability."""

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]: ...


@dataclass(frozen=True)
class ReaderScores:
    """Scores over a set, each a mean over its questions (EM and F1 times 100, as CMRC reports them)."""

    questions: int
    em: float
    f1: float
    contains: float  # share of questions whose answer contains a gold answer
    answered: float  # share whose best span beats "no answer"
    ms_per_question: float

    def line(self) -> str:
        return (
            f"{self.questions} questions: EM {self.em:.2f}, F1 {self.f1:.2f}, contains {self.contains:.3f}, "
            f"answered {self.answered:.3f}, {self.ms_per_question:.1f} ms per question"
        )


def contains(prediction: str, answers: Sequence[str]) -> bool:
    """Whether the prediction holds one of the answers (spaces ignored)."""
    p = prediction.replace(" ", "")
    return bool(p) and any(a.replace(" ", "") in p for a in answers)


def score(reader: PassageReader, examples: Sequence[Example]) -> ReaderScores:
    """Each question asked of its own passage; the best span is the prediction even where "no answer" wins."""
    em = f1 = hit = answered = 0.0
    t0 = time.perf_counter()
    for e in examples:
        found = reader.read(e.question, [e.passage], top_n=1)[0]
        pred = e.passage[found.spans[0][0] : found.spans[0][1]] if found.spans else ""
        gold = [a for a, _s in e.answers]
        em += cmrc_em(pred, gold)
        f1 += cmrc_f1(pred, gold)
        hit += contains(pred, gold)
        answered += bool(found.spans) and found.spans[0][2] > found.null
    n = max(1, len(examples))
    ms = (time.perf_counter() - t0) * 1000 / n
    return ReaderScores(len(examples), 100 * em / n, 100 * f1 / n, hit / n, answered / n, ms)


def examples_of(name: str, limit: int = 0) -> list[Example]:
    """A named validation set: cmrc-trial, xquad-zh, drcd-holdout (or any name in qa.reader.data.SETS)."""
    out = drcd_holdout() if name == "drcd-holdout" else load_set(name)
    if limit:
        out = out[:: max(1, len(out) // limit)][:limit]  # spread over the set, not its first articles
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qa.reader.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="cmrc-trial", help="cmrc-trial (default), xquad-zh or drcd-holdout")
    parser.add_argument("--weights", default="default", help="a weights folder (default: the shipped one)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many questions, spread over the set")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from qa.reader.model import Reader

    reader = Reader.load(args.weights, threads=args.threads)
    result = score(reader, examples_of(args.set, args.limit))
    print(json.dumps(result.__dict__) if args.json else f"{args.set}: {result.line()}")


if __name__ == "__main__":
    main()
