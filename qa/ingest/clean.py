"""Turn raw (often PDF-extracted, hard-wrapped, Chinese) text into passages.

Every cleaned character keeps the raw index it came from (`Passage.offsets`), so answers can be
highlighted in the original file. Cleaning only drops characters or changes them with `norm_char`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.chars import Chars, render
from qa.ingest.lines import SENT_PUNCT, TAB, Line, ends_final, filter_lines, page_starts, read_lines, width
from qa.ingest.sections import assign_sections
from qa.text.script import CLOSERS, NEUTRAL, OPENERS, is_cjk, is_han
from qa.types import Kind, Passage

_CONTINUES = set("，,、：:“‘「『（(《【—-")  # a line ending with one of these goes on
#: A line ending in a digit goes on when the next starts with one of these: a figure's unit cut off by the wrap
#: ("再就业 514" / "万人，…").
_UNIT_STARTS = set("万亿人个家元%％‰件项吨台辆名次所座条套户公米岁倍")
_NO_SUFFIX_STRIP = set("第件图表期号年月日章节条款篇卷页部届次版")

_MD_HEADING = re.compile(r"#{1,6}\s")
_BULLET = re.compile(r"[-*+•▪●◆]\s")
_LABEL = re.compile(r"[^\s，。：:；;,.]{2,8}[：:]")
_LIST_ITEM = re.compile(
    r"([-*+•▪●◆]\s|\d{1,3}[.)]\s|\d{1,3}、|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)"
)
_DATE_CAPTION = re.compile(r"\d{4}年\d{1,2}月(\d{1,2}日)?[，,]")
_CREDIT = re.compile(r"[（(][^（()）]{2,40}[）)]")
_FIGURE = re.compile(r"(图|表|照片|Figure|Fig\.|Table|Photo)\s*\d+")
_BYLINE = re.compile(
    r"(本报记者|本报通讯员|特约记者|记者|通讯员|作者|撰稿|责任编辑|编辑|摄影|文/|图/|(?i:by|author|source)[\s:：])"
)


@dataclass
class _Unit:
    lines: list[Line]
    block: int
    wide_end: bool  # block has >= 2 lines and the last line runs (nearly) to the wrap width
    kind: str = "body"  # body | caption | heading | meta | table

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)


def _special(ln: Line) -> bool:
    t = ln.text
    return ln.verbatim or bool(_MD_HEADING.match(t)) or t.startswith("|") or " | " in t or TAB in t


_MD_RULE = re.compile(r":?-{3,}:?")


def _md_cells(chars: Chars) -> tuple[list[Chars], list[int]] | None:
    """A Markdown row's cells ("| 原煤 | 13.61 亿吨 |": the text between its pipes, empty cells kept, since the pipes
    align the columns) and the offsets of the pipes between them; None when the line is no Markdown row."""
    text = "".join(c for c, _ in chars).strip()
    if not (text.startswith("|") and text.endswith("|") and len(text) > 1):
        return None
    pipes = [k for k, (c, _) in enumerate(chars) if c == "|"]
    cells = [chars[a + 1 : b] for a, b in zip(pipes, pipes[1:], strict=False)]
    return cells, [chars[k][1] for k in pipes[1:-1]]


def _row_chars(chars: Chars) -> Chars:
    """A table row (tab-separated, or a Markdown row between pipes) rendered with " | " between its cells (each
    cell's spaces as in a body); a Markdown rule row ("| --- | --- |") is no content and comes out empty."""
    markdown = _md_cells(chars) if all(c != TAB for c, _ in chars) else None
    cells: list[Chars] = [[]]
    seps: list[int] = []
    if markdown is not None:
        cells, seps = markdown
        if all(_MD_RULE.fullmatch("".join(c for c, _ in cell).strip()) for cell in cells):
            return []
    else:
        for c, o in chars:
            if c == TAB:
                cells.append([])
                seps.append(o)
            else:
                cells[-1].append((c, o))
        while cells[0] and cells[0][0][0] in "# ":  # "# 美国\t633.0…": a converter's heading mark, not a cell
            cells[0] = cells[0][1:]
    out: Chars = []
    for k, cell in enumerate(cells):
        rendered = render(cell, heading=False)
        if not rendered and markdown is None:
            continue  # tabs also pad: an empty tab cell is no column
        if k:
            o = seps[k - 1]
            out += [(" ", o), ("|", o), (" ", o)]
        out += rendered
    return out


def _heading_like(text: str) -> bool:
    comp = text.replace(" ", "")
    if not 2 <= len(comp) <= 50 and not (len(comp) <= 100 and comp.isascii()):
        return False
    m = _LIST_ITEM.match(comp)
    body = comp[m.end() :] if m else comp
    if not body or set(body) & SENT_PUNCT or set(body) & set("、：") or body[-1] in _CONTINUES:
        return False
    if _BULLET.match(text) or body[-1] in ".:" or ", " in text:
        return False
    return not comp[0].islower() and any(c.isalpha() for c in comp)


def _forced_break(a: Line, b: Line) -> bool:
    return (
        _special(a)
        or _special(b)
        or bool(_LIST_ITEM.match(b.text))
        or (b.indent > a.indent and not _LIST_ITEM.match(a.text))
    )


def _split_block(block: list[Line], bi: int) -> list[_Unit]:
    """Cut one blank-line-separated block into units (paragraphs, headings, captions)."""
    segments: list[list[Line]] = [[block[0]]]
    for a, b in zip(block, block[1:], strict=False):
        if _forced_break(a, b):
            segments.append([b])
        else:
            segments[-1].append(b)
    units = [u for seg in segments for u in _split_segment(seg)]
    return [_Unit(u, bi, False) for u in units[:-1]] + [_Unit(units[-1], bi, _wide_end(block))]


def _wide_end(block: list[Line]) -> bool:
    """Does the block's last line run (nearly) to the width of the lines above it?"""
    if len(block) < 2:
        return False
    widths = sorted(width(ln.text) + ln.indent for ln in block[:-1])
    return width(block[-1].text) + block[-1].indent >= 0.6 * widths[len(widths) // 2]


def _split_segment(seg: list[Line]) -> list[list[Line]]:
    """Undo hard wraps in a run of lines: a line ends its paragraph only when it looks like an end.

    The wrap width is the 75th percentile of the line widths; lines over 130 columns mean the text
    is not hard-wrapped (one paragraph per line).
    """
    widths = [width(ln.text) + ln.indent for ln in seg]
    inner = sorted(widths[:-1]) or widths
    wrap = inner[int(0.75 * len(inner))]
    units: list[list[Line]] = [[seg[0]]]
    for k in range(1, len(seg)):
        a, b = seg[k - 1], seg[k]
        w, ref = widths[k - 1], max(wrap, widths[k])
        if wrap > 130 or (_LABEL.match(a.text) and _LABEL.match(b.text)):
            brk = True
        elif ends_final(a.text):  # a Latin '.' at the very end of a full line may be a coincidence
            brk = is_cjk(a.text.rstrip("".join(CLOSERS))[-1]) or w < 0.85 * ref
        elif a.text[-1] in _CONTINUES or (a.text[-1].isdigit() and b.text[:1] in _UNIT_STARTS):
            brk = False
        else:  # a short line, or a heading-like line over a longer last line, ends here
            brk = w < 0.7 * ref or (k == len(seg) - 1 and w < 0.9 * widths[k] and _heading_like(a.text))
        if brk:
            units.append([b])
        else:
            units[-1].append(b)
    return units


def _classify(u: _Unit, rare_indent: bool) -> str:
    first = u.lines[0]
    comp = u.text.replace(" ", "")
    if comp.startswith("**") and comp.endswith("**"):
        comp = comp.strip("*")  # Markdown bold: "**表2：工业经济类型结构变化情况**" is a caption
    if any(ln.verbatim for ln in u.lines):
        return "body"
    if TAB in first.text:  # a tab-separated row, even one a converter marked "# " as a heading
        return "table"
    if _MD_HEADING.match(first.text):
        return "heading"
    if _special(first):
        return "table"
    n_final = sum(c in "。！？!?" for c in comp)
    if _DATE_CAPTION.match(comp) and len(comp) <= 120 and n_final <= 1 and (n_final == 0 or ends_final(comp)):
        return "caption"
    if _CREDIT.fullmatch(comp) or (_FIGURE.match(comp) and len(comp) <= 100):
        return "caption"
    if (
        rare_indent
        and len(u.lines) == 1
        and first.indent
        and len(comp) <= 40
        and comp.endswith("。")
        and n_final == 1
        and not set(comp) & set("，,；;")
    ):
        return "caption"
    if _BYLINE.match(u.text) and len(comp) <= 40 and len(u.lines) == 1 and not set(comp) & SENT_PUNCT:
        return "meta"
    if comp.startswith("——") and len(comp) <= 60 and len(u.lines) == 1:
        return "meta"
    if len(u.lines) <= 3 and _heading_like(u.text):
        return "heading"
    return "body"


def _joins(a: _Unit, b: _Unit) -> bool:
    """Does body unit `b` (first of its block) continue body unit `a` across a blank line?"""
    if a.kind != "body" or b.kind != "body" or a.block + 1 != b.block:
        return False
    at, bt = a.text, b.text
    if ends_final(at) or at[-1] in "：:" or _LIST_ITEM.match(bt) or any(ln.verbatim for ln in a.lines + b.lines):
        return False
    if not (a.wide_end or at[-1] in _CONTINUES):
        return False
    x, y = at[-1], bt[0]
    if is_cjk(x) or x in NEUTRAL:
        return is_cjk(y) or y.isdigit() or y in OPENERS or y in NEUTRAL
    return y.islower()


def _unit_chars(units: list[_Unit]) -> Chars:
    chars: Chars = []
    prev_brk = -1
    for u in units:
        for ln in u.lines:
            if chars and ln.chars:
                chars.append((" ", prev_brk))
            chars.extend(ln.chars)
            prev_brk = ln.brk
    return chars


def _heading_chars(chars: Chars) -> Chars:
    """Render a heading: strip markdown #s, or a page number glued to the end ("...能力本领4")."""
    if _MD_HEADING.match("".join(c for c, _ in chars[:7])):
        while chars and chars[0][0] in "# ":
            chars = chars[1:]
        while chars and chars[-1][0] in "# ":
            chars = chars[:-1]
        return render(chars, heading=True)
    out = render(chars, heading=True)
    text = "".join(c for c, _ in out)
    m = re.search(r"(?<=[\u4e00-\u9fff])\d{1,2}$", text)
    if (
        m
        and sum(map(is_han, text)) >= 6
        and not re.search(r"\d", text[: m.start()])
        and text[m.start() - 1] not in _NO_SUFFIX_STRIP
    ):
        out = out[: m.start()]
    return out


def clean(raw: str, pages: tuple[tuple[int, int], ...] = ()) -> list[Passage]:
    """Raw document text -> passages (body / caption / heading) with raw offsets per char (`pages`: a PDF's page
    offsets, which tell running headers from repeated rows; see `clean_counted`)."""
    return clean_counted(raw, pages)[0]


def clean_counted(raw: str, pages: tuple[tuple[int, int], ...] = ()) -> tuple[list[Passage], int]:
    """`clean`, and how many lines were dropped as page numbers or running headers."""
    filtered = filter_lines(read_lines(raw), page_starts(raw, pages))
    lines = filtered.lines
    present = [ln for ln in lines if ln]
    rare_indent = sum(ln.indent > 0 for ln in present) <= max(2.0, 0.1 * len(present))
    units: list[_Unit] = []
    block: list[Line] = []
    n_blocks = 0
    for ln in lines + [None]:
        if ln is not None:
            block.append(ln)
        elif block:
            units.extend(_split_block(block, n_blocks))
            n_blocks += 1
            block = []
    for u in units:
        u.kind = _classify(u, rare_indent)
    groups: list[list[_Unit]] = []
    for u in units:
        if groups and _joins(groups[-1][-1], u):
            groups[-1].append(u)
        else:
            groups.append([u])
    items: list[tuple[str, str, Chars]] = []
    for g in groups:
        kind = g[0].kind
        chars = _unit_chars(g)
        if kind in ("heading", "meta"):
            chars = _heading_chars(chars)
        else:
            chars = _row_chars(chars) if kind == "table" else render(chars, heading=False)
        if chars:
            items.append(("".join(c for c, _ in chars), kind, chars))
    sections = assign_sections([t for t, _, _ in items], [k for _, k, _ in items])
    out: list[Passage] = []
    for (text, kind, chars), section in zip(items, sections, strict=True):
        k: Kind = "heading" if kind in ("heading", "meta") else "caption" if kind == "caption" else "body"
        out.append(Passage(text, k, section, tuple(o for _, o in chars)))
    return out, filtered.dropped
