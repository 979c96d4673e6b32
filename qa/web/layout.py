"""The web UI's page: its components, laid out in a chat tab and a Documents tab.

`build_page(...)`, called inside a `gr.Blocks`, creates the components in the interface language and returns
them as a `Page`; qa.web.app wires their events to qa.web.handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.assistant import MAX_QUESTION_CHARS
from qa.web.actions import header_html
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager
from qa.web.history import storage_key
from qa.web.render import documents_html, render_sources_panel
from qa.web.session import SESSION_TTL_S
from qa.web.text import t

#: The chat's height: what the window leaves under the header, with the question box, the document filter and the
#: examples still in view on a 1280×800 screen; never below 300 px, never above 560 px.
CHAT_HEIGHT = "clamp(300px, calc(100vh - 440px), 560px)"
#: How often (seconds) each open page asks whether the index changed (new build, upload, removal elsewhere).
SYNC_SECONDS = 3.0


@dataclass
class Page:
    """The components of one page that events read or update."""

    turns: Any  # gr.State: the conversation, a list of Turns
    saved: Any  # gr.BrowserState: the conversation as JSON in the browser's storage (qa.web.history)
    seen: Any  # gr.State: the index generation this page shows
    header: Any
    lang: Any
    chat_tab: Any
    chatbot: Any
    box: Any
    send: Any
    clear: Any
    doc_filter: Any
    ex_label: Any
    ex_buttons: list[Any]
    sources: Any
    docs_tab: Any
    docs_title: Any
    table: Any
    upload: Any
    status: Any
    remove_dd: Any
    remove_btn: Any
    sync_timer: Any


def build_page(index_dir: Path, docs: DocumentManager, examples: Sequence[str], lang: str) -> Page:
    """Create the page's components (inside a `gr.Blocks` context) in `lang`."""
    import gradio as gr

    turns_state = gr.State([], time_to_live=SESSION_TTL_S)  # an idle session's conversation is released
    saved = gr.BrowserState([], storage_key=storage_key(index_dir))  # ... and kept in the browser for a reload
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
                    height=CHAT_HEIGHT,
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
                        label=t(lang, "question_label"),  # what a screen reader announces
                        max_length=MAX_QUESTION_CHARS,  # typing stops at the limit: no giant bubble, no error
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
                    clear = gr.Button(t(lang, "clear"), variant="secondary", scale=0, min_width=80, elem_id="qa-clear")
                # no document names in the page's first config or API description (a login page shows those
                # to strangers): the choices come with the page-load event, which needs the login
                doc_filter = gr.Dropdown(
                    [],
                    value=[],
                    multiselect=True,
                    allow_custom_value=True,  # documents uploaded later are picked too (checked against the index)
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
                    [],
                    value=None,
                    allow_custom_value=True,  # filled on page load; the removal checks the name against the index
                    label=t(lang, "remove_label"),
                    scale=4,
                    min_width=0,
                    elem_id="qa-remove-choice",
                )
                remove_btn = gr.Button(t(lang, "remove"), variant="stop", scale=0, min_width=120, elem_id="qa-remove")
    sync_timer = gr.Timer(SYNC_SECONDS)
    return Page(
        turns=turns_state,
        saved=saved,
        seen=seen,
        header=header,
        lang=lang_radio,
        chat_tab=chat_tab,
        chatbot=chatbot,
        box=box,
        send=send,
        clear=clear,
        doc_filter=doc_filter,
        ex_label=ex_label,
        ex_buttons=ex_buttons,
        sources=sources,
        docs_tab=docs_tab,
        docs_title=docs_title,
        table=table,
        upload=upload,
        status=status,
        remove_dd=remove_dd,
        remove_btn=remove_btn,
        sync_timer=sync_timer,
    )
