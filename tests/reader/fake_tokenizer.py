"""A character tokenizer with offsets, standing in for the encoder's unigram tokenizer in fast tests."""

from __future__ import annotations


class CharTokenizer:
    """Each non-space character is a token (id = code point + 10); spaces are skipped."""

    bos, eos, pad = 0, 2, 1

    def encode_offsets(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        ids, spans = [], []
        for i, ch in enumerate(text):
            if not ch.isspace():
                ids.append(ord(ch) + 10)
                spans.append((i, i + 1))
        return ids, spans
