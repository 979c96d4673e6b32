"""Hybrid retrieval over a small multi-document index built with the fake embedder."""

from __future__ import annotations

import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import InputError
from qa.index.build import build_index
from qa.text.script import detect_lang
from qa.types import Hit

# A made-up county report: schools, budget, farming (nothing to do with the bundled report).
SCHOOLS = """河湾县2024年教育和财政工作报告

教育事业稳步发展。全县新建幼儿园3所，改扩建乡村学校11所，
为农村学校配备校车24辆，公开招聘教师86名，高考本科上线率
达到72%。

财政预算执行平稳。全年一般公共预算支出9.8亿元，其中教育
支出2.1亿元，县财政安排学生资助资金650万元，资助家庭经济
困难学生2300人。

农业生产保持稳定。全县新建日光温室140座，推广节水灌溉技术，
引进蔬菜新品种18个，建成农产品冷链仓储中心1处。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    base = tmp_path_factory.mktemp("retrieval")
    docs = base / "docs"
    docs.mkdir()
    (docs / "proposals.txt").write_text(PROPOSALS, encoding="utf-8")
    (docs / "visits.txt").write_text(VISITS, encoding="utf-8")
    (docs / "schools.txt").write_text(SCHOOLS, encoding="utf-8")
    build_index([docs], base / "index", Settings(embedder="fake"))
    return Assistant.load(base / "index")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("提案立案了多少件？", "zh"),
        ("How many proposals were filed?", "en"),
        ("CPPCC共立案多少件提案？", "zh"),  # one English acronym in a Chinese question
        ("2024年GDP增长了多少？", "zh"),
        ("When did the vegetable expo open in 2023?", "en"),
    ],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_index_holds_several_documents_and_chunks(assistant):
    sources = {c.source for c in assistant.data.chunks}
    assert sources == {"proposals.txt", "visits.txt", "schools.txt"}
    assert len(assistant.data.chunks) >= 4


@pytest.mark.parametrize(
    ("question", "source", "evidence"),
    [
        ("西夏区政协共立案多少件提案？", "proposals.txt", "立案41件"),
        ("陈雍几次到西夏区调研？", "visits.txt", "陈雍6次到西夏"),
        ("河湾县公开招聘了多少名教师？", "schools.txt", "招聘教师86名"),
        ("县财政安排了多少学生资助资金？", "schools.txt", "学生资助资金650万元"),
        ("全县新建了多少座日光温室？", "schools.txt", "日光温室140座"),
    ],
)
def test_chinese_question_ranks_the_answer_chunk_first(assistant, question, source, evidence):
    top = assistant.retrieve(question)[0]
    assert top.chunk.source == source
    assert evidence in top.chunk.text


@pytest.mark.parametrize(
    ("question", "evidence", "term"),
    [
        ("How many teachers were recruited?", "招聘教师86名", "教师"),
        ("How many proposals were filed?", "立案41件", "提案"),
        ("How many greenhouses were built?", "日光温室140座", "温室"),
    ],
)
def test_english_question_reaches_chinese_chunk_through_dictionary_terms(assistant, question, evidence, term):
    query = assistant.retriever.query(question)
    assert query.lang == "en"
    assert term in [z for z, _w in query.terms]
    hits = assistant.retriever.search(query, 10)
    assert evidence in hits[0].chunk.text
    # the fake embedder knows no English: the lexical side found it
    assert hits[0].bm25 > 0 and hits[0].bm25 == max(h.bm25 for h in hits)


def test_romanised_name_finds_the_chunk_naming_the_person(assistant):
    query = assistant.retriever.query("What did Chen Yong do?")
    assert "陈雍" in [z for z, _ws in query.names]
    top = assistant.retriever.search(query, 5)[0]
    assert top.chunk.source == "visits.txt" and "陈雍" in top.chunk.text


def test_how_many_times_question_with_a_name_ranks_the_named_chunk_first(assistant):
    top = assistant.retrieve("How many times did Chen Yong visit Xixia District?")[0]
    assert top.chunk.source == "visits.txt"


def test_hits_carry_component_scores_sorted_by_fused_score(assistant):
    hits = assistant.retrieve("县财政安排了多少学生资助资金？", k=10)
    assert hits and all(isinstance(h, Hit) for h in hits)
    assert len(hits) == min(10, len(assistant.data.chunks))
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    for h in hits:
        assert isinstance(h.bm25, float) and isinstance(h.dense, float) and isinstance(h.score, float)
        assert h.bm25 >= 0 and -1.0001 <= h.dense <= 1.0001 and 0 <= h.score <= 1.0001
    assert hits[0].score > hits[-1].score
    assert len({h.chunk.id for h in hits}) == len(hits)


def test_k_limits_the_number_of_hits(assistant):
    assert len(assistant.retrieve("教师", k=2)) == 2
    assert len(assistant.retrieve("教师", k=1)) == 1


@pytest.mark.parametrize("question", ["", "   ", "？？！", "x" * 3000])
def test_unusable_question_is_refused(assistant, question):
    with pytest.raises(InputError):
        assistant.retrieve(question)
