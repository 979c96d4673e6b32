"""A question that asks how many there are in all (总数, 一共, 累计) is not answered by the year's additions
(新增…38家): the figure answers the question that asks what was added, and a list item that names its own total
(总量达1198家) still answers the total."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.roles import flow_for_stock
from qa.assistant import Assistant

REPORT = """2025年青山省政府工作报告

一、2024年工作回顾

创新动力持续增强。新增国家级制造业单项冠军14家、专精特新“小巨人”企业38家。
资本市场加快发展，新增境内外上市企业41家、总量达1198家。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_2025.txt": REPORT})


@pytest.mark.parametrize(
    ("text", "figure", "question", "flow"),
    [
        ("新增国家级制造业单项冠军14家、专精特新“小巨人”企业38家", "38家", "专精特新“小巨人”企业总数是多少家？", True),
        ("新增境内外上市企业41家、总量达1198家", "1198家", "境内外上市企业总量达到多少家？", False),
        ("新增境内外上市企业41家、总量达1198家", "41家", "新增境内外上市企业多少家？", False),
        ("新增医疗机构床位超7000张", "7000张", "医院一共多出了多少张病床？", False),
        ("科技型中小企业总数达2.49万家", "2.49万家", "科技型中小企业总数是多少？", False),
    ],
)
def test_a_flow_is_no_stock(text: str, figure: str, question: str, flow: bool) -> None:
    assert flow_for_stock(text, text.index(figure), question) is flow


def test_the_year_s_additions_do_not_answer_the_total(assistant: Assistant) -> None:
    ans = assistant.ask("截至2024年底，青山省专精特新“小巨人”企业总数是多少家？")
    assert ans.abstained, ans.answer


def test_additions_and_totals_still_answer_their_own_questions(assistant: Assistant) -> None:
    assert "38家" in assistant.ask("2024年青山省新增专精特新“小巨人”企业多少家？").answer
    assert "1198家" in assistant.ask("2024年青山省境内外上市企业总量达到多少家？").answer
