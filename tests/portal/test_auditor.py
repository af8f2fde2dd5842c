"""What an auditor sees, built by the real `mkdocs build --strict`: every fact from the
position and the check's own results, so the portal and `dspt check` never disagree."""

from __future__ import annotations

import re
from datetime import date

from dsptkit import pipeline
from dsptkit.standing import Employment, employment, training
from portal_helpers import make_portal_repo, mkdocs_build, rendered_pages

HOSTILE = "<img src=x onerror=alert(1)>"


def _people(current: int, trained: int, starter: str | None) -> tuple[str, str]:
    people = ["people:"] + [f"  - {{id: p{n:02d}, name: Person {n:02d}, started: 2020-01-01}}"
                            for n in range(current)]
    if starter:
        people.append(f"  - {{id: newbie, name: New Starter, started: {starter}}}")
    people.append("  - {id: alice, name: Alice Adams, started: 2019-01-01, left: 2026-03-31}")
    people.append("  - {id: bob, name: Bob Brown, started: 2020-01-01, left: 2026-04-30}")
    records = ["training:"] + [f"  - {{person: p{n:02d}, course: Data Security Awareness, "
                               "completed: 2026-02-01}" for n in range(trained)]
    return "\n".join(people) + "\n", "\n".join(records) + "\n"


def test_training_is_the_rules_own_count_and_a_future_starter_is_not_untrained(tmp_path, repo):
    make_portal_repo(repo)
    people, records = _people(20, 19, starter="2026-08-01")  # a month after the as-of date
    repo.write("evidence/registers/people.yaml", people)
    repo.write("evidence/registers/training.yaml", records)
    check = repo.dspt("check", "--select", "RG")
    assert check.code == 0 and "0 errors, 0 findings" in check.out, check.out  # no RG101
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/registers.html").read_text()
    assert '<span class="dspt-badge dspt-met">95% trained</span>' in html
    assert "19 of 20 current people completed training since 2025-07-01" in html
    assert ": met." in html
    # a public build counts people by role: no names, no dates
    assert "<tr><td>no role recorded</td><td>20</td><td>19 of 20</td><td>1</td></tr>" in html
    assert "New Starter" not in html and "Person 00" not in html and "2026-08-01" not in html
    internal = mkdocs_build(repo.root, tmp_path / "internal", as_of="2026-07-01", internal=True)
    assert internal.code == 0, internal.output
    html = (tmp_path / "internal/registers.html").read_text()
    row = re.search(r"<tr><td>New Starter</td>.*?</tr>", html).group(0)
    assert "starts 2026-08-01" in row and "not in date" not in row
    assert html.count("not in date") == 1  # the one current person not trained


def test_training_under_the_bar_is_not_met_and_never_rounds_up_to_95(repo):
    people, records = _people(199, 189, starter=None)  # 94.97%: RG101 fires
    repo.write("evidence/registers/people.yaml", people)
    repo.write("evidence/registers/training.yaml", records)
    run = pipeline.run(repo.root, date(2026, 7, 1))
    assert "RG101" in {r.code for r in run.results}
    html = rendered_pages(run)["registers.md"]
    assert '<span class="dspt-badge dspt-not-met">94% trained</span>' in html


def test_employment_is_the_one_rule_for_who_counts_as_current(repo):
    people, records = _people(3, 3, starter="2026-08-01")
    repo.write("evidence/registers/people.yaml", people)
    repo.write("evidence/registers/training.yaml", records)
    run = pipeline.run(repo.root, date(2026, 7, 1))
    states = {p.id: employment(p, date(2026, 7, 1)) for p in run.repo.people.values()}
    assert states["newbie"] is Employment.STARTING and states["alice"] is Employment.LEFT
    assert states["p00"] is Employment.CURRENT
    assert {p.id for p in training(run.repo, date(2026, 7, 1)).people} == \
        {pid for pid, state in states.items() if state is Employment.CURRENT}
    assert employment(run.repo.people["newbie"], date(2026, 8, 1)) is Employment.CURRENT


GOVERNANCE = """\
---
id: governance
title: Governance policy
version: "1.0"
status: approved
owner: siro
approved: {by: siro, on: 2026-01-10}
claims:
  - id: GV-1
    says: Our ICO registration is current.
    meets: [dspt:1.1.1]
    evidence_every: 90d
  - id: GV-2
    says: The asset register is reviewed every month.
    meets: [dspt:1.1.2]
    evidence_every: 30d
---
# Governance
"""


def _evidence(ev_id: str, collected: str, supports: str, outcome: str = "pass") -> str:
    return (f"---\nid: {ev_id}\ntitle: Record {ev_id}\ncollected: {collected}\nby: bob\n"
            f"supports: [{supports}]\noutcome: {outcome}\n---\nBody.\n")


def test_the_evidence_register_marks_expired_and_superseded_evidence(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("policies/governance.md", GOVERNANCE)
    repo.write("evidence/2026/old.md", _evidence("EV-0", "2026-03-01", "GV-1"))
    repo.write("evidence/2026/assets.md", _evidence("EV-A", "2026-05-01", "GV-2"))
    repo.write("evidence/2026/failed.md", _evidence("EV-F", "2026-05-20", "GV-1", "fail"))
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/evidence/index.html").read_text()
    rows = {m.group(1): m.group(0) for m in
            re.finditer(r'<tr><td class="dspt-date">[^<]*</td><td><a class="dspt-id" '
                        r'href="[^"]*">([^<]+)</a>.*?</tr>', html)}

    def badge(css: str, text: str) -> re.Pattern[str]:
        return re.compile(f'<span class="dspt-badge dspt-{css}"[^>]*>{re.escape(text)}</span>')

    assert badge("met", "current to 2026-08-30").search(rows["EV-1"])
    assert badge("na", "superseded by EV-1").search(rows["EV-0"])
    assert badge("not-met", "expired 2026-05-31").search(rows["EV-A"])
    assert badge("na", "failed; superseded by EV-1").search(rows["EV-F"])
    assert not re.search(r'dspt-met">\s*pass', html)  # never a green "pass" alone
    page = (tmp_path / "site/evidence/EV-0.html").read_text()
    assert 'newer evidence: <a class="dspt-id" href="EV-1.html">EV-1</a>' in page


def test_a_policy_shows_each_claims_evidence_and_its_open_findings(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("policies/governance.md", GOVERNANCE)
    repo.write("evidence/2026/old.md", _evidence("EV-0", "2026-03-01", "GV-1"))
    repo.write("evidence/2026/assets.md", _evidence("EV-A", "2026-05-01", "GV-2"))
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/policies/governance.html").read_text()
    findings = html.split('id="findings"')[1].split('id="claims"')[0]
    assert "CL102" in findings and "claim GV-2" in findings
    evidence = html.split('id="evidence-gv-1"')[1].split('id="evidence-gv-2"')[0]
    assert evidence.index("EV-1") < evidence.index("EV-0")  # newest first
    assert "current to 2026-08-30" in evidence and "superseded by EV-1" in evidence
    assert '<span class="dspt-badge dspt-not-met">expired 2026-05-31</span>' in html
    assert '<span class="dspt-badge dspt-met">approved</span>' in html  # approval is fine


def test_a_policy_changed_since_its_approval_is_not_shown_plainly_approved(tmp_path, git_repo):
    repo = git_repo
    make_portal_repo(repo)
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text + "\nVisitors sign in at reception.\n")
    repo.commit("Visitors sign in", date="2026-06-12")
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/policies/governance.html").read_text()
    assert '<span class="dspt-badge dspt-at-risk">approved, but changed since</span>' in html
    assert 'dspt-met">approved<' not in html
    findings = html.split('id="findings"')[1].split('id="claims"')[0]
    assert "HI004" in findings and "Visitors sign in" not in findings
    assert "after its approval, without a new version and approval date" in findings
    index = (tmp_path / "site/policies/index.html").read_text()
    assert "approved, but changed since" in index


def test_repeated_findings_are_one_line_under_what_someone_must_do(tmp_path, capsys):
    from dsptkit.main import main

    assert main(["init", str(tmp_path / "org"), "--name", "Acme", "--category", "3",
                 "--no-git"]) == 0
    for starter in (tmp_path / "org" / "policies").glob("*.md"):  # drafts someone has begun
        text = starter.read_text()
        starter.write_text("".join(line for line in text.splitlines(keepends=True)
                                   if not line.startswith("starter: true")))
    run = pipeline.run(tmp_path / "org", date(2026, 7, 1))
    drafts = [r for r in run.results if r.code == "PO102"]
    assert len(drafts) > 30
    html = rendered_pages(run)["gaps.md"]
    section = html.split('<h2 id="approve">')[1].split("<h2 ")[0]
    assert section.startswith(f"Approve draft policies <small>({len(drafts)})</small>")
    assert section.count('<tr class="dspt-repeated">') == 1
    assert f"<summary><strong>{len(drafts)} findings</strong> in " in section
    assert section.count("<li>") == len(drafts)  # each one still there, folded away
    assert section.count("<tr") == 2  # the header and one line


def test_a_hostile_title_is_text_in_the_page_title_header_and_body(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("evidence/2026/x.md", _evidence("EV-9", "2026-06-10", "GV-1").replace(
        "title: Record EV-9", f"title: {HOSTILE}"))
    repo.write("policies/governance.md", GOVERNANCE.replace("title: Governance policy",
                                                            f"title: '{HOSTILE}'"))
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for page, title in (("evidence/EV-9.html", f"EV-9 {escaped}"),
                        ("policies/governance.html", escaped)):
        html = (tmp_path / "site" / page).read_text()
        assert f"<title>{title} - " in html
        header = html.split('<div class="md-header__topic" data-md-component="header-topic">')[1]
        assert header.split("</span>")[0].split('<span class="md-ellipsis">')[1].strip() == title
    leaks = [path for path, text in build.pages().items() if "<img src=x" in text]
    assert leaks == []


def test_an_override_in_site_config_replaces_a_packaged_template(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("site_config/overrides/dspt/evidence.html",
               '{% extends "dsptkit/evidence.html" %}\n{% block record %}<p class="ours">'
               "Reviewed by our auditors: {{ ev.id }}</p>{% endblock %}\n")
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/evidence/EV-1.html").read_text()
    assert '<p class="ours">Reviewed by our auditors: EV-1</p>' in html
    assert "Checked the register." not in html and "Collected" in html
    assert not (tmp_path / "site/dspt").exists()  # the override is not published as a file
