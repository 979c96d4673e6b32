"""Figures in table rows (qa.answer.tables): a "how many" question over a table row is answered with the cell its
column names, in that column's unit, and the row is cited. Rows are real ones from the Nanjing statistical
communiqué of the development corpus (tab-separated there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

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


# a Markdown table of the third national industrial census communiqué (1995): a group header over a row of years
CENSUS_GROUPS = " | 按资产总额计算(%) | 按从业人员计算(%) | 按工业总产值计算(%)"
CENSUS_YEARS = " | 1985 | 1995 | 1985 | 1995 | 1985 | 1995"


def test_a_column_under_a_group_header_is_named_by_the_group_and_its_year() -> None:
    row = "三资工业 | 0.2 | 16.2 | … | 6.1 | 0.3 | 13.1"
    c = chunk(row, f"**表2：工业经济类型结构变化情况**\n{CENSUS_GROUPS}\n{CENSUS_YEARS}")
    asked = "按工业总产值计算，1995年三资工业占全部工业的比重是多少？"
    best = cell_mentions(row, c, asked)[0]
    assert (best.text, best.unit) == ("13.1", "%")
    assert cell_mentions(row, c, "按资产总额计算，1985年三资工业的比重是多少？")[0].text == "0.2"


def test_a_row_whose_empty_first_cell_lost_its_space_still_has_it() -> None:
    row = "| 1985 | 1995"
    assert [row[s:e] for s, e in cells(row)] == ["", "1985", "1995"]


CENSUS = (
    "第三次全国工业普查主要数据公报\n\n"
    "1995年末，乡及乡以上工业企业机器设备净值率为70.1％。各个年代出厂的设备比例见表6。\n\n"
    "**表6：各年代出厂的设备比例（％）**\n\n"
    "|  | 90年代出厂 | 80年代出厂 | 70年代及以前出厂 |\n"
    "| --- | --- | --- | --- |\n"
    "| 全部设备 | 36.4 | 54.1 | 9.5 |\n"
    "| 其中：进口设备 | 26.1 | 69.7 | 4.2 |\n"
    "| 国产设备 | 45.5 | 40.4 | 14.1 |\n\n"
    "工业产品产量大幅度增长（见表1）。\n\n"
    "**表1：主要产品产量及增长情况**\n\n"
    "| 产品名称 | 1995年产量 | 比1985年增长 |\n"
    "| --- | --- | --- |\n"
    "| 原煤 | 13.61 亿吨 | 56.1% |\n"
    "| 木材 | 6766.86 万立方米 | 7.0% |\n"
    "| 发电量 | 10070.30 亿千瓦小时 | 1.5倍 |\n"
)


def test_a_markdown_table_cell_is_answered_by_its_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "census.txt").write_text(CENSUS, encoding="utf-8")
    build_index([tmp_path / "docs"], tmp_path / "index", Settings(embedder="fake"))
    settings = replace(Settings(embedder="fake", abstain_threshold=0.0), reader="none")
    assistant = Assistant.load(tmp_path / "index", settings)
    ans = assistant.ask("国产设备中80年代出厂的占多少？")
    assert ans.answer.startswith("40.4")
    assert "国产设备" in ans.citations[0].text
    # a cell holding its figure and unit; the table's quoted title (…及增长情况) does not ask for growth
    assert assistant.ask("“主要产品产量及增长情况”表中，1995年木材产量是多少？").answer == "6766.86万立方米 [1]"
    assert assistant.ask("发电量比1985年增长多少？").answer.startswith("1.5倍")


PRODUCTS_HEADER = "产品名称 | 1995年产量 | 比1985年增长"


def test_a_header_row_holds_no_figure() -> None:
    # the first chunk of a table starts with its header row: "1995年产量" names a column, it is no figure
    rows = f"{PRODUCTS_HEADER}\n钢 | 9535.99万吨 | 1.0倍"
    c = chunk(rows, "主要产品产量及增长情况")
    assert cell_mentions(PRODUCTS_HEADER, c, "1995年全国钢产量是多少？") == []
    best = cell_mentions("钢 | 9535.99万吨 | 1.0倍", c, "1995年全国钢产量是多少？")[0]
    assert (best.text, best.unit) == ("9535.99万吨", "万吨")
