"""The Gradio app: chat with linked citations + sources panel, a document filter, and a Documents tab.

`create_app(index_dir)` builds the Blocks; `launch_app(demo, ...)` serves it with the UI's theme,
CSS and citation script (Gradio 6 takes those at launch time). Rendering lives in qa.web.render, the
strings in qa.web.text, document management in qa.web.documents, the loaded index in qa.web.state.

A session keeps its conversation as `Turn`s holding the raw `Answer`s; the chat and the sources panel
are rendered from them on demand, so the language toggle re-renders everything already on screen.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem, QAError
from qa.types import Answer
from qa.web.assets import AUTH_MESSAGE, CSS, HEAD, theme
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager, UploadResult
from qa.web.render import (
    CLOSEST_SHOWN,
    Turn,
    doc_label,
    documents_html,
    esc,
    icon,
    render_chat,
    render_sections,
    render_sources_panel,
)
from qa.web.state import AssistantHolder, holder_for
from qa.web.text import DEFAULT_LANG, EXAMPLES, norm_lang, reason, t, tn

log = logging.getLogger(__name__)

#: How often (seconds) each open page asks whether the index changed (new build, upload, removal elsewhere).
SYNC_SECONDS = 3.0

# Confirm before removing; on "cancel" the language input becomes "cancel" and the handler skips.
_CONFIRM_JS = """(name, lang, picked) => {
  if (!name) return [name, lang, picked];
  const msg = lang === "en" ? `Remove “${name}” from the index?` : `确定从索引中移除「${name}」吗？`;
  return window.confirm(msg) ? [name, lang, picked] : [name, "cancel", picked];
}"""


def index_summary(index_dir: Path, lang: str) -> tuple[str, bool]:
    """The header's index line and whether the index is usable."""
    from qa.index import store

    try:
        manifest = store.read_manifest(index_dir)
    except IndexProblem as exc:
        return t(lang, "index_missing", msg=str(exc).rstrip(".")), False
    docs = tn(lang, "n_docs", len(manifest.get("documents", {})))
    chunks = tn(lang, "n_chunks", int(manifest.get("n_chunks", 0)))
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


def doc_titles(holder: AssistantHolder) -> dict[str, str]:
    """source -> title of the loaded index ({} before it is loaded or for a fake assistant)."""
    metas = getattr(getattr(holder.peek(), "data", None), "metas", None) or {}
    return {s: getattr(m, "title", "") for s, m in metas.items()}


def limit_to(assistant: Any, picked: Iterable[str] | None) -> list[str] | None:
    """The picked documents still in the index (None: no filter; []: all of them are gone)."""
    picked = [p for p in (picked or []) if p]
    if not picked:
        return None
    metas = getattr(getattr(assistant, "data", None), "metas", None)
    if metas is None:
        return picked
    return [p for p in picked if p in metas]


def run_question(holder: AssistantHolder, question: str, picked: Sequence[str] | None = None) -> Turn:
    """Answer `question` (limited to the `picked` documents, if any) as a finished Turn; errors become turns."""
    t0 = time.perf_counter()
    try:
        holder.check_for_update()  # a build made by `qa build` since the last look (cheap, rate-limited)
        assistant = holder.get()
        docs = limit_to(assistant, picked)
        if docs == []:
            return Turn(question, error_key="filter_gone")
        answer = assistant.ask(question, docs=docs) if docs else assistant.ask(question)
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


def create_app(
    index_dir: Path | str,
    docs_dir: Path | str | None = None,
    *,
    holder: AssistantHolder | None = None,
    examples: Sequence[str] = EXAMPLES,
    lang: str = DEFAULT_LANG,
    preload: bool = True,
    watch: bool = True,
) -> Any:
    """Build the web UI for `index_dir`; uploads are stored in `docs_dir` (default index_dir/documents).

    With `preload`, the index is loaded (once per process) in the background right away, so the
    first question does not wait for it. With `watch`, a background thread reloads the index when
    another process (`qa build`) switches it to a new build.
    """
    import gradio as gr

    index_dir = Path(index_dir)
    docs_dir = Path(docs_dir) if docs_dir else index_dir / "documents"
    docs = DocumentManager(index_dir, docs_dir, holder or holder_for(index_dir))
    holder = docs.holder
    lang = norm_lang(lang)
    if preload and not holder.loaded:
        threading.Thread(target=_preload, args=(holder,), name="qa-preload", daemon=True).start()
    if watch:
        holder.watch()

    def doc_choices() -> list[tuple[str, str]]:
        return [(doc_label(d["source"], d.get("title", "")), d["source"]) for d in docs.documents()]

    with gr.Blocks(title=t(lang, "title"), analytics_enabled=False) as demo:
        turns_state = gr.State([])
        seen = gr.State(-1)  # the index generation this page shows
        with gr.Row(equal_height=False, elem_id="qa-top"):
            header = gr.HTML(header_html(index_dir, lang), scale=5, min_width=0, elem_id="qa-header-box")
            lang_radio = gr.Radio(
                [("中文", "zh"), ("English", "en")],
                value=lang,
                label="语言 · Language",
                show_label=False,
                container=False,
                elem_id="qa-lang",
                scale=0,
                min_width=0,
            )
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab(t(lang, "tab_chat"), id="chat") as chat_tab, gr.Row(equal_height=False, elem_id="qa-main"):
                with gr.Column(scale=3, min_width=300):
                    chatbot = gr.Chatbot(
                        label=t(lang, "chat_label"),
                        show_label=False,
                        elem_id="qa-chat",
                        height=520,
                        placeholder=t(lang, "empty_chat"),
                        buttons=[],
                        feedback_options=None,
                        latex_delimiters=[],
                        line_breaks=False,
                        layout="bubble",
                    )
                    with gr.Row(equal_height=True, elem_id="qa-ask-row"):
                        box = gr.Textbox(
                            show_label=False,
                            placeholder=t(lang, "placeholder"),
                            lines=1,
                            max_lines=4,
                            scale=6,
                            min_width=0,
                            container=False,
                            elem_id="qa-box",
                            autofocus=True,
                        )
                        send = gr.Button(t(lang, "send"), variant="primary", scale=0, min_width=80, elem_id="qa-send")
                        clear = gr.Button(
                            t(lang, "clear"), variant="secondary", scale=0, min_width=80, elem_id="qa-clear"
                        )
                    doc_filter = gr.Dropdown(
                        doc_choices(),
                        value=[],
                        multiselect=True,
                        label=t(lang, "filter_label"),
                        elem_id="qa-doc-filter",
                        min_width=0,
                    )
                    ex_label = gr.Markdown(t(lang, "examples"), elem_id="qa-examples-label")
                    with gr.Row(elem_id="qa-examples"):
                        ex_buttons = [gr.Button(q, size="sm", variant="secondary", min_width=0) for q in examples]
                with gr.Column(scale=2, min_width=300):
                    sources = gr.HTML(render_sources_panel([], lang), elem_id="qa-sources-box")
            with gr.Tab(t(lang, "tab_docs"), id="docs") as docs_tab:
                docs_title = gr.Markdown("### " + t(lang, "docs_header"))
                table = gr.HTML(documents_html(docs.documents(), lang), elem_id="qa-doc-table")
                upload = gr.File(
                    label=t(lang, "upload_label", mb=MAX_UPLOAD_MB),
                    file_count="multiple",
                    type="filepath",
                    elem_id="qa-upload",
                    elem_classes=[f"qa-lang-{lang}"],
                    height=150,
                )
                status = gr.HTML("", elem_id="qa-doc-status")
                with gr.Row(equal_height=False, elem_id="qa-remove-row"):
                    remove_dd = gr.Dropdown(
                        doc_choices(),
                        value=None,
                        label=t(lang, "remove_label"),
                        scale=4,
                        min_width=0,
                        elem_id="qa-remove-choice",
                    )
                    remove_btn = gr.Button(
                        t(lang, "remove"), variant="stop", scale=0, min_width=120, elem_id="qa-remove"
                    )
        sync_timer = gr.Timer(SYNC_SECONDS)

        # ---- chat -------------------------------------------------------------------------
        def ask(question: str, turns: list[Turn], ui_lang: str, picked: list[str] | None):
            q = (question or "").strip()
            if not q:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
                return
            lg = norm_lang(ui_lang)
            turns = [*turns, Turn(q)]
            # clear the box once; the later yield leaves it alone (the user may already be typing)
            yield turns, render_chat(turns, lg), "", gr.skip()
            turns[-1] = run_question(holder, q, picked)
            panel = render_sources_panel(render_sections(turns, lg, doc_titles(holder)), lg)
            yield turns, render_chat(turns, lg), gr.skip(), panel

        ask_out = [turns_state, chatbot, box, sources]
        ask_kw: dict[str, Any] = {
            "outputs": ask_out,
            "concurrency_limit": 4,
            "concurrency_id": "ask",
            "show_progress": "hidden",
            # a question sent while the previous one is still finishing runs right after it (Gradio's default
            # drops it silently until the previous event is marked complete, which lags on a busy machine)
            "trigger_mode": "always_last",
        }
        ask_in = [box, turns_state, lang_radio, doc_filter]
        box.submit(ask, ask_in, api_name="ask", **ask_kw)
        send.click(ask, ask_in, api_visibility="private", **ask_kw)
        for b in ex_buttons:
            b.click(ask, [b, turns_state, lang_radio, doc_filter], api_visibility="private", **ask_kw)

        def reset(ui_lang: str):
            return [], [], render_sources_panel([], norm_lang(ui_lang))

        clear.click(reset, [lang_radio], [turns_state, chatbot, sources], api_visibility="private")
        chatbot.clear(reset, [lang_radio], [turns_state, chatbot, sources], api_visibility="private")

        # ---- documents ----------------------------------------------------------------------
        def docs_view(ui_lang: str, picked: list[str] | None, removing: str | None = None):
            """Header, table, remove choice, filter and generation after the index may have changed."""
            lg = norm_lang(ui_lang)
            listed = docs.documents()
            choices = [(doc_label(d["source"], d.get("title", "")), d["source"]) for d in listed]
            names = {d["source"] for d in listed}
            return (
                header_html(index_dir, lg),
                documents_html(listed, lg),
                gr.update(choices=choices, value=removing if removing in names else None, label=t(lg, "remove_label")),
                gr.update(choices=choices, value=[p for p in (picked or []) if p in names]),
                holder.generation,
            )

        def sync(generation: int, ui_lang: str, picked: list[str] | None, removing: str | None):
            """Refresh the index views when the index changed (another page's upload, `qa build`)."""
            if generation == holder.generation:
                return (gr.skip(),) * 5
            return docs_view(ui_lang, picked, removing)

        view_out = [header, table, remove_dd, doc_filter, seen]
        sync_timer.tick(
            sync,
            [seen, lang_radio, doc_filter, remove_dd],
            view_out,
            show_progress="hidden",
            queue=False,
            api_visibility="private",
        )

        def on_upload(
            files: list[str] | None,
            ui_lang: str,
            picked: list[str] | None,
            progress=gr.Progress(),  # noqa: B008 - Gradio's idiom
        ):
            lg = norm_lang(ui_lang)
            if not files:
                yield (gr.skip(),) * 7
                return
            yield (status_html([tn(lg, "adding", len(files))], "busy"), *(gr.skip(),) * 6)
            try:
                result = docs.add([Path(f) for f in files], lg, lambda f, m: progress(f, desc=m or None))
            except Exception as exc:  # the page must always get a final message, never a spinner forever
                log.exception("upload failed")
                result = UploadResult(failed=str(exc) if isinstance(exc, QAError) else exc.__class__.__name__)
            finally:
                discard_uploads(files)
            lines = []
            if result.added:
                names = ("、" if lg == "zh" else ", ").join(result.added)
                lines.append(tn(lg, "added", len(result.added), names=names))
            lines += [t(lg, "rejected", name=n, msg=reason(m, lg)) for n, m in result.rejected]
            if result.failed:
                lines.append(t(lg, "index_failed", msg=result.failed))
            kind = "error" if result.rejected or result.failed else "ok"
            yield (status_html(lines, kind), None, *docs_view(lg, picked))

        idx_kw: dict[str, Any] = {"concurrency_limit": 1, "concurrency_id": "index", "api_visibility": "private"}
        upload.upload(
            on_upload,
            [upload, lang_radio, doc_filter],
            [status, upload, *view_out],
            show_progress_on=[table],
            **idx_kw,
        )

        def on_remove(source: str | None, ui_lang: str, picked: list[str] | None):
            if ui_lang == "cancel":
                yield (gr.skip(),) * 6
                return
            lg = norm_lang(ui_lang)
            if not source:
                yield (status_html([t(lg, "pick_doc")], "error"), *docs_view(lg, picked))
                return
            yield (status_html([t(lg, "removing", name=source)], "busy"), *(gr.skip(),) * 5)
            try:
                docs.remove(source)
                msg = status_html([t(lg, "removed", name=source)], "ok")
            except QAError as exc:
                msg = status_html([t(lg, "index_failed", msg=str(exc))], "error")
            except Exception as exc:  # the page must always get a final message, never a spinner forever
                log.exception("removing %s failed", source)
                msg = status_html([t(lg, "index_failed", msg=exc.__class__.__name__)], "error")
            yield (msg, *docs_view(lg, picked))

        remove_btn.click(
            on_remove,
            [remove_dd, lang_radio, doc_filter],
            [status, *view_out],
            js=_CONFIRM_JS,
            show_progress_on=[table],
            **idx_kw,
        )

        # ---- language -----------------------------------------------------------------------
        def relabel(ui_lang: str, turns: list[Turn], picked: list[str] | None, removing: str | None):
            lg = norm_lang(ui_lang)
            head, listed, remove_update, filter_update, generation = docs_view(lg, picked, removing)
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
                gr.update(placeholder=t(lg, "placeholder")),
                gr.update(value=t(lg, "send")),
                gr.update(value=t(lg, "clear")),
                t(lg, "examples"),
                render_sources_panel(render_sections(turns, lg, doc_titles(holder)), lg),
                "### " + t(lg, "docs_header"),
                gr.update(label=t(lg, "upload_label", mb=MAX_UPLOAD_MB), elem_classes=[f"qa-lang-{lg}"]),
                gr.update(value=t(lg, "remove")),
            )

        lang_radio.change(
            relabel,
            [lang_radio, turns_state, doc_filter, remove_dd],
            [
                *view_out,
                chat_tab,
                docs_tab,
                chatbot,
                box,
                send,
                clear,
                ex_label,
                sources,
                docs_title,
                upload,
                remove_btn,
            ],
            api_visibility="private",
        )
        demo.load(
            lambda lg, picked: docs_view(lg, picked),
            [lang_radio, doc_filter],
            view_out,
            api_visibility="private",
        )
    demo.queue(max_size=64, default_concurrency_limit=4)
    _set_launch_defaults(demo)
    return demo


def _preload(holder: AssistantHolder) -> None:
    try:
        holder.get().warm_up()
    except QAError as exc:  # shown to the user in the header and on the first question
        log.warning("index not loaded: %s", exc)


def _set_launch_defaults(demo: Any) -> None:
    """Let a plain `demo.launch()` still get the theme, CSS and script (Gradio 6 reads them at launch)."""
    for name, value in (("theme", theme()), ("css", CSS), ("head", HEAD)):
        if hasattr(demo, f"_deprecated_{name}"):
            setattr(demo, f"_deprecated_{name}", value)


def launch_app(
    demo: Any,
    host: str = "127.0.0.1",
    port: int | None = None,
    auth: tuple[str, str] | None = None,
    *,
    block: bool = True,
    quiet: bool = False,
) -> Any:
    """Serve `demo` (never through a public share link); returns Gradio's (app, local_url, share_url)."""
    result = demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message=AUTH_MESSAGE,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        show_error=True,
        ssr_mode=False,
        footer_links=[],  # Gradio's settings panel follows the browser language and has its own language menu
        theme=theme(),
        css=CSS,
        head=HEAD,
    )
    if not quiet:
        login = " (login required)" if auth else ""
        print(f"qa: serving on {demo.local_url}{login}; press Ctrl+C to stop", file=sys.stderr, flush=True)
    if block:
        demo.block_thread()
    return result
