"""Shared fixtures for the core tests: small Chinese documents and a fake-embedder index."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "xixia_cppcc_2024_highlights.txt"

# Hard-wrapped fragments copied from the bundled report.
PROPOSALS = """在提案办理中彰显为民情怀。推行“三强化
三提升”提案办理流程，落实与政府协同推进提案
督办机制，通过党政领办、政协督办、委员参与、部
门落实，西夏区政协五届三次会议和闭会期间共立
案41件，区委和政府专项安排100万元提案办理资
金，在闭会期间为两镇七街各办理一件民生实事提
案，解决了一批长期困扰基层的民生痛点难点问
题，提案办复率、满意率均达100%。
"""

VISITS = """围绕民生关切联动协商。紧密联
系自治区、银川市政协，聚焦事业发展
和民生短板，联动协商议政，合力纾困
解难。自治区政协主席陈雍 6次到西夏
区调研企业经营、贺兰山东麓应急救援
中心建设、社区食堂建设、严重精神障
碍患者救治服务等工作，协调自治区有
关部门帮助解决问题。协调
农工党中央、中国国际投资促进会向镇
北堡卫生院捐赠价值 350万元的CT机、
救护车。
"""


def plain_signals(**changed: Any) -> Any:
    """Signals of typed, Chinese evidence at rank 0 that lacks nothing the question names, with `changed` set."""
    from qa.answer.confidence import Signals

    base: dict[str, Any] = dict(
        coverage=0.5, dense=0.3, typed=True, missing_span=1.0, unknown_names=0, focus_missing=0.0, phrases_missing=0,
        places_absent=0, numbers_near=0, numbers_absent=0, years_covered=0, aim_mismatch=False, rank=0, english=False,
    )  # fmt: skip
    return Signals(**{**base, **changed})


@pytest.fixture(scope="session")
def fast_lexicon():
    """Memoise build_lexicon (a pure function that re-reads all of CC-CEDICT, ~2 s) across in-process builds."""
    from qa.index import store

    real = store.build_lexicon
    memo: dict[tuple[str, ...], dict] = {}

    def cached(texts):
        key = tuple(texts)
        if key not in memo:
            memo[key] = real(key)
        return memo[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "build_lexicon", cached)
        yield


@pytest.fixture
def fake_settings() -> Settings:
    """Settings with the deterministic fake embedder (fast, no model)."""
    return Settings(embedder="fake")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with two small Chinese reports: a.txt (proposals) and b.txt (visits)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(PROPOSALS, encoding="utf-8")
    (folder / "b.txt").write_text(VISITS, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def report_index(tmp_path_factory: pytest.TempPathFactory, fast_lexicon: None) -> Path:
    """A fake-embedder index of a copy of the bundled report (built once; treat as read-only)."""
    from qa.index.build import build_index

    base = tmp_path_factory.mktemp("report")
    data = base / "data"
    data.mkdir()
    shutil.copy(REPORT, data / REPORT.name)
    build_index([data], base / "index", Settings(embedder="fake"))
    return base / "index"


def assistant_over(tmp_path_factory: pytest.TempPathFactory, docs: dict[str, str]) -> Any:
    """An Assistant over a fake-embedder index of `docs` (file name -> text), built in a fresh folder."""
    from qa.assistant import Assistant
    from qa.index.build import build_index

    base = tmp_path_factory.mktemp("docs")
    folder = base / "docs"
    folder.mkdir()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    build_index([folder], base / "index", Settings(embedder="fake"))
    return Assistant.load(base / "index")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Call `qa ARGV` in-process: (exit code, stdout, stderr); argparse exits become exit codes."""
    from qa.cli.main import main

    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return rc, out, err


@contextmanager
def served(index: Path, holder: Any = None, auth: tuple[str, str] | None = None) -> Iterator[str]:
    """The web app on `index` served on a free local port for the block's duration; yields its base URL."""
    from qa.web.app import create_app, launch_app

    demo = create_app(index, holder=holder, preload=False, watch=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    launch_app(demo, port=port, auth=auth, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        demo.close()
