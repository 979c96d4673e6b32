"""The shipped reader (qa/reader/weights): it loads without torch, finds the fact asked for in a passage, says "no
answer" for a passage that lacks it, and its model card says what it was trained on. Slow: the real encoder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.reader.model import WEIGHTS_DIR

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

PASSAGE = (
    "在提案办理中彰显为民情怀。推行“三强化三提升”提案办理流程，西夏区政协五届三次会议和闭会期间共立案41件，"
    "区委和政府专项安排100万元提案办理资金，提案办复率、满意率均达100%。"
)


def test_the_card_and_config_say_what_it_was_trained_on() -> None:
    config = json.loads((WEIGHTS_DIR / "config.json").read_text(encoding="utf-8"))
    card = (WEIGHTS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert config["best_epoch"] in [h["epoch"] for h in config["history"]]
    assert config["train_questions"] > 15_000
    for name in ("CMRC 2018 train", "XQuAD-zh", "DRCD", "CMRC 2018 dev is never used"):
        assert name in card


def test_it_reads_the_fact_without_torch_and_abstains_where_there_is_none() -> None:
    code = f"""
import json, sys
from qa.reader.model import Reader
r = Reader.load()
found = r.read("共立案多少件提案？", [{PASSAGE!r}, "今年全区新建学校两所，改造道路12公里。"])
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers', 'sentence_transformers'))
print(json.dumps([[f.spans[:1], f.null] for f in found] + [heavy]))
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    (here, here_null), (there, there_null), heavy = json.loads(run.stdout.strip().splitlines()[-1])
    assert heavy == []
    (s, e, p) = here[0]
    assert "41" in PASSAGE[s:e] and len(PASSAGE[s:e]) <= 6 and p > here_null
    assert there_null > (there[0][2] if there else 0.0)
