"""docs/rules.md, made from the rules table: one section per rule code, so that each code's
documentation has a link of its own (``docs/rules.md#cl102``: SARIF's ``helpUri``).

Regenerate it after changing ``tooling/dsptkit/rules/table.py``::

    .venv/bin/python -m dsptkit.report.rules_doc > docs/rules.md

``tests/report/test_rules_doc.py`` fails while docs/rules.md is out of date.
"""

from __future__ import annotations

import re
import sys

COMMAND = "python -m dsptkit.report.rules_doc > docs/rules.md"
SEVERITIES = (("error", "Errors: the repository itself is broken. They fail the run and block a "
                        "commit, and cannot be waived or switched off."),
              ("finding", "Findings: the compliance position has a gap. They fail the run only "
                          "with `--strict`."),
              ("warning", "Warnings: worth a look, never a gap on their own (they fail the run "
                          "under `--strict` too)."))


def fence(text: str) -> str:
    """A fenced code block that holds ``text`` whole, however many backticks it has."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text.rstrip()}\n{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(data: dict) -> str:
    """The page, from what ``dspt rules --format json`` prints."""
    rules = data["rules"]
    lines = [
        "# Rules",
        "",
        f"<!-- Made from the rules table (tooling/dsptkit/rules/table.py) by `{COMMAND}`; "
        "do not edit by hand. -->",
        "",
        "Every rule `dspt check` runs, by code. A code is never reused; each section's link is "
        "the lower-case code (`rules.md#cl102`), which is where code scanning's rule help "
        "points. `dspt rules CODE` prints the same in a terminal.",
        "",
        *(f"- {text}" for _, text in SEVERITIES),
        "",
        "| code | name | severity | what it finds |",
        "| --- | --- | --- | --- |",
        *(f"| [{r['code']}](#{r['code'].lower()}) | `{r['name']}` | {r['severity']} | "
          f"{_cell(r['summary'])} |" for r in rules),
    ]
    for r in rules:
        lines += [
            "",
            f"## {r['code']}",
            "",
            f"`{r['name']}` · {r['severity']}",
            "",
            f"**What it finds.** {r['summary']}",
            "",
            f"**Why it matters.** {r['why']}",
            "",
            f"**How to fix it.** {r['fix']}",
            "",
            "**Example**",
            "",
            fence(r["example"]),
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    from dsptkit.commands.rules import as_data
    from dsptkit.rules import REGISTRY

    sys.stdout.write(render(as_data(REGISTRY.all())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
