"""What an index update reports as it goes (qa.progress): the steps in order, the fraction never going back,
embedding reported while it runs, and each step worded in the web UI's language."""

from __future__ import annotations

from pathlib import Path

from qa.config import Settings
from qa.index import writer
from qa.index.build import build_index
from qa.progress import Step
from qa.web.text import step_text


def test_an_update_reports_reading_embedding_and_the_end_in_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(writer, "REPORT_EVERY", 2)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        body = "\n\n".join(f"第{i}份报告第{k}段：全年新建学校{k}所，新增教师{k * 10}名。" * 6 for k in range(6))
        (docs / f"r{i}.txt").write_text(body, encoding="utf-8")
    seen: list[tuple[float, Step | str]] = []
    build_index([docs], tmp_path / "idx", Settings(embedder="fake"), progress=lambda f, m: seen.append((f, m)))
    steps = [m for _f, m in seen]
    assert all(isinstance(m, Step) for m in steps)
    kinds = [m.kind for m in steps if isinstance(m, Step)]
    assert kinds[:1] == ["read"] and kinds[-2:] == ["lexicon", "done"]
    assert [m.name for m in steps if isinstance(m, Step) and m.kind == "read"] == ["r0.txt", "r1.txt", "r2.txt"]
    embeds = [m for m in steps if isinstance(m, Step) and m.kind == "embed"]
    assert len(embeds) >= 2 and embeds[-1].done == embeds[-1].total  # several reports while embedding
    fractions = [f for f, _m in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    done = steps[-1]
    assert isinstance(done, Step) and done.done == 3 and str(done).startswith("3 documents, ")


def test_steps_are_worded_in_the_interface_language() -> None:
    assert step_text(Step("embed", done=32, total=100), "zh") == "正在计算向量：32/100 段"
    assert step_text(Step("embed", done=32, total=100), "en") == "Embedding: 32/100 passages"
    assert step_text(Step("done", done=1, total=7), "en") == "1 document, 7 passages in the index"
    assert step_text(Step("done", done=2, total=7), "zh") == "索引中共 2 份文档、7 段"
    assert step_text(Step("read", "报告.txt"), "zh") == "正在读取 报告.txt"
    assert step_text(Step("ocr", "扫描件.pdf", done=2, total=9), "zh") == "正在识别扫描页（OCR）：扫描件.pdf 第 2/9 页"
    assert step_text("正在更新索引…", "en") == "正在更新索引…"  # words the caller chose stay as they are
    assert str(Step("done", done=1, total=7)) == "1 document, 7 chunks in the index"
