"""Fast checks of the web UI's pieces (no browser): rendering, escaping, i18n, login, host, holder swap,
index watching, upload checks."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from qa.errors import IndexProblem, InputError
from qa.types import Answer, Chunk, Citation, Hit
from qa.web.render import (
    Turn,
    documents_html,
    format_ms,
    format_size,
    highlight,
    render_answer,
    render_chat,
    render_sections,
    render_sources_panel,
    render_turn_sources,
)
from qa.web.state import AssistantHolder, is_loopback, parse_auth
from qa.web.text import STRINGS, t, tn

SNIPPET = "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金"


def cited_answer(question: str = "提案立案了多少件？", text: str = "41件[1]", lang: str = "zh") -> Answer:
    s = SNIPPET.index("41件")
    cite = Citation(1, "report.txt", 5230, 5290, SNIPPET, (s, s + 3), 0.91, "提案办理", None, "西夏区政协工作巡礼")
    return Answer(question, text, False, (cite,), {"total": 12.0}, lang, "41件", confidence=0.8)


def not_found(question: str = "今天天气怎么样？") -> Answer:
    chunk = Chunk("c1", "report.txt", 0, 20, "", "body", "2024年3月22日，学习会召开。")
    return Answer(question, "报告中没有找到相关内容", True, hits=(Hit(chunk, 0.2),))


def test_answer_links_each_marker_to_its_snippet():
    html = render_answer(cited_answer(), 12.4, "zh", turn=3)
    assert "41件" in html
    assert '<a class="qa-cite" href="#src-3-1">[1]</a>' in html and "qa-t3" in html
    assert "qa-ico-clock" in html and "12 ms" in html and "80%" in html
    sources = render_turn_sources(cited_answer(), "zh", turn=3)
    assert 'id="src-3-1"' in sources


def test_an_uncertain_answer_is_said_and_styled_apart_from_a_sure_one():
    from dataclasses import replace

    sure = render_answer(cited_answer(), 12.0, "zh", turn=1)
    unsure = render_answer(replace(cited_answer(), confidence=0.47, uncertain=True), 12.0, "zh", turn=1)
    assert "qa-uncertain" in unsure and "qa-uncertain" not in sure
    assert t("zh", "uncertain") in unsure and t("zh", "uncertain") not in sure
    english = render_answer(replace(cited_answer(lang="en"), uncertain=True), 12.0, "en", turn=1)
    assert "Possibly" in english


def test_a_follow_up_shows_how_it_was_read():
    from dataclasses import replace

    html = render_answer(replace(cited_answer("那交流研讨呢？"), read_as="全年开展了多少交流研讨？"), 9.0, "zh", turn=2)
    assert "按“全年开展了多少交流研讨”理解" in html
    assert "理解" not in render_answer(cited_answer(), 9.0, "zh", turn=1)
    gone = replace(not_found("那天气呢？"), read_as="今天天气怎么样？")
    assert "按“今天天气怎么样”理解" in render_answer(gone, 9.0, "zh", turn=3)


def test_an_answer_names_its_document_unless_the_question_named_it():
    from dataclasses import replace

    named = replace(cited_answer(), from_doc="西夏区政协工作巡礼")  # the index holds several, none was named
    assert "出自《西夏区政协工作巡礼》" in render_answer(named, 9.0, "zh", turn=1)
    assert "出自" not in render_answer(cited_answer(), 9.0, "zh", turn=1)
    scoped = render_answer(replace(cited_answer(), searched=("西夏区政协工作巡礼",)), 9.0, "zh", turn=1)
    assert "出自" not in scoped and "仅在《西夏区政协工作巡礼》中查找" in scoped


def test_unknown_markers_stay_plain_text():
    html = render_answer(cited_answer(text="41件[1][7]"), 5, "zh", 1)
    assert "[7]" in html and 'href="#src-1-7"' not in html


def test_not_found_looks_different_from_an_answer():
    zh = render_answer(not_found(), 30, "zh", 1)
    assert "qa-abstain" in zh and "未找到" in zh and "qa-cite" not in zh
    assert "qa-abstain" not in render_answer(cited_answer(), 30, "zh", 1)
    assert "Not found" in render_answer(not_found("weather?"), 30, "en", 1)
    panel = render_turn_sources(not_found(), "zh", 1)
    assert t("zh", "closest") in panel and "学习会召开" in panel


def test_highlight_marks_the_answer_span_and_escapes_document_text():
    text = "a<b>41件</b>&c"
    out = highlight(text, (4, 7))
    assert out == "a&lt;b&gt;<mark>41件</mark>&lt;/b&gt;&amp;c"
    assert highlight("abc", (2, 99)) == "ab<mark>c</mark>"
    assert highlight("abc", (2, 2)) == "abc"
    assert highlight("abc", None) == "abc"


def test_no_markup_from_questions_or_answers_gets_through():
    evil = '<img src=x onerror="alert(1)">'
    html = render_answer(cited_answer(question=evil, text=evil + "[1]"), 1, "en", 1)
    assert "<img" not in html and "&lt;img" in html
    assert "<img" not in render_turn_sources(cited_answer(question=evil), "en", 1)


def test_long_snippets_are_cut_around_the_highlight():
    from qa.web.render import window

    text = "甲" * 1000 + "41件" + "乙" * 1000
    cut, span = window(text, (1000, 1003), limit=100)
    assert len(cut) <= 102 and cut.startswith("…") and cut.endswith("…")
    assert cut[span[0] : span[1]] == "41件"
    assert window("short", (0, 2)) == ("short", (0, 2))
    head, span = window("x" * 500, (0, 0), limit=50)
    assert head == "x" * 50 + "…" and span is None
    ans = Answer("q", "41件[1]", False, (Citation(1, "a.txt", 0, 2003, text, (1000, 1003), 1.0),))
    assert "<mark>41件</mark>" in render_turn_sources(ans, "zh", 1)


def test_sources_show_file_section_location_and_page():
    s = SNIPPET.index("41件")
    cite = Citation(2, "年报.pdf", 100, 180, SNIPPET, (s, s + 3), 0.5, "提案办理", 3)
    ans = Answer("q", "41件[2]", False, (cite,))
    zh = render_turn_sources(ans, "zh", 1)
    assert "年报.pdf" in zh and "§ 提案办理" in zh and "字符 100–180" in zh and "第 3 页" in zh
    assert "<mark>41件</mark>" in zh
    en = render_turn_sources(ans, "en", 1)
    assert "chars 100–180" in en and "page 3" in en


def test_panel_shows_newest_turn_and_keeps_older_ones():
    first = render_turn_sources(cited_answer(), "zh", 1)
    second = render_turn_sources(not_found(), "zh", 2)
    panel = render_sources_panel([first, second], "zh")
    assert panel.index('id="qa-turn-2"') < panel.index('id="qa-turn-1"')
    assert 'class="qa-turn active" id="qa-turn-2"' in panel
    assert 'class="qa-turn" id="qa-turn-1"' in panel
    assert t("en", "sources_empty") in render_sources_panel([], "en")


def test_formatting_helpers():
    assert format_ms(12.4) == "12 ms" and format_ms(1530) == "1.5 s"
    assert format_size(512) == "512 B" and format_size(2048) == "2.0 KB"
    doc = {
        "source": "a.txt",
        "title": "Annual <report>",
        "size": 2048,
        "chunks": 3,
        "indexed_at": "2025-01-02T03:04:05",
    }
    html = documents_html([doc], "en")
    assert [h for h in ("Document", "Size", "Chunks", "Indexed at") if f"<th>{h}</th>" in html] == [
        "Document",
        "Size",
        "Chunks",
        "Indexed at",
    ]
    assert "Annual &lt;report&gt;" in html and "a.txt" in html and "2.0 KB" in html and ">3<" in html
    assert "2025-01-0" in html
    assert "<th>文档</th>" in documents_html([doc], "zh")
    assert t("zh", "docs_none") in documents_html([], "zh")


def test_both_languages_have_every_string():
    assert set(STRINGS["zh"]) == set(STRINGS["en"])
    assert t(None, "send") == "发送" and t("en", "send") == "Send"
    assert t("fr", "send") == "发送"
    assert tn("en", "added", 1, names="a.txt") == "Added: a.txt. You can ask about it right away."
    assert tn("en", "added", 2, names="a.txt, b.txt").endswith("about them right away.")


def test_english_counts_are_singular_for_one():
    """Defect: “1 documents · 38 passages”, “1 sources”."""
    from qa.web.actions import index_summary

    assert tn("en", "n_sources", 1) == "1 source" and tn("en", "n_sources", 2) == "2 sources"
    assert tn("en", "n_docs", 1) == "1 document" and tn("en", "n_chunks", 1) == "1 passage"
    assert tn("zh", "n_sources", 1) == "1 个出处"
    assert "1 source ·" in render_answer(cited_answer(lang="en"), 5, "en", 1)
    assert "1 个出处" in render_answer(cited_answer(), 5, "zh", 1)
    assert t("en", "index_info", docs=tn("en", "n_docs", 1), chunks=tn("en", "n_chunks", 38)) == (
        "1 document · 38 passages indexed"
    )
    assert index_summary(Path("/nonexistent/index"), "en")[1] is False


_EMOJI = re.compile("[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]")


def test_no_emoji_anywhere_in_the_interface():
    """Defect: 📑 📄 ⏱ ✅ ⚠ ❌ 🗑 were empty boxes on a machine without an emoji font."""
    from qa.web.actions import header_html, status_html
    from qa.web.head import HEAD
    from qa.web.style import AUTH_MESSAGE, CSS
    from qa.web.text import EXAMPLES

    texts = [v for table in STRINGS.values() for v in table.values()] + list(EXAMPLES) + [CSS, HEAD, AUTH_MESSAGE]
    for lang in STRINGS:
        texts += [
            render_answer(cited_answer(), 5, lang, 1),
            render_answer(not_found(), 5, lang, 2),
            render_turn_sources(cited_answer(), lang, 1),
            render_turn_sources(not_found(), lang, 2),
            header_html(Path("/nonexistent/index"), lang),
            status_html(["x"], "ok"),
            status_html(["x"], "error"),
            status_html(["x"], "busy"),
            documents_html([{"source": "a.txt", "size": 1, "chunks": 1}], lang),
        ]
    found = sorted({ch for text in texts for ch in _EMOJI.findall(text)})
    assert found == [], found


def test_icons_are_css_masks_for_every_name_used():
    from qa.web.style import CSS, ICONS

    html = render_answer(not_found(), 5, "zh", 1) + render_turn_sources(cited_answer(), "zh", 1)
    used = set(re.findall(r"qa-ico-([a-z]+)", html))
    assert used and used <= set(ICONS)
    for name in ICONS:
        assert f'.qa-ico-{name} {{ --qa-ico: url("data:image/svg+xml,' in CSS


def test_only_the_cited_passage_gets_the_strong_highlight():
    """Defect: passages the answer does not cite were highlighted as strongly as the cited one."""
    s = SNIPPET.index("41件")
    cited = Citation(1, "a.txt", 0, 50, SNIPPET, (s, s + 3), 0.9, title="报告甲")
    other = Citation(2, "a.txt", 60, 110, "报送社情民意信息64篇，被采用23篇。", (0, 12), 0.5, title="报告甲")
    ans = Answer("q", "41件 [1]", False, (cited, other))
    html = render_turn_sources(ans, "zh", 1)
    card1, card2 = html.split('id="src-1-2"')
    assert "<mark>41件</mark>" in card1 and "qa-faint" not in card1
    assert '<mark class="qa-faint">' in card2 and "<mark>" not in card2 and t("zh", "not_cited") in card2
    both = Answer("q", "41件 [1]，64篇 [2]", False, (cited, other))
    assert "qa-faint" not in render_turn_sources(both, "zh", 1)


def test_citation_cards_show_the_document_title_and_file_name():
    html = render_turn_sources(cited_answer(), "zh", 1)
    assert "西夏区政协工作巡礼" in html and "report.txt" in html
    assert html.index("西夏区政协工作巡礼") < html.index("report.txt")
    untitled = Answer("q", "41件[1]", False, (Citation(1, "b.txt", 0, 5, "41件", (0, 3), 1.0),))
    assert render_turn_sources(untitled, "zh", 1).count("b.txt") == 2  # title line (+ tooltip) only


def test_the_whole_conversation_re_renders_in_the_new_language():
    """Defect: answers on screen kept their old language after the toggle (“1 sources · confidence 78%” under 出处)."""
    turns = [Turn("提案立案了多少件？", cited_answer(), 12.0), Turn("今天天气怎么样？", not_found(), 30.0), Turn("x")]
    turns.append(Turn("y", error_key="filter_gone"))
    zh = render_chat(turns, "zh")
    en = render_chat(turns, "en")
    assert [m["role"] for m in zh] == ["user", "assistant"] * 4
    assert "1 个出处" in zh[1]["content"] and "未找到" in zh[3]["content"] and t("zh", "thinking") in zh[5]["content"]
    assert "1 source" in en[1]["content"] and "confidence 80%" in en[1]["content"]
    assert "Not found" in en[3]["content"] and t("en", "thinking") in en[5]["content"]
    assert t("en", "filter_gone") in en[7]["content"]
    ui_words = "个出处|可信度|未找到|正在检索|出错了"
    assert not any(re.search(ui_words, m["content"]) for m in en if m["role"] == "assistant")
    panel = render_sources_panel(render_sections(turns, "en"), "en")
    assert "Sources" in panel and "relevance" in panel and "出处" not in panel and "相关度" not in panel
    assert 'id="qa-turn-2"' in panel and 'id="qa-turn-3"' not in panel  # numbered like the chat's turns


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  ", None), ("alice:s3cret", ("alice", "s3cret")), ("bob:a:b", ("bob", "a:b"))],
)
def test_auth_parsing(value, expected):
    assert parse_auth(value) == expected


@pytest.mark.parametrize("bad", ["alice", "alice:", ":secret"])
def test_bad_auth_is_a_clear_error(bad):
    with pytest.raises(InputError, match="user:password"):
        parse_auth(bad)


def test_loopback_detection():
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        assert not is_loopback(host), host


def test_serve_warns_only_for_public_addresses():
    from qa.cli.serve import public_warning

    assert public_warning("127.0.0.1", None) is None
    assert "QA_AUTH" in public_warning("0.0.0.0", None)
    assert "QA_AUTH" not in public_warning("0.0.0.0", ("a", "b"))


class Slow:
    """A fake assistant whose answers take a while and name their generation."""

    def __init__(self, gen: int) -> None:
        self.gen = gen

    def ask(self, question: str) -> str:
        time.sleep(0.2)
        return f"gen{self.gen}"


def test_index_loads_once_for_many_concurrent_questions(tmp_path: Path):
    holder = AssistantHolder(tmp_path, loader=lambda p: (time.sleep(0.1), Slow(1))[1])
    out: list[str] = []
    threads = [threading.Thread(target=lambda: out.append(holder.get().ask("q"))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert out == ["gen1"] * 8 and holder.loads == 1


def test_reindex_swaps_in_new_assistant_while_inflight_question_finishes(tmp_path: Path):
    gens = iter(range(1, 10))
    holder = AssistantHolder(tmp_path, loader=lambda p: Slow(next(gens)))
    holder.get()
    result: list[str] = []
    inflight = threading.Thread(target=lambda: result.append(holder.get().ask("q")))
    inflight.start()
    time.sleep(0.05)
    holder.reload()
    inflight.join()
    assert result == ["gen1"]  # the question that started before the swap used the old index
    assert holder.get().ask("q") == "gen2" and holder.generation == 2


def test_failed_reload_keeps_the_old_assistant(tmp_path: Path):
    calls = {"n": 0}

    def loader(p):
        calls["n"] += 1
        if calls["n"] > 1:
            raise IndexProblem("corrupt")
        return Slow(1)

    holder = AssistantHolder(tmp_path, loader=loader)
    holder.get()
    with pytest.raises(IndexProblem):
        holder.reload()
    assert holder.get().gen == 1


def test_upload_checks_give_one_line_reasons(tmp_path: Path):
    from qa.web.documents import DocumentManager

    docs = DocumentManager(tmp_path / "idx", tmp_path / "docs", AssistantHolder(tmp_path), max_mb=1)
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x00\x01")
    assert "不支持的文件类型 .exe" in docs.check(exe, "zh")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert docs.check(empty, "en") == "the file is empty"
    big = tmp_path / "big.txt"
    big.write_text("大" * 400_000)
    assert "too large" in docs.check(big, "en")
    result = docs.add([exe, empty], "en")
    assert result.added == [] and [n for n, _ in result.rejected] == ["tool.exe", "empty.txt"]
    assert not (tmp_path / "docs").exists()  # nothing rejected is stored


def test_failed_index_update_restores_the_documents_folder(tmp_path: Path, monkeypatch):
    from qa.web import documents as ui_docs
    from qa.web.documents import DocumentManager

    docs_dir = tmp_path / "docs"
    docs_dir.mkdir()
    (docs_dir / "a.txt").write_text("旧内容", encoding="utf-8")
    new = tmp_path / "up" / "a.txt"
    new.parent.mkdir()
    new.write_text("新内容", encoding="utf-8")
    other = tmp_path / "up" / "b.txt"
    other.write_text("另一个文件", encoding="utf-8")
    docs = DocumentManager(tmp_path / "idx", docs_dir, AssistantHolder(tmp_path))
    monkeypatch.setattr(docs, "check", lambda p, lang: None)

    def boom(stored, progress):
        raise IndexProblem("disk full")

    monkeypatch.setattr(docs, "_index", boom)
    result = docs.add([new, other], "zh")
    assert result.failed == "disk full" and result.added == []
    assert (docs_dir / "a.txt").read_text(encoding="utf-8") == "旧内容"
    assert not (docs_dir / "b.txt").exists()
    assert sorted(p.name for p in docs_dir.iterdir()) == ["a.txt"]
    assert ui_docs.MAX_UPLOAD_MB >= 10


def test_rejection_reasons_are_shown_in_the_interface_language():
    from qa.web.text import reason

    msg = "photo.txt: looks like a binary file, not text"
    assert reason(msg, "zh") == "看起来是二进制文件，不是文本"
    assert reason(msg, "en") == "looks like a binary file, not text"
    assert reason(
        "scan.pdf: the PDF has no extractable text (it may be a scanned image; OCR it first)", "zh"
    ).startswith("PDF 中没有可提取的文字")


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_qa_host_binds_loopback_and_warns_of_nothing(monkeypatch, blank):
    import argparse

    from qa.cli.serve import DEFAULT_HOST, add_arguments, public_warning, resolve_host

    monkeypatch.setenv("QA_HOST", blank)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    host = resolve_host(parser.parse_args([]).host)
    assert host == DEFAULT_HOST and public_warning(host, None) is None
    assert resolve_host(parser.parse_args(["--host", blank]).host) == DEFAULT_HOST


def test_a_question_s_error_is_worded_in_the_interface_language() -> None:
    from qa.errors import InputError
    from qa.web.render import Turn, render_chat
    from qa.web.text import error_text

    try:
        from qa.assistant import check_question

        check_question("？？？")
        raised = ""
    except InputError as exc:
        raised = str(exc)
    assert raised  # the library says it in English (the CLI's words)
    chat = render_chat([Turn("？？？", error=raised)], "zh")
    assert "问题里没有文字" in chat[1]["content"] and "punctuation" not in chat[1]["content"]
    assert "punctuation" in render_chat([Turn("？？？", error=raised)], "en")[1]["content"]
    assert error_text("the question is 4,999 characters long; the limit is 2,000", "zh") == (
        "问题太长（4,999 个字符），上限是 2,000 个字符"
    )
    assert error_text("index /srv/idx is busy: another build or update is running", "zh") == "索引正在更新，请稍后再问"
    assert error_text("something nobody foresaw", "zh") == "something nobody foresaw"
