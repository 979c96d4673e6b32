"""The converter on a tiny model file the test writes: parsing, Q4_0 dequantisation, the tokenizer pipeline, the
sentence-transformers folder (loaded and run), and the cache's atomic, once-only conversion."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from tiny_e5 import PIECES, write_tiny_model

from qa.encoder.convert import META_FILE, convert, ensure_model, is_current, read_record
from qa.encoder.e5file import ModelFileError, dequantise_q4, read_e5_file
from qa.encoder.tokenizer import build_tokenizer, plan_normalisation


def test_q4_blocks_dequantise_low_nibbles_first_then_high() -> None:
    nibbles = bytes((j % 16) | ((15 - j) << 4) for j in range(16))
    raw = struct.pack("<e", 0.5) + nibbles
    got = dequantise_q4(raw, 1, 32)[0]
    want = [(j % 16 - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert got.tolist() == want


def test_the_file_is_read_with_its_shape_vocabulary_and_map(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    floats = write_tiny_model(path)
    f = read_e5_file(path)
    assert (f.header.hidden, f.header.layers, f.header.intermediate) == (32, 2, 64)
    assert f.vocab.pieces == tuple(PIECES) and f.vocab.unk == 3 and f.vocab.pad == 1
    assert f.normalisation[0x0A] == " " and f.normalisation[0x01] == ""
    assert f.tensors["l0.fo.w"].shape == (32, 64) and f.tensors["l0.fi.w"].shape == (64, 32)
    # 4-bit weights stay within half a step (plus the clipped top) of the floats they came from
    assert np.abs(f.tensors["l1.q.w"] - floats["l1.q.w"]).max() < 0.25
    np.testing.assert_array_equal(f.tensors["emb.pos"], floats["emb.pos"].reshape(-1))


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelFileError, match="magic"):
        read_e5_file(bad)
    good = tmp_path / "tiny.bin"
    write_tiny_model(good)
    bad.write_bytes(good.read_bytes()[:100])
    with pytest.raises(ModelFileError, match="truncated"):
        read_e5_file(bad)


def test_the_tokenizer_applies_the_files_map_not_plain_nfkc(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    write_tiny_model(path)
    f = read_e5_file(path)
    deleted, spaces, shielded = plan_normalisation(f.normalisation)
    assert deleted == ["\x01"] and "\n" in spaces and "～" in shielded
    tok = build_tokenizer(f.vocab, f.normalisation)
    assert tok.normalizer.normalize_str("a\nb\x01～Ａ  ab") == "a b～A ab"  # plain NFKC would make ～ a ~
    enc = tok.encode("ab ab")
    assert enc.tokens == ["<s>", "\u2581ab", "\u2581ab", "</s>"]


def test_the_converted_folder_loads_in_sentence_transformers_and_embeds(tmp_path: Path) -> None:
    source = tmp_path / "tiny.bin"
    write_tiny_model(source)
    out = tmp_path / "models" / "tiny"
    record = convert(source, out)
    assert read_record(out) == record and record.source_sha256 == read_e5_file(source).sha256
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(out), device="cpu")
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    vecs = model.encode(["ab", "a b"], prompt_name="passage")
    assert vecs.shape == (2, 32) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-2)  # bfloat16 weights
    from qa.encoder.runtime import QuestionEncoder

    onnx_vecs = QuestionEncoder(out).encode(["passage: ab", "passage: a b"])  # the question path, no torch
    assert (onnx_vecs * vecs).sum(axis=1).min() > 0.99
    assert not list(out.parent.glob(".*tmp-*")), "the work folder is removed"


def test_ensure_model_converts_once_and_again_only_when_the_record_no_longer_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "tiny.bin"
    write_tiny_model(source)
    root = tmp_path / "cache"
    calls = []
    import qa.encoder.convert as conv

    real = conv.convert
    monkeypatch.setattr(conv, "convert", lambda s, o: calls.append(o) or real(s, o))
    folder = ensure_model(root, source)
    assert is_current(folder, source) and len(calls) == 1
    assert ensure_model(root, source) == folder and len(calls) == 1  # kept
    meta = json.loads((folder / META_FILE).read_text())
    (folder / META_FILE).write_text(json.dumps({**meta, "converter_version": 0}))
    assert ensure_model(root, source) == folder and len(calls) == 2  # an older converter's folder is made again
    assert read_record(folder).converter_version == conv.CONVERTER_VERSION
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [folder.name]


def test_qa_models_makes_the_folder_once_and_describes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import run_cli

    import qa.encoder.convert as conv

    source = tmp_path / "tiny.bin"
    write_tiny_model(source)
    monkeypatch.setattr(conv, "bundled_model_file", lambda: source)
    monkeypatch.setenv("QA_MODELS_DIR", str(tmp_path / "models"))
    code, out, err = run_cli(capsys, "models", "--json")
    assert code == 0, err
    info = json.loads(out)
    assert Path(info["folder"]).parent == tmp_path / "models"
    assert info["source_sha256"] == read_e5_file(source).sha256 and "MIT" in info["licence"]
    assert (Path(info["folder"]) / "modules.json").is_file()
