"""dspt adopt's inputs: files and folders read into Sources, or skipped with a reason."""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
import zlib

import docx
import pytest
from docx.shared import Inches

from dsptkit.adopt.sources import MAX_BYTES, gather


def _by_path(sources):
    return {s.path: s for s in sources}


def test_a_folder_is_read_recursively_in_order_of_path_with_hidden_files_skipped(tmp_path):
    root = tmp_path / "docs"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]")
    (root / "z.md").write_text("# Z\n")
    (root / "a.txt").write_text("plain\n")
    (root / "b" / "c.markdown").write_text("# C\n")
    (root / ".hidden.md").write_text("# secret\n")
    folder = str(root)
    found = gather([folder])
    assert [s.path for s in found] == [f"{folder}/.git", f"{folder}/.hidden.md", f"{folder}/a.txt",
                                       f"{folder}/b/c.markdown", f"{folder}/z.md"]
    by = _by_path(found)
    assert by[f"{folder}/.git"].skipped == "a hidden folder: not searched"
    assert by[f"{folder}/.hidden.md"].skipped == "a hidden file"
    assert by[f"{folder}/a.txt"].fmt == "text" and by[f"{folder}/a.txt"].text == "plain\n"
    assert by[f"{folder}/b/c.markdown"].fmt == "markdown"
    raw = (root / "z.md").read_bytes()
    assert by[f"{folder}/z.md"].sha256 == hashlib.sha256(raw).hexdigest()


def test_paths_keep_the_form_they_were_given_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("docs")
    open("docs/x.md", "w").close()
    assert [s.path for s in gather(["docs/"])] == ["docs/x.md"]
    assert [s.path for s in gather(["./docs"])] == ["./docs/x.md"]
    assert [s.path for s in gather(["."])] == ["docs/x.md"]
    assert [s.path for s in gather(["docs/x.md", "docs"])] == ["docs/x.md"]  # once only


def test_front_matter_is_split_off_and_line_numbers_follow(tmp_path):
    path = tmp_path / "p.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Access control\r\nversion: 2.0\r\n---\r\n# Access\r\n")
    source = gather([str(path)])[0]
    assert source.skipped is None
    assert source.front == {"title": "Access control", "version": 2.0}
    assert source.text == "# Access\n"
    assert source.front_lines == 4
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # of the original bytes


def test_broken_front_matter_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: A\nowner: [unclosed\n---\nbody\n")
    source = gather([str(path)])[0]
    assert source.skipped and "not valid YAML" in source.skipped and "line" in source.skipped


def test_a_rule_or_prose_between_dashes_is_not_front_matter(tmp_path):
    unclosed = tmp_path / "a.md"
    unclosed.write_text("---\n# Title\n\nText\n")
    prose = tmp_path / "b.md"
    prose.write_text("---\n# Policy title\n---\nBody\n")
    empty = tmp_path / "c.md"
    empty.write_text("---\n---\nBody\n")
    by = _by_path(gather([str(unclosed), str(prose), str(empty)]))
    assert by[str(unclosed)].text == "---\n# Title\n\nText\n" and by[str(unclosed)].front is None
    assert by[str(prose)].text.startswith("---\n# Policy title") and by[str(prose)].front is None
    assert by[str(empty)].text == "Body\n" and by[str(empty)].front == {}


def test_text_files_keep_a_leading_rule_and_have_no_front_matter(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("---\ntitle: not front matter in a .txt\n---\n")
    source = gather([str(path)])[0]
    assert source.front is None and source.text.startswith("---\ntitle")


@pytest.mark.parametrize("raw, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    (b"caf\xe9 policy\n", "not UTF-8"),
    ("Policy\n".encode("utf-16"), "UTF-16"),
])
def test_undecodable_markdown_is_skipped_with_a_reason(tmp_path, raw, reason):
    path = tmp_path / "p.md"
    path.write_bytes(raw)
    source = gather([str(path)])[0]
    assert source.skipped and reason in source.skipped
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_other_files_are_skipped_saying_what_adopt_reads(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "Makefile").write_text("all:\n")
    (tmp_path / "~$policy.docx").write_bytes(b"lock")
    by = _by_path(gather([str(tmp_path)]))
    assert "'.pdf' file" in by[f"{tmp_path}/scan.pdf"].skipped
    assert ".docx" in by[f"{tmp_path}/scan.pdf"].skipped
    assert "without an extension" in by[f"{tmp_path}/Makefile"].skipped
    assert "lock file" in by[f"{tmp_path}/~$policy.docx"].skipped


def test_large_files_and_missing_paths_are_skipped(tmp_path):
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    found = gather([str(big), str(tmp_path / "nope.md")])
    assert "over the 5 MiB limit" in found[0].skipped
    assert found[1].skipped == "not found"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "ok.md").write_text("# ok\n")
    by = _by_path(gather([str(tmp_path)]))
    assert by[f"{tmp_path}/pipe.md"].skipped == "not a regular file (a named pipe)"
    assert by[f"{tmp_path}/ok.md"].skipped is None


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_links_never_lead_outside_the_folders_given(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("# secret\n")
    root = tmp_path / "docs"
    root.mkdir()
    (root / "real.md").write_text("# real\n")
    os.symlink(outside, root / "escape.md")
    os.symlink(root / "real.md", root / "alias.md")
    os.symlink(tmp_path / "missing.md", root / "broken.md")
    os.symlink(root, root / "loop")
    by = _by_path(gather([str(root)]))
    assert "outside the folders given" in by[f"{root}/escape.md"].skipped
    assert "read under its own name" in by[f"{root}/alias.md"].skipped
    assert "does not exist" in by[f"{root}/broken.md"].skipped
    assert "a link to a folder" in by[f"{root}/loop"].skipped
    assert by[f"{root}/real.md"].text == "# real\n"
    assert all(s.text != "# secret\n" for s in by.values())


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_skipped(tmp_path):
    path = tmp_path / "locked.md"
    path.write_text("# x\n")
    path.chmod(0)
    try:
        assert gather([str(path)])[0].skipped == "cannot be read (permission denied)"
    finally:
        path.chmod(0o644)


def test_hostile_names_are_read_or_skipped_never_fatal(tmp_path):
    (tmp_path / "Access Control Policy (v2).md").write_text("# AC\n")
    (tmp_path / "Política de privacidad ✓.md").write_text("# PP\n")
    (tmp_path / "line\nbreak.md").write_text("# LB\n")
    by = _by_path(gather([str(tmp_path)]))
    assert by[f"{tmp_path}/Access Control Policy (v2).md"].text == "# AC\n"
    assert by[f"{tmp_path}/Política de privacidad ✓.md"].text == "# PP\n"
    assert "line break" in by[f"{tmp_path}/line\nbreak.md"].skipped


def _png() -> bytes:
    """A one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def _word(path):
    document = docx.Document()
    document.add_heading("Information Security Policy", level=1)
    paragraph = document.add_paragraph("Version: ")
    paragraph.add_run("2.0").bold = True
    document.add_heading("Scope", level=2)
    document.add_paragraph("All staff and contractors.")
    document.add_paragraph("Laptops are encrypted", style="List Bullet")
    document.add_paragraph("Passwords are 12 characters", style="List Bullet")
    document.add_paragraph("Admins use MFA", style="List Bullet 2")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Asset", "Type", "Owner"),
                                       ("Laptop | Dell", "hardware", "IT lead"),
                                       ("EMIS", "software", "")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Approved by the board.")
    png = path.parent / "pixel.png"
    png.write_bytes(_png())
    document.add_picture(str(png), width=Inches(0.1))
    document.save(path)


def test_a_word_file_becomes_markdown(tmp_path):
    path = tmp_path / "Security Policy.docx"
    _word(path)
    source = gather([str(path)])[0]
    assert source.skipped is None and source.fmt == "docx"
    assert source.text == (
        "# Information Security Policy\n\n"
        "Version: **2.0**\n\n"
        "## Scope\n\n"
        "All staff and contractors.\n\n"
        "- Laptops are encrypted\n- Passwords are 12 characters\n  - Admins use MFA\n\n"
        "| Asset | Type | Owner |\n|---|---|---|\n| Laptop \\| Dell | hardware | IT lead |\n"
        "| EMIS | software |  |\n\n"
        "Approved by the board.\n")
    assert source.images == ["word/media/image1.png"]
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_word_tables_read_back_as_tables(tmp_path):
    from dsptkit.adopt.tables import tables

    path = tmp_path / "register.docx"
    _word(path)
    found = tables(gather([str(path)])[0].text)
    assert found[0].header == ["Asset", "Type", "Owner"]
    assert found[0].rows[0] == ["Laptop | Dell", "hardware", "IT lead"]


def test_line_breaks_and_paragraphs_in_a_word_cell_read_as_br(tmp_path):
    """A list typed into one cell (Shift+Enter, or Enter) stays a list: each line a <br>."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "System", "Controls"
    table.cell(1, 0).text = "Booking DB\nReporting DB"  # python-docx writes a <w:br/>
    table.cell(1, 1).text = "MFA"
    table.cell(1, 1).add_paragraph("Encrypted at rest")
    path = tmp_path / "cells.docx"
    document.save(path)
    text = gather([str(path)])[0].text
    assert "| Booking DB <br> Reporting DB | MFA <br> Encrypted at rest |" in text


def test_word_content_controls_and_tracked_changes_are_read_as_shown(tmp_path):
    from docx.oxml import OxmlElement

    document = docx.Document()
    paragraph = document.add_paragraph("Version: ")
    control = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    control.append(content)
    paragraph._p.append(control)
    run = paragraph.add_run("3.1")
    content.append(run._r)  # the version typed into a content control
    inserted = OxmlElement("w:ins")
    paragraph._p.append(inserted)
    inserted.append(paragraph.add_run(" (approved)")._r)
    deleted = OxmlElement("w:del")
    paragraph._p.append(deleted)
    block = OxmlElement("w:sdt")
    block_content = OxmlElement("w:sdtContent")
    block.append(block_content)
    document.element.body.insert(0, block)
    title = document.add_paragraph("Cover title")
    block_content.append(title._p)
    path = tmp_path / "controls.docx"
    document.save(path)
    assert gather([str(path)])[0].text == "Cover title\n\nVersion: 3.1 (approved)\n"


def test_broken_and_hostile_word_files_are_skipped(tmp_path):
    (tmp_path / "renamed.docx").write_bytes(b"\xd0\xcf\x11\xe0 an old .doc")
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "no document here")
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    with zipfile.ZipFile(tmp_path / "bad.docx", "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    by = _by_path(gather([str(tmp_path)]))
    assert "not a zip archive" in by[f"{tmp_path}/renamed.docx"].skipped
    assert "no word/document.xml" in by[f"{tmp_path}/empty.docx"].skipped
    assert "unpacks to" in by[f"{tmp_path}/bomb.docx"].skipped
    assert "could not be read" in by[f"{tmp_path}/bad.docx"].skipped
