"""Rules whose results come from reading files: encoding, front matter, YAML and schemas."""

from __future__ import annotations

from dsptkit.rules.base import loader_rule

# Their names, severities and documentation are in the rules table (table.py).
loader_rule("FM001")
loader_rule("FM002")
loader_rule("FM003")
loader_rule("FM004")
loader_rule("FM010")
loader_rule("FM011")
loader_rule("FM012")
loader_rule("FM013")
loader_rule("FM014")
loader_rule("FM015")
loader_rule("FM101")
loader_rule("SC001")
loader_rule("SC002")
loader_rule("SC003")
