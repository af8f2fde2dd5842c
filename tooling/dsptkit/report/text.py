"""``path:line:col: CODE message`` lines and a summary, as linters print them.

On a terminal the rule codes and the summary's counts are coloured by severity (errors red,
findings yellow, warnings cyan); never when ``NO_COLOR`` is set (no-color.org), never when
the output is piped or redirected, and always when ``FORCE_COLOR`` is set (and ``NO_COLOR``
is not). The colour is ANSI SGR codes around those words only.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from dsptkit.engine import CheckRun
from dsptkit.model import Severity, one_line

if TYPE_CHECKING:
    from dsptkit.rules import Result

RESET = "\033[0m"
STYLES = {Severity.ERROR: "\033[1;31m", Severity.FINDING: "\033[33m", Severity.WARNING: "\033[36m"}
WORDS = ((Severity.ERROR, "error"), (Severity.FINDING, "finding"), (Severity.WARNING, "warning"))


def colour_wanted(stream: TextIO) -> bool:
    """Whether to colour what is written to ``stream``: NO_COLOR (any non-empty value) wins,
    then FORCE_COLOR (any non-empty value), then a terminal that is not ``TERM=dumb``."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def paint(text: str, severity: Severity, colour: bool) -> str:
    return f"{STYLES[severity]}{text}{RESET}" if colour else text


def format_check(run: CheckRun, colour: bool = False, brief: bool = False) -> str:
    """Every result, the summary and notes; ``brief`` (the commit hook): the errors only,
    then one line counting what was not shown."""
    if brief:
        errors = [r for r in run.results if r.severity is Severity.ERROR]
        lines = [_line(r, colour) for r in errors]
        lines.append(brief_line(run, colour))
        return "\n".join(lines) + "\n"
    lines = [_line(r, colour) for r in run.results]
    lines.append(summary_line(run, colour))
    lines.extend(notes(run))
    return "\n".join(lines) + "\n"


def _line(r: Result, colour: bool) -> str:
    return f"{r.loc}: {paint(r.code, r.severity, colour)} {one_line(r.message)}"


def notes(run: CheckRun) -> list[str]:
    lines = [f"note: {note}" for note in run.notes]
    if run.skipped:
        lines.append(f"note: {', '.join(run.skipped)} not run: some files could not be read, so "
                     "their gaps cannot be judged yet; fix the errors above and run again")
    return lines


def _count(run: CheckRun, severity: Severity, word: str, colour: bool) -> str:
    n = run.count(severity)
    text = f"{n} {word}{'' if n == 1 else 's'}"
    return paint(text, severity, colour and n > 0)


def summary_line(run: CheckRun, colour: bool = False) -> str:
    parts = [_count(run, severity, word, colour) for severity, word in WORDS]
    checked = f"{_plural(len(run.repo.policies), 'policy', 'policies')}, " \
              f"{_plural(len(run.repo.evidence), 'evidence file', 'evidence files')}"
    waived = f", {len(run.waived)} waived" if run.waived else ""
    return f"{', '.join(parts)}{waived} ({checked}; as of {run.as_of.isoformat()})"


def brief_line(run: CheckRun, colour: bool = False) -> str:
    """The one line ``--brief`` ends with: how many errors are above, and how many findings
    and warnings were left out (``1 error above; 4 findings and 1 warning not shown: run
    'dspt check' to see them``)."""
    errors = run.count(Severity.ERROR)
    if errors:
        head = f"{_count(run, Severity.ERROR, 'error', colour)} above"
    else:
        head = "no errors"
    hidden = [_count(run, severity, word, colour) for severity, word in WORDS[1:]
              if run.count(severity)]
    if not hidden:
        return f"{head}; no findings or warnings" if errors else "no errors, findings or warnings"
    return f"{head}; {' and '.join(hidden)} not shown: run 'dspt check' to see them"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
