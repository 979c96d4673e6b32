"""A full disk (or a read-only folder) mid-build: one line, exit code 4, and the previous index is unchanged."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import WriteFailed
from qa.index import segment_writer
from qa.index.build import build_index
from qa.index.store import current_build


def _full_disk(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def built(tmp_path: Path, fast_lexicon: None) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(PROPOSALS, encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index, Settings(embedder="fake"))
    return docs, index


def test_a_full_disk_mid_build_leaves_the_previous_index_live(built, monkeypatch) -> None:  # noqa: ANN001
    docs, index = built
    before = current_build(index)
    (docs / "b.txt").write_text(VISITS, encoding="utf-8")
    monkeypatch.setattr(segment_writer.np, "save", _full_disk)
    with pytest.raises(WriteFailed, match=r"^cannot write index .*: No space left on device; the previous index"):
        build_index([docs], index, Settings(embedder="fake"))
    monkeypatch.undo()
    assert current_build(index) == before
    assert not list(index.glob(".tmp-*")), "a failed build leaves no half-written folders"
    answer = Assistant.load(index, Settings(index_dir=index, embedder="fake"), check_sources=False).ask(
        "共立案多少件？"
    )
    assert answer.span == "41件"
    build_index([docs], index, Settings(embedder="fake"))  # with room again, the same build lands
    assert current_build(index) != before


def test_the_cli_says_it_in_one_line_with_exit_code_4(built, monkeypatch, capsys) -> None:  # noqa: ANN001
    from qa.cli.main import main

    docs, index = built
    (docs / "b.txt").write_text(VISITS, encoding="utf-8")
    monkeypatch.setattr(segment_writer.np, "save", _full_disk)
    code = main(["build", str(docs), "--index", str(index), "--embedder", "fake", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 4
    assert len(err.splitlines()) == 1 and "No space left on device" in err and "Traceback" not in err
