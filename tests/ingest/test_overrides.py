"""A user corrects a document's title or place in qa-metadata.json beside it, without editing it (qa.ingest.overrides):
the correction reaches scoping, citations and the Documents list; a damaged file is named and ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.index.build import build_index
from qa.ingest.metadata import DocMeta
from qa.ingest.overrides import FILE, apply_override, read_overrides

REPORT = "政府工作报告\n\n过去一年，全区新增就业岗位3200个，城镇登记失业率控制在3.5%以内。\n"


def test_a_corrected_place_brings_its_short_name_and_pinyin() -> None:
    meta = apply_override(DocMeta("政府工作报告"), {"title": "海拉尔区2017年政府工作报告", "places": ["海拉尔区"],
                                                   "published": 2017, "results": [2016], "level": 7})  # fmt: skip
    assert meta.title == "海拉尔区2017年政府工作报告" and meta.places == ("海拉尔区",)
    assert {"海拉尔区", "海拉尔"} <= set(meta.aliases) and meta.published == 2017 and meta.results == (2016,)
    assert meta.level == ""  # a value of the wrong type is ignored


def test_a_damaged_file_is_named_and_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / FILE).write_text("{not json", encoding="utf-8")
    assert read_overrides([tmp_path]) == {}
    assert FILE in capsys.readouterr().err


def test_the_correction_reaches_scoping_and_citations(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "r2017.txt").write_text(REPORT, encoding="utf-8")
    (docs / "other.txt").write_text("某县2017年新增就业岗位1200个。\n", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index, Settings(embedder="fake"))
    fix = {"r2017.txt": {"title": "海拉尔区2017年政府工作报告", "places": ["海拉尔区"]}}
    (docs / FILE).write_text(json.dumps(fix, ensure_ascii=False), encoding="utf-8")
    a = Assistant.load(index, Settings(embedder="fake", abstain_threshold=0.0))
    assert a.data.metas["r2017.txt"].title == "海拉尔区2017年政府工作报告"
    assert a.scope("海拉尔区新增就业岗位多少个？").sources == ("r2017.txt",)
    ans = a.ask("海拉尔区新增就业岗位多少个？")
    assert ans.citations and ans.citations[0].title == "海拉尔区2017年政府工作报告"
