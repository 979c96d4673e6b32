"""A file holding several years' communiqués of one city: a question naming a year is answered from that year's
communiqué, never with another year's figure for the same indicator."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

# A made-up city's communiqués for two years in one file, the second told apart only by its date line.
SERIES = """扬州市2024年国民经济和社会发展统计公报
扬州市统计局
2025年3月

2024年是实现“十四五”规划目标任务的关键一年。
一、综合
全年实现地区生产总值1850.81亿元，比上年增长5.1%。
年末全市常住人口95.47万人，比上年末增加0.59万人。
全年城镇新增就业2.31万人。

扬州市统计局
2024年3月

2023年是全面贯彻党的二十大精神的开局之年。
一、综合
全年实现地区生产总值1742.40亿元，比上年增长4.6%。
年末全市常住人口94.88万人，比上年末增加1.12万人。
全年城镇新增就业2.05万人。
全年新建城市书房36个。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"yangzhou_statcomm_2023_2024.txt": SERIES})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("扬州市2023年末常住人口是多少？", "94.88万人"),
        ("扬州市2024年末常住人口是多少？", "95.47万人"),
        ("扬州市2023年城镇新增就业多少人？", "2.05万人"),
        ("扬州2024年地区生产总值是多少？", "1850.81亿元"),
    ],
)
def test_the_year_asked_picks_its_communique(assistant: Assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and expected in answer.answer
    cited = answer.citations[0]
    year_starts = SERIES.index("2024年3月")
    assert (cited.start >= year_starts) == ("2023年" in question)


def test_a_figure_only_another_year_gives_is_not_found(assistant: Assistant) -> None:
    answer = assistant.ask("扬州市2024年新建城市书房多少个？")
    assert answer.abstained or "36" not in answer.answer
    assert "36个" in assistant.ask("扬州市2023年新建城市书房多少个？").answer


def test_a_question_naming_no_year_searches_the_whole_file(assistant: Assistant) -> None:
    assert "36个" in assistant.ask("扬州市新建城市书房多少个？").answer
