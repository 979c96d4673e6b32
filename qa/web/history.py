"""The conversation kept in the browser (localStorage, through `gr.BrowserState`), so a reload brings it back.

A turn is stored as plain JSON: the question, the answer as `qa ask --json` prints it (plus the document it came
from and the nearest passages of a not-found answer), the time it took, its number and any error. Stored data
comes back from the browser, so reading it trusts nothing: what does not parse is dropped, never raised.
Pending turns are not stored. The "clear" button empties it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from qa.types import Answer, Chunk, Citation, Hit
from qa.web.render import CLOSEST_SHOWN, Turn
from qa.web.session import MAX_TURNS


def storage_key(index_dir: Path) -> str:
    """The localStorage key of the conversations about one index (two servers on one host keep theirs apart)."""
    return "qa-chat-" + hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:12]


def _chunk_dict(hit: Hit) -> dict[str, Any]:
    c = hit.chunk
    return {"source": c.source, "start": c.start, "end": c.end, "text": c.text, "page": c.page}


def save_turns(turns: list[Turn]) -> list[dict[str, Any]]:
    """The answered turns (and those that failed) as JSON, the last MAX_TURNS."""
    out: list[dict[str, Any]] = []
    for i, turn in enumerate(turns, start=1):
        if turn.pending:
            continue
        item: dict[str, Any] = {"question": turn.question, "ms": round(turn.ms, 1), "n": turn.n or i}
        if turn.answer is not None:
            answer = turn.answer.to_dict()
            answer["from_doc"] = turn.answer.from_doc
            if turn.answer.abstained:
                answer["closest"] = [_chunk_dict(h) for h in turn.answer.hits[:CLOSEST_SHOWN]]
            item["answer"] = answer
        item["error"], item["error_key"] = turn.error, turn.error_key
        out.append(item)
    return out[-MAX_TURNS:]


def _citation(d: dict[str, Any]) -> Citation:
    hl = d.get("highlight") or (0, 0)
    return Citation(
        n=int(d["n"]),
        source=str(d["source"]),
        start=int(d["start"]),
        end=int(d["end"]),
        text=str(d["text"]),
        highlight=(int(hl[0]), int(hl[1])),
        score=float(d.get("score") or 0.0),
        section=str(d.get("section") or ""),
        page=int(d["page"]) if isinstance(d.get("page"), int) else None,
        title=str(d.get("title") or ""),
    )


def _closest(d: dict[str, Any], i: int) -> Hit:
    chunk = Chunk(
        id=f"saved-{i}",
        source=str(d["source"]),
        start=int(d["start"]),
        end=int(d["end"]),
        section="",
        kind="body",
        text=str(d["text"]),
        page=int(d["page"]) if isinstance(d.get("page"), int) else None,
    )
    return Hit(chunk, 0.0)


def _answer(d: dict[str, Any]) -> Answer:
    return Answer(
        question=str(d["question"]),
        answer=str(d["answer"]),
        abstained=bool(d["abstained"]),
        citations=tuple(_citation(c) for c in d.get("citations") or ()),
        lang=str(d.get("lang") or "zh"),
        span=str(d.get("span") or ""),
        confidence=float(d.get("confidence") or 0.0),
        hits=tuple(_closest(c, i) for i, c in enumerate(d.get("closest") or ())),
        searched=tuple(str(s) for s in d.get("searched") or ()),
        read_as=str(d.get("read_as") or ""),
        uncertain=bool(d.get("uncertain")),
        from_doc=str(d.get("from_doc") or ""),
    )


def load_turns(data: Any) -> list[Turn]:
    """The turns stored in the browser; an item that does not parse is left out (a damaged store is empty)."""
    if not isinstance(data, list):
        return []
    turns: list[Turn] = []
    for item in data[-MAX_TURNS:]:
        try:
            answer = _answer(item["answer"]) if item.get("answer") else None
            turn = Turn(
                str(item["question"]),
                answer,
                float(item.get("ms") or 0.0),
                error=str(item.get("error") or ""),
                error_key=str(item.get("error_key") or ""),
                n=int(item.get("n") or 0),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue
        if not turn.pending:
            turns.append(turn)
    return turns
