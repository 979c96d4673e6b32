"""Fine-tune multilingual-e5-small as an extractive reader, resumably, and export the best epoch.

    python -m qa.reader.train                                # what `make train-reader` runs
    python -m qa.reader.train --limit 200 --epochs 1         # a tiny run (tests)

Data (`qa.reader.data`): CMRC 2018 train, XQuAD-zh and DRCD dev+test (less a held-out tenth), each question's
answer window plus "no answer" windows (`qa.reader.samples`). Batches of similar length, AdamW with linear warm-up
and decay, bfloat16 autocast where the CPU has it (or a GPU). A checkpoint goes to the lab folder every
`--save-every` steps, so a run stopped at any point goes on from there when started again with the same settings.
After each epoch the checkpoint is scored on CMRC 2018 trial (gold passage; `qa.reader.evaluate`); the best epoch
is exported (`qa.reader.export`) with its model card.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.reader.reading import WindowReader

DEFAULT_LAB = Path(os.environ.get("QA_READER_LAB") or Path.home() / ".cache" / "qa-reader-lab")


@dataclass(frozen=True)
class TrainSettings:
    """Every setting of a run (saved with its checkpoints and in the exported config)."""

    epochs: int = 2
    lr: float = 1e-4
    batch: int = 32
    warmup: float = 0.06
    weight_decay: float = 0.01
    dropout: float = 0.1
    max_len: int = 256
    overlap: int = 96
    other_windows: float = 0.1
    hard_negative: float = 0.5
    seed: int = 2018
    limit: int = 0  # train on the first N questions only (0: all)
    eval_limit: int = 0  # score on at most N trial questions (0: all)
    init: str = ""  # start from an earlier run's epoch file (lab/epoch-N.pt) instead of the pretrained encoder


def batches(lengths: list[int], batch: int, seed: int) -> list[list[int]]:
    """Sample indices in batches of similar length (little padding), in a shuffled order fixed by `seed`."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch * 50
    out: list[list[int]] = []
    for k in range(0, len(order), pool):
        chunk = sorted(order[k : k + pool], key=lambda i: lengths[i])
        out.extend(chunk[j : j + batch] for j in range(0, len(chunk), batch))
    rng.shuffle(out)
    return out


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _tensors(samples: list[Any], idx: list[int], pad: int, device: str):  # -> tuple of torch tensors
    import torch

    rows = [samples[i] for i in idx]
    width = max(len(s.ids) for s in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    valid = torch.zeros((len(rows), width), dtype=torch.bool)
    for r, s in enumerate(rows):
        ids[r, : len(s.ids)] = torch.tensor(s.ids)
        valid[r, 0] = True
        valid[r, s.first : len(s.ids) - 1] = True
    mask = (ids != pad).long()
    for r, s in enumerate(rows):
        mask[r, : len(s.ids)] = 1
    starts = torch.tensor([s.start for s in rows])
    ends = torch.tensor([s.end for s in rows])
    return ids.to(device), mask.to(device), valid.to(device), starts.to(device), ends.to(device)


class TorchReader(WindowReader):
    """The module being trained, read through the run-time windows and decoding (for scoring epochs)."""

    def __init__(self, net: Any, tok: Any, settings: TrainSettings, device: str) -> None:
        super().__init__(tok, settings.max_len, settings.overlap)
        self.net = net
        self.device = device

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        import torch

        with torch.no_grad(), _autocast(self.device):
            s, e = self.net(torch.from_numpy(mask).to(self.device), input_ids=torch.from_numpy(ids).to(self.device))
        return s.float().cpu().numpy(), e.float().cpu().numpy()


def _autocast(device: str):  # -> a context manager
    import torch

    from qa.encoder.runtime import cpu_has_bf16

    return torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda" or cpu_has_bf16())


def _save(path: Path, state: dict[str, Any]) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(settings: TrainSettings, lab: Path, out: Path, threads: int, save_every: int, command: str) -> dict:
    """Run (or resume) training; export the best epoch to `out`; returns its config."""
    import torch

    from qa.encoder.convert import ensure_model
    from qa.encoder.unigram import UnigramTokenizer
    from qa.reader.data import VALIDATION_SET, hard_negatives, training_examples
    from qa.reader.evaluate import examples_of, score
    from qa.reader.export import export
    from qa.reader.net import load_net, span_loss
    from qa.reader.samples import SampleSettings, build_samples

    torch.set_num_threads(threads)
    torch.manual_seed(settings.seed)
    device = _device()
    folder = ensure_model()
    tok = UnigramTokenizer(folder / "onnx", max_length=10**9)
    t0 = time.time()
    examples = training_examples()
    if settings.limit:
        examples = random.Random(settings.seed).sample(examples, min(settings.limit, len(examples)))
    sample_settings = SampleSettings(settings.max_len, settings.overlap, settings.other_windows, settings.hard_negative)
    samples = build_samples(examples, hard_negatives(examples), tok, sample_settings, settings.seed)
    negatives = sum(s.start == 0 for s in samples)
    print(
        f"{len(examples)} questions -> {len(samples)} windows ({negatives} without the answer) in "
        f"{time.time() - t0:.0f} s",
        file=sys.stderr,
    )
    trial = examples_of(VALIDATION_SET, settings.eval_limit)
    lengths = [len(s.ids) for s in samples]
    per_epoch = [batches(lengths, settings.batch, settings.seed + ep) for ep in range(settings.epochs)]
    total = sum(len(b) for b in per_epoch)

    net = load_net(folder, settings.dropout)
    if settings.init:
        net.load_state_dict(torch.load(settings.init, map_location="cpu", weights_only=True)["model"], strict=False)
    net = net.to(device)
    params = [p for p in net.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() > 1]
    rest = [p for p in params if p.dim() <= 1]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings.weight_decay}, {"params": rest, "weight_decay": 0.0}],
        lr=settings.lr,
    )
    warm = max(1, int(total * settings.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
    )
    lab.mkdir(parents=True, exist_ok=True)
    ckpt = lab / "checkpoint.pt"
    step, history, train_s = 0, [], 0.0
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        if state["settings"] == asdict(settings):
            net.load_state_dict(state["model"], strict=False)
            opt.load_state_dict(state["opt"])
            sched.load_state_dict(state["sched"])
            step, history, train_s = state["step"], state["history"], state["train_s"]
            print(f"resumed at step {step} of {total}", file=sys.stderr)
        else:
            print(f"{ckpt} has other settings: starting afresh", file=sys.stderr)

    def checkpoint() -> None:
        _save(
            ckpt,
            {
                "settings": asdict(settings),
                "model": net.trained_state(),
                "opt": opt.state_dict(),
                "sched": sched.state_dict(),
                "step": step,
                "history": history,
                "train_s": train_s,
            },
        )

    done = 0
    for epoch, epoch_batches in enumerate(per_epoch, start=1):
        if step >= done + len(epoch_batches):
            done += len(epoch_batches)
            continue
        net.train()
        losses: list[float] = []
        t_epoch = time.time()
        for k in range(step - done, len(epoch_batches)):
            t = time.time()
            ids, mask, valid, starts, ends = _tensors(samples, epoch_batches[k], tok.pad, device)
            with _autocast(device):
                s, e = net(mask, input_ids=ids)
            loss = span_loss(s, e, valid, starts, ends)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            losses.append(float(loss.detach()))
            step += 1
            train_s += time.time() - t
            if step == 3 and not history:
                per = train_s / 3
                print(
                    f"estimate: {per:.2f} s per batch of {settings.batch}, {per * len(epoch_batches) / 60:.0f} min "
                    f"per epoch, {per * total / 60:.0f} min for {settings.epochs} epochs",
                    file=sys.stderr,
                )
            if step % save_every == 0:
                checkpoint()
                print(
                    f"epoch {epoch} step {step}/{total} loss {np.mean(losses[-save_every:]):.3f} "
                    f"{(time.time() - t_epoch) / 60:.1f} min",
                    file=sys.stderr,
                    flush=True,
                )
        done += len(epoch_batches)
        net.eval()
        result = score(TorchReader(net, tok, settings, device), trial)
        row = {
            "epoch": epoch,
            "loss": float(np.mean(losses)) if losses else None,
            "trial_em": result.em,
            "trial_f1": result.f1,
            "trial_contains": result.contains,
            "train_minutes": round(train_s / 60, 1),  # training steps so far: resume-proof
        }
        history.append(row)
        print(f"epoch {epoch}: {json.dumps(row)}", file=sys.stderr, flush=True)
        _save(lab / f"epoch-{epoch}.pt", {"model": net.trained_state()})
        checkpoint()
    best = max(history, key=lambda h: h["trial_f1"])
    weights = torch.load(lab / f"epoch-{best['epoch']}.pt", map_location="cpu", weights_only=True)["model"]
    net = load_net(folder, settings.dropout)
    net.load_state_dict(weights, strict=False)
    config = {
        "settings": asdict(settings),
        "history": history,
        "best_epoch": best["epoch"],
        "train_minutes": round(train_s / 60, 1),
        "device": device if device == "cpu" else torch.cuda.get_device_name(),
        "threads": threads,
        "command": command,
        "train_questions": len(examples),
        "train_windows": len(samples),
        "negative_windows": negatives,
    }
    if settings.init:
        config["continues"] = _earlier_run(Path(settings.init))
    export(net.eval(), out, config)
    return config


def _earlier_run(init: Path) -> dict[str, Any]:
    """What the run whose epoch file `init` is had done: the file's name, and the run's settings and scores per
    epoch from the checkpoint beside the file (the name alone when there is none)."""
    import torch

    ckpt = init.parent / "checkpoint.pt"
    if not ckpt.is_file():
        return {"file": init.name}
    state = torch.load(ckpt, map_location="cpu", weights_only=False)
    return {"file": init.name, "settings": state["settings"], "history": state["history"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qa.reader.train", description=__doc__.split("\n")[0])
    defaults = TrainSettings()
    for name, value in asdict(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "weights")
    parser.add_argument("--lab", type=Path, default=DEFAULT_LAB, help="checkpoints (resumable)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--save-every", type=int, default=50, help="steps between checkpoints")
    args = parser.parse_args(argv)
    settings = TrainSettings(**{k: getattr(args, k) for k in asdict(defaults)})
    command = "python -m qa.reader.train " + " ".join(argv if argv is not None else sys.argv[1:])
    config = train(settings, args.lab, args.out, args.threads, args.save_every, command.strip())
    print(json.dumps({k: config[k] for k in ("best_epoch", "train_minutes", "history")}, indent=1))


if __name__ == "__main__":
    main()
