"""Pure evaluation metrics: answer normalisation, span matching, ranking and CMRC 2018 span scores."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_ALL = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)
_CN_NUM_RE = re.compile(f"[{_CN_ALL}]+(?:点[{''.join(_CN_DIGITS)}]+[万亿]*)?")
_PERCENT_RE = re.compile(f"百分之([{_CN_ALL}点]+)")
_ARABIC_BIG_RE = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}\b)|(?<=\d),(?=\d{3}\D)")
_MARKER_RE = re.compile(r"\s*\[\d+\]")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_WS_RE = re.compile(r"\s+")


def strip_markers(text: str) -> str:
    """Remove inline citation markers such as `[1]` from an answer."""
    return _MARKER_RE.sub("", text)


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")


def chinese_to_int(word: str) -> int | None:
    """Value of a Chinese numeral word (四十一 → 41, 一百万 → 1000000, 二〇二四 → 2024); None if malformed."""
    if not word or any(c not in _CN_ALL for c in word):
        return None
    if all(c in _CN_DIGITS for c in word):
        return int("".join(str(_CN_DIGITS[c]) for c in word))
    total = section = small = number = last_unit = 0
    for c in word:
        if c in _CN_DIGITS:
            number = _CN_DIGITS[c]
            continue
        if c in _CN_UNITS:
            small += (number or 1) * _CN_UNITS[c]
        elif c == "万":
            section += (small + number or 1) * _CN_BIG[c]
            small = 0
        else:  # 亿
            total += (section + small + number or 1) * _CN_BIG[c]
            section = small = 0
        number, last_unit = 0, _CN_UNITS.get(c) or _CN_BIG[c]
    if number and len(word) > 1 and word[-2] not in _CN_DIGITS:
        number *= max(last_unit // 10, 1)  # colloquial 一百五 = 150, 三万五 = 35000
    return total + section + small + number


def _convert_cn(match: re.Match[str]) -> str:
    text = match.group(0)
    if "点" in text:
        whole, rest = text.split("点", 1)
        digits = "".join(str(_CN_DIGITS[c]) for c in rest if c in _CN_DIGITS)
        big = math.prod(_CN_BIG[c] for c in rest if c in _CN_BIG)
        head = chinese_to_int(whole) if whole else 0
        if head is None:
            return text
        return _fmt(float(f"{head}.{digits}") * big)
    value = chinese_to_int(text)
    return text if value is None else str(value)


def _arabic_big(match: re.Match[str]) -> str:
    factor = 10**12 if match.group(2) == "万亿" else _CN_BIG[match.group(2)]
    return _fmt(float(match.group(1)) * factor)


def normalize_numbers(text: str) -> str:
    """NFKC width folding, then every number written as plain Arabic digits (60万 → 600000, 百分之五十 → 50%)."""
    text = unicodedata.normalize("NFKC", text)
    text = _THOUSANDS_RE.sub("", text)
    text = _ARABIC_BIG_RE.sub(_arabic_big, text)
    text = _PERCENT_RE.sub(lambda m: _CN_NUM_RE.sub(_convert_cn, m.group(1)) + "%", text)
    return _CN_NUM_RE.sub(_convert_cn, text)


def normalize_answer(text: str) -> str:
    """Fold width, numbers and case; drop whitespace and punctuation (a decimal point between digits stays)."""
    text = normalize_numbers(text).lower()
    out: list[str] = []
    for i, c in enumerate(text):
        if c.isspace():
            continue
        if unicodedata.category(c).startswith("P"):
            between_digits = c == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
            if not between_digits:
                continue
        out.append(c)
    return "".join(out)


def answer_correct(prediction: str, answers: Iterable[str], span: str = "") -> bool:
    """True if a normalised acceptable answer is contained in the normalised prediction (or its span)."""
    got = [normalize_answer(strip_markers(prediction)), normalize_answer(span)]
    for answer in answers:
        want = normalize_answer(answer)
        if want and any(want in g for g in got):
            return True
    return False


def _canonical(number: str) -> str:
    whole, _, frac = number.partition(".")
    whole, frac = whole.lstrip("0") or "0", frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def numbers_in(text: str) -> list[str]:
    """Canonical numbers in `text` after number normalisation ("16.0" → "16", "05" → "5")."""
    return [_canonical(n) for n in _NUMBER_RE.findall(normalize_numbers(strip_markers(text)))]


def number_match(prediction: str, answers: Iterable[str], span: str = "") -> bool | None:
    """Exact number match: every number of some acceptable answer appears as a whole number in the prediction.

    None when no acceptable answer holds a number (the question is not scored on numbers).
    """
    got = set(numbers_in(prediction)) | set(numbers_in(span))
    scored = False
    for answer in answers:
        want = numbers_in(answer)
        if want:
            scored = True
            if set(want) <= got:
                return True
    return False if scored else None


def _squash(text: str) -> str:
    """Without whitespace, and without table cell separators (a raw file's tab is " | " in a chunk)."""
    return _WS_RE.sub("", unicodedata.normalize("NFKC", text)).replace("|", "")


def evidence_in(text: str, evidence: Iterable[str]) -> bool:
    """True if `text` contains one of the evidence spans, ignoring whitespace, table cell separators and character
    width."""
    hay = _squash(text)
    return any(e and _squash(e) and _squash(e) in hay for e in evidence)


def recall_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose first relevant rank is <= k; None for no questions."""
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr(ranks: Sequence[int | None], k: int = 10) -> float | None:
    """Mean reciprocal rank, counting only ranks <= k; None for no questions."""
    if not ranks:
        return None
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, like numpy's default; None if empty."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# --- CMRC 2018 official span metrics (port of cmrc2018_evaluate.py, nltk tokenizer replaced by a regex) ---
_CMRC_PUNCT = frozenset(
    [
        "-",
        ":",
        "_",
        "*",
        "^",
        "/",
        "\\",
        "~",
        "`",
        "+",
        "=",
        "，",
        "。",
        "：",
        "？",
        "！",
        "“",
        "”",
        "；",
        "’",
        "《",
        "》",
        "……",
        "·",
        "、",
        "「",
        "」",
        "（",
        "）",
        "－",
        "～",
        "『",
        "』",
    ]
)
_CMRC_CJK = re.compile("[\u4e00-\u9fa5]")  # the official script's definition of a Chinese character
_WORD_RE = re.compile(r"\w+|[^\w\s]")


def cmrc_segments(text: str, remove_punct: bool = False) -> list[str]:
    """CJK characters one by one; other runs split into word tokens (the official `mixed_segmentation`)."""
    segs: list[str] = []
    run = ""
    for c in text.lower().strip():
        if remove_punct and c in _CMRC_PUNCT:
            continue
        if _CMRC_CJK.match(c) or c in _CMRC_PUNCT:
            if run:
                segs.extend(_WORD_RE.findall(run))
                run = ""
            segs.append(c)
        else:
            run += c
    if run:
        segs.extend(_WORD_RE.findall(run))
    return segs


def _longest_common_substring(a: Sequence[str], b: Sequence[str]) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


def cmrc_em(prediction: str, answers: Iterable[str]) -> float:
    """1.0 if the prediction equals an answer once CMRC punctuation is removed, else 0.0."""

    def clean(s: str) -> str:
        return "".join(c for c in s.lower().strip() if c not in _CMRC_PUNCT)

    pred = clean(prediction)
    return 1.0 if any(clean(a) == pred for a in answers) else 0.0


def cmrc_f1(prediction: str, answers: Iterable[str]) -> float:
    """Best F1 over answers, from the longest common substring of the segmented strings."""
    pred = cmrc_segments(prediction, remove_punct=True)
    best = 0.0
    for answer in answers:
        gold = cmrc_segments(answer, remove_punct=True)
        common = _longest_common_substring(gold, pred)
        if common:
            p, r = common / len(pred), common / len(gold)
            best = max(best, 2 * p * r / (p + r))
    return best
