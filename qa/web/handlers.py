"""The web UI's event handlers: they take the components' values and return the components' new values.

`Handlers(docs)` serves one index (its `DocumentManager` and `AssistantHolder`); qa.web.app wires its
methods to the page's events: asking, clearing, uploading, removing, the language toggle and the sync timer.
The work itself is in qa.web.actions and qa.web.documents; the HTML in qa.web.render.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from qa.errors import QAError
from qa.web.actions import discard_uploads, doc_choices, doc_titles, header_html, run_question, status_html
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager, UploadResult
from qa.web.history import load_turns, save_turns
from qa.web.render import Turn, documents_html, render_chat, render_sections, render_sources_panel
from qa.web.session import add_turn, source_turns
from qa.web.text import norm_lang, reason, step_text, t, tn

log = logging.getLogger(__name__)


class Handlers:
    """The event handlers of one page, bound to the documents (and the loaded index) of one index folder."""

    def __init__(self, docs: DocumentManager) -> None:
        self.docs = docs
        self.holder = docs.holder
        self.index_dir = docs.index_dir

    # ---- chat -------------------------------------------------------------------------------
    def ask(self, question: str, turns: list[Turn], ui_lang: str, picked: list[str] | None) -> Iterator[Any]:
        # turns, chat, question box, sources panel: first with the question pending, then answered.
        # (A comment, not a docstring: Gradio would publish a docstring on the public `ask` API endpoint.)
        # Last, the conversation as kept in the browser (qa.web.history).
        q = (question or "").strip()
        if not q:
            yield (gr.skip(),) * 5
            return
        lg = norm_lang(ui_lang)
        turns = add_turn(turns, q)  # numbered, the oldest let go past qa.web.session.MAX_TURNS
        # clear the box once; the later yield leaves it alone (the user may already be typing)
        yield turns, render_chat(turns, lg), "", gr.skip(), gr.skip()
        history = [t.question for t in turns[:-1] if t.answer is not None]
        turns[-1] = replace(run_question(self.holder, q, picked, history), n=turns[-1].n)
        yield turns, render_chat(turns, lg), gr.skip(), self._panel(turns, lg), save_turns(turns)

    def _panel(self, turns: list[Turn], lg: str) -> str:
        return render_sources_panel(render_sections(source_turns(turns), lg, doc_titles(self.holder)), lg)

    def reset(self, ui_lang: str) -> tuple[Any, ...]:
        """turns, chat, sources panel and browser copy of an empty conversation."""
        return [], [], render_sources_panel([], norm_lang(ui_lang)), []

    def restore(self, saved: Any, turns: list[Turn], ui_lang: str) -> tuple[Any, ...]:
        """turns, chat and sources panel of the conversation the browser kept, when the page opens (a session
        that already has turns keeps them)."""
        if turns:
            return (gr.skip(),) * 3
        kept = load_turns(saved)
        if not kept:
            return (gr.skip(),) * 3
        lg = norm_lang(ui_lang)
        return kept, render_chat(kept, lg), self._panel(kept, lg)

    # ---- documents --------------------------------------------------------------------------
    def docs_view(self, ui_lang: str, picked: list[str] | None, removing: str | None = None) -> tuple[Any, ...]:
        """Header, table, remove choice, filter and generation after the index may have changed."""
        lg = norm_lang(ui_lang)
        listed = self.docs.documents()
        choices = doc_choices(listed)
        names = {d["source"] for d in listed}
        return (
            header_html(self.index_dir, lg),
            documents_html(listed, lg),
            gr.update(choices=choices, value=removing if removing in names else None, label=t(lg, "remove_label")),
            gr.update(choices=choices, value=[p for p in (picked or []) if p in names]),
            self.holder.generation,
        )

    def sync(self, generation: int, ui_lang: str, picked: list[str] | None, removing: str | None) -> tuple[Any, ...]:
        """Refresh the index views when the index changed (another page's upload, `qa build`)."""
        if generation == self.holder.generation:
            return (gr.skip(),) * 5
        return self.docs_view(ui_lang, picked, removing)

    def on_upload(
        self,
        files: list[str] | None,
        ui_lang: str,
        picked: list[str] | None,
        progress=gr.Progress(),  # noqa: B008 - Gradio's idiom
    ) -> Iterator[tuple[Any, ...]]:
        """status, upload zone and the index views: a busy message, then the outcome."""
        lg = norm_lang(ui_lang)
        if not files:
            yield (gr.skip(),) * 7
            return
        yield (status_html([tn(lg, "adding", len(files))], "busy"), *(gr.skip(),) * 6)
        try:
            result = self.docs.add(
                [Path(f) for f in files], lg, lambda f, m: progress(f, desc=step_text(m, lg) or None)
            )
        except Exception as exc:  # the page must always get a final message, never a spinner forever
            log.exception("upload failed")
            result = UploadResult(failed=str(exc) if isinstance(exc, QAError) else exc.__class__.__name__)
        finally:
            discard_uploads(files)
        lines = []
        if result.added:
            names = ("、" if lg == "zh" else ", ").join(result.added)
            lines.append(tn(lg, "added", len(result.added), names=names))
        lines += [t(lg, "renamed", name=a, new=b) for a, b in result.renamed]
        lines += [t(lg, "rejected", name=n, msg=reason(m, lg)) for n, m in result.rejected]
        if result.failed:
            lines.append(t(lg, "index_failed", msg=result.failed))
        kind = "error" if result.rejected or result.failed else "ok"
        yield (status_html(lines, kind), None, *self.docs_view(lg, picked))

    def on_remove(self, source: str | None, ui_lang: str, picked: list[str] | None) -> Iterator[tuple[Any, ...]]:
        """status and the index views: a busy message, then the outcome ("cancel": the user said no)."""
        if ui_lang == "cancel":
            yield (gr.skip(),) * 6
            return
        lg = norm_lang(ui_lang)
        if not source:
            yield (status_html([t(lg, "pick_doc")], "error"), *self.docs_view(lg, picked))
            return
        yield (status_html([t(lg, "removing", name=source)], "busy"), *(gr.skip(),) * 5)
        try:
            deleted = self.docs.remove(source)
            msg = status_html([t(lg, "removed_upload" if deleted else "removed_kept", name=source)], "ok")
        except QAError as exc:
            msg = status_html([t(lg, "index_failed", msg=str(exc))], "error")
        except Exception as exc:  # the page must always get a final message, never a spinner forever
            log.exception("removing %s failed", source)
            msg = status_html([t(lg, "index_failed", msg=exc.__class__.__name__)], "error")
        yield (msg, *self.docs_view(lg, picked))

    # ---- language ---------------------------------------------------------------------------
    def relabel(
        self, ui_lang: str, turns: list[Turn], picked: list[str] | None, removing: str | None
    ) -> tuple[Any, ...]:
        """Every label and rendered text of the page in the newly picked language."""
        lg = norm_lang(ui_lang)
        head, listed, remove_update, filter_update, generation = self.docs_view(lg, picked, removing)
        filter_update.update(label=t(lg, "filter_label"))
        return (
            head,
            listed,
            remove_update,
            filter_update,
            generation,
            gr.update(label=t(lg, "tab_chat")),
            gr.update(label=t(lg, "tab_docs")),
            gr.update(value=render_chat(turns, lg), label=t(lg, "chat_label"), placeholder=t(lg, "empty_chat")),
            gr.update(placeholder=t(lg, "placeholder"), label=t(lg, "question_label")),
            gr.update(value=t(lg, "send")),
            gr.update(value=t(lg, "clear")),
            t(lg, "examples"),
            self._panel(turns, lg),
            "### " + t(lg, "docs_header"),
            gr.update(label=t(lg, "upload_label", mb=MAX_UPLOAD_MB), elem_classes=[f"qa-lang-{lg}"]),
            gr.update(value=t(lg, "remove")),
        )
