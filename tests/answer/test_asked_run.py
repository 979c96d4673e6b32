"""The figure written right after the words the question puts before 多少 ("城镇失业人员再就业514万人" for
"城镇失业人员再就业多少人"), even when another figure's clause shares the question's words too; a year in either is
when, not what ("全年开行3000列以上" is not named by "2025年开行了多少列")."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.focus import asked_run, run_match
from qa.assistant import Assistant

# A made-up city report.
REPORT = """青山市2025年经济社会发展情况

就业形势总体稳定。全年城镇新增就业4.2万人，城镇失业人员再就业1.3万人，就业困难人员就业0.6万人。

对外开放持续扩大。青山中欧班列开行1205列、增长14.7%。

2026年主要预期目标：高质量建设中欧班列集结中心，2026年开行1500列以上。

居民收入稳步增长。全年青山居民人均可支配收入52000元，比上年增长3.1%。

从收入构成上看，居民人均工资性收入36000元，占人均可支配收入的69.2%，是居民收入的首要来源。

资本市场平稳运行。年末全市上市公司平均市值为83亿元，比上年末平均市值（95亿元）低12亿元。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("青山市城镇失业人员再就业多少人？", "1.3万人"),
        ("青山市就业困难人员就业多少人？", "0.6万人"),
        ("青山市城镇新增就业多少人？", "4.2万人"),
        ("青山中欧班列2025年开行了多少列？", "1205列"),
        ("青山市2025年居民人均可支配收入是多少元？", "52000元"),  # not the wage income beside 可支配收入
        ("青山市年末上市公司平均市值是多少？", "83亿元"),  # not last year's, in brackets
    ],
)
def test_the_figure_the_question_names_before_its_interrogative(
    assistant: Assistant, question: str, figure: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span.startswith(figure), answer.answer


def test_a_run_match_counts_characters_and_leaves_out_years() -> None:
    asked = asked_run("青山中欧班列2025年开行多少列？")
    assert run_match("青山中欧班列开行", asked) == len("青山中欧班列开行")
    assert run_match("目标：2026年开行", asked) == len("开行")
    assert asked_run("粮食产量是什么？") == ""


def test_no_run_where_what_is_counted_follows_the_interrogative() -> None:
    assert asked_run("青山市新增了多少个临床重点专科？") == ""
    assert asked_run("有多少个区域医疗中心？") == ""
    assert asked_run("地区生产总值是多少亿元？") == "地区生产总值"
