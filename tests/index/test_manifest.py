"""The typed manifest: a real manifest.json round-trips exactly, damage is an IndexProblem, old keys still load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings
from qa.errors import IndexProblem
from qa.index import store
from qa.index.build import add_documents, build_index, compact, remove_documents
from qa.index.embedders import FakeEmbedder
from qa.index.manifest import FORMAT_VERSION, EmbedderRecord, Manifest

pytestmark = pytest.mark.usefixtures("fast_lexicon")


def manifest_file(idx: Path) -> Path:
    build = store.current_build(idx)
    assert build is not None
    return build / "manifest.json"


def on_disk(idx: Path) -> dict[str, Any]:
    return json.loads(manifest_file(idx).read_text(encoding="utf-8"))


def minimal(**changes: Any) -> dict[str, Any]:
    """The smallest manifest this qa reads (as an older qa may have written it)."""
    d: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "embedder": {"name": "fake", "dim": FakeEmbedder().dim},
        "segments": [],
        "n_chunks": 0,
    }
    return {k: v for k, v in {**d, **changes}.items() if v is not None}


def test_a_real_manifest_round_trips_to_the_same_json(corpus: Path, tmp_path: Path, fake_settings: Settings):
    idx = tmp_path / "idx"
    extra = tmp_path / "c.txt"
    extra.write_text("西夏区政协召开协商会议5次，提出建议12条。", encoding="utf-8")
    steps = [
        lambda: build_index([corpus], idx, fake_settings),
        lambda: remove_documents(idx, ["b.txt"]),  # deleted rows, removed sources, an excluded file
        lambda: add_documents(idx, [extra]),  # a second segment
        lambda: compact(idx),  # merged: the marks go, the rest is written back as it was
    ]
    marked = False
    for step in steps:
        step()
        d = on_disk(idx)
        marked = marked or any("deleted" in s and "removed" in s for s in d["segments"])
        assert "chunker" in d and "contract" not in d
        m = Manifest.from_dict(d)
        assert m.to_dict() == d
        text = json.dumps(m.to_dict(), ensure_ascii=False, indent=1)
        assert text == manifest_file(idx).read_text(encoding="utf-8")  # key order too
    assert marked and d["excluded"] == ["b.txt"] and len(d["segments"]) == 1 and "removed" not in d["segments"][0]


def test_read_manifest_is_typed_with_the_live_documents(corpus: Path, tmp_path: Path, fake_settings: Settings):
    idx = tmp_path / "idx"
    built, _ = build_index([corpus], idx, fake_settings)
    m = store.read_manifest(idx)
    assert isinstance(m, Manifest) and m.embedder == EmbedderRecord("fake", FakeEmbedder().dim)
    assert m.contract == fake_settings.index_params() == built.contract
    assert set(m.documents) == {"a.txt", "b.txt"} == set(built.documents)
    assert m.roots == (str(corpus.resolve()),) and m.excluded == () and m.n_chunks == built.n_chunks > 0
    assert "documents" not in m.to_dict()


def test_an_old_manifest_whose_key_is_chunker_loads_into_contract():
    contract = {"embedder": "fake", "chunk_size": 300, "chunk_overlap": 40, "min_chunk": 10}
    m = Manifest.from_dict(minimal(chunker=contract))
    assert m.contract == contract and m.backend == {"name": "embedded"} and m.roots == ()
    assert m.n_documents is None and m.built_at is None and m.versions is None and m.embedded_now is None
    out = m.to_dict()
    assert out["chunker"] == contract and "contract" not in out
    assert not {"n_documents", "built_at", "versions", "embedded_now"} & set(out)  # absent keys stay absent


def test_unknown_keys_are_kept():
    d = minimal(chunker={}, future_key={"a": [1, 2]})
    m = Manifest.from_dict(d)
    assert m.extra == {"future_key": {"a": [1, 2]}} and m.to_dict()["future_key"] == {"a": [1, 2]}


@pytest.mark.parametrize(
    "d, message",
    [
        ([], "is not an object"),
        (minimal(format_version=FORMAT_VERSION + 1), f"has format {FORMAT_VERSION + 1}"),
        ({k: v for k, v in minimal().items() if k != "embedder"}, "lacks the embedder"),
        (minimal(embedder={"name": "fake", "dim": "64"}), "lacks the embedder"),
        (minimal(embedder={"name": "no-such-model", "dim": 64}), "unknown embedder"),
        (minimal(segments=None), "no valid segment list"),
        (minimal(segments=[{"name": "../x"}]), "no valid segment list"),
        (minimal(segments=[{"name": "s-1", "deleted": {}}]), "no valid segment list"),
        (minimal(n_chunks="3"), "n_chunks is not a int"),
        (minimal(n_chunks=None), "lacks n_chunks"),
        (minimal(roots="data"), "roots is not a list"),
        (minimal(chunker=[300]), "chunker is not a dict"),
        (minimal(folders=[]), "folders is not a dict"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_damaged_manifest_is_refused(d: Any, message: str):
    with pytest.raises(IndexProblem, match=message) as err:
        Manifest.from_dict(d, Path("some/idx"))
    assert "some/idx" in str(err.value) and "qa build" in str(err.value)
