"""Span finders: the answer is cut from the evidence exactly as written."""

from __future__ import annotations

import pytest

from qa.answer import mentions as extract
from qa.answer.units import unit_matches


def texts(mentions: list[extract.Mention]) -> list[str]:
    return [m.text for m in mentions]


def assert_offsets(text: str, mentions: list[extract.Mention]) -> None:
    """Every mention's offsets point at its own text."""
    for m in mentions:
        assert text[m.start : m.end] == m.text


# ---- quantities ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("西夏区政协五届三次会议和闭会期间共立案41件，", "41件"),
        ("区委和政府专项安排100万元提案办理资金", "100万元"),
        ("李学成、崔小青等委员捐资近3万元，慰问帮扶困境儿童", "近3万元"),
        ("形成专项调研报告、专题发言材料60余篇", "60余篇"),
        ("提案办复率、满意率均达100%。", "100%"),
        ("全区总面积1750.33km²，辖两镇七街。", "1750.33km²"),
        ("果园分布在海拔250米至600米的山坡上", "250米至600米"),
        ("全年一般公共预算收入5.6亿元", "5.6亿元"),
        ("全县新建日光温室320座", "320座"),
        ("捐赠价值350万元的CT机、救护车", "350万元"),
    ],
)
def test_quantity_keeps_number_and_unit_as_written(text, expected):
    found = extract.quantities(text)
    assert texts(found) == [expected]
    assert_offsets(text, found)


def test_quantity_units_are_recorded():
    found = extract.quantities("公开招聘教师126名，新建幼儿园4所，办复率达到99.5%")
    assert [(m.text, m.unit) for m in found] == [("126名", "名"), ("4所", "所"), ("99.5%", "%")]


def test_several_quantities_in_one_sentence_are_found_in_order():
    text = "组织委员开展调研视察、协商议政16次、调查研究32次，形成材料60余篇"
    assert texts(extract.quantities(text)) == ["16次", "32次", "60余篇"]


def test_years_are_not_quantities():
    assert texts(extract.quantities("2024年全县新建日光温室320座")) == ["320座"]
    assert extract.quantities("2024年，青山县召开工作会议。") == []


def test_meeting_names_are_not_quantities():
    text = "西夏区政协五届三次会议和闭会期间共立案41件"
    assert texts(extract.quantities(text)) == ["41件"]
    assert extract.quantities("学习贯彻党的二十届三中全会精神") == []


def test_a_one_off_is_not_a_count():
    """一次性 is an adjective: "how many families got the allowance" must not be answered 一次."""
    assert texts(extract.quantities("向特殊困难家庭增发一次性生活补贴，惠及3.2万户。")) == ["3.2万户"]
    assert texts(extract.quantities("开展一次专题调研")) == ["一次"]


def test_ten_thousand_with_a_measure_word_keeps_the_measure_word():
    assert texts(extract.quantities("设施蔬菜种植面积达到1.2万亩")) == ["1.2万亩"]


def test_ten_thousand_people_keeps_the_measure_word():
    found = extract.quantities("学生营养改善计划惠及1.8万名学生")
    assert [(m.text, unit_matches(m.unit, "名")) for m in found] == [("1.8万名", True)]


# ---- unit families ----


@pytest.mark.parametrize(
    ("mention_unit", "expected", "fits"),
    [
        ("名", "位", True),  # 多少位委员 is answered by 47名委员
        ("人", "名", True),
        ("万元", "元", True),
        ("亿元", "元", True),
        ("元", "元", True),
        ("件", "个", True),  # 个 is the generic measure word
        ("所", "个", True),
        ("场", "次", True),
        ("件", "项", True),
        ("台", "部", True),  # 多少部电梯 is answered by 电梯869台
        ("个", "座", True),  # 多少座水库, 水库12个
        ("台", "辆", False),
        ("亿人次", "次", True),  # how many tourist visits: 接待游客3.23亿人次
        ("万户", "家", True),  # how many enterprises: 企业929.8万户
        ("家", "户", True),
        ("人次", "件", False),
        ("公尺", "米", True),  # how long: any unit of length
        ("千米", "米", True),
        ("万亩", "平方米", True),  # how large an area: 亩, 公顷, km² as well
        ("km²", "平方米", True),
        ("千克", "公斤", True),
        ("座", "米", False),  # "一座" is no length
        ("平方米", "米", False),
        ("微克每立方米", "微克/立方米", True),  # two ways to write μg/m³
        ("件", "件", True),
        ("件", None, True),  # no expectation: anything goes
        ("次", "件", False),
        ("篇", "元", False),
        ("%", "元", False),
        ("名", "件", False),
        ("万元", "%", False),
    ],
)
def test_unit_matches_families(mention_unit, expected, fits):
    assert unit_matches(mention_unit, expected) is fits


# ---- dates ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年9月18日，青山县首届蔬菜博览会在县城开幕。", ["2024年9月18日"]),
        ("这种农业模式兴起于1990年代，后来推广到全省。", ["1990年代"]),
        ("比赛于2008年8月15日及8月16日举行。", ["2008年8月15日及8月16日"]),
        ("改造工程从1989年至1990年持续两年", ["1989年至1990年"]),
        ("工程于2024年9月底全部完工", ["2024年9月底"]),
        ("系统于2024-09-18上线", ["2024-09-18"]),
    ],
)
def test_dates_as_written(text, expected):
    found = extract.dates(text)
    assert texts(found) == expected
    assert_offsets(text, found)


def test_a_sentence_without_a_date_has_none():
    assert extract.dates("全县新建日光温室320座，改造老旧大棚85座。") == []


# ---- places and people ----


def test_location_after_weiyu_is_the_full_address():
    text = "县农业科技示范园位于青山县城关镇河东村，占地面积260亩。"
    assert texts(extract.locations(text)) == ["青山县城关镇河东村"]
    assert texts(extract.locations("示范园坐落于黄河东岸，占地260亩")) == ["黄河东岸"]


def test_no_location_without_a_location_verb():
    assert extract.locations("县委书记王建国到城关镇温室大棚调研。") == []


def test_chinese_person_name():
    assert "王建国" in texts(extract.persons("县委书记王建国到城关镇温室大棚调研。"))
    assert "李海峰" in texts(extract.persons("西夏区政协党组书记、主席李海峰宣讲党的二十届三中全会精神。"))


def test_dotted_transliterated_name_comes_out_whole():
    text = "1954年，巴里·尼尔逊在电视剧中第一次饰演詹姆斯·邦德。"
    found = texts(extract.persons(text))
    assert "巴里·尼尔逊" in found
    assert "尼尔逊" not in found and "巴里" not in found
    assert_offsets(text, extract.persons(text))


def test_ordinals():
    assert texts(extract.ordinals("该县在全市排名第三位，是第2批试点县")) == ["第三位", "第2批"]


# ---- numbers in answers ----


def test_arabic_numbers_ignores_citation_markers():
    assert extract.arabic_numbers("共立案41件 [1]，办复率100% [2]") == ["41", "100"]
    assert extract.arabic_numbers("The report gives 126 people (126名). [1]") == ["126", "126"]
    assert extract.arabic_numbers("种植面积1.2万亩[3]") == ["1.2"]
    assert extract.arabic_numbers("报告中没有找到相关内容") == []


def test_aliases_follow_their_markers() -> None:
    from qa.answer.mentions import aliases

    assert [m.text for m in aliases("阿閦佛，又名不动佛、无动佛。")] == ["不动佛、无动佛"]
    assert [m.text for m in aliases("本赛原名中国国际象棋特级大师邀请赛，2009年更名。")] == [
        "中国国际象棋特级大师邀请赛"
    ]


def test_a_bare_number_does_not_answer_a_counting_question() -> None:
    from qa.answer.units import unit_matches

    assert unit_matches("校区", "个") and unit_matches("名", "个")
    assert not unit_matches("", "个")  # "1" alone is not "几个校区"
