from __future__ import annotations

from datetime import date

import pytest

from dsptkit.durations import parse_duration


@pytest.mark.parametrize("text,start,end", [
    ("90d", date(2026, 1, 1), date(2026, 4, 1)),
    ("12w", date(2026, 1, 1), date(2026, 3, 26)),
    ("6m", date(2026, 8, 31), date(2027, 2, 28)),
    ("1y", date(2024, 2, 29), date(2025, 2, 28)),
    ("P90D", date(2026, 1, 1), date(2026, 4, 1)),
    ("P1Y6M", date(2026, 1, 15), date(2027, 7, 15)),
    ("P2W", date(2026, 1, 1), date(2026, 1, 15)),
])
def test_durations_move_by_the_calendar(text, start, end):
    duration = parse_duration(text)
    assert duration is not None
    assert duration.after(start) == end
    assert duration.before(end) <= start


@pytest.mark.parametrize("text", ["3 months", "90", "0d", "P", "P0D", "1x", ""])
def test_not_durations(text):
    assert parse_duration(text) is None
