"""Word support on hand-made chunks: exact matches, dictionary synonyms, shared characters, rarity weights."""

from __future__ import annotations

import math

import pytest

from qa.answer.support import Support, question_words
from qa.index.lexicon import SYNONYM_KEY
from qa.types import Chunk, Kind


def chunk(text: str, kind: Kind = "body", source: str = "a.txt") -> Chunk:
    return Chunk(id=text[:8], source=source, start=0, end=len(text), section="", kind=kind, text=text)


@pytest.fixture
def support() -> Support:
    chunks = [
        chunk("区政府专项安排100万元提案办理资金。"),
        chunk("提案办复率达到100%。"),
        chunk("全年开展专题学习32次。"),
        chunk("2024年工作巡礼", kind="heading"),
    ]
    return Support({SYNONYM_KEY: [["经费\t资金|款项", 1.0]]}, chunks)


def test_a_word_is_supported_by_itself_a_synonym_or_most_of_its_characters(support: Support) -> None:
    assert support.supported("提案", "共立案41件提案")
    assert support.supported("经费", "安排了办理资金")  # CC-CEDICT synonym prepared at build time
    assert not support.supported("经费", "安排了办理人员")
    assert support.supported("满意度", "满意率达到100%")  # two of three characters
    assert not support.supported("秘书长", "政协主席李海峰")
    assert support.supported("哥哥", "他的哥在北京")  # a doubled kinship word is its single character


def test_rarer_words_weigh_more(support: Support) -> None:
    n = 4
    assert support.word_weight("提案") == pytest.approx(math.log(1 + n / (1 + 2)))
    assert support.word_weight("学习") == pytest.approx(math.log(1 + n / (1 + 1)))
    assert support.word_weight("火星") == pytest.approx(math.log(1 + n / 1))
    assert support.word_weight("火星") > support.word_weight("学习") > support.word_weight("提案")


def test_cover_is_the_weighted_share_of_supported_words(support: Support) -> None:
    w_proposal, w_mars = support.word_weight("提案"), support.word_weight("火星")
    assert support.cover(["提案", "经费"], "提案办理资金") == 1.0
    assert support.cover(["提案", "火星"], "提案办理资金") == pytest.approx(w_proposal / (w_proposal + w_mars))
    assert support.cover([], "anything") == 1.0


def test_headings_are_kept_per_document(support: Support) -> None:
    assert "2024年工作巡礼" in support.headings("a.txt")
    assert support.headings("other.txt") == ""


def test_question_words_drop_interrogatives_and_single_characters() -> None:
    assert question_words("提案立案了多少件？") == ["提案", "立案"]
