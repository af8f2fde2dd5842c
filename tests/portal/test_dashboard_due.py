"""The dashboard's next 60 days, staff sign-off and key people, and the internal portal's
due.ics: all read from the position (``position.schedule``, ``.acknowledgements``,
``.key_people``), shown as each build may show them."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import AS_OF, ROOT, chromium_path
from dsptkit import pipeline
from dsptkit.due import DueItem, Kind
from dsptkit.portal.site import Site, build_site
from dsptkit.portal.templating import Renderer
from dsptkit.standing import YEAR
from portal_helpers import make_portal_repo, mkdocs_build

WINDOW = timedelta(days=60)
SHOTS = ROOT / "build" / "screenshots"

# a tiny repository with something in each part of the dashboard: an incident action past
# due, one due within 60 days and one after, a policy staff must sign (alice has, bob has
# not and is late), and standard 1's two current evidence files both collected by bob
PEOPLE = """\
    people:
      - {id: alice, name: Alice Adams, role: Director, email: alice@example.org}
      - {id: bob, name: Bob Brown, role: IT lead, email: bob@example.org}
    """
INCIDENTS = """\
    incidents:
      - id: INC-1
        date: 2026-03-01
        summary: A letter went to the wrong address.
        lessons: Addresses are read back at booking.
        actions:
          - {action: Add read-back to the booking script, owner: ig_lead, due: 2026-06-10}
          - {action: Brief the front desk, owner: siro, due: 2026-07-20}
          - {action: Audit a month of letters, owner: bob, due: 2026-12-01}
        closed: 2026-03-20
    """
ACKNOWLEDGEMENTS = """\
    acknowledgements:
      - {person: alice, policy: governance, version: "1.0", on: 2026-01-20}
    """
ASSET_POLICY = """\
    ---
    id: assets
    title: Asset register policy
    version: "1.0"
    status: approved
    owner: it_lead
    approved: {by: siro, on: 2026-01-10}
    claims:
      - {id: AS-1, says: Our asset register is kept., meets: [dspt:1.1.2]}
    ---
    """
ASSET_EVIDENCE = """\
    ---
    id: EV-2
    title: Asset register reviewed
    collected: 2026-06-15
    by: bob
    supports: [AS-1]
    outcome: pass
    ---
    Reviewed.
    """


def fill(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write("evidence/registers/people.yaml", PEOPLE)
    repo.write("evidence/registers/incidents.yaml", INCIDENTS)
    repo.write("evidence/registers/acknowledgements.yaml", ACKNOWLEDGEMENTS)
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("owner: siro\n",
                                                      "owner: siro\nacknowledge: true\n"))
    repo.write("policies/assets.md", ASSET_POLICY)
    repo.write("evidence/2026/assets.md", ASSET_EVIDENCE)


class _Tables(HTMLParser):
    """Each table's rows as cell texts, by the table's classes."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: list[list[str]] | None = None
        self.row_classes: dict[str, list[str]] = {}
        self.cell: list[str] | None = None
        self.current = ""

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag == "table":
            self.current = attrs.get("class") or ""
            self.rows = self.tables.setdefault(self.current, [])
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
            self.row_classes.setdefault(self.current, []).append(attrs.get("class") or "")
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th") and self.cell is not None and self.rows is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.rows = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, name: str) -> tuple[list[str], list[list[str]], list[str]]:
    """A table's header cells, body rows (cell texts) and the rows' classes."""
    parser = _Tables()
    parser.feed(html)
    key = next(k for k in parser.tables if name in k.split())
    rows, classes = parser.tables[key], parser.row_classes[key]
    return rows[0], rows[1:], classes[1:]


def build(root: Path, as_of: str, internal: bool) -> tuple[Site, str]:
    run = pipeline.run(root, as_of)
    site = build_site(run, None, internal)
    home = site.pages[0]
    assert home.path == "index.md"
    return site, Renderer(site).render(home).html


def dates(items: tuple[DueItem, ...]) -> list[str]:
    return [i.when.isoformat() if i.when else "no date" for i in items]


def public_dates(items: tuple[DueItem, ...]) -> list[str]:
    """The dates a public build shows: not those of people (training, sign-off) nor of the
    end of an asset's vendor support."""
    hidden = (Kind.TRAINING, Kind.SIGN_OFF, Kind.SUPPORT)
    return ["not published" if i.when and i.kind in hidden else d for i, d in zip(items, dates(items), strict=True)]


def expected(site: Site) -> tuple[DueItem, ...]:
    schedule = site.view.pos.schedule
    return schedule.within(site.as_of + WINDOW)


def test_the_dashboard_lists_the_schedules_next_60_days_overdue_first(repo):
    fill(repo)
    site, html = build(repo.root, AS_OF, internal=True)
    items = expected(site)
    headers, rows, classes = table(html, "dspt-due-table")
    assert headers == ["Date", "Status", "What", "Owner", "Where"]
    assert [(r[0], r[2]) for r in rows] == [(i.when.isoformat() if i.when else "no date", i.what)
                                           for i in items]
    # overdue first, oldest first, marked in words (not only a colour), each with its owner:
    # bob has not signed the governance policy 30 days after its approval, and an action
    # from the incident is past due
    assert [r[:4] for r in rows[:2]] == [
        ["2026-02-09", "overdue by 142 days",
         "Bob Brown to acknowledge Governance policy version 1.0", "Bob Brown"],
        ["2026-06-10", "overdue by 21 days",
         "action from incident INC-1: Add read-back to the booking script", "Bob Brown (ig_lead)"]]
    assert classes[:2] == ["dspt-overdue"] * 2 and classes.count("dspt-overdue") == 2
    assert ["2026-07-20", "due", "action from incident INC-1: Brief the front desk",
            "Alice Adams (siro)"] in [r[:4] for r in rows]
    assert not any("Audit a month of letters" in r[2] for r in rows)  # due in December
    # where to act: the claim's policy page
    evidence = next(r for r in rows if r[2] == "evidence for claim GV-1 expires")
    assert evidence[0] == "2026-08-30" and evidence[4] == "Governance policy"
    assert 'href="policies/governance.html"' in html
    assert "Subscribe to the calendar" in html and 'href="due.ics"' in html
    # the board report is linked when this build has its page (checked by its path)
    assert ('<a href="board.html">Board report</a>' in html) is \
        any(p.path == "board.md" for p in site.pages)


def test_the_public_dashboard_shows_the_same_items_by_role(repo):
    fill(repo)
    site, html = build(repo.root, AS_OF, internal=False)
    items = expected(site)
    _, rows, _ = table(html, "dspt-due-table")
    assert [r[0] for r in rows] == public_dates(items)
    for name in ("Alice Adams", "Bob Brown", "alice@", "bob@", ">alice<", ">bob<"):
        assert name not in html
    assert rows[1][1:4] == ["overdue by 21 days", "an action following an incident or near miss",
                            "ig_lead"]
    # a person's dates are not published: a sign-off's due date follows their start
    assert rows[0][:4] == ["not published", "overdue",
                           "IT lead to acknowledge Governance policy version 1.0", "IT lead"]
    assert "Add read-back" not in html and "INC-1" not in html  # no incident narrative
    assert "Subscribe to the calendar" not in html and "due.ics" not in html
    assert "board.html" not in html
    assert [a.path for a in site.assets if a.path == "due.ics"] == []


def test_the_dashboard_shows_the_share_of_staff_sign_off(repo):
    fill(repo)
    site, html = build(repo.root, AS_OF, internal=True)
    acks = site.view.pos.acknowledgements
    assert (acks.done, acks.total) == (1, 2)
    assert 'id="staff-sign-off"' in html
    assert "1/2 (50%) of what current staff are asked to sign: the current version of 1 policy " \
           "marked <code>acknowledge: true</code>, within 30d of approval or of starting; 1 late." \
           in html
    headers, rows, _ = table(html, "dspt-sign-off-table")
    assert headers == ["Policy", "Signed", "Late"]
    assert rows == [["Governance policy version 1.0", "1/2", "1"]]
    _, public = build(repo.root, AS_OF, internal=False)
    assert "1/2 (50%)" in public and "dspt-sign-off-table" not in public  # the share alone


def test_no_sign_off_section_when_no_policy_asks(repo):
    _, html = build(repo.root, AS_OF, internal=True)
    assert 'id="staff-sign-off"' not in html


def test_the_dashboard_shows_who_carries_each_standard(repo):
    fill(repo)
    site, html = build(repo.root, AS_OF, internal=True)
    standard = site.view.pos.key_people.standards[0]
    assert standard.sole_collector == "bob"
    headers, rows, _ = table(html, "dspt-carriers-table")
    assert headers == ["Standard", "Owners", "Evidence collected by", "Current evidence",
                       "Key-person risk"]
    assert rows == [["1. Personal confidential data", "Alice Adams, Bob Brown", "Bob Brown", "2",
                     "one collector"]]
    assert 'href="standards/dspt-1.html"' in html
    _, public = build(repo.root, AS_OF, internal=False)
    _, rows, _ = table(public, "dspt-carriers-table")
    assert rows == [["1. Personal confidential data", "2 people: Director, IT lead", "IT lead",
                     "2", "one collector"]]
    assert "by role" in public


def test_the_dashboard_notes_a_sole_approver_and_roles_held_together(repo):
    fill(repo)
    repo.write("policies/backup.md", ASSET_POLICY.replace("id: assets", "id: backup").replace(
        "Asset register policy", "Backup policy").replace("AS-1", "BK-1"))
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + "  dpo: alice\n")
    _, html = build(repo.root, AS_OF, internal=True)
    assert "Every approved policy (3) was approved by one person: Alice Adams (OW103)." in html
    assert "Alice Adams holds both dpo and siro, roles that should be held apart (OW104)." in html
    _, public = build(repo.root, AS_OF, internal=False)
    assert "Every approved policy (3) was approved by one person: Director (OW103)." in public
    assert "Director holds both dpo and siro, roles that should be held apart (OW104)." in public


def test_no_current_staff_to_sign(repo):
    fill(repo)
    repo.write("evidence/registers/people.yaml", PEOPLE.replace(
        "role: Director,", "role: Director, started: 2026-09-01,").replace(
        "role: IT lead,", "role: IT lead, started: 2026-09-01,"))
    _, html = build(repo.root, AS_OF, internal=True)
    assert "1 policy asks staff to sign, but there are no current staff to ask." in html


def test_due_ics_is_published_with_the_internal_build_only(repo):
    fill(repo)
    site, _ = build(repo.root, AS_OF, internal=True)
    [asset] = [a for a in site.assets if a.path == "due.ics"]
    data = asset.content(repo.root)
    assert data is not None
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    dated = [i for i in site.view.pos.schedule.within(YEAR.after(site.as_of)) if i.when]
    assert len(events) == len(dated) and len({str(e["UID"]) for e in events}) == len(events)
    assert sorted(e.decoded("DTSTART") for e in events) == sorted(i.when for i in dated)
    # a year ahead: the December action is there, with its owner invited
    audit = next(e for e in events if "Audit a month of letters" in str(e["SUMMARY"]))
    assert str(audit["ATTENDEE"]) == "mailto:bob@example.org"
    public, _ = build(repo.root, AS_OF, internal=False)
    assert [a.path for a in public.assets if a.path.endswith(".ics")] == []


def test_portal_export_writes_due_ics_in_an_internal_export_only(repo, tmp_path, capsys):
    from dsptkit.main import main

    fill(repo)
    assert main(["portal", "export", str(tmp_path / "internal"), "--repo", str(repo.root),
                 "--as-of", AS_OF, "--internal"]) == 0
    assert Calendar.from_ical((tmp_path / "internal/due.ics").read_bytes()).walk("VEVENT")
    assert main(["portal", "export", str(tmp_path / "public"), "--repo", str(repo.root),
                 "--as-of", AS_OF]) == 0
    assert not (tmp_path / "public/due.ics").exists()


@pytest.mark.parametrize("internal", [True, False], ids=["internal", "public"])
def test_the_worked_example_dashboard_is_the_schedule(internal):
    site, html = build(ROOT, "2026-11-22", internal)
    items = expected(site)
    _, rows, classes = table(html, "dspt-due-table")
    assert [r[0] for r in rows] == (dates(items) if internal else public_dates(items))
    overdue = [i for i in items if i.overdue]
    assert overdue and classes == ["dspt-overdue"] * len(overdue) + [""] * (len(items) - len(overdue))
    assert all(r[1].startswith("overdue") for r in rows[:len(overdue)]), rows
    assert all(not r[1].startswith("overdue") for r in rows[len(overdue):])
    _, carriers, _ = table(html, "dspt-carriers-table")
    standards = site.view.pos.key_people.standards
    assert [r[0] for r in carriers] == [f"{s.standard}. {s.title}" for s in standards]
    assert [r[3] for r in carriers] == [str(s.evidence) for s in standards]
    people = site.view.repo.people.values()
    if internal:
        assert [r[2] for r in rows] == [i.what for i in items]
        assert "Subscribe to the calendar" in html
        assert any(p.name in html for p in people)
    else:
        assert not [p.name for p in people if p.name in html]
        assert "Subscribe to the calendar" not in html
    assert ("due.ics" in [a.path for a in site.assets]) is internal


def test_an_internal_mkdocs_build_publishes_due_ics(repo, tmp_path):
    """The one real build here: `mkdocs build --strict` of an internal site of the tiny
    repository publishes due.ics beside the dashboard that links to it; the dashboard is
    then opened in Chromium and photographed."""
    fill(repo)
    make_portal_repo(repo)
    built = mkdocs_build(repo.root, tmp_path / "site", as_of=AS_OF, internal=True)
    assert built.code == 0, built.output
    published = (tmp_path / "site/due.ics").read_bytes()
    site, _ = build(repo.root, AS_OF, internal=True)
    assert published == next(a.data for a in site.assets if a.path == "due.ics")
    assert Calendar.from_ical(published).walk("VEVENT")
    index = (tmp_path / "site/index.html").read_text()
    assert '<a href="due.ics">Subscribe to the calendar</a>' in index
    _look(tmp_path / "site")


def _look(site: Path) -> None:
    from portal.test_browser import CHROMIUM_ARGS

    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            tab = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
            tab.goto((site / "index.html").as_uri())
            due = tab.get_by_role("table").filter(has_text="Owner").first
            assert due.get_by_role("row").nth(1).inner_text().startswith("2026-02-09")
            assert tab.get_by_role("link", name="Subscribe to the calendar").is_visible()
            assert tab.get_by_role("heading", name="Who carries each standard").is_visible()
            SHOTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(SHOTS / "dashboard-due.png"), full_page=True)
        finally:
            chromium.close()


def test_the_horizon_is_sixty_days_from_the_as_of_date(repo):
    fill(repo)
    site, html = build(repo.root, AS_OF, internal=True)
    assert site.as_of + WINDOW == date(2026, 8, 30)
    assert "then what falls due up to 2026-08-30, soonest first" in html
