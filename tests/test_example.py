"""The worked example organisation and the starter policy set."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from dsptkit.model import Level
from dsptkit.repository import load, load_repository

TEMPLATES = ROOT / "tooling" / "dsptkit" / "templates" / "policies"


def test_the_example_has_exactly_its_intended_findings(capsys):
    from dsptkit.main import main

    assert main(["check", "--repo", str(ROOT), "--as-of", "2026-11-22", "--format", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["subject"]) for r in data["results"]] == [
        ("OW101", "tom-hughes"),  # over-reliance on the IG lead: a common trap, left visible
        # the data map's one gap: Fernhill (admin access reaches the support mailbox, so it
        # handles patient data) has no sub-processors recorded; asked for, awaiting its reply
        ("DM102", "Fernhill IT Services"),
        ("CL102", "AC-1"),  # the stale claim: no access review since June
        ("PO101", "information-governance"),  # the policy due for review
        ("CA101", None),  # the catalogue is the 2025-26 edition, assessed after its deadline
        ("CA102", None),  # 39 of the 45 category 3 items: six are not publicly known
    ]
    assert [(w["code"], w["waiver"]["approved_by"]) for w in data["waived"]] == [
        ("PO101", "siro"),
        ("RG102", "siro"),  # the label printer driver: out of support, risk accepted
    ]


def test_the_example_attachments_are_what_the_script_makes():
    done = subprocess.run([sys.executable, str(ROOT / "tooling" / "make_example_attachments.py"),
                           "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_starter_policies_cover_every_mandatory_category_3_item(tmp_path):
    repo = load_repository(ROOT)
    mandatory = {ref for ref, item in repo.items.items()
                 if item.level_for("3") in (Level.MET, Level.APPROACHING)}
    starter = tmp_path / "starter"
    (starter / "policies").mkdir(parents=True)
    (starter / "standards").symlink_to(ROOT / "standards")
    (starter / "organisation.yaml").write_text("name: Starter\ncategory: 3\n")
    for template in TEMPLATES.glob("*.md"):
        (starter / "policies" / template.name).write_bytes(template.read_bytes())
    loaded, report = load(starter)
    assert report.problems == ()
    claimed = {ref for claim in loaded.claims for ref in claim.meets}
    assert mandatory - claimed == set()
    assert len(loaded.policies) == 12
    assert all(p.status == "draft" for p in loaded.policies)
    for claim in loaded.claims:  # each claim's allowance within its item's cadence
        for ref in claim.meets:
            item = repo.items[ref]
            if item.evidence_every:
                from datetime import date
                start = date(2026, 1, 1)
                assert claim.evidence_every.after(start) <= item.evidence_every.after(start)


def test_the_example_data_map_is_complete_but_for_its_one_gap():
    """The worked example maps everything a six-person supplier holds: every system holding
    personal data is held by an information asset, every supplier is named by the map, every
    activity uses a registered asset, and the three map registers were approved at the SIRO's
    review (EV-2026-009). Its one gap is DM102 on Fernhill (the test above)."""
    from datetime import date

    from dsptkit import pipeline
    from dsptkit.datamap import key

    result = pipeline.run(ROOT, date(2026, 11, 23))
    datamap = result.position.datamap
    review = next(e for e in result.repo.evidence if e.id == "EV-2026-009")
    for kind in ("information_assets", "processing", "data_flows"):
        register = datamap.registers[kind]
        assert (register.approved_by, register.approved_on, register.reviewed) == \
            ("siro", review.collected, review.collected), kind
    held = {key(s.name) for view in datamap.assets for s in view.systems}
    personal = {key(a.name) for a in result.repo.entries("assets") if a.holds_personal_data}
    assert personal - held == set()
    assert all(view.named_by for view in datamap.suppliers)
    assert all(view.assets for view in datamap.activities)
    assert all(view.bases for view in datamap.activities)
    assert all(view.source and view.target for view in datamap.flows)
    assert {p.kind for p in datamap.parties} == {"customer", "nhs", "public", "other"}
    patient = {v.supplier.name for v in datamap.suppliers if v.patient}
    assert patient == {"Northwind Cloud", "Quaystone Messaging", "Fernhill IT Services",
                       "Google Workspace"}
    unrecorded = {v.supplier.name for v in datamap.suppliers if v.supplier.sub_processors is None}
    assert unrecorded == {"Fernhill IT Services"}  # asked on 9 November, awaiting a reply
    assert [(r.code, r.subject) for r in result.results if r.code.startswith("DM")] == [
        ("DM102", "Fernhill IT Services")]
