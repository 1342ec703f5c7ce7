"""Drawing the computation graph with Graphviz: variables as ellipses, operations as rectangles.

This is the picture of the seed tutorial 000: for z = w·x + b the leaves w, x, b and the
root z are ellipses, ``*`` and ``+`` are rectangles, and edges run forward, input -> operation
-> output.  Each ellipse shows the label, the data and (once backward has run) the gradient.
"""
from __future__ import annotations

import shutil
from typing import Any

import graphviz

from .engine import LEAF, Value

INSTALL_HINT = ("the Graphviz 'dot' program is needed to render drawings: install it with "
                "'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) "
                "or 'conda install graphviz'")

STYLE = {
    "leaf": {"shape": "ellipse", "style": "filled", "fillcolor": "#dbeafe"},
    "constant": {"shape": "ellipse", "style": "filled,dashed", "fillcolor": "#f3f4f6"},
    "intermediate": {"shape": "ellipse"},
    "root": {"shape": "ellipse", "style": "filled,bold", "fillcolor": "#fde68a"},
    "op": {"shape": "box", "style": "filled", "fillcolor": "#e5e7eb"},
}


def _walk(root: Value, max_nodes: int) -> list[Value]:
    """Every Value that `root` depends on, iteratively (graphs may be very deep)."""
    seen: dict[int, Value] = {id(root): root}
    stack = [root]
    while stack:
        v = stack.pop()
        for child in v._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                if len(seen) > max_nodes:
                    raise ValueError(
                        f"the graph has more than {max_nodes} values; pass max_nodes={2 * max_nodes} "
                        "(or larger) to draw it anyway, or draw a smaller expression")
                stack.append(child)
    return list(seen.values())


def _kind(v: Value, root: Value) -> str:
    if v is root:
        return "root"
    if v._fn is None:
        return "constant"
    return "leaf" if v._fn is LEAF else "intermediate"


def _number(x: Any, fmt: str) -> str:
    return format(float(x), fmt)


def draw(root: Value, *, rankdir: str = "LR", number_format: str = ".4g", show_grad: bool = True,
         max_nodes: int = 300) -> graphviz.Digraph:
    """The computation graph of `root` as a ``graphviz.Digraph`` (shows inline in Jupyter).

    Render it with ``.render(filename, format="svg")`` or ``.pipe(format="svg")``.
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    dot = graphviz.Digraph(graph_attr={"rankdir": rankdir}, node_attr={"fontname": "Helvetica"})
    for v in _walk(root, max_nodes):
        parts = [v.label] if v.label else []
        parts.append(f"data {_number(v.data, number_format)}")
        if show_grad and v._fn is not None:
            parts.append(f"grad {_number(v.grad, number_format)}")
        dot.node(str(id(v)), graphviz.escape(" | ".join(parts)), **STYLE[_kind(v, root)])
        if v._prev:
            op = f"op{id(v)}"
            dot.node(op, graphviz.escape(v._op), **STYLE["op"])
            dot.edge(op, str(id(v)))
            for child in v._prev:
                dot.edge(str(id(child)), op)
    return dot


def render(dot: graphviz.Digraph, path: str) -> str:
    """Write the drawing to `path`; the format (svg, png, pdf) comes from its extension."""
    if shutil.which("dot") is None:
        raise RuntimeError(INSTALL_HINT)
    stem, _, fmt = path.rpartition(".")
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"the file name must end in .svg, .png or .pdf, got {path!r}")
    return dot.render(outfile=path, format=fmt, cleanup=True)
