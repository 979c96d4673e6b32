"""Training from a fresh clone is one command: a tiny run end to end (qa.reader.train, slow: loads USE-m3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa.reader.model import Reader

PASSAGES = [
    ("西夏区共有常住人口38万人，辖4个镇。", [("西夏区常住人口有多少？", "38万人"), ("西夏区辖几个镇？", "4个镇")]),
    ("银川市2025年地区生产总值增长6.5%。", [("银川市地区生产总值增长了多少？", "6.5%")]),
    ("张三于1998年担任主席。", [("谁担任主席？", "张三"), ("张三哪一年担任主席？", "1998年")]),
]


def _squad(path: str) -> None:
    paras = []
    for i, (ctx, qas) in enumerate(PASSAGES):
        items = [
            {"id": f"q{i}-{j}", "question": q, "answers": [{"text": a, "answer_start": ctx.index(a)}]}
            for j, (q, a) in enumerate(qas)
        ]
        paras.append({"context": ctx, "qas": items})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"data": [{"title": "t", "paragraphs": paras}]}, f, ensure_ascii=False)


@pytest.mark.slow
def test_one_command_trains_exports_and_the_export_runs_without_torch(tmp_path):
    data = str(tmp_path / "train.json")
    _squad(data)
    out = tmp_path / "weights"
    cmd = [sys.executable, "-m", "qa.reader.train", "--out", str(out), "--lab", str(tmp_path / "lab")]
    cmd += ["--train-data", data, "--val-data", data, "--no-t2s", "--epochs", "2", "--batch", "2"]
    cmd += ["--emb", "16", "--hidden", "8", "--layers", "1", "--features", "type"]
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "QA_READER_NO_REEXEC": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "estimate:" in run.stdout and "best epoch" in run.stdout
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["features"] == "type" and cfg["epochs"] == 2 and 0 <= cfg["trial_f1"] <= 100
    assert cfg["command"].startswith("python -m qa.reader.train") and cfg["train_data"] == ["train.json"]
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "CC BY-SA 3.0" in card and "CC BY-SA 4.0" in card and "| 2 |" in card  # licences, one row per epoch
    # the features were cached once: a second run reuses them instead of recomputing
    assert any(n.endswith(".feats.f16") for n in os.listdir(tmp_path / "lab" / "cache"))
    reader = Reader.load(str(out), backend="numpy").warm_up()
    ctx = PASSAGES[0][0]
    spans = reader.spans("西夏区常住人口有多少？", ctx, top_n=3)
    assert spans and all(0 <= a < b <= len(ctx) for a, b, *_ in spans)
