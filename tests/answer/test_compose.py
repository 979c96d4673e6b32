"""Answers through Assistant: the span as written, numbered citations that quote it, or an honest abstention."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PROPOSALS, REPORT, VISITS

from qa.answer.mentions import arabic_numbers
from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import InputError
from qa.index.build import build_index
from qa.text.script import detect_lang

NOT_FOUND_ZH = "报告中没有找到相关内容"
NOT_FOUND_EN = "Not found in the documents."

# A made-up county report about greenhouses, schools and the budget.
COUNTY = """青山县2023年农业农村工作情况

2023年9月18日，青山县首届蔬菜博览会在县城开幕。

县委书记王建国到城关镇温室大棚调研。

设施农业稳步发展。全县新建日光温室320座，改造老旧
大棚85座，设施蔬菜种植面积达到1.2万亩，种植户户均
增收近3万元，蔬菜产业成为农民增收的主导产业。

教育事业均衡发展。新建幼儿园4所，改扩建中小学校7
所，公开招聘教师126名，全县义务教育巩固率达到
99.5%，学生营养改善计划惠及1.8万名学生。

财政预算执行良好。全年一般公共预算收入5.6亿元，
县财政专项安排800万元用于农村道路养护，民生支出占
一般公共预算支出的比重达到78%。

县农业科技示范园位于青山县城关镇河东村，占地面积
260亩，引进新品种42个。
"""

# Sentences in the style of the bundled report (several numbers in one sentence).
WORK = """西夏区政协2024年工作概况

胸怀中心大局献计出力。组织委员开展调研视察、协商议政16次、调查研究32次，
形成专项调研报告、专题发言材料60余篇，向区委和政府报送专题协商报告9篇。

委员作用发挥更具活力。李学成、崔小青等20余名委员捐资近3万元，慰问帮扶困境儿童、
残疾老人40余人，西夏区政协对年度履职表现突出的47名委员进行通报表扬。
"""

# Photo captions copied from the top of the bundled report (note the raw "2024 年3月22日").
CAPTIONS = """
2024 年3月22日，西夏区政协党组理论学习中心组学习会召开。

2024年8月19日，西夏区政协党组书记、
主席李海峰宣讲党的二十届三中全会精神。

2024年3月21日，西夏区政协组织开展“牢牢守住
安全生产底线，巩固安全生产防护网”调研视察。
"""

# One very long sentence: its clauses add up to well over the answer limit.
_CLAUSES = [
    "河湾县深入推进黄河流域湿地保护修复工程建设并统筹山水林田湖草沙系统治理和国土绿化行动",
    "扎实开展水土流失综合治理和农村人居环境整治提升以及城乡垃圾分类和污水处理设施建设等重点工作",
    "全面落实河湖长制和林长制持续加强大气水土壤污染防治工作使地表水国控断面水质全部达标",
    "群众的获得感幸福感安全感不断增强生态环境质量持续向好绿色发展底色更加鲜明人与自然和谐共生",
]
LONG = "河湾县2024年生态建设情况\n\n生态环境持续改善。" + "，".join(_CLAUSES) + "。\n"

DOCS = {
    "proposals.txt": PROPOSALS,
    "visits.txt": VISITS,
    "county.txt": COUNTY,
    "work.txt": WORK,
    "captions.txt": CAPTIONS,
    "long.txt": LONG,
}


def _build(base: Path, settings: Settings) -> Path:
    docs = base / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], base / "index", settings)
    return base / "index"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Path:
    return _build(tmp_path_factory.mktemp("answering"), Settings(embedder="fake"))


@pytest.fixture(scope="module")
def assistant(index: Path) -> Assistant:
    return Assistant.load(index)


@pytest.fixture(scope="module")
def raw(index: Path) -> dict[str, str]:
    docs = index.parent / "docs"
    return {name: (docs / name).read_text(encoding="utf-8") for name in DOCS}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- the asked-for span, exactly as written ----


@pytest.mark.parametrize(
    ("question", "span", "source"),
    [
        ("西夏区政协共立案多少件提案？", "41件", "proposals.txt"),
        ("区委和政府专项安排了多少提案办理资金？", "100万元", "proposals.txt"),
        ("提案办复率是多少？", "100%", "proposals.txt"),
        ("委员捐资多少钱？", "近3万元", "work.txt"),
        ("形成了多少篇专项调研报告和专题发言材料？", "60余篇", "work.txt"),
        ("全县新建了多少座日光温室？", "320座", "county.txt"),
        ("公开招聘了多少名教师？", "126名", "county.txt"),
        ("县财政专项安排多少资金用于农村道路养护？", "800万元", "county.txt"),
        ("义务教育巩固率是多少？", "99.5%", "county.txt"),
        ("新建了几所幼儿园？", "4所", "county.txt"),
        ("陈雍到西夏区调研了几次？", "6次", "visits.txt"),
    ],
)
def test_quantity_answer_is_the_number_and_unit_as_written(assistant, question, span, source):
    ans = assistant.ask(question)
    assert not ans.abstained
    assert ans.span == span
    assert ans.answer == f"{span} [1]"
    assert ans.citations[0].source == source


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("调查研究开展了多少次？", "32次"),
        ("开展了多少次调查研究？", "32次"),
        ("协商议政开展了多少次？", "16次"),
    ],
)
def test_picks_the_right_number_from_a_sentence_with_several(assistant, question, span):
    ans = assistant.ask(question)
    assert ans.span == span
    assert "协商议政16次、调查研究32次" in ans.citations[0].text


def test_counted_noun_is_not_a_verb_phrase(assistant):
    assert assistant.ask("陈雍几次到西夏区调研？").span == "6次"


def test_ten_thousand_people_answer(assistant):
    # the number keeps its measure word, and the noun the question counts when the text repeats it
    assert assistant.ask("学生营养改善计划惠及多少名学生？").span in ("1.8万名", "1.8万名学生")


def test_counted_noun_is_kept_when_the_question_counts_it(assistant):
    ans = assistant.ask("多少名委员受到通报表扬？")
    assert ans.span.startswith("47名")


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("青山县首届蔬菜博览会是哪一天开幕的？", "2023年9月18日"),
        ("李海峰哪一天宣讲党的二十届三中全会精神？", "2024年8月19日"),
        ("西夏区政协党组理论学习中心组学习会是哪一天召开的？", "2024年3月22日"),
    ],
)
def test_date_question_about_a_photo_caption_gives_the_date(assistant, raw, question, span):
    ans = assistant.ask(question)
    assert not ans.abstained and ans.span == span
    c = ans.citations[0]
    assert squeeze(span) in squeeze(raw[c.source][c.start : c.end])


def test_who_and_where_questions(assistant):
    who = assistant.ask("谁到城关镇温室大棚调研？")
    assert who.span == "王建国"
    where = assistant.ask("县农业科技示范园位于哪里？")
    assert where.span == "青山县城关镇河东村"


# ---- citations ----

QUESTIONS = [
    "西夏区政协共立案多少件提案？",
    "区委和政府专项安排了多少提案办理资金？",
    "委员捐资多少钱？",
    "调查研究开展了多少次？",
    "全县新建了多少座日光温室？",
    "公开招聘了多少名教师？",
    "县财政专项安排多少资金用于农村道路养护？",
    "义务教育巩固率是多少？",
    "民生支出占一般公共预算支出的比重是多少？",
    "全年一般公共预算收入是多少？",
    "青山县首届蔬菜博览会是哪一天开幕的？",
    "西夏区政协党组理论学习中心组学习会是哪一天召开的？",
    "县农业科技示范园位于哪里？",
    "陈雍到西夏区调研了几次？",
    "农工党中央捐赠的CT机和救护车价值多少？",
    "河湾县湿地保护修复工程情况如何？",
    "How many proposals were filed?",
    "How many teachers were recruited?",
    "How many greenhouses were built?",
    "When did the vegetable expo open?",
    "How much money was allocated for rural road maintenance?",
]


@pytest.fixture(scope="module")
def answers(assistant) -> dict[str, object]:
    return {q: assistant.ask(q) for q in QUESTIONS}


def test_every_sample_question_is_answered(answers):
    assert [q for q, a in answers.items() if a.abstained] == []


@pytest.mark.parametrize("question", QUESTIONS)
def test_citations_are_numbered_and_point_into_the_raw_file(answers, raw, question):
    ans = answers[question]
    assert ans.answer.endswith(" [1]")
    assert 1 <= len(ans.citations) <= 3
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    for c in ans.citations:
        assert c.source in raw
        assert 0 <= c.start < c.end <= len(raw[c.source])
        assert c.text and squeeze(c.text) in squeeze(raw[c.source][c.start : c.end])
        s, e = c.highlight
        assert 0 <= s < e <= len(c.text)
        assert squeeze(c.text[s:e]) in squeeze(raw[c.source][c.start : c.end])
    first = ans.citations[0]
    s, e = first.highlight
    assert first.text[s:e] == ans.span
    assert ans.span in ans.answer


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_number_in_the_answer_is_quoted_by_a_citation(answers, question):
    ans = answers[question]
    for n in arabic_numbers(ans.answer):
        assert any(n in c.text for c in ans.citations), (n, ans.answer)


# ---- English questions ----


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("How many proposals were filed?", "41件"),
        ("How many teachers were recruited?", "126名"),
        ("How many greenhouses were built?", "320座"),
        ("When did the vegetable expo open?", "2023年9月18日"),
    ],
)
def test_english_question_gets_an_english_sentence_with_the_chinese_span(answers, question, span):
    ans = answers[question]
    assert ans.lang == "en" and ans.span == span
    assert span in ans.answer
    english = ans.answer.replace(span, "").replace("[1]", "")
    assert detect_lang(english) == "en" and re.match(r"[A-Z][a-z]+ ", ans.answer)


def test_english_question_about_wan_yuan_gets_an_english_sentence(answers):
    ans = answers["How much money was allocated for rural road maintenance?"]
    assert ans.span == "800万元" and ans.span in ans.answer
    assert re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", ans.answer), ans.answer


# ---- long evidence ----


def test_answer_stays_short_when_the_evidence_sentence_is_long(answers, index):
    q = "河湾县湿地保护修复工程情况如何？"
    ans = answers[q]  # the reader's phrase (a "how is it going" question is read by the reader)
    assert not ans.abstained
    assert len(ans.citations[0].text) > 150
    assert len(ans.answer) < 150
    rules = Assistant.load(index, replace(Settings.from_env(), index_dir=index, reader="none")).ask(q)
    assert len(rules.answer) < 150
    assert "湿地保护修复" in rules.answer  # the rules' best-covering run of clauses


def test_english_answer_stays_short_when_the_evidence_sentence_is_long(assistant):
    ans = assistant.ask("What about wetland protection and restoration?")
    assert not ans.abstained and "湿地" in ans.answer
    assert len(ans.answer) < 150


# ---- abstention ----


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("火星有几颗卫星？", NOT_FOUND_ZH),
        ("北京冬奥会有多少名运动员参赛？", NOT_FOUND_ZH),
        ("How many moons does Mars have?", NOT_FOUND_EN),
        ("Who won the World Cup in 1998?", NOT_FOUND_EN),
    ],
)
def test_off_topic_question_abstains(assistant, question, message):
    ans = assistant.ask(question)
    assert ans.abstained
    assert ans.answer == message
    assert ans.citations == () and ans.span == ""
    assert ans.hits  # retrieval still ran: the hits are kept for inspection


def test_a_year_the_report_lacks_abstains(assistant):
    ans = assistant.ask("2019年共立案多少件提案？")
    assert ans.abstained and ans.answer == NOT_FOUND_ZH and ans.citations == ()


def assistant_over(tmp_path: Path, text: str) -> Assistant:
    """An assistant over one small report, with the fake embedder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text(text, encoding="utf-8")
    build_index([docs], tmp_path / "index", Settings(embedder="fake"))
    return Assistant.load(tmp_path / "index")


def test_a_year_missing_from_a_2024_only_report_abstains(tmp_path, fast_lexicon):
    assistant = assistant_over(
        tmp_path,
        "2024年，西夏区政协五届三次会议和闭会期间共立案41件提案，\n"
        "区委和政府专项安排100万元提案办理资金，提案办复率、满意率均达100%。\n",
    )
    ans = assistant.ask("2019年共立案多少件提案？")
    assert ans.abstained and ans.answer == NOT_FOUND_ZH and ans.citations == ()
    # the same question naming the year the report covers is answered
    assert assistant.ask("2024年共立案多少件提案？").span.startswith("41件")


def test_a_year_written_only_in_the_title_is_accepted(assistant):
    assert assistant.ask("2023年全县新建了多少座日光温室？").span == "320座"


# ---- the result object ----


def test_to_dict_has_the_cli_schema(answers):
    d = answers["西夏区政协共立案多少件提案？"].to_dict()
    assert set(d) == {
        "question", "answer", "abstained", "span", "lang", "confidence", "uncertain", "citations", "searched",
        "read_as", "timings_ms",
    }  # fmt: skip
    # the question names 西夏区: the reports about 青山县 and 河湾县 are not searched
    assert len(d["searched"]) == 4 and not any("青山" in s or "河湾" in s for s in d["searched"])
    assert d["question"] == "西夏区政协共立案多少件提案？" and d["lang"] == "zh" and d["abstained"] is False
    assert 0 < d["confidence"] <= 1
    c = d["citations"][0]
    assert set(c) == {"n", "source", "start", "end", "text", "highlight", "score", "section", "page", "title"}
    assert c["n"] == 1 and isinstance(c["highlight"], list) and len(c["highlight"]) == 2
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_abstained_to_dict(assistant):
    d = assistant.ask("Who won the World Cup in 1998?").to_dict()
    assert d["abstained"] is True and d["answer"] == NOT_FOUND_EN and d["citations"] == [] and d["lang"] == "en"


def test_timings_are_reported(answers):
    t = answers["公开招聘了多少名教师？"].timings_ms
    assert {"retrieve", "answer", "total"} <= set(t)
    assert all(v >= 0 for v in t.values())
    assert t["total"] >= max(t["retrieve"], t["answer"])
    assert t["total"] == pytest.approx(t["retrieve"] + t["answer"], abs=0.05)


def test_answer_keeps_the_ranked_hits(answers):
    ans = answers["公开招聘了多少名教师？"]
    assert 1 <= len(ans.hits) <= 10
    assert ans.citations[0].source == ans.hits[0].chunk.source


def test_question_is_normalised_and_bad_questions_refused(assistant):
    assert assistant.ask("  公开招聘了多少名教师？\n").question == "公开招聘了多少名教师？"
    for bad in ("", "  ", "？！。", "问" * 2001):
        with pytest.raises(InputError):
            assistant.ask(bad)


# ---- the real embedder (slow) ----


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    base = tmp_path_factory.mktemp("real_report")
    data = base / "data"
    data.mkdir()
    shutil.copy(REPORT, data / REPORT.name)
    build_index([data], base / "index", Settings())
    return Assistant.load(base / "index")


@pytest.mark.slow
def test_real_english_question_about_proposals(real_report):
    ans = real_report.ask("How many proposals were filed?")
    assert not ans.abstained and "41" in ans.answer
    assert "41件" in ans.citations[0].text


@pytest.mark.slow
def test_real_english_question_about_the_chairman_names_him_in_chinese(real_report):
    ans = real_report.ask("Who is the chairman of the Xixia District CPPCC?")
    assert not ans.abstained and "李海峰" in ans.answer
    assert any("李海峰" in c.text for c in ans.citations)


@pytest.mark.slow
def test_real_chinese_paraphrase_about_funding(real_report):
    ans = real_report.ask("为办理提案，区里专门拿出了多少经费？")
    assert not ans.abstained and ans.span == "100万元"


@pytest.mark.slow
def test_real_off_topic_questions_abstain(real_report):
    assert real_report.ask("What is the capital of France?").answer == NOT_FOUND_EN
    assert real_report.ask("火星有几颗卫星？").answer == NOT_FOUND_ZH


@pytest.mark.slow
def test_real_question_naming_the_report_year_is_answered(real_report):
    ans = real_report.ask("2024年西夏区政协共立案多少件提案？")
    assert not ans.abstained and ans.span == "41件"


@pytest.mark.slow
def test_real_unrelated_science_question_abstains(real_report):
    assert real_report.ask("What is the boiling point of mercury?").answer == NOT_FOUND_EN


@pytest.mark.slow
def test_real_embedder_on_the_small_corpus(tmp_path):
    assistant = Assistant.load(_build(tmp_path, Settings()))
    assert assistant.ask("What is the capital of France?").abstained
    assert assistant.ask("How many teachers were recruited?").span == "126名"
    assert assistant.ask("县财政专项安排多少资金用于农村道路养护？").span == "800万元"


def test_who_question_about_a_post_the_report_never_names_abstains(tmp_path, fast_lexicon):
    """'秘书长是谁' must not be answered with the name of someone holding another post (`qa.answer.titles`)."""
    assistant = assistant_over(
        tmp_path,
        "2024年9月18日，西夏区委书记赫天江调研政协提案办理情况。\n\n"
        "西夏区政协党组书记、主席李海峰宣讲党的二十届三中全会精神。\n",
    )
    assert assistant.ask("西夏区政协的秘书长是谁？").abstained
    answer = assistant.ask("西夏区委书记是谁？")
    assert not answer.abstained and answer.span == "赫天江"


@pytest.mark.xfail(
    strict=True,
    reason="post checks fitted to single gold questions were removed; the general focus-word check cost paraphrases",
)
def test_english_who_question_about_a_post_the_report_lacks_abstains(tmp_path, fast_lexicon):
    assistant = assistant_over(
        tmp_path,
        "2024年8月19日，西夏区政协党组书记、主席李海峰宣讲党的二十届三中全会精神。\n\n"
        "西夏区政协组织委员开展调研视察、协商议政16次。\n",
    )
    assert assistant.ask("Who is the vice chairman of the Xixia District CPPCC?").abstained
    assert assistant.ask("Who is the chairman of the Xixia District CPPCC?").span == "李海峰"
