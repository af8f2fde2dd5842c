"""The position owns every derived fact: evidence standing, training by the RG101 rule, asset
support, supplier checks, policy reviews, owner load. Rules and pages read these."""

from __future__ import annotations

from datetime import date

from dsptkit import pipeline
from dsptkit.standing import Checked, EvidenceStanding, Support
from dsptkit.status import ClaimStanding


def ev(id: str, collected: str, outcome: str = "pass", supports: str = "GV-1") -> str:
    return (f"---\nid: {id}\ntitle: Evidence {id}\ncollected: {collected}\nby: bob\n"
            f"supports: [{supports}]\noutcome: {outcome}\n---\nBody.\n")


def test_each_evidence_file_has_one_standing(repo):
    # GV-1 allows 90 days. EV-1 (2026-06-01) is the base repository's evidence.
    repo.write("evidence/2026/e0.md", ev("EV-0", "2026-03-01"))
    repo.write("evidence/2026/e2.md", ev("EV-2", "2026-06-10", outcome="fail"))
    repo.write("evidence/2026/e3.md", ev("EV-3", "2026-06-20"))
    repo.write("evidence/2026/e4.md", ev("EV-4", "2026-08-01"))
    repo.write("evidence/2026/e5.md", ev("EV-5", "2026-06-02", supports="NOPE-1"))
    position = pipeline.run(repo.root, date(2026, 7, 1)).position
    standing = {ident: s.standing for ident, s in position.evidence.items()}
    assert standing == {
        "EV-0": EvidenceStanding.SUPERSEDED, "EV-1": EvidenceStanding.SUPERSEDED,
        "EV-2": EvidenceStanding.FAILED, "EV-3": EvidenceStanding.CURRENT,
        "EV-4": EvidenceStanding.NOT_YET, "EV-5": EvidenceStanding.UNLINKED}
    assert position.evidence["EV-1"].superseded_by.id == "EV-3"
    assert position.evidence["EV-3"].expires == date(2026, 9, 18)
    assert position.claims["GV-1"].standing is ClaimStanding.CURRENT
    later = pipeline.run(repo.root, date(2026, 10, 1)).position
    assert later.evidence["EV-4"].standing is EvidenceStanding.CURRENT
    assert pipeline.run(repo.root, date(2027, 1, 1)).position.evidence["EV-4"].standing \
        is EvidenceStanding.EXPIRED


def test_claim_standing_names_why_a_claim_does_not_count(repo):
    assert pipeline.run(repo.root, date(2026, 8, 20)).position.claims["GV-1"].standing \
        is ClaimStanding.EXPIRING  # expires 2026-08-30, inside the 30-day warning window
    assert pipeline.run(repo.root, date(2026, 9, 15)).position.claims["GV-1"].standing \
        is ClaimStanding.STALE
    repo.write("evidence/2026/e2.md", ev("EV-2", "2026-06-10", outcome="partial"))
    assert pipeline.run(repo.root, date(2026, 7, 1)).position.claims["GV-1"].standing \
        is ClaimStanding.FAILED


def test_training_counts_current_people_only_as_rg101_does(repo):
    people = "people:\n" + "".join(f"  - {{id: p{i:02d}, name: Person {i}}}\n" for i in range(20))
    people += "  - {id: newbie, name: New Starter, started: 2026-07-20}\n"
    people += "  - {id: gone, name: Old Leaver, left: 2026-03-01}\n"
    repo.write("evidence/registers/people.yaml", people)
    training = "training:\n" + "".join(
        f"  - {{person: p{i:02d}, course: Awareness, completed: 2026-02-01}}\n" for i in range(19))
    training += "  - {person: p19, course: Awareness, completed: 2025-05-01}\n"
    repo.write("evidence/registers/training.yaml", training)
    result = pipeline.run(repo.root, date(2026, 7, 1))
    summary = result.position.training
    assert (summary.trained, len(summary.people), summary.met) == (19, 20, True)
    assert [p.id for p in summary.missing] == ["p19"]
    assert summary.last_completed["p19"] == date(2025, 5, 1)
    assert "RG101" not in {r.code for r in result.results}
    # one more person out of date: 18 of 20 is under the bar, and RG101 says so
    repo.write("evidence/registers/training.yaml", training.replace(
        "p18, course: Awareness, completed: 2026-02-01", "p18, course: Awareness, completed: "
        "2025-01-01"))
    result = pipeline.run(repo.root, date(2026, 7, 1))
    assert result.position.training.met is False
    assert [r.message for r in result.results if r.code == "RG101"] == [
        "18 of 20 current people (90%) completed training since 2025-07-01, under the 95% bar; "
        "not in date: p18, p19"]


def test_assets_suppliers_and_policy_reviews(repo):
    repo.write("evidence/registers/assets.yaml", "assets:\n"
               "  - {name: Old PC, kind: laptop, supported_until: 2026-05-01}\n"
               "  - {name: New PC, kind: laptop, supported_until: 2026-10-01}\n"
               "  - {name: Server, kind: server, supported_until: 2030-01-01}\n"
               "  - {name: Router, kind: network}\n")
    repo.write("evidence/registers/suppliers.yaml", "suppliers:\n"
               "  - {name: Host, service: Hosting, checked: 2026-03-01}\n"
               "  - {name: Mail, service: Email, checked: 2025-03-01}\n"
               "  - {name: Payroll, service: Payroll}\n")
    result = pipeline.run(repo.root, date(2026, 7, 1))
    position = result.position
    assert [(s.asset.name, s.support) for s in position.assets] == [
        ("Old PC", Support.UNSUPPORTED), ("New PC", Support.ENDING),
        ("Server", Support.SUPPORTED), ("Router", Support.UNKNOWN)]
    assert [(s.supplier.name, s.checked) for s in position.suppliers] == [
        ("Host", Checked.CHECKED), ("Mail", Checked.OVERDUE), ("Payroll", Checked.NEVER)]
    assert sorted(r.subject for r in result.results if r.code in ("RG102", "RG103")) == \
        ["Mail", "Old PC", "Payroll"]
    review = position.policies["governance"]
    assert review.review_due == date(2029, 1, 10) and not review.overdue
    assert [(o.person, o.claims, o.total) for o in position.owners] == [("alice", 1, 1)]


def test_a_policy_approved_after_the_assessment_date_does_not_count_yet(repo):
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("on: 2026-01-10", "on: 2026-06-20"))
    before = pipeline.run(repo.root, date(2026, 6, 10)).position
    assert before.claims["GV-1"].standing is ClaimStanding.INACTIVE
    assert not before.items["dspt:1.1.1"].status.is_met
    after = pipeline.run(repo.root, date(2026, 7, 1)).position
    assert after.claims["GV-1"].standing is ClaimStanding.CURRENT
    assert after.items["dspt:1.1.1"].status.is_met


def test_no_position_is_stated_when_organisation_yaml_cannot_be_read(repo):
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + "name: [oops\n")
    result = pipeline.run(repo.root, date(2026, 7, 1))
    assert result.position.overall.value == "Not determined"
    assert result.position.verdict.statement.startswith("No position: organisation.yaml could "
                                                         "not be read")
    assert any("organisation.yaml could not be read" in note for note in result.notes)
    status = repo.dspt("status")
    assert status.code == 1
    assert "the position cannot be worked out" in status.out
    assert "Standards Met" not in status.out.replace("Standards Not Met", "")
