"""Tiny SQuAD-format benchmark folders written by the tests (the real sets live outside the project)."""

from __future__ import annotations

import json
from pathlib import Path

FACTS = [
    ("西夏区政协全年共立案41件提案，办复率达到100%。", "共立案多少件提案？", "41件"),
    ("银川市去年新建学校12所，新增学位8000个。", "新建了几所学校？", "12所"),
    ("该区在2024年8月19日召开了全体会议。", "全体会议在哪一天召开？", "2024年8月19日"),
    ("主席李海峰带队到镇北堡调研了6次。", "谁带队到镇北堡调研？", "李海峰"),
    ("全年完成植树造林3万亩，森林覆盖率提高到18%。", "森林覆盖率提高到多少？", "18%"),
    ("委员们捐资近3万元，帮助困难群众200余户。", "委员们捐资多少？", "近3万元"),
]
TRADITIONAL = [("臺灣大學創立於1928年，位於臺北市。", "臺灣大學創立於哪一年？", "1928年")]


def squad(facts: list[tuple[str, str, str]], prefix: str, repeat: int = 1) -> dict:
    """A SQuAD file: one article per fact, the question asked `repeat` times."""
    data = []
    for i, (ctx, q, a) in enumerate(facts):
        qas = [
            {"id": f"{prefix}-{i}-{r}", "question": q, "answers": [{"text": a, "answer_start": ctx.index(a)}]}
            for r in range(repeat)
        ]
        data.append({"title": f"{prefix}{i}", "paragraphs": [{"context": ctx, "qas": qas}]})
    return {"version": "1", "data": data}


def write_benchmarks(root: Path, repeat: int = 1) -> Path:
    """The four files qa.reader.data reads, under `root`."""
    (root / "drcd").mkdir(parents=True, exist_ok=True)
    files = {
        "cmrc2018_train.json": squad(FACTS, "train", repeat),
        "xquad_zh.json": squad(FACTS[:2], "xq", repeat),
        "drcd/DRCD_dev.json": squad(TRADITIONAL, "drcd", repeat),
        "drcd/DRCD_test.json": squad([], "drcd-test"),
        "cmrc2018_trial.json": squad(FACTS[:3], "trial"),
    }
    for name, content in files.items():
        (root / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return root
