"""Two pictures of training, drawn with matplotlib: the loss curve and the decision boundary.

matplotlib is an optional extra (``pip install 'micrograd-classroom[plots]'``; ``./dev demo``
installs it).  ``loss_figure`` and ``boundary_figure`` return a matplotlib Figure, which a
notebook shows inline when it ends a cell; ``loss_curve`` and ``decision_boundary`` write one
to a file (.svg, .png or .pdf) and return its path.

In the browser classroom (Pyodide, ``sys.platform == "emscripten"``), where matplotlib cannot be
loaded, the same two pictures are drawn as plain SVG by ``svg_plots.py`` (SVG files only).
"""

from __future__ import annotations

import io
import sys
from typing import Any, Callable, Sequence

from . import svg_plots

MISSING = (
    "plots need matplotlib: pip install 'micrograd-classroom[plots]' (or pip install matplotlib); "
    "./dev demo installs it"
)
CLASS_COLOURS = {-1: "#2563eb", 1: "#dc2626"}


def _without_matplotlib() -> bool:
    """True in a browser without matplotlib: plots are then drawn by svg_plots (elsewhere, say how to install it)."""
    if sys.platform != "emscripten":
        return False
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return True
    return False


def _figure() -> Any:
    """A new Figure with one set of axes, without pyplot (no window, no global state)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise RuntimeError(MISSING) from None
    figure = Figure(figsize=(6.4, 4.8), layout="constrained")
    # A Figure made without pyplot has no picture for Jupyter: this gives it one (PNG), so a
    # notebook shows it inline when it ends a cell.
    figure._repr_png_ = lambda: _png(figure)
    return figure, figure.add_subplot()


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def loss_figure(losses: Sequence[float], title: str = "training loss") -> Any:
    """The loss per step on a log scale (a loss falling from 1 to 0.001 stays readable)."""
    if not losses:
        raise ValueError("loss_figure needs at least one loss")
    if _without_matplotlib():
        return svg_plots.loss_svg([float(loss) for loss in losses], title)
    figure, axes = _figure()
    axes.plot(range(len(losses)), [float(loss) for loss in losses], color="#2563eb", linewidth=2)
    if min(losses) > 0:
        axes.set_yscale("log")
    axes.set_xlabel("step")
    axes.set_ylabel("loss (log scale)" if min(losses) > 0 else "loss")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    return figure


def boundary_figure(
    predict: Callable[[float, float], float],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    title: str = "decision boundary",
    resolution: int = 60,
) -> Any:
    """predict(x₁, x₂) over the plane: shaded by its sign, the boundary predict = 0 drawn as
    a line, the data points of each class on top, with axes and a legend."""
    xs, ys = [float(p[0]) for p in X], [float(p[1]) for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    grid_x = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    grid_y = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    scores = [[float(predict(a, b)) for a in grid_x] for b in grid_y]
    if _without_matplotlib():
        return svg_plots.boundary_svg(
            grid_x, grid_y, scores, list(zip(xs, ys)), y, CLASS_COLOURS, title
        )
    figure, axes = _figure()
    axes.contourf(
        grid_x, grid_y, scores, levels=[-1e300, 0, 1e300], colors=["#bfdbfe", "#fecaca"], alpha=0.8
    )
    axes.contour(grid_x, grid_y, scores, levels=[0], colors="black", linewidths=1.5)
    for label in (-1, 1):
        points = [(a, b) for (a, b), t in zip(zip(xs, ys), y) if (t > 0) == (label > 0)]
        axes.scatter(
            [a for a, _ in points],
            [b for _, b in points],
            s=24,
            color=CLASS_COLOURS[label],
            edgecolors="black",
            linewidths=0.5,
            label=f"class {label:+d}",
        )
    axes.set_xlabel("x₁")
    axes.set_ylabel("x₂")
    axes.set_title(title)
    axes.legend(loc="best", title="black line: score = 0")
    return figure


def save_figure(figure: Any, path: str) -> str:
    """Write the figure to `path` (.svg, .png or .pdf); texts stay texts in an SVG."""
    if path.rpartition(".")[2].lower() not in ("svg", "png", "pdf"):
        raise ValueError(f"the file name must end in .svg, .png or .pdf, got {path!r}")
    if isinstance(figure, svg_plots.SvgFigure):
        return figure.savefig(path)
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(path)
    return path


def loss_curve(losses: Sequence[float], path: str, title: str = "training loss") -> str:
    """loss_figure written to `path`."""
    return save_figure(loss_figure(losses, title), path)


def decision_boundary(
    predict: Callable[[float, float], float],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    path: str,
    title: str = "decision boundary",
    resolution: int = 60,
) -> str:
    """boundary_figure written to `path`."""
    return save_figure(boundary_figure(predict, X, y, title, resolution), path)
