"""docs/rules.md: made from the rules table, one section per code, so that every rule's help
link (SARIF helpUri, ``help_uri`` in ``dspt rules --format json``) lands on its section."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT
from dsptkit.commands.rules import as_data
from dsptkit.report import help_uri
from dsptkit.report.rules_doc import COMMAND, render
from dsptkit.rules import REGISTRY

DOC = ROOT / "docs" / "rules.md"


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation other than '-' and '_'
    dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_docs_rules_md_is_up_to_date():
    assert DOC.read_text("utf-8") == render(as_data(REGISTRY.all())), \
        f"docs/rules.md is out of date: run .venv/bin/{COMMAND}"


def test_the_module_prints_the_page():
    done = subprocess.run([sys.executable, "-m", "dsptkit.report.rules_doc"], capture_output=True,
                          text=True, check=True)
    assert done.stdout == DOC.read_text("utf-8")


def test_every_code_has_its_own_anchor_and_help_links_to_it():
    text = DOC.read_text("utf-8")
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    anchors = [github_anchor(h) for h in headings]
    assert len(set(anchors)) == len(anchors)
    for rule in REGISTRY.all():
        assert rule.code in headings, rule.code  # the heading is exactly the code
        uri = help_uri(rule.code)
        page, fragment = uri.split("#")
        assert page.endswith("/blob/main/docs/rules.md")
        assert fragment == rule.code.lower() and fragment in anchors
        assert f"[{rule.code}](#{fragment})" in text  # the index links to it too
    assert github_anchor("CL102") == "cl102"


def test_a_stale_page_is_caught():
    data = as_data(REGISTRY.all())
    data["rules"][0]["summary"] = "Something else."
    assert render(data) != DOC.read_text("utf-8")


def test_examples_keep_their_backticks_inside_the_fence():
    page = render({"rules": [{"code": "ZZ001", "name": "z.z", "severity": "error",
                              "summary": "S.", "why": "W.", "fix": "F.",
                              "example": "a ``` fence inside"}]})
    assert "````\na ``` fence inside\n````" in page
