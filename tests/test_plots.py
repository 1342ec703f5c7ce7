"""The loss curve and decision boundary, drawn with matplotlib or as plain SVG in a browser:
checked by reading what is drawn (axes, ticks, log scale, both classes, the boundary) and the SVG
written."""

from __future__ import annotations

import math
import sys
import xml.etree.ElementTree as ET

import pytest

from micrograd import data, plots

matplotlib = pytest.importorskip(
    "matplotlib", reason="plots need matplotlib (./dev test installs it)"
)


def test_the_loss_curve_has_a_log_scale_ticks_and_labels(tmp_path):
    losses = [math.exp(-i / 8) + 1e-4 for i in range(200)]  # falls by four orders of magnitude
    figure = plots.loss_figure(losses)
    axes = figure.axes[0]
    assert (
        axes.get_yscale() == "log" and axes.get_xlabel() == "step" and "loss" in axes.get_ylabel()
    )
    assert len(axes.get_xticks()) >= 3 and len(axes.get_yticks()) >= 3
    line = axes.get_lines()[0]
    assert list(line.get_ydata()) == losses
    path = plots.loss_curve(losses, str(tmp_path / "loss.svg"))
    root = ET.parse(path).getroot()  # valid XML
    ids = {element.get("id") for element in root.iter()}
    assert {"axes_1", "xtick_1", "ytick_1"} <= ids
    texts = [element.text for element in root.iter() if element.tag.endswith("text")]
    assert "step" in texts and "loss (log scale)" in texts


def test_the_decision_boundary_shows_both_classes_the_boundary_axes_and_a_legend(tmp_path):
    X, y = data.moons(60, noise=0.1)
    figure = plots.boundary_figure(lambda a, b: a - 0.5, X, y, resolution=30)
    axes = figure.axes[0]
    clouds = [c for c in axes.collections if c.get_label().startswith("class")]
    assert [c.get_label() for c in clouds] == ["class -1", "class +1"]
    assert sorted(len(c.get_offsets()) for c in clouds) == sorted(
        [sum(t < 0 for t in y), sum(t > 0 for t in y)]
    )
    legend = axes.get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == [
        "class -1",
        "class +1",
    ]
    assert axes.get_xlabel() and axes.get_ylabel()
    boundary = [
        c for c in axes.collections if type(c).__name__ == "QuadContourSet" or hasattr(c, "levels")
    ]
    assert any(list(getattr(c, "levels", [])) == [0] for c in boundary)  # the line score = 0
    path = plots.decision_boundary(
        lambda a, b: a - 0.5, X, y, str(tmp_path / "db.svg"), resolution=30
    )
    ids = {element.get("id") for element in ET.parse(path).getroot().iter()}
    assert {"axes_1", "legend_1", "xtick_1", "ytick_1"} <= ids


def test_without_matplotlib_the_message_is_one_line_saying_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(
        RuntimeError, match=r"plots need matplotlib: pip install 'micrograd-classroom\[plots\]'"
    ):
        plots.loss_figure([1.0, 0.5])


def test_a_figure_has_a_png_picture_for_notebooks():
    png = plots.loss_figure([1.0, 0.1, 0.01])._repr_png_()
    assert png.startswith(b"\x89PNG\r\n") and len(png) > 1000


@pytest.fixture
def in_a_browser(monkeypatch):
    """Python in a browser (Pyodide) without matplotlib, as the classroom runs it."""
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setitem(sys.modules, "matplotlib", None)


def test_in_a_browser_the_boundary_is_plain_svg_shaded_by_the_scores_sign(in_a_browser, tmp_path):
    X, y = data.moons(40, noise=0.1)
    figure = plots.boundary_figure(lambda a, b: a - 0.5, X, y, resolution=12)
    root = ET.fromstring(figure._repr_svg_())
    cells = [e for e in root.iter() if e.get("class") == "shade"]
    points = [e for e in root.iter() if e.get("class") == "point"]
    assert len(cells) == 12 * 12 and len(points) == len(X)
    for cell in cells:  # red where a - 0.5 > 0: right of the cell's centre x
        centre = float(cell.get("x")) + float(cell.get("width")) / 2
        assert (cell.get("fill") == "#fecaca") == (centre > _pixel_of_half(root, X)), cell.attrib
    reds = sorted(float(p.get("cx")) for p in points if p.get("fill") == plots.CLASS_COLOURS[1])
    assert len(reds) == sum(t > 0 for t in y)
    texts = [e.text for e in root.iter() if e.tag.endswith("text")]
    assert "decision boundary" in texts and "class -1" in texts and "class +1" in texts
    assert plots.save_figure(figure, str(tmp_path / "b.svg")).endswith("b.svg")
    with pytest.raises(RuntimeError, match="plots are SVG only: use a name ending in .svg"):
        plots.save_figure(figure, str(tmp_path / "b.png"))


def _pixel_of_half(root, X):
    """Where x₁ = 0.5 falls, in pixels, from the plot's x range (min - 0.5 to max + 0.5 over 416 px from 64)."""
    x0, x1 = min(p[0] for p in X) - 0.5, max(p[0] for p in X) + 0.5
    return 64 + (0.5 - x0) / (x1 - x0) * (480 - 64 - 16)


def test_in_a_browser_the_loss_curve_is_plain_svg_on_a_log_scale(in_a_browser, tmp_path):
    losses = [10 ** (-k / 10) for k in range(31)]  # from 1 down to 0.001
    root = ET.fromstring(plots.loss_figure(losses)._repr_svg_())
    line = next(e for e in root.iter() if e.get("class") == "loss")
    heights = [float(point.split(",")[1]) for point in line.get("points").split()]
    assert len(heights) == 31 and heights == sorted(
        heights
    )  # falling loss: y pixels grow downwards
    steps = [b - a for a, b in zip(heights, heights[1:])]
    assert max(steps) - min(steps) < 0.2  # a straight line: log scale
    ticks = [e.text for e in root.iter() if e.get("class") == "ytick"]
    assert ticks == ["1e-3", "1e-2", "1e-1", "1e0"]
    assert "loss (log scale)" in [e.text for e in root.iter() if e.tag.endswith("text")]
