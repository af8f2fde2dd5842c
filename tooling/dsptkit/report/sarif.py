"""Check results as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

- Artifact URIs are relative to the repository root (``uriBaseId`` ``SRCROOT``) and
  percent-encoded as RFC 3986 asks: a space is ``%20``, ``#`` is ``%23``, other characters
  outside the unreserved set are their UTF-8 bytes encoded; ``/`` separates segments.
- Each rule links to its documentation (``helpUri``) in docs/rules.md.
- ``partialFingerprints`` come from the rule, the file and the subject only (the claim,
  policy, evidence, item or person the result is about), never the message, a count, a date
  or a line: the same problem keeps one alert from day to day while its message changes.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from dsptkit import PROJECT_URL, __version__
from dsptkit.engine import CheckRun
from dsptkit.model import Severity
from dsptkit.report import help_uri
from dsptkit.report.rules_doc import fence
from dsptkit.rules import REGISTRY, Result, Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.FINDING: "warning", Severity.WARNING: "note"}
FINGERPRINT = "dsptkit/v1"  # bump the suffix if what goes into the fingerprint ever changes


def uri(path: str) -> str:
    """A repository-relative POSIX path as a relative URI reference (RFC 3986): every byte but
    the unreserved characters and ``/`` percent-encoded, so ``#``, ``?``, ``%``, spaces and a
    ``:`` in the first segment can never be read as URI syntax."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def fingerprints(results: tuple[Result, ...] | list[Result]) -> list[str]:
    """One fingerprint per result: sha256 of rule, file and subject. Results that share all
    three (two NHS numbers in one file) are told apart by their order within the file, so
    they keep distinct alerts."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for r in results:
        key = (r.code, r.loc.path, r.subject or "")
        n = seen.get(key, 0)
        seen[key] = n + 1
        text = "\x1f".join(key) + (f"\x1f{n}" if n else "")
        out.append(hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest())
    return out


def _help_markdown(rule: Rule) -> str:
    parts = []
    for title, text in rule.sections:
        body = fence(text) if title == "Example" else text
        parts.append(f"**{title}**\n\n{body}")
    parts.append(f"[{rule.code} in the dsptkit rules]({help_uri(rule.code)})")
    return "\n\n".join(parts)


def _rule(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc or rule.summary},
        "helpUri": help_uri(rule.code),
        "help": {"text": rule.doc or rule.summary, "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value},
    }


def format_check(run: CheckRun) -> str:
    rules = REGISTRY.all()
    index = {rule.code: i for i, rule in enumerate(rules)}
    notes = list(run.notes)
    if run.skipped:
        notes.append(f"{', '.join(run.skipped)} not run: some files could not be read, so their "
                     "gaps cannot be judged yet")
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dsptkit",
                "version": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_rule(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"SRCROOT": {"description": {
                "text": "the repository root: the folder holding organisation.yaml"}}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "note", "message": {"text": note}}
                                               for note in notes],
                "properties": {"asOf": run.as_of.isoformat()},
            }],
            "results": [{
                "ruleId": r.code,
                "ruleIndex": index[r.code],
                "level": LEVELS[r.severity],
                "message": {"text": r.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(r.loc.path), "uriBaseId": "SRCROOT"},
                    "region": {"startLine": r.loc.line, "startColumn": r.loc.col},
                }}],
                "partialFingerprints": {FINGERPRINT: fingerprint},
            } for r, fingerprint in zip(run.results, fingerprints(run.results), strict=True)],
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
