"""Follow-up questions are read as the standalone questions they mean (qa.dialogue.followup)."""

from __future__ import annotations

import pytest

from qa.dialogue.followup import read_dialogue, read_question

PLACES = ("西夏区", "西夏", "江苏", "江苏省", "浙江", "南京", "南京市", "海拉尔区", "jiangsu", "zhejiang")


def readings(*questions: str) -> list[tuple[str, str]]:
    return [(r.kind, r.resolved) for r in read_dialogue(questions, PLACES)]


def test_a_first_question_stands_alone() -> None:
    r = read_question("全年开展了多少次专题学习？")
    assert (r.kind, r.resolved, r.topic) == ("standalone", "全年开展了多少次专题学习？", "专题学习")


def test_an_omitted_subject_takes_the_previous_ask() -> None:
    out = readings("西夏区政协2024年全年开展了多少次专题学习？", "那交流研讨呢？")
    assert out[1] == ("topic", "西夏区政协2024年全年开展了多少交流研讨？")


def test_a_plural_pronoun_names_both_earlier_topics() -> None:
    out = readings("全年开展了多少次专题学习？", "那交流研讨呢？", "它们分别是多少次？")
    assert out[2] == ("pronoun", "专题学习和交流研讨分别是多少次？")


def test_a_singular_pronoun_names_the_previous_topic() -> None:
    out = readings("江苏省2026年政府工作报告中，地区生产总值是多少？", "它比上年增长了多少？")
    assert out[1] == ("pronoun", "江苏省2026年政府工作报告中，地区生产总值比上年增长了多少？")
    dated = readings("福建省2026年政府工作报告中，2025年地区生产总值是多少？", "它比上年增长了多少？")
    assert dated[1] == ("pronoun", "福建省2026年政府工作报告中，2025年地区生产总值比上年增长了多少？")


def test_a_new_topic_keeps_what_the_question_said_happened() -> None:
    # the topic is 服务进出口总额, not 服务进出口总额增长: the growth asked goes with the new topic
    out = readings("海南省2026年政府工作报告中，2025年服务进出口总额增长了多少？", "实际使用外资呢？")
    assert out[1] == ("topic", "海南省2026年政府工作报告中，2025年实际使用外资增长了多少？")


def test_a_new_topic_keeps_the_place_and_year_asked_about() -> None:
    out = readings("湖南省2025年安全生产事故起数比上年下降了多少？", "死亡人数呢？")
    assert out[1] == ("topic", "湖南省2025年死亡人数比上年下降了多少？")


def test_among_them_narrows_the_previous_topic() -> None:
    out = readings("南京市2022年统计公报中，年末全市常住人口是多少？", "其中城镇人口有多少？")
    assert out[1] == ("pronoun", "南京市2022年统计公报中，常住人口中城镇人口有多少？")


def test_among_them_without_an_ask_takes_the_previous_ask() -> None:
    out = readings("南京市2022年统计公报中，年末全市常住人口是多少？", "其中城镇人口呢？")
    assert out[1] == ("pronoun", "南京市2022年统计公报中，年末全市常住人口中城镇人口是多少？")


def test_a_report_year_moves_the_years_it_reports_with_it() -> None:
    out = readings("海拉尔区2016年政府工作报告中，2015年旅游接待人数达到多少？", "那2018年的报告呢？")
    assert out[1] == ("year", "海拉尔区2018年政府工作报告中，2017年旅游接待人数达到多少？")


def test_a_shared_last_word_keeps_the_rest_of_the_question() -> None:
    out = readings("南京市2024年统计公报显示，全年全体居民人均可支配收入多少元？", "农村居民呢？")
    assert out[1] == ("topic", "南京市2024年统计公报显示，全年农村居民人均可支配收入多少元？")


def test_another_year_replaces_the_year_asked() -> None:
    out = readings("海拉尔区2016年政府工作报告中，地区生产总值是多少？", "那2017年的报告呢？")
    assert out[1] == ("year", "海拉尔区2017年政府工作报告中，地区生产总值是多少？")


def test_the_report_of_another_year_named_with_a_place_word() -> None:
    # 报告里 / 报告中 name the report as 报告 alone does
    out = readings("海拉尔区2016年政府工作报告中，2015年地区生产总值增长了多少？", "2014年的报告里呢？")
    assert out[1] == ("year", "海拉尔区2014年政府工作报告中，2013年地区生产总值增长了多少？")


def test_a_shared_first_word_swaps_only_its_own_word_run() -> None:
    # 营业利润 is another kind of 营业…: what the income belonged to (规模以上工业企业) stays
    out = readings("2023年全国规模以上工业企业的营业收入是多少？", "营业利润呢？")
    assert out[1] == ("topic", "2023年全国规模以上工业企业的营业利润是多少？")


def test_a_pronoun_for_the_figure_just_given_stands_for_what_was_counted() -> None:
    out = readings("2023年末全国共有多少个公共图书馆？", "它们全年举办了多少场讲座？", "这个数字比上年增长了多少？")
    assert out[2] == ("pronoun", "2023年末全国公共图书馆讲座比上年增长了多少？")


def test_another_kind_keeps_what_the_topic_measured_for_a_later_pronoun() -> None:
    out = readings("2016年城镇常住居民人均可支配收入完成多少？", "农村牧区常住居民呢？", "它同比增长了多少？")
    assert out[1] == ("topic", "2016年农村牧区常住居民人均可支配收入完成多少？")
    assert out[2] == ("pronoun", "2016年农村牧区常住居民人均可支配收入同比增长了多少？")


def test_a_growth_rate_asked_of_a_new_topic_after_a_growth() -> None:
    out = readings("2023年全国展览场次比上年增长了多少？", "那参观人次的增幅呢？")
    assert out[1] == ("topic", "2023年全国参观人次比上年增长了多少？")


def test_another_place_replaces_the_place_asked() -> None:
    out = readings("江苏省2026年政府工作报告中，地区生产总值是多少？", "那浙江呢？")
    assert out[1] == ("place", "浙江2026年政府工作报告中，地区生产总值是多少？")


def test_another_place_takes_its_own_level_word() -> None:
    # a province's report says 全省, a municipality's 全市
    out = readings("江苏省2026年政府工作报告中，2025年全省地区生产总值是多少？", "那重庆呢？")
    assert out[1] == ("place", "重庆2026年政府工作报告中，2025年全市地区生产总值是多少？")


def test_english_follow_ups() -> None:
    out = readings(
        "How many study sessions did the Xixia CPPCC hold in 2024?",
        "What about exchange seminars?",
        "And in 2023?",
    )
    assert out[1] == ("topic", "How many exchange seminars did the Xixia CPPCC hold in 2024?")
    assert out[2] == ("year", "How many exchange seminars did the Xixia CPPCC hold in 2023?")
    place = readings("What was Jiangsu's GDP in 2025?", "What about Zhejiang?")
    assert place[1] == ("place", "What was Zhejiang's GDP in 2025?")


def test_english_follow_ups_keep_what_they_qualify_and_the_document_named() -> None:
    # "rural residents" shares its head with "residents": a kind of it, the income asked about stays
    out = readings(
        "What was the per capita disposable income of residents in Jiangsu in 2025?",
        "And for rural residents?",
        "And urban residents that year?",
    )
    assert out[1] == ("topic", "What was the per capita disposable income of rural residents in Jiangsu in 2025?")
    assert out[2] == ("topic", "What was the per capita disposable income of urban residents in Jiangsu in 2025?")
    named = readings("In Jiangsu's 2026 government work report, what was the GDP in 2025?", "What was its growth rate?")
    assert named[1] == ("pronoun", "In Jiangsu's 2026 government work report, what was the GDP's growth rate?")
    full = readings(
        "According to Jiangsu's 2026 government work report, how many new urban jobs were created?",
        "And how many people were re-employed?",
    )
    assert full[1] == ("topic", "According to Jiangsu's 2026 government work report, how many people were re-employed?")


def test_english_topics_of_growth_and_of_measures() -> None:
    grew = readings(
        "By how much did new energy vehicle output grow in Liaoning in 2025?",
        "And the number of tourist visits?",
        "How about for Jiangsu?",
    )
    assert grew[1] == ("topic", "By how much did number of tourist visits grow in Liaoning in 2025?")
    assert grew[2][0] == "place" and "Jiangsu" in grew[2][1] and "tourist visits" in grew[2][1]
    measure = readings(
        "What was the total value of exports in 2024?", "What about imports?", "What was its growth rate?"
    )
    assert measure[1] == ("topic", "What was the total value of imports in 2024?")
    assert measure[2] == ("pronoun", "What was the total value of imports' growth rate?")
    much = readings("How much was tourism revenue in 2016?", "What was its year-on-year growth?")
    assert much[1] == ("pronoun", "What was the tourism revenue's year-on-year growth?")


@pytest.mark.parametrize(
    "question",
    ["提案立案了多少件？", "西夏区政协委员有多少名？", "How many proposals were filed?", "粮食产量是多少？"],
)
def test_a_full_question_after_another_stands_alone(question: str) -> None:
    out = readings("全年开展了多少次专题学习？", question)
    assert out[1] == ("standalone", question)


def test_a_new_topic_with_its_own_modifier_clause_replaces_the_old_one_whole() -> None:
    # 报告 is shared, but "向区委和政府报送的专题协商报告" is a new thing, not a kind of 专项调研报告
    out = readings("西夏区政协2024年形成了多少篇专项调研报告？", "向区委和政府报送的专题协商报告呢？")
    assert out[1][0] == "topic"
    assert "专项" not in out[1][1] and "向区委和政府报送的专题协商报告" in out[1][1]
    kind = readings("2025年全体居民人均可支配收入是多少？", "农村居民呢？")  # a kind of the old topic: swapped in place
    assert kind[1] == ("topic", "2025年农村居民人均可支配收入是多少？")
