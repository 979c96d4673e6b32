"""A level asked is not answered by how much it moved ("比上年末增加0.06册"); "how many libraries" is a count,
never an area or a sum; neither a magnitude alone (每万人) nor an ordinal (第三次) is a figure; what an English
question counts, in Chinese, marks the figure written right after it (公共图书馆3246个)."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer import mentions
from qa.answer.question import expected_unit
from qa.answer.roles import asks_period, of_period, states_change
from qa.answer.units import unit_matches
from qa.assistant import Assistant

# A made-up communiqué: counts, areas and their changes side by side, as communiqués write them.
COMMUNIQUE = """青山市2025年文化和旅游发展统计公报

一、公共图书馆

2025年末，全市平均每万人公共图书馆建筑面积160.3平方米，比上年末增加11.7平方米，人均图书藏量1.02册，比上年末增加0.06册。

2025年末，全市公共图书馆实际使用房屋建筑面积25.6万平方米，同比增长7.7%。

2025年末，全市共有公共图书馆46个，从业人员1200人。

二、旅游

全年接待游客3260万人次，比上年增长12.5%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_culture.txt": COMMUNIQUE})


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("比上年末增加0.06册", True),
        ("同比增长7.7%", True),
        ("下降0.3个百分点", True),
        ("城镇新增就业62.2万人", False),  # what was added is a level
        ("失业率下降到5.1%", False),  # a level reached
        ("共有公共图书馆46个", False),
    ],
)
def test_a_figure_after_a_change_verb_is_a_change(text: str, change: bool) -> None:
    digit = next(i for i, ch in enumerate(text) if ch.isdigit())
    assert states_change(text, digit) is change


def test_a_magnitude_alone_or_an_ordinal_is_no_figure() -> None:
    found = [m.text for m in mentions.quantities("全市平均每万人公共图书馆建筑面积160.3平方米，千家万户受益")]
    assert found == ["160.3平方米"]
    found = [m.text for m in mentions.quantities("第三次全国工业普查，第5届运动会，共召开3次会议")]
    assert found == ["3次"]


def test_a_lone_zero_starting_a_word_is_no_figure() -> None:
    """Defect: "how many new energy vehicles" was answered 零部 (zero 部) from 新能源汽车零部件."""
    found = [m.text for m in mentions.quantities("新能源汽车零部件企业达到120家，实现零距离服务，新增二十部")]
    assert found == ["120家", "二十部"]


def test_things_counted_are_counted_not_measured() -> None:
    assert expected_unit("How many public libraries were there at the end of 2025?", "en") == "个"
    assert expected_unit("How many kilometres of rail lines were in operation?", "en") == "公里"
    assert unit_matches("个", "个") and unit_matches("万人次", "个") and unit_matches("家", "个")
    assert not unit_matches("万平方米", "个") and not unit_matches("亿元", "个") and not unit_matches("%", "个")
    # "多少万人次" is answered by 704万人次 (the finder reads 万 as its magnitude and 人次 as its unit)
    assert unit_matches("人次", "万人次") and unit_matches("万人次", "人次") and not unit_matches("万人", "人次")


def test_a_level_is_not_answered_by_its_change(assistant: Assistant) -> None:
    answer = assistant.ask("青山市人均图书藏量是多少？")
    assert not answer.abstained and answer.span.startswith("1.02册"), answer.answer


def test_a_change_asked_is_answered_by_the_change(assistant: Assistant) -> None:
    answer = assistant.ask("青山市人均图书藏量比上年末增加了多少？")
    assert not answer.abstained and answer.span.startswith("0.06册"), answer.answer


def test_an_english_count_is_the_figure_after_what_it_counts(assistant: Assistant) -> None:
    answer = assistant.ask("How many public libraries were there in Qingshan at the end of 2025?")
    assert not answer.abstained and answer.span.startswith("46个"), answer.answer


# A made-up 2026 report: the five-year review beside the last year's figures, as the reports of 2026 write them.
REVIEW = """青山市2026年政府工作报告

一、“十四五”时期和2025年工作回顾

（四）青山市民生福祉持续增进。人均可支配收入年均增长6%，城镇新增就业超69万人、稳定在全省前列。

刚刚过去的2025年，全市经济平稳运行。全年城镇新增就业14.1万人，城镇调查失业率4.6%。
"""


def test_a_five_year_figure_belongs_to_its_period() -> None:
    sentence = "人均可支配收入年均增长6%，城镇新增就业超69万人、稳定在全省前列。"
    assert of_period(sentence, sentence.index("超69"), "2025年城镇新增就业多少人？")
    assert not of_period("城镇新增就业14.1万人，城镇调查失业率4.6%。", 6, "2025年城镇新增就业多少人？")
    assert asks_period("“十四五”时期城镇新增就业累计多少人？") and not asks_period("2025年城镇新增就业多少人？")


def test_one_year_asked_is_not_answered_by_the_five_years(
    tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None
) -> None:
    review = assistant_over(tmp_path_factory, {"qingshan_2026.txt": REVIEW})
    answer = review.ask("青山市城镇新增就业多少人？")
    assert not answer.abstained and answer.span.startswith("14.1万人"), answer.answer


# A made-up report: the first sentence names 出口 beside another figure; the second gives the export growth.
TRADE = """青山市2026年政府工作报告

电子信息产业增加值增长40.9%，工业机器人产量增长35.3%、出口量居全省第2位，光储产业竞争力居全省第3位。

积极应对外部环境冲击，着力拓市场、优结构、稳主体，青山出口逆势增长17.8%。
"""


def test_a_figure_is_chosen_by_its_own_clause(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> None:
    trade = assistant_over(tmp_path_factory, {"qingshan_trade.txt": TRADE})
    answer = trade.ask("出口增长了多少？")
    assert not answer.abstained and answer.span.startswith("17.8%"), answer.answer


# A made-up report: the figure per head of the indicator a question names, and no sum of it.
PER_HEAD = """白水省2026年政府工作报告

一、2025年工作回顾
经济总量持续增长。2025年全省地区生产总值稳步增长，人均地区生产总值达1.19万美元。

粮食产量突破620亿斤，创历史新高。
"""


@pytest.fixture(scope="module")
def per_head_report(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"baishui_review.txt": PER_HEAD})


def test_a_sum_asked_is_not_given_the_figure_per_head_with_confidence(per_head_report: Assistant) -> None:
    total = per_head_report.ask("白水省2025年地区生产总值是多少？")
    assert total.abstained or total.uncertain, total.answer
    per = per_head_report.ask("白水省2025年人均地区生产总值是多少？")
    assert "1.19万美元" in per.answer and not per.uncertain


@pytest.mark.parametrize(
    ("text", "figure", "per"),
    [
        ("人均地区生产总值达1.19万美元", "1.19", True),
        ("户均增收3000元", "3000", True),
        ("人均可支配收入首次突破2万元、达到20793元", "20793", True),
        ("地区生产总值达到5.53万亿元", "5.53", False),
        ("人均收入增长5%，总收入达到300亿元", "300", False),
    ],
)
def test_a_figure_per_head_is_told_by_its_clause(text: str, figure: str, per: bool) -> None:
    from qa.answer.roles import per_head

    assert per_head(text, text.index(figure)) is per
