"""The Gradio app: chat with linked citations + sources panel, a document filter, and a Documents tab.

`create_app(index_dir)` builds the Blocks; `launch_app(demo, ...)` serves it with the UI's theme,
CSS and page script (Gradio 6 takes those at launch time). The components are laid out in qa.web.layout,
the events are handled in qa.web.handlers (doing the work of qa.web.actions), rendering lives in
qa.web.render, the strings in qa.web.text, document management in qa.web.documents, the loaded index
in qa.web.state, the CSS in qa.web.style and the page script in qa.web.head.

A session keeps its conversation as `Turn`s holding the raw `Answer`s; the chat and the sources panel
are rendered from them on demand, so the language toggle re-renders everything already on screen.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import QAError
from qa.web.documents import MAX_UPLOAD_MB, DocumentManager
from qa.web.head import HEAD
from qa.web.layout import Page, build_page
from qa.web.state import AssistantHolder, holder_for
from qa.web.style import AUTH_MESSAGE, CSS, theme
from qa.web.text import DEFAULT_LANG, EXAMPLES, LANGS, norm_lang, remove_question, t

if TYPE_CHECKING:
    from qa.web.handlers import Handlers

log = logging.getLogger(__name__)

#: The index each app serves, for the JSON API added at launch (qa.web.api).
_HOLDERS: weakref.WeakKeyDictionary[Any, AssistantHolder] = weakref.WeakKeyDictionary()


def _confirm_js() -> str:
    """Confirm before removing; on "cancel" the language input becomes "cancel" and the handler skips.
    The question says whether the file on disk is deleted too (an uploaded copy: the table row's data-upload)
    or kept, in the words of qa.web.text.remove_question."""
    words = {
        lg: {"upload": remove_question(lg, "{name}", True), "kept": remove_question(lg, "{name}", False)}
        for lg in LANGS
    }
    return _CONFIRM_JS.replace("WORDS", json.dumps(words, ensure_ascii=False))


_CONFIRM_JS = """(name, lang, picked) => {
  if (!name) return [name, lang, picked];
  const words = WORDS[lang === "en" ? "en" : "zh"];
  const rows = Array.from(document.querySelectorAll("#qa-doc-table tr[data-source]"));
  const upload = rows.some((r) => r.dataset.source === name && r.dataset.upload === "1");
  const msg = (upload ? words.upload : words.kept).replace("{name}", () => name);
  return window.confirm(msg) ? [name, lang, picked] : [name, "cancel", picked];
}"""


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

    from qa.web.handlers import Handlers

    index_dir = Path(index_dir)
    docs_dir = Path(docs_dir) if docs_dir else index_dir / "documents"
    docs = DocumentManager(index_dir, docs_dir, holder or holder_for(index_dir))
    holder = docs.holder
    lang = norm_lang(lang)
    if preload and not holder.loaded:
        threading.Thread(target=_preload, args=(holder,), name="qa-preload", daemon=True).start()
    if watch:
        holder.watch()

    handlers = Handlers(docs)
    with gr.Blocks(title=t(lang, "title"), analytics_enabled=False) as demo:
        page = build_page(index_dir, docs, examples, lang)
        _wire_chat(page, handlers)
        _wire_documents(page, handlers)
        _wire_language(page, handlers)
        demo.load(
            lambda lg, picked: handlers.docs_view(lg, picked),
            [page.lang, page.doc_filter],
            _index_views(page),
            api_visibility="private",
        )
        demo.load(  # the conversation the browser kept (qa.web.history)
            handlers.restore,
            [page.saved, page.turns, page.lang],
            [page.turns, page.chatbot, page.sources],
            api_visibility="private",
        )
    demo.queue(max_size=64, default_concurrency_limit=4)
    _quiet_queue(demo)
    _set_launch_defaults(demo)
    _HOLDERS[demo] = holder
    return demo


def _index_views(page: Page) -> list[Any]:
    """The components that show the index, in the order `Handlers.docs_view` returns them."""
    return [page.header, page.table, page.remove_dd, page.doc_filter, page.seen]


def _wire_chat(page: Page, h: Handlers) -> None:
    """Asking (Enter, the send button, an example) and clearing the conversation."""
    ask_kw: dict[str, Any] = {
        "outputs": [page.turns, page.chatbot, page.box, page.sources, page.saved],
        "concurrency_limit": 4,
        "concurrency_id": "ask",
        "show_progress": "hidden",
        # a question sent while the previous one is still finishing runs right after it (Gradio's default
        # drops it silently until the previous event is marked complete, which lags on a busy machine)
        "trigger_mode": "always_last",
    }
    ask_in = [page.box, page.turns, page.lang, page.doc_filter]
    page.box.submit(h.ask, ask_in, api_name="ask", **ask_kw)
    page.send.click(h.ask, ask_in, api_visibility="private", **ask_kw)
    for b in page.ex_buttons:
        b.click(h.ask, [b, page.turns, page.lang, page.doc_filter], api_visibility="private", **ask_kw)

    reset_out = [page.turns, page.chatbot, page.sources, page.saved]
    page.clear.click(h.reset, [page.lang], reset_out, api_visibility="private")
    page.chatbot.clear(h.reset, [page.lang], reset_out, api_visibility="private")


def _wire_documents(page: Page, h: Handlers) -> None:
    """The Documents tab (upload, remove) and the timer that shows changes made elsewhere."""
    view_out = _index_views(page)
    page.sync_timer.tick(
        h.sync,
        [page.seen, page.lang, page.doc_filter, page.remove_dd],
        view_out,
        show_progress="hidden",
        queue=False,
        api_visibility="private",
    )
    idx_kw: dict[str, Any] = {"concurrency_limit": 1, "concurrency_id": "index", "api_visibility": "private"}
    page.upload.upload(
        h.on_upload,
        [page.upload, page.lang, page.doc_filter],
        [page.status, page.upload, *view_out],
        show_progress_on=[page.table],
        **idx_kw,
    )
    page.remove_btn.click(
        h.on_remove,
        [page.remove_dd, page.lang, page.doc_filter],
        [page.status, *view_out],
        js=_confirm_js(),
        show_progress_on=[page.table],
        **idx_kw,
    )


def _wire_language(page: Page, h: Handlers) -> None:
    """The language toggle re-labels the page and re-renders what it shows."""
    page.lang.change(
        h.relabel,
        [page.lang, page.turns, page.doc_filter, page.remove_dd],
        [
            *_index_views(page),
            page.chat_tab,
            page.docs_tab,
            page.chatbot,
            page.box,
            page.send,
            page.clear,
            page.ex_label,
            page.sources,
            page.docs_title,
            page.upload,
            page.remove_btn,
        ],
        api_visibility="private",
    )


#: How often Gradio's queue looks for work when it has none, and for progress to send (its defaults, 1 ms and
#: 10 ms, keep an idle server at about 6% of a core; these add at most 20 ms to an event's start).
QUEUE_POLL_S = 0.02
PROGRESS_POLL_S = 0.1


def _quiet_queue(demo: Any) -> None:
    queue = getattr(demo, "_queue", None)
    if queue is not None and hasattr(queue, "sleep_when_free"):
        queue.sleep_when_free = QUEUE_POLL_S
        queue.progress_update_sleep_when_free = PROGRESS_POLL_S


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
    """Serve `demo` (never through a public share link) with the JSON API (`POST /api/ask`, qa.web.api) behind
    the same login; returns Gradio's (app, local_url, share_url)."""
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
    holder = _HOLDERS.get(demo)
    if holder is not None:
        from qa.web.api import add_api

        add_api(demo.app, holder, auth)
    if not quiet:
        login = " (login required)" if auth else ""
        print(f"qa: serving on {demo.local_url}{login}; press Ctrl+C to stop", file=sys.stderr, flush=True)
    if block:
        demo.block_thread()
    return result
