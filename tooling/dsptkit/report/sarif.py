"""Check results as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json

from dsptkit import __version__
from dsptkit.engine import CheckRun
from dsptkit.model import Severity
from dsptkit.rules import REGISTRY

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.FINDING: "warning", Severity.WARNING: "note"}


def format_check(run: CheckRun) -> str:
    rules = REGISTRY.all()
    index = {rule.code: i for i, rule in enumerate(rules)}
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dsptkit",
                "version": __version__,
                "rules": [{
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.doc or rule.summary},
                    "help": {"text": rule.doc or rule.summary},
                    "defaultConfiguration": {"level": LEVELS[rule.severity]},
                    "properties": {"severity": rule.severity.value},
                } for rule in rules],
            }},
            "originalUriBaseIds": {"SRCROOT": {"description": {"text": "repository root"}}},
            "invocations": [{"executionSuccessful": True,
                             "properties": {"asOf": run.as_of.isoformat()}}],
            "results": [{
                "ruleId": r.code,
                "ruleIndex": index[r.code],
                "level": LEVELS[r.severity],
                "message": {"text": r.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.loc.path, "uriBaseId": "SRCROOT"},
                    "region": {"startLine": r.loc.line, "startColumn": r.loc.col},
                }}],
                "partialFingerprints": {"dsptkit/v1": f"{r.code}:{r.loc.path}:{r.subject or ''}"
                                                      f":{r.message}"},
            } for r in run.results],
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
