"""A "who" question is never answered by a heading: where no person is found, the title or a section heading that
happens to cover the question's words ("青山区政协…") is "not found", not a name."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

CPPCC = """青山区政协2024年工作报告

一、主要工作

区政协主席王立新主持召开常委会议12次。副主席赵明带队开展专题调研，形成调研报告5篇。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_cppcc_2024.txt": CPPCC})


def test_a_post_the_report_names_is_answered_by_its_holder(assistant: Assistant) -> None:
    assert assistant.ask("青山区政协主席是谁？").span == "王立新"


def test_a_post_no_one_holds_in_the_report_is_not_answered_by_its_title(assistant: Assistant) -> None:
    ans = assistant.ask("青山区政协秘书长是谁？")
    assert ans.abstained or "工作报告" not in ans.answer, ans.answer
