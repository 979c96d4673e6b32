"""Figures in table rows (qa.answer.tables): a "how many" question over a table row is answered with the cell its
column names, in that column's unit, and the row is cited. Rows are real ones from the Nanjing statistical
communiqué of the development corpus (tab-separated there)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answer.evidence import QuestionCover, rank_sentences
from qa.answer.question import analyse_question
from qa.answer.tables import cell_mentions, cells, row_context
from qa.assistant import Assistant
from qa.config import AnswerWeights, Settings
from qa.index.bm25 import LexicalIndex
from qa.index.build import build_index
from qa.retrieve.query import Query
from qa.text.tokens import tokenize
from qa.types import Chunk, Hit

TRANSPORT_HEADER = "指标 | 计量单位 | 绝对量 | 比上年增长（%）"
TRADE_HEADER = "国别和地区 | 出口额（亿元） | 比上年增长（%） | 进口额（亿元） | 比上年增长（%）"


def chunk(text: str, context: str) -> Chunk:
    return Chunk("c", "s.txt", 0, len(text), "", "body", text, context=context)


def test_cells_are_the_spans_between_separators() -> None:
    row = "美国 | 713.8 | 10.1"
    assert [row[s:e] for s, e in cells(row)] == ["美国", "713.8", "10.1"]


def test_the_figure_column_not_the_growth_column_unless_growth_is_asked() -> None:
    row = "港口集装箱吞吐量 | 万标箱 | 320.02 | 2.9"
    c = chunk(row, f"交通运输\n{TRANSPORT_HEADER}")
    best = cell_mentions(row, c, "港口集装箱吞吐量是多少万标箱？")[0]
    assert (best.text, best.unit) == ("320.02", "万标箱")
    growth = cell_mentions(row, c, "港口集装箱吞吐量比上年增长多少？")[0]
    assert (growth.text, growth.unit) == ("2.9", "%")


def test_the_column_the_question_names_and_its_header_unit() -> None:
    row = "美国 | 713.8 | 10.1 | 106.3 | 33.2"
    c = chunk(row, TRADE_HEADER)
    assert cell_mentions(row, c, "对美国的出口额是多少亿元？")[0].text == "713.8"
    imported = cell_mentions(row, c, "自美国的进口额是多少？")[0]
    assert (imported.text, imported.unit) == ("106.3", "亿元")


def test_a_row_is_read_with_its_caption_and_header() -> None:
    rows = "港口集装箱吞吐量 | 万标箱 | 320.02 | 2.9\n机场货邮吞吐量 | 万吨 | 37.79 | 5.2"
    c = chunk(rows, f"表5 2022年主要运输指标\n{TRANSPORT_HEADER}")
    assert row_context(c, "机场货邮吞吐量 | 万吨 | 37.79 | 5.2") == f"表5 2022年主要运输指标\n{TRANSPORT_HEADER}"
    assert row_context(c, "港口生产保持增长。") == ""
    # a question naming the table and its column: the row covers it only with them
    question = "主要运输指标表中，机场货邮吞吐量的绝对量是多少？"
    cover = QuestionCover(
        Query(question, "zh", tokenize(question)), analyse_question(question, "zh"), LexicalIndex.build([rows]), {}
    )
    best = rank_sentences([Hit(c, 1.0, 1.0, 0.0)], cover, AnswerWeights())[0]
    assert rows[best.start : best.end].startswith("机场货邮吞吐量")
    assert best.cover > cover.cover("机场货邮吞吐量 | 万吨 | 37.79 | 5.2")


def test_prose_is_no_row() -> None:
    assert cell_mentions("港口集装箱吞吐量320.02万标箱，增长2.9%。", chunk("x", ""), "多少？") == []


REPORT = (
    "南京市2021年国民经济和社会发展统计公报\n\n"
    "全年全市交通运输平稳运行，港口生产保持增长。\n\n"
    "表5 2021年主要运输指标\n"
    "指标\t计量单位\t绝对量\t比上年增长（%）\n"
    "货物运输总量\t万吨\t49342.25\t2.6\n"
    "机场货邮吞吐量\t万吨\t35.91\t-7.8\n"
    "港口集装箱吞吐量\t万标箱\t310.98\t2.9\n"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    base = tmp_path_factory.mktemp("tables")
    (base / "docs").mkdir()
    (base / "docs" / "nanjing.txt").write_text(REPORT, encoding="utf-8")
    build_index([base / "docs"], base / "index", Settings(embedder="fake"))
    settings = replace(Settings(embedder="fake", abstain_threshold=0.0), reader="none")
    return Assistant.load(base / "index", settings)


def test_a_table_figure_is_answered_with_its_cell_and_unit_and_the_row_cited(assistant: Assistant) -> None:
    ans = assistant.ask("港口集装箱吞吐量是多少万标箱？")
    assert ans.answer == "310.98万标箱 [1]"
    assert "港口集装箱吞吐量" in ans.citations[0].text and "310.98" in ans.citations[0].text
    growth = assistant.ask("机场货邮吞吐量比上年增长多少？")
    assert growth.answer.startswith("-7.8%")
