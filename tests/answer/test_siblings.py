"""A figure whose clause names a sibling of what the question counts (基本养老保险 where 基本医疗保险 is asked, 国家级
where 省级 is asked) answers another question: the assistant says it did not find it. The same figure still
answers the question that names it, and a reworded question (占 for 相当于) is no sibling."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.siblings import sibling
from qa.assistant import Assistant

# A made-up communiqué: one insurance and one level of heritage items are counted, their siblings are not.
COMMUNIQUE = """青山市2025年人力资源和社会保障事业发展统计公报

一、社会保险

年末全市参加基本养老保险人数376.06万人，比上年末增加12.3万人。全年基本养老保险基金收入412亿元。

二、文化遗产

截至2025年末，全市共有国家级非遗代表性项目15项，共有国家级非遗代表性传承人21名。

三、企业

2025年公有制企业占全部企业的份额，按营业收入计算为70.6%，按资产总额计算为77.5%。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_hrss.txt": COMMUNIQUE})


@pytest.mark.parametrize(
    ("asked", "lead_in", "pair"),
    [
        ("全国参加基本医疗保险的人数", "年末全国参加基本养老保险人数", ("医疗", "养老")),
        ("全国共有省级非遗代表性项目", "共有国家级非遗代表性项目", ("省", "国家")),
        ("参加城乡居民基本养老保险的人数", "年末参加企业职工基本养老保险人数", ("城乡居民", "企业职工")),
        # a reworded relation is the same thing
        ("全社会研发经费支出占全市生产总值比例", "全社会研发经费支出相当于全市生产总值的比例达到", None),
        # one shared character before the swap is no frame
        ("全国城镇新增就业", "全年城镇新增就业", None),
        # a place is settled by the question's scope, not here
        ("免签入境的国家", "免签入境海南国家达", None),
        ("全国参加基本养老保险的人数", "年末全国参加基本养老保险人数", None),
        # both open with the swap: four shared characters after it make the frame
        ("三资工业占全部工业的比重", "公有制工业占全部工业的份额", ("三资", "公有制")),
        ("三资工业的比重", "公有制工业的份额", None),
        # figures given respectively name several things at once (城乡: 城镇 and 农村)
        ("农村居民人均可支配收入", "城乡居民人均可支配收入分别达", None),
        # a time is when, not what
        ("今年城镇新增就业", "去年城镇新增就业", None),
    ],
)
def test_a_sibling_is_the_same_frame_around_another_kind(
    asked: str, lead_in: str, pair: tuple[str, str] | None
) -> None:
    assert sibling(asked, lead_in, lead_in) == pair


def test_a_word_the_sentence_also_writes_is_no_sibling() -> None:
    sentence = "年末全国参加基本养老保险人数106643万人，参加基本医疗保险人数133389万人。"
    assert sibling("全国参加基本医疗保险的人数", "年末全国参加基本养老保险人数", sentence) is None


@pytest.mark.parametrize(
    "question",
    [
        "青山市年末参加基本医疗保险的人数是多少？",
        "截至2025年末，青山市共有省级非遗代表性项目多少项？",
        # the thing counted stands in the sentence's first clause, the figure in its second
        "按营业收入计算，2025年外资企业占全部企业的比重是多少？",
    ],
)
def test_a_sibling_figure_is_not_given(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert ans.abstained, ans.answer


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("青山市年末参加基本养老保险的人数是多少？", "376.06万人"),
        ("截至2025年末，青山市共有国家级非遗代表性项目多少项？", "15项"),
        ("按营业收入计算，2025年公有制企业占全部企业的比重是多少？", "70.6%"),
    ],
)
def test_the_figure_still_answers_what_it_counts(assistant: Assistant, question: str, figure: str) -> None:
    assert figure in assistant.ask(question).answer
