"""Hold out part of DRCD by article, to test the reader on short answers it never trained on.

    python -m qa.reader.split --out /tmp/drcd-split        # drcd_train90.json + drcd_held10.json (Simplified)
    python -m qa.reader.train --train-data /tmp/drcd-split/drcd_train90.json --no-t2s --out /tmp/r90 ...
    python -m qa.reader.evaluate --weights /tmp/r90 --data /tmp/drcd-split/drcd_held10.json

Articles of DRCD dev+test are shuffled with random.Random(seed) and the first `fraction` of them held out; both
parts are converted to Simplified Chinese with OpenCC t2s (lengths kept, so answer offsets stay valid).
"""

from __future__ import annotations

import argparse
import json
import os
import random

from .data import DRCD_FILES


def _simplified(articles: list[dict], convert) -> list[dict]:
    out = []
    for art in articles:
        paragraphs = []
        for para in art["paragraphs"]:
            ctx = convert(para["context"])
            if len(ctx) != len(para["context"]):
                raise ValueError("OpenCC changed a passage length; offsets would break")
            qas = [
                {
                    "id": q["id"],
                    "question": convert(q["question"]),
                    "answers": [
                        {
                            "text": ctx[a["answer_start"] : a["answer_start"] + len(a["text"])],
                            "answer_start": a["answer_start"],
                        }
                        for a in q["answers"]
                    ],
                }
                for q in para["qas"]
            ]
            paragraphs.append({"context": ctx, "qas": qas})
        out.append({"title": convert(art.get("title", "")), "paragraphs": paragraphs})
    return out


def split(out_dir: str, fraction: float = 0.1, seed: int = 2026) -> dict[str, int]:
    """Write drcd_train{N}.json and drcd_held{M}.json into `out_dir`; returns questions per file."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    articles: list[dict] = []
    for path in DRCD_FILES:
        with open(path, encoding="utf-8") as f:
            articles += json.load(f)["data"]
    random.Random(seed).shuffle(articles)
    k = max(1, int(len(articles) * fraction))
    held_pct = round(100 * fraction)
    os.makedirs(out_dir, exist_ok=True)
    counts = {}
    for name, part in ((f"drcd_train{100 - held_pct}.json", articles[k:]), (f"drcd_held{held_pct}.json", articles[:k])):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump({"data": _simplified(part, convert)}, f, ensure_ascii=False)
        counts[name] = sum(len(p["qas"]) for a in part for p in a["paragraphs"])
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the two files")
    ap.add_argument("--fraction", type=float, default=0.1, help="share of articles held out (default 0.1)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    print(json.dumps(split(args.out, args.fraction, args.seed)))


if __name__ == "__main__":
    main()
