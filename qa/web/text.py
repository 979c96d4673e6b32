"""Interface strings of the web UI in Chinese (default) and English, plus the example questions.

No string holds an emoji: icons are drawn by CSS (qa.web.style), so they show on machines without an
emoji font.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.progress import Step

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

#: Shown as one-click buttons under the question box, whatever the UI language. Each must be answered
#: right from the bundled report: tests/web/test_examples.py checks every one against the real index.
EXAMPLES: tuple[str, ...] = (
    "提案立案了多少件？",
    "报送社情民意信息多少篇？",
    "协商增补委员多少名？",
    "How many proposals were filed?",
    "How much money was allocated for handling proposals?",
)

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "报告问答",
        "subtitle": "向报告提问，答案逐字摘自原文，并标注出处。",
        "index_info": "已索引 {docs} · {chunks}",
        "n_docs": "{n} 个文档",
        "n_docs_one": "{n} 个文档",
        "n_chunks": "{n} 个片段",
        "n_chunks_one": "{n} 个片段",
        "index_missing": "索引尚不可用：{msg}。请在「文档」页上传文件。",
        "stale": "索引与源文件不一致（{reason}），可运行 qa build 更新",
        "tab_chat": "问答",
        "tab_docs": "文档",
        "chat_label": "对话",
        "placeholder": "请输入问题，例如：提案立案了多少件？",
        "question_label": "问题",
        "empty_chat": "### 有什么想问的？\n答案直接摘自已索引的文档，每句都附带可点击的出处 [n]。",
        "send": "发送",
        "clear": "清空对话",
        "filter_label": "检索范围（不选 = 全部文档）",
        "filter_gone": "所选的文档已不在索引中，请重新选择检索范围",
        "searched": "仅在{titles}中查找",
        "examples": "试试这些问题：",
        "sources": "出处",
        "sources_empty": "提问后，这里会显示答案所引用的原文片段。",
        "no_citations": "没有可引用的片段。",
        "closest": "最接近的段落（未达到可信度，仅供参考）",
        "not_cited": "相关段落，答案未引用",
        "not_found": "未找到",
        "thinking": "正在检索…",
        "too_slow": "这个问题超过了处理时限，已停止等待。请换一种更简短的问法。",
        "turns_dropped": "更早的 {n} 轮对话已不再保留（每个会话保留最近 {keep} 轮）。",
        "latency": "{ms}",
        "n_sources": "{n} 个出处",
        "n_sources_one": "{n} 个出处",
        "confidence": "可信度 {p}",
        "read_as": "按“{q}”理解",
        "uncertain": "可能是",
        "uncertain_note": "把握不大，请核对出处",
        "from_doc": "出自{title}",
        "copy": "复制",
        "copied": "已复制",
        "chars": "字符 {s}–{e}",
        "page": "第 {p} 页",
        "score": "相关度 {s}",
        "error": "出错了：{msg}",
        "docs_header": "已索引的文档",
        "col_name": "文档",
        "col_size": "大小",
        "col_chunks": "片段数",
        "col_indexed": "索引时间",
        "upload_label": "上传文档（.txt、.md、.pdf、.docx，单个不超过 {mb} MB）",
        "drop_here": "将文件拖放到这里",
        "or_click": "或点击选择文件",
        "remove_label": "选择要移除的文档",
        "remove": "移除",
        "remove_confirm": "确定从索引中移除「{name}」吗？",
        "remove_confirm_upload": "它是通过本页面上传的，上传的副本也会从磁盘上删除。",
        "remove_confirm_kept": "磁盘上的文件会保留，不会被删除；以后重建这个文件夹的索引时也不会再加入它。",
        "refresh": "刷新",
        "docs_none": "索引中还没有文档。",
        "added": "已添加：{names}。现在就可以提问了。",
        "added_one": "已添加：{names}。现在就可以提问了。",
        "renamed": "已有同名文件「{name}」，内容不同：新文件另存为「{new}」，原文档未改动。",
        "removed": "已移除：{name}",
        "removed_upload": "已移除：{name}（上传的副本已删除）",
        "removed_kept": "已移除：{name}（磁盘上的文件已保留）",
        "removing": "正在移除「{name}」并更新索引…",
        "adding": "正在检查并索引 {n} 个文件…",
        "adding_one": "正在检查并索引 {n} 个文件…",
        "not_indexed": "索引中没有「{name}」。",
        "pick_doc": "请先选择一个文档。",
        "rejected": "无法添加「{name}」：{msg}",
        "unsupported": "不支持的文件类型 {suffix}，请上传 .txt、.md、.pdf 或 .docx 文件",
        "hidden_file": "以“.”开头的隐藏文件不会被索引，请重命名后再上传",
        "too_big": "文件过大（{size}），上限为 {mb} MB",
        "empty_file": "文件是空的",
        "indexing": "正在更新索引…",
        "reloading": "正在载入新索引…",
        "step_read": "正在读取 {name}",
        "step_ocr": "正在识别扫描页（OCR）：{name} 第 {done}/{total} 页",
        "step_embed": "正在计算向量：{done}/{total} 段",
        "step_lexicon": "正在写入词表",
        "step_done": "索引中共 {n} 份文档、{chunks} 段",
        "step_done_one": "索引中共 1 份文档、{chunks} 段",
        "index_failed": "更新索引失败，原有索引保持不变：{msg}",
        "lang_label": "语言",
    },
    "en": {
        "title": "Report Q&A",
        "subtitle": "Ask the reports. Answers are quoted from the source, with citations.",
        "index_info": "{docs} · {chunks} indexed",
        "n_docs": "{n} documents",
        "n_docs_one": "{n} document",
        "n_chunks": "{n} passages",
        "n_chunks_one": "{n} passage",
        "index_missing": "The index is not available yet: {msg}. Upload files in the Documents tab.",
        "stale": "the index differs from the source files ({reason}); run qa build to update it",
        "tab_chat": "Ask",
        "tab_docs": "Documents",
        "chat_label": "Conversation",
        "placeholder": "Ask, e.g. How many proposals were filed?",
        "question_label": "Question",
        "empty_chat": "### What would you like to know?\nAnswers are quoted from the indexed documents, "
        "each with clickable citations [n].",
        "send": "Send",
        "clear": "Clear",
        "filter_label": "Search in (none selected = all documents)",
        "filter_gone": "The selected documents are no longer indexed; pick the documents to search again",
        "searched": "Searched only {titles}",
        "examples": "Try these questions:",
        "sources": "Sources",
        "sources_empty": "Ask a question and the passages behind the answer appear here.",
        "no_citations": "No passage to cite.",
        "closest": "Closest passages (below the confidence threshold, for reference only)",
        "not_cited": "related passage, not cited in the answer",
        "not_found": "Not found",
        "thinking": "Searching…",
        "too_slow": "This question took longer than the time limit, so the chat stopped waiting. Try it shorter.",
        "turns_dropped": "The {n} earlier turns are no longer kept (a session keeps its last {keep}).",
        "latency": "{ms}",
        "n_sources": "{n} sources",
        "n_sources_one": "{n} source",
        "confidence": "confidence {p}",
        "read_as": "Read as “{q}”",
        "uncertain": "Possibly",
        "uncertain_note": "low confidence: check the sources",
        "from_doc": "From {title}",
        "copy": "Copy",
        "copied": "Copied",
        "chars": "chars {s}–{e}",
        "page": "page {p}",
        "score": "relevance {s}",
        "error": "Something went wrong: {msg}",
        "docs_header": "Indexed documents",
        "col_name": "Document",
        "col_size": "Size",
        "col_chunks": "Chunks",
        "col_indexed": "Indexed at",
        "upload_label": "Upload documents (.txt, .md, .pdf, .docx, up to {mb} MB each)",
        "drop_here": "Drop files here",
        "or_click": "or click to choose files",
        "remove_label": "Document to remove",
        "remove": "Remove",
        "remove_confirm": "Remove “{name}” from the index?",
        "remove_confirm_upload": "It was uploaded here: the uploaded copy is deleted too.",
        "remove_confirm_kept": "The file on disk is kept (not deleted); later builds of its folder leave it out.",
        "refresh": "Refresh",
        "docs_none": "No documents in the index yet.",
        "added": "Added: {names}. You can ask about them right away.",
        "added_one": "Added: {names}. You can ask about it right away.",
        "renamed": "A different file named “{name}” is already indexed: the upload was stored as “{new}”, and the "
        "existing document is unchanged.",
        "removed": "Removed: {name}",
        "removed_upload": "Removed: {name} (the uploaded copy was deleted)",
        "removed_kept": "Removed: {name} (the file on disk is kept)",
        "removing": "Removing “{name}” and updating the index…",
        "adding": "Checking and indexing {n} files…",
        "adding_one": "Checking and indexing {n} file…",
        "not_indexed": "“{name}” is not in the index.",
        "pick_doc": "Pick a document first.",
        "rejected": "Cannot add “{name}”: {msg}",
        "unsupported": "unsupported file type {suffix}; upload a .txt, .md, .pdf or .docx file",
        "hidden_file": "hidden files (names starting with “.”) are not indexed; rename the file and upload it again",
        "too_big": "the file is too large ({size}); the limit is {mb} MB",
        "empty_file": "the file is empty",
        "indexing": "Updating the index…",
        "reloading": "Loading the new index…",
        "step_read": "Reading {name}",
        "step_ocr": "Reading scanned pages (OCR) of {name}: page {done}/{total}",
        "step_embed": "Embedding: {done}/{total} passages",
        "step_lexicon": "Writing the word lists",
        "step_done": "{n} documents, {chunks} passages in the index",
        "step_done_one": "1 document, {chunks} passages in the index",
        "index_failed": "Updating the index failed; the previous index is unchanged: {msg}",
        "lang_label": "Language",
    },
}


def norm_lang(lang: str | None) -> str:
    """Map anything unknown to the default language."""
    return lang if lang in STRINGS else DEFAULT_LANG


def t(lang: str | None, key: str, **kw: object) -> str:
    """The `key` string in `lang`, formatted with `kw`; falls back to Chinese, then to the key."""
    table = STRINGS[norm_lang(lang)]
    text = table.get(key) or STRINGS[DEFAULT_LANG].get(key) or key
    return text.format(**kw) if kw else text


def step_text(step: Step | str, lang: str | None) -> str:
    """An index update's progress step (qa.progress) in the UI language; a plain string as it is."""
    if isinstance(step, str):
        return step
    if step.kind == "read":
        return t(lang, "step_read", name=step.name)
    if step.kind == "ocr":
        return t(lang, "step_ocr", name=step.name, done=step.done, total=step.total)
    if step.kind == "embed":
        return t(lang, "step_embed", done=step.done, total=step.total)
    if step.kind == "lexicon":
        return t(lang, "step_lexicon")
    return tn(lang, "step_done", step.done, chunks=step.total)


def remove_question(lang: str | None, name: str, uploaded: bool) -> str:
    """The confirmation before removing `name`: whether its file on disk is deleted too (an uploaded copy) or kept.
    The page script (qa.web.app) builds the same sentence in the browser from these strings."""
    sep = " " if norm_lang(lang) == "en" else ""
    return (
        t(lang, "remove_confirm", name=name)
        + sep
        + t(lang, "remove_confirm_upload" if uploaded else "remove_confirm_kept")
    )


def tn(lang: str | None, key: str, n: int, **kw: object) -> str:
    """`key` for a count `n`: the `key_one` form when n is 1 (English singulars), else `key`."""
    one = f"{key}_one"
    return t(lang, one if n == 1 and one in STRINGS[norm_lang(lang)] else key, n=n, **kw)


#: Chinese for the loaders' one-line reasons (qa.documents writes them in English for the CLI).
_REASONS_ZH = (
    ("looks like a binary file", "看起来是二进制文件，不是文本"),
    ("cannot decode the text", "无法识别文本编码（可能是二进制文件）"),
    ("password-protected", "PDF 有密码保护"),
    ("cannot read the PDF", "无法读取该 PDF（文件损坏或不是 PDF）"),
    ("no extractable text", "PDF 中没有可提取的文字（可能是扫描件，请先做 OCR）"),
    ("cannot read the Word file", "无法读取该 Word 文件（文件损坏或不是 .docx）"),
    ("unsupported file type", "不支持的文件类型，请上传 .txt、.md、.pdf 或 .docx 文件"),
    ("file too large", "文件过大"),
    ("the file is empty", "文件是空的"),
    ("has no text", "文件中没有文字"),
    ("may be a zip bomb", "Word 文件解压后超出限制（可能是压缩炸弹），已拒绝"),
    ("needs the OCR extra", "PDF 是扫描件（没有文字层），需要安装 OCR 组件：pip install 'rapidocr-onnxruntime>=1.3'"),
    ("scanned pages to OCR", "PDF 中需要 OCR 的扫描页过多，超出限制"),
    ("over the OCR limit", "PDF 中的扫描图像过大，超出 OCR 限制"),
    ("OCR took more than", "OCR 识别耗时超出限制"),
    ("OCR failed", "OCR 识别失败"),
    ("its name is not valid UTF-8", "文件名不是有效的 UTF-8 编码，请重命名后再添加"),
    ("folder above it is not valid UTF-8", "所在文件夹的名称不是有效的 UTF-8 编码，请重命名该文件夹"),
    ("outside the folders given", "链接指向所给文件夹之外的文件，已跳过"),
    ("a broken link", "链接已失效（目标不存在），已跳过"),
    ("a link that loops", "链接形成循环，已跳过"),
    ("a link to a folder", "不跟随指向文件夹的链接，已跳过"),
    ("not a regular file", "不是普通文件，已跳过"),
    ("the same file as", "与已添加的文件是同一个文件，已跳过"),
)


#: Chinese for the errors a question can meet (the library raises them in English for the CLI): a pattern of
#: the English message and the Chinese, formatted with the pattern's groups.
_ERRORS_ZH = (
    (r"the question is ([\d,]+) characters long; the limit is ([\d,]+)", "问题太长（{0} 个字符），上限是 {1} 个字符"),
    (r"the question has no words", "问题里没有文字，只有标点或符号"),
    (r"the question holds broken characters", "问题里有乱码（可能是未知编码的文字），请重新输入"),
    (r"the question is empty", "问题是空的，请输入一个问题"),
    (r"^no index in ", "还没有索引：请先在“文档”页添加文档，或运行 qa build"),
    (r"^index .* is corrupt", "索引已损坏，请重建索引（qa build）"),
    (r"no indexed document matches (.+?) \(", "没有与 {0} 匹配的已索引文档"),
    (r"index is busy|another build", "索引正在更新，请稍后再问"),
)


def error_text(message: str, lang: str | None) -> str:
    """An error message in the UI language: the Chinese of a known one, else the message as raised."""
    if norm_lang(lang) != "zh":
        return message
    for pattern, zh in _ERRORS_ZH:
        m = re.search(pattern, message)
        if m:
            return zh.format(*m.groups())
    return message


def reason(message: str, lang: str | None) -> str:
    """A loader's rejection reason in the UI language, without the repeated file name."""
    text = message.split(": ", 1)[1] if ": " in message else message
    if norm_lang(lang) != "zh":
        return text
    return next((zh for key, zh in _REASONS_ZH if key in text), text)
