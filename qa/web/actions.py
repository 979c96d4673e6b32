"""What the web UI's events do, apart from Gradio's components: answer a question, describe the index.

`run_question` answers one question (limited to the picked documents) as a finished `Turn`; the header's
index line, the Documents tab's status message and the document choices are built here; `discard_uploads`
cleans Gradio's upload folder. The event handlers in qa.web.handlers call these.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem, QAError
from qa.types import Answer
from qa.web.render import CLOSEST_SHOWN, Turn, doc_label, esc, icon
from qa.web.state import AssistantHolder
from qa.web.text import t, tn

log = logging.getLogger(__name__)


def index_summary(index_dir: Path, lang: str) -> tuple[str, bool]:
    """The header's index line and whether the index is usable."""
    from qa.index import store

    try:
        manifest = store.read_manifest(index_dir)
    except IndexProblem as exc:
        return t(lang, "index_missing", msg=str(exc).rstrip(".")), False
    docs = tn(lang, "n_docs", len(manifest.documents))
    chunks = tn(lang, "n_chunks", manifest.n_chunks)
    info = t(lang, "index_info", docs=docs, chunks=chunks)
    from qa.index.freshness import stale_reasons

    reasons = stale_reasons(manifest)
    if reasons:
        more = f" +{len(reasons) - 1}" if len(reasons) > 1 else ""
        return info + " · " + t(lang, "stale", reason=reasons[0] + more), False
    return info, True


def header_html(index_dir: Path, lang: str) -> str:
    info, ok = index_summary(index_dir, lang)
    warn = "" if ok else icon("alert")
    return (
        f'<div id="qa-header"><h1>{icon("logo")}{esc(t(lang, "title"))}</h1>'
        f'<span class="qa-sub">{esc(t(lang, "subtitle"))}</span>'
        f'<span class="qa-info{"" if ok else " warn"}">{warn}{esc(info)}</span></div>'
    )


def status_html(lines: Sequence[str], kind: str = "ok") -> str:
    """The Documents tab's message, stamped with the time so a repeated message still shows as new.

    `kind` is "busy" (an update is running), "ok" or "error"; the last two are final (class
    qa-status-final), which is what a caller waits for.
    """
    stamp = time.strftime("%H:%M:%S")
    body = "<br>".join(esc(x) for x in lines)
    if kind == "busy":
        return f'<div class="qa-status qa-status-busy"><span class="qa-spinner"></span>{body}</div>'
    css = "qa-status qa-status-final " + ("qa-status-error" if kind == "error" else "qa-status-ok")
    mark = icon("error" if kind == "error" else "ok")
    return f'<div class="{css}">{mark}<span class="qa-status-time">{stamp}</span>{body}</div>'


def doc_choices(listed: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, source) choices of the document dropdowns for the listed documents."""
    return [(doc_label(d["source"], d.get("title", "")), d["source"]) for d in listed]


def doc_titles(holder: AssistantHolder) -> dict[str, str]:
    """source -> title of the loaded index ({} before it is loaded or for a fake assistant)."""
    metas = getattr(getattr(holder.peek(), "data", None), "metas", None) or {}
    return {s: getattr(m, "label", "") for s, m in metas.items()}


def limit_to(assistant: Any, picked: Iterable[str] | None) -> list[str] | None:
    """The picked documents still in the index (None: no filter; []: all of them are gone)."""
    picked = [p for p in (picked or []) if p]
    if not picked:
        return None
    metas = getattr(getattr(assistant, "data", None), "metas", None)
    if metas is None:
        return picked
    return [p for p in picked if p in metas]


#: The most a chat question may take (README "Guarantees"): past it the chat gets a one-line message and the
#: session goes on. The question's thread cannot be stopped; it finishes on its own in a pool of 4, whose size
#: bounds how many such threads there can be at once.
QUESTION_SECONDS = 15.0
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="qa-answer")
        return _POOL


def run_question(
    holder: AssistantHolder, question: str, picked: Sequence[str] | None = None, history: Sequence[str] = ()
) -> Turn:
    """Answer `question` (limited to the `picked` documents, if any; read against the conversation's earlier
    questions, `history`) as a finished Turn within QUESTION_SECONDS; errors and a question over the budget
    become turns."""
    future = _pool().submit(_answer_turn, holder, question, picked, tuple(history))
    try:
        return future.result(timeout=QUESTION_SECONDS)
    except FutureTimeout:
        log.warning("question over the %.0f s budget: %r", QUESTION_SECONDS, question[:200])
        return Turn(question, error_key="too_slow")


def _answer_turn(
    holder: AssistantHolder, question: str, picked: Sequence[str] | None, history: tuple[str, ...] = ()
) -> Turn:
    t0 = time.perf_counter()
    try:
        holder.check_for_update()  # a build made by `qa build` since the last look (cheap, rate-limited)
        assistant = holder.get()
        docs = limit_to(assistant, picked)
        if docs == []:
            return Turn(question, error_key="filter_gone")
        kw: dict[str, Any] = {"docs": docs} if docs else {}
        if history:
            kw["history"] = history
        answer = assistant.ask(question, **kw)
    except QAError as exc:
        return Turn(question, error=str(exc))
    except Exception as exc:  # keep the session alive, log the details
        log.exception("question failed: %r", question)
        return Turn(question, error=exc.__class__.__name__)
    ms = (time.perf_counter() - t0) * 1000
    if isinstance(answer, Answer):  # the session keeps only what rendering needs (the nearest hits)
        answer = replace(answer, hits=answer.hits[:CLOSEST_SHOWN])
    return Turn(question, answer, ms)


def discard_uploads(paths: Iterable[str | Path]) -> None:
    """Delete uploaded files from Gradio's upload folder once handled (accepted ones were copied already)."""
    import gradio as gr

    roots = {Path(gr.utils.get_upload_folder()).resolve()}
    for p in paths:
        try:
            path = Path(p).resolve()
            if not any(path.is_relative_to(r) and path != r for r in roots):
                continue
            path.unlink(missing_ok=True)
            if path.parent not in roots:
                path.parent.rmdir()  # the per-upload folder, when now empty
        except OSError:
            pass
