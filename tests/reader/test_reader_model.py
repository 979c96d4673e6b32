"""Run-time reader: no torch, shipped weights, plausible answers (qa.reader.model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa.reader.model import WEIGHTS_DIR, Reader


def test_importing_the_reader_does_not_import_torch():
    code = "import sys, qa.reader.model, qa.reader.features, qa.reader.inputs; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_shipped_weights_are_small_and_documented():
    names = sorted(os.listdir(WEIGHTS_DIR))
    assert {"config.json", "reader.npz", "MODEL_CARD.md"} <= set(names)
    size = sum(os.path.getsize(os.path.join(WEIGHTS_DIR, n)) for n in names)
    assert size <= 20 * 1024 * 1024
    assert not any(n.endswith((".pt", ".pkl", ".pickle", ".bin")) for n in names)
    cfg = json.load(open(os.path.join(WEIGHTS_DIR, "config.json"), encoding="utf-8"))
    assert cfg["feat_dim"] == 1280 and 0 < cfg["trial_f1"] <= 100


def test_load_is_lazy_and_checks_the_folder(tmp_path):
    r = Reader.load()
    assert not r._ready
    with pytest.raises(FileNotFoundError):
        Reader.load(str(tmp_path))


@pytest.fixture(scope="module")
def reader():
    return Reader.load().warm_up()


PASSAGE = (
    "西夏区位于宁夏回族自治区银川市西部，总面积1129平方公里。2024年，西夏区政协共立案41件提案，"
    "区委和政府专项安排100万元提案办理资金。贺兰山东麓应急救援中心于2023年建成，由区应急管理局负责运营。"
)


@pytest.mark.slow
def test_plausible_answers_on_a_tiny_passage(reader):
    cases = [
        ("西夏区政协2024年共立案多少件提案？", "41件"),
        ("西夏区的总面积是多少？", "1129平方公里"),
        ("贺兰山东麓应急救援中心由哪个部门负责运营？", "区应急管理局"),
    ]
    for question, gold in cases:
        spans = reader.spans(question, PASSAGE, top_n=5)
        assert spans and all(0 <= s < e <= len(PASSAGE) and 0.0 <= p <= 1.0 for s, e, p in spans)
        assert [p for _, _, p in spans] == sorted((p for _, _, p in spans), reverse=True)
        texts = [PASSAGE[s:e] for s, e, _ in spans[:3]]
        assert any(gold in t or t in gold for t in texts), (question, texts)


@pytest.mark.slow
def test_batch_matches_single_and_handles_empty_and_long(reader):
    q = "西夏区政协2024年共立案多少件提案？"
    long_text = "无关的句子。" * 150 + PASSAGE + "无关的句子。" * 150  # several windows
    single = [reader.spans(q, t, top_n=3) for t in (PASSAGE, long_text)]
    batch = reader.spans_batch(q, [PASSAGE, "", long_text], top_n=3)
    assert batch[1] == []
    for a, b in zip(single, [batch[0], batch[2]], strict=False):
        assert [x[:2] for x in a] == [x[:2] for x in b]
        assert all(abs(x[2] - y[2]) < 1e-4 for x, y in zip(a, b, strict=False))
    s, e, _ = batch[2][0]
    assert "41" in long_text[s:e]
    assert reader.spans("", PASSAGE) == []


@pytest.mark.slow
def test_numpy_and_onnx_backends_agree(reader):
    pytest.importorskip("onnxruntime")
    numpy_reader = Reader.load(backend="numpy").warm_up()
    onnx_reader = Reader.load(backend="onnx").warm_up()
    assert (numpy_reader.active_backend, onnx_reader.active_backend) == ("numpy", "onnx")
    q = "贺兰山东麓应急救援中心由哪个部门负责运营？"
    long_text = "无关的句子。" * 150 + PASSAGE
    a = numpy_reader.spans_batch(q, [PASSAGE, long_text], top_n=3)
    b = onnx_reader.spans_batch(q, [PASSAGE, long_text], top_n=3)
    for x, y in zip(a, b, strict=True):
        assert [s[:2] for s in x] == [s[:2] for s in y]
        assert all(abs(s[2] - t[2]) < 1e-4 for s, t in zip(x, y, strict=True))
