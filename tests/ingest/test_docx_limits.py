""".docx files: zip bombs are refused quickly with bounded memory; the streamed reader keeps headings and tables.

Each bomb is built here, in a temp folder: small on disk, huge once expanded. The loads that could blow up run
in a child process with a memory ceiling and a timeout, which report their time and peak memory.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingest import docx as docx_reader
from qa.ingest.readers import load_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
TAIL = b"</w:body></w:document>"


def write_docx(path: Path, body: bytes | str, styles: str | None = None, repeat: int = 1, zip64: bool = True) -> Path:
    """A minimal .docx whose word/document.xml is `body` repeated `repeat` times, streamed into the zip."""
    chunk = body.encode() if isinstance(body, str) else body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        if styles is not None:
            zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles}</w:styles>')
        with zf.open("word/document.xml", "w", force_zip64=zip64) as f:
            f.write(HEAD)
            block = chunk * 10_000 if repeat >= 10_000 else chunk
            for _ in range(repeat // 10_000 if repeat >= 10_000 else repeat):
                f.write(block)
            f.write(TAIL)
    return path


CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
    import lxml.etree, zipfile, docx  # what either reader imports, before the baseline
    from qa.errors import InputError
    from qa.ingest.readers import load_document
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    try:
        load_document(Path(sys.argv[1]))
        error = None
    except InputError as exc:
        error = str(exc)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": time.monotonic() - start, "grew_mb": (peak - base) / 1024, "error": error}))
    """
)


def load_in_child(path: Path, timeout: float = 60) -> dict:
    """Load `path` in a child process capped at 1.5 GB of address space: its time, memory growth and error."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path.name} ran for more than {timeout} s")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KB on disk -> {result}")
    return result


def test_a_docx_expanding_to_200_mb_of_xml_is_refused_before_it_is_parsed(tmp_path):
    # the probe's bomb: about 600 KB on disk, 6 million paragraphs in 200 MB of XML
    path = write_docx(tmp_path / "bomb.docx", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>", repeat=6_000_000)
    assert path.stat().st_size < 1024 * 1024
    result = load_in_child(path)
    assert result["error"].startswith("bomb.docx: refused, word/document.xml expands to 195 MB (the limit is 64 MB)")
    assert "\n" not in result["error"]
    assert result["seconds"] < 2
    assert result["grew_mb"] < 50


def test_a_docx_with_millions_of_paragraphs_under_the_size_limit_is_refused_at_the_paragraph_limit(tmp_path):
    # 6 million empty paragraphs in 36 MB of XML: under the size limit, so the paragraph count stops it
    path = write_docx(tmp_path / "paras.docx", b"<w:p/>", repeat=6_000_000)
    result = load_in_child(path)
    assert result["error"] == (
        "paras.docx: refused, it has more than 200,000 paragraphs (the limit); the Word file may be a zip bomb"
    )
    assert result["seconds"] < 10
    assert result["grew_mb"] < 50


def test_a_docx_whose_zip_header_understates_the_size_is_still_cut_off(tmp_path):
    path = write_docx(tmp_path / "liar.docx", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>", repeat=3_000_000, zip64=False)
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    struct.pack_into("<I", data, entry + 24, 1_000_000)  # the central directory now claims 1 MB
    path.write_bytes(bytes(data))
    result = load_in_child(path)
    assert result["error"].startswith("liar.docx: cannot read the Word file")  # zipfile stops at 1 MB: bad CRC
    assert result["seconds"] < 5
    assert result["grew_mb"] < 50


def test_a_zip_with_too_many_parts_is_refused_before_its_directory_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_MEMBERS", 50)
    path = write_docx(tmp_path / "parts.docx", "<w:p><w:r><w:t>正文</w:t></w:r></w:p>")
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(60):
            zf.writestr(f"word/media/x{i}.bin", b"")
    with pytest.raises(InputError, match=r"^parts\.docx: refused, the zip has 63 parts \(the limit is 50\)"):
        load_document(path)


def test_parsing_is_time_boxed(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_PARSE_SECONDS", 0.0)
    path = write_docx(tmp_path / "slow.docx", "<w:p><w:r><w:t>正文</w:t></w:r></w:p>", repeat=5_000)
    with pytest.raises(InputError, match=r"^slow\.docx: refused, reading it took more than 0 s \(the limit\)"):
        load_document(path)


def test_the_expanded_size_is_counted_while_reading(tmp_path, monkeypatch):
    path = write_docx(tmp_path / "big.docx", "<w:p><w:r><w:t>正文</w:t></w:r></w:p>", repeat=20_000)
    zf = zipfile.ZipFile(path)
    stream = docx_reader._Capped(zf.open("word/document.xml"), 100_000, "word/document.xml")
    with pytest.raises(docx_reader._Limit, match="expands to more than 0 MB"):
        while stream.read(65536):
            pass
    zf.close()


def test_a_normal_sized_docx_reads_quickly(tmp_path):
    path = write_docx(
        tmp_path / "long.docx",
        "<w:p><w:r><w:t>区委和政府专项安排100万元提案办理资金。</w:t></w:r></w:p>",
        repeat=30_000,
    )
    doc = load_document(path)
    assert doc.raw_text.count("提案办理资金") == 30_000


STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="List Paragraph"/></w:style>'
)


def para(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def test_heading_styles_are_found_by_name_whatever_their_id(tmp_path):
    body = para("年度报告", "a3") + para("提案办理", "1") + para("办理成效", "2") + para("正文。", "a5")
    doc = load_document(write_docx(tmp_path / "styles.docx", body, styles=STYLES))
    assert doc.raw_text == "# 年度报告\n\n# 提案办理\n\n## 办理成效\n\n正文。"


def test_run_content_tracked_insertions_hyperlinks_and_text_boxes(tmp_path):
    body = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:br w:type='page'/></w:r>"
        "<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
        "</w:p>"
    )
    doc = load_document(write_docx(tmp_path / "runs.docx", body))
    assert doc.raw_text == "甲\t乙\n丙链接插入"


def test_tables_one_row_per_line_merged_cells_once(tmp_path):
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text) if text else '<w:p/>'}</w:tc>"

    span, restart, cont = '<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = (
        "<w:tbl>"
        f"<w:tr>{tc('指标', span)}{tc('数值')}</w:tr>"
        f"<w:tr>{tc('办复率', restart)}{tc('2024')}{tc('100%')}</w:tr>"
        f"<w:tr>{tc('', cont)}{tc('2023')}{tc('100%')}</w:tr>"
        "</w:tbl>"
    )
    doc = load_document(write_docx(tmp_path / "table.docx", para("表一", "1") + table, styles=STYLES))
    assert doc.raw_text == "# 表一\n\n指标 | 数值\n办复率 | 2024 | 100%\n2023 | 100%"


def test_python_docx_output_still_reads_the_same(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("提案办理", level=1)
    d.add_heading("报告标题", level=0)
    d.add_paragraph("西夏区政协共立案41件。")
    table = d.add_table(rows=2, cols=3)
    for (i, j), text in {(0, 0): "指标", (0, 2): "数值", (1, 0): "办复率", (1, 1): "满意率", (1, 2): "100%"}.items():
        table.cell(i, j).text = text
    table.cell(0, 0).merge(table.cell(0, 1))
    d.save(str(tmp_path / "r.docx"))
    doc = load_document(tmp_path / "r.docx")
    assert doc.raw_text == "# 提案办理\n\n# 报告标题\n\n西夏区政协共立案41件。\n\n指标 | 数值\n办复率 | 满意率 | 100%"


@pytest.mark.parametrize(
    "name, data",
    [("notzip.docx", b"PK\x03\x04 not really a zip"), ("nodoc.docx", None), ("badxml.docx", b"<w:p><w:r>")],
)
def test_damaged_docx_files_say_so_in_one_line(tmp_path, name, data):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", CONTENT_TYPES)
    elif data.startswith(b"PK"):
        path.write_bytes(data)
    else:
        write_docx(path, data)
    with pytest.raises(InputError, match=rf"^{name}: cannot read the Word file \(corrupt or not a \.docx"):
        load_document(path)


def test_an_xml_entity_bomb_is_not_expanded(tmp_path):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(8))
        + b"]>"
    )
    path = tmp_path / "lol.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("_rels/.rels", RELS)
        zf.writestr(
            "word/document.xml",
            lol
            + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&i;</w:t>'.encode()
            + b"</w:r></w:p></w:body></w:document>",
        )
    with pytest.raises(InputError) as err:
        load_document(path)
    assert str(err.value).startswith("lol.docx: ")
