"""A question about a report itself (who delivered it, on which day) is answered from the report's opening lines,
which share few words with the question; the speaker's name stands after the post, as a signature."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer import mentions
from qa.assistant import Assistant
from qa.retrieve.opening import asks_about_report

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
        ("Who delivered the 2014 government work report?", "en", True),
        ("谁作了专题辅导？", "zh", False),
        ("全年旅游收入是多少？", "zh", False),
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
