"""Question coverage and evidence ranking on hand-built hits (no index, no model)."""

from __future__ import annotations

import pytest

from qa.answer.evidence import QuestionCover, rank_sentences
from qa.answer.question import analyse_question
from qa.config import AnswerWeights
from qa.index.bm25 import LexicalIndex
from qa.retrieve.query import Query
from qa.types import Chunk, Hit

TEXTS = [
    "西夏区政协共立案41件，区委和政府专项安排100万元提案办理资金。提案办复率、满意率均达100%。",
    "全年开展专题学习32次，交流研讨8次。",
    "组织委员视察调研16次。",
]


def hit(i: int, score: float = 1.0, context: str = "") -> Hit:
    text = TEXTS[i]
    c = Chunk(id=str(i), source="r.txt", start=0, end=len(text), section="", kind="body", text=text, context=context)
    return Hit(c, score, score, 0.0)


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    return LexicalIndex.build(TEXTS)


def zh_cover(question: str, lexical: LexicalIndex) -> QuestionCover:
    from qa.text.tokens import tokenize

    return QuestionCover(Query(question, "zh", tokenize(question)), analyse_question(question, "zh"), lexical, {})


def test_cover_is_the_idf_weighted_share_of_question_tokens(lexical: LexicalIndex) -> None:
    cover = zh_cover("专题学习多少次？", lexical)
    assert cover.cover("全年开展专题学习32次") == pytest.approx(1.0)
    assert cover.cover("火星") == 0.0
    partial = cover.cover("学习")
    assert 0.0 < partial < 1.0
    # the tokens of 学习 (学, 习, 学习) over all tokens of 专题学习, weighted by BM25 idf
    total = sum(w for w, _ in cover.groups)
    found = sum(w for w, alts in cover.groups if any(a in "学习" for a in alts))
    assert partial == pytest.approx(found / total)


def test_the_best_covering_sentence_ranks_first(lexical: LexicalIndex) -> None:
    cover = zh_cover("提案办复率是多少？", lexical)
    cands = rank_sentences([hit(1), hit(0)], cover, AnswerWeights())
    best = cands[0]
    assert best.hit_rank == 1
    assert TEXTS[0][best.start : best.end] == "提案办复率、满意率均达100%。"
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)


def test_rank_and_retrieval_score_break_ties(lexical: LexicalIndex) -> None:
    cover = zh_cover("视察调研多少次？", lexical)
    weights = AnswerWeights()
    top, second = rank_sentences([hit(2, score=1.0), hit(2, score=0.5)], cover, weights)[:2]
    assert top.hit_rank == 0 and second.hit_rank == 1
    assert top.score - second.score == pytest.approx(weights.hit_score * 0.5 + weights.rank_step)


def test_the_context_line_counts_toward_a_sentence_that_omits_its_subject(lexical: LexicalIndex) -> None:
    cover = zh_cover("西夏区政协组织委员视察调研多少次？", lexical)
    plain = rank_sentences([hit(2)], cover, AnswerWeights())[0]
    with_context = rank_sentences([hit(2, context="西夏区政协")], cover, AnswerWeights())[0]
    assert with_context.score > plain.score
    assert with_context.cover == plain.cover  # the sentence's own coverage is unchanged


def test_english_questions_are_covered_by_their_dictionary_terms(lexical: LexicalIndex) -> None:
    lexicon = {"proposal": [["提案", 1.0, 3]], "file": [["立案", 1.0, 1]]}
    question = "How many proposals were filed?"
    query = Query(question, "en", [], [("提案", 1.0), ("立案", 1.0)])
    cover = QuestionCover(query, analyse_question(question, "en"), lexical, lexicon)
    assert cover.cover(TEXTS[0]) == pytest.approx(1.0)
    assert cover.cover(TEXTS[1]) == 0.0
    assert cover.unknown_names == 0


def test_unknown_english_names_are_counted(lexical: LexicalIndex) -> None:
    question = "What is the capital of France?"
    cover = QuestionCover(Query(question, "en", []), analyse_question(question, "en"), lexical, {})
    assert cover.unknown_names == 1


def test_an_english_word_said_by_the_phrase_beside_it_is_not_asked_again() -> None:
    # "new" beside "urban jobs" (城镇新增就业) is already said; CC-CEDICT's 新生, 新奇 would count against it
    from qa.index.lexicon import build_lexicon

    texts = ["全年城镇新增就业62.2万人，新型工业化加快推进。", "新生儿保健和新时代文明实践持续加强。"]
    question = "How many new urban jobs were created?"
    cover = QuestionCover(
        Query(question, "en", []), analyse_question(question, "en"), LexicalIndex.build(texts), build_lexicon(texts)
    )
    assert any("城镇新增就业" in alts for _w, alts in cover.groups)
    assert all("新生" not in alts and "新型" not in alts for _w, alts in cover.groups), cover.groups


def test_a_hyphenated_word_the_dictionary_lacks_is_read_by_its_parts() -> None:
    from qa.index.lexicon import build_lexicon

    texts = ["新增保障性租赁住房3.8万套，政府投资持续加力。"]
    question = "How many units of government-subsidized housing were added?"
    cover = QuestionCover(
        Query(question, "en", []), analyse_question(question, "en"), LexicalIndex.build(texts), build_lexicon(texts)
    )
    assert any("政府" in alts for _w, alts in cover.groups), cover.groups
