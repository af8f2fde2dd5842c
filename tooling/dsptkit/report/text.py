"""``path:line:col: CODE message`` lines and a summary, as linters print them."""

from __future__ import annotations

from dsptkit.engine import CheckRun
from dsptkit.model import Severity, one_line


def format_check(run: CheckRun) -> str:
    lines = [f"{r.loc}: {r.code} {one_line(r.message)}" for r in run.results]
    lines.append(summary_line(run))
    lines.extend(f"note: {note}" for note in run.notes)
    if run.skipped:
        lines.append(f"note: {', '.join(run.skipped)} not run: some files could not be read, so "
                     "their gaps cannot be judged yet; fix the errors above and run again")
    return "\n".join(lines) + "\n"


def summary_line(run: CheckRun) -> str:
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.FINDING, "finding"),
                           (Severity.WARNING, "warning")):
        n = run.count(severity)
        parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    checked = f"{_plural(len(run.repo.policies), 'policy', 'policies')}, " \
              f"{_plural(len(run.repo.evidence), 'evidence file', 'evidence files')}"
    waived = f", {len(run.waived)} waived" if run.waived else ""
    return f"{', '.join(parts)}{waived} ({checked}; as of {run.as_of.isoformat()})"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
