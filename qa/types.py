"""Small frozen result types shared by the library, the CLI, the UI and the evaluator."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["body", "caption", "heading"]


@dataclass(frozen=True)
class Document:
    """A loaded source file: its name relative to the corpus root and its raw text."""

    source: str
    raw_text: str
    pages: tuple[tuple[int, int], ...] = ()  # raw (start, end) of each page, when the format has pages
    path: str = ""  # absolute file it was read from ("" for in-memory documents)

    def page_of(self, offset: int) -> int | None:
        """1-based page holding raw `offset`, or None for formats without pages."""
        for i, (s, e) in enumerate(self.pages, start=1):
            if s <= offset < e:
                return i
        return None


@dataclass(frozen=True)
class Passage:
    """A cleaned run of text; `offsets[i]` is the raw index of `text[i]`."""

    text: str
    kind: Kind
    section: str
    offsets: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit. `start`/`end` are raw-file offsets; `text` is cleaned."""

    id: str
    source: str
    start: int
    end: int
    section: str
    kind: Kind
    text: str
    offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)
    page: int | None = None
    context: str = ""  # the section heading, or the document's opening sentence: what the chunk is about

    @property
    def search_text(self) -> str:
        """What retrieval indexes: the context line, then the chunk."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def raw_span(self, s: int, e: int) -> tuple[int, int]:
        """Map a [s, e) span of `text` to raw-file offsets."""
        if not self.offsets or e <= s:
            return self.start, self.end
        return self.offsets[s], self.offsets[e - 1] + 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["offsets"] = list(self.offsets)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        d = dict(d)
        d["offsets"] = tuple(d.get("offsets", ()))
        return cls(**d)


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval with its fused score and the two component scores."""

    chunk: Chunk
    score: float
    bm25: float = 0.0
    dense: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A numbered source: `highlight` is the answer span inside `text` ([s, e) character offsets)."""

    n: int
    source: str
    start: int
    end: int
    text: str
    highlight: tuple[int, int]
    score: float
    section: str = ""
    page: int | None = None
    title: str = ""  # the document's title

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["highlight"] = list(self.highlight)
        return d


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns; `to_dict()` is the CLI's JSON schema."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    lang: str = "zh"
    span: str = ""  # the extracted span in the source language (Chinese for an English question)
    confidence: float = 0.0  # how well the evidence covers the question (0-1); abstain below the threshold
    hits: tuple[Hit, ...] = field(default=(), repr=False, compare=False)
    searched: tuple[str, ...] = ()  # titles of the documents the question was limited to (empty: all)
    signals: dict[str, float] = field(default_factory=dict, repr=False, compare=False)  # what the confidence saw
    read_as: str = ""  # a follow-up question as the standalone question it was read as ("" when it stands alone)
    uncertain: bool = False  # answered, but with a confidence below Settings.uncertain_below
    from_doc: str = ""  # the cited document's label, when the index holds several and the question named none

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "span": self.span,
            "lang": self.lang,
            "confidence": round(self.confidence, 3),
            "uncertain": self.uncertain,
            "citations": [c.to_dict() for c in self.citations],
            "searched": list(self.searched),
            "read_as": self.read_as or None,
            "timings_ms": dict(self.timings_ms),
        }
