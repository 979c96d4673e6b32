"""Several reports in one index: a question naming one is answered from it or not at all; two-part questions,
results over targets, totals over parts, contact details only when written, English numbers in words."""

from __future__ import annotations

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.index.build import build_index

# Two made-up provincial reports with the same kinds of figures, and a third that names no province.
NORTH = """2026年河北省政府工作报告
——2026年1月20日在河北省第十四届人民代表大会第四次会议上

各位代表：现在，我代表河北省人民政府向大会报告工作。

一、2025年工作回顾
过去一年，河北经济稳中有进。全省地区生产总值增长5.4%，城镇新增就业87.6万人。
河北粮食总产量达到762.5亿斤，新建高标准农田300万亩。
全年办理省人大代表建议812件，办理省政协提案905件。
河北全年接待游客8.2亿人次，其中入境游客120万人次。
河北地方一般公共预算收入突破4000亿元、达到4211亿元。

二、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业90万人以上。
"""

SOUTH = """2026年广东省政府工作报告
——2026年1月25日在广东省第十四届人民代表大会第五次会议上

各位代表：现在，我代表广东省人民政府向大会报告工作。

一、2025年工作回顾
过去一年，广东经济总量再上新台阶。全省地区生产总值增长3.9%，城镇新增就业135万人。
广东全年财政专项安排100万元支持乡村图书室建设。全省森林覆盖率达到53.4%。
广东全年接待游客9.1亿人次，其中入境游客1200万人次。

二、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长4.5%左右，城镇新增就业110万人以上。
"""

ESSAY = """关于县域经济的几点思考

县域经济是国民经济的基本单元。发展县域经济要因地制宜，突出特色产业。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    base = tmp_path_factory.mktemp("reports")
    docs = base / "docs"
    docs.mkdir()
    for name, text in (("hebei.txt", NORTH), ("guangdong.txt", SOUTH), ("essay.txt", ESSAY)):
        (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], base / "index", Settings(embedder="fake"))
    return Assistant.load(base / "index")


def sources(answer) -> set[str]:  # noqa: ANN001
    return {c.source for c in answer.citations}


def test_documents_get_titles_and_places(assistant: Assistant) -> None:
    metas = assistant.data.metas
    assert metas["hebei.txt"].title == "2026年河北省政府工作报告"
    assert metas["hebei.txt"].places == ("河北省",)
    assert {"河北", "hebei"} <= set(metas["hebei.txt"].aliases)
    assert metas["hebei.txt"].years == (2026,)
    assert metas["essay.txt"].places == ()


@pytest.mark.parametrize(
    ("question", "source", "span"),
    [
        ("河北2025年城镇新增就业多少人？", "hebei.txt", "87.6万人"),
        ("广东2025年城镇新增就业多少人？", "guangdong.txt", "135万人"),
        ("广东省地区生产总值增长了多少？", "guangdong.txt", "3.9%"),
    ],
)
def test_a_question_naming_a_report_is_answered_from_it(assistant, question, source, span) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert answer.span == span
    assert sources(answer) == {source}
    assert answer.citations[0].title.endswith("政府工作报告")


def test_a_fact_the_named_report_lacks_is_not_found_there(assistant: Assistant) -> None:
    answer = assistant.ask("河北省的森林覆盖率是多少？")  # only the Guangdong report gives one
    assert answer.abstained
    assert "《2026年河北省政府工作报告》" in answer.answer and answer.searched == ("2026年河北省政府工作报告",)


def test_english_names_the_report_too(assistant: Assistant) -> None:
    answer = assistant.ask("How many new urban jobs did Guangdong add in 2025?")
    assert sources(answer) <= {"guangdong.txt"}
    assert answer.searched == ("2026年广东省政府工作报告",)


def test_documents_picked_by_hand(assistant: Assistant) -> None:
    answer = assistant.ask("城镇新增就业多少人？", docs=["guangdong"])
    assert answer.span == "135万人" and sources(answer) == {"guangdong.txt"}
    from qa.errors import InputError

    with pytest.raises(InputError, match="no indexed document matches"):
        assistant.ask("城镇新增就业多少人？", docs=["nowhere"])


def test_a_result_is_preferred_to_a_target(assistant: Assistant) -> None:
    assert assistant.ask("河北2025年地区生产总值增长了多少？").span == "5.4%"
    assert assistant.ask("河北2026年地区生产总值的预期目标是增长多少？").span == "5%左右"


def test_the_exact_figure_beats_the_milestone_passed(assistant: Assistant) -> None:
    assert assistant.ask("河北2025年地方一般公共预算收入是多少？").span == "4211亿元"


def test_a_total_is_preferred_to_its_part_unless_the_part_is_named(assistant: Assistant) -> None:
    assert assistant.ask("广东全年接待游客多少人次？").span == "9.1亿人次"
    assert assistant.ask("广东全年接待入境游客多少人次？").span == "1200万人次"


def test_two_part_question_gets_both_parts(assistant: Assistant) -> None:
    answer = assistant.ask("河北办理了多少件省人大代表建议？又办理了多少件省政协提案？")
    assert not answer.abstained
    assert "812件" in answer.answer and "905件" in answer.answer
    assert answer.answer.index("812件") < answer.answer.index("905件")
    assert answer.answer.count("[1]") == 2  # both parts cite the same passage


def test_two_part_coordination_labels_each_part(assistant: Assistant) -> None:
    answer = assistant.ask("河北2025年粮食总产量和新建高标准农田分别是多少？")
    assert "762.5亿斤" in answer.answer and "300万亩" in answer.answer


def test_contact_details_are_answered_only_when_written(assistant: Assistant) -> None:
    assert assistant.ask("河北省人民政府的联系电话是多少？").abstained
    assert assistant.ask("What is the e-mail address of the Guangdong government?").abstained


def test_english_numbers_are_said_in_english(assistant: Assistant) -> None:
    answer = assistant.ask("How much money did Guangdong allocate for rural libraries?")
    assert answer.span == "100万元"
    assert "1 million yuan (100万元)" in answer.answer


def test_a_province_no_report_is_about_is_not_answered_from_another(assistant: Assistant) -> None:
    answer = assistant.ask("青海省2025年城镇新增就业多少人？")
    assert answer.abstained
