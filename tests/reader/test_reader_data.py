"""The reader's data (qa.reader.data) and training windows (qa.reader.samples), on tiny files the test writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fake_tokenizer import CharTokenizer
from squad_files import FACTS, write_benchmarks

from qa.reader.data import Example, drcd_held_out, hard_negatives, load_set, read_squad, training_examples
from qa.reader.samples import Sampler, SampleSettings, build_samples

TOK = CharTokenizer()


def test_answers_are_located_in_their_passage(tmp_path: Path) -> None:
    root = write_benchmarks(tmp_path)
    examples = load_set("cmrc-train", root)
    assert len(examples) == len(FACTS)
    for e in examples:
        text, start = e.answers[0]
        assert e.passage[start : start + len(text)] == text


def test_traditional_chinese_is_converted_and_offsets_still_hold(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    root = write_benchmarks(tmp_path)
    [e] = load_set("drcd", root)
    assert "台湾大学" in e.passage and e.question.startswith("台湾大学")
    text, start = e.answers[0]
    assert text == "1928年" and e.passage[start : start + len(text)] == text


def test_a_drcd_article_is_held_out_by_its_title_alone() -> None:
    held = [t for t in (f"drcd:title {i}" for i in range(1000)) if drcd_held_out(t)]
    assert 60 < len(held) < 140  # about a tenth
    assert all(drcd_held_out(t) for t in held)  # the same answer every time


def test_training_leaves_out_the_held_out_drcd_articles(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    root = write_benchmarks(tmp_path)
    sources = {e.source for e in training_examples(root)}
    assert sources == {"cmrc-train", "xquad-zh"} | ({"drcd"} if not drcd_held_out("drcd:drcd0") else set())


def test_a_hard_negative_is_another_passage_without_the_answer(tmp_path: Path) -> None:
    examples = load_set("cmrc-train", write_benchmarks(tmp_path))
    negatives = hard_negatives(examples)
    assert negatives
    for e in examples:
        if e.id in negatives:
            assert negatives[e.id] != e.passage
            assert not any(a in negatives[e.id] for a, _s in e.answers)


def test_a_question_gives_its_answer_window_and_no_answer_windows_point_at_the_start_token() -> None:
    passage = "前文" * 40 + "全年共立案41件提案。" + "后文" * 40
    e = Example("q1", "立案多少件？", passage, (("41件", passage.index("41件")),), "t", "g")
    sampler = Sampler(TOK, SampleSettings(max_len=40, overlap=10, other_windows=1.0, hard_negative=1.0))
    samples = sampler.samples(e, "别的段落没有这个数字。", random.Random(0))
    positive, *negatives = samples
    assert positive.start >= positive.first and positive.end >= positive.start
    got = "".join(chr(i - 10) for i in positive.ids[positive.start : positive.end + 1])
    assert got == "41件"
    assert len(negatives) >= 2 and all(n.start == n.end == 0 for n in negatives)


def test_an_answer_too_long_for_any_window_gives_no_samples() -> None:
    passage = "长" * 100
    e = Example("q", "问？", passage, ((passage, 0),), "t", "g")
    assert Sampler(TOK, SampleSettings(max_len=30, overlap=5)).samples(e, None, random.Random(0)) == []


def test_samples_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    examples = read_squad(write_benchmarks(tmp_path) / "cmrc2018_train.json", "cmrc-train")
    negatives = hard_negatives(examples)
    one = build_samples(examples, negatives, TOK, seed=1)
    assert one == build_samples(examples, negatives, TOK, seed=1)
    assert sum(s.start > 0 for s in one) == len(examples)
