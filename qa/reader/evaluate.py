"""CMRC 2018 EM/F1 of an exported reader with the gold passage given (no torch; runs `Reader`).

    python -m qa.reader.evaluate                         # shipped weights on CMRC 2018 trial
    python -m qa.reader.evaluate --weights DIR --data FILE.json --max-tokens 30 --prior-alpha 0.5

The score is the official CMRC 2018 one (character level for Chinese, punctuation removed, best over
the gold answers; F1 from the longest common substring), averaged over questions, times 100.
"""

from __future__ import annotations

import argparse
import json
import time

from ..evaluation.metrics import cmrc_em, cmrc_f1
from .data import CMRC_TRIAL, load_squad
from .model import Reader


def evaluate(
    reader: Reader,
    path: str = CMRC_TRIAL,
    max_tokens: int = 30,
    prior_alpha: float | None = None,
    limit: int = 0,
    t2s: bool = False,
) -> dict:
    passages, questions = load_squad(path, t2s=t2s)
    if limit:
        questions = questions[:limit]
    reader.warm_up()
    if prior_alpha is not None:
        reader.length_prior_alpha = prior_alpha
    em = f1 = 0.0
    t0 = time.perf_counter()
    preds = {}
    for q in questions:
        text = passages[q["passage"]]
        spans = reader.spans(q["question"], text, top_n=1, max_tokens=max_tokens)
        pred = text[spans[0][0] : spans[0][1]] if spans else ""
        golds = [a for a, _ in q["answers"]]
        em += cmrc_em(pred, golds)
        f1 += cmrc_f1(pred, golds)
        preds[q["id"]] = pred
    n = len(questions)
    return {
        "em": round(100 * em / n, 2),
        "f1": round(100 * f1 / n, 2),
        "n": n,
        "ms_per_question": round(1000 * (time.perf_counter() - t0) / n, 1),
        "preds": preds,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default=None)
    ap.add_argument("--data", default=CMRC_TRIAL)
    ap.add_argument("--t2s", action="store_true", help="convert the data with OpenCC t2s first")
    ap.add_argument("--max-tokens", type=int, default=30)
    ap.add_argument("--prior-alpha", type=float, default=None, help="override the length prior of the weights")
    ap.add_argument("--backend", default="auto", choices=["auto", "onnx", "numpy"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--preds", default=None, help="write predictions (id -> text) to this JSON file")
    args = ap.parse_args(argv)
    reader = Reader.load(args.weights, backend=args.backend)
    res = evaluate(reader, args.data, args.max_tokens, args.prior_alpha, args.limit, args.t2s)
    if args.preds:
        with open(args.preds, "w", encoding="utf-8") as f:
            json.dump(res["preds"], f, ensure_ascii=False, indent=0)
    res.pop("preds")
    print(
        json.dumps(
            {
                **res,
                "backend": reader.active_backend,
                "max_tokens": args.max_tokens,
                "prior_alpha": reader.length_prior_alpha,
            }
        )
    )


if __name__ == "__main__":
    main()
