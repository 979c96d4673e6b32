"""The index contract: what an index stores is named by versions, and a golden fixture forces a bump when it changes.

Every index records `INGEST_VERSION` (reading, cleaning, chunking), `TOKENIZER_VERSION` (the BM25 tokens) and
`LEXICON_VERSION` (the dictionary words counted for English questions, with the glossary) in its manifest; a
different version makes the index stale. These tests hash what those stages produce for fixed documents and compare
it with `contract.json`: when the output changes while the version stays, they fail. Bump the version, then refresh
the file with `QA_UPDATE_CONTRACT=1 pytest tests/index/test_contract.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index.lexicon import LEXICON_VERSION
from qa.ingest import INGEST_VERSION
from qa.ingest.chunking import make_splitter
from qa.ingest.readers import load_document
from qa.text.tokens import TOKENIZER_VERSION, tokenize

ROOT = Path(__file__).parents[2]
CONTRACT = Path(__file__).with_name("contract.json")
TABLE = (
    "2024年国民经济和社会发展统计公报\n\n指标\t绝对数\t比上年增长(%)\n"
    "地区生产总值\t5379亿元\t5.2\n第一产业\t312亿元\t3.1\n\f第二页\n"
    "English notes: GDP grew by 5.2% to 537.9 billion yuan.\n"
)


def _fixture_documents(tmp_path: Path) -> list[Path]:
    table = tmp_path / "table.txt"
    table.write_text(TABLE, encoding="utf-8")
    return [ROOT / "data" / "xixia_cppcc_2024_highlights.txt", table]


def _chunks(tmp_path: Path) -> list[dict]:
    from qa.index.writer import chunk_document

    s = Settings()
    splitter = make_splitter(s.chunk_size, s.chunk_overlap)
    out = []
    for path in _fixture_documents(tmp_path):
        chunks, meta = chunk_document(load_document(path, path.parent), splitter, s.min_chunk)
        out += [{**c.to_dict(), "source": path.name} for c in chunks] + [meta.to_dict()]
    return out


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _check(stage: str, version: int, digest: str) -> None:
    recorded = json.loads(CONTRACT.read_text(encoding="utf-8")) if CONTRACT.exists() else {}
    if os.environ.get("QA_UPDATE_CONTRACT"):
        recorded[stage] = {"version": version, "sha256": digest}
        CONTRACT.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    entry = recorded.get(stage)
    assert entry is not None, f"{CONTRACT.name} has no {stage!r} entry: run with QA_UPDATE_CONTRACT=1"
    if entry["version"] == version:
        assert entry["sha256"] == digest, (
            f"the {stage} output changed but its version is still {version}: bump it (existing indexes must be "
            f"rebuilt), then run QA_UPDATE_CONTRACT=1 pytest {Path(__file__).relative_to(ROOT)}"
        )
    else:
        pytest.fail(f"{stage} is version {version}, {CONTRACT.name} records {entry['version']}: refresh the file")


def test_the_ingest_output_is_what_its_version_says(tmp_path: Path) -> None:
    _check("ingest", INGEST_VERSION, _digest(_chunks(tmp_path)))


def test_the_tokenizer_output_is_what_its_version_says(tmp_path: Path) -> None:
    texts = [c["text"] for c in _chunks(tmp_path) if "text" in c] + ["ＧＤＰ增长５.２％，It's 2024", "CT 与 ct 相同"]
    _check("tokenizer", TOKENIZER_VERSION, _digest([tokenize(t) for t in texts]))


def test_the_lexicon_counts_are_what_their_version_says(tmp_path: Path) -> None:
    from qa.index.lexicon import GLOSSARY, count_words

    texts = [c["text"] for c in _chunks(tmp_path) if "text" in c]
    _check("lexicon", LEXICON_VERSION, _digest({"glossary": GLOSSARY, "counts": sorted(count_words(texts).items())}))


def test_index_params_name_every_version_and_the_canonical_embedder() -> None:
    params = Settings().index_params()
    assert params["ingest"] == INGEST_VERSION and params["tokenizer"] == TOKENIZER_VERSION
    assert params["lexicon"] == LEXICON_VERSION
    assert params["embedder"] == "e5-small"
    assert Settings(embedder="use").index_params()["embedder"] == "use-m3"
