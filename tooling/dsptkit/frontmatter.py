"""Reading one file safely and parsing its YAML with every key's line number.

This is the only place that turns bytes into data. It never raises on bad input: it
returns a ``Document`` with the problems found, each naming a line, so the loader can
report them all as ``path:line:col`` and carry on with the other files.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back quietly when PyYAML was built without it
    from yaml._yaml import CParser as _Parser

    C_PARSER = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    C_PARSER = False

from dsptkit.model import Loc, Problem

MAX_FILE_BYTES = 1024 * 1024  # a policy or evidence file larger than this is almost surely a mistake
MAX_NODES = 50_000  # guards against alias "billion laughs" expansion


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_constructor = yaml.constructor.SafeConstructor()
_SCALAR, _SEQ, _MAP = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_resolved: dict[str, str] = {}  # plain scalar -> tag; keys and short values repeat across files


class _Composer(_Parser, yaml.resolver.Resolver):
    """The C parser and composer with YAML's standard tag resolution, and nothing else.

    We build values ourselves (see ``_Builder``), so no constructor is set up. The resolver
    tries a list of regular expressions on every plain scalar; across thousands of front
    matter blocks the same keys and short values come back again and again, so a dictionary
    look-up replaces the regexes (the tag of a plain scalar depends only on its text).
    """

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        self.resolver_exact_paths: list = []
        self.resolver_prefix_paths: list = []

    # Path-based resolvers are never registered, so the composer's two calls per node into
    # them do nothing: make them builtins that accept the same arguments and return at C speed.
    descend_resolver = staticmethod(slice)  # (parent, index) -> ignored
    ascend_resolver = staticmethod(tuple)  # () -> ignored

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        if kind is _SCALAR:
            if not implicit[0]:
                return _STR
            tag = _resolved.get(value)
            if tag is None:
                tag = yaml.resolver.Resolver.resolve(self, kind, value, implicit)
                if len(value) <= 40 and len(_resolved) < 100_000:
                    _resolved[value] = tag
            return tag
        return _SEQ_TAG if kind is _SEQ else _MAP_TAG


@dataclass
class Document:
    """A parsed file: its data (None when unusable), where each key stands, its body."""

    path: str
    data: dict[str, Any] | None = None
    node: Any = None  # the composed YAML tree: positions are looked up in it only when asked
    line_offset: int = 1  # added to a 0-based YAML line to give the file's 1-based line
    body: str = ""
    body_line: int = 1
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    def loc(self, *path: str | int) -> Loc:
        """Where a key path stands (a mapping key's own line), or its nearest parent, or line 1."""
        node, mark = self.node, None
        for part in path:
            kind = type(node)
            if kind is _MAP and isinstance(part, str):
                for key_node, value_node in node.value:  # the first of duplicates is the one kept
                    if key_node.value == part:
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    break
            elif kind is _SEQ and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        if mark is None:
            return Loc(self.path, 1, 1)
        return Loc(self.path, mark.line + self.line_offset, mark.column + 1)

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


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def _closing_fence(text: str, start: int) -> tuple[int, int] | None:
    """Find the line that closes front matter: (end of YAML, start of body)."""
    found = _FENCE.search(text, start)
    if found is None:
        return None
    body = found.end() + 1 if found.end() < len(text) else len(text)
    return found.start(), body


def _parse_yaml(doc: Document, source: str, first_line: int, what: str) -> None:
    composer = _Composer(source)
    try:
        node = composer.get_single_node()
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
    except RecursionError:
        doc.problem("FM015", f"{what} nests lists or mappings too deeply to read; write it "
                             "out plainly", first_line)
        return
    finally:
        composer.dispose()
    if node is None:
        doc.problem("FM013", f"{what} is empty: it must be a mapping of fields", first_line)
        return
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        doc.problem("FM013", f"{what} is {kind}, not a mapping of 'field: value' lines",
                    node.start_mark.line + first_line, node.start_mark.column + 1)
        return
    doc.node = node
    doc.line_offset = first_line
    builder = _Builder(doc, first_line)
    try:
        doc.data = builder.mapping(node)
    except _TooBig:
        doc.problem("FM015", f"{what} expands to more than {MAX_NODES:,} values "
                             "(aliases nested too deep); write it out plainly", first_line)
        doc.data = None
    except RecursionError:
        doc.problem("FM015", f"{what} nests lists or mappings too deeply to read; write it "
                             "out plainly", first_line)
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

    def value(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        kind = type(node)
        if kind is _SCALAR:
            return node.value if node.tag == _STR else self.scalar(node)
        if kind is _MAP:
            return self.mapping(node)
        return [self.value(child) for child in node.value]

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR:
                line, col = self._pos(key_node)
                self.doc.problem("FM012", "a key must be a plain name, not a list or mapping",
                                 line, col)
                continue
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, col = self._pos(key_node)
                self.doc.problem("FM015", "merge keys ('<<') are not supported; write the fields "
                                          "out", line, col)
                continue
            if key in result:
                line, col = self._pos(key_node)
                first = next(self._pos(k)[0] for k, _ in node.value if k.value == key)
                self.doc.problem("FM014", f"duplicate key '{key}' (first at line {first}); YAML "
                                          "would silently keep only the last one", line, col)
                continue
            result[key] = self.value(value_node)
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
            if len(node.value) == 10:  # plain YYYY-MM-DD, by far the most common
                try:
                    return _dt.date.fromisoformat(node.value)
                except ValueError:
                    return node.value  # e.g. 2026-13-45: the schema reports it as not a real date
            try:
                value = _constructor.construct_yaml_timestamp(node)
            except ValueError:
                return node.value  # e.g. 2026-13-45: the schema reports it as not a real date
            return value  # a date-time stays one: the schema says a date is wanted
        line, col = self._pos(node)
        self.doc.problem("FM015", f"YAML tag '{tag}' is not supported; use plain values", line, col)
        return node.value
