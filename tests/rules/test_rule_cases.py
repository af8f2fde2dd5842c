"""Every rule, as data: a case that makes it fire and a close case that does not.

Each case changes the clean base repository (tests/conftest.py) and runs the real
``dspt check``. A rule without both cases fails ``test_every_rule_has_cases``.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dsptkit.model import Severity
from dsptkit.rules import REGISTRY

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


def policy(status="approved", owner="siro", approved="approved: {by: siro, on: 2026-01-10}",
           meets="dspt:1.1.1", extra="", claim_extra=""):
    return POLICY.format(status=status, owner=owner, approved=approved, meets=meets, extra=extra,
                         claim_extra=claim_extra)


PLANNED = "    status: planned\n    target: {}"


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


@dataclass
class Case:
    code: str
    fires: bool
    what: str
    change: Callable
    message: str = ""  # a part of the message the rule must print
    as_of: str | None = None


def _attach(path, content, recorded=None, extra_files=""):
    def change(repo):
        digest = repo.attach(f"evidence/2026/{path}", content) if content is not None else "ab" * 32
        record = recorded or digest
        repo.write("evidence/2026/att.md", evidence(
            extra=f"files:\n  - path: {path}\n    sha256: {record}{extra_files}"))
    return change


def _symlink_out(repo):
    outside = repo.root.parent / "outside.md"
    outside.write_text("---\nid: x\n---\n")
    os.symlink(outside, repo.root / "policies" / "linked.md")


def _symlink_attachment_out(repo):
    outside = repo.root.parent / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, repo.root / "evidence" / "2026" / "secret.txt")
    repo.write("evidence/2026/att.md", evidence(
        extra=f"files:\n  - path: secret.txt\n    sha256: {'ab' * 32}"))


def _more_claims(*owners: str) -> str:
    """A second policy with one planned claim per owner given."""
    claims = "".join(f"  - id: MO-{n}\n    says: Claim {n}.\n    meets: [dspt:1.1.2]\n"
                     f"    status: planned\n    target: 2026-12-01\n    owner: {owner}\n"
                     for n, owner in enumerate(owners))
    return ("---\nid: more\ntitle: More\nversion: '1'\nstatus: approved\nowner: siro\n"
            f"approved: {{by: siro, on: 2026-01-10}}\nclaims:\n{claims}---\n")


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

OTHER_CATALOGUE = """\
framework: ce
standards:
  - id: ua
    title: User access control
    assertions:
      - id: ua
        title: User access control
        items:
          - id: ua.5
            title: MFA
            maps_to: [{{ref: "{ref}", relation: intersect}}]
"""


CASES = [
    Case("FM001", True, "Latin-1 text", lambda r: r.write(
        "evidence/2026/latin.md", "---\nid: EV-9\n---\ncaf\xe9\n".encode("latin-1")),
        "is not UTF-8"),
    Case("FM001", False, "UTF-8 with BOM and CRLF", lambda r: r.write(
        "evidence/2026/ico.md", b"\xef\xbb\xbf" + evidence(id="EV-1", collected="2026-06-01")
        .encode().replace(b"\n", b"\r\n"))),
    Case("FM002", True, "a Word file renamed .md", lambda r: r.write(
        "evidence/2026/doc.md", b"PK\x03\x04\x00\x00binary"), "binary"),
    Case("FM002", False, "text evidence", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("FM003", True, "a 2 MB Markdown file", lambda r: r.write(
        "evidence/2026/big.md", evidence() + "x" * (2 * 1024 * 1024)), "over the"),
    Case("FM003", False, "a 100 kB Markdown file", lambda r: r.write(
        "evidence/2026/big.md", evidence() + "x" * (100 * 1024))),
    Case("FM004", True, "policy symlinked from outside", _symlink_out, "outside the repository"),
    Case("FM004", False, "no symlinks", lambda r: None),
    Case("FM010", True, "no front matter", lambda r: r.write(
        "policies/plain.md", "# Just a heading\n"), "no front matter"),
    Case("FM010", False, "front matter present", lambda r: None),
    Case("FM011", True, "front matter never closed", lambda r: r.write(
        "policies/open.md", "---\nid: x\ntitle: y\n# Heading\n"), "never closed"),
    Case("FM011", False, "closed with '...'", lambda r: r.write(
        "evidence/2026/e2.md", evidence().replace("\n---\nBody", "\n...\nBody"))),
    Case("FM012", True, "unclosed bracket", lambda r: r.write(
        "evidence/2026/e2.md", evidence(supports="GV-1, [")), "not valid YAML"),
    Case("FM012", False, "valid YAML", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("FM013", True, "front matter is a list", lambda r: r.write(
        "evidence/2026/e2.md", "---\n- a\n- b\n---\n"), "not a mapping"),
    Case("FM013", False, "front matter is a mapping", lambda r: None),
    Case("FM014", True, "duplicate 'outcome'", lambda r: r.write(
        "evidence/2026/e2.md", evidence(extra="outcome: fail")),
        "duplicate key 'outcome' (first at line 7)"),
    Case("FM014", False, "distinct keys", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("FM015", True, "a Python tag", lambda r: r.write(
        "evidence/2026/e2.md", evidence(extra="x: !!python/object:os.system ls")),
        "not supported"),
    Case("FM015", False, "plain values", lambda r: None),
    Case("SC001", True, "a date that does not exist", lambda r: r.write(
        "evidence/2026/e2.md", evidence(collected="2026-13-45")), "not a real date"),
    Case("SC001", True, "a date in words", lambda r: r.write(
        "evidence/2026/e2.md", evidence(collected='"next week"')),
        "must be a date written YYYY-MM-DD, not 'next week'"),
    Case("SC001", True, "an unquoted version", lambda r: r.write(
        "policies/governance.md", policy().replace('version: "1.0"', "version: 2.1")),
        "quote it"),
    Case("SC001", True, "a bad duration", lambda r: r.write(
        "policies/governance.md", policy().replace("evidence_every: 90d", "evidence_every: 3 months")),
        "must be a duration"),
    Case("SC001", False, "ISO 8601 duration", lambda r: r.write(
        "policies/governance.md", policy().replace("evidence_every: 90d", "evidence_every: P90D"))),
    Case("SC002", True, "evidence without outcome", lambda r: r.write(
        "evidence/2026/e2.md", evidence().replace("outcome: pass", "")),
        "missing required field 'outcome'"),
    Case("SC002", True, "planned claim without target", lambda r: r.write(
        "policies/governance.md", policy(claim_extra="    status: planned")), "needs a 'target'"),
    Case("SC002", False, "all required fields", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("SC003", True, "a typo in a field name", lambda r: r.write(
        "evidence/2026/e2.md", evidence(extra="colected: 2026-06-15")),
        "unknown field 'colected' (did you mean 'collected'?)"),
    Case("SC003", False, "known fields", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("RF001", True, "two evidence files with one id", lambda r: r.write(
        "evidence/2026/e2.md", evidence(id="EV-1")), "evidence ID 'EV-1' is already used"),
    Case("RF001", False, "distinct ids", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("RF002", True, "a claim meeting an unknown item", lambda r: r.write(
        "policies/governance.md", policy(meets="dspt:9.9.9")), "'dspt:9.9.9', which is not"),
    Case("RF002", False, "a known item", lambda r: r.write(
        "policies/governance.md", policy(meets="dspt:1.1.1, dspt:1.1.2"))),
    Case("RF003", True, "evidence for an unknown claim", lambda r: r.write(
        "evidence/2026/e2.md", evidence(supports="GV-9")), "supports 'GV-9'"),
    Case("RF003", False, "evidence for a known claim", lambda r: r.write(
        "evidence/2026/e2.md", evidence(supports="GV-1"))),
    Case("RF004", True, "an owner nobody knows", lambda r: r.write(
        "policies/governance.md", policy(owner="carol")), "owned by 'carol'"),
    Case("RF004", True, "a role pointing at nobody", with_org("  dpo: zed\n"), "role 'dpo'"),
    Case("RF004", False, "an owner by person id", lambda r: r.write(
        "policies/governance.md", policy(owner="bob"))),
    Case("RF005", True, "a waiver of an unknown rule", with_org(waiver("rule: XX999")),
         "rule 'XX999', which does not exist"),
    Case("RF005", False, "a waiver of a known rule", with_org(waiver("rule: CL102"))),
    Case("AT001", True, "a missing attachment", _attach("gone.png", None), "does not exist"),
    Case("AT001", True, "a folder as attachment", lambda r: (
        (r.root / "evidence/2026/folder").mkdir(parents=True),
        r.write("evidence/2026/att.md", evidence(extra=f"files:\n  - path: folder\n    sha256: {'ab' * 32}"))),
        "is a folder"),
    Case("AT001", False, "a present attachment", _attach("shot.png", b"\x89PNG fake")),
    Case("AT002", True, "an altered attachment", _attach("log.txt", b"new", recorded="a" * 64),
         "has changed"),
    Case("AT002", False, "an unaltered attachment", _attach("log.txt", b"original")),
    Case("AT003", True, "a path with ../", _attach("../../../outside.txt", None),
         "outside the repository"),
    Case("AT003", True, "a symlink out", _symlink_attachment_out, "outside the repository"),
    Case("AT003", False, "a path in a subfolder", _attach("sub/log.txt", b"x")),
    Case("DT001", True, "collected in 2099", lambda r: r.write(
        "evidence/2026/e2.md", evidence(collected="2099-01-01")), "after today"),
    Case("DT001", False, "collected in the past", lambda r: r.write("evidence/2026/e2.md", evidence())),
    Case("PO001", True, "approved with no approval", lambda r: r.write(
        "policies/governance.md", policy(approved="")), "has no 'by and on'"),
    Case("PO001", False, "a draft with no approval", lambda r: r.write(
        "policies/governance.md", policy(status="draft", approved=""))),
    Case("PO101", True, "review date passed", lambda r: r.write(
        "policies/governance.md", policy(extra="next_review: 2026-06-01")),
        "due for review on 2026-06-01"),
    Case("PO101", True, "review_every passed", lambda r: r.write(
        "policies/governance.md", policy(extra="review_every: 3m")),
        "due for review on 2026-04-10"),
    Case("PO101", False, "review date ahead", lambda r: r.write(
        "policies/governance.md", policy(extra="next_review: 2026-12-01"))),
    Case("PO102", True, "only a draft claims the item", lambda r: r.write(
        "policies/governance.md", policy(status="draft", approved="")),
        "claimed only by draft policy governance"),
    Case("PO102", False, "an approved policy claims it too", lambda r: r.write(
        "policies/draft.md", policy(status="draft", approved="").replace("governance", "gov-draft")
        .replace("GV-1", "GD-1"))),
    Case("PD001", True, "an NHS number in evidence", lambda r: r.write(
        "evidence/2026/e2.md", evidence() + "Patient 401 023 2137 called.\n"),
        "possible NHS number 401 *** 2137"),
    Case("PD001", True, "an NHS number in a CSV attachment", _attach(
        "list.csv", b"name,number\nA,4010232137\n"), "possible NHS number"),
    Case("PD001", False, "a test-range number and an invoice number", lambda r: r.write(
        "evidence/2026/e2.md", evidence() + "NHS no 999 999 9999, invoice 1234567890.\n")),
    Case("CL101", True, "a claim without evidence", lambda r: r.remove("evidence/2026/ico.md"),
         "claim GV-1 (Our ICO registration is current.) has no evidence"),
    Case("CL101", False, "a planned claim without evidence", lambda r: (
        r.remove("evidence/2026/ico.md"),
        r.write("policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-31"))))),
    Case("CL102", True, "evidence older than 90 days", lambda r: None,
         "expired on 2026-08-30 (evidence_every 90d)", as_of="2026-09-15"),
    Case("CL102", False, "evidence within 90 days", lambda r: None, as_of="2026-08-30"),
    Case("CL103", True, "a newer failed test", lambda r: r.write(
        "evidence/2026/e2.md", evidence(outcome="fail")), "was 'fail' and no later evidence passed"),
    Case("CL103", False, "a failure followed by a pass", lambda r: (
        r.write("evidence/2026/e2.md", evidence(outcome="fail")),
        r.write("evidence/2026/e3.md", evidence(id="EV-3", collected="2026-06-20")))),
    Case("CL104", True, "a plan past its target", lambda r: r.write(
        "policies/governance.md", policy(claim_extra=PLANNED.format("2026-06-01"))),
        "was due by 2026-06-01"),
    Case("CL104", False, "a plan within its target", lambda r: r.write(
        "policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-01")))),
    Case("CO101", True, "a mandatory item nobody claims", lambda r: r.write(
        "policies/governance.md", policy(meets="dspt:1.1.2")),
        "dspt:1.1.1 (ICO registration) is mandatory for Approaching Standards"),
    Case("CO101", False, "an optional item nobody claims", lambda r: None),
    Case("EV101", True, "evidence supporting nothing", lambda r: r.write(
        "evidence/2026/e2.md", evidence(supports="")), "supports no claim"),
    Case("EV101", False, "evidence supporting a claim", lambda r: r.write(
        "evidence/2026/e2.md", evidence())),
    Case("OW101", True, "one owner for every claim", lambda r: r.write(
        "policies/more.md", _more_claims("siro", "alice", "siro")), "alice owns 4 of 4 claims (100%)"),
    Case("OW101", False, "ownership shared", lambda r: r.write(
        "policies/more.md", _more_claims("it_lead", "bob", "siro"))),
    Case("RF006", True, "a mapping to an unknown item", lambda r: r.write(
        "standards/ce/catalogue.yaml", OTHER_CATALOGUE.format(ref="dspt:9.9.9")),
        "ce:ua.5 maps to 'dspt:9.9.9', which is not in any catalogue"),
    Case("RF006", False, "a mapping to a known item", lambda r: r.write(
        "standards/ce/catalogue.yaml", OTHER_CATALOGUE.format(ref="dspt:1.1.1"))),
    Case("CL105", True, "an allowance longer than the item's cadence", lambda r: r.write(
        "policies/governance.md", policy(meets="dspt:1.1.2").replace("evidence_every: 90d",
                                                                     "evidence_every: 2y")),
        "claim GV-1 allows evidence up to 2y old, but dspt:1.1.2 needs it within 1y"),
    Case("CL105", False, "an allowance within the item's cadence", lambda r: r.write(
        "policies/governance.md", policy(meets="dspt:1.1.2").replace("evidence_every: 90d",
                                                                     "evidence_every: 12m"))),
    Case("EV102", True, "an expired certificate", lambda r: r.write(
        "evidence/2026/cert.md", CERTIFICATE.format(expires="2026-06-30")),
        "Cyber Essentials Plus certificate EV-C expired on 2026-06-30"),
    Case("EV102", False, "a renewed certificate", lambda r: (
        r.write("evidence/2026/cert.md", CERTIFICATE.format(expires="2026-06-30")),
        r.write("evidence/2026/cert2.md", CERTIFICATE.format(expires="2027-06-30").replace(
            "EV-C", "EV-D").replace("2026-01-10", "2026-06-20")))),
    Case("RG101", True, "one of two people untrained", lambda r: r.write(
        "evidence/registers/training.yaml",
        "training:\n  - {person: alice, course: DSA, completed: 2026-02-01}\n"),
        "1 of 2 current people (50%) completed training since 2025-07-01, under the 95% bar; "
        "not in date: bob"),
    Case("RG101", False, "everyone trained within 12 months", lambda r: r.write(
        "evidence/registers/training.yaml",
        "training:\n  - {person: alice, course: DSA, completed: 2026-02-01}\n"
        "  - {person: bob, course: DSA, completed: 2025-07-02}\n")),
    Case("RG102", True, "an asset past vendor support", lambda r: r.write(
        "evidence/registers/assets.yaml",
        "assets:\n  - {name: Old PC, kind: hardware, supported_until: 2025-10-14}\n"),
        "asset 'Old PC' has been out of vendor support since 2025-10-14"),
    Case("RG102", False, "an asset still supported", lambda r: r.write(
        "evidence/registers/assets.yaml",
        "assets:\n  - {name: New PC, kind: hardware, supported_until: 2031-10-14}\n")),
    Case("RG103", True, "a supplier never checked", lambda r: r.write(
        "evidence/registers/suppliers.yaml",
        "suppliers:\n  - {name: Cloudy, service: Hosting}\n"),
        "supplier 'Cloudy' has never been checked"),
    Case("RG103", False, "a supplier checked this year", lambda r: r.write(
        "evidence/registers/suppliers.yaml",
        "suppliers:\n  - {name: Cloudy, service: Hosting, checked: 2026-03-01}\n")),
    Case("RG104", True, "a register reviewed too long ago", lambda r: r.write(
        "evidence/registers/suppliers.yaml",
        "reviewed: 2025-05-01\nsuppliers:\n  - {name: Cloudy, service: Hosting, "
        "checked: 2026-03-01}\n"), "the suppliers register was last reviewed on 2025-05-01"),
    Case("RG104", False, "a register reviewed this year", lambda r: r.write(
        "evidence/registers/suppliers.yaml",
        "reviewed: 2026-05-01\nsuppliers:\n  - {name: Cloudy, service: Hosting, "
        "checked: 2026-03-01}\n")),
    Case("WV001", True, "an expired waiver", with_org(waiver("rule: CL102", "2026-06-01")),
         "expired on 2026-06-01"),
    Case("WV001", False, "an in-date waiver", with_org(waiver("rule: CL102"))),
    Case("WV002", True, "a waiver that matches nothing", with_org(waiver("rule: CL102")),
         "matched nothing"),
    Case("WV002", False, "a waiver that is used", with_org(waiver("rule: CL102")),
         as_of="2026-09-15"),
    Case("WV003", True, "a waiver of an error", with_org(waiver("rule: PD001")),
         "errors cannot be waived"),
    Case("WV003", False, "a waiver of a finding", with_org(waiver("rule: CL")),),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{'fires' if c.fires else 'quiet'}-{c.what}"
                                             for c in CASES])
def test_rule_case(repo, case: Case):
    case.change(repo)
    args = ["check"] + (["--as-of", case.as_of] if case.as_of else [])
    run = repo.dspt(*args)
    assert "Traceback" not in run.err
    if case.fires:
        assert case.code in run.codes, run.out
        line = next(line for line in run.lines if f": {case.code} " in line)
        assert case.message in line
        is_error = REGISTRY[case.code].severity is Severity.ERROR
        assert run.code == (1 if is_error else 0)
    else:
        assert case.code not in run.codes, run.out


def test_every_rule_has_a_firing_and_a_quiet_case():
    fires = {c.code for c in CASES if c.fires}
    quiet = {c.code for c in CASES if not c.fires}
    codes = {rule.code for rule in REGISTRY.all() if "history" not in rule.needs}
    history_tests = (Path(__file__).parent / "test_history_rules.py").read_text()
    for rule in REGISTRY.all():  # the git-history rules have their own tests, on git repos
        if "history" in rule.needs:
            assert rule.code in history_tests, rule.code
    assert codes - fires == set(), "rules without a case that makes them fire"
    assert codes - quiet == set(), "rules without a case where they stay quiet"
