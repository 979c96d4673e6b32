"""The conversation kept in the browser (qa.web.history): what a reload brings back, and stored data that does not
parse (it comes from the browser) left out rather than raised."""

from __future__ import annotations

import json
from pathlib import Path

from qa.types import Answer, Chunk, Citation, Hit
from qa.web.history import load_turns, save_turns, storage_key
from qa.web.render import Turn, render_chat, render_sections
from qa.web.session import MAX_TURNS

TEXT = "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。"
CITE = Citation(1, "report.txt", 10, 10 + len(TEXT), TEXT, (17, 20), 0.91, "提案办理", 3, "西夏区政协巡礼")
ANSWERED = Answer(
    "提案立案了多少件？", "41件 [1]", False, (CITE,), lang="zh", span="41件", confidence=0.84,
    searched=("西夏区政协巡礼",), read_as="提案立案了多少件", uncertain=True, from_doc="西夏区2024年巡礼",
)  # fmt: skip
NEAR = Hit(Chunk("c1", "report.txt", 0, 9, "", "body", "全年开展专题学习32次。"), 0.5)
ABSTAINED = Answer("月球上有几座医院？", "报告中没有找到相关内容", True, hits=(NEAR,) * 5, confidence=0.1)


def test_a_reload_brings_back_what_the_chat_and_sources_showed() -> None:
    turns = [
        Turn("提案立案了多少件？", ANSWERED, 12.5, n=1),
        Turn("月球上有几座医院？", ABSTAINED, 8.0, n=2),
        Turn("太长的问题", error_key="too_slow", n=3),
    ]
    stored = json.loads(json.dumps(save_turns(turns)))  # what localStorage holds is JSON
    back = load_turns(stored)
    assert render_chat(back, "zh") == render_chat(turns, "zh")
    assert render_chat(back, "en") == render_chat(turns, "en")
    assert render_sections(back, "zh") == render_sections(turns, "zh")
    assert back[0].answer is not None and back[0].answer.citations == (CITE,)
    assert back[1].answer is not None and len(back[1].answer.hits) == 3  # the nearest passages shown, no more


def test_pending_turns_are_not_kept_and_only_the_last_turns_are() -> None:
    turns = [Turn(f"问题{i}", ANSWERED, 1.0, n=i) for i in range(1, MAX_TURNS + 6)] + [Turn("还在算", n=99)]
    back = load_turns(save_turns(turns))
    assert len(back) == MAX_TURNS and back[-1].n == MAX_TURNS + 5 and not any(t.pending for t in back)


def test_damaged_storage_loses_only_what_does_not_parse() -> None:
    good = save_turns([Turn("提案立案了多少件？", ANSWERED, 12.5, n=1)])
    assert load_turns(None) == [] and load_turns("garbage") == [] and load_turns({"a": 1}) == []
    bad = [{"question": "缺答案"}, {"answer": {"question": 1}}, 7, {"question": "q", "answer": {"answer": "x"}}]
    back = load_turns(bad + good)
    assert [t.question for t in back] == ["提案立案了多少件？"]


def test_each_index_has_its_own_storage_key(tmp_path: Path) -> None:
    assert storage_key(tmp_path / "a") != storage_key(tmp_path / "b")
    assert storage_key(tmp_path / "a") == storage_key(tmp_path / "x" / ".." / "a")
