"""What the DSPT would publish: the level (Standards Exceeded, Met, Approaching, Not Met), worked
out from the catalogue's own data, never guessed.

The catalogue states, per organisation category, how many items the official edition has at
each level (``published``) and what each level needs (``positions``). A level is stated only
when the catalogue holds every item it needs and its rule is known; otherwise the position
says what is known ("Standards Met on 39 of the 45 published items; 6 are not in this
catalogue") and why the level cannot be computed. Pure functions of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from dsptkit.model import SCHEME_NAMES, Cycle, Framework, LevelRule, Organisation, Published

if TYPE_CHECKING:
    from dsptkit.model import Evidence
    from dsptkit.status import ItemState

DEADLINE_MONTH_DAY = (6, 30)  # the DSPT's publication deadline each year since 2021


class Overall(StrEnum):
    EXCEEDED = "Standards Exceeded"
    MET = "Standards Met"
    APPROACHING = "Approaching Standards"
    NOT_MET = "Standards Not Met"
    UNDETERMINED = "Not determined"  # the catalogue cannot say: items missing, or a rule unknown


@dataclass(frozen=True)
class Coverage:
    """How many of one level's mandatory items the catalogue holds for the category, against
    how many the official edition publishes (None: the catalogue does not know)."""

    level: str  # "met" | "approaching"
    held: int
    published: int | None

    @property
    def complete(self) -> bool:
        return self.published is not None and self.held == self.published

    @property
    def missing(self) -> int:
        return max(0, self.published - self.held) if self.published is not None else 0

    @property
    def name(self) -> str:
        return "Standards Met" if self.level == "met" else "Approaching Standards"

    def gap(self, category: str) -> str | None:
        """Why the count is not whole, in one sentence; None when it is."""
        if self.complete:
            return None
        if self.published is None:
            return (f"the catalogue does not say how many items the edition makes mandatory for "
                    f"{self.name} in category {category}; it holds {self.held}")
        if self.held > self.published:
            return (f"the catalogue holds {self.held} items mandatory for {self.name} in category "
                    f"{category}, more than the {self.published} the edition publishes")
        return (f"{self.name} for category {category} needs {self.published} items; this "
                f"catalogue holds {self.held}, so {self.missing} "
                f"{'is' if self.missing == 1 else 'are'} not in it")


@dataclass(frozen=True)
class Calendar:
    """The edition assessed against, and the next publication deadline."""

    as_of: date
    edition: str | None
    cycle: Cycle | None

    @property
    def in_cycle(self) -> bool | None:
        """Whether the date falls in the edition's window (None: the catalogue has no window)."""
        if self.cycle is None:
            return None
        opens = self.cycle.opens
        return (opens is None or opens <= self.as_of) and self.as_of <= self.cycle.deadline

    @property
    def deadline(self) -> date:
        """The next publication deadline on or after the date."""
        if self.cycle is not None and self.in_cycle:
            return self.cycle.deadline
        month, day = DEADLINE_MONTH_DAY
        this_year = date(self.as_of.year, month, day)
        return this_year if this_year >= self.as_of else date(self.as_of.year + 1, month, day)

    @property
    def deadline_known(self) -> bool:
        """True when the deadline is the catalogue's; False when it is the usual 30 June,
        expected but not confirmed for a cycle the catalogue does not cover."""
        return bool(self.in_cycle)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.as_of).days

    @property
    def banner(self) -> str | None:
        """What to tell the user when the catalogue's edition is not the one being assessed."""
        if self.cycle is None or self.in_cycle:
            return None
        edition = self.edition or "an earlier edition"
        if self.as_of > self.cycle.deadline:
            return (f"This catalogue is for {edition}, whose publication deadline was "
                    f"{self.cycle.deadline.isoformat()}; update it for the current cycle "
                    "(standards/README.md).")
        return (f"This catalogue is for {edition}, which opens on "
                f"{self.cycle.opens.isoformat() if self.cycle.opens else 'a later date'}.")

    @property
    def deadline_text(self) -> str:
        when = self.deadline.isoformat()
        days = self.days_left
        left = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} left"
        if self.deadline_known:
            return f"Next deadline {when} ({left})"
        return (f"Next deadline expected {when} ({left}; the DSPT deadline has been 30 June "
                "each year, but this catalogue does not cover that cycle)")


@dataclass(frozen=True)
class Verdict:
    """The level the DSPT would publish, or why it cannot be said."""

    level: Overall  # UNDETERMINED when it cannot be computed
    headline: str  # a few words for a dashboard tile
    statement: str  # the whole position in one or two sentences, for every report
    notes: tuple[str, ...]  # what else the reader must know (unknown rules, a used level)
    coverage: Coverage | None  # Standards Met's
    approaching_coverage: Coverage | None


def judge(items: Sequence[ItemState], organisation: Organisation | None,
          framework: Framework | None, certificates: dict[str, Evidence],
          calendar: Calendar | None = None) -> Verdict:
    """The level for one organisation from its items' states and the catalogue's rules. A
    level judged against an edition whose cycle does not hold the date is not stated: the
    DSPT asks that cycle's questions, which the catalogue does not know."""
    verdict = _judge(items, organisation, framework, certificates)
    if calendar is None or calendar.in_cycle is not False or \
            verdict.level is Overall.UNDETERMINED:
        return verdict
    name = f"the {calendar.edition} catalogue" if calendar.edition else "this catalogue"
    return Verdict(Overall.UNDETERMINED, f"{verdict.headline} (on {name})",
                   f"{verdict.statement} That is against {name}, which is not "
                   f"for the cycle of {calendar.as_of.isoformat()}, so the level cannot be "
                   "confirmed until the catalogue is updated.", verdict.notes, verdict.coverage,
                   verdict.approaching_coverage)


def _judge(items: Sequence[ItemState], organisation: Organisation | None,
           framework: Framework | None, certificates: dict[str, Evidence]) -> Verdict:
    if organisation is None:
        text = "No position: organisation.yaml could not be read, so the category is unknown."
        return Verdict(Overall.UNDETERMINED, "Not determined", text, (), None, None)
    category = organisation.category
    rules = framework.positions.get(category, {}) if framework else {}
    published = framework.published.get(category) if framework else None
    counted = [s for s in items if s.mandatory]
    aps = [s for s in counted if s.level is not None and s.level.value == "approaching"]
    coverage = Coverage("met", len(counted), published.met if published else None)
    as_coverage = Coverage("approaching", len(aps), published.approaching if published else None)
    answered = sum(1 for s in counted if s.answered)
    unmet = [s for s in counted if not s.answered]
    met_rule = rules.get("met")
    if met_rule is None or met_rule.unknown:
        why = met_rule.unknown if met_rule else "the catalogue does not say what it needs"
        text = (f"No position: what Standards Met needs for category {category} is not known "
                f"({why}). {answered} of the {len(counted)} mandatory items in this catalogue "
                "are met.")
        return Verdict(Overall.UNDETERMINED, "Not determined", text, (), coverage, as_coverage)
    if not unmet:
        return _all_met(counted, category, coverage, as_coverage, rules, certificates)
    return _some_unmet(counted, unmet, organisation, coverage, as_coverage, rules, published)


def _all_met(counted: list, category: str, coverage: Coverage, as_coverage: Coverage,
             rules: dict[str, LevelRule], certificates: dict) -> Verdict:
    n = len(counted)
    if not coverage.complete:
        if coverage.published is None:
            text = (f"Standards Met on the {n} mandatory items in this catalogue; the edition's "
                    f"count for category {category} is not known, so Standards Met cannot be "
                    "confirmed.")
            return Verdict(Overall.UNDETERMINED, f"Standards Met on {n} items (count unknown)",
                           text, (), coverage, as_coverage)
        if coverage.held > coverage.published:
            text = (f"Standards Met on the {n} mandatory items in this catalogue, but it holds "
                    f"more than the {coverage.published} the edition publishes; check its levels.")
            return Verdict(Overall.UNDETERMINED, f"Standards Met on {n} items (count unclear)",
                           text, (), coverage, as_coverage)
        missing = coverage.missing
        text = (f"Standards Met on {n} of the {coverage.published} published items; {missing} "
                f"{'is' if missing == 1 else 'are'} not in this catalogue, so Standards Met "
                "cannot be confirmed.")
        return Verdict(Overall.UNDETERMINED, f"Standards Met on {n} of {coverage.published}",
                       text, (), coverage, as_coverage)
    notes: list[str] = []
    level = Overall.MET
    exceeded = rules.get("exceeded")
    if exceeded is None or exceeded.unknown:
        why = exceeded.unknown if exceeded else "the catalogue does not say"
        notes.append(f"Whether Standards Exceeded is open to category {category} is not known: "
                     f"{why}.")
    elif exceeded.certificate:
        name = SCHEME_NAMES.get(exceeded.certificate, exceeded.certificate)
        if exceeded.certificate in certificates:
            level = Overall.EXCEEDED
        else:
            notes.append(f"Standards Exceeded needs a current {name} certificate as well.")
    text = f"{level.value}: all {n} mandatory items are met."
    return Verdict(level, level.value, text, tuple(notes), coverage, as_coverage)


def _some_unmet(counted: list, unmet: list, organisation: Organisation, coverage: Coverage,
                as_coverage: Coverage, rules: dict[str, LevelRule],
                published: Published | None) -> Verdict:
    category = organisation.category
    n_unmet = len(unmet)
    lead = (f"{n_unmet} of the {len(counted)} mandatory items in this catalogue "
            f"{'is' if n_unmet == 1 else 'are'} not met")
    if not coverage.complete and coverage.published is not None and \
            coverage.held < coverage.published:
        lead += f" (and {coverage.missing} published items are not in this catalogue)"
    rule = rules.get("approaching")
    if rule is None or rule.unknown:
        why = rule.unknown if rule else "the catalogue does not say"
        text = (f"Standards Met is not reached: {lead}. Whether Approaching Standards is open to "
                f"category {category} is not known ({why}), so the level cannot be computed.")
        return Verdict(Overall.UNDETERMINED, "Standards Met not reached", text, (), coverage,
                       as_coverage)
    fails, unknowns = _approaching(rule, counted, unmet, organisation, as_coverage)
    if fails:
        text = f"Standards Not Met: {lead}; Approaching Standards is not reached: {fails[0]}."
        return Verdict(Overall.NOT_MET, Overall.NOT_MET.value, text, tuple(fails[1:]), coverage,
                       as_coverage)
    if unknowns:
        text = (f"Standards Met is not reached: {lead}. Approaching Standards cannot be "
                f"confirmed: {unknowns[0]}.")
        return Verdict(Overall.UNDETERMINED, "Standards Met not reached", text,
                       tuple(unknowns[1:]), coverage, as_coverage)
    plan = ("an improvement plan agreed with NHS England" if rule.plan == "agreed" else
            "an action plan" if rule.plan == "action" else None)
    text = f"Approaching Standards: {lead}" + (f", each covered by {plan}" if plan else "") + "."
    notes = ("Approaching Standards can be published only once.",) if rule.once else ()
    return Verdict(Overall.APPROACHING, Overall.APPROACHING.value, text, notes, coverage,
                   as_coverage)


def _approaching(rule: LevelRule, counted: list, unmet: list, organisation: Organisation,
                 as_coverage: Coverage) -> tuple[list[str], list[str]]:
    """What certainly keeps the organisation from Approaching Standards, and what is unknown."""
    fails: list[str] = []
    unknowns: list[str] = []
    category = organisation.category
    if rule.items == "approaching":
        missed = [s for s in unmet if s.level is not None and s.level.value == "approaching"]
        if missed:
            refs = ", ".join(s.item.ref for s in missed[:5]) + (" …" if len(missed) > 5 else "")
            fails.append(f"{len(missed)} of its items {'is' if len(missed) == 1 else 'are'} not "
                         f"met ({refs})")
        elif not as_coverage.complete:
            unknowns.append(as_coverage.gap(category) or "its items are not all known")
    if rule.plan in ("action", "agreed"):
        unplanned = [s for s in unmet if s.status.value != "planned" and
                     not (rule.items == "approaching" and s.level is not None and
                          s.level.value == "approaching")]
        if unplanned:
            fails.append(f"{len(unplanned)} unmet item{'s' if len(unplanned) != 1 else ''} "
                         f"{'has' if len(unplanned) == 1 else 'have'} no in-date planned claim "
                         f"(e.g. {unplanned[0].item.ref})")
    if rule.plan == "agreed" and organisation.improvement_plan is None:
        fails.append("no improvement plan agreed with NHS England is recorded "
                     "(organisation.yaml improvement_plan)")
    if rule.once:
        used = [p for p in organisation.publications if p.status == Overall.APPROACHING.value]
        if used:
            fails.append(f"it was already published on {used[0].published.isoformat()} "
                         f"({used[0].edition}), and can be published only once")
    return fails, unknowns
