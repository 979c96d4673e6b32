"""Train the span reader on DRCD (t2s) over frozen USE-m3 token features; validate on CMRC 2018 trial.

    python -m qa.reader.train --out qa/reader/weights            # the shipped recipe
    python -m qa.reader.train --out /tmp/x --epochs 2 --limit 500  # a quick smoke run

The only module of the reader that imports torch. Features are cached under --lab (default
/work/reader-lab); checkpoints go to --lab/runs/<name>/; the best epoch on CMRC trial (F1) is exported
to --out as float16 .npz + config.json, which `qa.reader.model.Reader` runs with numpy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from ..evaluation.metrics import cmrc_em, cmrc_f1
from . import data as D
from .batching import attach_extras, batches, collate
from .card import write_model_card
from .inputs import EXTRA_DIMS, length_prior, span_scores, top_spans
from .net import DEVICE, TorchReader, joint_span_loss


def _split_name(paths: list[str]) -> str:
    """Cache name of a set of data files: their names plus a short hash of their paths."""
    import hashlib

    stem = "+".join(os.path.splitext(os.path.basename(p))[0] for p in paths)
    return f"{stem[:60]}-{hashlib.sha1('|'.join(map(os.path.abspath, paths)).encode()).hexdigest()[:8]}"


@torch.no_grad()
def evaluate(model, split: D.Split, exs, variant, max_tokens=30, length_prior=None, bs=64, return_preds=False):
    model.eval()
    best: dict[int, tuple[float, int, int]] = {}
    for chunk in batches(exs, bs, random.Random(0), shuffle=False):
        inp, _, _ = collate(split, chunk, variant)
        s, e = model(*inp)
        s, e = s.float().cpu().numpy(), e.float().cpu().numpy()
        for b, ex in enumerate(chunk):
            n = ex.hi - ex.lo
            probs = span_scores(s[b, :n], e[b, :n], max_tokens, length_prior)
            top = top_spans(probs, 1)
            if top:
                i, j, p = top[0]
                if ex.q not in best or p > best[ex.q][0]:
                    best[ex.q] = (p, ex.lo + i, ex.lo + j)
    em = f1 = 0.0
    preds = {}
    for qi, q in enumerate(split.questions):
        pi = q["passage"]
        pred = ""
        if qi in best:
            _, i, j = best[qi]
            pred = split.passages[pi][split.p_starts[pi][i] : split.p_ends[pi][j]]
        golds = [a for a, _ in q["answers"]]
        em += cmrc_em(pred, golds)
        f1 += cmrc_f1(pred, golds)
        preds[q["id"]] = pred
    n = len(split.questions)
    res = {"em": 100 * em / n, "f1": 100 * f1 / n}
    return (res, preds) if return_preds else res


def export(model: TorchReader, out_dir: str, meta: dict):
    """float16 .npz of every trainable tensor + config.json (no pickle)."""
    os.makedirs(out_dir, exist_ok=True)
    arrs = {k: v.detach().cpu().numpy().astype(np.float16) for k, v in model.state_dict().items()}
    np.savez_compressed(os.path.join(out_dir, "reader.npz"), **arrs)
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump({**model.cfg, **meta}, f, ensure_ascii=False, indent=2)
    try:  # the onnxruntime graph of the same weights (needs the `onnx` package)
        from .onnx_export import build

        build(out_dir)
    except ImportError:
        print("onnx is not installed: no reader.onnx (the numpy backend still works)", file=sys.stderr)


_MALLOC_ENV = {
    "MALLOC_ARENA_MAX": "2",
    "MALLOC_MMAP_THRESHOLD_": "1000000000000",
    "MALLOC_TRIM_THRESHOLD_": "1000000000000",
}


def _reexec_with_malloc_env():
    """Restart the process with glibc malloc keeping freed memory.

    Every batch allocates and frees tensors of 100+ MB; by default glibc maps and unmaps them each time and
    the page faults tripled the epoch time here (measured: 10.5 vs 3.2 min). The settings are only read at
    process start, hence the re-exec.
    """
    if os.environ.get("QA_READER_NO_REEXEC") or all(os.environ.get(k) == v for k, v in _MALLOC_ENV.items()):
        return
    env = {**os.environ, **_MALLOC_ENV}
    os.execve(sys.executable, [sys.executable, "-m", "qa.reader.train", *sys.argv[1:]], env)


def _malloc_trim():
    """Hand freed heap pages back to the OS (with the settings above the heap otherwise only grows:
    batches of varying shapes fragment it, measured +1.7 GB per epoch)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def main(argv=None):
    if argv is None:
        _reexec_with_malloc_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="qa/reader/weights", help="export folder for the best checkpoint")
    ap.add_argument("--lab", default=D.DEFAULT_LAB, help="cache and checkpoint folder (outside the repo)")
    ap.add_argument("--train-data", nargs="+", default=list(D.DRCD_FILES), help="SQuAD-format training files")
    ap.add_argument("--val-data", default=D.CMRC_TRIAL, help="SQuAD-format file that picks the best epoch")
    ap.add_argument("--no-t2s", action="store_true", help="the training files are already Simplified Chinese")
    ap.add_argument("--name", default="final", help="run name under --lab/runs")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--emb", type=int, default=256)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--q-layers", type=int, default=None, help="question BiLSTM layers (default: --layers)")
    ap.add_argument("--no-concat", action="store_true", help="use only the last BiLSTM layer's output")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--dropout-in", type=float, default=None, help="dropout on the USE features (default: --dropout)")
    ap.add_argument("--window", type=int, default=400)
    ap.add_argument("--stride", type=int, default=200)
    ap.add_argument("--train-window", type=int, default=None, help="window size for training (default: --window)")
    ap.add_argument("--features", default="base", choices=sorted(EXTRA_DIMS))
    ap.add_argument(
        "--loss",
        default="independent",
        choices=["independent", "joint"],
        help="independent start/end cross-entropy, or cross-entropy over all spans <= --max-tokens",
    )
    ap.add_argument("--ema", type=float, default=0.0, help="evaluate an exponential moving average (e.g. 0.999)")
    ap.add_argument("--max-tokens", type=int, default=30)
    ap.add_argument(
        "--length-prior-alpha",
        type=float,
        default=0.0,
        help="decode with alpha * log(span length) added (stored in config.json; 0: none)",
    )
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument(
        "--threads", type=int, default=1, help="torch threads (1: as fast as 2 here, and robust when the box is shared)"
    )
    ap.add_argument("--limit", type=int, default=0, help="train on the first N questions only (smoke tests)")
    ap.add_argument("--eval-every", type=int, default=1)
    ap.add_argument("--init", default=None, help="start from this checkpoint (.pt in the lab)")
    ap.add_argument("--bench", action="store_true", help="time a few batches and exit")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    log = lambda *a: print(*a, flush=True)  # noqa: E731

    t0 = time.time()
    cache = os.path.join(args.lab, "cache")
    train = D.build_split(_split_name(args.train_data), args.train_data, t2s=not args.no_t2s, cache_dir=cache, log=log)
    val = D.build_split(_split_name([args.val_data]), args.val_data, t2s=False, cache_dir=cache, log=log)
    tw = args.train_window or args.window
    tr_ex = D.make_examples(train, tw, tw // 2, train=True)
    if args.limit:
        tr_ex = [e for e in tr_ex if e.q < args.limit]
    va_ex = D.make_examples(val, args.window, args.stride, train=False)
    attach_extras(train, tr_ex, args.features)
    attach_extras(val, va_ex, args.features)
    log(
        f"data: {len(tr_ex)} training windows ({len(train.questions)} questions), {len(va_ex)} trial windows "
        f"({len(val.questions)} questions); loaded in {time.time() - t0:.0f}s"
    )

    cfg = {
        "feat_dim": D.FEATURE_DIM,
        "emb": args.emb,
        "hidden": args.hidden,
        "layers": args.layers,
        "q_layers": args.q_layers or args.layers,
        "concat": not args.no_concat,
        "dropout": args.dropout,
        "dropout_in": args.dropout if args.dropout_in is None else args.dropout_in,
        "extra": EXTRA_DIMS[args.features],
        "features": args.features,
        "window": args.window,
        "stride": args.stride,
        "max_tokens": args.max_tokens,
        "length_prior_alpha": args.length_prior_alpha,
    }
    model = TorchReader(cfg).to(DEVICE)
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location=DEVICE, weights_only=True))
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adamax(model.parameters(), lr=args.lr)
    log(f"model: {n_params / 1e6:.2f}M trainable parameters, config {json.dumps(cfg)}")

    ema = None
    prior = length_prior(args.length_prior_alpha, args.max_tokens)

    def step(chunk):
        inp, ys, ye = collate(train, chunk, args.features)
        s, e = model(*inp)
        if args.loss == "joint":
            loss = joint_span_loss(s, e, ys, ye, args.max_tokens)
        else:
            loss = F.cross_entropy(s, ys) + F.cross_entropy(e, ye)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        if ema is not None:
            with torch.no_grad():
                for k, v in model.state_dict().items():
                    ema[k].mul_(args.ema).add_(v, alpha=1 - args.ema)
        return float(loss.detach())

    # time estimate: a few representative batches (copies of the weights, so training is unaffected)
    model.train()
    probe = batches(tr_ex, args.batch, random.Random(args.seed + 1))[:4]
    state = {k: v.clone() for k, v in model.state_dict().items()}
    ost = opt.state_dict()
    tb = time.time()
    for chunk in probe:
        step(chunk)
    per_tok = (time.time() - tb) / sum(sum(e.hi - e.lo for e in c) for c in probe)
    model.load_state_dict(state)
    opt = torch.optim.Adamax(model.parameters(), lr=args.lr)
    opt.load_state_dict(ost)
    n_tok = sum(e.hi - e.lo for e in tr_ex)
    te = time.time()
    evaluate(model, val, va_ex[:128], args.features, args.max_tokens)
    eval_s = (time.time() - te) * len(va_ex) / 128
    epoch_s = per_tok * n_tok
    est = args.epochs * epoch_s + math.ceil(args.epochs / args.eval_every) * eval_s
    log(
        f"estimate: {epoch_s / 60:.1f} min per epoch + {eval_s / 60:.1f} min per trial evaluation; "
        f"{args.epochs} epochs ~ {est / 60:.0f} min on {args.threads} threads"
    )
    if args.bench:
        return

    ema = {k: v.clone() for k, v in model.state_dict().items()} if args.ema else None
    run_dir = os.path.join(args.lab, "runs", args.name)
    os.makedirs(run_dir, exist_ok=True)
    best, history = None, []
    t_train = time.time()
    for ep in range(1, args.epochs + 1):
        model.train()
        te = time.time()
        losses = []
        for bi, chunk in enumerate(batches(tr_ex, args.batch, rng)):
            losses.append(step(chunk))
            if bi % 20 == 19:
                _malloc_trim()
        row = {"epoch": ep, "loss": float(np.mean(losses)), "train_s": time.time() - te}
        if ep % args.eval_every == 0 or ep == args.epochs:
            if ema is not None:  # evaluate (and keep) the moving average of the weights
                live = {k: v.clone() for k, v in model.state_dict().items()}
                model.load_state_dict(ema)
            res = evaluate(model, val, va_ex, args.features, args.max_tokens, prior)
            row.update(res)
            if best is None or res["f1"] > best["f1"]:
                best = {**row}
                torch.save(model.state_dict(), os.path.join(run_dir, "best.pt"))
            if ema is not None:
                model.load_state_dict(live)
        row["elapsed_min"] = (time.time() - t_train) / 60
        history.append(row)
        log(json.dumps(row))
        with open(os.path.join(run_dir, "history.json"), "w") as f:
            json.dump({"args": vars(args), "cfg": cfg, "history": history, "best": best}, f, indent=1)
    total_min = (time.time() - t_train) / 60
    log(f"best epoch {best['epoch']}: CMRC trial EM {best['em']:.1f} F1 {best['f1']:.1f}; training {total_min:.1f} min")
    model.load_state_dict(torch.load(os.path.join(run_dir, "best.pt"), map_location=DEVICE, weights_only=True))
    meta = {
        "trial_em": round(best["em"], 2),
        "trial_f1": round(best["f1"], 2),
        "best_epoch": best["epoch"],
        "epochs": args.epochs,
        "seed": args.seed,
        "train_minutes": round(total_min, 1),
        "threads": args.threads,
        "device": str(DEVICE),
        "train_data": [os.path.basename(p) for p in args.train_data],
        "n_params": n_params,
        "lr": args.lr,
        "batch": args.batch,
        "train_window": tw,
        "command": "python -m qa.reader.train " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    export(model, args.out, meta)
    write_model_card(args.out, {**cfg, **meta}, history)
    log(f"exported to {args.out}")


if __name__ == "__main__":
    main()
