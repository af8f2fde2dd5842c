"""One check run over a loaded repository: position → rules → waivers → selected, sorted
results. ``pipeline.run`` is the only caller outside tests: it loads the repository and its
history and hands them here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dsptkit.datamap import REGISTER_TITLES
from dsptkit.git import History
from dsptkit.model import LoadReport, Repository, Severity, Waiver
from dsptkit.rules import REGISTRY, Context, Result, run_rules
from dsptkit.rules.base import result, selected
from dsptkit.status import Position, compute_position


@dataclass(frozen=True)
class CheckRun:
    repo: Repository
    report: LoadReport  # what the loader found wrong, beside the model
    as_of: date
    today: date
    position: Position
    results: tuple[Result, ...]  # sorted by path, line, column, code
    waived: tuple[tuple[Result, Waiver], ...]
    skipped: tuple[str, ...] = ()  # rules not run because files they need could not be read
    notes: tuple[str, ...] = ()  # what the run could not know, in plain words
    history: History | None = None  # git history read for this run (None: not read)
    revision: str | None = None  # the revision the files came from (None: the working tree)

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    def failed(self, strict: bool) -> bool:
        """Errors always fail a run; findings and warnings only under ``--strict``."""
        return self.errors > 0 or (strict and bool(self.results))


def chosen_codes(repo: Repository, select: Iterable[str] | None, ignore: Iterable[str]) -> list[str]:
    """Rule codes to run: the CLI's ``--select`` replaces the configured one, ``--ignore`` adds."""
    config_select, config_ignore = repo.settings.select, repo.settings.ignore
    select = tuple(select) if select else config_select
    ignore = (*config_ignore, *ignore)
    # errors always run: a broken repository is never hidden by a selection (as with waivers)
    return [rule.code for rule in REGISTRY.all()
            if rule.severity is Severity.ERROR or selected(rule.code, select, ignore)]


def run_check(repo: Repository, report: LoadReport, as_of: date, today: date, select: Iterable[str] | None = None,
              ignore: Iterable[str] = (), history: History | None = None,
              policy_changes: dict | None = None, revision: str | None = None) -> CheckRun:
    """Run every chosen rule over a loaded repository as of a date.

    ``history`` (from ``history.read_history``) enables the HI rules; without it they are
    not run, and ``notes`` says why.
    """
    live = live_waivers(repo, as_of)
    position = compute_position(repo, as_of)
    ctx = Context(repo, as_of, today, position, history, policy_changes or {}, report)
    codes = chosen_codes(repo, select, ignore)
    kept, waived, used = [], [], set()
    found, skipped = run_rules(ctx, codes)
    for res in found:
        waiver = _matching_waiver(res, live)
        if waiver is None:
            kept.append(res)
        else:
            waived.append((res, waiver))
            used.add(id(waiver))
    if "WV002" in codes and not skipped:
        for waiver in live:
            rule_run = waiver.rule and any(code.startswith(waiver.rule) for code in codes)
            if id(waiver) not in used and rule_run:
                kept.append(result("WV002", waiver.loc, f"waiver of {waiver.rule or waiver.item}"
                                                        " matched nothing; remove it or correct "
                                                        "it"))
    kept.sort(key=lambda r: r.sort_key)
    notes = []
    for kind in sorted(k.removeprefix("registers.") for k in report.incomplete
                       if k.startswith("registers.")):
        title = REGISTER_TITLES.get(kind, f"{kind.replace('_', ' ')} register")
        notes.append(f"the {title} could not be read (its errors are above), so the rules "
                     "that read it (RG, DM, AK, IN) saw none of its entries")
    history_codes = [c for c in codes if "history" in REGISTRY[c].needs]
    if history_codes and (history is None or not history.available):
        why = why_no_history(repo, history)
        notes.append(f"{why}: the history rules (HI) were not run")
    return CheckRun(repo, report, as_of, today, position, tuple(kept), tuple(waived), tuple(skipped),
                    tuple(notes), history, revision)


def why_no_history(repo: Repository, history: History | None) -> str:
    """In plain words, why a run has no git history to go on."""
    if history is not None:
        return history.note or "git history is available"
    if repo.organisation is None:
        return "organisation.yaml could not be read, so git history was not read"
    if not repo.settings.history:
        return "check.history is false in organisation.yaml, so git history was not read"
    return "history was not read"


def live_waivers(repo: Repository, as_of: date) -> list[Waiver]:
    """Rule waivers in force on ``as_of``. A waiver naming only an item waives nothing: waivers
    cannot take an item out of the count (WV004 reports them)."""
    waivers = repo.organisation.waivers if repo.organisation else ()
    return [w for w in waivers if w.rule and w.expires >= as_of]


def assess(repo: Repository, as_of: date) -> Position:
    """The position alone on another date."""
    return compute_position(repo, as_of)


def _matching_waiver(res: Result, waivers: list[Waiver]) -> Waiver | None:
    if res.severity is Severity.ERROR or res.code.startswith("WV"):
        return None
    for waiver in waivers:
        if waiver.rule and not res.code.startswith(waiver.rule):
            continue
        if waiver.item and waiver.item not in res.items:
            continue
        if waiver.subject and waiver.subject != res.subject:
            continue
        return waiver
    return None
