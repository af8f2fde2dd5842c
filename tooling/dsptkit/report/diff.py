"""A compliance difference as text, JSON, or Markdown for a pull-request comment."""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict

from dsptkit.compare import Difference
from dsptkit.report import FORMAT_VERSION


def _sections(d: Difference) -> list[tuple[str, list[str]]]:
    return [
        ("Items whose status changes", [f"{ref} {title}: {old} → {new}"
                                        for ref, title, old, new in d.items]),
        ("Claims added", [f"{i}: {says}" for i, says in d.claims_added]),
        ("Claims removed", [f"{i}: {says}" for i, says in d.claims_removed]),
        ("Claims changed", [f"{i}: {what}" for i, what in d.claims_changed]),
        ("Evidence added", [f"{i}: {title}" for i, title in d.evidence_added]),
        ("Evidence removed", [f"{i}: {title}" for i, title in d.evidence_removed]),
        ("Evidence changed", [f"{i}: {what}" for i, what in d.evidence_changed]),
        ("Policies", [f"{i}: {what}" for i, what in d.policies]),
        ("New errors and findings", [f"{where}: {code} {message} ({severity})"
                                     for severity, code, where, message in d.new_results]),
        ("Resolved", [f"{where}: {code} {message}"
                      for _severity, code, where, message in d.resolved_results]),
    ]


def format_text(d: Difference) -> str:
    lines = [f"Compliance change {d.base} → {d.head}",
             f"Position: {d.overall[0]} → {d.overall[1]}" if d.overall[0] != d.overall[1]
             else f"Position: {d.overall[1]} (unchanged)"]
    if d.empty:
        lines.append("No change to the compliance position.")
    for title, rows in _sections(d):
        if rows:
            lines += ["", f"{title}:"] + [f"  {row}" for row in rows]
    return "\n".join(lines) + "\n"


# Markdown's punctuation that can start markup inside a line of text
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def markdown_text(text: str) -> str:
    """Text from the repository made inert in GitHub Markdown: a pull request comment shows
    it as written. HTML is escaped (no image loads, no <details> closed early), Markdown
    punctuation is escaped (no links, emphasis or tables), line breaks become spaces, and an
    @ cannot mention anyone (the empty comment GitHub's own Dependabot uses)."""
    text = " ".join(text.splitlines())
    text = html.escape(text, quote=False)
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@<!-- -->")


def format_markdown(d: Difference) -> str:
    cell = markdown_text

    def ref(name: str) -> str:  # a revision as code, unless it could close the code span
        return f"`{name}`" if "`" not in name and name.isprintable() else cell(name)

    lines = [f"### DSPT compliance: {ref(d.base)} → {ref(d.head)}", ""]
    if d.overall[0] != d.overall[1]:
        lines.append(f"**Position: {d.overall[0]} → {d.overall[1]}**")
    else:
        lines.append(f"Position: **{d.overall[1]}** (unchanged)")
    if d.new_errors:
        lines += ["", f":x: This change adds {d.new_errors} error(s)."]
    if d.empty:
        lines += ["", "No change to the compliance position."]
    for title, rows in _sections(d):
        if rows:
            lines += ["", f"<details open><summary><b>{title}</b> ({len(rows)})</summary>", ""]
            lines += [f"- {cell(row)}" for row in rows]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def format_json(d: Difference) -> str:
    return json.dumps({"format_version": FORMAT_VERSION} | asdict(d) |
                      {"new_errors": d.new_errors, "empty": d.empty},
                      indent=2, ensure_ascii=False, default=str) + "\n"
