"""Walking folders: links, names that are not UTF-8, special files and hidden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import InputError
from qa.ingest.readers import iter_documents, load_document, walk_folder

ZH = "西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理资金。\n"


def write(path: Path, text: str = ZH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "good.txt")
    return root


def test_a_link_to_a_file_outside_the_folders_given_is_reported_and_not_read(tmp_path, folder):
    secret = write(tmp_path / "elsewhere" / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "etc.txt").symlink_to("/etc/passwd")
    docs, errors = iter_documents([folder])
    assert [d.source for d in docs] == ["good.txt"]
    assert errors == [
        "etc.txt: skipped, a link to a file outside the folders given",
        "passwd.txt: skipped, a link to a file outside the folders given",
    ]


def test_broken_looping_and_folder_links_are_reported(folder):
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder link back up: would loop if followed
    (folder / "ignored.csv").symlink_to(folder / "nothing.csv")  # unsupported type: not reported
    docs, errors = iter_documents([folder])
    assert [d.source for d in docs] == ["good.txt"]
    assert errors == [
        "gone.txt: skipped, a broken link (its target does not exist)",
        "loop.md: skipped, a link that loops",
        "sub/up: skipped, a link to a folder (links to folders are not followed)",
    ]


def test_a_link_inside_the_folders_is_followed_once(tmp_path, folder):
    write(folder / ".archive" / "2023.txt", ZH.replace("41", "38"))  # hidden: only reachable by the link
    (folder / "last_year.txt").symlink_to(folder / ".archive" / "2023.txt")
    (folder / "alias.txt").symlink_to(folder / "good.txt")  # same file as good.txt: read once, as good.txt
    other = write(tmp_path / "more" / "extra.md").parent
    (folder / "extra.txt").symlink_to(other / "extra.md")  # into another folder given: read there, as extra.md
    docs, errors = iter_documents([folder, other])
    assert [d.source for d in docs] == ["good.txt", "last_year.txt", "extra.md"]
    assert errors == []
    assert next(d for d in docs if d.source == "last_year.txt").raw_text == ZH.replace("41", "38")


def test_a_name_that_is_not_utf8_is_skipped_and_the_build_goes_on(tmp_path, folder, fast_lexicon):
    from qa.index.build import build_index

    raw = os.path.join(os.fsencode(folder), b"caf\xe9 \xb1\xa8\xb8\xe6.txt")  # a Latin-1 / GBK name
    with open(raw, "wb") as f:
        f.write(ZH.encode("utf-8"))
    docs, errors = iter_documents([folder])
    assert [d.source for d in docs] == ["good.txt"]
    assert errors == [
        r"caf\xe9 \xb1\xa8\xb8\xe6.txt: skipped, its name is not valid UTF-8 (rename the file to index it)"
    ]
    manifest, skipped = build_index([folder], tmp_path / "index", Settings(embedder="fake"))
    assert list(manifest.documents) == ["good.txt"] and skipped == errors


def test_a_folder_name_that_is_not_utf8(tmp_path):
    bad = os.path.join(os.fsencode(tmp_path), b"\xb1\xa8\xb8\xe6")
    os.mkdir(bad)
    with open(os.path.join(bad, b"r.txt"), "wb") as f:
        f.write(ZH.encode("utf-8"))
    docs, errors = iter_documents([Path(os.fsdecode(bad))])
    assert docs == [] and errors == [
        r"r.txt: skipped, the name of a folder above it is not valid UTF-8 (rename the folder)"
    ]


def test_a_fifo_with_a_supported_suffix_is_reported_not_read(folder):
    os.mkfifo(folder / "pipe.txt")  # reading it would block the build forever
    docs, errors = iter_documents([folder])
    assert [d.source for d in docs] == ["good.txt"]
    assert errors == ["pipe.txt: skipped, not a regular file"]


def test_hidden_files_are_left_out_of_folders_but_read_when_given_by_name(folder):
    hidden = write(folder / ".hidden.txt")
    write(folder / ".cache" / "x.txt")
    assert [d.source for d in iter_documents([folder])[0]] == ["good.txt"]
    docs, errors = iter_documents([hidden])
    assert [d.source for d in docs] == [".hidden.txt"] and errors == []
    assert load_document(hidden).source == ".hidden.txt"


def test_walk_folder_lists_what_is_read_and_why_the_rest_is_not(folder):
    write(folder / "b" / "c.md")
    (folder / "z.txt").symlink_to("/etc/hostname")
    listed = [(p.relative_to(folder).as_posix(), reason) for p, reason in walk_folder(folder)]
    assert listed == [
        ("b/c.md", None),
        ("good.txt", None),
        ("z.txt", "z.txt: skipped, a link to a file outside the folders given"),
    ]


def test_walk_folder_reports_the_folders_it_walks(folder):
    write(folder / "b" / "c.md")
    write(folder / ".git" / "x.txt")
    (folder / "linked").symlink_to(folder / "b")
    walked: list[str] = []
    list(walk_folder(folder, on_folder=lambda p: walked.append(p.relative_to(folder).as_posix())))
    assert walked == [".", "b"]


def test_links_of_unsupported_types_are_left_out_silently(folder):
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "dangling.csv").symlink_to(folder / "none.csv")
    assert iter_documents([folder]) == ([load_document(folder / "good.txt", folder)], [])


def test_load_document_with_a_root_keeps_links_inside_it(tmp_path, folder):
    secret = write(tmp_path / "elsewhere" / "notes.txt", "机密\n")
    (folder / "notes.txt").symlink_to(secret)
    (folder / "away").symlink_to(secret.parent, target_is_directory=True)
    for path in (folder / "notes.txt", folder / "away" / "notes.txt"):
        with pytest.raises(InputError, match="skipped, a link to a file outside the folders given"):
            load_document(path, root=folder)
    assert load_document(folder / "notes.txt").raw_text == "机密\n"  # given by name: read as given
    assert load_document(secret, root=folder).source == "notes.txt"  # not under the root at all: its name


def test_qa_build_does_not_index_a_link_out_of_the_folder(tmp_path, folder, fast_lexicon):
    from qa.index.build import build_index

    (folder / "passwd.txt").symlink_to("/etc/passwd")
    manifest, skipped = build_index([folder], tmp_path / "index", Settings(embedder="fake"))
    assert list(manifest.documents) == ["good.txt"]
    assert skipped == ["passwd.txt: skipped, a link to a file outside the folders given"]


def test_load_document_of_a_looping_link_is_an_input_error(folder):
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    for root in (None, folder):
        with pytest.raises(InputError, match=r"^loop\.txt: skipped, a link that loops$"):
            load_document(folder / "loop.txt", root)


def test_qa_build_goes_on_past_a_looping_link(tmp_path, folder, fast_lexicon):
    from qa.index.build import build_index

    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    manifest, skipped = build_index([folder], tmp_path / "index", Settings(embedder="fake"))
    assert list(manifest.documents) == ["good.txt"]
    assert skipped == ["loop.txt: skipped, a link that loops"]
