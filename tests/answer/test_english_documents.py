"""An English document answers English questions: bare numbers with English units, dates, names."""

from __future__ import annotations

import pytest

from qa.answer.mentions import dates, persons, quantities
from qa.assistant import Assistant
from qa.config import Settings
from qa.index.build import build_index

REPORT = """Greenfield County Annual Report 2023

In 2023 the county built 358 new greenhouses and expanded vegetable farmland to 12,000 mu.
The county government allocated 8 million yuan for rural road maintenance.

On September 18, 2023, County Mayor John Smith inspected the new water plant.
The plant serves 45,000 residents and cost 120 million yuan to build.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    docs = tmp_path_factory.mktemp("endocs")
    (docs / "greenfield.txt").write_text(REPORT, encoding="utf-8")
    index = tmp_path_factory.mktemp("enidx") / "index"
    build_index([docs], index, Settings(embedder="fake"))
    return Assistant.load(index)


def test_english_quantities_keep_magnitude_and_unit() -> None:
    found = [m.text for m in quantities("The county allocated 8 million yuan and serves 45,000 residents in 2023.")]
    assert found == ["8 million yuan", "45,000 residents"]


def test_english_dates_and_names() -> None:
    text = "On September 18, 2023, County Mayor John Smith inspected the plant."
    assert [m.text for m in dates(text)] == ["September 18, 2023"]
    assert [m.text for m in persons(text)] == ["John Smith"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many greenhouses were built?", "358"),
        ("How much money was allocated for road maintenance?", "8 million yuan"),
        ("How many residents does the plant serve?", "45,000 residents"),
        ("When did the mayor inspect the water plant?", "September 18, 2023"),
        ("Who is the county mayor?", "John Smith"),
    ],
)
def test_english_questions_over_an_english_report(assistant: Assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert answer.span == expected
    assert expected in answer.answer and answer.answer.endswith("[1]")
    assert expected in answer.citations[0].text


def test_english_question_outside_the_report_abstains(assistant: Assistant) -> None:
    assert assistant.ask("What is the population of Mars?").abstained
