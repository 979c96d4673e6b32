"""The Milvus backend against Milvus Lite (an embedded file): the same client code a Milvus server would get."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.config import Settings
from qa.index import loaded
from qa.index.backends import milvus_config
from qa.index.build import add_documents, build_index, remove_documents

pytest.importorskip("pymilvus", reason="the milvus backend needs pymilvus: pip install qa[milvus]")
pytest.importorskip("milvus_lite", reason="Milvus Lite needs milvus-lite: pip install qa[milvus]")

pytestmark = pytest.mark.usefixtures("fast_lexicon")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lite(tmp_path):
    yield milvus_config(str(tmp_path / "milvus.db"), tmp_path / "idx")
    from qa.index.backends.milvus import close_clients

    close_clients()


def test_milvus_lite_backend_answers_and_follows_updates(corpus, tmp_path, fake_settings, lite):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings, backend=lite)
    data = loaded.load_index(idx)
    assert data.manifest.backend["name"] == "milvus" and type(data.dense).__name__ == "MilvusBackend"
    ans = Assistant.load(idx).ask("西夏区政协五届三次会议和闭会期间共立案多少件提案？")
    assert "41" in ans.answer and ans.citations[0].source == "a.txt"
    extra = tmp_path / "c.txt"
    extra.write_text("西夏区政协组织委员开展非遗调研视察活动，走访非物质文化遗产传承基地6处。", encoding="utf-8")
    add_documents(idx, [extra])
    ans = Assistant.load(idx).ask("走访非物质文化遗产传承基地几处？")
    assert "6" in ans.answer and ans.citations[0].source == "c.txt"
    remove_documents(idx, ["c.txt"])
    hits = Assistant.load(idx).retrieve("走访非物质文化遗产传承基地")
    assert all(h.chunk.source != "c.txt" for h in hits)


def test_milvus_and_embedded_backends_rank_alike(tmp_path, fake_settings, lite):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "data" / "xixia_cppcc_2024_highlights.txt", docs)
    (docs / "a.txt").write_text(PROPOSALS, encoding="utf-8")
    (docs / "b.txt").write_text(VISITS, encoding="utf-8")
    build_index([docs], tmp_path / "emb", fake_settings)
    build_index([docs], tmp_path / "idx", fake_settings, backend=lite)
    a, b = Assistant.load(tmp_path / "emb"), Assistant.load(tmp_path / "idx")
    questions = [json.loads(line)["question"] for line in open(ROOT / "eval" / "questions.jsonl", encoding="utf-8")]
    same = sum(a.ask(q).answer == b.ask(q).answer for q in questions[:40])
    assert same >= 38


@pytest.mark.slow
def test_milvus_lite_answers_the_gold_holdout_like_the_default_backend(tmp_path, lite):
    """Default (e5-small) vectors; answers on the gold holdout equal the embedded backend's on at least 95%."""
    from qa.evaluation.gold import load_gold

    settings = Settings()
    build_index([ROOT / "data"], tmp_path / "emb", settings)
    build_index([ROOT / "data"], tmp_path / "idx", settings, backend=lite)
    a, b = Assistant.load(tmp_path / "emb"), Assistant.load(tmp_path / "idx")
    holdout = [q for q in load_gold(ROOT / "eval" / "questions.jsonl") if getattr(q, "split", "") == "holdout"]
    assert holdout
    same = sum(a.ask(q.question).answer == b.ask(q.question).answer for q in holdout)
    print(f"milvus lite vs embedded: {same}/{len(holdout)} holdout answers equal")
    assert same >= 0.95 * len(holdout)
