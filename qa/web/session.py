"""What one chat session keeps, and for how long: the last MAX_TURNS turns (older ones are let go, and the chat
says how many), the sources of the last SOURCE_TURNS answers, and nothing after SESSION_TTL_S idle seconds.

Every answer re-renders the chat, so without these bounds a long session's responses and memory grow with every
question (the probe: 800 questions, 798 MB -> 3.4 GB, 1.3 MB per response)."""

from __future__ import annotations

from collections.abc import Sequence

from qa.web.render import Turn

MAX_TURNS = 30  # turns a session keeps and the chat shows
SOURCE_TURNS = 10  # answered turns whose sources the sources panel holds
SESSION_TTL_S = 3600  # a session's conversation is released this long after its last question


def add_turn(turns: Sequence[Turn], question: str) -> list[Turn]:
    """`turns` with a pending turn for `question` appended, numbered on from the last, the oldest let go past
    MAX_TURNS."""
    n = (turns[-1].n or len(turns)) + 1 if turns else 1
    return [*list(turns)[-(MAX_TURNS - 1) :], Turn(question, n=n)]


def source_turns(turns: Sequence[Turn]) -> list[Turn]:
    """The turns whose sources the panel shows: the last SOURCE_TURNS answered ones (numbers kept)."""
    answered = [(turn.n or i, turn) for i, turn in enumerate(turns, start=1) if turn.answer is not None]
    return [Turn(t.question, t.answer, t.ms, n=n) for n, t in answered[-SOURCE_TURNS:]]
