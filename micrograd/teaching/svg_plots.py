"""The two training pictures as plain SVG, for the browser classroom, where matplotlib cannot run.

Pyodide's npm package has no matplotlib (nor NumPy, which it needs), and the classroom fetches
nothing from other hosts, so in the browser ``plots`` draws with this module: the same loss curve
and decision boundary, simpler (no anti-aliased contour: the plane is shaded cell by cell, so the
boundary is where the two colours meet).  Everywhere else ``plots`` uses matplotlib.
"""

from __future__ import annotations

import html
import math
from typing import Sequence

WIDTH, HEIGHT = 480, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 32, 48  # margins around the axes, in pixels


class SvgFigure:
    """A finished picture as SVG text: a notebook (or the classroom) shows it inline."""

    def __init__(self, svg: str) -> None:
        self.svg = svg

    def _repr_svg_(self) -> str:
        return self.svg

    def savefig(self, path: str) -> str:
        """Write the SVG to `path`, which must end in .svg (there is no PNG or PDF without matplotlib)."""
        if not path.lower().endswith(".svg"):
            raise RuntimeError(
                f"without matplotlib (as in the browser), plots are SVG only: use a name "
                f"ending in .svg, not {path!r}"
            )
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.svg)
        return path


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round numbers between low and high (steps of 1, 2 or 5 times a power of ten)."""
    span = (high - low) or 1.0
    step = 10 ** math.floor(math.log10(span / count))
    step *= next(m for m in (1, 2, 5, 10) if span / (step * m) <= count)
    first = math.ceil(low / step) * step
    return [first + k * step for k in range(int((high - first) / step + 1e-9) + 1)]


def _frame(
    parts: list[str],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    labels: tuple[str, str, str],
    y_ticks: list[tuple[float, str]],
) -> tuple:
    """Axes with ticks, labels and title; returns the maps from data to pixels (x, y)."""
    (x0, x1), (y0, y1) = x_range, y_range
    px = lambda x: LEFT + (x - x0) / ((x1 - x0) or 1) * (WIDTH - LEFT - RIGHT)
    py = lambda y: HEIGHT - BOTTOM - (y - y0) / ((y1 - y0) or 1) * (HEIGHT - TOP - BOTTOM)
    title, x_label, y_label = (html.escape(text) for text in labels)
    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{HEIGHT - TOP - BOTTOM}" '
        'fill="none" stroke="black"/>'
    )
    for x in _ticks(x0, x1):
        parts.append(
            f'<text class="xtick" x="{px(x):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{x:g}</text>'
        )
    for y, text in y_ticks:
        parts.append(
            f'<text class="ytick" x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{text}</text>'
        )
    parts.append(
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">{title}</text>'
    )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 10}" text-anchor="middle">{x_label}</text>'
    )
    parts.append(
        f'<text transform="translate(16 {HEIGHT / 2}) rotate(-90)" text-anchor="middle">{y_label}</text>'
    )
    return px, py


def _svg(parts: list[str]) -> SvgFigure:
    return SvgFigure(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">'
        + "".join(parts)
        + "</svg>"
    )


def loss_svg(losses: Sequence[float], title: str) -> SvgFigure:
    """The loss per step, on a log scale when every loss is positive."""
    log = min(losses) > 0
    ys = [math.log10(v) if log else v for v in losses]
    low, high = min(ys), max(ys)
    if log:
        ticks = [(float(k), f"1e{k}") for k in range(math.floor(low), math.ceil(high) + 1)]
        low, high = ticks[0][0], ticks[-1][0]
    else:
        ticks = [(t, f"{t:g}") for t in _ticks(low, high)]
    parts: list[str] = []
    px, py = _frame(
        parts,
        (0, max(len(ys) - 1, 1)),
        (low, high),
        (title, "step", "loss (log scale)" if log else "loss"),
        ticks,
    )
    points = " ".join(f"{px(k):.1f},{py(v):.1f}" for k, v in enumerate(ys))
    parts.append(
        f'<polyline class="loss" points="{points}" fill="none" stroke="#2563eb" stroke-width="2"/>'
    )
    return _svg(parts)


def boundary_svg(
    grid_x: list[float],
    grid_y: list[float],
    scores: list[list[float]],
    points: list[tuple[float, float]],
    labels: Sequence[float],
    colours: dict[int, str],
    title: str,
) -> SvgFigure:
    """The plane shaded cell by cell by the sign of the score (blue below 0, red above), and the
    data points of each class on top, with a legend."""
    parts: list[str] = []
    px, py = _frame(
        parts,
        (grid_x[0], grid_x[-1]),
        (grid_y[0], grid_y[-1]),
        (title, "x₁", "x₂"),
        [(t, f"{t:g}") for t in _ticks(grid_y[0], grid_y[-1])],
    )
    dx, dy = grid_x[1] - grid_x[0], grid_y[1] - grid_y[0]
    cells = []
    for j, b in enumerate(grid_y):
        for i, a in enumerate(grid_x):
            left, right = px(max(a - dx / 2, grid_x[0])), px(min(a + dx / 2, grid_x[-1]))
            top, bottom = py(min(b + dy / 2, grid_y[-1])), py(max(b - dy / 2, grid_y[0]))
            fill = "#fecaca" if scores[j][i] > 0 else "#bfdbfe"
            cells.append(
                f'<rect class="shade" x="{left:.1f}" y="{top:.1f}" width="{right - left + 0.3:.1f}" '
                f'height="{bottom - top + 0.3:.1f}" fill="{fill}"/>'
            )
    parts[:0] = cells  # under the axes' frame, not over it
    for (a, b), label in zip(points, labels):
        parts.append(
            f'<circle class="point" cx="{px(a):.1f}" cy="{py(b):.1f}" r="4" fill="{colours[1 if label > 0 else -1]}" '
            'stroke="black" stroke-width="0.5"/>'
        )
    for row, label in enumerate((-1, 1)):
        y = TOP + 16 + 18 * row
        parts.append(
            f'<circle cx="{LEFT + 14}" cy="{y - 4}" r="4" fill="{colours[label]}" stroke="black" stroke-width="0.5"/>'
            f'<text class="legend" x="{LEFT + 24}" y="{y}">class {label:+d}</text>'
        )
    return _svg(parts)


__all__ = ["SvgFigure", "loss_svg", "boundary_svg"]
