"""Of two figures in one sentence, the one written after the word the question asks about ("总量达1198家" for
"总量达到多少家"), even when the other's clause shares more of the question's words."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

# A made-up city report: each sentence gives two figures of one subject.
REPORT = """青山市2025年经济社会发展情况

资本市场持续壮大。全市新增境内外上市企业12家、总量达356家，直接融资规模创历史新高。

卫生健康事业加快发展。全市新增3个区域医疗中心、25个临床重点专科，建成8个慢性病防控示范区。

就业形势总体稳定。全年城镇新增就业4.2万人，城镇调查失业率5.1%。

依法行政深入推进，审议地方性法规9项，办理市人大代表议案5项、建议877件，办理市政协提案1309件。

初步核算，全年全市实现地区生产总值[1]3456.78亿元，比上年增长5.0%。全年人均地区生产总值98765元，比上年增长4.8%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("青山市境内外上市企业总量达到多少家？", "356家"),
        ("青山市新增境内外上市企业多少家？", "12家"),
        ("青山市新增了多少个临床重点专科？", "25个"),  # 新增 heads the list: a verb, not what is counted
        ("青山市新增了多少个区域医疗中心？", "3个"),
        ("青山市全年地区生产总值是多少？", "3456.78亿元"),  # a note marker ([1]) after the name asked about
        ("青山市办理了多少件市人大代表建议？", "877件"),  # the noun after 多少件 is written before the figure
    ],
)
def test_the_figure_after_the_word_asked_about(assistant: Assistant, question: str, figure: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span.startswith(figure), answer.answer


def test_each_part_gets_the_figure_of_its_own_noun_and_measure_word(assistant: Assistant) -> None:
    answer = assistant.ask("青山市办理了多少件市人大代表建议，又办理了多少件市政协提案？")
    first, second = answer.answer.split("；")
    assert "877件" in first and "1309件" in second, answer.answer
