"""The position over time as a line chart: the geometry, as data. The ``chart.html``
template draws it as inline SVG at build time (no script), with both axes labelled."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 16, 64  # room for the tick labels and the axis titles


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[str, int | None]]  # (label, value or None for no data)
    css: str  # class for the stroke style


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the SVG's coordinates
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # "2026-03"
    value: int


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    runs: list[str]  # polyline "x,y x,y" strings, broken where there is no data
    dots: list[Dot]


@dataclass(frozen=True)
class Chart:
    title: str
    x_title: str
    y_title: str
    width: int
    height: int
    left: float
    right: float  # x of the plot's right edge
    top: float
    bottom: float  # y of the plot's bottom edge (the x axis)
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]


def nice_step(maximum: int, most: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50, ...) giving at most ``most`` steps to ``maximum``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * most:
                return step * factor
        step *= 10


def line_chart(series: list[Series], maximum: int, title: str, x_title: str,
               y_title: str) -> Chart:
    labels = [label for label, _ in series[0].points] if series else []
    step = nice_step(max(maximum, 1))
    top_value = -(-max(maximum, 1) // step) * step  # maximum, rounded up to a whole step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x_step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * x_step, 1)

    def y(v: int) -> float:
        return round(TOP + plot_h - plot_h * v / top_value, 1)

    lines = []
    for s in series:
        runs: list[list[str]] = [[]]
        dots = []
        for i, (label, value) in enumerate(s.points):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x(i)},{y(value)}")
            dots.append(Dot(x(i), y(value), label, value))
        lines.append(Line(s.name, s.css, [" ".join(r) for r in runs if len(r) > 1], dots))
    return Chart(title, x_title, y_title, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, TOP + plot_h,
                 [Tick(x(i), label) for i, label in enumerate(labels)],
                 [Tick(y(v), str(v)) for v in range(0, top_value + 1, step)], lines)
