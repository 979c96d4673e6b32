"""Question analysis: which kind of fact a question asks for, and in which unit."""

from __future__ import annotations

import pytest

from qa.answer.question import analyse_question, expected_unit, question_type


@pytest.mark.parametrize(
    ("question", "lang", "qtype"),
    [
        ("西夏区政协共立案多少件提案？", "zh", "quantity"),
        ("陈雍几次到西夏区调研？", "zh", "quantity"),
        ("全县新建了几所幼儿园？", "zh", "quantity"),
        ("总书记是在哪几天亲临视察的？", "zh", "when"),  # which days, not how many
        ("What was Sichuan's gross regional product in 2025?", "en", "quantity"),  # GDP, a sum of money
        ("What is the main product of the factory?", "en", "what"),
        ("项目总投资多少钱？", "zh", "quantity"),
        ("How many proposals were filed?", "en", "quantity"),
        ("How much money was allocated?", "en", "quantity"),
        ("What percentage of days had good air quality?", "en", "quantity"),
        # a measure noun heading a long phrase asks for a figure; one after a preposition does not
        (
            "What was the province's agricultural science and technology progress contribution rate, in 2025?",
            "en",
            "quantity",
        ),
        ("What was the city's average surveyed urban unemployment rate in 2025?", "en", "quantity"),
        ("What is the name of the district CPPCC chairman?", "en", "who"),
        ("What is the name of the world's longest expressway tunnel?", "en", "what"),  # a thing's name: not a person
        ("What is the name of the company that won the award?", "en", "what"),
        ("蔬菜博览会是哪一天开幕的？", "zh", "when"),
        ("学习会何时召开？", "zh", "when"),
        ("展览几月开幕？", "zh", "when"),  # 几 asks for a month here, not a count
        ("摄影展几号闭幕？", "zh", "when"),
        ("When did the vegetable expo open?", "en", "when"),
        ("What date was the meeting held?", "en", "when"),
        ("谁到温室大棚调研？", "zh", "who"),
        ("县委书记是谁？", "zh", "who"),
        ("Who is the chairman of the CPPCC?", "en", "who"),
        ("示范园位于哪里？", "zh", "where"),
        ("博览会在什么地方举办？", "zh", "where"),
        ("Where is the science park located?", "en", "where"),
        ("河湾县的主要产业是什么？", "zh", "what"),
        ("What does the report say about schools?", "en", "what"),
        ("What was the province's R&D investment intensity in 2024?", "en", "quantity"),
        ("What was the average PM2.5 concentration?", "en", "quantity"),
    ],
)
def test_question_type(question, lang, qtype):
    assert question_type(question, lang) == qtype


@pytest.mark.parametrize(
    ("question", "lang", "unit"),
    [
        ("共立案多少件提案？", "zh", "件"),
        # a magnitude before a measure word: the figure is written 734.2万个, in 个; a bare 多少万 names no unit
        ("全国工业企业和工业生产单位有多少万个？", "zh", "个"),
        ("共办理劳动人事争议案件多少万件？", "zh", "件"),
        ("年末常住人口多少万？", "zh", "人"),
        ("参加养老保险多少万人？", "zh", "万人"),
        ("What was Chongqing's gross domestic product in 2025?", "en", "元"),
        # a verb and its object between the noun and the interrogative: the object is what is measured
        ("促消费活动拉动消费多少？", "zh", None),
        ("全年培训共开展多少？", "zh", "次"),
        ("区委和政府安排了多少提案办理资金？", "zh", "元"),  # 资金 implies money
        ("提案办复率是多少？", "zh", "%"),  # 率 implies a percentage
        ("有多少位委员参加？", "zh", "位"),
        ("全县有多少名学生？", "zh", "名"),
        ("新建了几所幼儿园？", "zh", "所"),
        ("专项安排了多少万元？", "zh", "元"),  # 万元 is counted in 元
        ("多少委员受到表扬？", "zh", "名"),  # no measure word: the noun implies one
        ("政协委员捐资多少？", "zh", "元"),  # what they gave (捐资), right before 多少, not who gave it (委员)
        ("How many proposals were filed?", "en", "件"),
        ("How much money was allocated for road maintenance?", "en", "元"),
        ("How many visits did he make?", "en", "次"),
        ("What percentage of days had good air quality?", "en", "%"),
        ("How many companies were rated excellent?", "en", "家"),
        ("What was the surveyed urban unemployment rate?", "en", "%"),  # the asked noun, not "surveyed"
        ("机场进出港的旅客突破了多少？", "zh", "人次"),  # travellers are counted in person-times
        ("境外游客人数涨了多少？", "zh", None),  # how much a count grew may be a percent
        ("居民收入增长多少？", "zh", "%"),
        ("How many public libraries were there?", "en", "个"),  # things counted: a count
        ("What was China's steel output in 1995?", "en", None),  # output may be tonnes or yuan
        ("What was the PM2.5 concentration in 2025, in micrograms per cubic meter?", "en", "微克/立方米"),  # stated
        ("How many people lived in Hubei?", "en", "名"),  # "in Hubei" names no unit
        # a dimension asked with no unit of its own: a length, an area, a weight
        ("帕特纳赫峡谷有多长？", "zh", "米"),
        ("这种树有多高？", "zh", "米"),
        ("学校总占地面积有多大？", "zh", "平方米"),
        ("成年袋鼠的体重大约是多少？", "zh", "公斤"),
        ("城市轨道交通运营里程达到多少？", "zh", "公里"),
        ("条约有效期是多长时间？", "zh", None),  # a duration, not a length
        # what is counted is the phrase after "how many", not a noun further on ("people's congress")
        ("How many suggestions from people's congress deputies did the government handle?", "en", "件"),
        ("How many hospitals serving people in rural areas were built?", "en", "家"),
        ("How many homes were handed over to buyers?", "en", "套"),  # dwellings are counted in 套
        ("How many apartments were renovated in old neighbourhoods?", "en", "套"),
        ('How many new "little giant" enterprises did the province cultivate?', "en", "家"),  # quotes in the phrase
    ],
)
def test_expected_unit(question, lang, unit):
    assert expected_unit(question, lang) == unit


def test_only_quantity_questions_carry_a_unit():
    assert analyse_question("这次会议是哪一天召开的？", "zh").unit is None
    assert analyse_question("共立案多少件提案？", "zh").unit == "件"


def test_di_ji_asks_for_an_ordinal():
    info = analyse_question("青山县在全市排名第几？", "zh")
    assert info.qtype == "quantity" and info.ordinal
    assert not analyse_question("青山县新建了几所幼儿园？", "zh").ordinal
    assert not analyse_question("Which rank is the county?", "en").ordinal


def test_topic_tokens_drop_interrogatives_but_keep_the_subject():
    tokens = analyse_question("全县新建了多少座日光温室？", "zh").topic_tokens
    assert "温室" in tokens and "日光" in tokens
    assert "多少" not in tokens and "少" not in tokens


def test_alias_questions_are_their_own_kind() -> None:
    from qa.answer.question import question_type

    assert question_type("猴面包树的别名是什么？", "zh") == "alias"
    assert question_type("阿閦佛又称之为什么？", "zh") == "alias"
    assert question_type("刺角瓜为什么又叫角瓜？", "zh") != "alias"  # asks why, not for the name


def test_the_counted_noun_phrase_stops_at_its_verb():
    from qa.answer.question import expected_unit

    assert expected_unit("How many members donated money?", "en") == "名"  # members are counted, not money


def test_a_share_asks_for_a_percent_and_a_sum_in_yi_for_a_figure_in_yi() -> None:
    from qa.answer.rules import RULES

    assert analyse_question("研发经费投入占地区生产总值的比重是多少？", "zh").unit == "%"
    info = analyse_question("全区一般公共预算收入完成多少亿元？", "zh")
    text = "城乡居民人均可支配收入分别达到37820元、28104元，一般公共预算收入完成12.6亿元。"
    assert [m.text for m in RULES["quantity"].find(text, info)] == ["12.6亿元"]  # not the per-head 元 figures
    assert [m.text for m in RULES["quantity"].find("人均收入37820元。", info)] == []
    assert [m.text for m in RULES["quantity"].find("收入5000万元。", info)] == ["5000万元"]


def test_value_added_and_amounts_are_money_and_no_change() -> None:
    """增加值 (value added) holds 增加 but asks a level, in money; an amount (额) is money too."""
    info = analyse_question("1995年全国工业增加值是多少？", "zh")
    assert (info.change, info.unit) == (False, "元")
    assert analyse_question("全市货物进口总额是多少？", "zh").unit == "元"
    assert analyse_question("工业增加值增加了多少？", "zh").change  # the verb still asks a change


def test_a_share_asked_with_duoda_asks_for_a_percent_whatever_it_is_a_share_of() -> None:
    assert analyse_question("覆盖了多大比例的人口？", "zh").unit == "%"  # not 人, for 人口
    assert analyse_question("新能源汽车占多少比重？", "zh").unit == "%"
    assert analyse_question("腾退了多大面积的办公用房？", "zh").unit != "%"
