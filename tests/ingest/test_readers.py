"""Loading .txt / .md / .pdf / .docx files, and the errors users see for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingest import readers as documents
from qa.ingest.clean import clean
from qa.ingest.readers import SUPPORTED_SUFFIXES, content_hash, iter_documents, load_document

ZH = "西夏区政协五届三次会议和闭会期间共立\n案41件，区委和政府专项安排100万元提案办理资金。\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".docx")


def test_utf8_text_file(tmp_path):
    doc = load_document(write(tmp_path / "report.txt", ZH))
    assert doc.source == "report.txt"
    assert doc.raw_text == ZH
    assert doc.pages == ()


def test_utf8_bom_and_crlf_are_normalised(tmp_path):
    doc = load_document(write(tmp_path / "a.md", b"\xef\xbb\xbf" + ZH.replace("\n", "\r\n").encode("utf-8")))
    assert doc.raw_text == ZH


def test_gb18030_file_decodes(tmp_path):
    doc = load_document(write(tmp_path / "gbk.txt", ZH.encode("gb18030")))
    assert doc.raw_text == ZH


def test_utf16_with_bom_decodes(tmp_path):
    doc = load_document(write(tmp_path / "u16.txt", ZH.encode("utf-16")))
    assert doc.raw_text == ZH


def test_source_is_relative_to_root(tmp_path):
    f = write(tmp_path / "sub" / "dir" / "r.md", ZH)
    assert load_document(f, root=tmp_path).source == "sub/dir/r.md"


@pytest.mark.parametrize(
    "name, data, needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", " \n\u3000\n\t\n", "no text"),
        ("image.txt", PNG, "binary"),
        ("table.csv", "a,b\n1,2\n", "unsupported"),
    ],
)
def test_bad_files_raise_input_error_naming_the_file(tmp_path, name, data, needle):
    with pytest.raises(InputError) as err:
        load_document(write(tmp_path / name, data))
    msg = str(err.value)
    assert name in msg and needle in msg and "\n" not in msg


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: file not found"):
        load_document(tmp_path / "nope.txt")


def test_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError, match="big.txt: file too large"):
        load_document(write(tmp_path / "big.txt", ZH))


def test_folder_skips_bad_files_and_reports_them(tmp_path):
    write(tmp_path / "good.txt", ZH)
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "binary.md", PNG)
    write(tmp_path / ".hidden.txt", ZH)  # hidden: skipped silently
    write(tmp_path / "notes.csv", "a,b\n")  # unsupported: skipped silently
    docs, errors = iter_documents([tmp_path])
    assert [d.source for d in docs] == ["good.txt"]
    assert len(errors) == 2
    assert any("empty.txt" in e for e in errors) and any("binary.md" in e for e in errors)


def test_folder_is_walked_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "b.txt", ZH)
    write(tmp_path / "a" / "c.md", ZH)
    write(tmp_path / ".git" / "x.txt", ZH)
    docs, errors = iter_documents([tmp_path])
    assert [d.source for d in docs] == ["a/c.md", "b.txt"]
    assert errors == []


def test_single_files_use_their_own_name(tmp_path):
    f1 = write(tmp_path / "one" / "r.txt", ZH)
    f2 = write(tmp_path / "two" / "s.txt", ZH)
    docs, errors = iter_documents([f1, f2, tmp_path / "missing.txt"])
    assert [d.source for d in docs] == ["r.txt", "s.txt"]
    assert errors == ["missing.txt: file not found"]


def test_docx_paragraphs_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("提案办理", level=1)
    d.add_paragraph("西夏区政协五届三次会议和闭会期间共立案41件。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "办复率", "100%"
    path = tmp_path / "r.docx"
    d.save(str(path))
    doc = load_document(path)
    assert "共立案41件" in doc.raw_text and "办复率 | 100%" in doc.raw_text
    passages = clean(doc.raw_text)
    assert (passages[0].kind, passages[0].text) == ("heading", "提案办理")
    assert passages[1].text == "西夏区政协五届三次会议和闭会期间共立案41件。"
    assert passages[1].section == "提案办理"


def _make_pdf(path: Path, pages: list[list[str]]) -> Path:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(str(path)) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(5, 3))
            for i, line in enumerate(lines):
                fig.text(0.05, 0.9 - 0.1 * i, line)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def test_pdf_text_and_pages(tmp_path):
    path = _make_pdf(
        tmp_path / "r.pdf",
        [
            ["The committee filed 41 proposals", "during the annual session."],
            ["Funding reached one million yuan."],
        ],
    )
    doc = load_document(path)
    assert "41 proposals" in doc.raw_text and "one million yuan" in doc.raw_text
    assert len(doc.pages) == 2
    first, second = doc.pages
    assert doc.raw_text[first[0] : first[1]].startswith("The committee")
    assert doc.page_of(doc.raw_text.index("one million")) == 2
    assert clean(doc.raw_text)[0].text == "The committee filed 41 proposals during the annual session."


def test_pdf_without_text_says_it_may_be_scanned(tmp_path):
    path = _make_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(InputError, match="scan.pdf: .*scanned"):
        load_document(path)


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_corrupt_pdf_and_docx(tmp_path, name):
    with pytest.raises(InputError, match=f"{name}: cannot read"):
        load_document(write(tmp_path / name, b"%PDF-1.4 garbage " + PNG))


def test_content_hash():
    h = content_hash("以实干实效书写高质量履职答卷")
    assert h == content_hash("以实干实效书写高质量履职答卷") and len(h) == 16
    assert h != content_hash("以实干实效书写高质量履职答卷。")
