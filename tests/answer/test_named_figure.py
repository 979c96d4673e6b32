"""An English "how many" question's words cover a sentence of its year and place (2023, 全国) better than the one
of the indicator it asks about (城镇新增就业), which names neither: that sentence is still read for a figure it
names as asked, and answers."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

COMMUNIQUE = """2023年度人力资源和社会保障事业发展统计公报

一、就业

2023年全国农民工总量29753万人，比上年增长0.6%。其中，本地农民工12095万人，比上年下降2.2%。

全年城镇新增就业1244万人，城镇失业人员再就业514万人，就业困难人员就业172万人。

二、社会保险

年末全国参加基本养老保险人数106643万人。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"hrss_2023.txt": COMMUNIQUE})


def test_the_sentence_naming_the_indicator_answers(assistant: Assistant) -> None:
    ans = assistant.ask("According to the communiqué, how many new urban jobs were created nationwide in 2023?")
    assert "1244万人" in ans.answer, ans.answer


def test_a_chinese_question_still_reads_its_best_covering_sentences(assistant: Assistant) -> None:
    assert "29753万人" in assistant.ask("2023年全国农民工总量是多少？").answer


def test_a_sentence_above_the_cut_that_names_the_asked_keeps_it(assistant: Assistant) -> None:
    # 全国农民工总量 names 农民工 without ending on it; 本地农民工, a part, ends on it but covers less
    ans = assistant.ask("According to the communiqué, how many migrant workers were there nationwide?")
    assert "29753万人" in ans.answer, ans.answer
