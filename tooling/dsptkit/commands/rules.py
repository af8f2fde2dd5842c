"""``dspt rules [CODE]``: list the rules, or explain one."""

from __future__ import annotations

import argparse
import difflib
import json

from dsptkit.commands._shared import write
from dsptkit.errors import UsageError
from dsptkit.rules import REGISTRY


def run(args: argparse.Namespace) -> int:
    rules = REGISTRY.all()
    if args.code:
        wanted = args.code.strip()
        match = next((r for r in rules if r.code == wanted.upper() or r.name == wanted), None)
        if match is None:
            near = difflib.get_close_matches(wanted.upper(), [r.code for r in rules], n=3) + \
                difflib.get_close_matches(wanted, [r.name for r in rules], n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise UsageError(f"no rule '{wanted}'{hint}; 'dspt rules' lists them all")
        rules = [match]
        if args.format == "text":
            rule = match
            write(f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.summary}\n"
                  + (f"\n{rule.doc}\n" if rule.doc else ""))
            return 0
    if args.format == "json":
        write(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                           "summary": r.summary, "doc": r.doc} for r in rules], indent=2) + "\n")
        return 0
    width = max(len(r.name) for r in rules)
    write("".join(f"{r.code}  {r.severity.value:<8} {r.name:<{width}}  {r.summary}\n"
                  for r in rules))
    return 0
