"""Embedders: the fake one for tests, the offline default (e5-small), USE-m3 and sentence-transformers."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from qa.config import Settings
from qa.errors import InputError
from qa.index.embedders import FakeEmbedder, get_embedder

ANSWER = "西夏区政协五届三次会议和闭会期间共立案41件。"
OTHER = "自治区政协主席陈雍6次到西夏区调研企业经营。"
TEXTS = [ANSWER, OTHER, "贺兰山东麓葡萄酒文旅融合发展", "How many proposals were filed?"]


def assert_unit_rows(vecs: np.ndarray, n: int, dim: int) -> None:
    assert vecs.shape == (n, dim)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_fake_embedder_is_deterministic_and_normalised():
    e = get_embedder("fake")
    assert e.name == "fake"
    first = e.encode(TEXTS)
    assert_unit_rows(first, len(TEXTS), e.dim)
    assert np.array_equal(first, FakeEmbedder().encode(TEXTS))  # a new instance (a new process) agrees
    assert np.array_equal(first[1:2], e.encode([OTHER]))  # a text's vector does not depend on its batch


def test_fake_embedder_ranks_similar_text_higher():
    e = get_embedder("fake")
    q, a, b = e.encode(["共立案41件提案", ANSWER, OTHER])
    assert float(q @ a) > float(q @ b)


def test_empty_batch_gives_empty_matrix():
    assert get_embedder("fake").encode([]).shape == (0, get_embedder("fake").dim)


@pytest.mark.parametrize("spec", ["nope", "st:", "", "USE-M3x"])
def test_unknown_embedder_is_an_input_error(spec):
    with pytest.raises(InputError) as err:
        get_embedder(spec)
    assert "use-m3" in str(err.value) and "\n" not in str(err.value)


def test_default_embedder_is_e5_small_without_loading_a_model():
    e = get_embedder(Settings().embedder)
    assert (e.name, e.dim) == ("e5-small", 384)
    assert get_embedder("use").name == "use-m3"
    assert get_embedder("st:minilm").name == "st:minilm"  # the name alone loads nothing


def test_cli_and_assistant_do_not_import_torch(report_index):
    """Startup stays light: torch / sentence-transformers load only for an st: embedder."""
    code = f"""
import json, sys
heavy = lambda: sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'))
import qa.cli.main, qa.assistant
qa.cli.main.make_parser()
after_import = heavy()
qa.assistant.Assistant.load({str(report_index)!r}).ask('提案立案了多少件？')
print(json.dumps([after_import, heavy()]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    after_import, after_ask = json.loads(out.stdout.strip().splitlines()[-1])
    assert after_import == []
    assert after_ask == []


@pytest.mark.slow
def test_e5_small_finds_the_passage_for_chinese_and_english_questions():
    e = get_embedder("e5-small")
    passages = e.encode([ANSWER, OTHER])
    questions = e.encode(["提案立案了多少件？", "How many proposals were filed?"], "query")
    assert_unit_rows(passages, 2, 384)
    assert_unit_rows(questions, 2, 384)
    for q in questions:
        assert float(q @ passages[0]) > float(q @ passages[1])
    # the query prompt matters: a question embedded as a passage is another vector
    assert float(e.encode(["提案立案了多少件？"])[0] @ questions[0]) < 0.99


@pytest.mark.slow
def test_use_m3_vectors_and_chinese_similarity():
    e = get_embedder("use-m3")
    vecs = e.encode(["提案立案了多少件？", ANSWER, OTHER])
    assert_unit_rows(vecs, 3, 512)
    q, a, b = vecs
    assert float(q @ a) > float(q @ b)


@pytest.mark.slow
def test_sentence_transformers_minilm_encodes_384_dims():
    e = get_embedder("st:minilm")
    vecs = e.encode(TEXTS)
    assert e.dim == 384
    assert_unit_rows(vecs, len(TEXTS), 384)
    again = get_embedder("st:minilm").encode(TEXTS[:1])
    assert np.allclose(vecs[0], again[0], atol=1e-5)


@pytest.mark.slow
def test_index_built_with_minilm_answers(corpus, tmp_path):
    from qa.assistant import Assistant
    from qa.index.build import build_index

    manifest, skipped = build_index([corpus], tmp_path / "idx", Settings(embedder="st:minilm"))
    assert skipped == []
    assert manifest.embedder.to_dict() == {"name": "st:minilm", "dim": 384}
    assistant = Assistant.load(tmp_path / "idx")
    assert assistant.data.dense.d == 384
    ans = assistant.ask("西夏区政协共立案多少件提案？")
    assert not ans.abstained
    assert "41" in ans.answer
    assert ans.citations[0].source == "a.txt"
    assert "立案41件" in ans.citations[0].text


@pytest.mark.slow
def test_asking_an_index_of_the_default_embedder_never_imports_torch(corpus, tmp_path):
    """Questions on an e5-small index run through onnxruntime: a fresh process answers without torch."""
    from qa.index.build import build_index

    manifest, _ = build_index([corpus], tmp_path / "idx")
    assert manifest.embedder.to_dict() == {"name": "e5-small", "dim": 384}
    code = f"""
import json, sys
import qa.assistant
answer = qa.assistant.Assistant.load({str(tmp_path / "idx")!r}).ask('西夏区政协共立案多少件提案？')
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'))
print(json.dumps([answer.answer, heavy]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    answer, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    assert "41" in answer and heavy == []


@pytest.mark.slow
def test_e5_small_embeds_a_few_passages_without_torch_and_gives_the_batch_path_s_vectors():
    """An answer's evidence sentence is embedded on the question path (onnxruntime, no torch), and the vector is
    the one a build would have stored for the same text."""
    code = f"""
import json, sys
from qa.index.embedders import get_embedder
e = get_embedder('e5-small')
few = e.encode([{ANSWER!r}, {OTHER!r}])
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'))
many = e.encode([{ANSWER!r}, {OTHER!r}] * 5)  # more than a few: the batched torch path
print(json.dumps([heavy, (few * many[:2]).sum(axis=1).tolist()]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    heavy, cosines = json.loads(out.stdout.strip().splitlines()[-1])
    assert heavy == []
    assert min(cosines) > 0.99
