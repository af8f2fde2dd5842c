"""Rules about the learning loop from incidents and near misses (IN).

Both report what the position already knows (``position.incidents``: each incident and near
miss by the date, whether it records lessons, which of its actions are open and overdue) and
stand down when the incidents register could not be read. A waiver names an incident by its
id (IN101) and an action as the incident's id, ``#`` and the action's place in its list
(``INC-2026-01#2``, IN102): the same subject ``dspt due`` gives it.
"""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import one_line
from dsptkit.rules.base import Context, Result, result, rule

NEEDS = ("registers.incidents",)  # an unreadable register would read as no incidents


@rule("IN101", needs=NEEDS)
def closed_without_lessons(ctx: Context) -> Iterator[Result]:
    """A closed incident or near miss records no lessons."""
    for state in ctx.position.incidents:
        incident = state.incident
        if state.closed and not state.lessons and incident.closed is not None:
            yield result("IN101", incident.loc,
                         f"{state.kind} {one_line(incident.id)} was closed on "
                         f"{incident.closed.isoformat()} with no lessons recorded",
                         subject=incident.id)


@rule("IN102", needs=NEEDS)
def actions_overdue(ctx: Context) -> Iterator[Result]:
    """An action from an incident or near miss is past its due date and not done."""
    # the overdue actions are the position's (staff.incident_states); the check does not build
    # the whole schedule just to count days
    for state in ctx.position.incidents:
        incident = state.incident
        for action in state.overdue_actions:
            if action.due is None:
                continue
            days = (ctx.position.as_of - action.due).days
            late = f": {days} day{'s' if days != 1 else ''} overdue" if days else ""
            owner = f"owner {one_line(action.owner)}" if action.owner else "no owner"
            yield result("IN102", action.loc,
                         f"action {action.index + 1} of {state.kind} {one_line(incident.id)} "
                         f"({one_line(action.action)}; {owner}) was due on "
                         f"{action.due.isoformat()}{late}",
                         subject=f"{incident.id}#{action.index + 1}")
