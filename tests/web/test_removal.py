"""Removing a document in the web UI: a file the user put on disk is never deleted (and stays out of later builds
of its folder); a copy the UI stored from an upload is deleted with it; the confirmation says which, in words."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROPOSALS, VISITS

from qa.config import Settings
from qa.index import store
from qa.index.build import build_index
from qa.web.documents import DocumentManager
from qa.web.handlers import Handlers
from qa.web.render import documents_html
from qa.web.state import AssistantHolder

pytestmark = pytest.mark.usefixtures("fast_lexicon")

HERITAGE = "西夏陵是西夏王朝的皇家陵寝，2024年入选世界遗产名录，全年接待游客120万人次。"


@pytest.fixture
def served(tmp_path: Path) -> tuple[Path, Path, Handlers]:
    """`qa serve --index I --docs D` on the folder D that `qa build D --index I` indexed (the probe's setup)."""
    folder = tmp_path / "D"
    folder.mkdir()
    (folder / "a.txt").write_text(PROPOSALS, encoding="utf-8")
    (folder / "b.txt").write_text(VISITS, encoding="utf-8")
    index = tmp_path / "I"
    build_index([folder], index, Settings(embedder="fake"))
    holder = AssistantHolder(index, loader=lambda p: object())  # removal reloads; the answers are not needed
    return folder, index, Handlers(DocumentManager(index, folder, holder))


def remove(handlers: Handlers, source: str, lang: str = "zh") -> str:
    """The final status message of the remove button (after the busy one)."""
    outputs = list(handlers.on_remove(source, lang, []))
    assert "qa-status-busy" in outputs[0][0]
    return outputs[-1][0]


def upload(handlers: Handlers, tmp_path: Path, name: str, text: str) -> None:
    """What the upload zone does with a file Gradio received (it sits in Gradio's temporary folder)."""
    incoming = tmp_path / "gradio-upload" / name
    incoming.parent.mkdir(exist_ok=True)
    incoming.write_text(text, encoding="utf-8")
    result = handlers.docs.add([incoming], "zh")
    assert result.added == [name] and not result.failed


def sources(index: Path) -> set[str]:
    return set(store.read_manifest(index).documents)


def test_removing_a_users_file_keeps_it_on_disk(served: tuple[Path, Path, Handlers]) -> None:
    """Defect: with --docs on the indexed folder, "remove" unlinked D/b.txt, the user's own file."""
    folder, index, handlers = served
    status = remove(handlers, "b.txt")
    assert (folder / "b.txt").read_text(encoding="utf-8") == VISITS
    assert sources(index) == {"a.txt"}
    assert "已移除：b.txt" in status and "磁盘上的文件已保留" in status


def test_a_removed_users_file_stays_out_of_later_builds_of_its_folder(served: tuple[Path, Path, Handlers]) -> None:
    folder, index, handlers = served
    remove(handlers, "b.txt", "en")
    for _ in range(2):  # the exclusion is carried from build to build, not used up by the first
        manifest, skipped = build_index([folder], index, Settings(embedder="fake"))
        assert set(manifest.documents) == {"a.txt"} and manifest.excluded == ("b.txt",)
        assert any(m.startswith("b.txt: skipped, it was removed from this index") for m in skipped)
    assert (folder / "b.txt").is_file()
    manifest, _ = build_index([folder, folder / "b.txt"], index, Settings(embedder="fake"))  # named: back again
    assert set(manifest.documents) == {"a.txt", "b.txt"} and manifest.excluded == ()


def test_removing_an_uploaded_document_deletes_the_uploaded_copy(
    served: tuple[Path, Path, Handlers], tmp_path: Path
) -> None:
    folder, index, handlers = served
    upload(handlers, tmp_path, "c.txt", HERITAGE)
    assert (folder / "c.txt").is_file() and sources(index) == {"a.txt", "b.txt", "c.txt"}
    listed = {d["source"]: d["uploaded"] for d in handlers.docs.documents()}
    assert listed == {"a.txt": False, "b.txt": False, "c.txt": True}
    status = remove(handlers, "c.txt", "en")
    assert "Removed: c.txt (the uploaded copy was deleted)" in status
    assert not (folder / "c.txt").exists() and sources(index) == {"a.txt", "b.txt"}
    from qa.web.uploads import Uploads

    assert Uploads(index).current() == set()
    assert (folder / "a.txt").is_file() and (folder / "b.txt").is_file()


def test_an_uploaded_copy_someone_changed_since_is_kept(served: tuple[Path, Path, Handlers], tmp_path: Path) -> None:
    folder, _index, handlers = served
    upload(handlers, tmp_path, "c.txt", HERITAGE)
    (folder / "c.txt").write_text(HERITAGE + "\n我的笔记。", encoding="utf-8")  # the user's now
    assert "磁盘上的文件已保留" in remove(handlers, "c.txt")
    assert (folder / "c.txt").read_text(encoding="utf-8").endswith("我的笔记。")


def test_a_same_name_upload_of_other_content_is_stored_under_a_new_name(
    served: tuple[Path, Path, Handlers], tmp_path: Path
) -> None:
    """Defect: uploading another a.txt replaced the indexed one ("已添加", and 41件 became 999件)."""
    folder, index, handlers = served
    incoming = tmp_path / "gradio-upload" / "a.txt"
    incoming.parent.mkdir()
    incoming.write_text(PROPOSALS.replace("41件", "999件"), encoding="utf-8")
    outputs = list(handlers.on_upload([str(incoming)], "zh", []))
    status = outputs[-1][0]
    assert "已有同名文件「a.txt」，内容不同：新文件另存为「a-2.txt」，原文档未改动" in status
    assert (folder / "a.txt").read_text(encoding="utf-8") == PROPOSALS
    assert "999件" in (folder / "a-2.txt").read_text(encoding="utf-8")
    assert sources(index) == {"a.txt", "b.txt", "a-2.txt"}
    assert "磁盘上的文件已保留" in remove(handlers, "a.txt")  # the user's file, still not deletable
    assert (folder / "a.txt").is_file()


def test_uploading_the_same_file_again_keeps_one_copy(served: tuple[Path, Path, Handlers], tmp_path: Path) -> None:
    folder, index, handlers = served
    upload(handlers, tmp_path, "a.txt", PROPOSALS)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt"] and sources(index) == {"a.txt", "b.txt"}
    assert "磁盘上的文件已保留" in remove(handlers, "a.txt")  # the same bytes do not make the user's file an upload
    assert (folder / "a.txt").is_file()


def test_uploads_in_the_apps_own_folder_are_deleted_as_before(tmp_path: Path) -> None:
    """The default --docs is INDEX/documents, the app's own folder: an upload there goes with its document."""
    index = tmp_path / "I"
    handlers = Handlers(DocumentManager(index, index / "documents", AssistantHolder(index, loader=lambda p: object())))
    upload(handlers, tmp_path, "c.txt", HERITAGE)
    upload(handlers, tmp_path, "d.txt", PROPOSALS)
    assert "上传的副本已删除" in remove(handlers, "c.txt")
    assert not (index / "documents" / "c.txt").exists() and (index / "documents" / "d.txt").is_file()


def test_the_table_tells_the_confirmation_which_rows_are_uploads(
    served: tuple[Path, Path, Handlers], tmp_path: Path
) -> None:
    _folder, _index, handlers = served
    upload(handlers, tmp_path, "c.txt", HERITAGE)
    html = documents_html(handlers.docs.documents(), "zh")
    assert 'data-source="a.txt" data-upload="0"' in html and 'data-source="c.txt" data-upload="1"' in html


@pytest.mark.parametrize(
    ("lang", "uploaded", "words"),
    [
        ("zh", True, "上传的副本也会从磁盘上删除"),
        ("zh", False, "磁盘上的文件会保留，不会被删除"),
        ("en", True, "the uploaded copy is deleted too"),
        ("en", False, "The file on disk is kept"),
    ],
)
def test_the_confirmation_says_what_happens_to_the_file(lang: str, uploaded: bool, words: str) -> None:
    from qa.web.app import _confirm_js
    from qa.web.text import remove_question

    question = remove_question(lang, "c.txt", uploaded)
    assert "c.txt" in question and words in question
    assert json.dumps(remove_question(lang, "{name}", uploaded), ensure_ascii=False) in _confirm_js()


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's confirmation script")
@pytest.mark.parametrize(("lang", "upload"), [("zh", "1"), ("zh", "0"), ("en", "1"), ("en", "0")])
def test_the_page_script_asks_the_right_question(lang: str, upload: str) -> None:
    """The confirmation script itself, run against a table with one uploaded and one user row."""
    from qa.web.app import _confirm_js
    from qa.web.text import remove_question

    name = "c.txt" if upload == "1" else "a$&.txt"  # "$&" must not be expanded by String.replace
    script = f"""
const rows = [{{dataset: {{source: "a$&.txt", upload: "0"}}}}, {{dataset: {{source: "c.txt", upload: "1"}}}}];
globalThis.document = {{querySelectorAll: () => rows}};
const asked = [];
globalThis.window = {{confirm: (m) => {{ asked.push(m); return false; }}}};
const out = ({_confirm_js()})({json.dumps(name)}, {json.dumps(lang)}, []);
console.log(JSON.stringify({{asked, out}}));
"""
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(done.stdout)
    assert result["asked"] == [remove_question(lang, name, upload == "1")]
    assert result["out"] == [name, "cancel", []]
