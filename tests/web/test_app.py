"""The web app's logic without a browser: the document filter, index reloads after an outside build,
upload limits and clean-up, the documents list."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import run_cli, served

from qa.types import Answer
from qa.web.actions import discard_uploads, limit_to, run_question
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager
from qa.web.render import documents_html
from qa.web.state import AssistantHolder, pointer_signature


class Meta:
    def __init__(self, title: str) -> None:
        self.title = title


class Data:
    def __init__(self, *sources: str) -> None:
        self.metas = {s: Meta(s.upper()) for s in sources}


class Recorder:
    """A fake assistant that records how it was asked."""

    def __init__(self, *sources: str) -> None:
        self.data = Data(*sources)
        self.calls: list[tuple[str, object]] = []
        self.histories: list[tuple[str, ...]] = []

    def ask(
        self, question: str, k: int | None = None, docs: list[str] | None = None, history: tuple[str, ...] = ()
    ) -> Answer:
        self.calls.append((question, docs))
        self.histories.append(tuple(history))
        return Answer(question, "41件 [1]", False)


def holder_with(assistant: object, tmp_path: Path) -> AssistantHolder:
    holder = AssistantHolder(tmp_path, loader=lambda p: assistant)
    holder.get()
    return holder


# ---- the document filter ------------------------------------------------------------------


def test_the_picked_documents_are_passed_to_ask(tmp_path: Path):
    fake = Recorder("a.txt", "b.txt")
    holder = holder_with(fake, tmp_path)
    assert run_question(holder, "q1").answer is not None
    run_question(holder, "q2", ["b.txt"])
    run_question(holder, "q3", [])
    assert fake.calls == [("q1", None), ("q2", ["b.txt"]), ("q3", None)]


def test_documents_removed_since_they_were_picked_are_dropped(tmp_path: Path):
    fake = Recorder("a.txt")
    holder = holder_with(fake, tmp_path)
    assert limit_to(fake, ["a.txt", "gone.txt"]) == ["a.txt"]
    assert limit_to(fake, None) is None and limit_to(fake, []) is None
    turn = run_question(holder, "q", ["gone.txt"])
    assert turn.answer is None and turn.error_key == "filter_gone" and fake.calls == []


def test_an_error_becomes_a_turn_not_a_crash(tmp_path: Path):
    class Broken:
        def ask(self, question: str, **kw: object) -> Answer:
            raise RuntimeError("boom")

    turn = run_question(holder_with(Broken(), tmp_path), "q")
    assert turn.answer is None and turn.error == "RuntimeError"


def test_ask_limits_to_the_picked_document_on_a_real_index(tmp_path: Path, corpus: Path, fast_lexicon):
    from qa.config import Settings
    from qa.index.build import build_index
    from qa.web.state import default_loader

    build_index([corpus], tmp_path / "idx", Settings(embedder="fake"))
    holder = AssistantHolder(tmp_path / "idx", loader=default_loader)
    question = "西夏区政协共立案多少件提案？"
    everywhere = run_question(holder, question)
    assert everywhere.answer is not None and "41" in everywhere.answer.answer
    only_b = run_question(holder, question, ["b.txt"])
    assert only_b.answer is not None
    assert all(c.source == "b.txt" for c in only_b.answer.citations)
    assert "41件" not in only_b.answer.answer
    assert only_b.answer.searched  # the answer says which documents were searched


# ---- qa ask --doc --------------------------------------------------------------------------


def test_cli_ask_doc_limits_the_documents(capsys, tmp_path: Path, corpus: Path, fast_lexicon):
    idx = str(tmp_path / "idx")
    assert run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")[0] == 0
    question = "西夏区政协共立案多少件提案？"
    rc, out, err = run_cli(capsys, "ask", question, "--index", idx, "--json", "--doc", "a.txt")
    assert rc == 0, err
    d = json.loads(out)
    assert "41" in d["answer"] and {c["source"] for c in d["citations"]} == {"a.txt"}
    rc, out, err = run_cli(capsys, "ask", question, "--index", idx, "--json", "--doc", "b.txt")
    assert rc == 0, err
    d = json.loads(out)
    assert "41件" not in d["answer"] and all(c["source"] == "b.txt" for c in d["citations"]) and d["searched"]
    rc, out, err = run_cli(capsys, "ask", question, "--index", idx, "--doc", "b.txt", "--doc", "a.txt", "--json")
    assert rc == 0 and "41" in json.loads(out)["answer"]
    rc, out, err = run_cli(capsys, "ask", question, "--index", idx, "--doc", "nosuch")
    assert rc == 2 and out == "" and "nosuch" in err and len(err.strip().splitlines()) == 1


def test_cli_ask_help_explains_doc(capsys):
    rc, out, _ = run_cli(capsys, "ask", "--help")
    assert rc == 0 and "--doc NAME" in out and "qa ask" in out and "--doc xixia" in out


# ---- a build made outside the app is picked up ------------------------------------------------


def _write_pointer(index_dir: Path, name: str) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / ".CURRENT.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    tmp.replace(index_dir / "CURRENT")


def test_a_new_current_build_is_loaded(tmp_path: Path):
    builds = iter(range(1, 10))
    holder = AssistantHolder(tmp_path, loader=lambda p: next(builds))
    _write_pointer(tmp_path, "b-1")
    assert holder.check_for_update(0) is False  # nothing loaded yet: the first question loads
    assert holder.get() == 1
    assert holder.check_for_update(0) is False and holder.loads == 1  # unchanged: no reload
    _write_pointer(tmp_path, "b-2")
    assert holder.check_for_update(0) is True and holder.get() == 2 and holder.loads == 2
    _write_pointer(tmp_path, "b-3")
    assert holder.check_for_update(3600) is False  # rate-limited: looked a moment ago
    holder._last_check = None  # forget the last look (not 0.0: monotonic time starts at boot)
    assert holder.check_for_update(3600) is True and holder.get() == 3


def test_no_reload_while_this_process_updates_the_index(tmp_path: Path):
    builds = iter(range(1, 10))
    holder = AssistantHolder(tmp_path, loader=lambda p: next(builds))
    _write_pointer(tmp_path, "b-1")
    holder.get()
    with holder.updating():
        _write_pointer(tmp_path, "b-2")
        assert holder.check_for_update(0) is False  # the update reloads itself when it is done
        holder.reload()
    assert holder.check_for_update(0) is False and holder.loads == 2


def test_a_build_that_fails_to_load_keeps_the_old_index_and_is_not_retried(tmp_path: Path):
    from qa.errors import IndexProblem

    calls = {"n": 0}

    def loader(p: Path) -> str:
        calls["n"] += 1
        if (p / "CURRENT").read_text().strip() == "b-bad":
            raise IndexProblem("corrupt")
        return (p / "CURRENT").read_text().strip()

    holder = AssistantHolder(tmp_path, loader=loader)
    _write_pointer(tmp_path, "b-1")
    holder.get()
    _write_pointer(tmp_path, "b-bad")
    assert holder.check_for_update(0) is False and holder.get() == "b-1"
    assert holder.check_for_update(0) is False and calls["n"] == 2  # not retried
    _write_pointer(tmp_path, "b-3")
    assert holder.check_for_update(0) is True and holder.get() == "b-3"


def test_qa_build_while_serving_is_picked_up_without_a_restart(tmp_path: Path, corpus: Path, fast_lexicon):
    """Defect: an index rebuilt by `qa build` while `qa serve` ran was not used until a restart."""
    from qa.config import Settings
    from qa.index.build import build_index
    from qa.web.state import default_loader

    settings = Settings(embedder="fake")
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text((corpus / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    idx = tmp_path / "idx"
    build_index([tmp_path / "one"], idx, settings)
    holder = AssistantHolder(idx, loader=default_loader)
    assert sorted(holder.get().data.metas) == ["a.txt"]
    before = pointer_signature(idx)
    holder.watch(interval=0.1)
    try:
        build_index([corpus], idx, settings)  # what `qa build` does from another process
        assert pointer_signature(idx) != before
        deadline = time.monotonic() + 120  # the reload itself is quick; this only bounds a hang
        while holder.generation < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert holder.generation == 2
        assert sorted(holder.get().data.metas) == ["a.txt", "b.txt"]
        assert "350" in holder.get().ask("镇北堡卫生院获赠的CT机价值多少万元？").answer
    finally:
        holder.stop_watching()


# ---- uploads and the documents list ---------------------------------------------------------


def test_hidden_files_are_refused(tmp_path: Path):
    """Defect: a `.hidden.txt` upload was indexed although `qa build` skips hidden files."""
    docs = DocumentManager(tmp_path / "idx", tmp_path / "docs", AssistantHolder(tmp_path))
    hidden = tmp_path / ".hidden.txt"
    hidden.write_text("西夏区政协共立案41件。", encoding="utf-8")
    assert "隐藏文件" in docs.check(hidden, "zh")
    assert "hidden" in docs.check(hidden, "en")
    result = docs.add([hidden], "en")
    assert result.added == [] and result.rejected[0][0] == ".hidden.txt"
    assert not (tmp_path / "docs").exists()


def test_rejected_uploads_are_deleted_from_gradios_upload_folder(tmp_path: Path, monkeypatch):
    import gradio as gr

    uploads = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    assert Path(gr.utils.get_upload_folder()) == uploads
    first = uploads / "0123abcd" / "photo.txt"
    first.parent.mkdir(parents=True)
    first.write_bytes(b"\x00" * 10)
    elsewhere = tmp_path / "mine.txt"
    elsewhere.write_text("keep me")
    discard_uploads([first, elsewhere, uploads])
    assert not first.exists() and not first.parent.exists()
    assert elsewhere.exists() and uploads.is_dir()  # never outside the upload folder, never the folder itself


def test_the_server_refuses_uploads_over_the_limit(tmp_path: Path):
    """Defect: no server-side size limit: a 300 MB upload was accepted (and kept) before the app refused it."""
    import gradio as gr
    import httpx

    holder = AssistantHolder(tmp_path / "idx", loader=lambda p: Recorder("a.txt"))
    with served(tmp_path / "idx", holder) as base:
        port = base.rsplit(":", 1)[1]
        name = f"big-{port}.txt"
        big = b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1)
        url = f"{base}/gradio_api/upload"
        response = httpx.post(url, files={"files": (name, big, "text/plain")}, timeout=120)
        assert response.status_code == 413, response.text
        assert not list(Path(gr.utils.get_upload_folder()).rglob(name))  # nothing of it is kept
        small = httpx.post(url, files={"files": (f"small-{port}.txt", b"41", "text/plain")}, timeout=120)
        assert small.status_code == 200
        discard_uploads(small.json())


def test_size_column_shows_the_size_on_disk(tmp_path: Path, corpus: Path, fast_lexicon):
    """Defect: a 36,789-byte .docx showed as 183 B (the size of its extracted text)."""
    import docx

    from qa.config import Settings
    from qa.index.build import build_index

    word = docx.Document()
    word.add_paragraph("西夏区政协2024年共立案41件提案。")
    word.save(corpus / "report.docx")
    on_disk = (corpus / "report.docx").stat().st_size
    idx = tmp_path / "idx"
    build_index([corpus], idx, Settings(embedder="fake"))
    listed = {d["source"]: d for d in DocumentManager(idx, idx / "documents", AssistantHolder(idx)).documents()}
    assert listed["report.docx"]["size"] == on_disk > 10_000  # the file, not its ~50 bytes of text
    assert listed["a.txt"]["size"] == (corpus / "a.txt").stat().st_size
    assert all(d["title"] for d in listed.values())
    html = documents_html(list(listed.values()), "zh")
    assert f"{on_disk / 1024:.1f} KB" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_upload_zone_speaks_the_toggle_language(lang: str):
    """Defect: “Drop File Here” followed the browser's language, not the toggle."""
    from qa.web.style import CSS
    from qa.web.text import t

    rule = next(line for line in CSS.splitlines() if f"#qa-upload.qa-lang-{lang}" in line)
    assert t(lang, "drop_here") in rule and t(lang, "or_click") in rule


def test_the_login_page_is_bilingual():
    from qa.web.style import AUTH_MESSAGE

    for words in ("请登录", "Please sign in", "用户名", "User name", "密码", "Password", "登录", "Sign in"):
        assert words in AUTH_MESSAGE, words


def test_with_a_login_the_api_answers_nothing_to_strangers(tmp_path: Path):
    """QA_AUTH guards the API too: without the login's cookie, asking and uploading are refused."""
    import httpx

    recorder = Recorder("a.txt")
    holder = AssistantHolder(tmp_path / "idx", loader=lambda p: recorder)
    with served(tmp_path / "idx", holder, auth=("alice", "s3cret")) as url:
        base = f"{url}/gradio_api"
        asked = httpx.post(f"{base}/call/ask", json={"data": ["提案立案了多少件？", {}, "zh", []]}, timeout=60)
        assert asked.status_code in (401, 403), asked.text
        uploaded = httpx.post(f"{base}/upload", files={"files": ("x.txt", b"41", "text/plain")}, timeout=60)
        assert uploaded.status_code in (401, 403), uploaded.text
        assert recorder.calls == []


def test_with_a_login_the_login_page_names_no_indexed_document(tmp_path: Path, report_index: Path):
    """Nothing about the index reaches a client that has not logged in: not in the page, not in its API info."""
    import shutil

    import httpx

    index = tmp_path / "idx"
    shutil.copytree(report_index, index)
    with served(index, auth=("alice", "s3cret")) as base:
        page = httpx.get(f"{base}/", timeout=60)
        assert page.status_code == 200 and "gradio_api_info" in page.text  # the login page, with Gradio's script
        assert "xixia" not in page.text and "西夏区政协" not in page.text
        info = httpx.get(f"{base}/gradio_api/info", timeout=60)
        assert "xixia" not in info.text


class Busy(Recorder):
    """A fake assistant whose answer computes for `seconds` (Python code: the GIL is shared, as on the real path)."""

    def __init__(self, seconds: float) -> None:
        super().__init__("a.txt")
        self.seconds = seconds

    def ask(self, question: str, k: int | None = None, docs: list[str] | None = None) -> Answer:
        end = time.monotonic() + self.seconds
        n = 0
        while time.monotonic() < end:
            n += sum(i * i for i in range(1000))
        return super().ask(question, k, docs)


def test_a_question_over_the_time_budget_ends_in_one_line_and_the_session_goes_on(tmp_path: Path, monkeypatch):
    from qa.web import actions

    monkeypatch.setattr(actions, "QUESTION_SECONDS", 0.5)
    holder = holder_with(Busy(3.0), tmp_path)
    t0 = time.monotonic()
    turn = run_question(holder, "很慢的问题")
    assert time.monotonic() - t0 < 2.0 and turn.answer is None and turn.error_key == "too_slow"
    holder = holder_with(Recorder("a.txt"), tmp_path)
    assert run_question(holder, "下一个问题").answer is not None


def test_the_server_stays_responsive_while_a_question_is_slow(tmp_path: Path, monkeypatch):
    """Defect: one slow question froze the server (GET /config took 12.8 s; new clients could not connect)."""
    import threading

    import httpx

    from qa.web import actions

    monkeypatch.setattr(actions, "QUESTION_SECONDS", 4.0)
    holder = AssistantHolder(tmp_path / "idx", loader=lambda p: Busy(30.0))
    with served(tmp_path / "idx", holder) as base:
        out: list[str] = []

        def ask() -> None:
            event = httpx.post(f"{base}/gradio_api/call/ask", json={"data": ["慢问题", [], "zh", []]}, timeout=60)
            out.append(httpx.get(f"{base}/gradio_api/call/ask/{event.json()['event_id']}", timeout=60).text)

        t0 = time.monotonic()
        asking = threading.Thread(target=ask)
        asking.start()
        time.sleep(1.0)  # the question is computing now
        for _ in range(3):
            t = time.monotonic()
            assert httpx.get(f"{base}/config", timeout=30).status_code == 200
            assert time.monotonic() - t < 2.0  # answered while the question computes
        asking.join(60)
        assert time.monotonic() - t0 < 15  # the chat got its message at the budget, not after 30 s
        assert json.dumps("超过了处理时限")[1:-1] in out[0]  # the SSE payload escapes non-ASCII


def test_an_idle_server_polls_its_queue_sparingly(tmp_path: Path) -> None:
    """Gradio's queue looks for work every 1 ms by default: 6.5% of a core on an idle server (1.3 CPU-seconds in
    20 s, measured); at QUEUE_POLL_S it was 1.5%."""
    from qa.web.app import PROGRESS_POLL_S, QUEUE_POLL_S, create_app
    from qa.web.state import AssistantHolder

    holder = AssistantHolder(tmp_path / "idx", loader=lambda p: None)
    demo = create_app(tmp_path / "idx", holder=holder, preload=False, watch=False)
    assert demo._queue.sleep_when_free == QUEUE_POLL_S >= 0.02
    assert demo._queue.progress_update_sleep_when_free == PROGRESS_POLL_S >= 0.1
