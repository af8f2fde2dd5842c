"""The rules table: one entry per code, each registered once, retired codes never again."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from dsptkit.model import Severity
from dsptkit.rules import REGISTRY
from dsptkit.rules.base import Registry, Rule
from dsptkit.rules.table import ENTRIES, RETIRED, TABLE


def test_every_table_entry_is_registered_exactly_once():
    codes = [rule.code for rule in REGISTRY.all()]
    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(TABLE)
    assert len(ENTRIES) == len(TABLE), "a code appears twice in the table"


def test_no_retired_code_is_registered_or_in_the_table():
    assert not set(RETIRED) & set(TABLE)
    assert not set(RETIRED) & {rule.code for rule in REGISTRY.all()}
    for code, note in RETIRED.items():
        assert re.fullmatch(r"[A-Z]{2}\d{3}", code)
        assert note, f"say what {code} was and why it went"


def test_registered_rules_take_name_severity_and_docs_from_the_table():
    for rule in REGISTRY.all():
        entry = TABLE[rule.code]
        assert (rule.name, rule.severity, rule.summary, rule.why, rule.fix, rule.example) == \
            (entry.name, entry.severity, entry.finds, entry.why, entry.fix, entry.example)
        assert rule.finds == rule.summary
        assert rule.why in rule.doc and rule.fix in rule.doc and rule.example in rule.doc


def test_every_entry_is_documented():
    names = [entry.name for entry in ENTRIES]
    assert len(names) == len(set(names))
    for entry in ENTRIES:
        assert re.fullmatch(r"[A-Z]{2}\d{3}", entry.code)
        assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+", entry.name), entry.code
        assert isinstance(entry.severity, Severity)
        assert "\n" not in entry.finds and entry.finds.endswith("."), entry.code
        for text in (entry.why, entry.fix):
            assert len(text) > 30 and text.endswith((".", ")")), entry.code
        assert entry.example.strip(), entry.code


def test_families_keep_errors_in_0xx_and_the_rest_in_1xx():
    for entry in ENTRIES:
        if entry.code.startswith(("FM", "SC", "HI")):
            continue  # whole families of one kind: loader problems and git history
        error = entry.severity is Severity.ERROR
        assert (entry.code[2] == "0") == error or entry.code.startswith("WV"), entry.code


def _rule(code: str, name: str = "x.y") -> Rule:
    return Rule(code, name, Severity.WARNING, "Finds.", "Why.", "Fix.", "Example.", None)


def test_the_registry_refuses_unknown_retired_and_duplicate_codes(monkeypatch):
    registry = Registry()
    with pytest.raises(ValueError, match="not in the rules table"):
        registry.add(_rule("ZZ999"))
    monkeypatch.setitem(RETIRED, "ZZ998", "x.gone: merged into ZZ999")
    with pytest.raises(ValueError, match="ZZ998 is retired"):
        registry.add(_rule("ZZ998"))
    registry.add(_rule("CL101", "a.name"))
    with pytest.raises(ValueError, match="CL101 is registered twice"):
        registry.add(_rule("CL101", "another.name"))
    with pytest.raises(ValueError, match="a.name is registered twice"):
        registry.add(_rule("CL102", "a.name"))


def test_the_table_loads_no_yaml():
    code = "import sys, dsptkit.rules.table; print('yaml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
