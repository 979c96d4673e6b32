"""The web chat in a real browser (Debian's chromium driven by Playwright).

The app is served in-process on a free localhost port against a fresh copy of a real index of data/;
screenshots go to $QA_ARTIFACTS or build/screenshots/ (git-ignored; `make screenshots` refreshes the ones kept
in tests/artifacts/, on request only, so a test run never modifies tracked files). Index updates (uploads, removals) are
awaited through their final status message (class qa-status-final), never a fixed short timer: on a busy
machine they take seconds.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from qa_web_fixtures import bundled_index, copy_index

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSWER_TIMEOUT = 60_000  # an answer takes milliseconds; this only bounds a hang on a loaded machine
INDEX_TIMEOUT = 300_000  # an index update (embedding, rebuilding BM25, reloading) on a loaded machine
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REPORT = "xixia_cppcc_2024_highlights.txt"
NEW_FACT = "2024年，西夏区在镇北堡新建蔬菜大棚358座，带动周边农户人均增收2600元。"


def artifacts_dir() -> Path:
    out = Path(os.environ.get("QA_ARTIFACTS") or ROOT / "build" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    """A copy of the real index of data/ served on 127.0.0.1:<free port> for the whole module."""
    need_chromium()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from qa.web.app import create_app, launch_app

    base = tmp_path_factory.mktemp("ui")
    index_dir = copy_index(bundled_index(tmp_path_factory), base / "index")
    demo = create_app(index_dir)
    port = free_port()
    launch_app(demo, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        yield {"url": f"http://127.0.0.1:{port}/", "index": index_dir, "base": base}
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield b
        b.close()


def open_page(browser, server, viewport: dict | None = None, locale: str = "zh-CN"):
    ctx = browser.new_context(viewport=viewport or {"width": 1400, "height": 950}, locale=locale)
    pg = ctx.new_page()
    pg.set_default_timeout(ANSWER_TIMEOUT)
    pg.goto(server["url"])
    pg.wait_for_selector("#qa-box textarea")
    return pg


@pytest.fixture
def page(browser, server, request):
    pg = open_page(browser, server)
    yield pg
    name = re.sub(r"\W+", "_", request.node.name)
    pg.screenshot(path=str(artifacts_dir() / f"{name}-final.png"), full_page=True)
    pg.context.close()


def ask(page, question: str) -> object:
    """Type `question`, press Enter and return the locator of its answer."""
    before = page.locator(".qa-answer.qa-done").count()
    page.fill("#qa-box textarea", question)
    page.press("#qa-box textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('.qa-answer.qa-done').length > {before}")
    return page.locator(".qa-answer.qa-done").nth(before)


def shot(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(artifacts_dir() / f"{name}.png"), full_page=full_page)


def docs_tab(page) -> None:
    page.locator("button[role=tab]").nth(1).click()
    page.locator("#qa-doc-table").wait_for(state="visible")


def chat_tab(page) -> None:
    page.locator("button[role=tab]").nth(0).click()
    page.locator("#qa-box textarea").wait_for(state="visible")


def final_status(page):
    """Wait for the current index operation's final message (after its busy message) and return it."""
    status = page.locator("#qa-doc-status .qa-status-final")
    status.wait_for(state="visible", timeout=INDEX_TIMEOUT)
    return status


def forget_status(page) -> None:
    page.evaluate("document.querySelectorAll('#qa-doc-status .qa-status').forEach(e => e.remove())")


def upload(page, *paths: Path) -> str:
    """Upload files in the Documents tab, wait until the index update is done, return the status message."""
    docs_tab(page)
    forget_status(page)
    page.set_input_files("#qa-upload input[type=file]", [str(p) for p in paths])
    return final_status(page).inner_text()


def remove(page, name: str) -> str:
    """Remove a document in the Documents tab, wait until the index update is done, return the status."""
    docs_tab(page)
    forget_status(page)
    page.locator("#qa-remove-choice input").click()
    page.get_by_role("option", name=name).click()
    page.once("dialog", lambda d: d.accept())
    page.locator("#qa-remove").click()
    return final_status(page).inner_text()


def filter_options(page):
    """Open the document filter's list (from a blurred state, so the click opens it) and return its options."""
    page.locator("#qa-header").click()
    page.locator("#qa-doc-filter input").click()
    options = page.get_by_role("option")
    options.first.wait_for(state="visible")
    return options


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_chinese_question_shows_answer_and_highlighted_snippet(page):
    from playwright.sync_api import expect

    answer = ask(page, "提案立案了多少件？")
    expect(answer).to_contain_text("41件")
    expect(answer.locator(".qa-meta .qa-ico-clock")).to_be_visible()  # latency is shown
    expect(answer.locator(".qa-meta")).to_contain_text(" ms")
    mark = page.locator("#qa-sources-box .qa-turn.active mark").first
    expect(mark).to_be_visible()
    expect(mark).to_contain_text("41件")
    card = page.locator("#qa-sources-box .qa-turn.active .qa-src").first
    expect(card).to_contain_text(REPORT)
    expect(card).to_contain_text("西夏区政协2024年亮点工作巡礼")  # the document's title, then its file name
    shot(page, "zh-answer")
    answer.locator("a.qa-cite").first.click()
    expect(card).to_be_in_viewport()
    expect(card).to_have_class(re.compile("qa-flash"))


def test_only_the_cited_passage_is_highlighted_strongly(page):
    from playwright.sync_api import expect

    answer = ask(page, "报送社情民意信息多少篇？")
    expect(answer).to_contain_text("64篇")
    turn = page.locator("#qa-sources-box .qa-turn.active")
    strong = turn.locator("mark:not(.qa-faint)")
    expect(strong).to_have_count(1)
    expect(strong).to_contain_text("64篇")
    uncited = turn.locator(".qa-src-uncited")
    if uncited.count():  # the card the answer does not cite is faint, its span not strongly marked
        assert uncited.first.locator("mark:not(.qa-faint)").count() == 0
        bg = uncited.first.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert bg in ("rgba(0, 0, 0, 0)", "transparent"), bg


def test_clicking_an_older_answer_brings_back_its_sources(page):
    from playwright.sync_api import expect

    first = ask(page, "提案立案了多少件？")
    expect(first).to_contain_text("41件")
    second = ask(page, "协商增补委员多少名？")
    expect(second).to_contain_text("16")
    panel = page.locator("#qa-sources-box .qa-turn.active")
    expect(panel).to_have_id("qa-turn-2")
    first.locator(".qa-answer-text").click()
    expect(panel).to_have_id("qa-turn-1")
    second.locator("a.qa-cite").first.click()
    expect(panel).to_have_id("qa-turn-2")
    expect(panel.locator(".qa-src").first).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_a_follow_up_dialogue_is_answered_in_the_chat(browser, server, viewport):
    """The question, a follow-up with its subject left out, and one with a pronoun: each answered right, the
    follow-ups saying how they were read."""
    pg = open_page(browser, server, viewport)
    try:
        first = ask(pg, "全年开展了多少次专题学习？")
        assert "32次" in first.inner_text() and "理解" not in first.inner_text()
        second = ask(pg, "那交流研讨呢？")
        assert "8次" in second.inner_text() and "按“" in second.locator(".qa-read-as").inner_text()
        third = ask(pg, "它们分别是多少次？")
        text = third.inner_text()
        assert "32次" in text and "8次" in text and "专题学习和交流研讨" in third.locator(".qa-read-as").inner_text()
        name = "desktop" if viewport["width"] > 400 else "phone"
        shot(pg, f"{name}-follow-up-dialogue", full_page=True)
        assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        pg.context.close()


def test_the_conversation_survives_a_reload_until_it_is_cleared(page):
    """A reload brings the conversation back from the browser's storage, sources included; "clear" empties it."""
    from playwright.sync_api import expect

    ask(page, "提案立案了多少件？")
    ask(page, "那交流研讨呢？")
    page.reload()
    page.wait_for_selector("#qa-box textarea")
    answers = page.locator(".qa-answer.qa-done")
    expect(answers).to_have_count(2)
    expect(answers.nth(0)).to_contain_text("41件")
    expect(answers.nth(1).locator(".qa-read-as")).to_contain_text("交流研讨")
    expect(page.locator("#qa-sources-box .qa-turn.active mark").first).to_be_visible()
    answers.nth(0).locator("a.qa-cite").first.click()  # an older answer's [n] still finds its passage
    expect(page.locator("#qa-sources-box .qa-turn.active mark").first).to_contain_text("41件")
    third = ask(page, "它们分别是多少件？")  # the restored turns are the history a follow-up reads
    expect(third.locator(".qa-read-as")).to_be_visible()
    page.click("#qa-clear")
    expect(page.locator(".qa-answer.qa-done")).to_have_count(0)
    page.reload()
    page.wait_for_selector("#qa-box textarea")
    page.wait_for_timeout(1500)  # the restore event has run by now
    expect(page.locator(".qa-answer.qa-done")).to_have_count(0)


def test_each_answer_copies_itself_and_its_sources(page):
    from playwright.sync_api import expect

    answer = ask(page, "提案立案了多少件？")
    button = answer.locator("button.qa-copy")
    expect(button).to_be_visible()
    expect(button).to_have_text("复制", use_inner_text=True)
    button.click()
    expect(button).to_have_text("已复制", use_inner_text=True)
    copied = page.evaluate("window.__qaLastCopy")
    assert copied.startswith("提案立案了多少件？\n") and "41件" in copied
    assert "\n[1] 《以实干实效书写高质量履职答卷——西夏区政协2024年亮点工作巡礼》" in copied and "立案41件" in copied
    label = page.locator('[data-testid="bot"]').last.get_attribute("aria-label") or ""
    assert "41件" in label and "复制" not in label and "立案41件" not in label  # read out: the answer, not the copy


def _contrast(fg: str, bg: str) -> float:
    def lum(rgb: str) -> float:
        vals = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in vals]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_page_is_labelled_readable_and_capped(page):
    """Defects: <html lang="en"> on a Chinese page, the box announced as "Textbox", secondary text at 2.45:1 and
    [n] markers at 3.99:1, and no length cap on the question box."""
    answer = ask(page, "提案立案了多少件？")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    box = page.locator("#qa-box textarea")
    assert box.get_attribute("maxlength") == "2000"
    assert (
        page.evaluate(
            "(el) => el.labels && el.labels.length ? el.labels[0].textContent : el.getAttribute('aria-label')",
            box.element_handle(),
        ).strip()
        == "问题"
    )
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for selector in (".qa-meta", "#qa-header .qa-sub"):
        color = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).color")
        assert _contrast(color, page_bg) >= 4.5, (selector, color, page_bg)
    cite = answer.locator("a.qa-cite").first
    fg, bg = cite.evaluate("(el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert _contrast(fg, bg) >= 4.5, (fg, bg)
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("document.documentElement.lang === 'en'")


def test_english_example_is_one_click_away(page):
    from playwright.sync_api import expect

    before = page.locator(".qa-answer.qa-done").count()
    page.get_by_role("button", name="How many proposals were filed?").click()
    page.wait_for_function(f"document.querySelectorAll('.qa-answer.qa-done').length > {before}")
    answer = page.locator(".qa-answer.qa-done").last
    expect(answer).to_contain_text("41")
    expect(page.locator("#qa-sources-box .qa-turn.active mark").first).to_be_visible()
    shot(page, "en-answer")


def test_unanswerable_question_is_marked_not_found(page):
    from playwright.sync_api import expect

    answer = ask(page, "火星有几颗卫星？")
    expect(answer).to_have_class(re.compile("qa-abstain"))
    expect(answer).to_contain_text("未找到")
    shot(page, "not-found")


def test_switching_language_re_renders_the_answers_on_screen(page):
    """Defect: after the toggle, answers and cards on screen kept their old language."""
    from playwright.sync_api import expect

    answer = ask(page, "提案立案了多少件？")
    expect(answer.locator(".qa-meta")).to_contain_text("1 个出处")
    page.get_by_text("English", exact=True).click()
    expect(page.locator("#qa-send")).to_have_text("Send")
    meta = page.locator(".qa-answer.qa-done .qa-meta").first
    expect(meta).to_contain_text("1 source ·")  # singular, and no longer Chinese
    expect(meta).not_to_contain_text("出处")
    expect(page.locator(".qa-sources-title")).to_have_text("Sources")
    expect(page.locator("#qa-sources-box .qa-src").first).to_contain_text("relevance")
    expect(page.locator("#qa-header .qa-info")).to_contain_text("1 document · ")
    shot(page, "english-ui")
    page.get_by_text("中文", exact=True).click()
    expect(page.locator(".qa-answer.qa-done .qa-meta").first).to_contain_text("1 个出处")


def test_the_chat_label_never_covers_a_message(page):
    """Defect: the floating “对话” label overlapped the top message once the chat scrolled."""
    for q in [
        "提案立案了多少件？",
        "协商增补委员多少名？",
        "报送社情民意信息多少篇？",
        "火星有几颗卫星？",
        "提案办理资金是多少？",
    ]:
        ask(page, q)
    covered = page.evaluate(
        """async () => {
          const all = [document.querySelector('#qa-chat'), ...document.querySelectorAll('#qa-chat *')];
          const scroller = all
            .filter(e => e.scrollHeight > e.clientHeight + 20 && getComputedStyle(e).overflowY !== 'visible')
            .sort((a, b) => (b.scrollHeight - b.clientHeight) - (a.scrollHeight - a.clientHeight))[0];
          if (!scroller) return ['the chat does not scroll'];
          const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const out = new Set();
          for (let top = 0; top <= scroller.scrollHeight - scroller.clientHeight; top += 15) {
            scroller.scrollTop = top;
            await frame();
            const view = scroller.getBoundingClientRect();
            for (const m of document.querySelectorAll('#qa-chat .message')) {
              const r = m.getBoundingClientRect();
              const y0 = Math.max(r.top, view.top) + 2, y1 = Math.min(r.bottom, view.bottom) - 2;
              for (let y = y0; y <= y1; y += 6) {
                for (let x = r.left + 2; x <= r.right - 2; x += 8) {
                  const hit = document.elementFromPoint(x, y);
                  if (hit && !m.contains(hit) && !hit.contains(m)) out.add(hit.outerHTML.slice(0, 80));
                }
              }
            }
          }
          return [...out];
        }"""
    )
    assert covered == [], covered


def test_phone_width_nothing_overflows(browser, server):
    """Defect: at 390x844 the page grew to 493 px after an answer (the Documents tab to 666 px)."""
    from playwright.sync_api import expect

    pg = open_page(browser, server, PHONE)
    try:
        assert page_width(pg) <= PHONE["width"]
        answer = ask(pg, "提案立案了多少件？")
        expect(answer).to_contain_text("41件")
        expect(pg.locator("#qa-sources-box .qa-turn.active mark").first).to_be_visible()
        assert page_width(pg) <= PHONE["width"]
        for sel in ["#qa-lang label", "#qa-clear", "#qa-send", "#qa-chat .message", "#qa-doc-filter", ".qa-src"]:
            for box in [el.bounding_box() for el in pg.locator(sel).all()]:
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (sel, box)
        emoji = re.compile("[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]")
        assert not emoji.findall(pg.evaluate("document.body.innerText"))  # icons are drawn, not emoji
        shot(pg, "phone-zh-answer")
        shot(pg, "phone-zh-answer-full", full_page=True)
        docs_tab(pg)
        expect(pg.locator("#qa-doc-table")).to_contain_text(REPORT)
        assert page_width(pg) <= PHONE["width"]
        shot(pg, "phone-documents", full_page=True)
    finally:
        pg.context.close()


def test_the_question_box_filter_and_examples_are_in_view_and_the_placeholder_whole(browser, server):
    """Defect: at 1280×800 the document filter and the examples sat below the fold; on a phone in English the
    placeholder was cut off after its first line."""
    pg = open_page(browser, server, {"width": 1280, "height": 800})
    try:
        for sel in ("#qa-box", "#qa-doc-filter", "#qa-examples button"):
            box = pg.locator(sel).first.bounding_box()
            assert box and box["y"] + box["height"] <= 800, (sel, box)
    finally:
        pg.context.close()
    pg = open_page(browser, server, PHONE, locale="en-US")
    try:
        pg.locator("#qa-lang label").nth(1).click()
        box = pg.locator("#qa-box textarea")
        box.wait_for(state="visible")
        pg.wait_for_function("document.querySelector('#qa-box textarea').placeholder.startsWith('Ask')")
        assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth")
    finally:
        pg.context.close()


def test_desktop_layout_width_is_the_same_on_both_tabs(browser, server):
    """Defect: the Documents tab narrowed the page (1280 -> 965 px) and everything shifted sideways."""
    from playwright.sync_api import expect

    pg = open_page(browser, server, DESKTOP)
    try:
        width = "document.querySelector('.gradio-container').getBoundingClientRect().width"
        left = "document.querySelector('#qa-tabs').getBoundingClientRect().left"
        expect(ask(pg, "提案立案了多少件？")).to_contain_text("41件")
        expect(pg.locator("#qa-sources-box .qa-turn.active mark").first).to_be_visible()
        on_chat = (pg.evaluate(width), pg.evaluate(left))
        assert page_width(pg) <= DESKTOP["width"]
        shot(pg, "desktop-zh-answer")
        docs_tab(pg)
        assert (pg.evaluate(width), pg.evaluate(left)) == on_chat
        assert on_chat[0] >= DESKTOP["width"] - 20
        shot(pg, "desktop-documents")
    finally:
        pg.context.close()


def test_upload_zone_follows_the_toggle_not_the_browser(browser, server):
    """Defect: Gradio's “Drop File Here” followed the browser language, not the toggle."""
    from playwright.sync_api import expect

    from qa.web.text import t

    pg = open_page(browser, server, locale="en-US")
    try:
        docs_tab(pg)
        zone = pg.locator("#qa-upload [data-testid='upload-text']")
        after = "el => getComputedStyle(el, '::after').content"
        assert t("zh", "drop_here") in zone.evaluate(after)
        assert zone.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") == 0  # Gradio's words hidden
        pg.get_by_text("English", exact=True).click()
        expect(pg.locator("#qa-upload")).to_have_class(re.compile("qa-lang-en"))
        assert t("en", "drop_here") in zone.evaluate(after)
    finally:
        pg.context.close()


def test_uploaded_document_can_be_asked_about_at_once(page, server):
    from playwright.sync_api import expect

    doc = server["base"] / "greenhouses.txt"
    doc.write_text(NEW_FACT + "\n", encoding="utf-8")
    status = upload(page, doc)
    assert "greenhouses.txt" in status and "已添加" in status, status
    expect(page.locator("#qa-doc-status .qa-status-ok")).to_be_visible()
    table = page.locator("#qa-doc-table")
    expect(table).to_contain_text("greenhouses.txt")
    expect(table).to_contain_text(REPORT)  # nothing indexed before is lost
    assert (server["index"] / "documents" / "greenhouses.txt").is_file()
    shot(page, "docs-after-upload")
    chat_tab(page)
    options = filter_options(page)  # the filter's choices follow the upload on this page
    expect(options.filter(has_text="greenhouses.txt")).to_have_count(1)
    page.keyboard.press("Escape")
    answer = ask(page, "镇北堡新建蔬菜大棚多少座？")
    expect(answer).to_contain_text("358")
    expect(page.locator("#qa-sources-box .qa-turn.active")).to_contain_text("greenhouses.txt")
    shot(page, "new-doc-answer")


def test_the_document_filter_limits_the_search(page):
    """The filter lists every indexed document (the upload above included) and limits what is searched."""
    from playwright.sync_api import expect

    options = filter_options(page)
    expect(options.filter(has_text="greenhouses.txt")).to_have_count(1)
    expect(options.filter(has_text=REPORT)).to_have_count(1)
    expect(options.filter(has_text="西夏区政协2024年亮点工作巡礼")).to_have_count(1)  # titles are shown
    options.filter(has_text="greenhouses.txt").click()
    page.keyboard.press("Escape")
    answer = ask(page, "提案立案了多少件？")  # only in the report, which is not searched now
    expect(answer).not_to_contain_text("41件")
    expect(answer).to_contain_text("greenhouses")  # the not-found answer names what was searched
    expect(page.locator("#qa-sources-box .qa-turn.active")).not_to_contain_text(REPORT)
    shot(page, "filtered-answer")
    page.reload()
    page.wait_for_selector("#qa-box textarea")
    expect(page.locator(".qa-answer.qa-done")).to_have_count(1)  # the conversation is kept, not the filter
    expect(ask(page, "提案立案了多少件？")).to_contain_text("41件")  # a fresh page searches everything


def test_binary_upload_shows_a_clear_message_and_leaves_nothing_behind(page, server):
    import gradio as gr
    from playwright.sync_api import expect

    name = f"photo-{uuid.uuid4().hex[:8]}.txt"
    blob = server["base"] / name
    blob.write_bytes(bytes(range(256)) * 8)
    status = upload(page, blob)
    assert "无法添加" in status and name in status and "二进制文件" in status, status
    expect(page.locator("#qa-doc-status .qa-status-error")).to_be_visible()
    expect(page.locator("#qa-doc-table")).to_contain_text(REPORT)
    assert not list(Path(gr.utils.get_upload_folder()).rglob(name))  # the rejected upload is deleted
    shot(page, "binary-upload")
    exe = server["base"] / "setup.exe"
    exe.write_bytes(b"MZ\x90\x00" * 64)
    assert "不支持的文件类型" in upload(page, exe)


def test_hidden_files_are_not_indexed(page, server):
    from playwright.sync_api import expect

    hidden = server["base"] / ".hidden.txt"
    hidden.write_text("这份隐藏文档记录了新建水库7座。\n", encoding="utf-8")
    status = upload(page, hidden)
    assert ".hidden.txt" in status and "隐藏文件" in status, status
    expect(page.locator("#qa-doc-table")).not_to_contain_text(".hidden.txt")
    assert not (server["index"] / "documents" / ".hidden.txt").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(page, server):
    """Gradio's own refusal was a toast in the browser's language; ours is in the interface language."""
    import gradio as gr
    from playwright.sync_api import expect

    from qa.web.documents import MAX_UPLOAD_MB

    name = f"huge-{uuid.uuid4().hex[:8]}.txt"
    big = server["base"] / name
    with big.open("wb") as f:
        f.truncate(MAX_UPLOAD_MB * 1024 * 1024 + 1)
    docs_tab(page)
    page.set_input_files("#qa-upload input[type=file]", str(big))
    refusal = page.locator("#qa-upload-refusal .qa-status-error")
    expect(refusal).to_contain_text(name)
    expect(refusal).to_contain_text("文件过大")
    expect(page.locator(".toast-item")).to_have_count(0)  # no Gradio toast in the browser's language
    assert not list(Path(gr.utils.get_upload_folder()).rglob(name))
    big.unlink()


def test_remove_a_document(page, server):
    from playwright.sync_api import expect

    doc = server["base"] / "to_remove.md"
    doc.write_text("# 临时文档\n\n这份临时文档记录了银川市新增口袋公园19个。\n", encoding="utf-8")
    assert "已添加" in upload(page, doc)
    status = remove(page, "to_remove.md")
    assert "已移除" in status, status
    expect(page.locator("#qa-doc-table")).not_to_contain_text("to_remove.md")
    expect(page.locator("#qa-doc-table")).to_contain_text(REPORT)
    assert not (server["index"] / "documents" / "to_remove.md").exists()
    chat_tab(page)
    options = filter_options(page)  # the document filter follows the removal
    expect(options.filter(has_text=REPORT)).to_have_count(1)
    expect(options.filter(has_text="to_remove.md")).to_have_count(0)
    page.keyboard.press("Escape")


def test_two_users_ask_at_the_same_time(browser, server):
    from playwright.sync_api import expect

    pages = [open_page(browser, server, {"width": 1200, "height": 800}) for _ in range(2)]
    for pg, q in zip(pages, ["提案立案了多少件？", "协商增补委员多少名？"], strict=True):
        pg.fill("#qa-box textarea", q)
    for pg in pages:
        pg.press("#qa-box textarea", "Enter")
    expect(pages[0].locator(".qa-answer.qa-done").last).to_contain_text("41件")
    expect(pages[1].locator(".qa-answer.qa-done").last).to_contain_text("16")
    for pg in pages:
        pg.context.close()


def test_questions_are_answered_while_the_index_is_updated(browser, server):
    from playwright.sync_api import expect

    big = server["base"] / "warehouses.txt"
    lines = (f"第{i}号仓库存放了{i * 7}吨救灾物资，由第{i % 9 + 1}队负责看管。\n" for i in range(1, 1500))
    big.write_text("".join(lines), encoding="utf-8")
    admin = open_page(browser, server, {"width": 1200, "height": 800})
    user = open_page(browser, server, {"width": 1200, "height": 800})
    docs_tab(admin)
    forget_status(admin)
    admin.evaluate(  # record whether the busy message shows while the update runs
        """() => { window.__qaBusy = false;
          new MutationObserver(() => { if (document.querySelector('#qa-doc-status .qa-status-busy'))
            window.__qaBusy = true; }).observe(document.body, { subtree: true, childList: true }); }"""
    )
    admin.set_input_files("#qa-upload input[type=file]", str(big))
    with contextlib.suppress(Exception):  # best effort: the screenshot of the progress
        admin.locator("#qa-doc-status .qa-status-busy").wait_for(timeout=10_000)
        shot(admin, "docs-indexing-progress")
    answers = [ask(user, "提案立案了多少件？") for _ in range(3)]  # asked while the upload is indexed
    for answer in answers:
        expect(answer).to_contain_text("41件")
    shot(user, "answer-during-reindex")
    status = final_status(admin)
    expect(status).to_contain_text("warehouses.txt")
    expect(status).to_contain_text("已添加")
    assert admin.evaluate("window.__qaBusy"), "no progress was shown during the update"
    expect(ask(user, "第1234号仓库存放了多少吨救灾物资？")).to_contain_text("8638")
    for pg in (admin, user):
        pg.context.close()


def test_a_build_made_outside_the_app_is_picked_up(page, server):
    """Defect: an index rebuilt by `qa build` while `qa serve` ran was not used until a restart."""
    from playwright.sync_api import expect

    from qa.index import build
    from qa.web.actions import index_summary

    outside = server["base"] / "outside"
    outside.mkdir()
    (outside / "reservoirs.txt").write_text("2024年，西夏区新建抗旱水窖126处。\n", encoding="utf-8")
    header = page.locator("#qa-header .qa-info")
    expect(header).to_have_text(index_summary(server["index"], "zh")[0])  # the page has synced once
    filter_options(page).filter(has_text=REPORT).click()
    page.keyboard.press("Escape")
    picked = page.locator("#qa-doc-filter .token")
    expect(picked).to_have_count(1)
    build.add_documents(server["index"], [outside / "reservoirs.txt"])  # not through the app: like `qa build`
    after = index_summary(server["index"], "zh")[0]
    expect(header).to_have_text(after, timeout=INDEX_TIMEOUT)  # the page refreshes on its own
    expect(picked).to_have_count(1)  # the filter survives the reload
    expect(picked).to_contain_text(REPORT)
    expect(filter_options(page).filter(has_text="reservoirs.txt")).to_have_count(1)  # and lists the new one
    page.keyboard.press("Escape")
    expect(ask(page, "提案立案了多少件？")).to_contain_text("41件")  # still limited, still answered
    page.reload()
    page.wait_for_selector("#qa-box textarea")
    expect(page.locator(".qa-answer.qa-done")).to_have_count(1)  # the conversation comes back first
    expect(ask(page, "西夏区新建抗旱水窖多少处？")).to_contain_text("126")


def test_login_page_is_bilingual(browser, tmp_path):
    """Gradio's login page follows the browser language; ours shows both languages whatever the browser. A wrong
    password keeps the user name typed."""
    from playwright.sync_api import expect

    from qa.web.app import create_app, launch_app
    from qa.web.state import AssistantHolder

    holder = AssistantHolder(tmp_path / "idx", loader=lambda p: None)
    demo = create_app(tmp_path / "idx", holder=holder, preload=False, watch=False)
    port = free_port()
    launch_app(demo, port=port, auth=("alice", "s3cret"), block=False, quiet=True)
    try:
        for locale in ("en-US", "zh-CN"):
            ctx = browser.new_context(viewport=PHONE, locale=locale)
            pg = ctx.new_page()
            pg.goto(f"http://127.0.0.1:{port}/")
            pg.wait_for_selector("input[type=password]")
            after = "el => getComputedStyle(el, '::after').content"
            texts = [pg.locator(sel).first.evaluate(after) for sel in ("h2", "[data-testid=block-info]", "button")]
            texts.append(pg.locator("[data-testid=block-info]").nth(1).evaluate(after))
            joined = " ".join(texts)
            for words in ("登录", "Sign in", "用户名", "User name", "密码", "Password"):
                assert words in joined, (locale, joined)
            pg.locator("input[type=text]").fill("alice")
            pg.locator("input[type=password]").fill("wrong")
            pg.locator("button").first.click()
            creds = pg.locator("p.creds")
            creds.wait_for(state="visible")
            assert "Incorrect" in creds.evaluate(after) and "不正确" in creds.evaluate(after)
            expect(pg.locator("input[type=text]")).to_have_value("alice")  # only the password is typed again
            assert page_width(pg) <= PHONE["width"]
            shot(pg, f"login-{locale}")
            ctx.close()
    finally:
        demo.close()


def test_removing_a_bundled_document_keeps_the_chat_working(page, server):
    """Runs last: removes data/'s report from the index (the file itself stays where it is)."""
    from playwright.sync_api import expect

    status = remove(page, REPORT)
    assert "已移除" in status, status
    expect(page.locator("#qa-doc-table")).not_to_contain_text(REPORT)
    # the removal is recorded in the manifest, so the file left in data/ does not make the index stale
    expect(page.locator("#qa-header .qa-info")).not_to_contain_text("不一致")
    assert (ROOT / "data" / REPORT).is_file()
    chat_tab(page)
    expect(ask(page, "镇北堡新建蔬菜大棚多少座？")).to_contain_text("358")
    shot(page, "after-removing-bundled-doc")
