"""Lexical side of retrieval: character uni+bigram tokens for CJK, words for Latin, BM25 over segment postings.

Each segment stores its own postings (token -> rows and term frequencies) and document lengths; scores use the
statistics of the whole live index (document count, average length, document frequency without deleted rows),
so a segmented index scores exactly like one built at once. The formula is bm25s's default ("lucene"):
idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part = tf / (tf + k1 (1 - b + b dl / avgdl)), k1 = 1.2, b = 0.75.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from qa.text.tokens import is_cjk_token, normalise_text, token_code, tokenize

if TYPE_CHECKING:
    from qa.index.segment import Segment

K1, B = 1.2, 0.75


class MemoryPostings:
    """Postings of a few texts held in memory (the same calls as a segment's): for tests and small tools."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.rows = len(self.texts)
        post: dict[str, tuple[list[int], list[int]]] = {}
        lengths = []
        for row, text in enumerate(self.texts):
            tokens = tokenize(text) or ["\u2205"]
            lengths.append(len(tokens))
            for tok, tf in Counter(tokens).items():
                rows, tfs = post.setdefault(tok, ([], []))
                rows.append(row)
                tfs.append(tf)
        self._post = {t: (np.array(r, dtype=np.int32), np.array(f, dtype=np.uint16)) for t, (r, f) in post.items()}
        self.doclen = np.array(lengths, dtype=np.int32)
        self._codes = np.array(sorted(token_code(t) for t in self._post if is_cjk_token(t)), dtype=np.uint64)

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        return self._post.get(token, (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)))

    def has_codes(self, codes: np.ndarray) -> np.ndarray:
        return np.isin(codes, self._codes)

    def text(self, row: int) -> str:
        return self.texts[row]


class LexicalIndex:
    """BM25 over the live rows of a list of segments. Rows are logical: deleted rows are left out."""

    def __init__(
        self,
        segments: Sequence[Segment | MemoryPostings] = (),
        live: Sequence[np.ndarray | None] = (),
        logical: np.ndarray | None = None,
    ) -> None:
        self.segments = list(segments)
        self.live = list(live) or [None] * len(self.segments)  # per segment: bool mask of live rows (None: all)
        self.offsets = np.cumsum([0] + [s.rows for s in self.segments])
        self.logical = logical  # physical row -> logical row (-1 deleted); None when nothing is deleted
        lengths = 0.0
        n = 0
        for seg, mask in zip(self.segments, self.live, strict=True):
            dl = np.asarray(seg.doclen, dtype=np.float64)
            if mask is not None:
                dl = dl[mask]
            lengths += float(dl.sum())
            n += len(dl)
        self.n_docs = n
        self.avgdl = lengths / n if n else 1.0
        self._df: dict[str, int] = {}

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """An in-memory index of `texts` (tests, small tools); an index folder's comes from its segments."""
        return cls([MemoryPostings(texts)])

    @property
    def n_physical(self) -> int:
        return int(self.offsets[-1])

    def _parts(self, token: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(segment index, live rows, their tf) of a token in every segment."""
        from qa.index.segment import SegmentError

        out = []
        for i, seg in enumerate(self.segments):
            try:
                rows, tf = seg.postings(token)
            except SegmentError as exc:
                from qa.errors import IndexProblem

                where = getattr(seg, "folder", None)
                index_dir = where.parent.parent if where is not None else "?"
                raise IndexProblem(
                    f"index {index_dir} is corrupt ({exc}): run `qa build data/ --index {index_dir}` to rebuild it"
                ) from exc
            if not len(rows):
                continue
            mask = self.live[i]
            if mask is not None:
                keep = mask[rows]
                rows, tf = rows[keep], tf[keep]
                if not len(rows):
                    continue
            out.append((i, rows, tf))
        return out

    def df(self, token: str) -> int:
        """Number of live chunks holding `token`."""
        if token not in self._df:
            if len(self._df) > 200_000:
                self._df.clear()
            self._df[token] = sum(len(rows) for _i, rows, _tf in self._parts(token))
        return self._df[token]

    def idf(self, token: str) -> float:
        """BM25 idf of a token; a token absent from the corpus gets the idf of a one-off word."""
        n = max(1, self.n_docs)
        df = max(self.df(token), 1)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def has_token(self, token: str) -> bool:
        """True when `token` occurs somewhere in the live corpus."""
        return self.df(token) > 0

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every live chunk (logical rows) for the query tokens; repeated tokens count again."""
        n_phys = self.n_physical
        out = np.zeros(n_phys, dtype=np.float32)
        if self.n_docs == 0 or not query_tokens:
            return out[self.logical >= 0] if self.logical is not None else out
        n = self.n_docs
        for token, times in Counter(query_tokens).items():
            parts = self._parts(token)
            df = sum(len(r) for _i, r, _t in parts)
            if not df:
                continue
            idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
            for i, rows, tf in parts:
                seg = self.segments[i]
                dl = seg.doclen[rows]
                tf32 = tf.astype(np.float32)
                tfc = tf32 / (K1 * ((1 - B) + B * dl / self.avgdl) + tf32)
                out[int(self.offsets[i]) + rows.astype(np.int64)] += (idf * tfc * times).astype(np.float32)
        if self.logical is not None:
            return out[self.logical >= 0]
        return out

    def rows_with_all(self, tokens: Sequence[str]) -> int:
        """How many live chunks hold every one of `tokens` (an upper bound on those holding the word they spell)."""
        tokens = list(dict.fromkeys(tokens))
        if not tokens:
            return 0
        if len(tokens) == 1:
            return self.df(tokens[0])
        ordered = sorted(tokens, key=self.df)  # rarest first: the intersection empties soonest
        total = 0
        for i in range(len(self.segments)):
            common = self._rows_with_all(i, ordered)
            mask = self.live[i]
            total += int(mask[common].sum()) if mask is not None else len(common)
        return total

    def _rows_with_all(self, i: int, tokens: Sequence[str]) -> np.ndarray:
        """Rows of segment `i` (live or not) whose postings hold every one of `tokens`."""
        common: np.ndarray | None = None
        for tok in tokens:
            rows, _tf = self.segments[i].postings(tok)
            common = rows if common is None else np.intersect1d(common, rows, assume_unique=True)
            if not len(common):
                break
        return common if common is not None else np.zeros(0, dtype=np.int64)

    def word_df(self, word: str) -> int:
        """Chunks holding `word`, from the postings of its tokens: a CJK word's characters pairs (or its
        character), a Latin word or number itself. Counts chunks with every pair, in their context line or text."""
        tokens = tokenize(word)
        pairs = [t for t in tokens if is_cjk_token(t) and len(t) == 2]
        if pairs:
            return self.rows_with_all(pairs + [t for t in tokens if not is_cjk_token(t)])
        return self.rows_with_all(tokens) if tokens else 0

    def find_sequences(self, char_sets: Sequence[set[str]]) -> set[str]:
        """Strings s (len(char_sets) >= 2 characters, s[i] in char_sets[i]) whose adjacent character pairs all
        occur in the corpus; for three or more characters, checked against the texts of chunks holding them."""
        sets = [sorted(s) for s in char_sets]
        if len(sets) < 2 or not all(sets):
            return set()
        found = list(sets[0])
        for nxt in sets[1:]:
            cand = [(p, ch) for p in found for ch in nxt]
            if not cand:
                return set()
            codes = np.array([token_code(normalise_text(p[-1] + ch)[:2]) for p, ch in cand], dtype=np.uint64)
            hit = np.zeros(len(codes), dtype=bool)
            for seg in self.segments:
                hit |= seg.has_codes(codes)
            found = [p + ch for (p, ch), ok in zip(cand, hit, strict=True) if ok]
            if len(found) > 5000:  # a name made of very common syllables: give up rather than stall
                return set()
        if len(sets) == 2:
            return set(found)
        return {s for s in found if self._occurs(s)}

    def _occurs(self, word: str, limit: int = 50) -> bool:
        pairs = [normalise_text(word[i : i + 2]) for i in range(len(word) - 1)]
        for i, seg in enumerate(self.segments):
            common = self._rows_with_all(i, pairs)
            mask = self.live[i]
            for row in common[:limit]:
                if (mask is None or mask[row]) and word in seg.text(int(row)):
                    return True
        return False
