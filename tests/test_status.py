"""Catalogue item status and the overall position, as of a pinned date."""

from __future__ import annotations

import json

from rules.test_rule_cases import CERTIFICATE, PLANNED, evidence, policy, waiver, with_org


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
               catalogue.replace('levels: {"3": approaching}', 'levels: {"3": met}')
               .replace("approaching: 1, source", "approaching: 0, source"))
    repo.remove("evidence/2026/ico.md")
    repo.write("policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-01")))
    data, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "planned"
    assert data["overall"] == "Approaching Standards"
    assert data["position"]["statement"] == ("Approaching Standards: 1 of the 1 mandatory items "
                                             "in this catalogue is not met, each covered by an "
                                             "action plan.")


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
    # the test catalogue says nothing of what category 4 needs: no level is guessed
    assert data["overall"] == "Not determined"
    assert "what Standards Met needs for category 4 is not known" in data["position"]["statement"]


def test_an_item_waiver_no_longer_takes_the_item_out_of_the_count(repo):
    repo.remove("evidence/2026/ico.md")
    with_org(waiver("item: dspt:1.1.1", expires="2026-09-30"))(repo)
    data, items = status(repo, "2026-07-01")
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert items["dspt:1.1.1"]["answer"] is None
    assert data["overall"] == "Standards Not Met"
    check = repo.dspt("check", "--as-of", "2026-07-01")
    assert "WV004 waiver of dspt:1.1.1 names no rule" in check.out
    assert check.code == 1


def test_a_not_applicable_answer_counts_only_where_the_catalogue_allows_it(repo):
    with_org("""answers:
  - item: dspt:1.1.2
    answer: not applicable
    reason: We hold no information assets of our own.
    decided_by: siro
    decided_on: 2026-06-01
""")(repo)
    _, items = status(repo)
    assert items["dspt:1.1.2"]["status"] == "not applicable"
    assert items["dspt:1.1.2"]["answer"] == {
        "answer": "not applicable", "reason": "We hold no information assets of our own.",
        "decided_by": "siro", "decided_on": "2026-06-01"}
    text = repo.dspt("status", "--as-of", "2026-07-01").out
    assert "Answered not applicable:\n  dspt:1.1.2   We hold no information assets of our own. " \
           "(siro, 2026-06-01)" in text


def test_a_draft_policy_does_not_count(repo):
    repo.write("policies/governance.md", policy(status="draft", approved=""))
    _, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert items["dspt:1.1.1"]["reason"] == "no approved policy claims it"


CERT = CERTIFICATE.format(expires="2026-12-31")


def exempting(catalogue: str, scheme: str) -> str:
    """The base catalogue with dspt:1.1.1 exempted by ``scheme``."""
    line = next(x for x in catalogue.splitlines() if 'levels: {"3": approaching}' in x)
    indent = line[: len(line) - len(line.lstrip())]
    return catalogue.replace(line, f"{line}\n{indent}exempt_by: [{scheme}]")


def test_a_current_certificate_meets_the_items_it_exempts_until_it_expires(repo):
    catalogue = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    repo.write("standards/dspt/catalogue.yaml", exempting(catalogue, "ce-plus"))
    repo.remove("evidence/2026/ico.md")
    repo.write("evidence/2026/cert.md", CERT)
    data, items = status(repo, "2026-07-01")
    assert items["dspt:1.1.1"]["status"] == "met"
    assert items["dspt:1.1.1"]["reason"] == ("met via Cyber Essentials Plus certificate (EV-C, "
                                             "valid until 2026-12-31)")
    assert data["overall"] == "Standards Exceeded"  # the test catalogue: met + CE+ for category 3
    _, items = status(repo, "2026-12-15")
    assert items["dspt:1.1.1"]["status"] == "at risk"
    data, items = status(repo, "2027-01-01")
    assert items["dspt:1.1.1"]["status"] == "not met"
    assert data["overall"] == "Standards Not Met"


def test_standards_exceeded_needs_standards_met_and_the_named_certificate(repo):
    catalogue = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    repo.write("standards/dspt/catalogue.yaml", catalogue)  # met, and exceeded needs CE+
    data, _ = status(repo)
    assert data["overall"] == "Standards Met"
    assert data["position"]["notes"] == ["Standards Exceeded needs a current Cyber Essentials "
                                         "Plus certificate as well."]
    repo.write("evidence/2026/cert.md", CERT)
    data, _ = status(repo)
    assert data["overall"] == "Standards Exceeded"
    data, _ = status(repo, "2026-09-01")  # GV-1's evidence has expired: no longer met
    assert data["overall"] == "Standards Not Met"


def test_a_partial_scope_iso_certificate_exempts_nothing(repo):
    catalogue = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    repo.write("standards/dspt/catalogue.yaml", exempting(catalogue, "iso27001"))
    repo.remove("evidence/2026/ico.md")
    repo.write("evidence/2026/cert.md", CERT.replace("scheme: ce-plus", "scheme: iso27001, scope: partial"))
    _, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "not met"
    repo.write("evidence/2026/cert.md", CERT.replace("scheme: ce-plus", "scheme: iso27001, scope: full"))
    _, items = status(repo)
    assert items["dspt:1.1.1"]["status"] == "met"


MAPPED = """\
framework: iso27001
standards:
  - id: A.6
    title: People controls
    assertions:
      - id: A.6
        title: People controls
        items:
          - id: A.6.2
            title: Employment terms state security duties
            maps_to: [{{ref: "dspt:1.1.1", relation: {relation}}}]
"""


def test_evidence_carries_across_a_mapping_only_when_it_covers_the_whole_item(repo):
    repo.write("policies/governance.md", policy(meets="iso27001:A.6.2"))
    for relation, carried in (("equal", True), ("superset", True), ("subset", False),
                              ("intersect", False)):
        repo.write("standards/iso/catalogue.yaml", MAPPED.format(relation=relation))
        _, items = status(repo)
        assert items["iso27001:A.6.2"]["status"] == "met"
        assert (items["dspt:1.1.1"]["status"] == "met") is carried, relation
