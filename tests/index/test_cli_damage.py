"""Damaged indexes through the CLI: `qa ask` and `qa info` exit 3 with one line, `qa build` always repairs."""

from __future__ import annotations

import pytest
from test_store import DAMAGES, _wrong_chunk_types

from qa.cli.main import main
from qa.index.build import build_index

pytestmark = pytest.mark.usefixtures("fast_lexicon")
Q = "西夏区政协共立案多少件提案？"


def one_line(err: str) -> bool:
    lines = err.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("qa: ") and "Traceback" not in err


@pytest.mark.parametrize("damage", DAMAGES + [_wrong_chunk_types], ids=lambda d: d.__name__.strip("_"))
def test_damage_is_exit_3_in_one_line_and_qa_build_repairs(corpus, tmp_path, fake_settings, capsys, damage):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    damage(idx)
    for argv in (["ask", Q, "--index", str(idx)], ["ask", "How many proposals were filed?", "--index", str(idx)]):
        rc = main(argv)
        err = capsys.readouterr().err
        assert rc == 3 and one_line(err), (argv, rc, err)
    if damage is not _wrong_chunk_types:  # the structure is intact there: info describes it
        rc = main(["info", "--index", str(idx)])
        err = capsys.readouterr().err
        assert rc == 3 and one_line(err), err
    assert main(["build", str(corpus), "--index", str(idx), "--embedder", "fake", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", Q, "--index", str(idx)]) == 0
    assert "41" in capsys.readouterr().out


def test_an_index_that_is_a_file(corpus, tmp_path, capsys):
    f = tmp_path / "index"
    f.write_text("x", encoding="utf-8")
    assert main(["ask", Q, "--index", str(f)]) == 3 and one_line(capsys.readouterr().err)
    assert main(["info", "--index", str(f)]) == 3 and one_line(capsys.readouterr().err)
    assert main(["build", str(corpus), "--index", str(f), "--embedder", "fake", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert one_line(err) and "is a file" in err


@pytest.mark.parametrize("size", ["0", "-5", "10", "2001", "100000"])
def test_chunk_sizes_that_cannot_work_exit_2(corpus, tmp_path, capsys, size):
    rc = main(["build", str(corpus), "--index", str(tmp_path / "idx"), "--embedder", "fake", f"--chunk-size={size}"])
    err = capsys.readouterr().err
    assert rc == 2 and one_line(err) and "--chunk-size" in err
    assert not (tmp_path / "idx" / "CURRENT").exists()
