"""The Python API (qa.assistant): bad arguments are an InputError with a message, never a crash or a silent guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import InputError

pytestmark = pytest.mark.usefixtures("fast_lexicon")


@pytest.fixture(scope="module")
def assistant(report_index: Path) -> Assistant:
    return Assistant.load(report_index, Settings(index_dir=report_index, embedder="fake"))


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (42, "must be text, not int"),
        (None, "must be text"),
        ("   ", "empty"),
        ("\udcff\udcfe提案", "broken characters"),
        ("？？！", "no words"),
    ],
)
def test_bad_questions_are_input_errors(assistant, question, words):
    with pytest.raises(InputError, match=words):
        assistant.ask(question)


@pytest.mark.parametrize("k", ["5", 0, -5, 2.5, True])
def test_k_must_be_a_whole_number_of_at_least_one(assistant, k):
    with pytest.raises(InputError, match="k must be a whole number"):
        assistant.ask("西夏区政协共立案多少件提案？", k=k)


def test_a_good_k_still_answers(assistant):
    assert "41" in assistant.ask("西夏区政协共立案多少件提案？", k=3).answer


@pytest.mark.parametrize("where", [None, "", 7])
def test_loading_needs_an_index_folder(where):
    with pytest.raises(InputError, match="give the index folder"):
        Assistant.load(where)  # type: ignore[arg-type]


def test_environment_values_are_checked():
    assert Settings.from_env({"QA_K": "7"}).k == 7
    with pytest.raises(InputError, match="QA_K='0'.*at least 1"):
        Settings.from_env({"QA_K": "0"})
    with pytest.raises(InputError, match="QA_CHUNK_SIZE='abc'.*whole number"):
        Settings.from_env({"QA_CHUNK_SIZE": "abc"})
    with pytest.raises(InputError, match="QA_ABSTAIN_THRESHOLD"):
        Settings.from_env({"QA_ABSTAIN_THRESHOLD": "high"})


@pytest.mark.parametrize("docs", [[42], "a.txt", [""], [None], ["a.txt", 3.5]])
def test_docs_must_be_a_list_of_names(assistant, docs):
    with pytest.raises(InputError, match="docs must be a list of document names"):
        assistant.ask("提案立案了多少件？", docs=docs)


def test_docs_by_name_still_answer(assistant):
    name = sorted(assistant.data.metas)[0]
    assert assistant.ask("提案立案了多少件？", docs=[name]).citations[0].source == name
