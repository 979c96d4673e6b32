"""The web UI's <head> additions: the page script (citation clicks, screen-reader labels, the upload size
check) and the few page-level CSS rules Gradio's css= cannot reach.

Gradio's refusal of an over-sized upload is a toast in the browser's language; the script refuses it first,
in the interface language (the server refuses it too).
"""

from __future__ import annotations

import json

from qa.web.text import LANGS, t

# Clicking an [n] marker shows that answer's sources and scrolls the cited snippet into view.
_HEAD = r"""
<style>
/* Page-level rules (Gradio scopes the css= rules inside its container, so these live here). */
@media (max-width: 640px) {
  .gradio-container > .main { padding-left: 10px !important; padding-right: 10px !important; }
}
</style>
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
    var copy = el.closest("button.qa-copy");
    if (copy) {  // the answer and its sources as text, on the clipboard
      ev.preventDefault();
      ev.stopPropagation();
      var src = copy.parentNode && copy.parentNode.querySelector(".qa-copy-text");
      var text = src ? Array.from(src.querySelectorAll(".qa-copy-line"))
        .map(function (x) { return x.textContent; }).join("\n") : "";
      var done = function () {
        window.__qaLastCopy = text;
        copy.classList.add("done");
        setTimeout(function () { copy.classList.remove("done"); }, 1500);
      };
      var fallback = function () {  // plain http on a LAN address has no navigator.clipboard
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        try { document.execCommand("copy"); } catch (e) {}
        document.body.removeChild(area);
        done();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
      return;
    }
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
        var shown = m.cloneNode(true);  // the copy button and the text it copies are not read out
        shown.querySelectorAll(".qa-copy, .qa-copy-text").forEach(function (x) { x.remove(); });
        m.__qaLabel = who + (shown.textContent || "").replace(/\s+/g, " ").trim();
        if (cur !== m.__qaLabel) m.setAttribute("aria-label", m.__qaLabel);
      });
  }
  var pending = false;
  function pageLang() {  // <html lang> follows the interface language (screen readers pick their voice by it)
    var c = document.querySelector("#qa-lang input:checked");
    var want = c && c.value === "en" ? "en" : "zh-CN";
    if (document.documentElement.lang !== want) document.documentElement.lang = want;
  }
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; fixLabels(); pageLang(); });
  })
    .observe(document.documentElement,
             { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });

  // Files over the upload limit are refused here, in the interface language, before Gradio uploads them
  // (Gradio's own refusal is a toast in the browser's language; the server refuses them too).
  var UP = __QA_UPLOAD__;
  function uiLang() {
    var c = document.querySelector("#qa-lang input:checked");
    return c && c.value === "en" ? "en" : "zh";
  }
  function tooBig(files) {
    var out = [];
    for (var i = 0; files && i < files.length; i++) if (files[i].size > UP.maxBytes) out.push(files[i]);
    return out;
  }
  function refusalBox() {
    var box = document.getElementById("qa-upload-refusal");
    var zone = document.getElementById("qa-upload");
    if (!box && zone && zone.parentNode) {
      box = document.createElement("div");
      box.id = "qa-upload-refusal";
      zone.parentNode.insertBefore(box, zone.nextSibling);
    }
    return box;
  }
  function clearRefusal() {
    var box = document.getElementById("qa-upload-refusal");
    if (box) box.replaceChildren();
  }
  function refuse(big) {
    var box = refusalBox();
    if (!box) return;
    var lang = uiLang();
    var msg = document.createElement("div");
    msg.className = "qa-status qa-status-final qa-status-error";
    var ico = document.createElement("span");
    ico.className = "qa-ico qa-ico-error";
    msg.appendChild(ico);
    big.forEach(function (f, i) {
      if (i) msg.appendChild(document.createElement("br"));
      var size = (f.size / 1048576).toFixed(1) + " MB";
      msg.appendChild(document.createTextNode(UP.messages[lang].replace("{name}", f.name).replace("{size}", size)));
    });
    box.replaceChildren(msg);
  }
  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input || !input.matches || !input.matches("#qa-upload input[type=file]")) return;
    var big = tooBig(input.files);
    if (!big.length) { clearRefusal(); return; }
    ev.stopImmediatePropagation();
    input.value = "";
    refuse(big);
  }, true);
  document.addEventListener("drop", function (ev) {
    var zone = ev.target && ev.target.closest ? ev.target.closest("#qa-upload") : null;
    if (!zone) return;
    var big = tooBig(ev.dataTransfer && ev.dataTransfer.files);
    if (!big.length) { clearRefusal(); return; }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    refuse(big);
  }, true);
})();
</script>
"""


def _head() -> str:
    from qa.web.documents import MAX_UPLOAD_MB

    limit = MAX_UPLOAD_MB
    messages = {
        lang: t(lang, "rejected", name="{name}", msg=t(lang, "too_big", size="{size}", mb=limit)) for lang in LANGS
    }
    upload = {"maxBytes": limit * 1024 * 1024, "messages": messages}
    return _HEAD.replace("__QA_UPLOAD__", json.dumps(upload, ensure_ascii=False))


#: The <head> additions: page-level CSS, citation clicks, screen-reader labels, the upload size check.
HEAD = _head()
