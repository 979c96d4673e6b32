"""The web UI's look: CSS with the icons, the login page's wording, and the theme.

Icons are SVG drawn through CSS masks (`ICONS`), never emoji: a machine without an emoji font would show
empty boxes. Gradio's own words (the upload zone, the login page) follow the browser's language, so they
are replaced here with the UI's (the upload zone follows the language toggle; the login page is bilingual).
The page's script (citation clicks, the upload size check) is in qa.web.head.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from qa.web.text import LANGS, t

SUBDUED = "#475569"  # secondary text (tagline, latency and confidence line, notes)

_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' "
    "stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>{}</svg>"
)

#: name -> SVG body (24x24, stroked), used as `<span class="qa-ico qa-ico-NAME">` (qa.web.render.icon).
ICONS: dict[str, str] = {
    "logo": "<path d='M2 4h6a4 4 0 0 1 4 4v13a3 3 0 0 0-3-3H2z'/>"
    "<path d='M22 4h-6a4 4 0 0 0-4 4v13a3 3 0 0 1 3-3h7z'/>",
    "file": "<path d='M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z'/><path d='M14 2v6h6'/>"
    "<path d='M8 13h8M8 17h6'/>",
    "clock": "<circle cx='12' cy='12' r='9'/><path d='M12 7v5l3 2'/>",
    "ok": "<circle cx='12' cy='12' r='9'/><path d='M8 12.5l2.5 2.5L16 9.5'/>",
    "alert": "<path d='M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z'/>"
    "<path d='M12 9v4M12 17h.01'/>",
    "error": "<circle cx='12' cy='12' r='9'/><path d='M15 9l-6 6M9 9l6 6'/>",
    "trash": "<path d='M3 6h18M8 6V4h8v2M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6'/>",
    "upload": "<path d='M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4'/><path d='M17 8l-5-5-5 5M12 3v12'/>",
}


def _icon_css() -> str:
    rules = [
        ".qa-ico { display: inline-block; width: 1em; height: 1em; flex: none; vertical-align: -0.14em;"
        " margin-right: .3em; background-color: currentColor;"
        " -webkit-mask: var(--qa-ico) center / contain no-repeat; mask: var(--qa-ico) center / contain no-repeat; }"
    ]
    for name, body in ICONS.items():
        url = "data:image/svg+xml," + quote(_SVG.format(body), safe="/:=' ")
        rules.append(f'.qa-ico-{name} {{ --qa-ico: url("{url}"); }}')
    return "\n".join(rules) + "\n"


def _css_text(text: str) -> str:
    """`text` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _upload_css() -> str:
    """The upload zone's words in the toggle's language (the File component carries a qa-lang-XX class)."""
    rules = [
        # Gradio's words ("Drop File Here - or - Click to Upload") follow the browser; hide them, keep its icon.
        "#qa-upload [data-testid='upload-text'] { font-size: 0 !important; line-height: 1.5; }",
        "#qa-upload [data-testid='upload-text'] .or { display: none !important; }",
        "#qa-upload [data-testid='upload-text'] .icon-wrap { font-size: 1rem; }",
        "#qa-upload [data-testid='upload-text']::after { font-size: var(--text-lg); white-space: pre-line;"
        " text-align: center; }",
    ]
    for lang in LANGS:
        words = t(lang, "drop_here") + "\n" + t(lang, "or_click")
        rules.append(f"#qa-upload.qa-lang-{lang} [data-testid='upload-text']::after {{ content: {_css_text(words)}; }}")
    return "\n".join(rules) + "\n"


CSS = (
    """
/* ---- page: a stable width whatever the tab shows (auto margins alone shrink it to its content) ---- */
.gradio-container { width: 100% !important; max-width: 1320px !important; margin: 0 auto !important; }
#qa-top { align-items: flex-start !important; gap: 8px 16px !important; flex-wrap: wrap !important; }
#qa-header { display: flex; align-items: baseline; gap: 6px 14px; flex-wrap: wrap; padding: 4px 2px 0; }
#qa-header h1 { font-size: 1.6rem; margin: 0; font-weight: 700; letter-spacing: .02em; display: flex;
  align-items: center; }
#qa-header h1 .qa-ico { color: var(--color-accent); width: 1.1em; height: 1.1em; margin-right: .35em; }
#qa-header .qa-sub { color: var(--body-text-color-subdued); font-size: .95rem; }
#qa-header .qa-info { font-size: .85rem; color: var(--body-text-color-subdued);
  background: var(--background-fill-secondary); border-radius: 999px; padding: 2px 12px; }
#qa-header .qa-info.warn { color: #b45309; background: #fef3c7; }
#qa-lang { flex: 0 0 auto !important; width: auto !important; margin-left: auto; }
#qa-lang .wrap { flex-wrap: nowrap !important; }
/* ---- chat ---- */
/* Gradio's floating label and trash button covered the top message once the chat scrolled; the Clear
   button below the box does the same, in the interface language */
#qa-chat label[data-testid='block-label'], #qa-chat .icon-button-wrapper.top-panel { display: none !important; }
#qa-chat .message { max-width: 100% !important; overflow-wrap: anywhere; }
#qa-ask-row { gap: 8px !important; }
#qa-ask-row > * { min-width: 0 !important; }
#qa-send, #qa-clear { flex: 0 0 auto !important; white-space: nowrap; }
#qa-doc-filter { margin-top: 2px; }
#qa-doc-filter .token span, #qa-doc-filter .token { white-space: normal !important; overflow-wrap: anywhere;
  max-width: 100%; }
#qa-examples { gap: 6px !important; flex-wrap: wrap !important; }
#qa-examples button { flex: 0 1 auto !important; min-width: 0 !important; max-width: 100%; font-size: .85rem !important;
  padding: 4px 12px !important; border-radius: 16px !important; white-space: normal !important; }
#qa-examples-label { font-size: .85rem; color: var(--body-text-color-subdued); margin: 2px 0 -4px; }
.qa-question { white-space: pre-wrap; overflow-wrap: anywhere; }
.qa-answer { overflow-wrap: anywhere; }
.qa-answer-text { font-size: 1.05rem; line-height: 1.7; }
a.qa-cite { display: inline-block; text-decoration: none !important; font-size: .78em; font-weight: 600;
  color: #3730a3 !important; background: var(--color-accent-soft); border-radius: 6px;
  padding: 0 5px; margin: 0 1px; vertical-align: super; line-height: 1.3; cursor: pointer; }
a.qa-cite:hover { background: var(--color-accent); color: white !important; }
.qa-meta { margin-top: 6px; font-size: .78rem; color: var(--body-text-color-subdued); }
.qa-copy { margin-left: 8px; padding: 0 8px; font-size: .75rem; line-height: 1.6; border-radius: 6px; cursor: pointer;
  color: var(--body-text-color-subdued); background: transparent; border: 1px solid var(--border-color-primary); }
.qa-copy:hover { color: var(--body-text-color); border-color: var(--body-text-color-subdued); }
.qa-copy .qa-copy-done, .qa-copy.done .qa-copy-do, .qa-copy-text { display: none; }
.qa-copy.done .qa-copy-done { display: inline; }
.qa-read-as { margin-bottom: 4px; font-size: .8rem; color: var(--body-text-color-subdued); }
#qa-chat .message:has(.qa-uncertain) { border-style: dashed !important; border-color: #f59e0b !important; }
.qa-uncertain .qa-answer-text { color: var(--body-text-color-subdued); }
.qa-badge-maybe { color: #7c2d12; background: #ffedd5; border-color: #fdba74; }
.qa-scope { margin-top: 4px; font-size: .78rem; color: var(--body-text-color-subdued); font-style: normal; }
#qa-chat .message:has(.qa-abstain) { background: var(--background-fill-secondary) !important;
  border-style: dashed !important; }
#qa-chat .message:has(.qa-error) { border-color: #fca5a5 !important; background: #fef2f2 !important; }
.qa-abstain { color: var(--body-text-color-subdued); font-style: italic; }
.qa-badge { display: inline-flex; align-items: center; font-style: normal; font-weight: 600; font-size: .78rem;
  color: #92400e; background: #fef3c7; border: 1px solid #fcd34d; border-radius: 999px; padding: 0 8px;
  margin-right: 8px; }
.qa-error { color: #b91c1c; }
.qa-note { color: #6b7280; font-size: 0.9em; }
.qa-thinking { color: var(--body-text-color-subdued); }
.qa-dots { display: inline-block; width: .55em; height: .55em; border-radius: 50%; background: currentColor;
  margin-right: 8px; vertical-align: .05em; animation: qa-pulse 1s infinite; }
@keyframes qa-pulse { 0%,100% { opacity: .2 } 50% { opacity: 1 } }
/* ---- sources ---- */
#qa-sources-box { max-height: 640px; overflow-y: auto; padding-right: 4px; }
.qa-sources-title { font-weight: 700; font-size: 1.05rem; margin: 2px 0 8px; }
.qa-turn { display: none; }
.qa-turn.active { display: block; }
.qa-turn-q { font-size: .85rem; color: var(--body-text-color-subdued); margin-bottom: 8px;
  border-left: 3px solid var(--color-accent); padding-left: 8px; overflow-wrap: anywhere; }
.qa-src { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px;
  margin-bottom: 10px; background: var(--background-fill-primary); scroll-margin: 12px;
  transition: box-shadow .3s, border-color .3s; }
.qa-src-head { display: flex; align-items: baseline; gap: 8px; font-size: .9rem; }
.qa-src-n { font-weight: 700; color: var(--color-accent); flex: none; }
.qa-src-doc { font-weight: 600; min-width: 0; flex: 1 1 auto; overflow-wrap: anywhere; }
.qa-src-doc .qa-ico { color: var(--body-text-color-subdued); }
.qa-src-score { margin-left: auto; font-size: .75rem; color: var(--body-text-color-subdued); white-space: nowrap;
  flex: none; }
.qa-src-meta { font-size: .78rem; color: var(--body-text-color-subdued); margin: 2px 0 6px;
  display: flex; gap: 2px 10px; flex-wrap: wrap; }
.qa-src-file { font-family: var(--font-mono); overflow-wrap: anywhere; }
.qa-src-note { font-size: .75rem; color: var(--body-text-color-subdued); margin: -2px 0 4px; }
.qa-src-text { font-size: .92rem; line-height: 1.7; overflow-wrap: anywhere; }
.qa-src-text mark { background: #fde68a; color: inherit; padding: 1px 2px; border-radius: 3px; font-weight: 600; }
.qa-src-text mark.qa-faint { background: none; font-weight: inherit; padding: 0;
  text-decoration-line: underline; text-decoration-style: dotted;
  text-decoration-color: var(--body-text-color-subdued); text-underline-offset: 3px; }
.qa-src-uncited { border-style: dashed; }
.qa-src-uncited .qa-src-text { color: var(--body-text-color-subdued); }
.qa-src-weak { opacity: .75; border-style: dashed; }
.qa-src-empty { color: var(--body-text-color-subdued); font-size: .9rem; padding: 8px 0; }
.qa-closest-title { font-size: .8rem; color: var(--body-text-color-subdued); margin: 6px 0; }
.qa-src.qa-flash { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft);
  animation: qa-flash 1.4s ease-out; }
@keyframes qa-flash { 0% { background: #fef9c3 } 100% { background: var(--background-fill-primary) } }
/* ---- documents ---- */
#qa-doc-table table.qa-docs { width: 100%; border-collapse: collapse; font-size: .92rem; border: none !important;
  padding: 0 !important; margin: 0 !important; }
.qa-docs tr, .qa-docs th, .qa-docs td { background: none !important; border: none !important; margin: 0 !important; }
.qa-docs th { text-align: left; font-weight: 600; font-size: .8rem; color: var(--body-text-color-subdued);
  border-bottom: 1px solid var(--border-color-primary) !important; padding: 6px 10px; white-space: nowrap; }
.qa-docs td { border-bottom: 1px solid var(--border-color-primary) !important; padding: 8px 10px; vertical-align: top;
  white-space: nowrap; font-variant-numeric: tabular-nums; }
.qa-docs td.qa-doc-name { white-space: normal; width: 100%; }
.qa-doc-cell { display: flex; gap: 2px; }
.qa-doc-cell .qa-ico { margin-top: .25em; color: var(--body-text-color-subdued); }
.qa-doc-title { font-weight: 600; overflow-wrap: anywhere; }
.qa-doc-file { font-family: var(--font-mono); font-size: .8rem; color: var(--body-text-color-subdued);
  overflow-wrap: anywhere; }
.qa-docs-empty { color: var(--body-text-color-subdued); padding: 8px 0; }
#qa-upload label[data-testid='block-label'] { position: static !important; margin: 0 0 6px !important; }
#qa-doc-status { min-height: 1.5em; }
#qa-doc-table .html-container, #qa-doc-status .html-container { padding-left: 0 !important;
  padding-right: 0 !important; }
.qa-status { padding: 8px 12px; border-radius: 8px; line-height: 1.7; overflow-wrap: anywhere; }
.qa-status .qa-ico { vertical-align: -0.16em; }
.qa-status-ok { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; }
.qa-status-error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.qa-status-busy { background: var(--background-fill-secondary); color: var(--body-text-color);
  border: 1px solid var(--border-color-primary); }
.qa-spinner { display: inline-block; width: .9em; height: .9em; margin-right: .5em; vertical-align: -0.12em;
  border-width: 2px; border-style: solid; border-color: var(--color-accent) var(--color-accent-soft)
  var(--color-accent-soft); border-radius: 50%;
  animation: qa-spin .8s linear infinite; }
@keyframes qa-spin { to { transform: rotate(360deg) } }
.qa-status-time { font-size: .75rem; opacity: .6; margin-right: 10px; font-variant-numeric: tabular-nums; }
#qa-remove-row { align-items: flex-end !important; }
#qa-remove { align-self: flex-end; margin-bottom: 4px; }
/* ---- phones ---- */
@media (max-width: 640px) {
  #qa-header h1 { font-size: 1.35rem; }
  #qa-top > #qa-header-box { flex: 1 1 100% !important; }
  #qa-lang { margin-left: 0; }
  #qa-chat { height: 440px !important; }
  #qa-ask-row { flex-wrap: wrap !important; }
  #qa-ask-row > #qa-box { flex: 1 1 100% !important; }
  #qa-ask-row > #qa-send, #qa-ask-row > #qa-clear { flex: 1 1 0 !important; }
  #qa-sources-box { max-height: none; }
  .qa-docs thead { display: none; }
  .qa-docs, .qa-docs tbody, .qa-docs tr { display: block; width: 100%; }
  .qa-docs tr { border-bottom: 1px solid var(--border-color-primary) !important; padding: 6px 0; }
  .qa-docs td { display: inline-block; border: none !important; padding: 2px 10px 2px 0; font-size: .82rem;
    color: var(--body-text-color-subdued); }
  .qa-docs td.qa-doc-name { display: block; font-size: .92rem; color: var(--body-text-color); }
  .qa-docs td[data-label]::before { content: attr(data-label) " "; opacity: .8; }
  #qa-remove-row { flex-wrap: wrap !important; }
  #qa-remove-row > * { flex: 1 1 100% !important; }
}
"""
    + _icon_css()
    + _upload_css()
)

#: The login page gets no custom CSS from Gradio and its words follow the browser's language; the message is
#: HTML, so it carries a style that shows every word in both languages.
_LOGIN = ".column:has(> p.auth .qa-login)"
_KEEP_USER = (
    "if(!window.__qaLogin){window.__qaLogin=1;var K='qa-login-user',S=sessionStorage;"
    "var box=function(){return document.querySelector('" + _LOGIN + " input[type=text]')};"
    "document.addEventListener('input',function(e){var u=box();if(u&&e.target===u)S.setItem(K,u.value)},true);"
    "new MutationObserver(function(){var u=box(),k=S.getItem(K);"
    "if(u&&!u.value&&k&&document.activeElement!==u){u.value=k;u.dispatchEvent(new Event('input',{bubbles:true}))}})"
    ".observe(document.body,{subtree:true,childList:true})}"
)
AUTH_MESSAGE = (
    '<span class="qa-login">请登录 · Please sign in</span><style>'
    f"{_LOGIN} > h2, {_LOGIN} > p.creds, {_LOGIN} > button, {_LOGIN} [data-testid='block-info']"
    " { font-size: 0 !important; }"
    f"{_LOGIN} > h2::after {{ content: '报告问答 · Report Q&A'; font-size: 1.5rem; }}"
    f"{_LOGIN} > p.creds::after {{ content: '用户名或密码不正确 · Incorrect user name or password';"
    " font-size: 1rem; }"
    f"{_LOGIN} .form > :nth-child(1) [data-testid='block-info']::after {{ content: '用户名 · User name';"
    " font-size: .9rem; }"
    f"{_LOGIN} .form > :nth-child(2) [data-testid='block-info']::after {{ content: '密码 · Password';"
    " font-size: .9rem; }"
    f"{_LOGIN} > button::after {{ content: '登录 · Sign in'; font-size: 1rem; }}"
    "</style>"
    # Gradio clears both fields after a wrong password; the page's <head> script does not run on the login page,
    # so this one rides in the message (rendered as HTML): the user name typed is kept for this tab and put back
    f'<img src="data:," alt="" hidden onerror="{_KEEP_USER}">'
)


def theme() -> Any:
    """A calm theme with local fonts only (the UI must work offline)."""
    import gradio as gr

    return gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    ).set(body_text_color_subdued=SUBDUED)  # slate-600: 7.2:1 on the page's #f8fafc (WCAG AA needs 4.5:1)
