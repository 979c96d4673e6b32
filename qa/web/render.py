"""Pure HTML rendering for the web UI: answers with linked [n] markers, the sources panel, the documents list.

Every piece of document or user text goes through `html.escape`; the output is single-line HTML so
the chatbot's Markdown renderer passes it through as one HTML block. A conversation is kept as `Turn`s
(the raw `Answer`s) and rendered on demand, so switching the interface language re-renders it all.
Icons are CSS-drawn spans (`icon()`), never emoji.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qa.types import Answer, Citation, Hit
from qa.web.text import error_text, t, tn

_MARKER = re.compile(r"\[(\d{1,3})\]")
CLOSEST_SHOWN = 3  # nearest passages listed under a not-found answer
_CLOSEST_CHARS = 160
SNIPPET_CHARS = 400  # longer cited chunks are cut around the highlighted span


@dataclass(frozen=True)
class Turn:
    """One question of a conversation and what came back: an answer, an error, or nothing yet (pending)."""

    question: str
    answer: Answer | None = None
    ms: float = 0.0
    error: str = ""  # an error message as raised (shown as is)
    error_key: str = ""  # or a key of the interface strings (shown in the current language)
    n: int = 0  # its number in the conversation (0: its position), kept when older turns are let go

    @property
    def pending(self) -> bool:
        return self.answer is None and not self.error and not self.error_key


def icon(name: str) -> str:
    """A CSS-drawn icon (see qa.web.style.ICONS); decorative, hidden from screen readers."""
    return f'<span class="qa-ico qa-ico-{name}" aria-hidden="true"></span>'


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


def cited_numbers(answer: Answer) -> set[int]:
    """The citation numbers the answer text refers to with [n] markers."""
    known = {c.n for c in answer.citations}
    return {int(m.group(1)) for m in _MARKER.finditer(answer.answer)} & known


def render_answer(answer: Answer, latency_ms: float, lang: str, turn: int) -> str:
    """The assistant's chat message: answer text with linked markers, a not-found badge, latency.

    The chatbot's sanitiser drops data-* attributes, so the turn travels in a class (qa-t<turn>).
    """
    meta = [icon("clock") + esc(t(lang, "latency", ms=format_ms(latency_ms)))]
    scope = ""
    if answer.searched and not answer.abstained:  # a not-found answer names what it searched itself
        titles = "、".join(f"《{x}》" for x in answer.searched) if lang == "zh" else ", ".join(answer.searched)
        scope = f'<div class="qa-scope">{esc(t(lang, "searched", titles=titles))}</div>'
    if answer.abstained:
        body = (
            f'<span class="qa-badge">{icon("alert")}{esc(t(lang, "not_found"))}</span>'
            f'<span class="qa-abstain-text">{esc(answer.answer)}</span>'
        )
        return (
            f'<div class="qa-answer qa-done qa-abstain qa-t{turn}">{_read_as(answer, lang)}{body}{scope}'
            f'<div class="qa-meta">{" · ".join(meta)}</div></div>'
        )
    text = link_markers(esc(answer.answer), turn, (c.n for c in answer.citations))
    if answer.citations:
        meta.append(esc(tn(lang, "n_sources", len(answer.citations))))
    if answer.confidence:
        meta.append(esc(t(lang, "confidence", p=f"{answer.confidence:.0%}")))
    kind = "qa-answer qa-done"
    if answer.uncertain:  # a calibrated probability below Settings.uncertain_below: said and styled apart
        kind += " qa-uncertain"
        text = f'<span class="qa-badge qa-badge-maybe">{esc(t(lang, "uncertain"))}</span>{text}'
        meta.append(esc(t(lang, "uncertain_note")))
    if answer.from_doc:  # which report, when several could hold it and the question named none
        scope = f'<div class="qa-scope">{esc(t(lang, "from_doc", title=_quoted(answer.from_doc, lang)))}</div>'
    return (
        f'<div class="{kind} qa-t{turn}">{_read_as(answer, lang)}<div class="qa-answer-text">{text}</div>{scope}'
        f'<div class="qa-meta">{" · ".join(meta)}{_copy_button(answer, lang)}</div></div>'
    )


def copy_text(answer: Answer, lang: str) -> str:
    """What the copy button puts on the clipboard: the question, the answer, then each source with its title."""
    lines = [answer.question, answer.answer, ""]
    for c in answer.citations:
        where = _quoted(c.title, lang) if c.title else c.source
        lines.append(f"[{c.n}] {where} {location(lang, c.start, c.end, c.page)}")
        lines.append(c.text.strip())
    return "\n".join(lines).strip()


def _copy_button(answer: Answer, lang: str) -> str:
    """A button copying `copy_text` (the page script does the copying; the text rides hidden in the message,
    since the chatbot's sanitiser drops data-* attributes; a line per span, as the chat's renderer drops line
    breaks)."""
    lines = "".join(f'<span class="qa-copy-line">{esc(ln)}</span>' for ln in copy_text(answer, lang).split("\n"))
    return (
        f'<button type="button" class="qa-copy">'
        f'<span class="qa-copy-do">{esc(t(lang, "copy"))}</span>'
        f'<span class="qa-copy-done">{esc(t(lang, "copied"))}</span></button>'
        f'<span class="qa-copy-text">{lines}</span>'
    )


def _quoted(title: str, lang: str) -> str:
    return f"《{title}》" if lang == "zh" else f"“{title}”"


def _read_as(answer: Answer, lang: str) -> str:
    """How a follow-up question was read (按“交流研讨多少次”理解), above its answer."""
    if not answer.read_as:
        return ""
    return f'<div class="qa-read-as">{esc(t(lang, "read_as", q=answer.read_as.rstrip("？?")))}</div>'


def render_thinking(lang: str) -> str:
    """Placeholder shown while the answer is computed."""
    return f'<div class="qa-answer qa-thinking"><span class="qa-dots"></span>{esc(t(lang, "thinking"))}</div>'


def render_note(msg: str) -> str:
    """A quiet line in the chat (not an answer), e.g. that older turns were let go."""
    return f'<div class="qa-answer qa-done qa-note">{esc(msg)}</div>'


def render_error(msg: str, lang: str) -> str:
    """A one-line error shown in the chat instead of an answer."""
    text = t(lang, "error", msg=error_text(msg, lang))  # the library's English, in the UI's language
    return f'<div class="qa-answer qa-done qa-error">{icon("error")}{esc(text)}</div>'


def highlight(text: str, span: tuple[int, int] | Sequence[int] | None, strong: bool = True) -> str:
    """Escaped `text` with <mark> around the [s, e) span (clamped; no mark when empty).

    `strong=False` gives the faint mark of a passage the answer does not cite.
    """
    if not span or len(span) != 2:
        return esc(text)
    s, e = max(0, int(span[0])), min(len(text), int(span[1]))
    if s >= e:
        return esc(text)
    mark = "<mark>" if strong else '<mark class="qa-faint">'
    return f"{esc(text[:s])}{mark}{esc(text[s:e])}</mark>{esc(text[e:])}"


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


def doc_label(source: str, title: str = "") -> str:
    """A document as people read it: its title, then the file name (just the file name when untitled)."""
    title = (title or "").strip()
    return f"{title} · {source}" if title and title != source else source


def _doc_head(source: str, title: str) -> str:
    """Title (bold) and file name of a card; the full label as tooltip."""
    title = (title or "").strip()
    if title and title != source:
        name = f'<span class="qa-src-title">{esc(title)}</span>'
    else:
        name = f'<span class="qa-src-title">{esc(source)}</span>'
    return f'<span class="qa-src-doc" title="{esc(doc_label(source, title))}">{icon("file")}{name}</span>'


def _file_line(source: str, title: str) -> str:
    """The file-name chip under a titled card (nothing when the title is the file name)."""
    if title and title.strip() and title.strip() != source:
        return f'<span class="qa-src-file">{esc(source)}</span>'
    return ""


def render_citation(c: Citation, lang: str, turn: int, cited: bool = True) -> str:
    """One card of the sources panel: a strong highlight only when the answer cites this passage."""
    section = f'<span class="qa-src-section">§ {esc(c.section)}</span>' if c.section else ""
    note = "" if cited else f'<div class="qa-src-note">{esc(t(lang, "not_cited"))}</div>'
    css = "qa-src" if cited else "qa-src qa-src-uncited"
    return (
        f'<div class="{css}" id="{cite_id(turn, c.n)}">'
        f'<div class="qa-src-head"><span class="qa-src-n">[{c.n}]</span>{_doc_head(c.source, c.title)}'
        f'<span class="qa-src-score">{esc(t(lang, "score", s=f"{c.score:.2f}"))}</span></div>'
        f'<div class="qa-src-meta">{_file_line(c.source, c.title)}{section}'
        f'<span class="qa-src-loc">{esc(location(lang, c.start, c.end, c.page))}</span></div>{note}'
        f'<div class="qa-src-text">{highlight(*window(c.text, c.highlight), strong=cited)}</div></div>'
    )


def render_closest(hits: Sequence[Hit], lang: str, titles: dict[str, str] | None = None) -> str:
    """Greyed list of the nearest passages shown under a not-found answer."""
    items = []
    for h in hits[:CLOSEST_SHOWN]:
        ch = h.chunk
        text = ch.text if len(ch.text) <= _CLOSEST_CHARS else ch.text[:_CLOSEST_CHARS] + "…"
        title = titles.get(ch.source, "") if titles else ""
        items.append(
            f'<div class="qa-src qa-src-weak"><div class="qa-src-head">{_doc_head(ch.source, title)}</div>'
            f'<div class="qa-src-meta">{_file_line(ch.source, title)}<span class="qa-src-loc">'
            f"{esc(location(lang, ch.start, ch.end, ch.page))}</span></div>"
            f'<div class="qa-src-text">{esc(text)}</div></div>'
        )
    if not items:
        return ""
    return f'<div class="qa-closest-title">{esc(t(lang, "closest"))}</div>' + "".join(items)


def render_turn_sources(answer: Answer, lang: str, turn: int, titles: dict[str, str] | None = None) -> str:
    """The sources section for one answer (kept per turn so older [n] links still resolve).

    `titles` (source -> title) names the documents of the nearest passages under a not-found answer.
    """
    if answer.citations and not answer.abstained:
        cited = cited_numbers(answer) or {c.n for c in answer.citations}  # no markers at all: every card is cited
        body = "".join(render_citation(c, lang, turn, c.n in cited) for c in answer.citations)
    else:
        body = f'<div class="qa-src-empty">{esc(t(lang, "no_citations"))}</div>'
        body += render_closest(answer.hits, lang, titles)
    return (
        f'<section class="qa-turn" id="qa-turn-{turn}">'
        f'<div class="qa-turn-q">{esc(answer.question)}</div>{body}</section>'
    )


def render_chat(turns: Sequence[Turn], lang: str) -> list[dict[str, str]]:
    """The chatbot's messages for `turns` in `lang` (re-rendered whole when the language changes)."""
    messages: list[dict[str, str]] = []
    if turns and turns[0].n > 1:  # older turns were let go (qa.web.session.MAX_TURNS)
        messages.append(
            {"role": "assistant", "content": render_note(t(lang, "turns_dropped", n=turns[0].n - 1, keep=len(turns)))}
        )
    for i, turn in enumerate(turns, start=1):
        i = turn.n or i
        messages.append({"role": "user", "content": render_question(turn.question)})
        if turn.answer is not None:
            reply = render_answer(turn.answer, turn.ms, lang, i)
        elif turn.error_key:
            reply = render_error(t(lang, turn.error_key), lang)
        elif turn.error:
            reply = render_error(turn.error, lang)
        else:
            reply = render_thinking(lang)
        messages.append({"role": "assistant", "content": reply})
    return messages


def render_sections(turns: Sequence[Turn], lang: str, titles: dict[str, str] | None = None) -> list[str]:
    """The sources sections of the answered turns, oldest first (turn numbers match the chat's)."""
    return [
        render_turn_sources(turn.answer, lang, turn.n or i, titles)
        for i, turn in enumerate(turns, start=1)
        if turn.answer is not None
    ]


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


def documents_html(docs: Sequence[dict[str, Any]], lang: str) -> str:
    """The Documents tab's list: title and file name, size on disk, chunks, indexing time.

    A plain HTML table (not a data grid) so it can wrap long names and fold into cards on a phone.
    """
    if not docs:
        return f'<div class="qa-docs-empty">{esc(t(lang, "docs_none"))}</div>'
    heads = "".join(f"<th>{esc(t(lang, k))}</th>" for k in ("col_name", "col_size", "col_chunks", "col_indexed"))
    rows = []
    for d in docs:
        source = str(d.get("source", ""))
        title = str(d.get("title") or "").strip()
        name = (
            f'<div class="qa-doc-title">{esc(title)}</div><div class="qa-doc-file">{esc(source)}</div>'
            if title and title != source
            else f'<div class="qa-doc-title">{esc(source)}</div>'
        )
        about = str(d.get("about") or "")
        if about:  # genre, level, issuer, the year given, the years of its figures
            name += f'<div class="qa-doc-file">{esc(about)}</div>'
        cells = (
            (t(lang, "col_size"), format_size(d.get("size"))),
            (t(lang, "col_chunks"), str(int(d.get("chunks") or 0))),
            (t(lang, "col_indexed"), format_time(d.get("indexed_at"))),
        )
        rest = "".join(f'<td data-label="{esc(label)}">{esc(value)}</td>' for label, value in cells)
        cell = f'<div class="qa-doc-cell">{icon("file")}<div>{name}</div></div>'
        # what the remove confirmation reads: whether removing this document deletes an uploaded copy
        data = f'data-source="{esc(source)}" data-upload="{1 if d.get("uploaded") else 0}"'
        rows.append(f'<tr {data}><td class="qa-doc-name">{cell}</td>{rest}</tr>')
    return f'<table class="qa-docs"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
