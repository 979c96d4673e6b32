"""English questions reach Chinese text through a corpus-restricted CC-CEDICT lexicon."""

from __future__ import annotations

import re

import pytest

from qa.index.lexicon import PINYIN_KEY, SYNONYM_KEY, build_lexicon
from qa.retrieve.terms import chinese_terms, name_terms, word_candidates
from qa.text.english import content_words, word_variants

CORPUS = [
    "西夏区政协党组书记、主席李海峰宣讲党的二十届三中全会精神。",
    "西夏区政协五届三次会议和闭会期间共立案41件提案，专项安排100万元提案办理资金。",
    "自治区政协主席陈雍 6次到西夏区调研企业经营。",
    "青山县全县新建日光温室320座，公开招聘教师126名。",
]
FLAT = re.sub(r"\s+", "", "".join(CORPUS))


@pytest.fixture(scope="module")
def lexicon() -> dict:
    return build_lexicon(CORPUS)


def test_proposal_maps_to_a_corpus_word(lexicon):
    words = [z for z, *_rest in lexicon["proposal"]]
    assert "提案" in words
    assert "温室" in [z for z, *_rest in lexicon["greenhouse"]]
    assert "教师" in [z for z, *_rest in lexicon["teacher"]]


def test_lexicon_keeps_only_chinese_words_present_in_the_corpus(lexicon):
    for key, entries in lexicon.items():
        for z, *_rest in entries:
            if key == PINYIN_KEY:
                z = z.split("\t")[0]
            elif key == SYNONYM_KEY:
                z = z.split("\t")[1]  # the corpus words a missing word leads to
                assert all(w in FLAT for w in z.split("|")), (key, z)
                continue
            assert z in FLAT, (key, z)
    # a common English word whose Chinese (机场) the corpus never uses has no entry
    assert "airport" not in lexicon


def test_lexicon_depends_on_the_corpus():
    other = build_lexicon(["今年全县新建日光温室320座。"])
    assert "proposal" not in other or all(z != "提案" for z, *_rest in other["proposal"])
    assert "温室" in [z for z, *_rest in other["greenhouse"]]


def test_acronym_glossary_reaches_the_corpus_word(lexicon):
    assert "政协" in [z for z, *_rest in lexicon["cppcc"]]


def test_pinyin_key_maps_a_romanised_place_name(lexicon):
    assert "西夏" in [z for z, *_rest in lexicon["xixia"]]


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("filed", "file"),
        ("studies", "study"),
        ("proposals", "proposal"),
        ("visited", "visit"),
        ("allocated", "allocate"),
    ],
)
def test_word_variants_include_the_base_form(word, base):
    variants = word_variants(word)
    assert variants[0] == word and base in variants


def test_content_words_drop_question_words():
    assert content_words("How many proposals were filed?") == ["proposals", "filed"]


def test_chinese_terms_for_an_english_question(lexicon):
    terms = dict(chinese_terms("How many proposals were filed?", lexicon))
    assert "提案" in terms and terms["提案"] > 0
    assert all(z in FLAT for z in terms)


@pytest.mark.parametrize(
    ("question", "name", "words"),
    [
        ("What did Li Haifeng present?", "李海峰", ["li", "haifeng"]),
        ("How many times did Chen Yong visit Xixia?", "陈雍", ["chen", "yong"]),
    ],
)
def test_name_terms_find_a_romanised_name_in_the_corpus(lexicon, question, name, words):
    found = dict(name_terms(question, lexicon, FLAT))
    assert found.get(name) == words


def test_name_terms_find_nothing_for_a_name_not_in_the_corpus(lexicon):
    assert name_terms("Where did Wang Jianguo go?", lexicon, FLAT) == []
    assert name_terms("Who is Barack Obama?", lexicon, FLAT) == []


def test_the_sense_this_corpus_uses_most_comes_first():
    text = "区委书记赫天江调研。党委书记主持会议。党员干部参加。党组织建设。"
    lexicon = build_lexicon([text])
    party = [z for z, *_rest in word_candidates("party", lexicon)]
    # words of this corpus come first; the lone character 党 would match every one of them, so it is left out
    assert set(party[:2]) == {"党委", "党员"} and "党" not in party


REPORT_TERMS = [
    "年末常住人口1048.53万人。全年城镇新增就业12.3万人，城镇失业人员再就业4.1万人。",
    "全年农民工总量29753万人。全体居民人均可支配收入65701元。",
    "城区绿化面积扩大，市区道路改造完成。",
    "旅游收入完成82.8亿元，同比增长20%。经济社会持续发展。",
]


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What was the resident population at year-end?", "常住人口"),
        ("How many new urban jobs were created?", "城镇新增就业"),
        ("How many people were re-employed?", "再就业"),
        ("How many migrant workers were there?", "农民工"),
        ("What was the per capita disposable income?", "可支配收入"),
        ("What was its year-on-year growth?", "同比"),  # CC-CEDICT has no entry for "year-on-year"
        ("What was the tourism revenue's growth?", "增长"),  # nor 增长 for the noun (发展, 成长 …)
    ],
)
def test_report_terms_reach_their_standard_chinese_names(question: str, term: str) -> None:
    # CC-CEDICT alone maps "urban" to 城区 and "resident" to 居民; the glossary knows the indicators' names
    terms = [z for z, _w in chinese_terms(question, build_lexicon(REPORT_TERMS))]
    assert term in terms[:3], terms


def test_the_words_of_a_whole_phrase_bring_no_terms_of_their_own() -> None:
    lexicon = build_lexicon([*REPORT_TERMS, "产业工人队伍建设持续加强。"])
    terms = [z for z, _w in chinese_terms("How many migrant workers were there?", lexicon)]
    assert "农民工" in terms and "工人" not in terms


COMMUNIQUE_TERMS = [
    "2023年末，全国共有公共图书馆3246个。年末全国就业人员73351万人。",
    "中国人民政治协商会议。全年研发经费投入强度2.57%。地区生产总值增长5.4%。",
    "吃拿卡要问题得到整治。",  # 吃拿 spells "china" in pinyin
]


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("How many public libraries were there at the end of 2023?", "公共图书馆"),
        ("How many public libraries were there at the end of 2023?", "年末"),
        ("How many people were employed at the end of the year?", "就业人员"),
        ("What was the R&D investment intensity, per the communiqué?", "研发"),
        ("What was the GDP growth rate?", "增长"),  # reports write 增长5.4%, rarely 增速
    ],
)
def test_communique_terms_reach_their_standard_chinese_names(question: str, term: str) -> None:
    terms = [z for z, _w in chinese_terms(question, build_lexicon(COMMUNIQUE_TERMS))]
    assert term in terms, terms


def test_the_level_of_a_place_is_not_what_a_question_asks_about() -> None:
    # "the district", "the province": the place the scope already chose
    assert content_words("How much tourism revenue did the district earn?") == ["tourism", "revenue", "earn"]


def test_how_many_people_counts_in_people_and_is_not_about_people() -> None:
    assert "people" not in content_words("How many people were employed?")
    assert "people" in content_words("What did the people's congress approve?")


def test_an_english_word_is_not_read_as_a_romanised_name() -> None:
    lexicon = build_lexicon(COMMUNIQUE_TERMS)
    flat = "".join(COMMUNIQUE_TERMS)
    assert name_terms("How many public libraries were there in China?", lexicon, flat) == []
