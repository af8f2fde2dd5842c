"""The quarterly board report: the position now and at the end of the last quarter, what was
done, what falls due next quarter, incidents and their lessons, training and sign-off, the
top risks and the decisions the board must take. Short enough to read in five minutes.

Every fact is read from check runs of the one pipeline (:func:`dsptkit.pipeline.run`): the
position, its schedule (``position.schedule``), incidents, sign-off and key people, and
:func:`dsptkit.compare.compare` for what changed between the two quarter ends. Nothing here
works out a status, a due date or a share again; this module only picks the quarter's share
of what the runs hold, by the dates in the files.

The two sides:

* now: the report date is the end of the quarter, or the as-of date while the quarter is
  running. While it runs, the files as they are; for a quarter already over, the files as
  committed at its end (the newest commit made by then), found in git history as ``dspt
  history`` finds its month ends.
* last quarter: the files as committed at the end of the previous quarter, assessed on that
  date. Without git history (``check.history: false``, not a git repository, or no commit
  made by then) the report says so in plain words, and shows the same files re-assessed on
  the earlier date, labelled "by the dates in today's files, not as recorded": never as the
  record.

:func:`markdown` renders the report; the portal's internal Board report page
(:mod:`dsptkit.portal.pages.board`) renders the same :class:`BoardReport`, and ``dspt report
board --format pdf`` prints that page.
"""

from __future__ import annotations

import calendar
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from dsptkit import pipeline
from dsptkit.compare import compare
from dsptkit.due import DueItem, Kind, owner_name
from dsptkit.engine import CheckRun, why_no_history
from dsptkit.errors import UsageError
from dsptkit.git import month_end_commits
from dsptkit.levels import Overall
from dsptkit.model import (
    Incident,
    Repository,
    Risk,
    Severity,
    TrainingRecord,
    Waiver,
    one_line,
)
from dsptkit.standing import TRAINING_BAR
from dsptkit.status import ItemStatus

CAP = 5  # the most of any list the report shows; the rest are counted ("and 3 more")
MONTHS = tuple(calendar.month_name[1:])
RECONSTRUCTED = "by the dates in today's files, not as recorded"


# -- the quarter --------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*Q\s*([1-4])|Q\s*([1-4])\s*[-/ ]?\s*(\d{4}))$",
                      re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4: January to March is Q1

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q4``, ``2026-Q4`` or ``Q4 2026`` (any case); anything else is a usage error."""
        found = _QUARTER.match(text.strip())
        if found is None:
            raise UsageError(f"--quarter '{one_line(text)}' is not a quarter; write it as 2026Q4, "
                             "2026-Q4 or Q4 2026 (Q1 is January to March)")
        year, number = (found.group(1), found.group(2)) if found.group(1) else \
            (found.group(4), found.group(3))
        if not 1900 <= int(year) <= 9998:
            raise UsageError(f"--quarter '{one_line(text)}': the year {year} is out of range")
        return cls(int(year), int(number))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)

    @property
    def label(self) -> str:
        """As ``--quarter`` takes it: 2026Q4."""
        return f"{self.year}Q{self.number}"

    @property
    def name(self) -> str:
        """Q4 2026."""
        return f"Q{self.number} {self.year}"

    @property
    def months(self) -> str:
        """October to December 2026."""
        first = MONTHS[3 * self.number - 3]
        return f"{first} to {MONTHS[3 * self.number - 1]} {self.year}"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def quarter_for(text: str | None, as_of: date) -> Quarter:
    """The quarter ``--quarter`` names (default: the one holding the as-of date); one that
    starts after the as-of date has nothing to report yet (a usage error)."""
    quarter = Quarter.parse(text) if text else Quarter.of(as_of)
    if quarter.start > as_of:
        raise UsageError(f"--quarter {quarter.label} starts on {quarter.start.isoformat()}, after "
                         f"the as-of date {as_of.isoformat()}: nothing of it has happened yet "
                         f"(the latest quarter to report on is {Quarter.of(as_of).label})")
    return quarter


def _end_of(day: date) -> datetime:
    """The last moment of a day, as ``dspt history`` takes a month's end."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


# -- the facts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """The position on one side: now, or at the end of the last quarter."""

    as_of: date
    basis: str  # "files" (as they are) | "recorded" (committed then) | "reconstructed"
    source: str  # in words: where the files came from
    level: Overall
    headline: str
    statement: str
    met: int  # mandatory items met (or answered not applicable)
    mandatory: int
    training: float | None  # share of current staff trained in the 12 months up to the date
    errors: int  # errors in the files on this side (the report refuses them now, not then)

    @property
    def recorded(self) -> bool:
        return self.basis != "reconstructed"


@dataclass(frozen=True)
class Line:
    """One thing done, due or at risk, as the report lists it."""

    when: date | None
    ref: str  # an id, a name or an item reference
    text: str  # what it is
    who: str | None = None  # a person's name, or an owner as written
    note: str | None = None  # anything else to say of it


@dataclass(frozen=True)
class Change:
    """What changed between the two sides (:func:`dsptkit.compare.compare`)."""

    recorded: bool  # both sides from git; False: last quarter is today's files re-assessed
    overall: tuple[str, str]
    items: tuple[tuple[str, str, str, str], ...]  # ref, title, before, after
    evidence_added: tuple[tuple[str, str], ...]  # id, title (git: recorded only)
    policies: tuple[tuple[str, str], ...]  # id, what changed (git: recorded only)
    resolved: int  # findings and warnings gone since (recorded only)
    new: int  # findings and warnings that appeared since (recorded only)

    @property
    def became_met(self) -> tuple[tuple[str, str, str, str], ...]:
        return tuple(i for i in self.items if _is_met(i[3]) and not _is_met(i[2]))

    @property
    def no_longer_met(self) -> tuple[tuple[str, str, str, str], ...]:
        return tuple(i for i in self.items if _is_met(i[2]) and not _is_met(i[3]))


def _is_met(status: str) -> bool:
    return status in (ItemStatus.MET.value, ItemStatus.AT_RISK.value)


@dataclass(frozen=True)
class Done:
    """What the files date within the quarter, up to the report date."""

    evidence: tuple[Line, ...]  # collected
    policies: tuple[Line, ...]  # approved (a new version or a review)
    training: tuple[Line, ...]  # completions
    suppliers: tuple[Line, ...]  # yearly checks
    incidents_closed: tuple[Line, ...]
    actions_done: tuple[Line, ...]


@dataclass(frozen=True)
class Due:
    """From the position's schedule on the report date."""

    next: Quarter
    overdue: tuple[Line, ...]
    this_quarter: tuple[Line, ...]  # still to come before the quarter ends
    next_quarter: tuple[Line, ...]
    kinds: tuple[tuple[str, int], ...]  # next quarter's items by kind, most first
    notes: tuple[str, ...]  # what the schedule could not date


@dataclass(frozen=True)
class ActionLine:
    action: str
    owner: str | None
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class IncidentLine:
    id: str
    date: date
    kind: str  # "incident" or "near miss"
    summary: str
    lessons: str | None  # None: no lessons recorded
    closed: date | None
    open_actions: tuple[ActionLine, ...]

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.open_actions if a.overdue)


@dataclass(frozen=True)
class SignOff:
    policies: int  # approved policies asking staff to acknowledge them
    done: int
    total: int
    share: float | None
    overdue: int


@dataclass(frozen=True)
class Training:
    share: float | None  # None: no current staff
    trained: int
    staff: int
    met: bool | None  # at or above the bar
    before: float | None  # last quarter's share (None: not known)
    before_recorded: bool
    bar: float
    sign_off: SignOff | None  # None: no policy asks for it


@dataclass(frozen=True)
class RiskLine:
    id: str | None
    risk: str
    score: str | None
    owner: str | None
    status: str | None


@dataclass(frozen=True)
class Risks:
    blocking: tuple[Line, ...]  # mandatory items keeping Standards Met away
    register: tuple[RiskLine, ...]  # open risks, highest numeric score first
    sole_collectors: tuple[tuple[str, str], ...]  # standard, person
    sole_approver: tuple[str, int] | None  # person, policies approved
    conflicts: tuple[tuple[str, str, str], ...]  # person, role, role
    over_reliance: tuple[str, ...]  # OW101's messages, as dspt check gives them
    unconfirmed: str | None  # why no blocking item still does not make Standards Met certain
    findings: int
    warnings: int
    waived: int


@dataclass(frozen=True)
class WaiverLine:
    about: str  # the rule, and what it is waived for
    expires: date
    approved_by: str
    reason: str


@dataclass(frozen=True)
class Decisions:
    waivers: tuple[WaiverLine, ...]  # expiring by the end of next quarter: renew or not
    plans: tuple[Line, ...]  # planned claims past their target or due next quarter
    reviews: tuple[Line, ...]  # policy reviews overdue: approval needed
    actions: tuple[Line, ...]  # incident actions overdue

    @property
    def empty(self) -> bool:
        return not (self.waivers or self.plans or self.reviews or self.actions)


@dataclass(frozen=True)
class BoardReport:
    organisation: str
    quarter: Quarter
    as_of: date  # the report date: the quarter's end, or the as-of date while it runs
    now: Side
    before: Side | None  # None: nothing to compare with
    history_note: str | None  # why last quarter is not from git, in plain words
    change: Change | None
    deadline: str  # the next publication deadline and days left (position.calendar)
    done: Done
    due: Due
    incidents: tuple[IncidentLine, ...]  # incidents and near misses in the quarter
    training: Training
    risks: Risks
    decisions: Decisions
    notes: tuple[str, ...]

    @property
    def running(self) -> bool:
        """The quarter is not over on the report date."""
        return self.as_of < self.quarter.end


# -- the runs -----------------------------------------------------------------------------------

def report(now: CheckRun, quarter: Quarter) -> BoardReport:
    """The board report for ``quarter`` from ``now``, the run of the repository as it is on
    the as-of date (which refuses errors first): the quarter's own run, then :func:`build`."""
    pipeline.refuse_errors(now, "the board report is")
    current, basis, source, note = current_run(now, quarter)
    notes = [note] if note else []
    if basis == "recorded" and current.errors:
        notes.append(f"the files as committed at the end of {quarter.name} had {current.errors} "
                     "error(s), so the position then may be incomplete")
    return build(current, now.repo.root, quarter, basis=basis, source=source, notes=notes)


def current_run(now: CheckRun, quarter: Quarter) -> tuple[CheckRun, str, str, str | None]:
    """The run on the report date, with its basis, its source in words, and a note when it
    is not what was recorded. While the quarter runs that is ``now``; for a quarter already
    over, the files as committed at its end."""
    root = now.repo.root
    if quarter.holds(now.as_of):
        return now, "files", "the files as they are", None
    end = quarter.end
    history = now.history
    if history is not None and history.available:
        found = month_end_commits(history, [_end_of(end)])
        commit = found.get(_end_of(end))
        if commit is not None:
            run = pipeline.run(root, end, revision=commit.sha)
            return run, "recorded", _commit_words(commit.short, commit.committed.date()), None
        why = _no_commit(end, history.note)
    else:
        why = why_no_history(now.repo, history)
    return (pipeline.run(root, end), "reconstructed", RECONSTRUCTED,
            f"{why}: {quarter.name} is shown {RECONSTRUCTED}")


def _commit_words(short: str, day: date) -> str:
    return f"as recorded in git: commit {short} of {day.isoformat()}"


def _no_commit(end: date, shallow_note: str | None) -> str:
    after = date.fromordinal(end.toordinal() + 1)
    words = f"no git history before {after.isoformat()}"
    return f"{words} ({shallow_note})" if shallow_note else words


def previous_run(run: CheckRun, root: str | Path, quarter: Quarter
                 ) -> tuple[CheckRun, bool, str | None]:
    """The run at the end of the previous quarter, from the newest commit made by then in
    the history ``run`` read: (run, recorded, why it is not recorded)."""
    end = quarter.previous.end
    history = run.history
    if history is not None and history.available:
        found = month_end_commits(history, [_end_of(end)])
        commit = found.get(_end_of(end))
        if commit is not None:
            return pipeline.run(root, end, revision=commit.sha), True, None
        why = _no_commit(end, history.note)
    else:
        why = why_no_history(run.repo, history)
    note = f"{why}: the change since last quarter cannot be shown from git"
    return pipeline.run(root, end, revision=run.revision, history=False), False, note


# -- the report ---------------------------------------------------------------------------------

def build(run: CheckRun, root: str | Path, quarter: Quarter, *, basis: str = "files",
          source: str = "the files as they are", notes: Sequence[str] = ()) -> BoardReport:
    """The board report from ``run``, the run on the report date (see :func:`current_run`),
    and the run at the end of the previous quarter, which this reads from git."""
    pos = run.position
    repo = run.repo
    as_of = pos.as_of
    found = list(notes)
    before_run, recorded, history_note = previous_run(run, root, quarter)
    recorded = recorded and basis != "reconstructed"
    now = _side(run, basis, source)
    before_basis = "recorded" if recorded else "reconstructed"
    before_source = _commit_words(*_revision(before_run)) if recorded else RECONSTRUCTED
    before = _side(before_run, before_basis, before_source)
    if recorded and before_run.errors:
        found.append(f"the files as committed at the end of {quarter.previous.name} had "
                     f"{before_run.errors} error(s), so their position then may be incomplete")
    diff = compare(before_run, run, quarter.previous.label, quarter.label)
    change = Change(recorded, diff.overall, tuple(diff.items),
                    tuple(diff.evidence_added) if recorded else (),
                    tuple(diff.policies) if recorded else (),
                    len(diff.resolved_results) if recorded else 0,
                    len(diff.new_results) if recorded else 0)
    organisation = repo.organisation.name if repo.organisation else "Evidence repository"
    return BoardReport(organisation, quarter, as_of, now, before, history_note, change,
                       pos.calendar.deadline_text, _done(run, quarter), _due(run, quarter),
                       _incidents(run, quarter), _training(run, before_run, recorded),
                       _risks(run), _decisions(run, quarter), tuple(found))


def _revision(run: CheckRun) -> tuple[str, date]:
    sha = run.revision or ""
    history = run.history
    commit = next((c for c in history.commits if c.sha == sha), None) if history else None
    if commit is None:
        return sha[:8], run.as_of
    return commit.short, commit.committed.date()


def _side(run: CheckRun, basis: str, source: str) -> Side:
    pos = run.position
    return Side(pos.as_of, basis, source, pos.verdict.level, pos.verdict.headline, pos.verdict.statement,
                pos.mandatory_met, len(pos.mandatory), pos.training.share, run.errors)


class _Names:
    """People by name, as the board knows them: a role or person id becomes the person's name;
    anything else stays as written."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def __call__(self, who: str | None) -> str | None:
        if not who:
            return None
        org = self.repo.organisation
        person = self.repo.people.get(org.person_for(who) if org else who)
        return person.name if person else who


def _done(run: CheckRun, quarter: Quarter) -> Done:
    pos, repo = run.position, run.repo
    names = _Names(repo)
    start, end = quarter.start, pos.as_of

    def within(day: date | None) -> bool:
        return day is not None and start <= day <= end

    evidence = sorted((ev for ev in repo.evidence if within(ev.collected)),
                      key=lambda ev: (ev.collected, ev.id), reverse=True)
    policies = sorted((p for p in repo.policies if p.active_on(end) and within(p.approved_on)),
                      key=lambda p: (p.approved_on, p.id), reverse=True)
    training = sorted((r for r in repo.entries("training")
                       if isinstance(r, TrainingRecord) and within(r.completed)),
                      key=lambda r: (r.completed, r.person), reverse=True)
    suppliers = sorted((s.supplier for s in pos.suppliers if within(s.supplier.checked)),
                       key=lambda s: (s.checked, s.name), reverse=True)
    closed = [s for s in pos.incidents if within(s.incident.closed)]
    actions = [(s.incident, a) for s in pos.incidents for a in s.incident.actions
               if within(a.done)]
    return Done(
        tuple(Line(ev.collected, ev.id, ev.title, names(ev.by), ev.outcome.value)
              for ev in evidence),
        tuple(Line(p.approved_on, p.id, f"{p.title} version {p.version}", names(p.approved_by))
              for p in policies),
        tuple(Line(r.completed, r.person, r.course, names(r.person)) for r in training),
        tuple(Line(s.checked, s.name, s.service) for s in suppliers),
        tuple(Line(s.incident.closed, s.incident.id, s.incident.summary, None, s.kind)
              for s in sorted(closed, key=lambda s: (s.incident.closed, s.incident.id),
                              reverse=True)),
        tuple(Line(a.done, incident.id, a.action, names(a.owner))
              for incident, a in sorted(actions, key=lambda x: (x[1].done, x[0].id), reverse=True)))


def _line(item: DueItem, run: CheckRun) -> Line:
    who = owner_name(item, run.repo.people)
    note = None
    if item.waiver is not None:
        note = f"waived until {item.waiver.expires.isoformat()}"
    elif item.overdue:
        note = "overdue"
    return Line(item.when, item.kind.value, item.what, who, note)


def _due(run: CheckRun, quarter: Quarter) -> Due:
    schedule = run.position.schedule
    nxt = quarter.next
    overdue = tuple(i for i in schedule.items if i.overdue)
    rest = tuple(i for i in schedule.between(run.position.as_of, quarter.end) if not i.overdue)
    coming = tuple(i for i in schedule.between(nxt.start, nxt.end) if not i.overdue)
    kinds = Counter(i.kind.value for i in coming)
    return Due(nxt, tuple(_line(i, run) for i in overdue), tuple(_line(i, run) for i in rest),
               tuple(_line(i, run) for i in coming),
               tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))), schedule.notes)


def _incidents(run: CheckRun, quarter: Quarter) -> tuple[IncidentLine, ...]:
    names = _Names(run.repo)
    as_of = run.position.as_of
    lines = []
    for state in run.position.incidents:
        incident: Incident = state.incident
        if not quarter.start <= incident.date <= as_of:
            continue
        overdue = {id(a) for a in state.overdue_actions}
        actions = tuple(ActionLine(a.action, names(a.owner), a.due, id(a) in overdue)
                        for a in state.open_actions)
        lines.append(IncidentLine(incident.id, incident.date, state.kind, incident.summary,
                                  incident.lessons if state.lessons else None, incident.closed,
                                  actions))
    return tuple(lines)


def _training(run: CheckRun, before: CheckRun, recorded: bool) -> Training:
    training = run.position.training
    acks = run.position.acknowledgements
    sign_off = None
    if acks.policies:
        sign_off = SignOff(len(acks.policies), acks.done, acks.total, acks.share,
                           len(acks.overdue))
    return Training(training.share, training.trained, len(training.people), training.met,
                    before.position.training.share, recorded, TRAINING_BAR, sign_off)


def _score(risk: Risk) -> float | None:
    try:
        return float(risk.score) if risk.score is not None else None
    except ValueError:
        return None


def _risks(run: CheckRun) -> Risks:
    pos, repo = run.position, run.repo
    names = _Names(repo)
    blocking = tuple(Line(None, s.item.ref, s.item.title, None, s.reason) for s in pos.blocking)
    risks = [r for r in repo.entries("risks") if isinstance(r, Risk)
             and (r.status or "").strip().casefold() != "closed"]
    order = sorted(range(len(risks)), key=lambda n: (
        _score(risks[n]) is None, -(_score(risks[n]) or 0), n))
    register = tuple(RiskLine(risks[n].id, risks[n].risk, risks[n].score, names(risks[n].owner),
                              risks[n].status) for n in order)
    people = pos.key_people
    sole = tuple((f"{s.standard} ({s.title})", names(s.sole_collector) or s.sole_collector)
                 for s in people.standards if s.sole_collector)
    approver = people.sole_approver
    sole_approver = (names(approver) or approver, len(people.approvers[approver])) \
        if approver else None
    conflicts = tuple((names(c.person) or c.person, *c.roles) for c in people.conflicts)
    over = tuple(one_line(r.message) for r in run.results if r.code == "OW101")
    confirmed = pos.verdict.level in (Overall.MET, Overall.EXCEEDED)
    unconfirmed = None if confirmed or blocking else pos.verdict.statement
    return Risks(blocking, register, sole, sole_approver, conflicts, over, unconfirmed,
                 run.count(Severity.FINDING), run.count(Severity.WARNING), len(run.waived))


def _waiver(item: DueItem, run: CheckRun) -> WaiverLine | None:
    org = run.repo.organisation
    waiver: Waiver | None = next((w for w in (org.waivers if org else ()) if w.loc == item.loc),
                                 None)
    if waiver is None:
        return None
    label = waiver.rule or waiver.item or "a rule"
    about = f"{label} for {waiver.subject}" if waiver.subject else label
    return WaiverLine(about, waiver.expires, owner_name(item, run.repo.people) or
                      waiver.approved_by, waiver.reason)


def _decisions(run: CheckRun, quarter: Quarter) -> Decisions:
    items = run.position.schedule.items
    last = quarter.next.end
    waivers = tuple(w for w in (_waiver(i, run) for i in items
                                if i.kind is Kind.WAIVER and i.when is not None
                                and i.when <= last) if w is not None)
    claims = run.position.claims
    plans = []
    for item in items:
        if item.kind is not Kind.PLAN or not (item.overdue or (item.when and item.when <= last)):
            continue
        state = claims.get(item.subject)
        says = state.claim.says if state else item.what
        note = "past its target" if item.overdue else "due by the end of next quarter"
        plans.append(Line(item.when, item.subject, says, owner_name(item, run.repo.people), note))
    reviews = tuple(_line(i, run) for i in items if i.kind is Kind.POLICY_REVIEW and i.overdue)
    actions = tuple(_line(i, run) for i in items if i.kind is Kind.ACTION and i.overdue)
    return Decisions(waivers, tuple(plans), reviews, actions)


# -- Markdown -----------------------------------------------------------------------------------

# Markdown's punctuation that can make markup inside a line: escaped, so text from the files
# never becomes a link, an image, emphasis, code, a heading or a table cell of its own
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#+|~])")
# what starts a list item or a quote when it opens a list item's text ("- 1. Bob")
_LEADING = re.compile(r"^(\d+)([.)])|^([-=>])")


def md(text: object) -> str:
    """Text from the files made inert in Markdown, on one line: HTML escaped (no image loads,
    no tag opens), Markdown punctuation escaped, control characters written out."""
    flat = one_line(" ".join(str(text).split()))
    escaped = _PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))
    return _LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                        else f"\\{m.group(3)}", escaped, count=1)


def percent(share: float | None) -> str:
    """A share as a whole percentage, rounded down: 94.9% is 94%, never a 95% it is not."""
    if share is None:
        return "no current staff"
    return f"{int(share * 100 + 1e-9)}%"


def _day(day: date | None) -> str:
    return day.isoformat() if day else "no date"


def _more(items: Sequence[object]) -> list[str]:
    extra = len(items) - CAP
    return [f"- and {extra} more"] if extra > 0 else []


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def markdown(report: BoardReport) -> str:
    r = report
    q = r.quarter
    span = f"{q.start.isoformat()} to {r.as_of.isoformat()}" + (
        " (the quarter so far)" if r.running else "")
    lines = [f"# Board report: {q.name} ({q.months})", "",
             f"**{md(r.organisation)}**, {span}. Drawn by `dspt report board` from the "
             "evidence repository: every figure is what `dspt check` finds. For the board: it "
             "names people; do not publish it.", ""]
    for note in r.notes:
        lines += [f"> {md(note)}", ""]
    lines += _position(r) + _done_md(r) + _due_md(r) + _incidents_md(r) + _training_md(r) \
        + _risks_md(r) + _decisions_md(r)
    return "\n".join(lines).rstrip("\n") + "\n"


def _position(r: BoardReport) -> list[str]:
    now, before = r.now, r.before
    lines = ["## Position now and last quarter", ""]
    if before is not None:
        then_label = f"End of {r.quarter.previous.name} ({before.as_of.isoformat()})"
        now_label = f"{'Now' if r.running else 'End of ' + r.quarter.name} ({now.as_of.isoformat()})"
        lines += [f"| | {then_label} | {now_label} |", "| --- | --- | --- |",
                  f"| Position | {md(before.headline)} | {md(now.headline)} |",
                  f"| Mandatory items met | {before.met} of {before.mandatory} | "
                  f"{now.met} of {now.mandatory} |",
                  f"| Staff trained (12 months) | {percent(before.training)} | "
                  f"{percent(now.training)} |", "",
                  f"Last quarter: {md(before.source)}. Now: {md(now.source)}."]
    else:
        lines += [f"Position: **{md(now.headline)}**, {now.met} of {now.mandatory} mandatory "
                  "items met."]
    lines += ["", md(now.statement)]
    if r.history_note:
        lines += ["", f"> {md(r.history_note)}."]
    change = r.change
    if change is not None:
        lines.append("")
        old, new = change.overall
        lines.append(f"Change: {md(old)} → **{md(new)}**." if old != new
                     else f"Change: the position is unchanged ({md(new)}).")
        if change.items:
            lines += ["", f"{_count(len(change.items), 'item')} changed status"
                      f"{'' if change.recorded else ' (' + RECONSTRUCTED + ')'}:", ""]
            lines += [f"- {md(ref)} {md(title)}: {md(old)} → {md(new)}"
                      for ref, title, old, new in change.items[:CAP]]
            lines += _more(change.items)
        if change.recorded:
            lines += ["", f"Since last quarter (git): "
                      f"{_count(len(change.evidence_added), 'evidence file')} added, "
                      f"{_count(len(change.policies), 'policy', 'policies')} changed, "
                      f"{change.resolved} finding(s) resolved, {change.new} new."]
            if change.policies:
                lines += [""] + [f"- policy {md(i)}: {md(what)}"
                                 for i, what in change.policies[:CAP]] + _more(change.policies)
    lines += ["", f"{md(r.deadline)}.", ""]
    return lines


def _list(title: str, lines: Sequence[Line], render, empty: str) -> list[str]:  # type: ignore[no-untyped-def]
    if not lines:
        return [f"- {title}: {empty}"]
    out = [f"- {title}: {len(lines)}"]
    out += [f"  - {render(line)}" for line in lines[:CAP]]
    if len(lines) > CAP:
        out.append(f"  - and {len(lines) - CAP} more")
    return out


def _who(line: Line) -> str:
    return f", {md(line.who)}" if line.who else ""


def _done_md(r: BoardReport) -> list[str]:
    d = r.done
    lines = [f"## What was done in {r.quarter.name}", ""]
    lines += _list("Evidence collected", d.evidence,
                   lambda x: f"{_day(x.when)} {md(x.ref)} {md(x.text)} ({md(x.note)}{_who(x)})",
                   "none")
    lines += _list("Policies approved (new versions and reviews)", d.policies,
                   lambda x: f"{_day(x.when)} {md(x.ref)}: {md(x.text)}"
                             f"{', approved by ' + md(x.who) if x.who else ''}", "none")
    lines += _list("Training completed", d.training,
                   lambda x: f"{_day(x.when)} {md(x.who or x.ref)}: {md(x.text)}", "none")
    lines += _list("Supplier checks", d.suppliers,
                   lambda x: f"{_day(x.when)} {md(x.ref)} ({md(x.text)})", "none")
    lines += _list("Incidents and near misses closed", d.incidents_closed,
                   lambda x: f"{_day(x.when)} {md(x.ref)} ({md(x.note)})", "none")
    lines += _list("Incident actions done", d.actions_done,
                   lambda x: f"{_day(x.when)} {md(x.ref)}: {md(x.text)}{_who(x)}", "none")
    return lines + [""]


def _due_line(x: Line) -> str:
    note = f" ({md(x.note)})" if x.note else ""
    return f"{_day(x.when)} {md(x.text)}{_who(x)}{note}"


def _due_md(r: BoardReport) -> list[str]:
    d = r.due
    lines = [f"## Due in {d.next.name} ({d.next.months})", ""]
    if d.overdue:
        lines += _list("Overdue now", d.overdue, _due_line, "nothing")
    else:
        lines.append("- Overdue now: nothing")
    if r.running:
        lines += _list(f"Still due before {r.quarter.end.isoformat()}", d.this_quarter,
                       _due_line, "nothing")
    if d.kinds:
        kinds = ", ".join(f"{n} {md(kind)}" for kind, n in d.kinds)
        lines.append(f"- Due in {d.next.name}: {len(d.next_quarter)} ({kinds})")
        lines += [f"  - {_due_line(x)}" for x in d.next_quarter[:CAP]]
        if len(d.next_quarter) > CAP:
            lines.append(f"  - and {len(d.next_quarter) - CAP} more ('dspt due' lists them all)")
    else:
        lines.append(f"- Due in {d.next.name}: nothing")
    lines += [f"- Not dated: {md(note)}" for note in d.notes[:CAP]]
    return lines + [""]


def _incidents_md(r: BoardReport) -> list[str]:
    lines = [f"## Incidents and near misses in {r.quarter.name}", ""]
    if not r.incidents:
        return lines + ["None recorded.", ""]
    near = sum(1 for i in r.incidents if i.kind == "near miss")
    lines += [f"{_count(len(r.incidents) - near, 'incident')} and "
              f"{_count(near, 'near miss', 'near misses')}.", ""]
    for i in r.incidents[:CAP]:
        state = f"closed {i.closed.isoformat()}" if i.closed else "open"
        lines.append(f"- **{md(i.id)}** ({i.kind}, {i.date.isoformat()}, {state}): {md(i.summary)}")
        lines.append(f"  - Lessons: {md(i.lessons) if i.lessons else 'no lessons recorded'}")
        for a in i.open_actions[:CAP]:
            late = "overdue, " if a.overdue else ""
            owner = md(a.owner) if a.owner else "no owner"
            lines.append(f"  - Action ({late}due {_day(a.due)}, {owner}): {md(a.action)}")
        if len(i.open_actions) > CAP:
            lines.append(f"  - and {len(i.open_actions) - CAP} more open actions")
        if not i.open_actions:
            lines.append("  - No open actions.")
    if len(r.incidents) > CAP:
        lines.append(f"- and {len(r.incidents) - CAP} more")
    return lines + [""]


def _training_md(r: BoardReport) -> list[str]:
    t = r.training
    lines = ["## Training and policy sign-off", ""]
    if t.share is None:
        lines.append("- Data security training: no current staff in the people register.")
    else:
        verdict = "meets" if t.met else "below"
        before = ""
        if t.before is not None:
            label = "" if t.before_recorded else f" ({RECONSTRUCTED})"
            before = f" Last quarter: {percent(t.before)}{label}."
        lines.append(f"- Data security training: {t.trained} of {t.staff} current staff "
                     f"({percent(t.share)}) trained in the last 12 months; {verdict} the DSPT's "
                     f"{int(t.bar * 100)}% bar.{before}")
    s = t.sign_off
    if s is not None:
        lines.append(f"- Policy sign-off: {s.done} of {s.total} acknowledgements of the current "
                     f"versions ({percent(s.share)}) across "
                     f"{_count(s.policies, 'policy', 'policies')}; {s.overdue} overdue.")
    return lines + [""]


def _risks_md(r: BoardReport) -> list[str]:
    k = r.risks
    lines = ["## Top risks", ""]
    if k.blocking:
        lines += _list("What blocks Standards Met", k.blocking,
                       lambda x: f"{md(x.ref)} {md(x.text)}: {md(x.note)}", "nothing")
    elif k.unconfirmed:
        lines.append(f"- What blocks Standards Met: no mandatory item in the catalogue is unmet, "
                     f"but {md(k.unconfirmed)}")
    else:
        lines.append("- What blocks Standards Met: nothing; every mandatory item is met.")
    if k.register:
        lines += ["", "From the risk register (open risks, highest score first):", "",
                  "| Risk | Score | Owner | Status |", "| --- | --- | --- | --- |"]
        lines += [f"| {md(x.id + ': ' if x.id else '')}{md(x.risk)} | {md(x.score or '—')} | "
                  f"{md(x.owner or '—')} | {md(x.status or '—')} |" for x in k.register[:CAP]]
        if len(k.register) > CAP:
            lines += ["", f"and {len(k.register) - CAP} more in the risk register."]
        lines.append("")
    people = [md(message) for message in k.over_reliance]
    people += [f"{md(who)} alone collected the current evidence for standard {md(std)}"
               for std, who in k.sole_collectors]
    if k.sole_approver:
        who, n = k.sole_approver
        people.append(f"{md(who)} approved all {n} approved policies")
    people += [f"{md(who)} holds both {md(a)} and {md(b)}, roles that should be separate"
               for who, a, b in k.conflicts]
    if people:
        lines += ["- Key people:"] + [f"  - {p}" for p in people[:CAP]]
        if len(people) > CAP:
            lines.append(f"  - and {len(people) - CAP} more")
    else:
        lines.append("- Key people: no one person carries a standard, the approvals or two "
                     "roles that should be separate.")
    waived = f" ({k.waived} more waived)" if k.waived else ""
    lines.append(f"- Open findings: {_count(k.findings, 'finding')} and "
                 f"{_count(k.warnings, 'warning')}{waived}; 'dspt check' lists them.")
    return lines + [""]


def _decisions_md(r: BoardReport) -> list[str]:
    d = r.decisions
    lines = ["## Decisions for the board", ""]
    if d.empty:
        return lines + ["Nothing needs a decision this quarter: no waiver expires by the end of "
                        f"{r.due.next.name}, no plan is slipping, no policy review or incident "
                        "action is overdue.", ""]
    if d.waivers:
        lines += [f"Waivers expiring by {r.due.next.end.isoformat()}: renew, or fix what they "
                  "cover?", "", "| Waiver of | Expires | Approved by | Reason |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {md(w.about)} | {w.expires.isoformat()} | {md(w.approved_by)} | "
                  f"{md(w.reason)} |" for w in d.waivers[:CAP]]
        lines += _more(d.waivers) + [""]
    if d.plans:
        lines += ["Plans slipping or falling due (planned claims past their target, or due by "
                  "the end of next quarter and not yet met):", ""]
        lines += [f"- {md(x.ref)} ({md(x.note)}, target {_day(x.when)}{_who(x)}): {md(x.text)}"
                  for x in d.plans[:CAP]] + _more(d.plans) + [""]
    if d.reviews:
        lines += ["Policy reviews overdue (review, then approve the new version):", ""]
        lines += [f"- {_due_line(x)}" for x in d.reviews[:CAP]] + _more(d.reviews) + [""]
    if d.actions:
        lines += ["Incident actions overdue:", ""]
        lines += [f"- {_due_line(x)}" for x in d.actions[:CAP]] + _more(d.actions) + [""]
    return lines
