"""The position month by month, for the dashboard's chart: from today's files by their
stated dates, and from the files as they were committed at each month's end."""

from __future__ import annotations

from dataclasses import dataclass

from dsptkit import pipeline
from dsptkit.engine import CheckRun


@dataclass(frozen=True)
class TimelinePoint:
    label: str  # "2026-03": the month whose end (or the assessment date) it stands for
    reconstructed: int  # mandatory items met by the dates stated in today's files
    recorded: int | None  # mandatory items met by the files as committed then (None: no commit)


def build_timeline(run: CheckRun, months: int = 12) -> list[TimelinePoint]:
    """One point per month end up to the run's date. ``reconstructed`` re-assesses the run's
    own files on that date; ``recorded`` runs the pipeline on the commit that was newest
    then (without history rules: the chart shows the position, which they do not change)."""
    ends = pipeline.month_ends(run.as_of, months)
    recorded: dict[str, int] = {}
    if run.history is not None and run.history.available and run.revision is None:
        for point in pipeline.points_in_time(run.history, run.as_of, months):
            then = pipeline.run(run.repo.root, point.as_of, revision=point.commit.sha,
                                history=False)
            recorded[point.label] = then.position.mandatory_met
    return [TimelinePoint(end.strftime("%Y-%m"), pipeline.reassess(run, end).mandatory_met,
                          recorded.get(end.strftime("%Y-%m"))) for end in ends]
