"""Turn raw (often PDF-extracted, hard-wrapped, Chinese) text into passages.

Every cleaned character keeps the raw index it came from (`Passage.offsets`), so answers can be
highlighted in the original file. Cleaning only drops characters or changes them with `norm_char`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .types import Kind, Passage

Chars = list[tuple[str, int]]  # (normalised char, raw index)

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_FINAL = set("。！？!?…；;.")
_CLOSERS = set("”’」』）)】》\"'")
_OPENERS = set("“‘「『（(【《")
_CONTINUES = set("，,、：:“‘「『（(《【—-")  # a line ending with one of these goes on
_NEUTRAL = set("“”‘’—–…·\"'")  # take their script from their neighbours
_SENT_PUNCT = set("，。；;！!？?")
_NO_SUFFIX_STRIP = set("第件图表期号年月日章节条款篇卷页部届次版")

_MD_HEADING = re.compile(r"#{1,6}\s")
_BULLET = re.compile(r"[-*+•▪●◆]\s")
_LABEL = re.compile(r"[^\s，。：:；;,.]{2,8}[：:]")
_LIST_ITEM = re.compile(r"([-*+•▪●◆]\s|\d{1,3}[.)]\s|\d{1,3}、|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")
_PAGE_NO = re.compile(r"[-–—\s]*\d{1,3}[-–—\s]*|第\s*\d+\s*页.{0,8}|\d+\s*/\s*\d+|(?i:page|p\.)\s*\d+(\s*of\s*\d+)?")
_DATE_CAPTION = re.compile(r"\d{4}年\d{1,2}月(\d{1,2}日)?[，,]")
_CREDIT = re.compile(r"[（(][^（()）]{2,40}[）)]")
_FIGURE = re.compile(r"(图|表|照片|Figure|Fig\.|Table|Photo)\s*\d+")
_BYLINE = re.compile(r"(本报记者|本报通讯员|特约记者|记者|通讯员|作者|撰稿|责任编辑|编辑|摄影|文/|图/|(?i:by|author|source)[\s:：])")


def norm_char(c: str) -> str:
    """The only change cleaning makes to a kept char: '' drops it, whitespace becomes ' '."""
    if c in _DROP:
        return ""
    if c.isspace():
        return " "
    o = ord(c)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return unicodedata.normalize("NFKC", c)
    return "" if unicodedata.category(c) == "Cc" else c


def is_han(c: str) -> bool:
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF


def is_cjk(c: str) -> bool:
    """Han, kana, hangul or full-width / CJK punctuation."""
    o = ord(c)
    return is_han(c) or 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF or 0xAC00 <= o <= 0xD7AF


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _ends_final(text: str) -> bool:
    t = text.rstrip("".join(_CLOSERS))
    return bool(t) and t[-1] in _FINAL


@dataclass
class _Line:
    chars: Chars  # normalised, stripped
    indent: int
    brk: int  # raw index of the terminating newline / form feed, -1 at end of text
    verbatim: bool = False

    @cached_property
    def text(self) -> str:
        return "".join(c for c, _ in self.chars)

    @cached_property
    def compact(self) -> str:
        return self.text.replace(" ", "")


@dataclass
class _Unit:
    lines: list[_Line]
    block: int
    wide_end: bool  # block has >= 2 lines and the last line runs (nearly) to the wrap width
    kind: str = "body"  # body | caption | heading | meta | table

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)


def _read_lines(raw: str) -> list[_Line | None]:
    """Split on newlines / form feeds; None marks a blank line (form feeds add one)."""
    out: list[_Line | None] = []
    cur: Chars = []
    lead, in_lead = 0, True
    for i, ch in enumerate(raw + "\n"):
        if ch in "\n\x0c":
            while cur and cur[-1][0] == " ":
                cur.pop()
            out.append(_Line(cur, lead, i if i < len(raw) else -1) if cur else None)
            if ch == "\x0c":
                out.append(None)
            cur, lead, in_lead = [], 0, True
            continue
        n = norm_char(ch)
        if not n:
            continue
        if n == " " and in_lead:
            lead += 1
            continue
        in_lead = False
        cur.append((n, i))
    return out


def _undouble(line: _Line) -> _Line:
    """A line made of the same string twice (a glued duplicate title) keeps one copy."""
    comp = line.compact
    n = len(comp) // 2
    if n < 4 or len(comp) != 2 * n or comp[:n] != comp[n:]:
        return line
    last = [o for c, o in line.chars if c != " "][n - 1]
    return _Line([x for x in line.chars if x[1] <= last], line.indent, line.brk)


def _filter_lines(lines: list[_Line | None]) -> list[_Line | None]:
    """Drop page numbers and running headers/footers; mark fenced code; undouble lines."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", ln.compact)

    counts = Counter(key(ln) for ln in lines if ln)
    seen: set[str] = set()
    fence = False
    out: list[_Line | None] = []
    for ln in lines:
        if ln is None:
            out.append(None)
            continue
        t = ln.text
        if t.startswith("```"):
            fence = not fence
            out.append(None)
            continue
        if fence:
            ln.verbatim = True
            out.append(ln)
            continue
        k = key(ln)
        repeated = counts[k] >= 3 and 4 <= len(k) <= 40 and not set(k) & _SENT_PUNCT
        if _PAGE_NO.fullmatch(t) or (repeated and k in seen):  # a running header is kept once
            out.append(None)
            continue
        seen.add(k)
        out.append(_undouble(ln))
    return out


def _special(ln: _Line) -> bool:
    t = ln.text
    return ln.verbatim or bool(_MD_HEADING.match(t)) or t.startswith("|") or " | " in t


def _heading_like(text: str) -> bool:
    comp = text.replace(" ", "")
    if not 2 <= len(comp) <= 50 and not (len(comp) <= 100 and comp.isascii()):
        return False
    m = _LIST_ITEM.match(comp)
    body = comp[m.end():] if m else comp
    if not body or set(body) & _SENT_PUNCT or set(body) & set("、：") or body[-1] in _CONTINUES:
        return False
    if _BULLET.match(text) or body[-1] in ".:" or ", " in text:
        return False
    return not comp[0].islower() and any(c.isalpha() for c in comp)


def _forced_break(a: _Line, b: _Line) -> bool:
    return (_special(a) or _special(b) or bool(_LIST_ITEM.match(b.text))
            or (b.indent > a.indent and not _LIST_ITEM.match(a.text)))


def _split_block(block: list[_Line], bi: int) -> list[_Unit]:
    """Cut one blank-line-separated block into units (paragraphs, headings, captions)."""
    segments: list[list[_Line]] = [[block[0]]]
    for a, b in zip(block, block[1:]):
        if _forced_break(a, b):
            segments.append([b])
        else:
            segments[-1].append(b)
    units = [u for seg in segments for u in _split_segment(seg)]
    return [_Unit(u, bi, False) for u in units[:-1]] + [_Unit(units[-1], bi, _wide_end(block))]


def _wide_end(block: list[_Line]) -> bool:
    """Does the block's last line run (nearly) to the width of the lines above it?"""
    if len(block) < 2:
        return False
    widths = sorted(_width(ln.text) + ln.indent for ln in block[:-1])
    return _width(block[-1].text) + block[-1].indent >= 0.6 * widths[len(widths) // 2]


def _split_segment(seg: list[_Line]) -> list[list[_Line]]:
    """Undo hard wraps in a run of lines: a line ends its paragraph only when it looks like an end.

    The wrap width is the 75th percentile of the line widths; lines over 130 columns mean the text
    is not hard-wrapped (one paragraph per line).
    """
    widths = [_width(ln.text) + ln.indent for ln in seg]
    inner = sorted(widths[:-1]) or widths
    wrap = inner[int(0.75 * len(inner))]
    units: list[list[_Line]] = [[seg[0]]]
    for k in range(1, len(seg)):
        a, b = seg[k - 1], seg[k]
        w, ref = widths[k - 1], max(wrap, widths[k])
        if wrap > 130 or (_LABEL.match(a.text) and _LABEL.match(b.text)):
            brk = True
        elif _ends_final(a.text):  # a Latin '.' at the very end of a full line may be a coincidence
            brk = is_cjk(a.text.rstrip("".join(_CLOSERS))[-1]) or w < 0.85 * ref
        elif a.text[-1] in _CONTINUES:
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
    if any(ln.verbatim for ln in u.lines):
        return "body"
    if _MD_HEADING.match(first.text):
        return "heading"
    if _special(first):
        return "table"
    n_final = sum(c in "。！？!?" for c in comp)
    if _DATE_CAPTION.match(comp) and len(comp) <= 120 and n_final <= 1 and (n_final == 0 or _ends_final(comp)):
        return "caption"
    if _CREDIT.fullmatch(comp) or (_FIGURE.match(comp) and len(comp) <= 100):
        return "caption"
    if (rare_indent and len(u.lines) == 1 and first.indent and len(comp) <= 40 and comp.endswith("。")
            and n_final == 1 and not set(comp) & set("，,；;")):
        return "caption"
    if _BYLINE.match(u.text) and len(comp) <= 40 and len(u.lines) == 1 and not set(comp) & _SENT_PUNCT:
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
    if _ends_final(at) or at[-1] in "：:" or _LIST_ITEM.match(bt) or any(ln.verbatim for ln in a.lines + b.lines):
        return False
    if not (a.wide_end or at[-1] in _CONTINUES):
        return False
    x, y = at[-1], bt[0]
    if is_cjk(x) or x in _NEUTRAL:
        return is_cjk(y) or y.isdigit() or y in _OPENERS or y in _NEUTRAL
    return y.islower()


def _side_cjk(tok: Chars, from_end: bool) -> bool:
    seq = reversed(tok) if from_end else iter(tok)
    for c, _ in seq:
        if c not in _NEUTRAL:
            return is_cjk(c)
    return False


def _merge(tokens: list[tuple[Chars, int]], pred: Callable[[Chars, Chars], bool]) -> list[tuple[Chars, int]]:
    out = [tokens[0]]
    for tok, gap in tokens[1:]:
        if pred(out[-1][0], tok):
            out[-1][0].extend(tok)
        else:
            out.append((tok, gap))
    return out


def _merge_spaced_out(tokens: list[tuple[Chars, int]]) -> list[tuple[Chars, int]]:
    """Glue runs of single spaced-out Han chars or digits: "单 瑞" -> "单瑞", "2 0 2 4 年" -> "2024年"."""
    def single(t: Chars) -> bool:
        return len(t) == 1 and (is_han(t[0][0]) or t[0][0].isdigit())

    out: list[tuple[Chars, int]] = []
    in_run = False
    for tok, gap in tokens:
        if in_run and single(tok):
            out[-1][0].extend(tok)
        else:
            out.append((tok, gap))
            in_run = single(tok)
    return out


def _drop_gap(a: Chars, b: Chars, heading: bool) -> bool:
    x, y = a[-1][0], b[0][0]
    if heading and is_han(x) and is_han(y):
        return False
    if x == "-" and len(a) >= 2 and a[-2][0].isalpha() and y.islower():
        return True
    if len(a) == 1 and x in "-*+•▪●◆":
        return False
    return _side_cjk(a, True) or _side_cjk(b, False)


def _render(chars: Chars, heading: bool) -> Chars:
    """Collapse whitespace: none next to CJK, one space between Latin/digit runs.

    In headings a space between two multi-char Han phrases is kept ("坚持服务大局 突出履职主线"),
    while single spaced-out Han chars are glued ("单 瑞" -> "单瑞").
    """
    tokens: list[tuple[Chars, int]] = []
    gap = -1
    for c, o in chars:
        if c == " ":
            gap = o if gap < 0 else gap
            continue
        if gap >= 0 or not tokens:
            tokens.append(([], gap))
        tokens[-1][0].append((c, o))
        gap = -1
    if not tokens:
        return []
    if heading:
        tokens = _merge_spaced_out(tokens)
        one = lambda t: len(t) == 1 and is_han(t[0][0])  # noqa: E731
        tokens = _merge(tokens, lambda a, b: is_han(a[-1][0]) and is_han(b[0][0]) and (one(a) or one(b)))
    tokens = _merge(tokens, lambda a, b: _drop_gap(a, b, heading))
    out: Chars = []
    for k, (tok, g) in enumerate(tokens):
        if k:
            out.append((" ", g))
        out.extend(tok)
    return out


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
        return _render(chars, heading=True)
    out = _render(chars, heading=True)
    text = "".join(c for c, _ in out)
    m = re.search(r"(?<=[\u4e00-\u9fff])\d{1,2}$", text)
    if m and sum(map(is_han, text)) >= 6 and not re.search(r"\d", text[: m.start()]) \
            and text[m.start() - 1] not in _NO_SUFFIX_STRIP:
        out = out[: m.start()]
    return out


def clean(raw: str) -> list[Passage]:
    """Raw document text -> passages (body / caption / heading) with raw offsets per char."""
    lines = _filter_lines(_read_lines(raw))
    present = [ln for ln in lines if ln]
    rare_indent = sum(ln.indent > 0 for ln in present) <= max(2.0, 0.1 * len(present))
    units: list[_Unit] = []
    block: list[_Line] = []
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
        chars = _heading_chars(chars) if kind in ("heading", "meta") else _render(chars, heading=False)
        if chars:
            items.append(("".join(c for c, _ in chars), kind, chars))
    sections = _sections([t for t, _, _ in items], [k for _, k, _ in items])
    out: list[Passage] = []
    for (text, kind, chars), section in zip(items, sections):
        k: Kind = "heading" if kind in ("heading", "meta") else "caption" if kind == "caption" else "body"
        out.append(Passage(text, k, section, tuple(o for _, o in chars)))
    return out


def _feats(text: str) -> set[str]:
    han = [c for c in text if is_han(c)]
    return {a + b for a, b in zip(han, han[1:])} | {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def _sections(texts: list[str], kinds: list[str]) -> list[str]:
    """Section of each passage: by default the latest heading before it.

    PDF extraction of multi-column pages often emits a heading *after* the text it heads. When at
    least two body passages come before the first heading and, over the runs of body text between
    headings, words shared with the following heading outweigh those shared with the preceding one,
    each run takes the heading that follows it (text after the last heading keeps the last one).
    Shared words are weighted by rarity among body passages and among headings.
    """
    heads = [i for i, k in enumerate(kinds) if k == "heading"]
    forward, last = [], ""
    for t, k in zip(texts, kinds):
        last = t if k == "heading" else last
        forward.append(last)
    body = [i for i, k in enumerate(kinds) if k == "body"]
    if not heads or sum(i < heads[0] for i in body) < 2:
        return forward
    feats = {i: _feats(texts[i]) for i in body + heads}
    df = Counter(f for i in body for f in feats[i])
    idf = {f: math.log((len(body) + 1) / (n + 0.5)) for f, n in df.items()}
    dfh = Counter(f for i in heads for f in feats[i])  # words shared by all headings tell nothing

    def score(run: list[int], h: int) -> float:
        words = set().union(*(feats[i] for i in run))
        hits = [idf.get(f, 0.0) * math.log((len(heads) + 1) / dfh[f]) for f in feats[h] if f in words]
        return sum(hits) / math.sqrt(max(1, len(feats[h])))

    runs: list[tuple[int, int]] = []  # [start, end) passage ranges between headings
    start = 0
    for h in heads + [len(texts)]:
        if any(kinds[i] == "body" for i in range(start, h)):
            runs.append((start, h))
        start = h + 1
    prev_total = next_total = 0.0
    for s, e in runs:
        run = [i for i in range(s, e) if kinds[i] == "body"]
        if s > 0 and e < len(texts):
            prev_total += score(run, s - 1)
            next_total += score(run, e)
    if next_total <= 1.1 * prev_total:
        return forward
    backward = list(forward)
    for s, e in runs:
        if e < len(texts):
            backward[s:e] = [texts[e]] * (e - s)
    return backward


_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "fig", "inc", "ltd", "jr", "sr"}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[s, e) spans of sentences: split after 。！？；!? (with closing quotes), after '. ' and at newlines."""
    spans: list[tuple[int, int]] = []

    def close(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))

    s, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            close(s, i)
            i = s = i + 1
            continue
        end = c in "。！？；!?;" or (c == "." and (i + 1 == n or text[i + 1].isspace() or text[i + 1] in "\"'”’)"))
        if c == "." and end:
            word = re.search(r"([\w.]*)$", text[s:i]).group(1).lower()
            end = not (word in _ABBREV or "." in word or (len(word) == 1 and word.isalpha()))
        i += 1
        if end:
            while i < n and text[i] in _CLOSERS:
                i += 1
            if i < n and c in ".!?;" and not text[i].isspace() and not is_cjk(text[i]):
                continue
            close(s, i)
            s = i
    close(s, n)
    return spans


def split_clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split a sentence span at ，、：;, (delimiter kept on the left); never inside quotes or brackets."""
    for protect in (True, False):
        spans: list[tuple[int, int]] = []
        depth, start = 0, s
        for i in range(s, e):
            c = text[i]
            if protect and c in _OPENERS:
                depth += 1
            elif protect and c in "”’」』）)】》" and depth:
                depth -= 1
            elif depth == 0 and c in "，、：:；;," and not (c == "," and 0 < i < e - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
                spans.append((start, i + 1))
                start = i + 1
                while start < e and text[start] == " ":
                    start += 1
        if start < e:
            spans.append((start, e))
        if depth == 0 or not protect:
            return [sp for sp in spans if sp[1] > sp[0]]
    return [(s, e)]
