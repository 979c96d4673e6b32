"""The one object the CLI, the UI and the evaluator share: load an index once, ask many questions."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from qa.answer.calibration import calibration_path, load_calibration
from qa.answer.compose import Resources, unposted_dates
from qa.answer.question import analyse_question
from qa.answer.reading import SpanReader
from qa.answer.similarity import SentenceSimilarity
from qa.answer.support import Support
from qa.config import Settings
from qa.errors import IndexProblem, InputError
from qa.index.embedders import canonical_embedder, get_embedder
from qa.index.loaded import IndexData, load_index
from qa.reader.decode import WindowSpans
from qa.retrieve.opening import (
    MAX_LINES,
    OPENING_ROWS,
    asks_about_report,
    asks_release,
    is_opening,
    posting_times,
    states_delivery,
    with_openings,
)
from qa.retrieve.outline import Outline, reports
from qa.retrieve.query import Query
from qa.retrieve.retriever import Retriever
from qa.retrieve.scope import Scope, find_scope, pick_documents
from qa.retrieve.terms import chinese_terms
from qa.text.script import detect_lang
from qa.types import Answer, Hit

MAX_QUESTION_CHARS = 2000
MAX_OPENINGS = 3  # a question about a report itself reads the openings of at most this many scoped reports
HEURISTIC_THRESHOLD = 0.30  # the hand-set score's cut, used when no calibrated model is installed


def check_question(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """The question stripped, or InputError with a message a user understands."""
    if not isinstance(question, str):
        raise InputError(f"the question must be text, not {type(question).__name__}")
    if not question.strip():
        raise InputError("the question is empty: type a question, e.g. 提案立案了多少件？")
    if any("\ud800" <= ch <= "\udfff" for ch in question):
        raise InputError("the question holds broken characters (text in an unknown encoding?): retype it")
    q = question.strip()
    if len(q) > limit:
        raise InputError(f"the question is {len(q):,} characters long; the limit is {limit:,}")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in q):
        raise InputError("the question has no words, only punctuation or symbols")
    return re.sub(r"\s+", " ", q)


class LazyReader:
    """The shipped or a named reader, loaded on its first read (a question it is not asked to read costs nothing)."""

    def __init__(self, folder: Path, threads: int) -> None:
        self.folder, self.threads = folder, threads
        self._reader: SpanReader | None = None
        self._lock = threading.Lock()

    def read(self, question: str, passages: Sequence[str], top_n: int = 5) -> list[WindowSpans]:
        with self._lock:
            if self._reader is None:
                from qa.reader.model import Reader

                self._reader = Reader.load(self.folder, self.threads)
        return self._reader.read(question, passages, top_n)


def load_reader(spec: str, threads: int = 1) -> SpanReader | None:
    """The learned span reader named by `spec` ("default", a weights folder, or "none"); None when there is none.
    It runs on onnxruntime (torch is never imported) and is loaded when first asked to read."""
    if spec == "none":
        return None
    from qa.reader.export import CONFIG
    from qa.reader.model import WEIGHTS_DIR

    folder = WEIGHTS_DIR if spec == "default" else Path(spec)
    if not (folder / CONFIG).is_file():
        if spec != "default":
            raise InputError(f"no reader weights in {folder} (expected {CONFIG} there)")
        return None
    return LazyReader(folder, threads)


def _shell_path(path: str) -> str:
    """A root folder as the user would type it: relative to the working directory when inside it."""
    import shlex

    p = Path(path)
    try:
        p = p.relative_to(Path.cwd())
    except ValueError:
        pass
    return shlex.quote(str(p) + "/")


def _cited_hit(answer: Answer) -> Hit | None:
    """The hit an answer's first citation quotes (None for an abstention)."""
    if answer.abstained or not answer.citations:
        return None
    c = answer.citations[0]
    return next((h for h in answer.hits if h.chunk.source == c.source and h.chunk.start == c.start), None)


#: Characters between two parts' figures that make them one statement ("并购重组397起、1767.8亿元").
NEXT_TO = 8


def _next_to(answer: Answer, before: Answer) -> bool:
    """Is `answer`'s span written right after `before`'s, in the same clause run ("397起、1767.8亿元")?"""
    if not answer.citations or not before.citations or before.abstained:
        return False
    a, b = answer.citations[0], before.citations[0]
    if (a.source, a.start) != (b.source, b.start):
        return False
    if a.highlight[0] < b.highlight[1]:
        return False  # written before it, or the same span
    gap = a.text[b.highlight[1] : a.highlight[0]]
    return len(gap) <= NEXT_TO and not re.search(r"[。；;！？!?\n]", gap)


class Assistant:
    """Question answering over one loaded index."""

    def __init__(self, data: IndexData, settings: Settings) -> None:
        self.data = data
        self.settings = settings.for_embedder(data.manifest.embedder.name)
        settings = self.settings
        self.embedder = get_embedder(data.manifest.embedder.name, settings.encoder_threads)
        self.retriever = Retriever(data, self.embedder, settings)
        self._support: Support | None = None
        self._resources: Resources | None = None
        self._warming: threading.Thread | None = None

    @property
    def support(self) -> Support:
        """Word-support checker for answerability (built on first use)."""
        if self._support is None:
            self._support = Support(self.data.lexicon(), self.data.chunks)
        return self._support

    @classmethod
    def load(cls, index_dir: Path | str, settings: Settings | None = None, check_sources: bool = True) -> Assistant:
        """Load `index_dir`; IndexProblem when it is missing, corrupt, stale or built with another embedder."""
        if not isinstance(index_dir, str | Path) or not str(index_dir):
            raise InputError(f"give the index folder (a path such as 'index'), not {index_dir!r}")
        settings = settings or Settings(index_dir=Path(index_dir))
        data = load_index(Path(index_dir))
        built_with = data.manifest.embedder.name
        wanted = canonical_embedder(settings.embedder)
        if settings.embedder != Settings().embedder and wanted != built_with:
            roots = " ".join(_shell_path(r) for r in data.manifest.roots) or "FOLDER"
            raise IndexProblem(
                f"index {index_dir} is stale for the embedder {wanted!r}: it was built with {built_with!r}; "
                f"run `qa build {roots} --index {index_dir} --embedder {settings.embedder}` to re-embed it"
            )
        if check_sources:
            from qa.index.freshness import stale_reasons

            reasons = stale_reasons(data.manifest)
            if reasons:
                roots = " ".join(_shell_path(r) for r in data.manifest.roots) or "FOLDER"
                raise IndexProblem(
                    f"index {index_dir} is stale ({reasons[0]}): "
                    f"run `qa build {roots} --index {index_dir}` to update it"
                )
        return cls(data, settings)

    def warm_up(self) -> None:
        """Load the embedding model, jieba and the word-support tables now, not on the first question."""
        self.ask("提案立案了多少件？")
        self.ask("How many proposals were filed?")

    def retrieve(self, question: str, k: int = 10) -> list[Hit]:
        """Ranked chunks for a question."""
        q = check_question(question, self.settings.max_question_chars)
        return self.retriever.search(self.retriever.query(q), k)

    @property
    def resources(self) -> Resources:
        """The index's tables the answer path reads (built once)."""
        if self._resources is None:
            calibration = load_calibration(calibration_path(self.embedder.name))
            threshold = self.settings.abstain_threshold
            if threshold is None:
                threshold = calibration.threshold if calibration is not None else HEURISTIC_THRESHOLD
            self._resources = Resources(
                self.data.lexical,
                {},
                self.support,
                self.settings.weights,
                threshold,
                self.data.metas,
                calibration,
                load_reader(self.settings.reader, self.settings.reader_threads),
                SentenceSimilarity(self.embedder),
                Outline(self.data.chunks, self.data.ranges, reports(self.data.metas)),
            )
        return self._resources

    def scope(self, question: str, docs: Sequence[str] | None = None) -> Scope:
        """The documents a question is limited to: those picked by hand (`docs`), else those it names."""
        if docs:
            return pick_documents(docs, self.data.metas)
        rendered: list[str] = []
        if detect_lang(question) == "en":  # an English question names a title in English: its words' Chinese renderings
            rendered = [z for z, w in chinese_terms(question, self.data.lexicon()) if w >= 1.0]
        return find_scope(question, self.data.metas, rendered)

    def ask(
        self,
        question: str,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer a question with citations, or abstain; timings in milliseconds. `docs` limits the documents
        searched (file names or parts of titles); by default a question that names a report's place is limited
        to that report. A question with two asks gets an answer per ask. `history` holds the conversation's
        earlier questions (oldest first): a follow-up (那交流研讨呢？, 它们分别是多少次？, 那2023年呢？) is read as the
        standalone question it means (`Answer.read_as`) and searches the documents the turns before it did."""
        from qa.answer.join import join_answers
        from qa.answer.parts import split_question
        from qa.answer.respectively import distribute

        t0 = time.perf_counter()
        q = check_question(question, self.settings.max_question_chars)
        if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise InputError(f"k must be a whole number of at least 1, not {k!r}")
        k = k or self.settings.k
        if docs is not None and (isinstance(docs, str) or not all(isinstance(d, str) and d.strip() for d in docs)):
            raise InputError(f"docs must be a list of document names (file names or parts of titles), not {docs!r}")
        typed, read_as, follow_scope = q, "", None
        if history:
            read_as, follow_scope = self._follow(q, history, docs)
            q = read_as or q
        lang = detect_lang(q)
        if self._warming is None and lang == "zh":  # load jieba on the other core while the model embeds
            from qa.text.segment import load_jieba

            self._warming = threading.Thread(target=load_jieba, name="qa-jieba", daemon=True)
            self._warming.start()
        scope = self.scope(q, docs)
        if read_as and not scope.scoped and follow_scope is not None:
            scope = follow_scope
        drop = [n for n in scope.named if not n.isdigit()]
        whole = self.retriever.query(q, drop)
        parts = split_question(q, lang)
        if len(parts) == 1:
            ans, hits = self._answer(whole, scope, k)
        else:
            answers: list[Answer] = []
            avoid: list[tuple[str, int]] = []
            for part in parts:
                query = self._part_query(part.text, whole, drop)
                one, hits = self._answer(query, scope, k, tuple(avoid))
                cited = _cited_hit(answers[-1]) if answers else None
                if cited is not None:  # "…是多少？比上年增长多少？": a span of the asked kind beside the last answer
                    near, _ = self._answer(query, scope, k, tuple(avoid), [cited], answers[-1].question, sure=False)
                    if near.signals.get("typed", 0.0) > 0 and not near.abstained:
                        if near.confidence >= self.resources.threshold:
                            one = replace(near, hits=one.hits)
                        elif _next_to(near, answers[-1]):  # one statement of both: as sure as the part before
                            one = replace(near, hits=one.hits, confidence=answers[-1].confidence)
                answers.append(one)
                if not one.abstained and one.citations:
                    c = one.citations[0]
                    avoid.append((c.source, c.start + c.highlight[0]))
            ans = join_answers(q, parts, distribute(parts, answers), whole.lang)
            ans = replace(ans, timings_ms={"answer": sum(a.timings_ms["answer"] for a in answers)})
            hits = list(answers[0].hits)
        total = round((time.perf_counter() - t0) * 1000, 2)
        answer_ms = ans.timings_ms["answer"]  # the rest (scope, query analysis, search) is retrieval
        timings = {"retrieve": round(total - answer_ms, 2), "answer": answer_ms, "total": total}
        uncertain = not ans.abstained and ans.confidence < self.settings.uncertain_below
        several = len(self.data.metas) > 1 and not ans.searched and not ans.abstained and bool(ans.citations)
        return replace(
            ans,
            question=typed,
            hits=tuple(hits),
            timings_ms=timings,
            read_as=read_as,
            uncertain=uncertain,
            from_doc=ans.citations[0].title if several else "",
        )

    def _follow(self, question: str, history: Sequence[str], docs: Sequence[str] | None) -> tuple[str, Scope | None]:
        """The standalone reading of a follow-up ("" for a question that stands alone) and the documents the
        conversation was about (None when no earlier turn named any)."""
        from qa.dialogue.followup import read_dialogue

        if isinstance(history, str) or not all(isinstance(h, str) for h in history):
            raise InputError("history must be a list of the earlier questions (text), oldest first")
        readings = read_dialogue([*history[-8:], question], self._place_names)
        reading = readings[-1]
        if not reading.followup:
            return "", None
        resolved = check_question(reading.resolved, self.settings.max_question_chars)
        scope = None
        if not docs:
            for earlier in reversed(readings[:-1]):
                found = self.scope(earlier.resolved)
                if found.scoped:
                    scope = found
                    break
                if not earlier.followup:
                    break
        return resolved, scope

    def _openings(self, sources: Sequence[str]) -> list[Hit]:
        """The chunks of each of `sources`' opening (the date and meeting it was delivered at, the speaker)."""
        out = []
        for source in sources:
            a, b = self.data.ranges.get(source, (0, 0))
            first = [self.data.chunks[i] for i in range(a, min(b, a + OPENING_ROWS))]
            out += [Hit(c, 0.0) for c in [c for c in first if is_opening(c.text)][:MAX_LINES]]
        return out

    @cached_property
    def _place_names(self) -> tuple[str, ...]:
        """Every indexed document's place names, as a question may write them (for 那浙江呢？)."""
        return tuple(sorted({a for m in self.data.metas.values() for a in m.aliases}))

    def _part_query(self, part: str, whole: Query, drop: Sequence[str]) -> Query:
        """One ask of a question, searched with the words of the whole question beside its own."""
        query = self.retriever.query(part, drop)
        vector = query.vector
        if vector is not None and whole.vector is not None:
            vector = (vector + whole.vector) / max(1e-9, float(np.linalg.norm(vector + whole.vector)))
        return replace(query, tokens=query.tokens + whole.tokens, vector=vector, question=part)

    def _answer(
        self,
        query: Query,
        scope: Scope,
        k: int,
        avoid: tuple[tuple[str, int], ...] = (),
        given: Sequence[Hit] | None = None,
        context: str = "",
        sure: bool = True,
    ) -> tuple[Answer, list[Hit]]:
        """Retrieve for one question (or part) within `scope` and answer it from the top `k` hits (or from the
        `given` hits, without searching). The words of `context` (the part before) count as the part's own. With
        `sure` off, an answer below the abstention threshold is returned as an answer (the caller decides)."""
        from qa.answer.compose import answer_question

        t0 = time.perf_counter()
        opening = False
        delivery: list[Hit] = []  # the scoped reports' lines that say how they were delivered
        if given is not None:
            hits = list(given)
        else:
            hits = self.retriever.search(query, max(k, self.settings.retrieve_k), scope.sources, scope.years)
            if asks_about_report(query.asked, query.lang):  # the scoped reports, or all of a small index
                reports = scope.sources or tuple(self.data.metas)
                opening = len(reports) <= MAX_OPENINGS
                if opening:
                    openings = self._openings(reports)
                    hits = with_openings(openings, hits)
                    delivery = [h for h in hits[: len(openings)] if states_delivery(h.chunk.text)]
        t1 = time.perf_counter()
        info = analyse_question(query.text, query.lang)
        if context:
            extra = analyse_question(context, query.lang).topic_tokens
            info = replace(info, topic_tokens=tuple(dict.fromkeys(info.topic_tokens + extra)))
        res = self.resources
        if given is None and opening:  # any line of the opening may hold the speaker or the date, however few words
            res = replace(res, weights=replace(res.weights, typed_cover_ratio=0.0, typed_candidates=10**6))
        if query.lang == "en":
            res = replace(res, lexicon=self.data.lexicon())
        if not sure:
            res = replace(res, threshold=0.0)
        ans = None
        if opening:  # who delivered the report, when: a name or date of the lines that say so answers, whatever
            # words they share with the question (the body's 呼伦大街 is not who delivered it); a document with no
            # such line (a news article, a communiqué) does not say
            posted = tuple(posting_times(delivery))  # a page's posting time is not when the report was delivered
            first = answer_question(query, info, delivery, replace(res, threshold=0.0), scope, avoid + posted)
            spanned = first.signals.get("typed") or first.signals.get("reader", 0.0) >= res.weights.reader_min
            if not delivery or (not first.abstained and spanned):  # a span of the asked kind, by rules or reader
                ans = first
        others = unposted_dates(hits[:k]) if ans is None and asks_release(query.asked, query.lang) else ()
        if others:  # when it was published: a date labelled so (发布日期：) answers, whatever words it shares
            first = answer_question(query, info, hits[:k], replace(res, threshold=0.0), scope, avoid + others)
            ans = first if first.signals.get("typed") else None
        if ans is None:
            ans = answer_question(query, info, hits[:k], res, scope, avoid)
        t2 = time.perf_counter()
        timings = {"retrieve": round((t1 - t0) * 1000, 2), "answer": round((t2 - t1) * 1000, 2)}
        return replace(ans, hits=tuple(hits), timings_ms=timings), hits
