"""Validation against the JSON Schemas shipped in ``schemas/``.

The same files editors and standard validators use (mapped in .vscode/settings.json,
published at their ``$id``) drive the check. A small interpreter for the subset of JSON Schema
they use keeps the check fast and lets every message name the exact line and suggest the field
that was meant. It reads the schemas as any validator does, with two patterns it knows by heart
so their messages can say more: ``DURATION_PATTERN`` (parsed by dsptkit.durations, which says
when a duration is too long) and ``NONBLANK`` (said as "must not be empty"). YAML is read as
standard validators read it: a date written in quotes is a date where a date is asked for, and
text that YAML 1.1 would read as a date is text where text is asked for.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dsptkit.durations import DURATION_PATTERN, is_duration, is_zero_duration, parse_duration
from dsptkit.frontmatter import Document

_TYPE_NAMES = {
    str: "a string", int: "a whole number", float: "a number", bool: "true or false",
    list: "a list", dict: "a mapping", type(None): "empty", date: "a date",
}
_DATEISH = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # RFC 3339 full-date, as format "date" reads it
NONBLANK = "\\S"  # the pattern that goes with minLength 1: not only spaces


SCHEMA_DIR = Path(__file__).with_name("schemas")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema by name (``policy``, ``evidence``, ``register-people`` ...)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))


def schema_names() -> list[str]:
    return sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.iterdir()
                  if p.name.endswith(".schema.json"))


def validate(doc: Document, schema_name: str) -> bool:
    """Check ``doc.data`` against a schema; add problems to ``doc``; True if no errors.

    Unknown fields are warnings and are removed from the data so nothing downstream sees them.
    """
    before = len(doc.problems)
    _compiled(schema_name).check(doc, doc.data, ())  # a mapping: checked, and changed, in place
    return all(p.code == "SC003" for p in doc.problems[before:])


@cache
def _compiled(schema_name: str) -> _Node:
    root = load_schema(schema_name)
    return _Node(root, root, {})


class _Node:
    """One schema, with everything a check needs worked out once, not once per value."""

    def __init__(self, schema: dict, root: dict, seen: dict[int, _Node]) -> None:
        if "$ref" in schema:
            schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        seen[id(schema)] = self
        self.schema = schema
        types = schema.get("type")
        self.types = [types] if isinstance(types, str) else types
        pattern = schema.get("pattern")
        self.fmt = "duration" if pattern == DURATION_PATTERN else schema.get("format")
        self.enum = schema.get("enum")
        self.min_length = schema.get("minLength", 0)
        if pattern == NONBLANK:
            self.min_length, pattern = max(self.min_length, 1), None
        self.pattern = ecma_pattern(pattern) if pattern is not None and self.fmt != "duration" else None
        self.hint = schema.get("patternErrorMessage") or schema.get("description") or f"pattern {pattern}"
        names = schema.get("propertyNames", {})
        self.key_min = 1 if names.get("pattern") == NONBLANK else names.get("minLength", 0)
        self.min_items = schema.get("minItems", 0)
        self.required = tuple(schema.get("required", ()))
        self.extra = schema.get("additionalProperties", True)

        def child(sub: dict) -> _Node:
            target = root["$defs"][sub["$ref"].rsplit("/", 1)[-1]] if "$ref" in sub else sub
            return seen.get(id(target)) or _Node(sub, root, seen)

        self.props = {key: child(sub) for key, sub in schema.get("properties", {}).items()}
        # the shapes most values take, checked inline by check_object without a call
        self.plain_str = self.types == ["string"] and self.fmt is None and self.enum is None
        self.plain_date = self.fmt == "date"
        self.extra_node = child(self.extra) if isinstance(self.extra, dict) else None
        self.items = child(schema["items"]) if "items" in schema else None
        self.plain_str_list = self.types == ["array"] and not self.min_items and \
            self.items is not None and self.items.plain_str

    def quick_str(self, text: str) -> bool:
        """True when a string certainly passes this plain-string node."""
        return (not self.min_length or bool(text.strip())) and \
            (self.pattern is None or self.pattern.search(text) is not None)

    def fail(self, doc: Document, path: tuple, code: str, message: str) -> None:
        loc = doc.loc(*path)
        doc.problem(code, message, loc.line, loc.col)

    def check(self, doc: Document, value: Any, path: tuple) -> Any:
        """Check one value; returns it, or what it stands for (see the module's notes)."""
        fmt = self.fmt
        if self.types is not None and not _type_ok(value, self.types, fmt):
            if fmt != "date" and isinstance(value, date) and "string" in self.types:
                # YAML 1.1 reads 2026-06-01 as a date; standard validators (YAML 1.2, or dates
                # kept as text) and editors read the text written: where text is asked for, it is
                value = _written(doc, path) or value.isoformat()
            else:
                self.fail(doc, path, "SC001", _type_message(_name(path), value, self.types, fmt))
                return value
        if fmt == "date":
            if isinstance(value, datetime):  # YAML reads 2026-06-01T10:00 as a date-time
                self.fail(doc, path, "SC001", f"'{_name(path)}' must be a date written YYYY-MM-DD, "
                                              f"not a date and time ({value.isoformat()}); "
                                              "write the date alone")
                return value
            if isinstance(value, str) and _ISO_DATE.match(value):
                try:
                    return date.fromisoformat(value)  # "2026-06-01" in quotes: a date all the same
                except ValueError:
                    pass
            if not isinstance(value, date):
                if isinstance(value, str) and _ISO_DATE.match(value):
                    msg = f"'{_name(path)}' is {_describe(value)}, which is not a real date"
                elif isinstance(value, str) and _DATEISH.match(value):
                    msg = f"'{_name(path)}' is {_describe(value)}, which is not a date written " \
                          "YYYY-MM-DD (two digits for the month and the day)"
                else:
                    msg = f"'{_name(path)}' must be a date written YYYY-MM-DD, not {_describe(value)}"
                self.fail(doc, path, "SC001", msg)
            return value
        if fmt == "duration" and isinstance(value, str) and parse_duration(value) is None:
            if is_duration(value):
                self.fail(doc, path, "SC001", f"'{_name(path)}' is {_describe(value)}, longer than "
                                              "100 years; no DSPT cadence is that long")
            elif is_zero_duration(value):
                self.fail(doc, path, "SC001", f"'{_name(path)}' is {_describe(value)}: a duration must "
                                              "be longer than zero")
            else:
                self.fail(doc, path, "SC001", f"'{_name(path)}' must be a duration such as 90d, "
                                              f"12w, 6m, 1y or P90D, not {_describe(value)}")
            return value
        if self.enum is not None and value not in self.enum:
            special = self.schema.get("x-dsptkit-messages", {}).get(str(value))
            if special:
                self.fail(doc, path, "SC001", f"'{_name(path)}' is {_describe(value)}: {special}")
                return value
            allowed = ", ".join(dict.fromkeys(str(v) for v in self.enum))
            self.fail(doc, path, "SC001", f"'{_name(path)}' is {_describe(value)}; it must be one "
                                          f"of: {allowed}")
            return value
        if isinstance(value, str):
            if self.min_length and len(value.strip()) < self.min_length:
                self.fail(doc, path, "SC001", f"'{_name(path)}' must not be empty")
            elif self.pattern is not None and not self.pattern.search(value):
                self.fail(doc, path, "SC001", f"'{_name(path)}' is {_describe(value)}, which is not "
                                              f"of the expected form ({self.hint})")
        elif isinstance(value, list):
            if len(value) < self.min_items:
                self.fail(doc, path, "SC001", f"'{_name(path)}' must list at least "
                                              f"{self.min_items} entry")
            if self.items is not None:
                for index, item in enumerate(value):
                    kept = self.items.check(doc, item, path + (index,))
                    if kept is not item:
                        value[index] = kept
        elif isinstance(value, dict):
            self.check_object(doc, value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            low, high = self.schema.get("minimum"), self.schema.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                bounds = f"between {low} and {high}" if low is not None and high is not None else \
                    f"at least {low}" if low is not None else f"at most {high}"
                self.fail(doc, path, "SC001", f"'{_name(path)}' is {value}; it must be {bounds}")
        return value

    def check_object(self, doc: Document, value: dict, path: tuple) -> None:
        props = self.props
        for key in list(value):
            node = props.get(key)
            if node is not None:
                item = value[key]
                if node.plain_str and type(item) is str and node.quick_str(item):
                    continue
                if node.plain_date and type(item) is date:
                    continue
                if node.plain_str_list and type(item) is list and \
                        all(type(x) is str and node.items.quick_str(x) for x in item):
                    continue
                kept = node.check(doc, item, path + (key,))
                if kept is not item:
                    value[key] = kept
            elif self.extra_node is not None:
                if self.key_min and len(key.strip()) < self.key_min:
                    self.fail(doc, path + (key,), "SC001", f"'{_name(path)}' has an empty field name; "
                                                           "name it or remove the line")
                    del value[key]
                    continue
                item = value[key]
                kept = self.extra_node.check(doc, item, path + (key,))
                if kept is not item:
                    value[key] = kept
            elif self.extra is False:
                import difflib  # only when a field is unknown

                near = difflib.get_close_matches(key, list(props), n=1, cutoff=0.6)
                hint = f" (did you mean '{near[0]}'?)" if near else \
                    f" (known fields: {', '.join(props)})"
                where = f" in '{_name(path)}'" if path else ""
                self.fail(doc, path + (key,), "SC003",
                          f"unknown field '{key}'{where}{hint}; it is ignored")
                del value[key]
        missing = [key for key in self.required if key not in value]
        if missing:
            where = f"'{_name(path)}'" if path else "front matter" if doc.body_line > 1 else "file"
            names = ", ".join(f"'{m}'" for m in missing)
            self.fail(doc, path, "SC002", f"{where} is missing required field"
                                          f"{'s' if len(missing) > 1 else ''} {names}")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    return str(value)


def _name(path: tuple) -> str:
    parts: list[str] = []
    for part in path:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + part)
    return "".join(parts) or "front matter"


def _type_ok(value: Any, types: list[str], fmt: str | None) -> bool:
    for kind in types:
        if kind == "string" and (isinstance(value, str) or (fmt == "date" and isinstance(value, date))):
            return True
        if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if kind == "boolean" and isinstance(value, bool):
            return True
        if kind == "array" and isinstance(value, list):
            return True
        if kind == "object" and isinstance(value, dict):
            return True
        if kind == "null" and value is None:
            return True
    return False


def _type_message(field: str, value: Any, types: list[str], fmt: str | None) -> str:
    wanted = " or ".join({"string": "a date" if fmt == "date" else "text", "integer": "a whole number",
                          "number": "a number", "boolean": "true or false", "array": "a list",
                          "object": "a mapping", "null": "empty"}[t] for t in types)
    got = _TYPE_NAMES.get(type(value), type(value).__name__)
    hint = ""
    if "string" in types and isinstance(value, int | float) and not isinstance(value, bool):
        hint = f'; quote it: "{value}"'
    if "array" in types and isinstance(value, str):
        hint = f"; write it as a list: [{value}]"
    return f"'{field}' must be {wanted}, got {got} {_describe(value)}{hint}"


def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` compiled as ECMA-262 reads it: Python's ``$`` also matches
    before a final newline, so ``^[a-z]+$`` would accept ``"access-control\\n"``; an
    unescaped ``$`` anchor becomes ``\\Z`` (the very end), as in every other validator."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


def _written(doc: Document, path: tuple) -> str | None:
    """The text of the scalar at ``path`` as the file has it (None when not from a file)."""
    node = doc.node
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node.value if isinstance(node, yaml.ScalarNode) else None
