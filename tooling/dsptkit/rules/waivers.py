"""Rules about the waivers themselves (applying them is the check engine's job)."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Severity
from dsptkit.rules.base import REGISTRY, Context, Result, loader_rule, result, rule


@rule("WV001")
def expired_waivers(ctx: Context) -> Iterator[Result]:
    """A waiver has passed its expiry date and no longer applies."""
    org = ctx.repo.organisation
    for waiver in org.waivers if org else ():
        if waiver.expires < ctx.as_of:
            what = waiver.rule or waiver.item
            yield result("WV001", waiver.loc, f"waiver of {what} expired on "
                                              f"{waiver.expires.isoformat()}")


@rule("WV003")
def waivers_of_errors(ctx: Context) -> Iterator[Result]:
    """A waiver names a rule that reports errors; errors cannot be waived."""
    org = ctx.repo.organisation
    for waiver in org.waivers if org else ():
        rule_ = REGISTRY.get(waiver.rule or "")
        if rule_ and rule_.severity is Severity.ERROR:
            yield result("WV003", waiver.loc, f"waiver names {rule_.code} ({rule_.name}), an "
                                              "error; errors cannot be waived")


@rule("WV004")
def item_waivers(ctx: Context) -> Iterator[Result]:
    """A waiver names a catalogue item and no rule."""
    org = ctx.repo.organisation
    for waiver in org.waivers if org else ():
        if waiver.item and not waiver.rule:
            yield result("WV004", waiver.loc, f"waiver of {waiver.item} names no rule: waivers "
                                              "cannot take an item out of the count; answer it "
                                              "'not applicable' under answers: where the DSPT "
                                              "allows that, or name the rule to waive")


loader_rule("WV002")
