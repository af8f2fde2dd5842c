"""Text builders other tests write into the base repository (tests/conftest.py) with.

The rule cases themselves are data (tests/rules/cases/*.yaml); these helpers serve tests
of status, diff and history that build their own variations.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

POLICY = textwrap.dedent("""\
    ---
    id: governance
    title: Governance policy
    version: "1.0"
    status: {status}
    owner: {owner}
    {approved}
    {extra}
    claims:
      - id: GV-1
        says: Our ICO registration is current.
        meets: [{meets}]
        evidence_every: 90d
    {claim_extra}
    ---
    # Governance
    """)

EVIDENCE = textwrap.dedent("""\
    ---
    id: {id}
    title: Evidence
    collected: {collected}
    by: bob
    supports: [{supports}]
    outcome: {outcome}
    {extra}
    ---
    Body.
    """)

PLANNED = "    status: planned\n    target: {}"

CERTIFICATE = """\
---
id: EV-C
title: Cyber Essentials Plus certificate
collected: 2026-01-10
by: bob
supports: []
outcome: pass
certificate: {{scheme: ce-plus, expires: {expires}}}
---
"""


def policy(status="approved", owner="siro", approved="approved: {by: siro, on: 2026-01-10}",
           meets="dspt:1.1.1", extra="", claim_extra=""):
    return POLICY.format(status=status, owner=owner, approved=approved, meets=meets, extra=extra,
                         claim_extra=claim_extra)


def evidence(id="EV-2", collected="2026-06-15", supports="GV-1", outcome="pass", extra=""):
    return EVIDENCE.format(id=id, collected=collected, supports=supports, outcome=outcome,
                           extra=extra)


def with_org(extra: str) -> Callable:
    def change(repo):
        text = (repo.root / "organisation.yaml").read_text()
        repo.write("organisation.yaml", text + extra)
    return change


def waiver(rule_line: str, expires: str = "2026-12-31") -> str:
    return f"""waivers:
  - {rule_line}
    reason: Agreed at the board.
    approved_by: siro
    expires: {expires}
"""
