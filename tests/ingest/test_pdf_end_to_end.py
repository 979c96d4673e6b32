"""A Chinese PDF goes through loading, cleaning, indexing and answering, and citations name its page."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.index.build import build_index

PAGES = [
    "青山县2023年农业农村工作情况\n\n全年新建日光温室358座，设施蔬菜种植面积\n达到1.2万亩，带动农户增收。",
    "二、民生保障\n\n全县改造农村公路86公里，新建村级\n卫生室12个，惠及群众3.4万人。",
]


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        if any(name in path.lower() for name in ("wqy", "notosanscjk", "notoserifcjk", "droidsansfallback")):
            return path
    return None


@pytest.fixture(scope="module")
def pdf_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK font installed to draw a Chinese PDF (apt-get install fonts-wqy-microhei)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages

    plt.rcParams["pdf.fonttype"] = 42  # TrueType with a ToUnicode map: the text layer is extractable
    docs = tmp_path_factory.mktemp("pdfdocs")
    with PdfPages(docs / "county.pdf") as pdf:
        for text in PAGES:
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.85, text, fontproperties=font_manager.FontProperties(fname=font), fontsize=12)
            pdf.savefig(fig)
            plt.close(fig)
    index = tmp_path_factory.mktemp("pdfidx") / "index"
    build_index([docs], index, Settings(embedder="fake"))
    return index


def test_a_question_about_page_two_cites_page_two(pdf_index: Path) -> None:
    answer = Assistant.load(pdf_index).ask("全县改造农村公路多少公里？")
    assert answer.answer.startswith("86公里")
    assert answer.citations[0].source == "county.pdf"
    assert answer.citations[0].page == 2


def test_a_line_broken_in_the_pdf_is_joined(pdf_index: Path) -> None:
    answer = Assistant.load(pdf_index).ask("设施蔬菜种植面积达到多少亩？")
    assert answer.span == "1.2万亩"
    assert "设施蔬菜种植面积达到1.2万亩" in answer.citations[0].text
    assert answer.citations[0].page == 1
