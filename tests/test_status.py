"""Catalogue item status and the overall position, as of a pinned date."""

from __future__ import annotations

import json

from rules.test_rule_cases import PLANNED, evidence, policy, waiver, with_org


def status(repo, as_of="2026-07-01"):
    run = repo.dspt("status", "--format", "json", "--as-of", as_of)
    data = json.loads(run.out)
    return data, {item["ref"]: item for item in data["items"]}


def test_current_passing_evidence_meets_the_item(repo):
    data, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "met"
    assert items["dspt:1.1.1"]["reason"] == "evidence current until 2026-08-30"
    assert data["overall"] == "Standards Met"


def test_evidence_expiring_within_the_warning_window_is_at_risk(repo):
    _, items = status(repo, "2026-08-01")
    assert items["dspt:1.1.1"]["status"] == "at risk"
    assert items["dspt:1.1.1"]["reason"] == "evidence expires on 2026-08-30"


def test_expired_evidence_is_not_met_and_blocks(repo):
    data, items = status(repo, "2026-08-31")
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert items["dspt:1.1.1"]["reason"] == "claim GV-1: evidence expired on 2026-08-30"
    assert data["overall"] == "Standards Not Met"
    assert data["blocking"] == ["dspt:1.1.1"]


def test_evidence_collected_after_the_as_of_date_is_not_seen(repo):
    _, items = status(repo, "2026-05-31")
    assert items["dspt:1.1.1"]["reason"] == "claim GV-1 has no evidence"


def test_a_failure_after_the_last_pass_unmeets_the_item(repo):
    repo.write("evidence/2026/e2.md", evidence(outcome="partial"))
    _, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert items["dspt:1.1.1"]["reason"] == "claim GV-1: EV-2 (2026-06-15) was 'partial'"


def test_an_in_date_plan_for_a_standards_met_item_gives_approaching_standards(repo):
    catalogue = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    repo.write("standards/dspt/catalogue.yaml",
               catalogue.replace('levels: {"3": approaching}', 'levels: {"3": met}'))
    repo.remove("evidence/2026/ico.md")
    repo.write("policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-01")))
    data, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "planned"
    assert data["overall"] == "Approaching Standards"


def test_a_plan_does_not_excuse_an_approaching_standards_item(repo):
    repo.remove("evidence/2026/ico.md")
    repo.write("policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-01")))
    data, _ = status(repo)
    assert data["overall"] == "Standards Not Met"


def test_an_item_not_asked_of_the_category_is_not_applicable(repo):
    text = (repo.root / "organisation.yaml").read_text().replace("category: 3", "category: 4")
    repo.write("organisation.yaml", text)
    data, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "met"  # claimed, so still assessed
    assert items["dspt:1.1.2"]["status"] == "not applicable"
    assert data["overall"] == "Standards Met"


def test_a_waived_item_is_not_applicable_until_the_waiver_expires(repo):
    repo.remove("evidence/2026/ico.md")
    with_org(waiver("item: dspt:1.1.1", expires="2026-09-30"))(repo)
    data, items = status(repo, "2026-07-01")
    assert items["dspt:1.1.1"]["status"] == "not applicable"
    assert items["dspt:1.1.1"]["waived"] is True
    assert data["overall"] == "Standards Met"
    data, items = status(repo, "2026-10-01")
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert data["overall"] == "Standards Not Met"


def test_a_draft_policy_does_not_count(repo):
    repo.write("policies/governance.md", policy(status="draft", approved=""))
    _, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert items["dspt:1.1.1"]["reason"] == "no approved policy claims it"
