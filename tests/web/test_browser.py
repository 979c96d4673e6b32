"""The web chat in a real browser (Debian's chromium driven by Playwright).

The app is served in-process on a free localhost port against a fresh index of data/; screenshots
go to $QA_ARTIFACTS or tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

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
ANSWER_TIMEOUT = 60_000
NEW_FACT = "2024年，西夏区在镇北堡新建蔬菜大棚358座，带动周边农户人均增收2600元。"


def artifacts_dir() -> Path:
    out = Path(os.environ.get("QA_ARTIFACTS") or ROOT / "tests" / "artifacts")
    out.mkdir(parents=True, exist_ok=True)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    """A fresh index of data/ served on 127.0.0.1:<free port> for the whole module."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from qa.index.build import build_index
    from qa.web.app import create_app, launch_app

    base = tmp_path_factory.mktemp("ui")
    index_dir = base / "index"
    build_index([ROOT / "data"], index_dir)
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


@pytest.fixture
def page(browser, server, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, locale="zh-CN")
    pg = ctx.new_page()
    pg.set_default_timeout(ANSWER_TIMEOUT)
    pg.goto(server["url"])
    pg.wait_for_selector("#qa-box textarea")
    yield pg
    name = re.sub(r"\W+", "_", request.node.name)
    pg.screenshot(path=str(artifacts_dir() / f"{name}-final.png"), full_page=True)
    ctx.close()


def ask(page, question: str) -> object:
    """Type `question`, press Enter and return the locator of its answer."""
    before = page.locator(".qa-answer.qa-done").count()
    page.fill("#qa-box textarea", question)
    page.press("#qa-box textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('.qa-answer.qa-done').length > {before}")
    return page.locator(".qa-answer.qa-done").nth(before)


def shot(page, name: str) -> None:
    page.screenshot(path=str(artifacts_dir() / f"{name}.png"))


def upload(page, *paths: Path) -> str:
    """Upload files in the Documents tab and return the (new) status message."""
    page.get_by_role("tab", name="文档").click()
    page.evaluate("document.querySelectorAll('#qa-doc-status .qa-status').forEach(e => e.remove())")
    page.set_input_files("#qa-upload input[type=file]", [str(p) for p in paths])
    status = page.locator("#qa-doc-status .qa-status")
    status.wait_for(state="visible", timeout=ANSWER_TIMEOUT)
    return status.inner_text()


def test_chinese_question_shows_answer_and_highlighted_snippet(page):
    from playwright.sync_api import expect

    answer = ask(page, "提案立案了多少件？")
    expect(answer).to_contain_text("41件")
    expect(answer.locator(".qa-meta")).to_contain_text("⏱")  # latency is shown
    mark = page.locator("#qa-sources-box .qa-turn.active mark").first
    expect(mark).to_be_visible()
    expect(mark).to_contain_text("41件")
    card = page.locator("#qa-sources-box .qa-turn.active .qa-src").first
    expect(card).to_contain_text("xixia_cppcc_2024_highlights.txt")
    shot(page, "zh-answer")
    answer.locator("a.qa-cite").first.click()
    expect(card).to_be_in_viewport()
    expect(card).to_have_class(re.compile("qa-flash"))


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


def test_uploaded_document_can_be_asked_about_at_once(page, server):
    from playwright.sync_api import expect

    doc = server["base"] / "greenhouses.txt"
    doc.write_text(NEW_FACT + "\n", encoding="utf-8")
    status = upload(page, doc)
    assert "greenhouses.txt" in status and "✅" in status, status
    table = page.locator("#qa-doc-table")
    expect(table).to_contain_text("greenhouses.txt")
    expect(table).to_contain_text("xixia_cppcc_2024_highlights.txt")  # nothing indexed before is lost
    assert (server["index"] / "documents" / "greenhouses.txt").is_file()
    shot(page, "docs-after-upload")
    page.get_by_role("tab", name="问答").click()
    answer = ask(page, "镇北堡新建蔬菜大棚多少座？")
    expect(answer).to_contain_text("358")
    expect(page.locator("#qa-sources-box .qa-turn.active")).to_contain_text("greenhouses.txt")
    shot(page, "new-doc-answer")


def test_binary_upload_shows_a_clear_message(page, server):
    from playwright.sync_api import expect

    blob = server["base"] / "photo.txt"
    blob.write_bytes(bytes(range(256)) * 8)
    status = upload(page, blob)
    assert "无法添加" in status and "photo.txt" in status and "二进制文件" in status, status
    expect(page.locator("#qa-doc-status .qa-status-error")).to_be_visible()
    expect(page.locator("#qa-doc-table")).to_contain_text("xixia_cppcc_2024_highlights.txt")
    shot(page, "binary-upload")
    exe = server["base"] / "setup.exe"
    exe.write_bytes(b"MZ\x90\x00" * 64)
    assert "不支持的文件类型" in upload(page, exe)


def test_remove_a_document(page, server):
    from playwright.sync_api import expect

    doc = server["base"] / "to_remove.md"
    doc.write_text("# 临时文档\n\n这份临时文档记录了银川市新增口袋公园19个。\n", encoding="utf-8")
    assert "✅" in upload(page, doc)
    page.get_by_label("选择要移除的文档").click()
    page.get_by_role("option", name="to_remove.md").click()
    page.once("dialog", lambda d: d.accept())
    page.locator("#qa-remove").click()
    expect(page.locator("#qa-doc-status")).to_contain_text("已移除")
    expect(page.locator("#qa-doc-table")).not_to_contain_text("to_remove.md")
    expect(page.locator("#qa-doc-table")).to_contain_text("xixia_cppcc_2024_highlights.txt")
    assert not (server["index"] / "documents" / "to_remove.md").exists()


def test_english_interface_is_one_click_away(page):
    from playwright.sync_api import expect

    expect(page.locator("#qa-send")).to_have_text("发送")
    page.get_by_text("English", exact=True).click()
    expect(page.locator("#qa-send")).to_have_text("Send")
    expect(page.get_by_role("tab", name="Documents")).to_be_visible()
    shot(page, "english-ui")


def test_two_users_ask_at_the_same_time(browser, server):
    from playwright.sync_api import expect

    pages = []
    for _ in range(2):
        pg = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
        pg.set_default_timeout(ANSWER_TIMEOUT)
        pg.goto(server["url"])
        pg.wait_for_selector("#qa-box textarea")
        pages.append(pg)
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
    admin = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    user = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    for pg in (admin, user):
        pg.set_default_timeout(ANSWER_TIMEOUT * 2)
        pg.goto(server["url"])
        pg.wait_for_selector("#qa-box textarea")
    admin.get_by_role("tab", name="文档").click()
    admin.set_input_files("#qa-upload input[type=file]", str(big))
    with contextlib.suppress(Exception):  # best effort: indexing may finish before the bar is seen
        admin.locator("#qa-doc-table .progress-text, #qa-doc-table .progress-level").first.wait_for(timeout=10_000)
        shot(admin, "docs-indexing-progress")
    answers = [ask(user, "提案立案了多少件？") for _ in range(3)]  # asked while the upload is indexed
    for answer in answers:
        expect(answer).to_contain_text("41件")
    shot(user, "answer-during-reindex")
    status = admin.locator("#qa-doc-status .qa-status")
    expect(status).to_contain_text("warehouses.txt", timeout=ANSWER_TIMEOUT * 2)
    expect(status).to_contain_text("✅")
    expect(ask(user, "第1234号仓库存放了多少吨救灾物资？")).to_contain_text("8638")
    for pg in (admin, user):
        pg.context.close()


def test_removing_a_bundled_document_keeps_the_chat_working(page, server):
    """Runs last: removes data/'s report from the index (the file itself stays where it is)."""
    from playwright.sync_api import expect

    page.get_by_role("tab", name="文档").click()
    page.get_by_label("选择要移除的文档").click()
    page.get_by_role("option", name="xixia_cppcc_2024_highlights.txt").click()
    page.once("dialog", lambda d: d.accept())
    page.locator("#qa-remove").click()
    expect(page.locator("#qa-doc-status")).to_contain_text("已移除")
    expect(page.locator("#qa-doc-table")).not_to_contain_text("xixia_cppcc_2024_highlights.txt")
    # the removal is recorded in the manifest, so the file left in data/ does not make the index stale
    expect(page.locator("#qa-header .qa-info")).not_to_contain_text("不一致")
    assert (ROOT / "data" / "xixia_cppcc_2024_highlights.txt").is_file()
    page.get_by_role("tab", name="问答").click()
    expect(ask(page, "镇北堡新建蔬菜大棚多少座？")).to_contain_text("358")
    shot(page, "after-removing-bundled-doc")
