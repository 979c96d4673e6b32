"""Every compiled regex in qa.answer, qa.retrieve and qa.text stays fast on adversarial text (no ReDoS).

Patterns are collected from the modules' globals. Each one runs (search and finditer) against inputs built from
its own structure: a string it could match ("witness", one per choice of alternative), repeated, with fillers and
a breaking last character; runs of each of its literal characters; alternations of two of them. A call must end
within BUDGET_S: a linear pattern takes milliseconds on 2,000 characters, a backtracking one seconds.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import re._constants as sre
import re._parser as sre_parse
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import qa.answer
import qa.retrieve
import qa.text
from qa.answer.parts import split_question
from qa.assistant import Assistant
from qa.config import Settings

BUDGET_S = 0.2
LENGTH = 2000
FILLERS = ("甲", "a", "1", " ")
BREAKERS = ("，", "。", "!", "\n", "甲")
_CATEGORY_CHAR = {
    sre.CATEGORY_DIGIT: "1",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "a",
    sre.CATEGORY_WORD: "a",
    sre.CATEGORY_NOT_WORD: " ",
}


def _modules() -> Iterator[ModuleType]:
    for pkg in (qa.answer, qa.retrieve, qa.text):
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            yield importlib.import_module(f"{pkg.__name__}.{info.name}")


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[int, tuple[str, re.Pattern[str]]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(id(value), (f"{module.__name__}.{name}", value))
    return sorted(found.values())


def _in_set(c: str, items: list) -> bool:
    """Whether c is in a parsed character class (without its NEGATE)."""
    for op, av in items:
        if op is sre.LITERAL and ord(c) == av:
            return True
        if op is sre.RANGE and av[0] <= ord(c) <= av[1]:
            return True
        if op is sre.CATEGORY and re.fullmatch(_CATEGORY_RE[av], c):
            return True
    return False


_CATEGORY_RE = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


def _class_char(items: list, choice: int) -> str:
    if items and items[0][0] is sre.NEGATE:
        rest = items[1:]
        return next((c for c in FILLERS + ("b", "乙", "-") if not _in_set(c, rest)), "\x00")
    op, av = items[choice % len(items)]
    if op is sre.LITERAL:
        return chr(av)
    if op is sre.RANGE:
        return chr(av[0])
    return _CATEGORY_CHAR.get(av, "a")


def _witness(parsed: sre_parse.SubPattern | list, choice: int, least: bool) -> str:
    """A string the parsed pattern (nearly) matches: alternative number `choice` of each alternation, each
    repetition as few times as it may (`least`) or at least once, lookarounds and anchors left out."""
    out = []
    for op, av in parsed:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.NOT_LITERAL:
            out.append("甲" if av != ord("甲") else "a")
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.IN:
            out.append(_class_char(av, choice))
        elif op is sre.BRANCH:
            out.append(_witness(av[1][choice % len(av[1])], choice, least))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            out.append(_witness(sub, choice, least) * (low if least else min(max(low, 1), high)))
        elif op is sre.SUBPATTERN:
            out.append(_witness(av[3], choice, least))
        elif op is sre.ATOMIC_GROUP:
            out.append(_witness(av, choice, least))
        elif op is sre.GROUPREF_EXISTS:
            out.append(_witness(av[1], choice, least))
    return "".join(out)


def _literals(parsed: sre_parse.SubPattern | list) -> set[str]:
    """Every literal character anywhere in the parsed pattern."""
    found: set[str] = set()
    for op, av in parsed:
        if op is sre.LITERAL:
            found.add(chr(av))
        elif op is sre.IN:
            found.update(chr(a) for o, a in av if o is sre.LITERAL)
        elif op is sre.BRANCH:
            for alt in av[1]:
                found |= _literals(alt)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            found |= _literals(av[2])
        elif op is sre.SUBPATTERN:
            found |= _literals(av[3])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found |= _literals(av[1])
        elif op is sre.ATOMIC_GROUP:
            found |= _literals(av)
    return found


def _repeat(unit: str) -> str:
    return (unit * (LENGTH // max(1, len(unit)) + 1))[:LENGTH] if unit else ""


def adversarial_inputs(pattern: re.Pattern[str]) -> list[str]:
    """Strings of up to LENGTH characters built from the pattern's own literals and witnesses."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    witnesses = {_witness(parsed, choice, least) for choice in (0, 1, 2, 3, -1) for least in (True, False)} - {""}
    units: set[str] = set(FILLERS)
    for w in witnesses:
        units |= {w, w[:-1], w[1:]} | {f + w for f in FILLERS[:2]} | {w + f for f in FILLERS[:2]}
        chars = sorted(set(w))[:8]
        units |= {a + b for a in chars for b in chars if a < b}
    units |= _literals(parsed)
    inputs = set()
    for unit in units - {""}:
        text = _repeat(unit)
        inputs.add(text)
        inputs |= {text[:-1] + b for b in BREAKERS}
    return sorted(inputs)


def _slowest_call(pattern: re.Pattern[str], text: str) -> float:
    """Seconds for search + finditer; the better of two tries, so one scheduler hiccup is not a failure."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        pattern.search(text)
        for _m in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - start)
        if best < BUDGET_S or best > 5 * BUDGET_S:
            break
    return best


PATTERNS = _patterns()


def test_the_patterns_are_found() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"qa.answer.parts._EACH", "qa.answer.mentions.QUANTITY_RE"} <= names
    assert len(PATTERNS) >= 20


def test_the_inputs_reach_the_reported_question() -> None:
    """The generator builds the probe's kind of case: '甲各几' repeated, up to a breaking '，'."""
    each = dict(PATTERNS)["qa.answer.parts._EACH"]
    assert any(t.count("甲各几") > 400 and t.endswith("，") for t in adversarial_inputs(each))


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_pattern_runs_within_budget(name: str, pattern: re.Pattern[str]) -> None:
    slow = []
    for text in adversarial_inputs(pattern):
        took = _slowest_call(pattern, text)
        if took >= BUDGET_S:
            slow.append(f"{took:.2f}s on {text[:12]!r}…({len(text)} chars)")
            if len(slow) == 3:  # enough to show it; a backtracking pattern may take seconds per input
                break
    assert not slow, f"{name} backtracks: " + "; ".join(slow)


@pytest.mark.parametrize("question", [("甲各多少" * 499) + "，", ("甲分别是多少" * 333) + "，", "各" * 1999 + "？"])
def test_splitting_a_hostile_question_is_quick(question: str) -> None:
    start = time.perf_counter()
    parts = split_question(question, "zh")
    assert time.perf_counter() - start < 1.0
    assert parts


@pytest.mark.parametrize("question", [("甲各多少" * 499) + "，", ("甲分别是多少" * 333) + "，"])
def test_asking_the_hostile_question_is_quick(report_index: Path, question: str) -> None:
    """The whole answer path, not just the split (it took 20 s; now well under a second)."""
    assistant = Assistant.load(report_index, Settings(index_dir=report_index, embedder="fake"))
    start = time.perf_counter()
    assistant.ask(question)
    assert time.perf_counter() - start < 5.0
