"""Check results as GitHub Actions workflow commands: one annotation per result.

``::error file=PATH,line=L,col=C,title=CODE::message`` for errors, ``::warning`` for findings
and ``::notice`` for warnings, then the summary line as plain text. Values are escaped as
the Actions runner unescapes them: in the message ``%``, CR and LF; in a property also ``:``
and ``,``. A file name or message can so never end an annotation early or start another
command on a line of its own.
"""

from __future__ import annotations

from dsptkit.engine import CheckRun
from dsptkit.model import Severity, one_line
from dsptkit.report.text import notes, summary_line

COMMANDS = {Severity.ERROR: "error", Severity.FINDING: "warning", Severity.WARNING: "notice"}


def escape_data(text: str) -> str:
    """Text escaped for a workflow command: ``%``, CR and LF as the runner unescapes them;
    other control characters, which the runner would print raw, shown as ``\\x1b`` and the
    like."""
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(severity: Severity, path: str, line: int, col: int, title: str,
               message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in (
        ("file", path), ("line", line), ("col", col), ("title", title)))
    return f"::{COMMANDS[severity]} {props}::{escape_data(message)}"


def format_check(run: CheckRun) -> str:
    lines = [annotation(r.severity, r.loc.path, r.loc.line, r.loc.col, r.code, r.message)
             for r in run.results]
    # then the summary and notes as plain log lines ("0 errors, ...", "note: ..."): one line
    # each, so none can start with '::' and be read as a command
    lines.extend(one_line(line) for line in (summary_line(run), *notes(run)))
    return "\n".join(lines) + "\n"
