"""Document identity at build time (qa.ingest.identity, qa.ingest.metadata): genre, issuer, level, the year given
and the years whose results and targets a document gives, every title of a series file, and a title that names
place and year (openings copied from real reports and communiqués)."""

from __future__ import annotations

from qa.ingest.identity import dated_openings, genre_of, identify, series_parts, series_titles
from qa.ingest.metadata import DocMeta

WORK_REPORT = """2025年湖南省政府工作报告
来源：湖南日报
政府工作报告
2025年1月14日在湖南省第十四届人民代表大会第三次会议上省长毛伟明作政府工作报告。
各位代表：
　　现在，我代表省人民政府，向大会作政府工作报告，请予审议。
　　一、2024年工作回顾
"""

CITY_SERIES = """南京市2024年国民经济和社会发展统计公报
南京市统计局  国家统计局南京调查队
2025年3月

2024年是中华人民共和国成立75周年，是实现“十四五”规划目标任务的关键一年。
一、综合
全年实现地区生产总值18500.81亿元。

南京市统计局
国家统计局南京调查队
2024年3月

2023年是全面贯彻党的二十大精神的开局之年。
一、综合
全年实现地区生产总值17421.40亿元。
"""

MINISTRY = """


2023 年度人力资源和社会保障事业发展统计公报
中华人民共和国人力资源和社会保障部

2023 年，在以习近平同志为核心的党中央坚强领导下，各级人力资源和社会保障部门认真贯彻落实党中央决策部署。
一、劳动就业

2022 年度人力资源和社会保障事业发展统计公报
中华人民共和国人力资源和社会保障部

2022 年，各级人力资源和社会保障部门坚决贯彻落实党中央决策部署。
"""


def test_a_work_report_gives_last_year_s_results_and_this_year_s_targets() -> None:
    who = identify(WORK_REPORT, "2025年湖南省政府工作报告", ["湖南省"], province=True)
    assert (who.genre, who.issuer, who.level) == ("政府工作报告", "湖南省人民政府", "province")
    assert (who.published, who.results, who.targets) == (2025, (2024,), (2025,))


def test_a_series_file_covers_every_year_it_holds_even_without_titles() -> None:
    who = identify(CITY_SERIES, "南京市2024年国民经济和社会发展统计公报", ["南京市"], province=False)
    assert (who.genre, who.issuer, who.level) == ("统计公报", "南京市统计局", "city")
    assert who.results == (2023, 2024) and who.targets == ()
    assert who.published == 2025
    assert dated_openings(CITY_SERIES) == [2023, 2024]


def test_a_ministry_s_communiques_are_national_and_each_title_counts() -> None:
    who = identify(MINISTRY, "2023年度人力资源和社会保障事业发展统计公报", [], province=False)
    assert who.level == "national" and who.issuer == "中华人民共和国人力资源和社会保障部"
    assert [t for t, _y in series_titles(MINISTRY)] == [
        "2023年度人力资源和社会保障事业发展统计公报",
        "2022年度人力资源和社会保障事业发展统计公报",
    ]
    assert who.results == (2022, 2023)


def test_a_subtitle_is_never_a_series_title() -> None:
    raw = "2025年上海市政府工作报告\n----2025年1月15日龚正市长在上海市第十六届人民代表大会第三次会议的政府工作报告\n"
    assert [t for t, _y in series_titles(raw)] == ["2025年上海市政府工作报告"]


def test_genres_most_specific_first() -> None:
    assert genre_of("2024年药品流通行业运行统计分析报告") == "统计分析报告"
    assert genre_of("第三次全国工业普查主要数据公报") == "公报"
    assert genre_of("政 府 工 作 报 告") == "政府工作报告"
    assert genre_of("会议纪念册") == ""


def test_a_bare_title_is_labelled_with_its_place_and_year() -> None:
    meta = DocMeta("政府工作报告", ("海拉尔区",), genre="政府工作报告", published=2017, years=(2017,))
    assert meta.label == "海拉尔区2017年政府工作报告"
    full = DocMeta("2025年湖南省政府工作报告", ("湖南省",), genre="政府工作报告", published=2025, years=(2025,))
    assert full.label == "2025年湖南省政府工作报告"


def test_identity_survives_the_manifest_round_trip() -> None:
    meta = DocMeta("t", ("南京市",), genre="统计公报", issuer="南京市统计局", level="city", published=2025,
                   results=(2023, 2024), titles=("a", "b"))  # fmt: skip
    assert DocMeta.from_dict(meta.to_dict()) == meta
    assert DocMeta.from_dict({"title": "old"}).results == ()  # an index written before identity was kept


def test_the_title_of_a_report_that_opens_on_its_congress_line_or_is_letter_spaced() -> None:
    from qa.ingest.metadata import find_title

    opening = (
        "　—2017年2月11日在海拉尔区第十四届人民代表大会第六次会议上 \n\n　　海拉尔区人民政府代区长 杨国宏\n各位代表:\n"
    )
    assert find_title(opening, [], "hailar_2017.txt") == "政府工作报告"
    assert find_title("政 府 工 作 报 告\n\n----2012年2月29日在…会议上\n", [], "h.txt") == "政府工作报告"


def test_a_series_file_is_cut_into_its_years_at_each_title_or_issuer_block() -> None:
    parts = series_parts(CITY_SERIES)
    assert [y for _at, y in parts] == [2024, 2023]
    assert CITY_SERIES[parts[1][0] :].startswith("南京市统计局\n国家统计局南京调查队\n2024年3月")
    ministry = series_parts(MINISTRY)
    assert [y for _at, y in ministry] == [2023, 2022]
    assert MINISTRY[ministry[1][0] :].startswith("2022 年度人力资源和社会保障事业发展统计公报")
    assert series_parts(WORK_REPORT) == ()  # one year: no parts
    meta = DocMeta("t", parts=parts)
    assert meta.year_at(0) == 2024 and meta.year_at(parts[1][0]) == 2023 and DocMeta("t").year_at(5) is None
    assert DocMeta.from_dict(meta.to_dict()) == meta
