"""What an index update reports as it goes: a fraction done and the step it is at.

A `Step` is typed, not a sentence: the CLI prints it in English (`str(step)`), the web UI words it in its own
language (qa.web.text.step_text). Callers that have their own words may report a plain string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

StepKind = Literal["read", "embed", "lexicon", "done"]


@dataclass(frozen=True)
class Step:
    """One step of an index update: a document read and chunked, chunks embedded so far, the lexicon being
    written, or the update done."""

    kind: StepKind
    name: str = ""  # the document ("read")
    done: int = 0  # chunks embedded so far ("embed"); documents in the index ("done")
    total: int = 0  # chunks to embed in this batch ("embed"); chunks in the index ("done")

    def __str__(self) -> str:
        if self.kind == "read":
            return f"read {self.name}"
        if self.kind == "embed":
            return f"embedding {self.done}/{self.total} chunks"
        if self.kind == "lexicon":
            return "writing the word lists"
        docs = "document" if self.done == 1 else "documents"
        return f"{self.done} {docs}, {self.total} chunks in the index"


Progress = Callable[[float, "Step | str"], None]
