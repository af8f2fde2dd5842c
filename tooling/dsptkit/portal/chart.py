"""The position over time as an inline SVG line chart, drawn at build time (no script)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[str, int | None]]  # (label, value or None for no data)
    css: str  # class for stroke style


def line_chart(series: list[Series], maximum: int, title: str, width: int = 720,
               height: int = 240) -> str:
    labels = [label for label, _ in series[0].points] if series else []
    left, right, top, bottom = 44, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(maximum, 1)
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return round(left + i * step, 1)

    def y(v: int) -> float:
        return round(top + plot_h - plot_h * v / top_value, 1)

    parts = [f'<svg class="dspt-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for tick in sorted({0, top_value // 2, top_value}):
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick)}" '
                     f'y2="{y(tick)}"/><text class="axis" x="{left - 6}" y="{y(tick) + 4}" '
                     f'text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text class="axis" x="{x(i)}" y="{height - 12}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, (_, value) in enumerate(s.points):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(value)))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{px},{py}" for px, py in run)
                parts.append(f'<polyline class="{s.css}" points="{path}"/>')
        for i, (label, value) in enumerate(s.points):
            if value is not None:
                parts.append(f'<circle class="{s.css}" cx="{x(i)}" cy="{y(value)}" r="3.5">'
                             f"<title>{escape(s.name)}, {escape(label)}: {value}</title>"
                             "</circle>")
    parts.append("</svg>")
    legend = "".join(f'<span class="dspt-legend {s.css}">{escape(s.name)}</span>'
                     for s in series)
    return "".join(parts) + f'<p class="dspt-legend-row">{legend}</p>'
