"""What an index update reports as it goes: a fraction done and the step it is at.

A `Step` is typed, not a sentence: the CLI prints it in English (`str(step)`), the web UI words it in its own
language (qa.web.text.step_text). Callers that have their own words may report a plain string. Reading a document
(OCR of a scanned page) reports through `note`, to whoever `reporting` named for the update under way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

StepKind = Literal["read", "ocr", "embed", "lexicon", "done"]


@dataclass(frozen=True)
class Step:
    """One step of an index update: a document read and chunked, chunks embedded so far, the lexicon being
    written, or the update done."""

    kind: StepKind
    name: str = ""  # the document ("read", "ocr")
    done: int = 0  # pages recognised ("ocr"), chunks embedded so far ("embed"); documents in the index ("done")
    total: int = 0  # pages to recognise ("ocr"), chunks to embed ("embed"); chunks in the index ("done")

    def __str__(self) -> str:
        if self.kind == "read":
            return f"read {self.name}"
        if self.kind == "ocr":
            return f"OCR of {self.name}: page {self.done}/{self.total}"
        if self.kind == "embed":
            return f"embedding {self.done}/{self.total} chunks"
        if self.kind == "lexicon":
            return "writing the word lists"
        docs = "document" if self.done == 1 else "documents"
        return f"{self.done} {docs}, {self.total} chunks in the index"


Progress = Callable[[float, "Step | str"], None]

_NOTE: ContextVar[Callable[[Step], None] | None] = ContextVar("qa_progress_note", default=None)


@contextmanager
def reporting(report: Progress | None) -> Iterator[Progress | None]:
    """Within the block, `note` reports to `report` at the fraction it was last given; yields the report to use
    (it remembers that fraction)."""
    if report is None:
        yield None
        return
    at = [0.0]

    def tell(frac: float, msg: Step | str) -> None:
        at[0] = frac
        report(frac, msg)

    token = _NOTE.set(lambda step: report(at[0], step))
    try:
        yield tell
    finally:
        _NOTE.reset(token)


def note(step: Step) -> None:
    """Report `step` to the update under way, if any (reading a document knows no fraction of the whole)."""
    tell = _NOTE.get()
    if tell is not None:
        tell(step)
