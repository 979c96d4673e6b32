"""A paraphrased "how many" question whose words the answering sentence does not share: among the evidence
sentences holding a figure of the asked measure, the one the encoder finds clearly closest is read, and only when
it writes the question's measure word (qa.answer.meaning)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.answer.evidence import Candidate
from qa.answer.meaning import by_meaning
from qa.answer.question import analyse_question
from qa.answer.similarity import SentenceSimilarity
from qa.answer.spans import Pick
from qa.config import AnswerWeights
from qa.index.embedders import FEW_PASSAGES
from qa.retrieve.query import Query
from qa.types import Chunk, Hit

#: A weights set on the raw cosine scale (support = cosine), so the stub's cosines are the supports compared.
WEIGHTS = AnswerWeights(dense_floor=0.0, dense_full=1.0)


class TableEmbedder:
    """Vectors looked up by text: each sentence's cosine with the question (unit vector e0) is set by hand."""

    name = "table"
    dim = 2

    def __init__(self, cosines: dict[str, float]) -> None:
        self.cosines = cosines
        self.calls = 0

    def encode(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        self.calls += 1
        rows = []
        for t in texts:
            c = 1.0 if kind == "query" else self.cosines[t]
            rows.append([c, float(np.sqrt(max(0.0, 1 - c * c)))])
        return np.asarray(rows, dtype=np.float32)


def _ask(question: str, sentences: dict[str, float]) -> tuple[Pick | None, list[str]]:
    """by_meaning over one chunk holding `sentences` (each with its cosine), no figure chosen by coverage; the
    sentence read, if any."""
    text = "".join(sentences)
    chunk = Chunk("c0", "report.txt", 0, len(text), "", "text", text)
    hits = [Hit(chunk, 1.0)]
    cands, pos = [], 0
    for s in sentences:
        cands.append(Candidate(0, pos, pos + len(s), 0.1, 0.1))
        pos += len(s)
    embedder = TableEmbedder(sentences)
    query = Query(question, "zh", list(question), vector=embedder.encode([question], "query")[0])
    read: list[str] = []

    def reader(one: list[Candidate]) -> Pick:
        read.append(text[one[0].start : one[0].end])
        return Pick(one[0])

    info = analyse_question(question, "zh")
    return by_meaning(None, cands, hits, query, info, SentenceSimilarity(embedder), WEIGHTS, reader), read


QUESTION = "去年增加了多少个价格不贵的托儿名额？"
NURSERY = "新增普惠托位3200个。"
HOMES = "改造老旧小区43个。"
CENTRES = "建成养老服务中心20个。"
PLAIN = "托育服务体系更加完善。"


def test_the_clearly_closest_sentence_with_a_figure_of_the_measure_is_read() -> None:
    pick, read = _ask(QUESTION, {PLAIN: 0.95, HOMES: 0.82, NURSERY: 0.93, CENTRES: 0.80})
    assert pick is not None and read == [NURSERY]  # a closer sentence without a figure is no answer


def test_a_sentence_the_encoder_cannot_tell_from_the_next_is_not_read() -> None:
    pick, read = _ask(QUESTION, {HOMES: 0.88, NURSERY: 0.93})
    assert pick is None and read == []


def test_a_weak_best_sentence_is_not_read() -> None:
    pick, _ = _ask(QUESTION, {HOMES: 0.5, NURSERY: 0.75})
    assert pick is None


def test_the_only_sentence_with_a_figure_of_the_measure_is_read_when_close_enough() -> None:
    # "广西2025年全区地里一共收了多少斤粮食？" against the one sentence with 斤 among the evidence, 粮食产量280.9亿斤
    pick, read = _ask(QUESTION, {PLAIN: 0.5, NURSERY: 0.95})
    assert pick is not None and read == [NURSERY]
    pick, read = _ask(QUESTION, {PLAIN: 0.95, NURSERY: 0.75})
    assert pick is None and read == []


def test_the_figure_must_be_written_in_the_question_s_measure_word() -> None:
    # 家 asked: 28个 is of the same family (what is counted in 个 may be counted in 家) but not written so
    pick, _ = _ask("全区规模以上工业企业有多少家？", {"实施重点工业项目28个。": 0.95, "新建标准厂房5栋。": 0.6})
    assert pick is None
    pick, read = _ask("全区规模以上工业企业有多少家？", {"规上工业企业达到62家。": 0.95, "新建项目28个。": 0.6})
    assert pick is not None and read == ["规上工业企业达到62家。"]


@pytest.mark.parametrize("question", ["去年经济总量是多少？", "托育中心是哪一年建成的？"])
def test_a_question_naming_no_measure_or_asking_no_figure_is_left_alone(question: str) -> None:
    pick, _ = _ask(question, {NURSERY: 0.99, HOMES: 0.1})
    assert pick is None


def test_the_candidate_sentences_are_embedded_in_few_small_batches() -> None:
    # small enough for the question path's ONNX session: answering never loads torch
    many = {f"第{i}项任务完成{i}个。": 0.5 for i in range(FEW_PASSAGES * 2 + 1)}
    e = TableEmbedder({NURSERY: 0.9, HOMES: 0.2, **many})
    sizes: list[int] = []
    encode = e.encode
    e.encode = lambda texts, kind="passage": sizes.append(len(texts)) or encode(texts, kind)  # type: ignore[method-assign]
    sim = SentenceSimilarity(e)
    q = Query(QUESTION, "zh", list(QUESTION), vector=encode([QUESTION], "query")[0])
    assert sim.cosines(q, [NURSERY, HOMES, NURSERY]) == pytest.approx([0.9, 0.2, 0.9])
    assert sizes == [2]  # each sentence once
    assert sim.cosines(q, [HOMES]) == pytest.approx([0.2]) and sizes == [2]  # cached
    sizes.clear()
    sim.cosines(q, list(many))
    assert sizes == [FEW_PASSAGES, FEW_PASSAGES, 1]


WATER = "水质优良比例达100%。"
FOREST = "全市林木覆盖率31.95%。"


def _override(sentences: dict[str, float], chosen: str) -> str:
    """by_meaning over one chunk of `sentences`, the figure by coverage being in `chosen`: the sentence kept."""
    text = "".join(sentences)
    chunk = Chunk("c0", "report.txt", 0, len(text), "", "text", text)
    cands, pos = [], 0
    for s in sentences:
        cands.append(Candidate(0, pos, pos + len(s), 0.1, 0.1))
        pos += len(s)
    embedder = TableEmbedder(sentences)
    question = "全市树木覆盖的比例达到了多少？"
    query = Query(question, "zh", list(question), vector=embedder.encode([question], "query")[0])
    pick = Pick(cands[list(sentences).index(chosen)])
    out = by_meaning(
        pick, cands, [Hit(chunk, 1.0)], query, analyse_question(question, "zh"), SentenceSimilarity(embedder),
        WEIGHTS, lambda one: Pick(one[0]),
    )  # fmt: skip
    assert out is not None
    return text[out.cand.start : out.cand.end]


def test_a_figure_much_closer_in_meaning_replaces_the_one_chosen_by_coverage() -> None:
    assert _override({WATER: 0.55, FOREST: 0.92, "空气优良天数比率79.7%。": 0.6}, WATER) == FOREST


def test_a_figure_only_somewhat_closer_leaves_the_choice_alone() -> None:
    assert _override({WATER: 0.8, FOREST: 0.92, "空气优良天数比率79.7%。": 0.6}, WATER) == WATER
    assert _override({WATER: 0.55, FOREST: 0.92, "空气优良天数比率79.7%。": 0.88}, WATER) == WATER  # no clear best
