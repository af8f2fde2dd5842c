"""Reading one file safely and parsing its YAML with every key's line number.

This is the only place that turns bytes into data. It never raises on bad input: it
returns a ``Document`` with the problems found, each naming a line, so the loader can
report them all as ``path:line:col`` and carry on with the other files.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back quietly when PyYAML was built without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from dsptkit.model import Loc, Problem

MAX_FILE_BYTES = 1024 * 1024  # a policy or evidence file larger than this is almost surely a mistake
MAX_NODES = 50_000  # guards against alias "billion laughs" expansion

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A parsed file: its data (None when unusable), where each key stands, its body."""

    path: str
    data: dict[str, Any] | None = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    def loc(self, *path: str | int) -> Loc:
        """The location of a key path, or of its nearest located parent, or the file."""
        while path:
            pos = self.positions.get(path)
            if pos:
                return Loc(self.path, pos[0], pos[1])
            path = path[:-1]
        return Loc(self.path, 1, 1)

    def problem(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        self.problems.append(Problem(code, Loc(self.path, line, col), message))


def read_text(raw: bytes, doc: Document, limit: int = MAX_FILE_BYTES) -> str | None:
    """Decode a file's bytes as UTF-8 text (BOM and CRLF accepted); None with a problem if not."""
    if len(raw) > limit:
        doc.problem("FM003", f"file is {len(raw):,} bytes, over the {limit:,}-byte limit for "
                             "Markdown and YAML; keep large material as an attachment")
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        doc.problem("FM002", "file is binary (it contains a NUL byte), not Markdown or YAML text",
                    line)
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problem("FM001", f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded); "
                             "save it as UTF-8", line, col)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_markdown(path: str, raw: bytes, limit: int = MAX_FILE_BYTES) -> Document:
    """Parse a Markdown file that must start with YAML front matter between ``---`` lines."""
    doc = Document(path)
    text = read_text(raw, doc, limit)
    if text is None:
        return doc
    doc.text = text
    if not (text.startswith("---\n") or text == "---" or text.startswith("--- \n")):
        doc.problem("FM010", "no front matter: the file must start with a line '---', then YAML "
                             "fields, then another '---'")
        return doc
    start = text.index("\n") + 1 if "\n" in text else len(text)
    end = _closing_fence(text, start)
    if end is None:
        doc.problem("FM011", "front matter opened on line 1 is never closed: add a line '---' "
                             "after the last field")
        return doc
    fm_end, body_start = end
    doc.body = text[body_start:]
    doc.body_line = text.count("\n", 0, body_start) + 1
    _parse_yaml(doc, text[start:fm_end], first_line=2, what="front matter")
    return doc


def parse_yaml_file(path: str, raw: bytes, limit: int = MAX_FILE_BYTES) -> Document:
    """Parse a whole-file YAML document (organisation.yaml, catalogues, registers)."""
    doc = Document(path)
    text = read_text(raw, doc, limit)
    if text is None:
        return doc
    doc.text = text
    _parse_yaml(doc, text, first_line=1, what="file")
    return doc


def _closing_fence(text: str, start: int) -> tuple[int, int] | None:
    """Find the line that closes front matter: (end of YAML, start of body)."""
    pos = start
    length = len(text)
    while pos <= length:
        nl = text.find("\n", pos)
        line_end = length if nl == -1 else nl
        line = text[pos:line_end].rstrip()
        if line in ("---", "..."):
            return pos, (line_end + 1 if nl != -1 else length)
        if nl == -1:
            return None
        pos = nl + 1
    return None


def _parse_yaml(doc: Document, source: str, first_line: int, what: str) -> None:
    try:
        node = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        reason = exc.problem or exc.context or "invalid YAML"
        doc.problem("FM012", f"{what} is not valid YAML: {reason}", line, col)
        return
    except yaml.YAMLError as exc:
        doc.problem("FM012", f"{what} is not valid YAML: {exc}", first_line)
        return
    if node is None:
        doc.problem("FM013", f"{what} is empty: it must be a mapping of fields", first_line)
        return
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        doc.problem("FM013", f"{what} is {kind}, not a mapping of 'field: value' lines",
                    node.start_mark.line + first_line, node.start_mark.column + 1)
        return
    builder = _Builder(doc, first_line)
    try:
        doc.data = builder.mapping(node, ())
    except _TooBig:
        doc.problem("FM015", f"{what} expands to more than {MAX_NODES:,} values "
                             "(aliases nested too deep); write it out plainly", first_line)
        doc.data = None


class _TooBig(Exception):
    pass


class _Builder:
    """Turns composed YAML nodes into plain values, keeping positions and catching duplicates."""

    def __init__(self, doc: Document, first_line: int) -> None:
        self.doc = doc
        self.offset = first_line
        self.count = 0

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.offset, node.start_mark.column + 1

    def value(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        items = []
        for index, child in enumerate(node.value):
            self.doc.positions[path + (index,)] = self._pos(child)
            items.append(self.value(child, path + (index,)))
        return items

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line, col = self._pos(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.problem("FM012", "a key must be a plain name, not a list or mapping",
                                 line, col)
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.doc.problem("FM015", "merge keys ('<<') are not supported; write the fields "
                                          "out", line, col)
                continue
            key = str(key_node.value)
            if key in result:
                first = self.doc.positions.get(path + (key,), (line, col))[0]
                self.doc.problem("FM014", f"duplicate key '{key}' (first at line {first}); YAML "
                                          "would silently keep only the last one", line, col)
                continue
            self.doc.positions[path + (key,)] = (line, col)
            result[key] = self.value(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _constructor.construct_yaml_bool(node)
        if tag == _INT:
            return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
        if tag == _TIMESTAMP:
            try:
                value = _constructor.construct_yaml_timestamp(node)
            except ValueError:
                return node.value  # e.g. 2026-13-45: the schema reports it as not a real date
            if isinstance(value, _dt.datetime):
                return value.date()
            return value
        line, col = self._pos(node)
        self.doc.problem("FM015", f"YAML tag '{tag}' is not supported; use plain values", line, col)
        return node.value
