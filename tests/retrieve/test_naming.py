"""Scoping by whatever the question names besides a place (qa.retrieve.naming, qa.retrieve.scope): title words,
genre, issuer, the whole country, and the year of a report against the year of a figure."""

from __future__ import annotations

import pytest

from qa.ingest.metadata import DocMeta
from qa.retrieve.query import core_question
from qa.retrieve.scope import find_scope

HUNAN = ("湖南省",)
HUNAN_ALIASES = ("湖南省", "湖南", "hunan")
NANJING = ("南京市",)
METAS = {
    "hunan_2025.txt": DocMeta("2025年湖南省政府工作报告", HUNAN, HUNAN_ALIASES, ("政府",), (2025,),
                              genre="政府工作报告", issuer="湖南省人民政府", level="province", published=2025,
                              results=(2024,), targets=(2025,)),
    "hunan_2026.txt": DocMeta("2026年湖南省政府工作报告", HUNAN, HUNAN_ALIASES, ("政府",), (2026,),
                              genre="政府工作报告", issuer="湖南省人民政府", level="province", published=2026,
                              results=(2025,), targets=(2026,)),
    "nanjing.txt": DocMeta("南京市2024年国民经济和社会发展统计公报", NANJING, ("南京市", "南京", "nanjing"),
                           ("统计局",), (2024,), genre="统计公报", issuer="南京市统计局", level="city", published=2025,
                           results=(2021, 2022, 2023, 2024)),
    "mohrss.txt": DocMeta("2023年度人力资源和社会保障事业发展统计公报", (), (), (), (2022, 2023), genre="统计公报",
                          issuer="中华人民共和国人力资源和社会保障部", level="national", published=2024,
                          results=(2022, 2023),
                          titles=("2023年度人力资源和社会保障事业发展统计公报",
                                  "2022年度人力资源和社会保障事业发展统计公报")),
    "culture.txt": DocMeta("2023年文化和旅游发展统计公报", (), (), (), (2023,), genre="统计公报",
                           issuer="中华人民共和国文化和旅游部", level="national", published=2024, results=(2023,)),
    "census.txt": DocMeta("第三次全国工业普查主要数据公报", (), (), ("统计局",), (), genre="公报",
                          issuer="中华人民共和国国家统计局", level="national", published=1996),
}  # fmt: skip


def sources(question: str) -> tuple[str, ...] | None:
    return find_scope(question, METAS).sources


def test_a_data_year_picks_the_report_that_gives_that_year_s_results() -> None:
    assert sources("湖南省2024年粮食产量是多少？") == ("hunan_2025.txt",)
    assert sources("湖南省2025年粮食产量是多少？") == ("hunan_2026.txt",)


def test_a_target_year_picks_the_report_that_sets_it() -> None:
    assert sources("湖南省2025年地区生产总值预期增长目标是多少？") == ("hunan_2025.txt",)


def test_a_report_year_picks_that_report_whatever_else_the_question_says() -> None:
    assert sources("湖南省2025年政府工作报告中，2024年粮食产量是多少？") == ("hunan_2025.txt",)


def test_a_document_named_by_its_title_words_or_issuer_alone() -> None:
    assert sources("2023年文化和旅游发展统计公报中全国文化和旅游事业费是多少？") == ("culture.txt",)
    assert sources("第三次全国工业普查时全国有多少个工业企业？") == ("census.txt",)
    assert sources("人社部2022年统计公报里年末全国就业人员多少万人？") == ("mohrss.txt",)


def test_an_english_question_names_a_ministry_by_its_english_name() -> None:
    """Defect: "the Ministry of Human Resources and Social Security's statistical communiqué" was searched in
    every national communiqué of the year, the culture and tourism one first."""
    asked = "According to the Ministry of Human Resources and Social Security's 2023 communiqué, how many new jobs?"
    assert sources(asked) == ("mohrss.txt",)
    assert sources("What did the ministry of culture and tourism report on museums in 2023?") == ("culture.txt",)


def test_an_english_question_names_a_document_by_its_title_in_english() -> None:
    """Defect: "according to the third national industrial census" was searched in the culture and tourism
    communiqué (every national document of the year, that one first). The question's words in Chinese (as the
    corpus lexicon renders them) cover four characters or more of a title's words in a row."""
    census = "What was China's steel output in 1995 according to the third national industrial census?"
    assert find_scope(census, METAS, ("钢产量", "三次", "全国", "工业普查")).sources == ("census.txt",)
    culture = "According to the 2023 statistical communiqué on culture and tourism development, how many museums?"
    assert find_scope(culture, METAS, ("文化", "旅游", "发展", "统计公报")).sources == ("culture.txt",)
    # two characters of a title are no name: "cultural projects" alone leaves every document searched
    assert find_scope("How many cultural projects were there?", METAS, ("文化", "项目")).sources is None
    # a place named still decides: Hunan's reports, the title words of the others aside
    hunan = "How many culture and tourism projects did Hunan start in 2024?"
    assert find_scope(hunan, METAS, ("文化", "旅游", "项目")).sources == ("hunan_2025.txt",)


def test_the_whole_country_named_picks_the_national_documents_then_the_year() -> None:
    assert sources("2022年全国城镇新增就业多少人？") == ("mohrss.txt",)
    assert set(sources("全国文化市场经营单位有多少家？") or ()) == {"mohrss.txt", "culture.txt", "census.txt"}


def test_a_city_series_file_answers_for_every_year_it_holds() -> None:
    assert sources("南京市2022年地区生产总值是多少？") == ("nanjing.txt",)


def test_the_words_that_named_the_document_are_reported_so_the_query_can_drop_them() -> None:
    scope = find_scope("2023年文化和旅游发展统计公报中全国文化和旅游事业费是多少？", METAS)
    assert "文化和旅游发展" in scope.named and "统计公报" in scope.named


def test_scope_notes_name_documents_by_their_label() -> None:
    metas = dict(METAS)
    metas["h2017.txt"] = DocMeta("政府工作报告", ("海拉尔区",), ("海拉尔区", "海拉尔"), (), (2017,),
                                 genre="政府工作报告", published=2017, results=(2016,), targets=(2017,))  # fmt: skip
    assert find_scope("海拉尔区2016年地区生产总值是多少？", metas).titles == ("海拉尔区2017年政府工作报告",)


def test_a_question_that_names_nothing_is_not_scoped() -> None:
    assert sources("粮食产量是多少？") is None


def test_a_file_name_title_never_matches_inside_an_english_word() -> None:
    metas = dict(METAS)
    metas["captions.txt"] = DocMeta("captions")
    assert sources("What about wetland protection and restoration?") is None
    assert find_scope("What about wetland protection and restoration?", metas).sources is None


def test_an_english_question_names_a_report_by_its_year() -> None:
    assert sources("According to Hunan's 2025 government work report, what was the R&D intensity in 2024?") == (
        "hunan_2025.txt",
    )
    assert sources("How many new urban jobs did Hunan create in 2024, per its 2026 government work report?") == (
        "hunan_2026.txt",
    )
    assert sources("What was Hunan's grain output in 2024 according to its government work report?") == (
        "hunan_2025.txt",  # a year of figures, not of a report: the report that gives 2024's results
    )


@pytest.mark.parametrize(
    ("question", "core"),
    [
        (
            "According to the 2022 statistical communiqué on human resources and social security development, "
            "how many people were employed at the end of 2022?",
            "how many people were employed at the end of 2022?",
        ),
        (
            "What was China's steel output in 1995 according to the third national industrial census?",
            "What was China's steel output in 1995 ?",
        ),
        (
            "How many new urban jobs did Shanghai create in 2024, per its 2025 government work report?",
            "How many new urban jobs did Shanghai create in 2024 ?",
        ),
        ("How many proposals were filed in 2023?", "How many proposals were filed in 2023?"),
        (
            "According to Hailar District's 2017 government work report, how much tourism revenue was earned?",
            "how much tourism revenue was earned?",
        ),
        (  # five words between "the" and "report"
            "In the Hailar District 2013 government work report, how many new urban jobs were created in 2012?",
            "how many new urban jobs were created in 2012?",
        ),
        (  # an owner of several words, and a review that is not called a report
            "According to the Xixia District CPPCC's 2024 work highlights, how many members were commended?",
            "how many members were commended?",
        ),
    ],
)
def test_an_english_question_without_the_document_it_names(question: str, core: str) -> None:
    # what names the document is settled by scoping; the evidence need not repeat it
    assert core_question(question, "en") == core


def test_an_issuer_too_long_to_see_as_a_reference_is_dropped_with_it() -> None:
    """Defect: "According to the Ministry of …'s statistical communiqué" left "According to the communiqué", whose
    words matched the title line best, and the title was given as the answer."""
    question = (
        "According to the Ministry of Culture and Tourism's 2023 statistical communiqué, how many domestic trips "
        "were made?"
    )
    scope = find_scope(question, METAS)
    assert core_question(question, "en", scope.named) == "how many domestic trips were made?"
