"""Two small pictures written as SVG files, with no plotting library: a loss curve and a
decision boundary.  (SVG opens in any browser and in Jupyter.)"""
from __future__ import annotations

import html
from typing import Callable, Sequence

WIDTH, HEIGHT, MARGIN = 480, 360, 48


def _page(body: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
            f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{html.escape(title)}</text>'
            f"{body}</svg>\n")


def loss_curve(losses: Sequence[float], path: str, title: str = "training loss") -> str:
    """A line chart of the loss per step."""
    if not losses:
        raise ValueError("loss_curve needs at least one loss")
    low, high = min(losses), max(losses)
    span = (high - low) or 1.0
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    points = " ".join(f"{MARGIN + inner_w * i / max(len(losses) - 1, 1):.1f},"
                      f"{MARGIN + inner_h * (1 - (loss - low) / span):.1f}" for i, loss in enumerate(losses))
    body = (f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" stroke="black"/>'
            f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{HEIGHT - MARGIN}" stroke="black"/>'
            f'<polyline points="{points}" fill="none" stroke="#2563eb" stroke-width="2"/>'
            f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end">{high:.3g}</text>'
            f'<text x="{MARGIN - 6}" y="{HEIGHT - MARGIN}" text-anchor="end">{low:.3g}</text>'
            f'<text x="{WIDTH / 2}" y="{HEIGHT - 12}" text-anchor="middle">step (0 to {len(losses) - 1})</text>')
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(_page(body, title))
    return path


def decision_boundary(predict: Callable[[float, float], float], X: Sequence[Sequence[float]], y: Sequence[float],
                      path: str, title: str = "decision boundary", resolution: int = 40) -> str:
    """The sign of predict(x1, x2) over a grid (shaded), with the data points on top."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def to_screen(a: float, b: float) -> tuple[float, float]:
        return MARGIN + inner_w * (a - x0) / (x1 - x0), MARGIN + inner_h * (1 - (b - y0) / (y1 - y0))
    cells = []
    cw, ch = inner_w / resolution, inner_h / resolution
    for i in range(resolution):
        for j in range(resolution):
            a = x0 + (x1 - x0) * (i + 0.5) / resolution
            b = y0 + (y1 - y0) * (j + 0.5) / resolution
            colour = "#fecaca" if predict(a, b) > 0 else "#bfdbfe"
            sx, sy = to_screen(a, b)
            cells.append(f'<rect x="{sx - cw / 2:.1f}" y="{sy - ch / 2:.1f}" width="{cw + 0.5:.1f}" '
                         f'height="{ch + 0.5:.1f}" fill="{colour}"/>')
    dots = []
    for (a, b), label in zip(X, y):
        sx, sy = to_screen(a, b)
        colour = "#dc2626" if label > 0 else "#2563eb"
        dots.append(f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="4" fill="{colour}" stroke="black" stroke-width="0.6"/>')
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(_page("".join(cells + dots), title))
    return path
