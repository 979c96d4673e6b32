"""The evaluation runner on a hand-made case whose metrics are known exactly, plus input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.errors import InputError
from qa.evaluation.gold import GoldQuestion, load_gold
from qa.evaluation.runner import evaluate
from qa.evaluation.squad import evidence_clause, load_squad
from qa.evaluation.table import format_failures, format_table, to_json
from qa.types import Answer, Chunk, Citation, Hit

FILLER = "无关内容"


def _chunk(text: str, i: int = 0, source: str = "r.txt", start: int = 0) -> Chunk:
    return Chunk(id=f"c{i}", source=source, start=start, end=start + len(text), section="", kind="body", text=text)


def _hits(evidence_text: str | None, rank: int | None) -> tuple[Hit, ...]:
    """Ten hits, the evidence chunk at 1-based `rank` (None: nowhere)."""
    texts = [f"{FILLER}{i}" for i in range(10)]
    if rank is not None:
        texts[rank - 1] = f"前文 {evidence_text} 后文"
    return tuple(Hit(_chunk(t, i), 1.0 - i / 10) for i, t in enumerate(texts))


def _cite(text: str) -> tuple[Citation, ...]:
    return (Citation(1, "r.txt", 0, len(text), text, (0, 1), 0.9),)


def Q(id: str, lang: str, answers: list[str], evidence: list[str], type: str) -> GoldQuestion:
    return GoldQuestion(id, lang, f"question {id}", tuple(answers), tuple(evidence), "r.txt", type)


QUESTIONS = [
    Q("q1", "zh", ["16次", "16"], ["协商议政16次"], "quantity"),
    Q("q2", "zh", ["41件"], ["共立案41件"], "quantity"),
    Q("q3", "zh", ["李海峰"], ["主席李海峰宣讲"], "who"),
    Q("q4", "en", ["2024年8月19日", "August 19, 2024"], ["2024年8月19日，西夏区政协"], "when"),
    Q("q5", "en", ["proposals"], ["提案办理"], "what"),
    Q("q6", "zh", [], [], "unanswerable"),
    Q("q7", "en", [], [], "unanswerable"),
]

# What the fake assistant returns for each question: (answer, abstained, span, hits, citations, latency)
SCRIPT = {
    "q1": ("协商议政十六次[1]", False, "", _hits("协商议政 16次", 1), _cite("协商议政16次、调查研究"), 10.0),
    "q2": ("共立案14件[1]", False, "", _hits("共立案41件", 2), _cite("共立案41件，办复率"), 20.0),
    "q3": ("报告中没有找到相关内容", True, "", _hits("主席李海峰宣讲", 3), (), 30.0),
    "q4": (
        "On 19 August 2024 [1].",
        False,
        "2024 年 8 月 19 日",
        _hits("2024年8月19日，西夏区政协", 7),
        _cite("别处"),
        40.0,
    ),
    "q5": ("Nothing useful [1].", False, "", _hits(None, None), _cite("别处"), 50.0),
    "q6": ("报告中没有找到相关内容", True, "", _hits(None, None), (), 60.0),
    "q7": ("Something made up [1].", False, "", _hits(None, None), _cite("别处"), 70.0),
}


def fake_ask(question: str) -> Answer:
    qid = question.split()[-1]
    answer, abstained, span, hits, cites, ms = SCRIPT[qid]
    return Answer(
        question=question,
        answer=answer,
        abstained=abstained,
        citations=cites,
        timings_ms={"total": ms},
        span=span,
        hits=hits,
    )


@pytest.fixture(scope="module")
def result():
    return evaluate(fake_ask, QUESTIONS, progress=False)


def test_overall_metrics_exact(result) -> None:
    m = result.metrics["all"]
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (7, 5, 2)
    assert (m["recall@1"], m["recall@3"], m["recall@5"], m["recall@10"]) == (0.2, 0.6, 0.6, 0.8)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 7) / 5)
    assert m["answer_accuracy"] == 0.4  # q1 (十六 = 16), q4 (span matches)
    assert m["number_em"] == 0.5  # q1 yes, q2 (14 ≠ 41) no
    assert m["citation_accuracy"] == 0.5  # of q1, q2, q4, q5 only q1, q2 cite the evidence
    assert m["abstention_precision"] == 0.5  # abstained on q3 (answerable) and q6
    assert m["abstention_recall"] == 0.5  # q6 yes, q7 no
    assert m["false_abstention_rate"] == 0.2  # q3 of 5 answerable
    assert m["latency_p50_ms"] == 40.0
    assert m["latency_p95_ms"] == pytest.approx(67.0)
    assert [
        m[f"failures.{c}"]
        for c in ("retrieval miss", "extraction miss", "wrong abstention", "missing abstention", "error")
    ] == [1, 1, 1, 1, 0]


def test_per_language_metrics_exact(result) -> None:
    zh, en = result.metrics["zh"], result.metrics["en"]
    assert (zh["recall@1"], zh["recall@3"], zh["recall@10"]) == pytest.approx((1 / 3, 1.0, 1.0))
    assert zh["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert zh["answer_accuracy"] == pytest.approx(1 / 3)
    assert (zh["number_em"], zh["citation_accuracy"]) == (0.5, 1.0)
    assert (zh["abstention_precision"], zh["abstention_recall"]) == (0.5, 1.0)
    assert zh["false_abstention_rate"] == pytest.approx(1 / 3)
    assert (zh["latency_p50_ms"], zh["latency_p95_ms"]) == pytest.approx((25.0, 55.5))
    assert (en["recall@5"], en["recall@10"]) == (0.0, 0.5)
    assert en["mrr@10"] == pytest.approx(1 / 14)
    assert (en["answer_accuracy"], en["citation_accuracy"]) == (0.5, 0.0)
    assert en["number_em"] is None  # no quantity question in English here
    assert en["abstention_precision"] is None  # it never abstained
    assert (en["abstention_recall"], en["false_abstention_rate"]) == (0.0, 0.0)
    assert (en["latency_p50_ms"], en["latency_p95_ms"]) == pytest.approx((50.0, 68.0))


def test_failure_causes(result) -> None:
    causes = {r.id: r.cause for r in result.records}
    assert causes == {
        "q1": None,
        "q2": "extraction miss",
        "q3": "wrong abstention",
        "q4": None,
        "q5": "retrieval miss",
        "q6": None,
        "q7": "missing abstention",
    }
    text = format_failures(result)
    assert "4 of 7 questions failed" in text
    assert "q2 [zh] extraction miss" in text and "共立案14件" in text  # what came back instead
    assert "q5 [en] retrieval miss" in text and "evidence not in top 10" in text
    assert "q7 [en] missing abstention" in text and "(abstain)" in text


def test_table_and_json(result) -> None:
    table = format_table(result)
    header = table.splitlines()[0].split()
    assert header == ["metric", "all", "en", "zh"]
    assert any(line.startswith("recall@5") and "0.600" in line for line in table.splitlines())
    data = json.loads(json.dumps(to_json(result, result)))
    assert data["metrics"]["all"]["answer_accuracy"] == 0.4
    assert [f["id"] for f in data["failures"]] == ["q2", "q3", "q5", "q7"]
    assert len(data["questions"]) == 7 and "baseline" in data
    both = format_table(result, result)
    assert "all qa" in both.splitlines()[0]


def test_error_from_ask_is_a_failure_not_a_crash() -> None:
    def ask(question: str) -> Answer:
        raise InputError("question is only punctuation")

    res = evaluate(ask, QUESTIONS[:1], progress=False)
    assert res.records[0].cause == "error" and "punctuation" in res.records[0].error


def test_report_writes_html_and_plots(result, tmp_path: Path) -> None:
    from qa.evaluation.report import write_report

    page = write_report(result, tmp_path / "rep", baseline_result=result)
    assert page.name == "index.html"
    assert (tmp_path / "rep" / "recall_at_k.png").stat().st_size > 1000
    assert (tmp_path / "rep" / "latency.png").stat().st_size > 1000
    html = page.read_text(encoding="utf-8")
    assert "recall_at_k.png" in html and "q7" in html


# --- input errors ---

GOOD = {
    "id": "zh-001",
    "lang": "zh",
    "question": "多少件？",
    "answers": ["41件"],
    "evidence": ["共立案41件"],
    "source": "r.txt",
    "type": "quantity",
    "paraphrased": False,
}


def _write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
    )
    return path


def test_load_gold_reads_valid_file(tmp_path: Path) -> None:
    na = dict(GOOD, id="na-1", answers=[], evidence=[], type="unanswerable")
    qs = load_gold(_write(tmp_path, [GOOD, "", na]))
    assert [q.id for q in qs] == ["zh-001", "na-1"]
    assert qs[0].answerable and not qs[1].answerable


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "questions.jsonl line 3: invalid JSON"),
        (dict(GOOD, id="x", answers="41件"), "questions.jsonl line 3: 'answers' must be a list of"),
        (dict(GOOD, id="x", answers=[41]), "questions.jsonl line 3: 'answers' must be a list of"),
        ({k: v for k, v in GOOD.items() if k != "evidence"}, "questions.jsonl line 3: missing field(s) 'evidence'"),
        (dict(GOOD, id="x", type="how"), "questions.jsonl line 3: 'type' must be one of"),
        (dict(GOOD, id="x", evidence=[]), "questions.jsonl line 3: an answerable question needs"),
        (GOOD, "questions.jsonl line 3: duplicate id 'zh-001' (first on line 1)"),
        ([1, 2], "questions.jsonl line 3: expected a JSON object"),
    ],
)
def test_malformed_gold_line_names_the_line(tmp_path: Path, bad: object, message: str) -> None:
    path = _write(tmp_path, [GOOD, dict(GOOD, id="zh-002"), bad])
    with pytest.raises(InputError) as err:
        load_gold(path)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value) and err.value.exit_code == 2


def test_missing_or_empty_gold_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="no questions"):
        load_gold(_write(tmp_path, ["", "  "]))


def test_squad_without_questions_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"version": "1", "data": [{"paragraphs": [{"context": "正文。", "qas": []}]}]}))
    with pytest.raises(InputError, match="no questions"):
        load_squad(path)
    path.write_text("[]")
    with pytest.raises(InputError, match="not SQuAD format"):
        load_squad(path)
    with pytest.raises(InputError, match="not found"):
        load_squad(tmp_path / "missing.json")


def test_squad_loader_makes_documents_and_questions(tmp_path: Path) -> None:
    ctx = "游戏由韩国Nexon开发。若游戏中离，则4分钟内不得进行配对。"
    data = {
        "data": [
            {
                "paragraphs": [
                    {
                        "context": ctx,
                        "qas": [
                            {
                                "id": "A",
                                "question": "多少分钟内不得配对？",
                                "answers": [{"text": "4分钟", "answer_start": 20}],
                            },
                            {"id": "B", "question": "", "answers": [{"text": "x", "answer_start": 0}]},
                            {"id": "C", "question": "Who made it?", "is_impossible": True, "answers": []},
                        ],
                    }
                ]
            }
        ]
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ds = load_squad(path)
    assert [d.source for d in ds.documents] == ["ctx-0001"]
    assert [q.id for q in ds.questions] == ["A", "C"] and ds.skipped == 1
    a, c = ds.questions
    assert a.evidence == ("则4分钟内不得进行配对。",) and a.positions == ((20, 23),) and a.lang == "zh"
    assert not c.answerable and c.lang == "en"
    assert evidence_clause(ctx, "4分钟", 999) == "则4分钟内不得进行配对。"  # a wrong offset is repaired


def test_span_metrics_use_span_then_answer_text() -> None:
    q = GoldQuestion("s1", "zh", "question s1", ("4分钟",), ("则4分钟内",), "ctx-0001", positions=((3, 6),))
    hit = Hit(Chunk("c", "ctx-0001", 0, 20, "", "body", "别的文字"), 1.0)  # covers the answer's position

    def ask(question: str) -> Answer:
        return Answer(question=question, answer="4分钟内[1]", abstained=False, timings_ms={"total": 1.0}, hits=(hit,))

    res = evaluate(ask, [q], progress=False, span_metrics=True)
    m = res.metrics["all"]
    assert m["recall@1"] == 1.0  # position-based hit for SQuAD sets
    assert m["cmrc_em"] == 0.0 and m["cmrc_f1"] == pytest.approx(6 / 7)


def test_squad_hit_needs_half_of_a_long_answer() -> None:
    q = GoldQuestion(
        "s2", "zh", "question s2", ("x" * 10,), ("不在任何块里的证据",), "ctx-0001", positions=((100, 110),)
    )
    half = Chunk("a", "ctx-0001", 105, 200, "", "body", "后半")
    little = Chunk("b", "ctx-0001", 0, 104, "", "body", "前面")
    other = Chunk("c", "ctx-0002", 0, 300, "", "body", "别的文档")

    def ask(question: str) -> Answer:
        hits = tuple(Hit(c, 1.0) for c in (other, little, half))
        return Answer(question=question, answer="x", abstained=False, hits=hits)

    assert evaluate(ask, [q], progress=False).records[0].hit_rank == 3


# --- the command line: bad input is one line on stderr and exit code 2 ---


def _cli(argv: list[str], capsys) -> tuple[int, str]:
    from qa.cli.main import main

    code = main(argv)
    return code, capsys.readouterr().err.strip()


def test_cli_missing_gold_file_exits_2(tmp_path: Path, capsys) -> None:
    code, err = _cli(["eval", str(tmp_path / "nope.jsonl"), "--index", str(tmp_path), "--no-progress"], capsys)
    assert code == 2 and "not found" in err and "\n" not in err


def test_cli_malformed_gold_line_exits_2(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, [GOOD, dict(GOOD, id="x", answers="41件")])
    code, err = _cli(["eval", str(path), "--index", str(tmp_path), "--no-progress"], capsys)
    assert code == 2 and "questions.jsonl line 2: 'answers' must be a list" in err and "\n" not in err


def test_cli_squad_without_questions_exits_2(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"data": [{"paragraphs": [{"context": "正文。", "qas": []}]}]}))
    code, err = _cli(["eval", "--squad", str(path), "--no-progress"], capsys)
    assert code == 2 and "no questions" in err and "\n" not in err


def test_squad_index_is_cached_by_file_hash(tmp_path: Path) -> None:
    from qa.config import Settings
    from qa.evaluation.squad import ensure_index

    ctx = "游戏由韩国Nexon开发，中国大陆由盛大游戏运营。若游戏中离，则4分钟内不得进行配对。" * 3
    data = {
        "data": [
            {
                "paragraphs": [
                    {
                        "context": ctx,
                        "qas": [
                            {
                                "id": "A",
                                "question": "多少分钟内不得配对？",
                                "answers": [{"text": "4分钟", "answer_start": ctx.index("4分钟")}],
                            },
                        ],
                    }
                ]
            }
        ]
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings = Settings(embedder="fake")
    first_dir, first = ensure_index(load_squad(path), settings, root=tmp_path / "cache")
    again_dir, again = ensure_index(load_squad(path), settings, root=tmp_path / "cache")
    assert (first["cached"], again["cached"]) == (False, True) and first_dir == again_dir
    assert again["build_seconds"] == first["build_seconds"] >= 0
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")  # another file hash
    other_dir, other = ensure_index(load_squad(path), settings, root=tmp_path / "cache")
    assert other_dir != first_dir and not other["cached"]


def test_tagged_questions_get_a_column_of_their_own() -> None:
    from dataclasses import replace

    tagged = [replace(q, tags=("year",)) if q.id in ("q1", "q2") else q for q in QUESTIONS]
    tagged[0] = replace(tagged[0], tags=("year", "table"))
    res = evaluate(fake_ask, tagged, progress=False)
    assert res.metrics["#year"]["questions"] == 2 and res.metrics["#table"]["questions"] == 1
    assert res.metrics["#year"]["answer_accuracy"] == 0.5  # q1 right (十六 = 16), q2 wrong (14 for 41)
    assert res.metrics["#table"]["answer_accuracy"] == 1.0
    assert "#document" not in res.metrics


def test_tags_must_be_known(tmp_path: Path) -> None:
    line = {"id": "a", "lang": "zh", "question": "多少？", "answers": ["1件"], "evidence": ["共有1件事情在这里"],
            "source": "r.txt", "tags": ["year", "colour"]}  # fmt: skip
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="'tags' must be a list of year, document, table"):
        load_gold(path)
    line["tags"] = ["year", "table"]
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_gold(path)[0].tags == ("year", "table")
