"""A question about a report itself (who delivered it, on which day) is answered from the report's opening lines,
which share few words with the question; the speaker's name stands after the post, as a signature."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer import mentions
from qa.assistant import Assistant
from qa.retrieve.opening import asks_about_report, asks_release

# A made-up district report laid out as the real ones are: the opening gives the date, the meeting and the speaker,
# each on a line of its own; the body names the post often, never the speaker.
REPORT = """政府工作报告

——2017年2月11日在青山区第十四届人民代表大会第六次会议上

　　　　青山区人民政府区长 杜联合

各位代表：
现在，我代表青山区人民政府向大会作工作报告，请予审议。

一、2016年工作回顾
过去的一年，全区地区生产总值完成295亿元，增长7.5%。全年旅游收入达到82.8亿元，增长12%。
城镇新增就业8000人，城镇登记失业率控制在3.5%以内。新建改建学校4所，新招聘教师176名。
全面加快东山组团建设，完成呼伦大街、望城路等9条道路工程，积极争取上级资金支持。
""" + "\n".join(f"区长办公会第{i}次会议由区长主持，研究部署重点工作，推动各项工作落实。" for i in range(1, 30))


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2017.txt": REPORT})


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("青山区2017年政府工作报告是由谁作的？", "zh", True),
        ("2026年北京市政府工作报告是在哪一天的北京市人大会议上作的？", "zh", True),
        ("报告是哪位省长作的？", "zh", True),
        ("黑龙江省2026年政府工作报告是在哪一天的省人代会上作的？", "zh", True),
        ("广西2026年的政府工作报告，自治区主席是在哪一天向人代会代表们宣读的？", "zh", True),
        ("委员在哪一天发表的文章被采用？", "zh", False),
        ("Who delivered the 2014 government work report?", "en", True),
        ("谁作了专题辅导？", "zh", False),
        ("全年旅游收入是多少？", "zh", False),
        ("这份报告的报告人是谁？", "zh", True),
        # the speaker named, something else asked: his birth year is no line of the report's opening
        ("青山区2017年政府工作报告的报告人、区长杨国宏是哪一年出生的？", "zh", False),
    ],
)
def test_a_question_about_the_report_itself(question: str, lang: str, asks: bool) -> None:
    assert asks_about_report(question, lang) is asks


def test_a_name_standing_after_a_post_is_a_person() -> None:
    assert [m.text for m in mentions.persons("青山区人民政府区长 杜联合")] == ["杜联合"]
    assert [m.text for m in mentions.persons("广东省省长孟凡利")] == ["孟凡利"]


def test_the_speaker_comes_from_the_opening(assistant: Assistant) -> None:
    answer = assistant.ask("青山区2017年政府工作报告是由哪位区长作的？")
    assert not answer.abstained and answer.span == "杜联合", answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "青山区2017年政府工作报告是谁作的？",  # no post named: still the opening's speaker, not a name of the body
        "Who delivered Qingshan District's 2017 government work report?",  # no shared words with the opening
    ],
)
def test_who_delivered_the_report_is_answered_by_its_speaker(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and answer.span == "杜联合", answer.answer


# A news article on a CPPCC's year: photo captions open it, and no line says who delivered it or where.
ARTICLE = """以实干实效书写履职答卷——青山区政协2024年工作综述

2024年3月22日，青山区政协党组理论学习中心组学习会召开。

2024年8月19日，青山区政协党组书记、主席王立新宣讲全会精神。

一年来，区政协立案提案41件，开展协商议政活动12次，为区委和政府科学决策、精准施策提供了参考依据。
宁夏隆基乐业等4家委员企业被评为优秀民营企业。
"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_cppcc_2024.txt": ARTICLE})


@pytest.mark.parametrize("question", ["这份报告是谁作的？", "报告是哪一天作的？", "Who delivered the report?"])
def test_a_document_that_was_not_delivered_does_not_say_by_whom(article: Assistant, question: str) -> None:
    answer = article.ask(question)
    assert answer.abstained, answer.answer


# A report as a news site prints it: the dateline, then the page's source and posting time, then the speaker.
POSTED = """2026年白水省政府工作报告

——2026年2月2日在白水省第十四届人民代表大会第五次会议上
来源：白水日报
时间：2026-02-07
白水省省长 李明
各位代表：
现在，我代表省人民政府，向大会报告政府工作，请予审议。

一、2025年工作回顾
过去一年，全省地区生产总值增长5.1%，城镇新增就业40万人，粮食产量280.9亿斤。
""" + "\n".join(f"第{i}项重点工作稳步推进，各项改革任务全面落实，民生保障持续加强。" for i in range(1, 30))


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"baishui_2026.txt": POSTED})


@pytest.mark.parametrize(
    "question",
    [
        "白水省2026年政府工作报告是在哪一天的省人代会上作的？",
        "On what date was Baishui's 2026 government work report delivered?",
    ],
)
def test_the_day_a_report_was_delivered_is_not_the_day_its_page_was_posted(posted: Assistant, question: str) -> None:
    """Defect: 5 of the 22 provincial reports of 2026 whose page carries "时间：…" beside the dateline were said to
    have been delivered on the day the page went up."""
    answer = posted.ask(question)
    assert not answer.abstained and "2月2日" in answer.answer and "02-07" not in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("2024年东莞市统计公报是什么时候发布的？", "zh", True),
        ("文化和旅游部统计公报的发布时间是哪一天？", "zh", True),
        ("When was the 2023 culture and tourism communiqué published?", "en", True),
        ("What is the release date of Dongguan's 2024 communiqué?", "en", True),
        ("2024年东莞发布了多少项标准？", "zh", False),
        ("How many standards were released in 2024?", "en", False),
    ],
)
def test_a_question_of_when_a_document_came_out(question: str, lang: str, asks: bool) -> None:
    assert asks_release(question, lang) is asks
