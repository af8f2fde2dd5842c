"""The level the DSPT would publish, per organisation category, from the catalogue's own data:
complete and incomplete catalogues, "not applicable" answers, Approaching Standards only once,
an agreed improvement plan, and Standards Exceeded known and unknown. Nothing is guessed."""

from __future__ import annotations

from datetime import date

import pytest

from dsptkit import pipeline
from rules.builders import CERTIFICATE, PLANNED, policy, with_org

AS_OF = date(2026, 7, 1)
BASE_TAIL = """cycle: {opens: 2026-01-01, deadline: 2027-06-30, source: test}
published: {"3": {met: 1, approaching: 1, source: test}}
positions:
  "3":
    met: {source: test}
    approaching: {items: approaching, plan: action, once: true, source: test}
    exceeded: {certificate: ce-plus, source: test}
"""


def catalogue(repo, tail: str, **levels: str) -> None:
    """The base catalogue with its edition facts replaced by ``tail`` and item levels changed
    (``i111="met"`` sets dspt:1.1.1's level for category 3)."""
    text = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    text = text[: text.index("cycle:")] + tail
    for key, level in levels.items():
        old = {"i111": 'levels: {"3": approaching}', "i112": 'levels: {"3": optional}'}[key]
        text = text.replace(old, f'levels: {{"3": {level}}}')
    repo.write("standards/dspt/catalogue.yaml", text)


def verdict(repo, as_of: date = AS_OF):
    run = pipeline.run(repo.root, as_of)
    return run.position.verdict


def unmet_with_plan(repo) -> None:
    repo.remove("evidence/2026/ico.md")
    repo.write("policies/governance.md", policy(claim_extra=PLANNED.format("2026-12-01")))


def test_a_complete_catalogue_all_met_is_standards_met(repo):
    v = verdict(repo)
    assert v.level.value == "Standards Met"
    assert v.statement == "Standards Met: all 1 mandatory items are met."


def test_an_incomplete_catalogue_never_says_a_plain_standards_met(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: 45, approaching: 1"))
    v = verdict(repo)
    assert v.level.value == "Not determined"
    assert v.headline == "Standards Met on 1 of 45"
    assert v.statement == ("Standards Met on 1 of the 45 published items; 44 are not in this "
                           "catalogue, so Standards Met cannot be confirmed.")
    run = pipeline.run(repo.root, AS_OF)
    assert [r.message for r in run.results if r.code == "CA102"] == [
        "Standards Met for category 3 needs 45 items; this catalogue holds 1, so 44 are not in "
        "it; add the missing items in a local catalogue (standards/README.md)"]


def test_an_unknown_published_count_is_said_not_guessed(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: null, approaching: 1"))
    v = verdict(repo)
    assert v.level.value == "Not determined"
    assert "the edition's count for category 3 is not known" in v.statement


def test_a_local_catalogue_makes_the_count_whole(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: 2, approaching: 1"))
    assert verdict(repo).level.value == "Not determined"
    repo.write("standards/local/dspt-additions.yaml", """\
framework: dspt
standards:
  - id: "1"
    title: Personal confidential data
    assertions:
      - id: "1.2"
        title: Rights
        items:
          - id: "1.2.4"
            title: National data opt-out applied
            levels: {"3": met}
            provenance: "entered from the DSPT by bob on 2026-06-20"
""")
    repo.write("policies/optout.md", policy(meets="dspt:1.2.4").replace("GV-1", "OO-1")
               .replace("id: governance", "id: optout"))
    repo.write("evidence/2026/optout.md", "---\nid: EV-9\ntitle: Opt-out check\n"
               "collected: 2026-06-20\nby: bob\nsupports: [OO-1]\noutcome: pass\n---\n")
    v = verdict(repo)
    assert v.level.value == "Standards Met"
    assert v.coverage.held == 2 and v.coverage.complete


def test_a_not_applicable_answer_where_allowed_counts_as_answered(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: 2, approaching: 1"),
              i112="met")
    assert verdict(repo).level.value == "Standards Not Met"  # 1.1.2 is unclaimed
    with_org("""answers:
  - item: dspt:1.1.2
    answer: not applicable
    reason: We hold no information assets of our own.
    decided_by: siro
    decided_on: 2026-06-01
""")(repo)
    run = pipeline.run(repo.root, AS_OF)
    assert run.position.verdict.level.value == "Standards Met"
    assert run.position.mandatory_met == 2
    assert "CO101" not in {r.code for r in run.results}
    # decided after the date assessed: not yet an answer
    assert verdict(repo, date(2026, 5, 31)).level.value == "Standards Not Met"


def test_a_not_applicable_answer_where_not_allowed_counts_for_nothing(repo):
    repo.remove("evidence/2026/ico.md")
    with_org("""answers:
  - item: dspt:1.1.1
    answer: not applicable
    reason: We hold no personal data.
    decided_by: siro
    decided_on: 2026-06-01
""")(repo)
    run = pipeline.run(repo.root, AS_OF)
    assert run.position.items["dspt:1.1.1"].answer is None
    assert run.position.verdict.level.value == "Standards Not Met"
    assert "AN101" in {r.code for r in run.results}


def test_approaching_standards_needs_its_items_met_and_a_plan_for_the_rest(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: 2, approaching: 1"),
              i112="met")
    repo.write("policies/assets.md", policy(meets="dspt:1.1.2", claim_extra=PLANNED.format(
        "2026-12-01")).replace("GV-1", "AS-1").replace("id: governance", "id: assets"))
    v = verdict(repo)
    assert v.level.value == "Approaching Standards"
    assert v.notes == ("Approaching Standards can be published only once.",)
    repo.remove("policies/assets.md")
    v = verdict(repo)
    assert v.level.value == "Standards Not Met"
    assert "1 unmet item has no in-date planned claim (e.g. dspt:1.1.2)" in v.statement


def test_approaching_standards_can_be_published_once(repo):
    catalogue(repo, BASE_TAIL.replace("met: 1, approaching: 1", "met: 2, approaching: 1"),
              i112="met")
    repo.write("policies/assets.md", policy(meets="dspt:1.1.2", claim_extra=PLANNED.format(
        "2026-12-01")).replace("GV-1", "AS-1").replace("id: governance", "id: assets"))
    with_org("""publications:
  - published: 2025-06-27
    edition: 2024-25 (v7)
    status: Approaching Standards
""")(repo)
    v = verdict(repo)
    assert v.level.value == "Standards Not Met"
    assert v.statement.endswith("Approaching Standards is not reached: it was already published "
                                "on 2025-06-27 (2024-25 (v7)), and can be published only once.")


def test_an_agreed_improvement_plan_is_needed_where_the_catalogue_says_so(repo):
    tail = BASE_TAIL.replace("met: 1, approaching: 1", "met: 2, approaching: null").replace(
        "{items: approaching, plan: action, once: true, source: test}",
        "{plan: agreed, source: test}")
    catalogue(repo, tail, i112="met")
    repo.write("policies/assets.md", policy(meets="dspt:1.1.2", claim_extra=PLANNED.format(
        "2026-12-01")).replace("GV-1", "AS-1").replace("id: governance", "id: assets"))
    v = verdict(repo)
    assert v.level.value == "Standards Not Met"
    assert "no improvement plan agreed with NHS England is recorded" in v.statement
    with_org("""improvement_plan:
  agreed_with: NHS England
  agreed_on: 2026-05-01
""")(repo)
    v = verdict(repo)
    assert v.level.value == "Approaching Standards"
    assert "an improvement plan agreed with NHS England" in v.statement


def test_an_unknown_approaching_rule_is_said_not_guessed(repo):
    catalogue(repo, BASE_TAIL.replace(
        "approaching: {items: approaching, plan: action, once: true, source: test}",
        'approaching: {unknown: "no source says", source: test}'))
    unmet_with_plan(repo)
    v = verdict(repo)
    assert v.level.value == "Not determined"
    assert "Whether Approaching Standards is open to category 3 is not known (no source says)" \
        in v.statement


@pytest.mark.parametrize("rule, cert, level, note", [
    ("{certificate: ce-plus, source: test}", True, "Standards Exceeded", None),
    ("{certificate: ce-plus, source: test}", False, "Standards Met",
     "Standards Exceeded needs a current Cyber Essentials Plus certificate as well."),
    ('{unknown: "no public source", source: test}', True, "Standards Met",
     "Whether Standards Exceeded is open to category 3 is not known: no public source."),
])
def test_standards_exceeded_known_and_unknown(repo, rule, cert, level, note):
    catalogue(repo, BASE_TAIL.replace("{certificate: ce-plus, source: test}", rule))
    if cert:
        repo.write("evidence/2026/cert.md", CERTIFICATE.format(expires="2026-12-31"))
    v = verdict(repo)
    assert v.level.value == level
    assert v.notes == ((note,) if note else ())


def test_the_calendar_gives_the_deadline_and_says_when_the_catalogue_is_out_of_date(repo):
    run = pipeline.run(repo.root, date(2026, 11, 23))
    cal = run.position.calendar
    assert (cal.deadline, cal.days_left, cal.deadline_known) == (date(2027, 6, 30), 219, True)
    assert cal.banner is None
    late_run = pipeline.run(repo.root, date(2027, 7, 1))
    assert late_run.position.verdict.level.value == "Not determined"
    assert late_run.position.verdict.headline == "Standards Not Met (on this catalogue)"
    assert late_run.position.verdict.statement.endswith(
        "That is against this catalogue, which is not for the cycle of 2027-07-01, so the level "
        "cannot be confirmed until the catalogue is updated.")
    late = late_run.position.calendar
    assert late.deadline == date(2028, 6, 30) and not late.deadline_known
    assert late.banner.startswith("This catalogue is for an earlier edition, whose publication "
                                  "deadline was 2027-06-30")
    text = repo.dspt("status", "--as-of", "2027-07-01").out
    assert "Next deadline expected 2028-06-30 (365 days left; the DSPT deadline has " \
           "been 30 June each year, but this catalogue does not cover that cycle)" in text


def test_an_item_whose_answer_is_a_profile_fact_is_not_met_without_it(repo):
    text = (repo.root / "standards/dspt/catalogue.yaml").read_text()
    repo.write("standards/dspt/catalogue.yaml", text.replace(
        'levels: {"3": approaching}', 'levels: {"3": approaching}\n'
        '            needs_profile: [ico_registration]'))
    assert verdict(repo).level.value == "Standards Met"
    org = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", org.replace("profile: {ico_registration: ZA123456}\n", ""))
    run = pipeline.run(repo.root, AS_OF)
    state = run.position.items["dspt:1.1.1"]
    assert state.status.value == "not met"
    assert state.reason == ("the ICO registration number is not recorded (organisation.yaml "
                            "profile.ico_registration), and it is the answer the DSPT asks for")
    assert run.position.verdict.level.value == "Standards Not Met"
