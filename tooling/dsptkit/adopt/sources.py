"""Reading the documents people have into :class:`~dsptkit.adopt.model.Source`.

``gather(paths)`` takes files and folders as given on the command line. Folders are
searched recursively, their contents in order of path; hidden files and folders, Word's
lock files, links that lead outside the folders given, pipes and other special files are
skipped, each with a plain reason. Markdown (``.md``, ``.markdown``) and plain text
(``.txt``) are decoded as the rest of dsptkit decodes files (UTF-8, a BOM and CRLF line
ends accepted), Markdown's YAML front matter split off into ``front``; Word ``.docx`` files
are read with python-docx into Markdown-ish text (headings as ``#``, bold as ``**``, lists
as ``- ``, tables as pipe tables, links kept) and their images listed. Anything else, or a
file that is binary, not UTF-8, over 5 MiB or unreadable, is ``skipped`` with the reason.
Nothing here raises for a bad file, and source files are only ever read; the one thing that
stops the run is a Word file given without python-docx installed (the word extra).
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from io import BytesIO

from dsptkit.adopt.model import Source
from dsptkit.errors import UsageError
from dsptkit.frontmatter import Document, parse_markdown, read_text
from dsptkit.model import one_line

MAX_BYTES = 5 * 1024 * 1024  # a document larger than this is not a policy or a register
MAX_DOCX_EXPANDED = 64 * 1024 * 1024  # a .docx whose parts unpack to more is refused (zip bomb)
FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".docx": "docx"}
READ = "Markdown (.md, .markdown), text (.txt) and Word (.docx)"
_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class MissingExtra(UsageError):
    """A Word file was given but python-docx (the word extra) is not installed: the one
    failure here that stops the run, since every other document would be adopted without it."""


def gather(paths: list[str]) -> list[Source]:
    """Every file under ``paths`` (files and folders, as given), read or skipped with a reason."""
    found: list[Source] = []
    seen: set[str] = set()
    for given in paths:
        try:
            found.extend(s for s in _gather_one(given) if s.path not in seen)
        except MissingExtra:
            raise
        except Exception as exc:  # pragma: no cover - a last guard: never raise for bad input
            found.append(_skip(given, f"could not be read ({_why(exc)})"))
        seen.update(s.path for s in found)
    return found


def _gather_one(given: str) -> list[Source]:
    name_problem = _bad_name(given)
    if name_problem:
        return [_skip(given, name_problem)]
    if not os.path.lexists(given):
        return [_skip(given, "not found")]
    try:
        info = os.stat(given)  # a path given by name is followed, even when it is a link
    except OSError as exc:
        return [_skip(given, f"cannot be read ({_why(exc)})")]
    if stat.S_ISDIR(info.st_mode):
        root = os.path.realpath(given)
        return _walk(given.rstrip("/") or "/", root)
    return [read(given)]


def _walk(folder: str, root: str) -> list[Source]:
    """A folder's files, recursively, sorted by path; links must stay inside ``root``."""
    found: list[Source] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        return [_skip(folder, f"folder cannot be read ({_why(exc)})")]
    for entry in entries:
        path = entry.name if folder == "." else f"{folder.rstrip('/')}/{entry.name}"
        name_problem = _bad_name(entry.name)
        if name_problem:
            found.append(_skip(path, name_problem))
            continue
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            found.append(_skip(path, f"cannot be read ({_why(exc)})"))
            continue
        if entry.name.startswith("."):
            found.append(_skip(path, "a hidden folder: not searched" if is_dir else
                                     "a hidden file"))
            continue
        if is_link:
            found.append(_link(path, root))
            continue
        if is_dir:
            found.extend(_walk(path, root))
            continue
        if entry.name.startswith("~$"):
            found.append(_skip(path, "a Word lock file (left while a document is open in Word)"))
            continue
        found.append(read(path))
    return found


def _link(path: str, root: str) -> Source:
    """A symbolic link found in a folder: never followed out of the folders given, and one
    to a file inside them is adopted under the file's own name, not twice."""
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return _skip(path, "a link to a file that does not exist")
    if os.path.commonpath([root, target]) != root:
        return _skip(path, "a link to somewhere outside the folders given: not followed")
    if os.path.isdir(target):
        return _skip(path, "a link to a folder: not followed (give the folder itself)")
    return _skip(path, f"a link to {os.path.relpath(target, root)}, which is read under its own "
                       "name")


def read(path: str) -> Source:
    """One file, read: never raises."""
    try:
        return _read(path)
    except MissingExtra:
        raise
    except Exception as exc:  # a last guard: a bad file is reported, never fatal
        return _skip(path, f"could not be read ({_why(exc)})")


def _read(path: str) -> Source:
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    try:
        info = os.stat(path)
    except OSError as exc:
        return _skip(path, f"cannot be read ({_why(exc)})", fmt)
    for test, what in _SPECIAL:
        if test(info.st_mode):
            return _skip(path, f"not a regular file ({what})", fmt)
    if stat.S_ISDIR(info.st_mode):
        return _skip(path, "a folder", fmt)
    if info.st_size > MAX_BYTES:
        return _skip(path, f"{info.st_size / 1024 / 1024:.1f} MiB, over the 5 MiB limit for a "
                           "document", fmt)
    try:  # O_NONBLOCK: a file swapped for a pipe after the check above cannot hang the run
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return _skip(path, f"cannot be read ({_why(exc)})", fmt)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _skip(path, "not a regular file", fmt)
        chunks, size = [], 0
        while chunk := os.read(fd, 1024 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                return _skip(path, "over the 5 MiB limit for a document", fmt)
        raw = b"".join(chunks)
    except OSError as exc:
        return _skip(path, f"cannot be read ({_why(exc)})", fmt)
    finally:
        os.close(fd)
    digest = hashlib.sha256(raw).hexdigest()
    if fmt is None:
        ext = os.path.splitext(path)[1]
        what = f"a '{ext}' file" if ext else "a file without an extension"
        return Source(path, digest, "other", skipped=f"{what}: adopt reads {READ}")
    if fmt == "docx":
        return _docx(path, raw, digest)
    return _text(path, raw, digest, fmt)


def _text(path: str, raw: bytes, digest: str, fmt: str) -> Source:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Source(path, digest, fmt, skipped="saved as UTF-16 text, not UTF-8: save it as "
                                                 "UTF-8 and adopt it again")
    doc = Document(path)
    text = read_text(raw, doc, MAX_BYTES)
    if text is None:
        problem = doc.problems[0]
        where = f" (line {problem.loc.line})" if problem.loc.line > 1 else ""
        return Source(path, digest, fmt, skipped=f"{problem.message}{where}")
    if fmt != "markdown" or not _opens_front_matter(text):
        return Source(path, digest, fmt, text=text)
    parsed = parse_markdown(path, raw, MAX_BYTES)
    codes = {p.code for p in parsed.problems}
    if "FM011" in codes:  # a '---' line never closed: a rule under the title, not front matter
        return Source(path, digest, fmt, text=text)
    if codes == {"FM013"}:  # '---' lines around no fields
        block = text.split("\n")[1:parsed.body_line - 2]
        if not any(line.strip() for line in block):  # an empty block: nothing to keep
            return Source(path, digest, fmt, text=parsed.body, front={},
                          front_lines=parsed.body_line - 1)
        return Source(path, digest, fmt, text=text)  # prose between two rules, not YAML
    if parsed.problems:
        problem = parsed.problems[0]
        return Source(path, digest, fmt, text=text,
                      skipped=f"{problem.message} (line {problem.loc.line}); fix the front matter "
                              "and adopt it again")
    return Source(path, digest, fmt, text=parsed.body, front=parsed.data,
                  front_lines=parsed.body_line - 1)


def _opens_front_matter(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.rstrip(" \t") == "---"


# -- Word ------------------------------------------------------------------------------------

def _docx(path: str, raw: bytes, digest: str) -> Source:
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            members = archive.infolist()
            expanded = sum(m.file_size for m in members)
            names = [m.filename for m in members]
    except (zipfile.BadZipFile, ValueError, OSError):
        return Source(path, digest, "docx", skipped="not a Word .docx file (it is not a zip "
                                                    "archive: perhaps an old .doc renamed; save "
                                                    "it as .docx)")
    if expanded > MAX_DOCX_EXPANDED:
        return Source(path, digest, "docx", skipped=f"unpacks to {expanded / 1024 / 1024:.0f} MiB, "
                                                    "more than a document needs: not read")
    if "word/document.xml" not in names:
        return Source(path, digest, "docx", skipped="not a Word document (no word/document.xml "
                                                    "inside)")
    try:
        import docx  # python-docx, the word extra: imported only when a Word file is read
    except ImportError:
        from dsptkit.install import extra_install_command

        raise MissingExtra(f"dspt adopt needs the word extra to read Word files such as "
                           f"{one_line(path)}: {extra_install_command('word')}; nothing was "
                           "adopted") from None
    try:
        document = docx.Document(BytesIO(raw))
        text, images = _docx_text(document)
    except Exception as exc:
        return Source(path, digest, "docx", skipped=f"Word file could not be read ({_why(exc)})")
    return Source(path, digest, "docx", text=text, images=images)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# elements that only wrap content (content controls, tracked insertions, smart tags): their
# content is read as if they were not there; deleted text (w:del) is not read
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "ins", _W + "smartTag", _W + "customXml",
             _W + "fldSimple", _W + "moveTo"}


def _blocks(element, parent):  # noqa: ANN001, ANN202
    """The paragraphs and tables of a body or a table cell in order, content controls opened."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == _W + "p":
            yield Paragraph(child, parent)
        elif child.tag == _W + "tbl":
            yield Table(child, parent)
        elif child.tag in _WRAPPERS:
            yield from _blocks(child, parent)


def _pieces(paragraph):  # noqa: ANN001, ANN202
    """A paragraph's runs and hyperlinks in order, content controls and insertions opened."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

    def walk(element):  # noqa: ANN001, ANN202
        for child in element.iterchildren():
            if child.tag == _W + "r":
                yield Run(child, paragraph)
            elif child.tag == _W + "hyperlink":
                yield Hyperlink(child, paragraph)
            elif child.tag in _WRAPPERS:
                yield from walk(child)

    yield from walk(paragraph._p)


def _docx_text(document) -> tuple[str, list[str]]:  # noqa: ANN001 (python-docx's Document)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    in_list = False
    for block in _blocks(document.element.body, document._body):
        if isinstance(block, Paragraph):
            line, is_item = _paragraph(block)
            if not line.strip():
                in_list = False
                continue
            if is_item and in_list:
                blocks[-1] += "\n" + line  # list items stay one list
            else:
                blocks.append(line)
            in_list = is_item
        elif isinstance(block, Table):
            table = _table(block)
            if table:
                blocks.append(table)
            in_list = False
    images = []
    for rel in document.part.rels.values():
        if "image" in rel.reltype and not rel.is_external:
            images.append(str(rel.target_part.partname).lstrip("/"))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), sorted(set(images))


def _paragraph(paragraph) -> tuple[str, bool]:  # noqa: ANN001
    """A paragraph as one Markdown line (or lines), and whether it is a list item."""
    text = _inline(paragraph)
    if not text.strip():  # an empty paragraph, or one holding only an image
        return "", False
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered == "title":
        return "# " + _one_line(text), False
    if lowered.startswith("heading "):
        level = lowered.removeprefix("heading ").strip()
        if level.isdigit() and 1 <= int(level) <= 6:
            return "#" * int(level) + " " + _one_line(text).replace("**", ""), False
    level = _list_level(paragraph, lowered)
    if level is not None:
        marker = "1." if "number" in lowered else "-"
        return "  " * level + f"{marker} " + _one_line(text), True
    return text.strip(), False


def _list_level(paragraph, style: str) -> int | None:  # noqa: ANN001
    """The nesting level (0 first) of a list paragraph, or None for other paragraphs."""
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None and num.numId is not None and num.numId.val != 0:
        ilvl = num.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    if style.startswith("list"):
        last = style.rsplit(" ", 1)[-1]
        return int(last) - 1 if last.isdigit() and 1 <= int(last) <= 9 else 0
    return None


def _inline(paragraph) -> str:  # noqa: ANN001
    """A paragraph's runs as Markdown: bold runs as **...**, hyperlinks as [text](url)."""
    from docx.text.hyperlink import Hyperlink

    pieces: list[tuple[str, bool]] = []
    for item in _pieces(paragraph):
        if isinstance(item, Hyperlink):
            address = item.address or ""
            label = item.text
            if address and label.strip():
                if item.fragment:
                    address += "#" + item.fragment
                pieces.append((f"[{label.strip()}]({_link_target(address)})", False))
            else:
                pieces.append((label, False))
        else:
            pieces.append((item.text, bool(item.bold)))
    merged: list[list] = []
    for text, bold in pieces:
        if not text:
            continue
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    out = []
    for text, bold in merged:
        if bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            tail = text[len(text.rstrip()):]
            out.append(f"{lead}**{text.strip()}**{tail}")
        else:
            out.append(text)
    return "".join(out).replace("\t", " ")


def _link_target(address: str) -> str:
    return f"<{address}>" if any(c in address for c in " ()") else address


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table(table) -> str:  # noqa: ANN001
    """A Word table as a Markdown pipe table, its first row the header."""
    from docx.text.paragraph import Paragraph

    rows: list[list[str]] = []
    for row in table.rows:
        cells = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:  # a merged cell repeats
                cells.append("")
                continue
            previous = cell._tc
            paragraphs = [b for b in _blocks(cell._tc, cell) if isinstance(b, Paragraph)]
            # paragraphs and line breaks within one (a list typed into a cell) as <br>
            lines = (_one_line(part) for p in paragraphs for part in _inline(p).split("\n"))
            text = " <br> ".join(line for line in lines if line)
            cells.append(text.replace("|", "\\|"))
        rows.append(cells)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


# -- helpers ---------------------------------------------------------------------------------

def _skip(path: str, reason: str, fmt: str | None = None) -> Source:
    return Source(path, "", fmt or "other", skipped=reason)


def _bad_name(name: str) -> str | None:
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "its name contains a line break or another control character: rename it"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8: rename it"
    return None


def _why(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
