"""A long chat stays bounded: a session keeps its last turns and sources, its responses stop growing, and memory
stays flat over 2,000 questions (the probe: 800 questions took the server from 798 MB to 3.4 GB)."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

from qa.types import Answer, Citation
from qa.web.documents import DocumentManager
from qa.web.handlers import Handlers
from qa.web.session import MAX_TURNS, SOURCE_TURNS
from qa.web.state import AssistantHolder

SNIPPET = "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。" * 8


class Cited:
    """An assistant whose every answer cites a long passage (as real answers do)."""

    def ask(self, question: str, docs=None, history=()) -> Answer:
        s = SNIPPET.index("41件")
        cite = Citation(1, "report.txt", 0, len(SNIPPET), SNIPPET, (s, s + 3), 0.9, "提案办理", None, "报告")
        return Answer(question, "41件[1]", False, (cite,), {"total": 3.0}, "zh", "41件", confidence=0.8)

    def document_names(self) -> list[str]:
        return ["report.txt"]

    def titles(self) -> dict[str, str]:
        return {"report.txt": "报告"}


def chat(tmp_path: Path) -> Handlers:
    holder = AssistantHolder(tmp_path, loader=lambda p: Cited())
    holder.check_for_update = lambda: None  # no index on disk to look at
    return Handlers(DocumentManager(tmp_path / "idx", tmp_path / "docs", holder))


def ask(handlers: Handlers, turns: list, n: int) -> tuple[list, int]:
    """Ask one question; the turns kept and the size of the final response (what is sent to the browser)."""
    *_, (turns, messages, _box, panel, saved) = handlers.ask(f"第{n}个问题：提案立案了多少件？", turns, "zh", [])
    return turns, len(json.dumps([messages, saved], ensure_ascii=False)) + len(panel)


def test_a_session_keeps_its_last_turns_numbered_on_and_says_so(tmp_path):
    handlers = chat(tmp_path)
    turns: list = []
    for n in range(1, MAX_TURNS + 6):
        turns, _ = ask(handlers, turns, n)
    assert len(turns) == MAX_TURNS and [t.n for t in turns] == list(range(6, MAX_TURNS + 6))
    *_, (_, messages, _, panel, _saved) = handlers.ask("再问一次", turns, "zh", [])
    assert "更早的 6 轮对话已不再保留" in messages[0]["content"]
    assert f"qa-t{MAX_TURNS + 6}" in messages[-1]["content"]  # the newest answer keeps its number
    assert panel.count('<section class="qa-turn') == SOURCE_TURNS


def test_two_thousand_questions_keep_responses_and_memory_flat(tmp_path):
    handlers = chat(tmp_path)
    turns: list = []
    sizes = []
    tracemalloc.start()
    try:
        for n in range(1, 2001):
            turns, size = ask(handlers, turns, n)
            sizes.append(size)
            if n == 200:
                gc.collect()
                at_200 = tracemalloc.get_traced_memory()[0]
        gc.collect()
        at_2000 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert max(sizes[200:]) <= sizes[199] * 1.05  # the response stopped growing once the session was full
    assert at_2000 - at_200 < 2_000_000, (at_200, at_2000)  # flat: no growth with the number of questions


def test_the_browser_copy_follows_each_answer_and_comes_back_on_reload(tmp_path):
    handlers = chat(tmp_path)
    *_, (turns, messages, _box, panel, saved) = handlers.ask("提案立案了多少件？", [], "zh", [])
    restored, shown, shown_panel = handlers.restore(saved, [], "zh")
    assert shown == messages and shown_panel == panel and [t.question for t in restored] == ["提案立案了多少件？"]
    assert handlers.restore(saved, turns, "zh") == (handlers.restore(None, [], "zh"))  # a live session keeps its own
    assert handlers.reset("zh")[-1] == []  # clearing empties the browser's copy too
