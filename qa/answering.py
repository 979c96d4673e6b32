"""Extractive answers: choose the evidence sentence, cut the asked-for span, cite it, or abstain."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from . import extract
from .sentences import split_clauses, split_sentences
from .lexical import LexicalIndex, is_cjk_char, tokenize
from .question import QuestionInfo, measure_word
from .support import Support, question_words
from .retrieval import Query
from .translate import content_words, word_candidates
from .types import Answer, Citation, Hit

NOT_FOUND = {"zh": "报告中没有找到相关内容", "en": "Not found in the documents."}
MAX_ANSWER = 140
EN_SAYS = "The report says: "
SINGLE_CHAR_CREDIT = 0.35  # coverage earned by a one-character dictionary term
LEAD_IN = 12  # characters before a mention that usually name what it counts ("经济社会发展专题报告2篇")
WORD_SHARE = 0.5  # weight of whole-word coverage (jieba words) beside character-bigram coverage
CONTEXT_SHARE = 0.7  # weight of context coverage when ranking evidence sentences (tuned on eval/ and CMRC)
DENSE_FULL = 0.5  # a question-chunk cosine at or above this counts as full semantic support

_EN_UNIT = {
    "件": "items", "次": "times", "篇": "articles", "名": "people", "人": "people", "家": "companies", "期": "issues",
    "批": "groups", "个": "units", "项": "items", "场": "events", "场次": "events", "%": "percent", "元": "yuan",
    "人次": "person-times", "周年": "years", "户": "households", "亩": "mu", "吨": "tonnes", "所": "institutions",
    "公里": "km", "米": "metres", "平方公里": "km²", "座": "units", "位": "people", "回": "times",
}
#: Chinese magnitudes glossed in words, so an English answer adds no digits its citation lacks.
_EN_MAGNITUDE = {"万": "ten-thousand", "亿": "hundred-million", "千": "thousand"}


WordCover = Callable[[str], float]


@dataclass(frozen=True)
class Candidate:
    """An evidence sentence in a retrieved chunk, with how well it covers the question."""

    hit_rank: int
    start: int
    end: int
    cover: float
    score: float


class Weights:
    """What each question token (zh) or content word (en) is worth, and how to spot it in text."""

    def __init__(self, query: Query, info: QuestionInfo, lexical: LexicalIndex, lexicon: dict) -> None:
        self.groups: list[tuple[float, list[str]]] = []  # (weight, alternatives)
        self.unknown_names = 0  # capitalised English words the corpus has no trace of ("France")
        if query.lang == "zh":
            for t in info.topic_tokens:
                idf = lexical.idf(t) if lexical.df(t) else lexical.idf("\0") * 1.2
                self.groups.append(((1.0 if len(t) > 1 else 0.25) * idf, [t]))
        else:
            name_words = {w for _z, ws in query.names for w in ws}
            self.unknown_names = _unknown_names(query, lexical, lexicon, name_words)
            for z, _ws in query.names:
                self.groups.append((max(lexical.idf(t) for t in tokenize(z)) * 1.5, [z]))
            for word in content_words(query.text):
                if word in name_words:
                    continue
                cands = [z for z, _w in word_candidates(word, lexicon)] or measure_word(word)
                if any(len(z) > 1 for z in cands):  # one character such as 案 matches too much
                    cands = [z for z in cands if len(z) > 1]
                idfs = [lexical.idf(t) for z in cands for t in tokenize(z) if len(t) > 1 or len(z) == 1]
                weight = max(idfs) if idfs else lexical.idf("\0")
                self.groups.append((weight, cands or [word]))
            for num in re.findall(r"\d+", query.text):
                self.groups.append((lexical.idf(num), [num]))
        self.total = sum(w for w, _ in self.groups) or 1.0

    def cover(self, text: str, single_char_credit: float = 1.0) -> float:
        """Weighted share of the question found in `text`; a group matched only by a lone character
        (点, 开: weak evidence) earns `single_char_credit`."""
        if not self.groups:
            return 0.0
        total = 0.0
        text = text.lower()  # English alternatives are lower-case; Chinese is unaffected
        for w, alts in self.groups:
            found = [a for a in alts if a in text]
            if found:
                total += w * (1.0 if any(len(a) > 1 for a in found) else single_char_credit)
        return total / self.total

    def positions(self, text: str) -> list[int]:
        """Where matched question pieces sit in `text` (their end offsets)."""
        text = text.lower()
        out = []
        for _w, alts in self.groups:
            for a in alts:
                if len(a) > 1 or not text:
                    out.extend(m.end() for m in re.finditer(re.escape(a), text))
        return out


_NAME_RUN = re.compile(r"(?<=[\s(\"“])[A-Z][A-Za-z]*(?:'s)?(?:\s+(?:of|and|the|for|de|[A-Z][A-Za-z]*(?:'s)?))*")


def _unknown_names(query: Query, lexical: LexicalIndex, lexicon: dict, name_words: set[str]) -> int:
    """Capitalised names in an English question ("France", "Barack Obama") that the corpus has no trace of:
    no dictionary translation present, no romanised match, not written in the text itself."""
    unknown = 0
    for run in _NAME_RUN.findall(query.text):
        words = [w.lower().removesuffix("'s") for w in re.findall(r"[A-Z][A-Za-z]*(?:'s)?", run)]
        if not any(
            w in name_words or lexical.df(w) or any(len(z) > 1 for z, _ in word_candidates(w, lexicon)) for w in words
        ):
            unknown += 1
    return unknown


_ROLE_AFTER = re.compile(r"哪(?:位|个|名|一位)([\u4e00-\u9fff]{2,5})")  # 哪位记者写的 -> 记者
_ROLE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,6})(?:是谁|为谁|叫什么)|谁(?:是|担任)([\u4e00-\u9fff]{2,6})")


def _role_asked(question: str) -> str | None:
    """The post a who-question asks about: '西夏区政协的秘书长是谁' -> '秘书长', '哪位记者写的' -> '记者'."""
    m = _ROLE_AFTER.search(question)
    if m:
        words = question_words(m.group(1))
        return words[0] if words else None
    m = _ROLE_BEFORE.search(question)
    words = question_words(m.group(1) or m.group(2)) if m else []
    return words[-1] if words else None


def _candidates(hits: Sequence[Hit], weights: Weights, words: WordCover | None = None) -> list[Candidate]:
    """Every sentence of the hits, scored by what it covers itself and with its context.

    The context (the chunk's first sentence and the previous one) often holds the subject that the
    answer sentence leaves out ("黄鳍紫鱼……。以其他鱼类为食。"), so coverage is measured on both.
    """
    out = []
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        spans = split_sentences(text)
        for i, (s, e) in enumerate(spans):
            own = weights.cover(text[s:e])
            if words is not None:
                own = (1 - WORD_SHARE) * own + WORD_SHARE * words(text[s:e])
            context = hit.chunk.context + "".join(
                text[a:b] for a, b in {spans[0], spans[max(0, i - 1)]} if (a, b) != (s, e)
            )
            with_context = own
            if context:
                with_context = weights.cover(context + text[s:e])
                if words is not None:
                    with_context = (1 - WORD_SHARE) * with_context + WORD_SHARE * words(context + text[s:e])
            cover = CONTEXT_SHARE * with_context + (1 - CONTEXT_SHARE) * own
            out.append(Candidate(rank, s, e, own, cover + 0.15 * hit.score - 0.02 * rank))
    return sorted(out, key=lambda c: -c.score)


def _mentions(text: str, info: QuestionInfo) -> list[extract.Mention]:
    if info.qtype == "quantity" and info.ordinal:
        return extract.ordinals(text)
    if info.qtype == "quantity":
        ms = extract.quantities(text)
        fitting = [m for m in ms if extract.unit_matches(m.unit, info.unit)]
        if fitting or not info.unit:
            return fitting or ms
        # English text writes no measure words: there a bare number may answer a "how many" question
        return [m for m in ms if not m.unit] if not any(is_cjk_char(ch) for ch in text) else []
    if info.qtype == "when":
        return extract.dates(text)
    if info.qtype == "who":
        return extract.persons(text)
    if info.qtype == "where":
        return extract.locations(text) or extract.places(text)
    if info.qtype == "alias":
        return extract.aliases(text)
    return []


def _pick_mention(text: str, mentions: list[extract.Mention], weights: Weights) -> extract.Mention:
    """The mention whose clause covers the question best; ties go to the one nearest a matched word."""
    clauses = split_clauses(text, 0, len(text))
    hits = weights.positions(text)

    def key(m: extract.Mention) -> tuple[float, bool, float]:
        clause = next(((s, e) for s, e in clauses if s <= m.start < e), (0, len(text)))
        lead_in = text[max(clause[0], m.start - LEAD_IN) : m.start]  # Chinese names what it counts just before
        dist = min((abs(m.start - p) for p in hits), default=len(text))
        score = weights.cover(text[clause[0] : clause[1]]) + 1.5 * weights.cover(lead_in)
        return (round(score, 3), any(ch.isdigit() for ch in m.text), -dist)

    return max(mentions, key=key)


def _best_clause(text: str, weights: Weights, limit: int = MAX_ANSWER) -> tuple[int, int]:
    """The sentence when short, else its best-covering run of clauses within `limit` characters."""
    if len(text) <= limit:
        return 0, len(text)
    clauses = split_clauses(text, 0, len(text), marks="，：:；;,")  # keep 、-lists ("田帅、郭荣") whole
    best = max(clauses, key=lambda c: weights.cover(text[c[0] : c[1]]))
    s, e = best
    for cs, ce in clauses:  # grow to the right while it fits
        if cs >= e and ce - s <= limit:
            e = ce
        elif cs >= e:
            break
    return s, min(e, s + limit)


def _counted_noun(question: str, after: str, unit: str) -> int:
    """Length of the noun to keep after a quantity when the question counts it: '几个校区' -> '2个校区'."""
    m = re.search(rf"(?:几|多少){re.escape(unit)}([\u4e00-\u9fff]{{2,6}})", question) if unit else None
    if not m:
        return 0
    word, flag = next(iter(extract.load_posseg().lcut(m.group(1))), ("", ""))
    if len(word) < 2 or not flag.startswith("n") or not after.startswith(word):
        return 0  # '几次到西夏区' counts visits, not 到西夏区
    return len(word)


def _english(span: str, info: QuestionInfo, unit: str, typed: bool) -> str:
    """An English sentence stating a Chinese span; numbers stay exactly as written."""
    if not typed:
        return EN_SAYS + span
    if not any(is_cjk_char(ch) for ch in span):  # an English document: the span is already English
        return {"when": f"It was on {span}.", "who": f"It was {span}."}.get(info.qtype, f"The report gives {span}.")
    if info.qtype == "quantity":
        num = re.sub(r"[^\d.%,]", "", span.replace("%", ""))
        magnitude = next((w for ch, w in _EN_MAGNITUDE.items() if re.search(rf"\d{ch}", span)), "")
        gloss = " ".join(x for x in (magnitude, _EN_UNIT.get(unit, "")) if x)
        approx = "nearly " if span.startswith("近") else ("more than " if "余" in span or "多" in span else "")
        phrase = f"{approx}{num} {gloss}".strip() if num else span
        return f"The report gives {phrase} ({span})."
    if info.qtype == "when":
        return f"According to the report, it was on {span}."
    if info.qtype == "who":
        return f"According to the report, it was {span}."
    if info.qtype == "where":
        return f"According to the report, the place is {span}."
    return EN_SAYS + span


def _confidence(
    query: Query,
    info: QuestionInfo,
    cand: Candidate,
    hits: Sequence[Hit],
    typed: bool,
    weights: Weights,
    support: Support | None,
) -> float:
    """Coverage of the question by the evidence plus semantic similarity, cut when the evidence lacks
    what the question pins down (the kind of fact asked for, or a year or figure the question names)."""
    dense = min(1.0, max(0.0, hits[cand.hit_rank].dense) / DENSE_FULL)
    cover = cand.cover
    chunk_text = hits[cand.hit_rank].chunk.text
    if query.lang == "en":
        sentence_text = chunk_text[cand.start : cand.end]
        cover = 0.5 * weights.cover(sentence_text, SINGLE_CHAR_CREDIT) + 0.5 * weights.cover(chunk_text, SINGLE_CHAR_CREDIT)
    elif support is not None:
        cover = 0.5 * cover + 0.5 * support.cover(question_words(query.text), chunk_text)
    conf = 0.6 * cover + 0.4 * dense
    conf *= 0.5 ** min(2, weights.unknown_names)  # a named thing the documents never mention
    if info.qtype in ("quantity", "when") and not typed:
        conf *= 0.3  # asked for a number or a date, and the evidence has none (these are found reliably)
    elif info.qtype in ("who", "where", "alias") and not typed:
        conf *= 0.6  # name and place tagging misses some, so a softer cut
    sentence = chunk_text[cand.start : cand.end]
    role = _role_asked(query.text) if info.qtype == "who" and query.lang == "zh" else None
    if role and support is not None and not support.supported(role, sentence):
        conf *= 0.4  # "秘书长是谁" answered from a sentence about someone else's post
    chunk = hits[cand.hit_rank].chunk
    titles = support.headings(chunk.source) if support is not None else ""
    for num in re.findall(r"\d+", query.text):
        if num in sentence:
            continue
        if num in chunk_text or num in chunk.context or num in titles:
            conf *= 0.6  # near the evidence, or in the report's title ("…2024年亮点工作巡礼")
        else:
            conf *= 0.3  # a year or figure the question names is not in the evidence
    return conf


def _verified(answer: str, citations: Sequence[Citation]) -> bool:
    """Every number in the answer appears verbatim in some cited snippet."""
    return all(any(n in c.text for c in citations) for n in extract.numbers_in(answer))


def answer_question(
    query: Query,
    info: QuestionInfo,
    hits: Sequence[Hit],
    lexical: LexicalIndex,
    lexicon: dict,
    threshold: float,
    support: Support | None = None,
) -> Answer:
    """Pick evidence among `hits`, extract the span, attach numbered citations; abstain when weak."""
    weights = Weights(query, info, lexical, lexicon)
    words = None
    if support is not None and query.lang == "zh":
        qwords = question_words(query.text)
        words = (lambda text: support.cover(qwords, text)) if qwords else None
    cands = _candidates(hits, weights, words)
    not_found = Answer(query.text, NOT_FOUND[query.lang], True, lang=query.lang, hits=tuple(hits))
    if not cands:
        return not_found
    best = cands[0]
    chosen: tuple[Candidate, extract.Mention] | None = None
    if info.qtype != "what":
        for c in cands[:8]:
            if c.cover < 0.75 * best.cover:
                break
            text = hits[c.hit_rank].chunk.text[c.start : c.end]
            # a name, date or place the question already states is never its answer ("王法慧是谁的女儿？")
            ms = [m for m in _mentions(text, info) if m.text not in query.text]
            if ms:
                chosen = (c, _pick_mention(text, ms, weights))
                break
    cand = chosen[0] if chosen else best
    confidence = _confidence(query, info, cand, hits, chosen is not None, weights, support)
    if confidence < threshold:
        return replace(not_found, confidence=confidence)
    chunk = hits[cand.hit_rank].chunk
    sentence = chunk.text[cand.start : cand.end]
    if chosen:
        m = chosen[1]
        hs, he, unit = cand.start + m.start, cand.start + m.end, m.unit
        if info.qtype == "quantity":
            he += _counted_noun(query.text, chunk.text[he:], unit)
    else:
        s, e = _best_clause(sentence, weights, MAX_ANSWER - (len(EN_SAYS) if query.lang == "en" else 0))
        hs, he, unit = cand.start + s, cand.start + e, ""
    span = chunk.text[hs:he].strip()
    citations = [_cite(1, hits[cand.hit_rank], (hs, he))]
    for other in cands[1:]:
        if len(citations) >= 3 or other.cover < 0.6 * cand.cover:
            break
        if all(c.start != hits[other.hit_rank].chunk.start for c in citations):
            citations.append(_cite(len(citations) + 1, hits[other.hit_rank], (other.start, other.end)))
    text = _english(span, info, unit, chosen is not None) if query.lang == "en" else span
    if not _verified(text, citations):
        text = span
    return Answer(
        query.text, f"{text} [1]", False, tuple(citations), lang=query.lang, span=span, hits=tuple(hits),
        confidence=confidence,
    )


def _cite(n: int, hit: Hit, highlight: tuple[int, int]) -> Citation:
    c = hit.chunk
    return Citation(n, c.source, c.start, c.end, c.text, highlight, round(hit.score, 4), c.section, c.page)
