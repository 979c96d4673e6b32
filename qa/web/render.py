"""Pure HTML rendering for the web UI: answers with linked [n] markers and the sources panel.

Every piece of document or user text goes through `html.escape`; the output is single-line HTML so
the chatbot's Markdown renderer passes it through as one HTML block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from qa.types import Answer, Citation, Hit
from qa.web.text import t

_MARKER = re.compile(r"\[(\d{1,3})\]")
_CLOSEST_MAX = 3
_CLOSEST_CHARS = 160
SNIPPET_CHARS = 400  # longer cited chunks are cut around the highlighted span


def esc(text: object) -> str:
    """HTML-escape `text` (quotes included) and keep line breaks visible."""
    return html.escape(str(text), quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def format_ms(ms: float) -> str:
    """12 ms, 850 ms, 1.2 s."""
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def format_size(n: float | None) -> str:
    """Human-readable byte count."""
    if n is None:
        return ""
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"


def format_time(value: Any) -> str:
    """An ISO string or epoch seconds as 'YYYY-MM-DD HH:MM' (local time)."""
    if value in (None, ""):
        return ""
    try:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(float(value)).strftime("%Y-%m-%d %H:%M")
        return datetime.fromisoformat(str(value)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OSError, OverflowError):
        return str(value)


def cite_id(turn: int, n: int) -> str:
    """DOM id of citation `n` of answer `turn` in the sources panel."""
    return f"src-{turn}-{n}"


def link_markers(escaped: str, turn: int, known: Iterable[int]) -> str:
    """Turn [n] markers of already-escaped answer text into links to the sources panel."""
    ok = set(known)

    def sub(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in ok:
            return m.group(0)
        return f'<a class="qa-cite" href="#{cite_id(turn, n)}">[{n}]</a>'

    return _MARKER.sub(sub, escaped)


def render_question(question: str) -> str:
    """The user's message, shown literally."""
    return f'<div class="qa-question">{esc(question)}</div>'


def render_answer(answer: Answer, latency_ms: float, lang: str, turn: int) -> str:
    """The assistant's chat message: answer text with linked markers, a not-found badge, latency.

    The chatbot's sanitiser drops data-* attributes, so the turn travels in a class (qa-t<turn>).
    """
    meta = [t(lang, "latency", ms=format_ms(latency_ms))]
    if answer.abstained:
        body = (
            f'<span class="qa-badge">⚠ {esc(t(lang, "not_found"))}</span>'
            f'<span class="qa-abstain-text">{esc(answer.answer)}</span>'
        )
        return (
            f'<div class="qa-answer qa-done qa-abstain qa-t{turn}">{body}'
            f'<div class="qa-meta">{esc(" · ".join(meta))}</div></div>'
        )
    text = link_markers(esc(answer.answer), turn, (c.n for c in answer.citations))
    if answer.citations:
        meta.append(t(lang, "n_sources", n=len(answer.citations)))
    if answer.confidence:
        meta.append(t(lang, "confidence", p=f"{answer.confidence:.0%}"))
    return (
        f'<div class="qa-answer qa-done qa-t{turn}"><div class="qa-answer-text">{text}</div>'
        f'<div class="qa-meta">{" · ".join(esc(m) for m in meta)}</div></div>'
    )


def render_thinking(lang: str) -> str:
    """Placeholder shown while the answer is computed."""
    return f'<div class="qa-answer qa-thinking"><span class="qa-dots"></span>{esc(t(lang, "thinking"))}</div>'


def render_error(msg: str, lang: str) -> str:
    """A one-line error shown in the chat instead of an answer."""
    return f'<div class="qa-answer qa-done qa-error">{esc(t(lang, "error", msg=msg))}</div>'


def highlight(text: str, span: tuple[int, int] | Sequence[int] | None) -> str:
    """Escaped `text` with <mark> around the [s, e) span (clamped; no mark when empty)."""
    if not span or len(span) != 2:
        return esc(text)
    s, e = max(0, int(span[0])), min(len(text), int(span[1]))
    if s >= e:
        return esc(text)
    return f"{esc(text[:s])}<mark>{esc(text[s:e])}</mark>{esc(text[e:])}"


def window(text: str, span: Sequence[int] | None, limit: int = SNIPPET_CHARS) -> tuple[str, tuple[int, int] | None]:
    """Cut a long snippet to about `limit` characters around the span; returns (text, shifted span)."""
    s, e = (int(span[0]), int(span[1])) if span and len(span) == 2 else (0, 0)
    if len(text) <= limit:
        return text, ((s, e) if span else None)
    s, e = max(0, min(s, len(text))), max(0, min(e, len(text)))
    room = max(0, limit - (e - s)) // 2
    lo = max(0, s - room)
    hi = min(len(text), max(e, lo + limit))
    lo = max(0, min(lo, hi - limit))
    head, tail = ("…" if lo > 0 else ""), ("…" if hi < len(text) else "")
    return head + text[lo:hi] + tail, ((s - lo + len(head), e - lo + len(head)) if e > s else None)


def location(lang: str, start: int, end: int, page: int | None) -> str:
    """'字符 120–180 · 第 2 页' (page only when known)."""
    parts = [t(lang, "chars", s=start, e=end)]
    if page:
        parts.append(t(lang, "page", p=page))
    return " · ".join(parts)


def render_citation(c: Citation, lang: str, turn: int) -> str:
    """One card of the sources panel."""
    section = f'<span class="qa-src-section">§ {esc(c.section)}</span>' if c.section else ""
    return (
        f'<div class="qa-src" id="{cite_id(turn, c.n)}">'
        f'<div class="qa-src-head"><span class="qa-src-n">[{c.n}]</span>'
        f'<span class="qa-src-file" title="{esc(c.source)}">📄 {esc(c.source)}</span>'
        f'<span class="qa-src-score">{esc(t(lang, "score", s=f"{c.score:.2f}"))}</span></div>'
        f'<div class="qa-src-meta">{section}'
        f'<span class="qa-src-loc">{esc(location(lang, c.start, c.end, c.page))}</span></div>'
        f'<div class="qa-src-text">{highlight(*window(c.text, c.highlight))}</div></div>'
    )


def render_closest(hits: Sequence[Hit], lang: str) -> str:
    """Greyed list of the nearest passages shown under a not-found answer."""
    items = []
    for h in hits[:_CLOSEST_MAX]:
        ch = h.chunk
        text = ch.text if len(ch.text) <= _CLOSEST_CHARS else ch.text[:_CLOSEST_CHARS] + "…"
        items.append(
            f'<div class="qa-src qa-src-weak"><div class="qa-src-head">'
            f'<span class="qa-src-file">📄 {esc(ch.source)}</span></div>'
            f'<div class="qa-src-meta"><span class="qa-src-loc">'
            f"{esc(location(lang, ch.start, ch.end, ch.page))}</span></div>"
            f'<div class="qa-src-text">{esc(text)}</div></div>'
        )
    if not items:
        return ""
    return f'<div class="qa-closest-title">{esc(t(lang, "closest"))}</div>' + "".join(items)


def render_turn_sources(answer: Answer, lang: str, turn: int) -> str:
    """The sources section for one answer (kept per turn so older [n] links still resolve)."""
    if answer.citations and not answer.abstained:
        body = "".join(render_citation(c, lang, turn) for c in answer.citations)
    else:
        body = f'<div class="qa-src-empty">{esc(t(lang, "no_citations"))}</div>'
        body += render_closest(answer.hits, lang)
    return (
        f'<section class="qa-turn" id="qa-turn-{turn}">'
        f'<div class="qa-turn-q">{esc(answer.question)}</div>{body}</section>'
    )


def render_sources_panel(sections: Sequence[str], lang: str) -> str:
    """All turns' sections, newest first and only the newest visible (JS switches on click)."""
    if not sections:
        return (
            f'<div id="qa-sources" class="qa-sources"><div class="qa-sources-title">{esc(t(lang, "sources"))}</div>'
            f'<div class="qa-src-empty">{esc(t(lang, "sources_empty"))}</div></div>'
        )
    ordered = list(reversed(sections))
    ordered[0] = ordered[0].replace('class="qa-turn"', 'class="qa-turn active"', 1)
    return (
        f'<div id="qa-sources" class="qa-sources"><div class="qa-sources-title">{esc(t(lang, "sources"))}</div>'
        + "".join(ordered)
        + "</div>"
    )


def documents_table(docs: Sequence[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Rows for the Documents tab's Dataframe: name, size, chunks, indexed at."""
    headers = [t(lang, k) for k in ("col_name", "col_size", "col_chunks", "col_indexed")]
    rows = [
        [
            str(d.get("source", "")),
            format_size(d.get("size")),
            int(d.get("chunks") or 0),
            format_time(d.get("indexed_at")),
        ]
        for d in docs
    ]
    return {"headers": headers, "data": rows}
