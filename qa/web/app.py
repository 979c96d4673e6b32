"""The Gradio app: chat with linked citations + sources panel, and a Documents tab.

`create_app(index_dir)` builds the Blocks; `launch_app(demo, ...)` serves it with the UI's theme,
CSS and citation script (Gradio 6 takes those at launch time). Logic lives in qa.ui_* modules.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem, QAError
from qa.web.assets import CSS, HEAD, theme
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager
from qa.web.render import (
    documents_table,
    esc,
    render_answer,
    render_error,
    render_question,
    render_sources_panel,
    render_thinking,
    render_turn_sources,
)
from qa.web.state import AssistantHolder, holder_for
from qa.web.text import DEFAULT_LANG, EXAMPLES, norm_lang, reason, t

log = logging.getLogger(__name__)

# Confirm before removing; on "cancel" the language input becomes "cancel" and the handler skips.
_CONFIRM_JS = """(name, lang) => {
  if (!name) return [name, lang];
  const msg = lang === "en" ? `Remove “${name}” from the index?` : `确定从索引中移除「${name}」吗？`;
  return window.confirm(msg) ? [name, lang] : [name, "cancel"];
}"""


def index_summary(index_dir: Path, lang: str) -> tuple[str, bool]:
    """The header's index line and whether the index is usable."""
    from qa.index import store

    try:
        manifest = store.read_manifest(index_dir)
    except IndexProblem as exc:
        return t(lang, "index_missing", msg=str(exc).rstrip(".")), False
    docs = len(manifest.get("documents", {}))
    info = t(lang, "index_info", docs=docs, chunks=manifest.get("n_chunks", 0))
    from qa.index.freshness import stale_reasons

    reasons = stale_reasons(manifest)
    if reasons:
        more = f" +{len(reasons) - 1}" if len(reasons) > 1 else ""
        return info + " · " + t(lang, "stale", reason=reasons[0] + more), False
    return info, True


def header_html(index_dir: Path, lang: str) -> str:
    info, ok = index_summary(index_dir, lang)
    return (
        f'<div id="qa-header"><h1>📑 {esc(t(lang, "title"))}</h1>'
        f'<span class="qa-sub">{esc(t(lang, "subtitle"))}</span>'
        f'<span class="qa-info{"" if ok else " warn"}">{esc(info)}</span></div>'
    )


def status_html(lines: Sequence[str], error: bool) -> str:
    """The Documents tab's message, stamped with the time so a repeated message still shows as new."""
    css = "qa-status qa-status-error" if error else "qa-status qa-status-ok"
    stamp = time.strftime("%H:%M:%S")
    body = "<br>".join(esc(x) for x in lines)
    return f'<div class="{css}"><span class="qa-status-time">{stamp}</span>{body}</div>'


def answer_turn(holder: AssistantHolder, question: str, session: dict[str, Any], lang: str) -> Iterator[dict[str, Any]]:
    """Yield session states: first with a placeholder reply, then with the answer and its sources."""
    messages = list(session.get("messages", []))
    sections = list(session.get("sections", []))
    messages += [
        {"role": "user", "content": render_question(question)},
        {"role": "assistant", "content": render_thinking(lang)},
    ]
    yield {"messages": list(messages), "sections": sections}
    t0 = time.perf_counter()
    try:
        answer = holder.get().ask(question)
    except QAError as exc:
        messages[-1] = {"role": "assistant", "content": render_error(str(exc), lang)}
        yield {"messages": messages, "sections": sections}
        return
    except Exception as exc:  # keep the session alive, log the details
        log.exception("question failed: %r", question)
        messages[-1] = {"role": "assistant", "content": render_error(exc.__class__.__name__, lang)}
        yield {"messages": messages, "sections": sections}
        return
    ms = (time.perf_counter() - t0) * 1000
    turn = len(sections) + 1
    messages[-1] = {"role": "assistant", "content": render_answer(answer, ms, lang, turn)}
    yield {"messages": messages, "sections": sections + [render_turn_sources(answer, lang, turn)]}


def create_app(
    index_dir: Path | str,
    docs_dir: Path | str | None = None,
    *,
    holder: AssistantHolder | None = None,
    examples: Sequence[str] = EXAMPLES,
    lang: str = DEFAULT_LANG,
    preload: bool = True,
) -> Any:
    """Build the web UI for `index_dir`; uploads are stored in `docs_dir` (default index_dir/documents).

    With `preload`, the index is loaded (once per process) in the background right away, so the
    first question does not wait for it.
    """
    import gradio as gr

    index_dir = Path(index_dir)
    docs_dir = Path(docs_dir) if docs_dir else index_dir / "documents"
    docs = DocumentManager(index_dir, docs_dir, holder or holder_for(index_dir))
    holder = docs.holder
    lang = norm_lang(lang)
    if preload and not holder.loaded:
        threading.Thread(target=_preload, args=(holder,), name="qa-preload", daemon=True).start()

    def doc_choices() -> list[str]:
        return [d["source"] for d in docs.documents()]

    with gr.Blocks(title=t(lang, "title"), analytics_enabled=False) as demo:
        session = gr.State({"messages": [], "sections": []})
        with gr.Row(equal_height=True):
            header = gr.HTML(header_html(index_dir, lang), js_on_load=None, scale=5)
            lang_radio = gr.Radio(
                [("中文", "zh"), ("English", "en")],
                value=lang,
                show_label=False,
                container=False,
                elem_id="qa-lang",
                scale=1,
                min_width=160,
            )
        with gr.Tabs():
            with gr.Tab(t(lang, "tab_chat"), id="chat") as chat_tab, gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chatbot = gr.Chatbot(
                        label=t(lang, "chat_label"),
                        elem_id="qa-chat",
                        height=520,
                        placeholder=t(lang, "empty_chat"),
                        buttons=[],
                        feedback_options=None,
                        latex_delimiters=[],
                        line_breaks=False,
                        layout="bubble",
                    )
                    with gr.Row(equal_height=True):
                        box = gr.Textbox(
                            show_label=False,
                            placeholder=t(lang, "placeholder"),
                            lines=1,
                            max_lines=4,
                            scale=6,
                            container=False,
                            elem_id="qa-box",
                            autofocus=True,
                        )
                        send = gr.Button(t(lang, "send"), variant="primary", scale=1, min_width=90, elem_id="qa-send")
                        clear = gr.Button(t(lang, "clear"), variant="secondary", scale=1, min_width=110)
                    ex_label = gr.Markdown(t(lang, "examples"), elem_id="qa-examples-label")
                    with gr.Row(elem_id="qa-examples"):
                        ex_buttons = [gr.Button(q, size="sm", variant="secondary") for q in examples]
                with gr.Column(scale=2, min_width=320):
                    sources = gr.HTML(render_sources_panel([], lang), elem_id="qa-sources-box", js_on_load=None)
            with gr.Tab(t(lang, "tab_docs"), id="docs") as docs_tab:
                docs_title = gr.Markdown("### " + t(lang, "docs_header"))
                table = gr.Dataframe(
                    documents_table(docs.documents(), lang), interactive=False, wrap=True, elem_id="qa-doc-table"
                )
                upload = gr.File(
                    label=t(lang, "upload_label", mb=MAX_UPLOAD_MB),
                    file_count="multiple",
                    type="filepath",
                    elem_id="qa-upload",
                    height=150,
                )
                status = gr.HTML("", elem_id="qa-doc-status", js_on_load=None)
                with gr.Row(equal_height=False, elem_id="qa-remove-row"):
                    remove_dd = gr.Dropdown(
                        doc_choices(), value=None, label=t(lang, "remove_label"), scale=4, elem_id="qa-remove-choice"
                    )
                    remove_btn = gr.Button(
                        t(lang, "remove"), variant="stop", scale=0, min_width=120, elem_id="qa-remove"
                    )

        # ---- chat -------------------------------------------------------------------------
        def ask(question: str, state: dict[str, Any], ui_lang: str):
            q = (question or "").strip()
            if not q:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
                return
            for i, st in enumerate(answer_turn(holder, q, state, norm_lang(ui_lang))):
                # clear the box once; later yields leave it alone (the user may already be typing)
                yield st, st["messages"], "" if i == 0 else gr.skip(), render_sources_panel(st["sections"], ui_lang)

        ask_out = [session, chatbot, box, sources]
        ask_kw: dict[str, Any] = {
            "outputs": ask_out,
            "concurrency_limit": 4,
            "concurrency_id": "ask",
            "show_progress": "hidden",
        }
        box.submit(ask, [box, session, lang_radio], api_name="ask", **ask_kw)
        send.click(ask, [box, session, lang_radio], api_visibility="private", **ask_kw)
        for b in ex_buttons:
            b.click(ask, [b, session, lang_radio], api_visibility="private", **ask_kw)

        def reset(ui_lang: str):
            return {"messages": [], "sections": []}, [], render_sources_panel([], norm_lang(ui_lang))

        clear.click(reset, [lang_radio], [session, chatbot, sources], api_visibility="private")
        chatbot.clear(reset, [lang_radio], [session, chatbot, sources], api_visibility="private")

        # ---- documents ----------------------------------------------------------------------
        def docs_view(ui_lang: str):
            lg = norm_lang(ui_lang)
            choices = gr.update(choices=doc_choices(), value=None, label=t(lg, "remove_label"))
            return header_html(index_dir, lg), documents_table(docs.documents(), lg), choices

        def on_upload(files: list[str] | None, ui_lang: str, progress=gr.Progress()):  # noqa: B008 - Gradio's idiom
            ui_lang = norm_lang(ui_lang)
            if not files:
                return (gr.skip(),) * 5
            result = docs.add([Path(f) for f in files], ui_lang, lambda f, m: progress(f, desc=m or None))
            lines = []
            if result.added:
                lines.append(t(ui_lang, "added", names="、".join(result.added)))
            lines += [t(ui_lang, "rejected", name=n, msg=reason(m, ui_lang)) for n, m in result.rejected]
            if result.failed:
                lines.append(t(ui_lang, "index_failed", msg=result.failed))
            return (status_html(lines, bool(result.rejected or result.failed)), None, *docs_view(ui_lang))

        idx_kw: dict[str, Any] = {"concurrency_limit": 1, "concurrency_id": "index", "api_visibility": "private"}
        upload.upload(
            on_upload,
            [upload, lang_radio],
            [status, upload, header, table, remove_dd],
            show_progress_on=[table],
            **idx_kw,
        )

        def on_remove(source: str | None, ui_lang: str):
            if ui_lang == "cancel":
                return (gr.skip(),) * 4
            ui_lang = norm_lang(ui_lang)
            if not source:
                return (status_html([t(ui_lang, "pick_doc")], True), *docs_view(ui_lang))
            try:
                docs.remove(source)
                msg = status_html([t(ui_lang, "removed", name=source)], False)
            except QAError as exc:
                msg = status_html([t(ui_lang, "index_failed", msg=str(exc))], True)
            return (msg, *docs_view(ui_lang))

        remove_btn.click(
            on_remove,
            [remove_dd, lang_radio],
            [status, header, table, remove_dd],
            js=_CONFIRM_JS,
            show_progress_on=[table],
            **idx_kw,
        )

        # ---- language -----------------------------------------------------------------------
        def relabel(ui_lang: str, state: dict[str, Any]):
            lg = norm_lang(ui_lang)
            return (
                *docs_view(lg),
                gr.update(label=t(lg, "tab_chat")),
                gr.update(label=t(lg, "tab_docs")),
                gr.update(label=t(lg, "chat_label"), placeholder=t(lg, "empty_chat")),
                gr.update(placeholder=t(lg, "placeholder")),
                gr.update(value=t(lg, "send")),
                gr.update(value=t(lg, "clear")),
                t(lg, "examples"),
                render_sources_panel(state.get("sections", []), lg),
                "### " + t(lg, "docs_header"),
                gr.update(label=t(lg, "upload_label", mb=MAX_UPLOAD_MB)),
                gr.update(value=t(lg, "remove")),
            )

        lang_radio.change(
            relabel,
            [lang_radio, session],
            [
                header,
                table,
                remove_dd,
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
        demo.load(docs_view, [lang_radio], [header, table, remove_dd], api_visibility="private")
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
        auth_message="请登录 · Please sign in",
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        show_error=True,
        ssr_mode=False,
        footer_links=["settings"],
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
