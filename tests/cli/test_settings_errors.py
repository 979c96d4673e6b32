"""Bad settings and an unwritable index are one line and an exit code, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli

QUESTION = "西夏区政协共立案多少件提案？"


@pytest.fixture(autouse=True)
def _no_qa_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("QA_"):
            monkeypatch.delenv(name)


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("port", ["abc", "0", "70000", ""])
@pytest.mark.parametrize("command", ["ask", "info", "build", "serve"])
def test_a_bad_qa_port_is_one_line_for_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, port: str
) -> None:
    """Defect: QA_PORT=abc made every command end in a ValueError traceback (it is read while the parser is built)."""
    monkeypatch.setenv("QA_PORT", port)
    argv = {
        "ask": ["ask", QUESTION, "--index", str(tmp_path / "idx")],
        "info": ["info", "--index", str(tmp_path / "idx")],
        "build": ["build", str(tmp_path), "--index", str(tmp_path / "idx"), "--embedder", "fake"],
        "serve": ["serve", "--index", str(tmp_path / "idx")],
    }[command]
    rc, out, err = run_cli(capsys, *argv)
    line = one_line(err)
    assert rc == 2 and out == ""
    assert line.startswith("qa: error: QA_PORT=") and "1 to 65535" in line
    assert not (tmp_path / "idx").exists()


def test_a_good_qa_port_is_the_serve_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.cli.main import make_parser

    monkeypatch.setenv("QA_PORT", " 8081 ")
    assert make_parser().parse_args(["serve"]).port == 8081
    monkeypatch.delenv("QA_PORT")
    assert make_parser().parse_args(["serve"]).port == 7860


def test_ui_py_reports_a_bad_qa_port_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui

    monkeypatch.setenv("QA_PORT", "abc")
    assert ui.main([]) == 2
    assert one_line(capsys.readouterr().err).startswith("ui.py: error: QA_PORT=")


def build_into(capsys: pytest.CaptureFixture[str], corpus: Path, index: Path) -> tuple[int, str]:
    rc, _out, err = run_cli(capsys, "build", str(corpus), "--index", str(index), "--embedder", "fake", "--quiet")
    return rc, err


def test_build_into_a_folder_without_write_permission_exits_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, corpus: Path, tmp_path: Path
) -> None:
    """Defect: the OSError of a read-only index folder's .lock escaped the write-error handling (a traceback).
    Simulated: as root, chmod does not stop writes, so the lock's open fails as it does for a normal user."""
    import filelock

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "idx" / ".lock"))

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    rc, err = build_into(capsys, corpus, tmp_path / "idx")
    line = one_line(err)
    assert rc == 4
    assert line.startswith("qa: cannot write index") and "Permission denied" in line


def test_build_into_a_read_only_folder_exits_4(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, fast_lexicon: None
) -> None:
    """The same with a real read-only folder (skipped where chmod does not stop writes, e.g. as root)."""
    index = tmp_path / "idx"
    index.mkdir()
    index.chmod(0o555)
    try:
        if os.access(index, os.W_OK):
            pytest.skip("chmod does not stop writes here (running as root)")
        rc, err = build_into(capsys, corpus, index)
    finally:
        index.chmod(0o755)
    assert rc == 4
    assert one_line(err).startswith("qa: cannot write index")


def test_build_into_a_path_under_a_file_exits_4(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    """A folder that cannot be made (its parent is a file) is the same kind of write failure, not a traceback."""
    (tmp_path / "plain").write_text("not a folder", encoding="utf-8")
    rc, err = build_into(capsys, corpus, tmp_path / "plain" / "idx")
    assert rc == 4
    assert one_line(err).startswith("qa: cannot write index")
