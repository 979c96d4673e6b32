"""The `qa` command line: help, build, ask (single, JSON, batch), info, and one-line errors with exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPORT, ROOT, run_cli

pytestmark = pytest.mark.usefixtures("fast_lexicon")

ZH_Q = "西夏区政协五届三次会议和闭会期间共立案多少件提案？"
EN_Q = "How many proposals were filed?"
CITATION_KEYS = {"n", "source", "start", "end", "text", "highlight", "score"}


@pytest.fixture(autouse=True)
def _no_qa_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("QA_"):
            monkeypatch.delenv(name)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("QA_")}


def qa(*argv: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m qa.cli ARGV` in a fresh process from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *argv],
        cwd=ROOT,
        env=clean_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(err: str) -> None:
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("qa:")


def assert_answer_schema(d: dict) -> None:
    assert {"question", "answer", "abstained", "citations", "timings_ms"} <= set(d)
    assert isinstance(d["answer"], str) and isinstance(d["abstained"], bool)
    assert set(d["timings_ms"]) >= {"retrieve", "answer", "total"}
    assert all(isinstance(v, (int, float)) and v >= 0 for v in d["timings_ms"].values())
    for i, c in enumerate(d["citations"], start=1):
        assert CITATION_KEYS <= set(c)
        assert c["n"] == i
        s, e = c["highlight"]
        assert 0 <= s <= e <= len(c["text"])
        assert c["start"] < c["end"]


# ---- help ----


def test_help_shows_examples_and_exit_codes():
    top = qa("--help")
    assert top.returncode == 0
    assert "examples:" in top.stdout and 'qa ask "' in top.stdout and "qa build data/" in top.stdout
    assert "exit codes" in top.stdout
    ask = qa("ask", "--help")
    assert ask.returncode == 0
    assert "examples:" in ask.stdout and "--batch" in ask.stdout and "--json" in ask.stdout


def test_build_help_shows_examples(capsys):
    rc, out, _ = run_cli(capsys, "build", "--help")
    assert rc == 0 and "examples:" in out and "--embedder" in out


# ---- build / ask / info in-process ----


def test_build_then_ask_json(capsys, corpus, tmp_path):
    idx = tmp_path / "idx"
    rc, out, err = run_cli(capsys, "build", str(corpus), "--index", str(idx), "--embedder", "fake", "--quiet")
    assert rc == 0, err
    assert "indexed 2 documents" in out and "embedder fake" in out
    rc, out, err = run_cli(capsys, "ask", "西夏区政协共立案多少件提案？", "--index", str(idx), "--json")
    assert rc == 0, err
    d = json.loads(out)
    assert_answer_schema(d)
    assert d["question"] == "西夏区政协共立案多少件提案？"
    assert not d["abstained"] and "41" in d["answer"]
    first = d["citations"][0]
    assert first["source"] == "a.txt" and "立案41件" in first["text"]
    s, e = first["highlight"]
    assert "41" in first["text"][s:e]


def test_rebuild_reports_nothing_embedded_and_if_stale_skips(capsys, corpus, tmp_path):
    idx = str(tmp_path / "idx")
    assert run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")[0] == 0
    rc, out, _ = run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")
    assert rc == 0 and "(0 chunks embedded" in out
    rc, out, err = run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--if-stale", "--quiet")
    assert rc == 0 and out == "" and "up to date" in err


def test_build_reports_skipped_files(capsys, corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    rc, out, err = run_cli(
        capsys, "build", str(corpus), "--index", str(tmp_path / "idx"), "--embedder", "fake", "--quiet"
    )
    assert rc == 0 and "indexed 2 documents" in out
    assert "qa: skipped" in err and "empty.txt" in err and "Traceback" not in err


def test_ask_plain_text_shows_answer_and_marked_source(capsys, report_index):
    rc, out, _ = run_cli(capsys, "ask", ZH_Q, "--index", str(report_index))
    assert rc == 0
    first_line = out.splitlines()[0]
    assert "41" in first_line and "[1]" in first_line
    assert re.search(rf"\[1\] {re.escape(REPORT.name)}:\d+-\d+", out)
    assert "【41件】" in out  # the answer span is marked inside the cited text
    assert "ms)" in out


def test_info_describes_the_index(capsys, report_index):
    rc, out, _ = run_cli(capsys, "info", "--index", str(report_index))
    assert rc == 0
    assert re.search(r"documents\s+1, chunks \d+", out)
    assert "fake" in out and "KiB" in out and REPORT.name in out
    rc, out, _ = run_cli(capsys, "info", "--index", str(report_index), "--json")
    d = json.loads(out)
    assert d["documents"] == 1 and d["chunks"] > 0 and d["size_bytes"] > 0
    assert d["embedder"]["name"] == "fake"


# ---- bad input: one line on stderr, the right exit code, no traceback ----


@pytest.mark.parametrize(
    "question,needle",
    [("", "empty"), ("   ", "empty"), ("问" * 100_000, "100,000"), ("？？！", "punctuation")],
    ids=["empty", "whitespace", "100k-chars", "punctuation"],
)
def test_bad_questions_exit_2_with_one_line(capsys, report_index, question, needle):
    rc, out, err = run_cli(capsys, "ask", question, "--index", str(report_index))
    assert rc == 2
    assert_one_line_error(err)
    assert needle in err
    assert out == ""
    rc, out, err = run_cli(capsys, "ask", question, "--index", str(report_index), "--json")
    assert rc == 2
    assert json.loads(out)["exit_code"] == 2


def test_missing_index_exits_3(capsys, tmp_path):
    rc, _, err = run_cli(capsys, "ask", ZH_Q, "--index", str(tmp_path / "nowhere"))
    assert rc == 3
    assert_one_line_error(err)
    assert "qa build" in err
    rc, _, err = run_cli(capsys, "info", "--index", str(tmp_path / "nowhere"))
    assert rc == 3 and "qa build" in err


def test_corrupted_index_exits_3(capsys, report_index, tmp_path):
    idx = tmp_path / "idx"
    shutil.copytree(report_index, idx)
    segment = next((idx / "segments").iterdir())
    (segment / "chunks.jsonl").write_text("not json\n", encoding="utf-8")
    rc, _, err = run_cli(capsys, "ask", ZH_Q, "--index", str(idx))
    assert rc == 3
    assert_one_line_error(err)
    assert "corrupt" in err and "qa build" in err


def test_build_of_a_missing_path_exits_2(capsys, tmp_path):
    rc, out, err = run_cli(
        capsys, "build", str(tmp_path / "no-such-folder"), "--index", str(tmp_path / "idx"), "--embedder", "fake"
    )
    assert rc == 2
    assert_one_line_error(err)
    assert "no-such-folder" in err
    assert not (tmp_path / "idx").exists()


def test_build_of_only_bad_files_exits_2(capsys, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    rc, _, err = run_cli(
        capsys, "build", str(tmp_path / "docs"), "--index", str(tmp_path / "idx"), "--embedder", "fake"
    )
    assert rc == 2
    assert_one_line_error(err)


def test_unknown_embedder_exits_2_quiet(capsys, corpus, tmp_path):
    rc, _, err = run_cli(
        capsys, "build", str(corpus), "--index", str(tmp_path / "idx"), "--embedder", "nope", "--quiet"
    )
    assert rc == 2
    assert_one_line_error(err)
    assert "unknown embedder" in err


def test_unknown_embedder_error_is_not_glued_to_a_progress_bar(capsys, corpus, tmp_path):
    rc, _, err = run_cli(capsys, "build", str(corpus), "--index", str(tmp_path / "idx"), "--embedder", "nope")
    assert rc == 2
    assert_one_line_error(err)


@pytest.mark.parametrize(
    "argv,needle",
    [(["ask"], "give a question"), (["frobnicate"], "invalid choice"), (["ask", "x", "--bogus"], "unrecognized")],
    ids=["ask-without-question", "unknown-subcommand", "unknown-option"],
)
def test_usage_errors_exit_2(capsys, report_index, argv, needle):
    rc, out, err = run_cli(capsys, *argv, "--index", str(report_index)) if argv[0] == "ask" else run_cli(capsys, *argv)
    assert rc == 2
    assert_one_line_error(err)
    assert needle in err


def test_real_process_exit_codes_and_no_traceback(report_index, tmp_path):
    cases = [
        (["frobnicate"], 2),
        (["ask", "   ", "--index", str(report_index)], 2),
        (["ask", ZH_Q, "--index", str(tmp_path / "nowhere")], 3),
    ]
    for argv, code in cases:
        p = qa(*argv)
        assert p.returncode == code, (argv, p.stderr)
        assert_one_line_error(p.stderr)


# ---- batch ----


def test_batch_json_one_object_per_question(report_index, tmp_path):
    batch = tmp_path / "questions.txt"
    batch.write_text(f"{ZH_Q}\n\n？？！\n", encoding="utf-8")
    p = qa("ask", "--batch", str(batch), "--index", str(report_index), "--json")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 2  # the empty line is skipped
    good, bad = (json.loads(ln) for ln in lines)
    assert_answer_schema(good)
    assert good["question"] == ZH_Q and "41" in good["answer"]
    assert bad["question"] == "？？！" and "punctuation" in bad["error"]


def test_batch_from_stdin_all_good_exits_0(capsys, report_index, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{ZH_Q}\n{EN_Q}\n"))
    rc, out, _ = run_cli(capsys, "ask", "--batch", "-", "--index", str(report_index), "--json")
    assert rc == 0
    answers = [json.loads(ln) for ln in out.splitlines()]
    assert [a["question"] for a in answers] == [ZH_Q, EN_Q]


def test_batch_in_a_legacy_encoding_is_decoded_like_a_document(report_index, tmp_path):
    batch = tmp_path / "gbk.txt"
    batch.write_bytes(f"{ZH_Q}\n".encode("gbk"))
    p = qa("ask", "--batch", str(batch), "--index", str(report_index), "--json")
    assert p.returncode == 0, p.stderr
    assert "41" in json.loads(p.stdout)["answer"]
    piped = subprocess.run(  # the same bytes on standard input
        [sys.executable, "-m", "qa.cli", "ask", "--batch", "-", "--index", str(report_index), "--json"],
        cwd=ROOT,
        env=clean_env(),
        input=batch.read_bytes(),
        capture_output=True,
        timeout=300,
    )
    assert piped.returncode == 0 and b"Traceback" not in piped.stderr
    assert json.loads(piped.stdout)["question"] == ZH_Q


def test_batch_binary_file_is_one_line_and_bad_lines_are_named_on_stderr(report_index, tmp_path):
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    p = qa("ask", "--batch", str(binary), "--index", str(report_index))
    assert p.returncode == 2
    assert_one_line_error(p.stderr)
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(f"{ZH_Q}\n？？！\n", encoding="utf-8")
    p = qa("ask", "--batch", str(mixed), "--index", str(report_index))
    assert p.returncode == 2 and "41" in p.stdout and "？？！" not in p.stdout
    assert_one_line_error(p.stderr)
    assert "line 2" in p.stderr


def test_a_truncated_utf8_character_skips_its_line_not_the_batch(report_index, tmp_path):
    """Defect: one damaged character refused the whole --batch file."""
    batch = tmp_path / "q.txt"
    batch.write_bytes(ZH_Q.encode() + b"\n" + "交流研讨".encode()[:-1] + b"\n" + EN_Q.encode() + b"\n")
    p = qa("ask", "--batch", str(batch), "--index", str(report_index), "--json")
    assert p.returncode == 2
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r.get("question") for r in rows[::2]] == [ZH_Q, EN_Q] and "41" in rows[0]["answer"]
    assert "not valid UTF-8" in rows[1]["error"]


def test_bad_settings_in_the_environment_or_options_are_one_line(report_index):
    for env, argv in (
        ({"QA_CHUNK_SIZE": "abc"}, ["--help"]),
        ({"QA_K": "0"}, ["ask", ZH_Q, "--index", str(report_index)]),
        ({}, ["ask", ZH_Q, "--index", str(report_index), "-k", "-5"]),
        ({}, ["ask", ZH_Q, "--index", str(report_index), "-k", "many"]),
    ):
        p = subprocess.run(
            [sys.executable, "-m", "qa.cli", *argv],
            cwd=ROOT,
            env={**clean_env(), **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert p.returncode == 2, (env, argv, p.stderr)
        assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert p.stdout == "" and ("QA_" in p.stderr or "-k" in p.stderr)


def test_batch_file_missing_exits_2(capsys, report_index, tmp_path):
    rc, _, err = run_cli(capsys, "ask", "--batch", str(tmp_path / "nope.txt"), "--index", str(report_index))
    assert rc == 2
    assert_one_line_error(err)


# ---- the real thing: default embedder, bundled report ----


@pytest.fixture(scope="module")
def real_index(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("real")
    (base / "data").mkdir()
    shutil.copy(REPORT, base / "data" / REPORT.name)
    p = qa("build", str(base / "data"), "--index", str(base / "index"), "--quiet", timeout=900)
    assert p.returncode == 0, p.stderr
    assert "embedder e5-small" in p.stdout
    return base / "index"


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", re.sub(r"\[\d+\]", "", text))


@pytest.mark.slow
def test_end_to_end_chinese_question(real_index):
    p = qa("ask", ZH_Q, "--index", str(real_index), "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert_answer_schema(d)
    assert not d["abstained"] and "41件" in d["answer"]
    first = d["citations"][0]
    assert "立案41件" in first["text"]
    s, e = first["highlight"]
    i = first["text"].index("41件")
    assert s <= i and i + len("41件") <= e
    for n in numbers(d["answer"]):
        assert any(n in c["text"] for c in d["citations"]), n


@pytest.mark.slow
def test_end_to_end_english_question_cites_the_same_chunk(real_index):
    zh = json.loads(qa("ask", ZH_Q, "--index", str(real_index), "--json").stdout)
    p = qa("ask", EN_Q, "--index", str(real_index), "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert_answer_schema(d)
    assert not d["abstained"] and "41" in d["answer"]
    first = d["citations"][0]
    assert (first["source"], first["start"], first["end"]) == (
        zh["citations"][0]["source"],
        zh["citations"][0]["start"],
        zh["citations"][0]["end"],
    )
    for n in numbers(d["answer"]):
        assert any(n in c["text"] for c in d["citations"]), n


@pytest.mark.slow
def test_end_to_end_unrelated_chinese_question_abstains(real_index):
    d = json.loads(qa("ask", "火星上有多少座火山？", "--index", str(real_index), "--json").stdout)
    assert d["abstained"] and d["citations"] == [] and d["answer"] == "报告中没有找到相关内容"


@pytest.mark.slow
def test_end_to_end_unrelated_english_question_abstains(real_index):
    d = json.loads(qa("ask", "What is the capital of France?", "--index", str(real_index), "--json").stdout)
    assert d["abstained"] and d["answer"] == "Not found in the documents."


def test_build_reports_added_changed_and_removed_documents(capsys, corpus, tmp_path):
    """Defect: documents left the index, or changed in it, without a word in the build log."""
    idx = str(tmp_path / "idx")
    rc, _, err = run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")
    assert rc == 0 and "qa: added 2: a.txt, b.txt" in err
    (corpus / "a.txt").write_text((corpus / "a.txt").read_text(encoding="utf-8") + "\n补充一句新的内容。", "utf-8")
    (corpus / "b.txt").unlink()
    (corpus / "c.txt").write_text("另一份报告，全年新建学校3所，新增学位2400个。", encoding="utf-8")
    rc, _, err = run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")
    assert rc == 0
    assert "qa: added 1: c.txt" in err and "qa: changed 1: a.txt" in err and "qa: removed 1: b.txt" in err
    rc, _, err = run_cli(capsys, "build", str(corpus), "--index", idx, "--embedder", "fake", "--quiet")
    assert rc == 0 and "added" not in err and "removed" not in err and "changed" not in err


def test_build_counts_the_page_furniture_it_drops(capsys, tmp_path):
    folder = tmp_path / "D"
    folder.mkdir()
    body = "第{n}页的正文内容，这一行比页脚长得多，一直写到版心的右边，说的是当年的工作。"
    (folder / "r.txt").write_text("\f".join(f"{body.format(n=n)}\n政府工作报告 {n}\n" for n in range(1, 5)), "utf-8")
    rc, _, err = run_cli(capsys, "build", str(folder), "--index", str(tmp_path / "i"), "--embedder", "fake", "--quiet")
    assert rc == 0 and "qa: r.txt: 4 lines dropped as page numbers or running headers" in err
