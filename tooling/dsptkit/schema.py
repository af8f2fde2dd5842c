"""Validation against the JSON Schemas shipped in ``schemas/``.

The same files editors use (mapped in .vscode/settings.json) drive the check. A small
interpreter for the subset of JSON Schema they use keeps the check fast and lets every
message name the exact line and suggest the field that was meant.
"""

from __future__ import annotations

import difflib
import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from dsptkit.durations import parse_duration
from dsptkit.frontmatter import Document

_TYPE_NAMES = {
    str: "a string", int: "a whole number", float: "a number", bool: "true or false",
    list: "a list", dict: "a mapping", type(None): "empty", date: "a date",
}
_DATEISH = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema by name (``policy``, ``evidence``, ``register-people`` ...)."""
    text = resources.files("dsptkit").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_names() -> list[str]:
    folder = resources.files("dsptkit").joinpath("schemas")
    return sorted(p.name.removesuffix(".schema.json") for p in folder.iterdir()
                  if p.name.endswith(".schema.json"))


def validate(doc: Document, schema_name: str) -> bool:
    """Check ``doc.data`` against a schema; add problems to ``doc``; True if no errors.

    Unknown fields are warnings and are removed from the data so nothing downstream sees them.
    """
    schema = load_schema(schema_name)
    before = sum(1 for p in doc.problems if p.code != "SC003")
    _check(doc, schema, schema, doc.data, ())
    return sum(1 for p in doc.problems if p.code != "SC003") == before


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    return str(value)


def _name(path: tuple) -> str:
    parts = []
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


def _check(doc: Document, root: dict, schema: dict, value: Any, path: tuple) -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["$defs"][name]
    fmt = schema.get("format")
    loc = doc.loc(*path)
    field = _name(path)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not _type_ok(value, types, fmt):
            doc.problem("SC001", _type_message(field, value, types, fmt), loc.line, loc.col)
            return
    if fmt == "date" and not isinstance(value, date):
        if isinstance(value, str) and _DATEISH.match(value):
            msg = f"'{field}' is {_describe(value)}, which is not a real date"
        else:
            msg = f"'{field}' must be a date written YYYY-MM-DD, not {_describe(value)}"
        doc.problem("SC001", msg, loc.line, loc.col)
        return
    if fmt == "duration" and isinstance(value, str) and parse_duration(value) is None:
        doc.problem("SC001", f"'{field}' must be a duration such as 90d, 12w, 6m, 1y or P90D, "
                             f"not {_describe(value)}", loc.line, loc.col)
        return
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in dict.fromkeys(str(v) for v in schema["enum"]))
        doc.problem("SC001", f"'{field}' is {_describe(value)}; it must be one of: {allowed}",
                    loc.line, loc.col)
        return
    if isinstance(value, str):
        if len(value.strip()) < schema.get("minLength", 0):
            doc.problem("SC001", f"'{field}' must not be empty", loc.line, loc.col)
        elif "pattern" in schema and fmt != "duration" and not re.search(schema["pattern"], value):
            doc.problem("SC001", f"'{field}' is {_describe(value)}, which is not of the expected "
                                 f"form ({_pattern_hint(schema)})", loc.line, loc.col)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"] or \
           "maximum" in schema and value > schema["maximum"]:
            doc.problem("SC001", f"'{field}' is {value}; it must be between "
                                 f"{schema.get('minimum')} and {schema.get('maximum')}",
                        loc.line, loc.col)
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            doc.problem("SC001", f"'{field}' must list at least {schema['minItems']} entry",
                        loc.line, loc.col)
        item_schema = schema.get("items")
        if item_schema:
            for index, item in enumerate(value):
                _check(doc, root, item_schema, item, path + (index,))
    elif isinstance(value, dict):
        _check_object(doc, root, schema, value, path)


def _check_object(doc: Document, root: dict, schema: dict, value: dict, path: tuple) -> None:
    props: dict = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key in list(value):
        if key in props:
            _check(doc, root, props[key], value[key], path + (key,))
        elif isinstance(extra, dict):
            _check(doc, root, extra, value[key], path + (key,))
        elif extra is False:
            loc = doc.loc(*path, key)
            near = difflib.get_close_matches(key, list(props), n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else \
                f" (known fields: {', '.join(props)})"
            where = f" in '{_name(path)}'" if path else ""
            doc.problem("SC003", f"unknown field '{key}'{where}{hint}; it is ignored",
                        loc.line, loc.col)
            del value[key]
    missing = [key for key in schema.get("required", ()) if key not in value]
    if missing:
        loc = doc.loc(*path)
        where = f"'{_name(path)}'" if path else "front matter" if doc.body_line > 1 else "file"
        names = ", ".join(f"'{m}'" for m in missing)
        doc.problem("SC002", f"{where} is missing required field{'s' if len(missing) > 1 else ''} "
                             f"{names}", loc.line, loc.col)


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


def _pattern_hint(schema: dict) -> str:
    return schema.get("description") or f"pattern {schema['pattern']}"
