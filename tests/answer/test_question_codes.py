"""A code the question writes with its number (5A级, 5G, B2B) is looked for whole: the 5 of 5A级 is not in 15721, so
"how many 5A-level scenic spots" over a sentence of A级 scenic spots lacks what it asks; 5G基站 still finds 5G."""

from __future__ import annotations

import pytest
from conftest import assistant_over

from qa.assistant import Assistant

COMMUNIQUE = """青山市2025年国民经济和社会发展统计公报

十、文化和旅游

2025年末，全市共有A级旅游景区157个，直接从业人员1.6万人。

十一、邮电通信

年末全市5G基站总数达到1.2万个，比上年末增加2300个。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Assistant:
    return assistant_over(tmp_path_factory, {"qingshan_statcomm_2025.txt": COMMUNIQUE})


def test_a_code_the_sentence_lacks_counts_as_missing(assistant: Assistant) -> None:
    ans = assistant.ask("2025年末青山市共有5A级旅游景区多少个？")
    assert ans.signals["numbers_absent"] == 1 and "157" not in ans.answer, ans.answer


def test_a_code_the_sentence_writes_is_found(assistant: Assistant) -> None:
    ans = assistant.ask("青山市年末5G基站总数是多少？")
    assert "1.2万个" in ans.answer and ans.signals["numbers_absent"] == 0
