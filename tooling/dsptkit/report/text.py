"""``path:line:col: CODE message`` lines and a summary, as linters print them."""

from __future__ import annotations

from dsptkit.engine import CheckRun
from dsptkit.model import Severity


def format_check(run: CheckRun) -> str:
    lines = [f"{r.loc}: {r.code} {r.message}" for r in run.results]
    lines.append(summary_line(run))
    return "\n".join(lines) + "\n"


def summary_line(run: CheckRun) -> str:
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.FINDING, "finding"),
                           (Severity.WARNING, "warning")):
        n = run.count(severity)
        parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    checked = f"{len(run.repo.policies)} policies, {len(run.repo.evidence)} evidence files"
    waived = f", {len(run.waived)} waived" if run.waived else ""
    return f"{', '.join(parts)}{waived} ({checked}; as of {run.as_of.isoformat()})"
