"""CSS, the <head> script (citation clicks) and the theme of the web UI."""

from __future__ import annotations

from typing import Any

CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
#qa-header { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; padding: 4px 2px 0; }
#qa-header h1 { font-size: 1.6rem; margin: 0; font-weight: 700; letter-spacing: .02em; }
#qa-header .qa-sub { color: var(--body-text-color-subdued); font-size: .95rem; }
#qa-header .qa-info { font-size: .85rem; color: var(--body-text-color-subdued);
  background: var(--background-fill-secondary); border-radius: 999px; padding: 2px 12px; }
#qa-header .qa-info.warn { color: #b45309; background: #fef3c7; }
#qa-lang { max-width: 220px; margin-left: auto; }
#qa-examples { gap: 6px !important; flex-wrap: wrap !important; }
#qa-examples button { flex: 0 1 auto !important; min-width: 0 !important; font-size: .85rem !important;
  padding: 4px 12px !important; border-radius: 999px !important; }
#qa-examples-label { font-size: .85rem; color: var(--body-text-color-subdued); margin: 2px 0 -4px; }
.qa-question { white-space: pre-wrap; }
.qa-answer-text { font-size: 1.05rem; line-height: 1.7; }
a.qa-cite { display: inline-block; text-decoration: none !important; font-size: .78em; font-weight: 600;
  color: var(--color-accent) !important; background: var(--color-accent-soft); border-radius: 6px;
  padding: 0 5px; margin: 0 1px; vertical-align: super; line-height: 1.3; cursor: pointer; }
a.qa-cite:hover { background: var(--color-accent); color: white !important; }
.qa-meta { margin-top: 6px; font-size: .78rem; color: var(--body-text-color-subdued); }
#qa-chat .message:has(.qa-abstain) { background: var(--background-fill-secondary) !important;
  border-style: dashed !important; }
#qa-chat .message:has(.qa-error) { border-color: #fca5a5 !important; background: #fef2f2 !important; }
.qa-abstain { color: var(--body-text-color-subdued); font-style: italic; }
.qa-badge { display: inline-block; font-style: normal; font-weight: 600; font-size: .78rem; color: #92400e;
  background: #fef3c7; border: 1px solid #fcd34d; border-radius: 999px; padding: 0 8px; margin-right: 8px; }
.qa-error { color: #b91c1c; }
.qa-thinking { color: var(--body-text-color-subdued); }
.qa-dots::before { content: "●"; display: inline-block; margin-right: 6px; animation: qa-pulse 1s infinite; }
@keyframes qa-pulse { 0%,100% { opacity: .2 } 50% { opacity: 1 } }
#qa-sources-box { max-height: 640px; overflow-y: auto; padding-right: 4px; }
.qa-sources-title { font-weight: 700; font-size: 1.05rem; margin: 2px 0 8px; }
.qa-turn { display: none; }
.qa-turn.active { display: block; }
.qa-turn-q { font-size: .85rem; color: var(--body-text-color-subdued); margin-bottom: 8px;
  border-left: 3px solid var(--color-accent); padding-left: 8px; }
.qa-src { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px;
  margin-bottom: 10px; background: var(--background-fill-primary); scroll-margin: 12px;
  transition: box-shadow .3s, border-color .3s; }
.qa-src-head { display: flex; align-items: center; gap: 8px; font-size: .9rem; }
.qa-src-n { font-weight: 700; color: var(--color-accent); }
.qa-src-file { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.qa-src-score { margin-left: auto; font-size: .75rem; color: var(--body-text-color-subdued); white-space: nowrap; }
.qa-src-meta { font-size: .78rem; color: var(--body-text-color-subdued); margin: 2px 0 6px;
  display: flex; gap: 10px; flex-wrap: wrap; }
.qa-src-text { font-size: .92rem; line-height: 1.7; }
.qa-src-text mark { background: #fde68a; color: inherit; padding: 1px 2px; border-radius: 3px; font-weight: 600; }
.qa-src-weak { opacity: .75; border-style: dashed; }
.qa-src-empty { color: var(--body-text-color-subdued); font-size: .9rem; padding: 8px 0; }
.qa-closest-title { font-size: .8rem; color: var(--body-text-color-subdued); margin: 6px 0; }
.qa-src.qa-flash { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft);
  animation: qa-flash 1.4s ease-out; }
@keyframes qa-flash { 0% { background: #fef9c3 } 100% { background: var(--background-fill-primary) } }
#qa-doc-status { min-height: 1.5em; }
.qa-status { padding: 8px 12px; border-radius: 8px; line-height: 1.7; }
.qa-status-ok { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; }
.qa-status-error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.qa-status-time { font-size: .75rem; opacity: .6; margin-right: 10px; font-variant-numeric: tabular-nums; }
#qa-remove-row { align-items: flex-end !important; }
#qa-remove { align-self: flex-end; margin-bottom: 4px; }
"""

#: Clicking an [n] marker shows that answer's sources and scrolls the cited snippet into view.
HEAD = r"""
<script>
(function () {
  if (window.__qaCites) return;
  window.__qaCites = true;
  function showTurn(n) {
    var turn = n && document.getElementById("qa-turn-" + n);
    if (!turn || turn.classList.contains("active")) return;
    document.querySelectorAll(".qa-turn.active").forEach(function (t) { t.classList.remove("active"); });
    turn.classList.add("active");
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target : null;
    if (!el) return;
    var a = el.closest("a.qa-cite");
    if (!a) {
      var ans = el.closest(".qa-answer");  // clicking an older answer shows its sources
      var m = ans && ans.className.match(/\bqa-t(\d+)\b/);
      if (m) showTurn(m[1]);
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
    var id = (a.getAttribute("href") || "").slice(1);
    var m2 = id.match(/^src-(\d+)-/);
    if (m2) showTurn(m2[1]);
    var card = document.getElementById(id);
    if (!card) return;
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
    card.classList.remove("qa-flash");
    void card.offsetWidth;
    card.classList.add("qa-flash");
  }, true);
  // Chat messages are HTML; give screen readers their text instead of the markup.
  var HTML_LABELS = '[data-testid="bot"][aria-label*="<"], [data-testid="user"][aria-label*="<"]';
  function fixLabels() {
    document.querySelectorAll(HTML_LABELS)
      .forEach(function (m) {
        var cur = m.getAttribute("aria-label");
        if (m.__qaLabel === cur) return;
        var who = m.getAttribute("data-testid") === "user" ? "user's message: " : "bot's message: ";
        m.__qaLabel = who + (m.textContent || "").replace(/\s+/g, " ").trim();
        if (cur !== m.__qaLabel) m.setAttribute("aria-label", m.__qaLabel);
      });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; fixLabels(); });
  })
    .observe(document.documentElement,
             { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
})();
</script>
"""


def theme() -> Any:
    """A calm theme with local fonts only (the UI must work offline)."""
    import gradio as gr

    return gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
