"""Check results as JSON: one object, stable keys, sorted results."""

from __future__ import annotations

import json

from dsptkit import __version__
from dsptkit.engine import CheckRun
from dsptkit.model import Severity
from dsptkit.report import FORMAT_VERSION
from dsptkit.rules import REGISTRY


def format_check(run: CheckRun) -> str:
    data = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "dsptkit", "version": __version__},
        "as_of": run.as_of.isoformat(),
        "summary": {s.value + "s": run.count(s) for s in Severity} | {"waived": len(run.waived)},
        "skipped_rules": list(run.skipped),
        "notes": list(run.notes),
        "results": [
            {
                "code": r.code, "name": REGISTRY[r.code].name, "severity": r.severity.value,
                "path": r.loc.path, "line": r.loc.line, "col": r.loc.col, "message": r.message,
                "subject": r.subject, "items": list(r.items),
            }
            for r in run.results
        ],
        "waived": [
            {"code": r.code, "path": r.loc.path, "line": r.loc.line, "message": r.message,
             "waiver": {"reason": w.reason, "approved_by": w.approved_by,
                        "expires": w.expires.isoformat(), "path": w.loc.path,
                        "line": w.loc.line}}
            for r, w in run.waived
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
