"""Several writers at once: each one lands or is told the index is busy; CURRENT always names a complete build;
a killed writer's leftovers are removed by the next writer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROPOSALS, VISITS

from qa.assistant import Assistant
from qa.errors import IndexProblem
from qa.index import loaded, store
from qa.index.build import add_documents, build_index

ROOT = Path(__file__).resolve().parents[2]

LIBRARY = r"""
import sys, time
from pathlib import Path
from qa.config import Settings
from qa.errors import IndexProblem
from qa.index.build import add_documents, build_index
docs, idx, rounds, me = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
landed = busy = 0
for r in range(rounds):
    try:
        if r % 2:
            extra = docs.parent / f"{me}-{r}.txt"
            extra.write_text(f"第{r}轮{me}补充材料：召开协商会议{r}次，形成调研报告{r + 1}篇。", encoding="utf-8")
            add_documents(idx, [extra])
        else:
            build_index([docs], idx, Settings(embedder="fake"))
        landed += 1
    except IndexProblem as exc:
        assert "busy" in str(exc), exc
        busy += 1
print(landed, busy)
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _check_live(idx: Path) -> None:
    build = store.current_build(idx)
    assert build is not None and (build / "manifest.json").is_file()
    data = loaded.load_index(idx)
    assert len(data.chunks) == data.dense.ntotal == data.manifest.n_chunks > 0
    for seg in data.segments:
        seg.check_chunks()


@pytest.mark.slow
def test_concurrent_writers_land_or_are_told_busy(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    procs = []
    for i in range(3):  # library writers (build and add, alternating)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", LIBRARY, str(corpus), str(idx), "6", f"lib{i}"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
                cwd=ROOT,
            )
        )
    cli = [sys.executable, "-m", "qa.cli", "build", str(corpus), "--index", str(idx), "--embedder", "fake", "--quiet"]
    cli_landed = cli_busy = 0
    for _round in range(6):  # CLI writers, two at a time
        runs = [subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)]
        runs.append(
            subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
        )
        for p in runs:
            out, err = p.communicate(timeout=300)
            if p.returncode == 0:
                cli_landed += 1
            else:
                assert p.returncode == 3, err
                lines = err.strip().splitlines()
                assert len(lines) == 1 and "busy" in lines[0], err
                cli_busy += 1
        if store.current_build(idx) is not None:
            _check_live(idx)
    lib_landed = 0
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        lib_landed += int(out.split()[0])
    assert cli_landed + lib_landed > 0 and cli_landed + cli_busy == 12
    _check_live(idx)
    assert not list(idx.glob(".tmp-*")) and not list((idx / "segments").glob(".tmp-*"))
    assert len([p for p in idx.glob("b-*")]) <= 2


def test_writers_in_one_process_land_or_are_told_busy(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    with store.index_lock(idx):
        with pytest.raises(IndexProblem, match="busy"):
            build_index([corpus], idx, fake_settings)
        with pytest.raises(IndexProblem, match="busy"):
            add_documents(idx, [corpus / "a.txt"])
    build_index([corpus], idx, fake_settings)  # released
    _check_live(idx)


def test_the_cli_says_busy_in_one_line_with_exit_3(corpus, tmp_path, fake_settings, capsys):
    from qa.cli.main import main

    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    with store.index_lock(idx):
        rc = main(["build", str(corpus), "--index", str(idx), "--embedder", "fake", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 3 and len(err.strip().splitlines()) == 1 and "busy" in err


KILLED = r"""
import sys, time
from pathlib import Path
from qa.config import Settings
from qa.index import segment_writer
from qa.index.build import build_index
real = segment_writer.SegmentWriter.finish
def slow(self, *args):
    time.sleep(60)
    return real(self, *args)
segment_writer.SegmentWriter.finish = slow
build_index([Path(sys.argv[1])], Path(sys.argv[2]), Settings(embedder="fake"))
"""


@pytest.mark.slow
def test_a_killed_writers_leftovers_are_removed_by_the_next_writer(corpus, tmp_path, fake_settings):
    idx = tmp_path / "idx"
    build_index([corpus], idx, fake_settings)
    before = store.current_build(idx)
    (corpus / "c.txt").write_text(VISITS.replace("6次", "8次") + PROPOSALS, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-c", KILLED, str(corpus), str(idx)], env=_env(), cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline and not list((idx / "segments").glob(".tmp-*")):
        time.sleep(0.2)
    assert list((idx / "segments").glob(".tmp-*")), "the writer never started"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert store.current_build(idx) == before  # the killed build never went live
    with pytest.raises(IndexProblem):  # its index is stale (c.txt is new), but loads fine otherwise
        Assistant.load(idx)
    build_index([corpus], idx, fake_settings)  # the lock died with the writer
    assert not list((idx / "segments").glob(".tmp-*")) and not list(idx.glob(".tmp-*"))
    assert "8" in Assistant.load(idx).ask("陈雍几次到西夏区调研？").answer
