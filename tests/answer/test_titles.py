"""A "who" question that asks for a title (秘书长, 主席) is answered by a name the text writes with that title; a name
written with another one (区委书记赫天江 for the CPPCC's secretary-general) answers another question."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.answer.titles import asked_titles, names_title
from qa.assistant import Assistant

ARTICLE = """青山区政协2024年工作亮点

2024年9月18日，青山区委书记赫天江调研政协提案办理情况。
2024年8月19日，青山区政协党组书记、主席李海峰宣讲全会精神。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_cppcc.txt": ARTICLE})


def test_titles_asked(fast_lexicon: None) -> None:
    assert asked_titles("青山区政协的秘书长是谁？") == ["秘书长"]
    assert asked_titles("报告是哪位省长作的？") == ["省长"]
    assert asked_titles("谁调研了政协提案办理情况？") == []


@pytest.mark.parametrize(
    ("titles", "clause", "named"),
    [
        (["秘书长"], "2024年9月18日，青山区委书记赫天江", False),
        (["主席"], "青山区政协党组书记、主席李海峰", True),
        (["政协主席"], "青山区政协党组书记、主席李海峰", True),  # the title's last word after its first
        (["省长"], "——2026年1月26日在广东省第十四届人民代表大会第五次会议上广东省省长孟凡利", True),
        ([], "赫天江", True),
    ],
)
def test_a_name_is_written_with_the_title_asked(titles: list[str], clause: str, named: bool) -> None:
    assert names_title(titles, clause) is named


def test_a_name_with_another_title_is_not_given(assistant: Assistant) -> None:
    ans = assistant.ask("青山区政协的秘书长是谁？")
    assert ans.abstained, ans.answer


def test_the_name_with_the_title_asked_answers(assistant: Assistant) -> None:
    assert "李海峰" in assistant.ask("青山区政协主席是谁？").answer
    assert "赫天江" in assistant.ask("青山区委书记是谁？").answer
