"""Text tables (tab-separated or Markdown rows) are kept as rows and chunked with their caption and header row, so
a row's figure can be found by the header's words (rows copied from the Nanjing 2022 statistical communiqué)."""

from __future__ import annotations

from qa.ingest.chunking import chunk_passages, make_splitter
from qa.ingest.clean import clean

TABLE = (
    "交通运输业承压前行。全年货物运输总量45758.32万吨，比上年下降7.3%。\n"
    "表6  2022年各种运输方式完成货物运输量情况\n"
    "指标\t计量单位\t绝对量\t比上年增长（%）\n"
    "货物运输总量\t万吨\t45758.32\t-7.3\n"
    "公路\t万吨\t20834.34\t-14.7\n"
    "水运\t万吨\t19455.58\t2.5\n"
    "铁路\t万吨\t600.20\t-12.3\n"
    "民航\t万吨\t4.25\t-26.3\n"
    "管道\t万吨\t4863.95\t-7.5\n"
    "#\u00a0美国\t633.0\t-8.5\t123.9\t16.4\n"
)


def test_rows_keep_their_cells_apart_and_no_row_becomes_a_heading() -> None:
    passages = clean(TABLE)
    rows = [p.text for p in passages if " | " in p.text]
    assert "指标 | 计量单位 | 绝对量 | 比上年增长（%）" in rows
    assert "民航 | 万吨 | 4.25 | -26.3" in rows  # the unit is not glued to the figure
    assert "美国 | 633.0 | -8.5 | 123.9 | 16.4" in rows
    assert all(p.kind != "heading" for p in passages)


def test_every_chunk_of_a_table_keeps_its_caption_and_header() -> None:
    chunks = chunk_passages(clean(TABLE), "nj.txt", make_splitter(80, 10), min_chars=40, max_chars=120)
    with_rows = [c for c in chunks if " | " in c.text]
    assert len(with_rows) >= 2  # the table is cut, and every piece knows what its columns are
    for c in with_rows:
        assert "表6" in c.search_text and "比上年增长" in c.search_text
    assert all("交通运输业" not in c.text for c in with_rows)  # rows are never merged with prose


def test_a_row_s_citation_points_at_the_raw_characters_of_its_cell() -> None:
    chunks = chunk_passages(clean(TABLE), "nj.txt", make_splitter(350, 40))
    c = next(c for c in chunks if "民航" in c.text)
    at = c.text.index("4.25")
    s, e = c.raw_span(at, at + 4)
    assert TABLE[s:e] == "4.25"


# Markdown tables, as converters write them (rows from the third national industrial census communiqué of 1995):
# a group header over a row of years, an empty corner cell, empty cells for figures not collected
MARKDOWN = (
    "国有工业资产比重明显高于总产值比重（见表2）。\n\n"
    "**表2：工业经济类型结构变化情况**\n\n"
    "|  | 按资产总额计算(%) | 按从业人员计算(%) | 按工业总产值计算(%) |\n"
    "| --- | --- | --- | --- |\n"
    "|  | 1985 | 1995 | 1985 | 1995 | 1985 | 1995 |\n"
    "| 国有工业 | 74.6 | 53.7 | 41.1 | 31.6 | 64.9 | 34.0 |\n"
    "| 私营工业 |  | 1.0 |  | 3.3 |  | 2.6 |\n"
    "| 三资工业 | 0.2 | 16.2 | … | 6.1 | 0.3 | 13.1 |\n"
)


def test_markdown_rows_are_cut_into_cells_and_keep_their_empty_ones() -> None:
    passages = clean(MARKDOWN)
    rows = [p.text for p in passages if " | " in p.text]
    assert "国有工业 | 74.6 | 53.7 | 41.1 | 31.6 | 64.9 | 34.0" in rows
    assert "私营工业 |  | 1.0 |  | 3.3 |  | 2.6" in rows  # its 1995 figures stay under their years
    assert not any("---" in r for r in rows)  # the rule under the header is no row
    assert next(p for p in passages if "表2：" in p.text).kind == "caption"  # a bold caption is a caption


def test_a_markdown_table_s_chunks_keep_its_caption_and_both_header_rows() -> None:
    chunks = chunk_passages(clean(MARKDOWN), "census.txt", make_splitter(350, 40), min_chars=40)
    row = next(c for c in chunks if c.text.startswith("三资工业"))
    assert "表2" in row.context
    assert "按工业总产值计算(%)" in row.context and "1985 | 1995" in row.context
    assert MARKDOWN[slice(*row.raw_span(row.text.index("13.1"), row.text.index("13.1") + 4))] == "13.1"
