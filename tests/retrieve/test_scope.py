"""Which reports a question is about, from the places, years and organisations it names."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.errors import InputError
from qa.ingest.metadata import DocMeta
from qa.retrieve.scope import describe_scope, find_scope, pick_documents

METAS = {
    "ah-2026.txt": DocMeta("2026年安徽省政府工作报告", ("安徽省",), ("安徽省", "安徽", "anhui"), ("政府",), (2026,)),
    "ah-2025.txt": DocMeta("2025年安徽省政府工作报告", ("安徽省",), ("安徽省", "安徽", "anhui"), ("政府",), (2025,)),
    "xx.txt": DocMeta("西夏区政协2024年工作巡礼", ("西夏区",), ("西夏区", "西夏", "xixia"), ("政协",), (2024,)),
    "notes.txt": DocMeta("notes", (), (), (), (), ("西夏",)),
}


def test_a_place_chooses_its_reports() -> None:
    scope = find_scope("安徽粮食产量是多少？", METAS)
    assert scope.sources == ("ah-2025.txt", "ah-2026.txt") and "安徽" in scope.named


def test_a_year_narrows_reports_of_the_same_place() -> None:
    assert find_scope("2025年安徽省政府工作报告提到的粮食产量？", METAS).sources == ("ah-2025.txt",)


def test_english_names_and_possessives() -> None:
    assert find_scope("What was Anhui's grain output?", METAS).sources == ("ah-2025.txt", "ah-2026.txt")
    assert find_scope("Who chairs the Xixia CPPCC?", METAS).sources == ("notes.txt", "xx.txt")


def test_a_document_about_no_place_joins_when_it_mentions_the_named_one() -> None:
    assert find_scope("西夏区有多少个社区？", METAS).sources == ("notes.txt", "xx.txt")
    # naming the organisation narrows to the report by it
    assert find_scope("西夏区政协有多少委员？", METAS).sources == ("xx.txt",)


def test_no_place_means_every_document() -> None:
    assert find_scope("粮食产量是多少？", METAS).sources is None


def test_a_province_no_report_is_about_is_remembered() -> None:
    scope = find_scope("青海省的粮食产量是多少？", METAS)
    assert scope.sources is None and scope.unknown_places == ("青海",)


def test_documents_by_hand_and_their_description() -> None:
    scope = pick_documents(["xx"], METAS)
    assert scope.sources == ("xx.txt",)
    assert describe_scope(scope, "zh") == "《西夏区政协2024年工作巡礼》"
    assert describe_scope(scope, "en") == "“西夏区政协2024年工作巡礼”"
    with pytest.raises(InputError):
        pick_documents(["missing"], METAS)


NATIONAL = {
    **{s: replace(m, results=(m.years[0] - 1,)) for s, m in METAS.items() if m.years},
    "drugs.txt": DocMeta(
        "2024年药品流通行业运行统计分析报告",
        mentions=("安徽",),
        genre="统计分析报告",
        level="national",
        published=2025,
        results=(2024,),
    ),
}


def test_a_national_document_that_mentions_a_province_is_not_that_provinces_report() -> None:
    assert find_scope("安徽粮食产量是多少？", NATIONAL).sources == ("ah-2025.txt", "ah-2026.txt")
    assert find_scope("安徽2024年粮食产量是多少？", NATIONAL).sources == ("ah-2025.txt",)
    # named by its title, it is searched
    assert "drugs.txt" in (find_scope("药品流通行业运行统计分析报告中安徽的销售额是多少？", NATIONAL).sources or ())


def test_a_romanisation_one_letter_short_of_the_pinyin_names_the_place() -> None:
    metas = {
        **METAS,
        "hl.txt": DocMeta(
            "海拉尔区2017年政府工作报告", ("海拉尔区",), ("海拉尔区", "海拉尔", "hailaer"), ("政府",), (2017,)
        ),
        "hn.txt": DocMeta("2025年河南省政府工作报告", ("河南省",), ("河南省", "河南", "henan"), ("政府",), (2025,)),
    }
    scope = find_scope("How much tourism revenue did Hailar earn in 2016?", metas)
    assert scope.sources == ("hl.txt",) and "hailar" in scope.named  # named as written: the core drops it
    # short romanisations are matched exactly only: Hunan is not Henan
    assert find_scope("What was Hunan's grain output?", metas).sources is None
