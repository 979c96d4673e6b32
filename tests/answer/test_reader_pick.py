"""The learned reader in an answer (qa.answer.spans.reader_span, qa.answer.reading): its span answers first when it
is sure and of the asked-for kind, keeps the unit of a number, never answers with the question's own words, and
its no-answer probability reaches the confidence. A fake reader stands in for the model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import PROPOSALS

from qa.assistant import Assistant
from qa.config import AnswerWeights, Settings
from qa.index.build import build_index
from qa.reader.decode import WindowSpans

WORK = """西夏区政协2024年工作概况

委员作用发挥更具活力。李学成、崔小青等20余名委员捐资近3万元，慰问帮扶困境儿童、
残疾老人40余人，西夏区政协对年度履职表现突出的47名委员进行通报表扬。

西夏区政协主席李海峰带队到镇北堡调研6次。
"""


class PointingReader:
    """Points at the first place each passage holds `target`, with probability `prob`."""

    def __init__(self, target: str, prob: float = 0.9, null: float = 0.05) -> None:
        self.target, self.prob, self.null = target, prob, null
        self.calls: list[str] = []
        self.passages: list[str] = []  # every passage read, in order

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]:
        self.calls.append(question)
        self.passages += passages
        out = []
        for p in passages:
            at = p.find(self.target)
            spans = [(at, at + len(self.target), self.prob)] if at >= 0 else []
            out.append(WindowSpans(spans, self.null if spans else 0.9))
        return out


@pytest.fixture(scope="module")
def work_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("work")
    docs = base / "docs"
    docs.mkdir()
    (docs / "work.txt").write_text(WORK, encoding="utf-8")
    (docs / "proposals.txt").write_text(PROPOSALS, encoding="utf-8")
    build_index([docs], base / "index", Settings(embedder="fake"))
    return base / "index"


EVERY_TYPE = ("quantity", "when", "who", "where", "alias", "contact", "what")


def ask(index: Path, question: str, reader: PointingReader | None, **weights: object) -> object:
    """Asked with the reader given first place for every question type (unless `weights` say otherwise)."""
    weights = {"reader_types": EVERY_TYPE, **weights}
    settings = Settings(embedder="fake", abstain_threshold=0.0)
    settings = replace(settings, weights=replace(settings.weights, **weights))  # type: ignore[arg-type]
    a = Assistant.load(index, settings)
    a._resources = replace(a.resources, reader=reader)
    return a.ask(question)


def test_a_sure_reader_span_answers_and_a_number_keeps_its_unit(work_index: Path) -> None:
    rule = ask(work_index, "委员捐资多少？", None)
    read = ask(work_index, "委员捐资多少？", PointingReader("3万"))
    assert "3万元" in read.span  # type: ignore[attr-defined]
    assert read.signals["reader"] == pytest.approx(0.9)  # type: ignore[attr-defined]
    assert rule.signals["reader"] == 0.0  # type: ignore[attr-defined]


def test_the_rules_answer_a_donation_with_its_sum(work_index: Path) -> None:
    """ "委员捐资多少" asks for the money given (近3万元), not how many members gave it (20余名)."""
    rule = ask(work_index, "委员捐资多少？", None)
    assert "3万元" in rule.span and "20余名" not in rule.span  # type: ignore[attr-defined]


def test_a_reader_span_of_the_wrong_kind_gives_way_to_the_rules(work_index: Path) -> None:
    rule = ask(work_index, "共立案多少件？", None)
    read = ask(work_index, "共立案多少件？", PointingReader("提案办理"))  # no number in it
    assert read.span == rule.span  # type: ignore[attr-defined]
    assert "41" in read.span  # type: ignore[attr-defined]


def test_a_name_question_takes_the_reader_s_span(work_index: Path) -> None:
    read = ask(work_index, "谁带队到镇北堡调研？", PointingReader("李海峰"))
    assert read.span == "李海峰"  # type: ignore[attr-defined]


def test_an_unsure_reader_leaves_the_choice_to_the_rules(work_index: Path) -> None:
    rule = ask(work_index, "委员捐资多少？", None)
    unsure = ask(work_index, "委员捐资多少？", PointingReader("20余名", prob=0.1))
    assert unsure.span == rule.span  # type: ignore[attr-defined]


def test_the_question_s_own_words_are_never_the_reader_s_answer(work_index: Path) -> None:
    read = ask(work_index, "李海峰带队到哪里调研？", PointingReader("李海峰"))
    assert read.span != "李海峰"  # type: ignore[attr-defined]


def test_the_passage_s_no_answer_probability_reaches_the_confidence(work_index: Path) -> None:
    read = ask(work_index, "委员捐资多少？", PointingReader("3万", null=0.4))
    assert read.signals["reader_null"] == pytest.approx(0.4)  # type: ignore[attr-defined]
    assert read.signals["reader_read"] == 1.0  # type: ignore[attr-defined]
    rule = ask(work_index, "委员捐资多少？", None)
    assert rule.signals["reader_read"] == 0.0  # type: ignore[attr-defined]


def test_by_default_numbers_stay_with_the_rules_and_the_reader_is_not_run_for_them(work_index: Path) -> None:
    default = AnswerWeights().reader_types
    rule = ask(work_index, "委员捐资多少？", None)
    reader = PointingReader("20余名")
    read = ask(work_index, "委员捐资多少？", reader, reader_types=default)
    assert read.span == rule.span  # type: ignore[attr-defined]
    assert reader.calls == []
    name = ask(work_index, "谁带队到镇北堡调研？", PointingReader("李海峰"), reader_types=default)
    assert name.span == "李海峰"  # type: ignore[attr-defined]


def test_reader_first_off_keeps_the_rules_span(work_index: Path) -> None:
    rule = ask(work_index, "谁带队到镇北堡调研？", None)
    off = ask(work_index, "谁带队到镇北堡调研？", PointingReader("镇北堡"), reader_first=False)
    assert off.span == rule.span  # type: ignore[attr-defined]


def test_the_reader_reads_stretches_centred_on_the_best_sentences_each_once() -> None:
    from qa.answer.evidence import Candidate
    from qa.answer.reading import around
    from qa.types import Chunk, Hit

    text = "甲" * 100 + "目标句子在这里。" + "乙" * 100
    hit = Hit(Chunk("c1", "s.txt", 0, len(text), "", "body", text), 1.0)  # type: ignore[arg-type]
    s = text.index("目标")
    cands = [Candidate(0, s, s + 8, 1.0, 1.0), Candidate(0, s + 2, s + 6, 0.9, 0.9), Candidate(0, 0, 10, 0.5, 0.5)]
    parts = around(cands, [hit], segments=2, chars=40)
    assert parts[0] == (0, s - 16, s + 24)  # centred on the first sentence, 40 characters
    assert len(parts) == 2 and parts[1] == (0, 0, 40)  # the second sentence lies inside the first stretch
    assert around(cands, [hit], segments=1, chars=40) == parts[:1]


def _two_chunks(first: str, first_kind: str, second: str) -> tuple[list[Any], list[Any]]:
    """Two hits (`first` of kind `first_kind`, then a body chunk `second`), each one evidence sentence."""
    from qa.answer.evidence import Candidate
    from qa.types import Chunk, Hit

    hits = [
        Hit(Chunk("c0", "s.txt", 0, len(first), "", first_kind, first), 1.0),  # type: ignore[arg-type]
        Hit(Chunk("c1", "s.txt", 20, 20 + len(second), "", "body", second), 0.9),  # type: ignore[arg-type]
    ]
    return hits, [Candidate(0, 0, len(first), 1.0, 1.0), Candidate(1, 0, len(second), 0.8, 0.8)]


def test_a_heading_takes_no_stretch_of_the_reader() -> None:
    """A title that repeats the question's words ranks first but holds no answer: the stretch goes to the body."""
    from qa.answer.reading import around

    title, body = "青山区政协2024年工作报告", "区政协主席王立新主持召开常委会议12次。"
    hits, cands = _two_chunks(title, "heading", body)
    assert around(cands, hits, segments=1, chars=350) == [(1, 0, len(body))]
    assert around(cands[:1], hits, segments=1, chars=350) == []  # only a heading: nothing is read


def test_the_reader_reads_the_next_stretch_only_while_it_is_unsure() -> None:
    """The best chunk is read first; the next one only when no span there is sure enough to answer."""
    from qa.answer.reading import Reading

    first, second = "甲乙丙丁戊己庚辛。", "主席李海峰带队调研。"
    hits, cands = _two_chunks(first, "body", second)
    sure = PointingReader("丙丁", 0.9)
    reading = Reading.of(sure, "谁？", hits, cands, segments=2, chars=350, enough=0.3)
    assert sure.passages == [first] and reading.best is not None and reading.best.hit_rank == 0
    unsure = PointingReader("李海峰", 0.9)  # nothing in the first chunk: the second is read, and its span found
    reading = Reading.of(unsure, "谁？", hits, cands, segments=2, chars=350, enough=0.3)
    assert unsure.passages == [first, second] and reading.best is not None and reading.best.hit_rank == 1
    both = PointingReader("丙丁", 0.9)
    Reading.of(both, "谁？", hits, cands, segments=2, chars=350)  # enough 0: all stretches at once
    assert both.passages == [first, second]


def test_a_chinese_clause_in_which_the_reader_finds_no_answer_is_not_an_answer(work_index: Path) -> None:
    """The reader read the evidence, found no span and is sure it holds no answer: the rules' clause (no span of
    the asked kind) is not given ("毕业于哪所大学" over a passage that never says)."""
    question = "西夏区政协主席李海峰毕业于哪所大学？"
    rule = ask(work_index, question, None)
    refused = ask(work_index, question, PointingReader("不在文中"))  # no span anywhere, no-answer 0.9
    assert rule.signals["heuristic"] > 0.0  # type: ignore[attr-defined]
    assert refused.signals["reader_null"] >= AnswerWeights().reader_refusal_null  # type: ignore[attr-defined]
    assert refused.signals["heuristic"] == 0.0  # type: ignore[attr-defined]
    sure_of_nothing = Assistant.load(work_index, Settings(embedder="fake"))
    sure_of_nothing._resources = replace(sure_of_nothing.resources, reader=PointingReader("不在文中"))
    assert sure_of_nothing.ask(question).abstained


def test_the_reader_s_refusal_leaves_spans_of_the_asked_kind_and_english_questions_alone() -> None:
    from conftest import plain_signals

    from qa.answer.confidence import heuristic

    weights = AnswerWeights()
    doubt = dict(reader_read=1.0, reader_null=0.95, reader=0.0)
    assert heuristic(plain_signals(typed=False, **doubt), weights) == 0.0
    assert heuristic(plain_signals(typed=True, **doubt), weights) > 0.0  # a date from the dateline, say
    assert heuristic(plain_signals(typed=False, english=True, **doubt), weights) > 0.0
    assert heuristic(plain_signals(typed=False, **{**doubt, "reader_null": 0.5}), weights) > 0.0
