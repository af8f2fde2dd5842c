"""``dspt rules [CODE]``: list the rules, or explain one."""

from __future__ import annotations

import argparse
import difflib
import json
import textwrap

from dsptkit.commands._shared import write
from dsptkit.errors import UsageError
from dsptkit.report import FORMAT_VERSION, help_uri
from dsptkit.rules import REGISTRY, Rule
from dsptkit.rules.table import RETIRED

WIDTH = 88


def run(args: argparse.Namespace) -> int:
    rules = REGISTRY.all()
    if args.code:
        wanted = args.code.strip()
        match = next((r for r in rules if r.code == wanted.upper() or r.name == wanted), None)
        if match is None:
            if wanted.upper() in RETIRED:
                raise UsageError(f"rule {wanted.upper()} was retired ({RETIRED[wanted.upper()]}); "
                                 "its code is never reused")
            near = difflib.get_close_matches(wanted.upper(), [r.code for r in rules], n=3) + \
                difflib.get_close_matches(wanted, [r.name for r in rules], n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise UsageError(f"no rule '{wanted}'{hint}; 'dspt rules' lists them all")
        rules = [match]
        if args.format == "text":
            write(explain(match))
            return 0
    if args.format == "json":
        write(json.dumps(as_data(rules), indent=2) + "\n")
        return 0
    width = max(len(r.name) for r in rules)
    write("".join(f"{r.code}  {r.severity.value:<8} {r.name:<{width}}  {r.summary}\n"
                  for r in rules))
    return 0


def as_data(rules: list[Rule]) -> dict:
    """The rules as ``dspt rules --format json`` gives them (docs/rules.md is made from it)."""
    return {"format_version": FORMAT_VERSION,
            "rules": [{"code": r.code, "name": r.name, "severity": r.severity.value,
                       "summary": r.summary, "why": r.why, "fix": r.fix, "example": r.example,
                       "help_uri": help_uri(r.code)} for r in rules]}


def explain(rule: Rule) -> str:
    """One rule in full: code, name and severity, then what it finds, why it matters, how to
    fix it and an example (kept as written, indented like a code block)."""
    parts = [f"{rule.code} {rule.name} ({rule.severity.value})\n"]
    for title, text in rule.sections:
        if title == "Example":
            body = textwrap.indent(text, "    ")
        else:
            body = "\n\n".join(textwrap.fill(paragraph, WIDTH, initial_indent="  ",
                                             subsequent_indent="  ")
                               for paragraph in text.split("\n\n"))
        parts.append(f"{title}\n{body}\n")
    return "\n".join(parts)
