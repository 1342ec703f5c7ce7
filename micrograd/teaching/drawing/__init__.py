"""Drawing the computation graph with Graphviz: variables as ellipses, operations as rectangles.

The picture PyTorch's autograd tutorials draw: for z = w·x + b the leaves w, x, b and the root z are
ellipses, ``*`` and ``+`` are rectangles, and edges run forward, input -> operation -> output.

* ``draw(root)`` returns a ``graphviz.Digraph`` (shown inline by Jupyter); ``view="scalar"``
  draws every Value, ``view="tensor"`` one ellipse per Tensor and one rectangle per tensor op.
* ``render(drawing, "graph.svg")`` writes svg, png or pdf.
* The backward replay, a page stepping through the backward pass, is in ``replay.py``.
* Laying the graph out is Graphviz's work: ``renderers.py`` runs the ``dot`` program, or, in a
  browser, Graphviz compiled to WebAssembly.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any, Iterable

import graphviz

from ...autograd import forward_ad
from ...autograd.function import FunctionNode
from ...core.nodes import LEAF
from ...core.value import Value
from ..module_calls import Call, innermost_calls
from ...tensors import NO_GRAD, Tensor, TensorNode
from . import renderers
from .renderers import INSTALL_HINT

STYLE = {
    "leaf": {"shape": "ellipse", "style": "filled", "fillcolor": "#dbeafe"},
    "parameter": {"shape": "ellipse", "style": "filled", "fillcolor": "#bbf7d0"},
    "constant": {"shape": "ellipse", "style": "filled,dashed", "fillcolor": "#f3f4f6"},
    "intermediate": {"shape": "ellipse"},
    "root": {"shape": "ellipse", "style": "filled,bold", "fillcolor": "#fde68a"},
    "op": {"shape": "box", "style": "filled", "fillcolor": "#e5e7eb"},
}
LEGEND = {
    "leaf": "leaf (a variable you made)",
    "parameter": "parameter",
    "constant": "constant",
    "intermediate": "intermediate result",
    "root": "root (the output)",
    "op": "operation",
}


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that Jupyter shows inline as SVG (drawn by our own ``dot`` call, with
    its time limit, or Graphviz in WebAssembly in a browser), and, where Graphviz is missing, as one line saying how to install it."""

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **_: Any
    ) -> dict[str, str]:
        try:
            return {"image/svg+xml": svg(self)}
        except RuntimeError as err:  # no dot, or dot gave up: say so in one line
            return {"text/plain": f"(the drawing is not shown: {err})"}


def node_label(lines: Iterable[str]) -> str:
    """A Graphviz node label of these lines (the replay labels its nodes so too), shown as typed:
    backslashes escaped, quotes quoted by graphviz, never HTML; characters that cannot be shown
    (NUL, control characters) shown escaped, as \\x00."""
    return graphviz.nohtml("\\n".join(graphviz.escape(_printable(str(line))) for line in lines))


def _printable(text: str) -> str:
    """Control characters, lone surrogates and line separators as \\x00, \\u2028: the rest as typed."""
    return "".join(
        c.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
        else c
        for c in text
    )


def format_number(x: Any, fmt: str) -> str:
    """x (a number, or a Value's data or grad) as the drawings print it: ``format(float(x), fmt)``,
    fmt being their ``number_format`` (".4g")."""
    return format(float(x), fmt)


# --- walking the graphs ------------------------------------------------------------------------
def _values(roots: list[Value], max_nodes: int) -> list[Value]:
    """Every Value the roots depend on (iteratively: graphs may be very deep).  Number operands
    (the 2 in x * 2) are not Values: they are written in the operation's box."""
    seen: dict[int, Value] = {id(r): r for r in roots}
    drawn = len(roots) + sum(1 for r in roots if r._inputs)  # ellipses and rectangles
    stack = list(roots)
    while stack:
        for child in stack.pop()._inputs:
            if child.__class__ is Value and id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
                drawn += 2 if child._inputs else 1
    _check_size(drawn, max_nodes, "scalar")
    return list(seen.values())


DEEP = 25
"""How many Values deep a graph may be before rankdir="auto" draws it top to bottom."""


def _depth(values: list[Value]) -> int:
    """The number of Values on the longest path through the graph."""
    depth: dict[int, int] = {}
    for v in sorted(values, key=lambda v: -v._stamp):  # oldest first: inputs before results
        depth[id(v)] = 1 + max((depth[id(c)] for c in v._inputs if c.__class__ is Value), default=0)
    return max(depth.values(), default=0)


def _operation(v: Value, fmt: str) -> str:
    """The text of v's operation box: its symbol, with any number operand on its side
    (y * 1.01 is '*1.01', 2 * y is '2*'; x ** 2 is '**2' and 3 - x is '3-' by their rows)."""
    symbol = v._op
    if v._node.rule is not None and not v._node.rule.constant:
        if v._a.__class__ is not Value:
            return format_number(v._a, fmt) + symbol
        if v._b is not None and v._b.__class__ is not Value:
            return symbol + format_number(v._b, fmt)
    return symbol


def check_max_nodes(max_nodes: Any) -> None:
    """max_nodes must be a whole number (or math.inf, no limit) of at least 1: said by name, before
    any graph is walked (a string would otherwise fail deep inside as '>' not supported)."""
    if isinstance(max_nodes, bool) or not (
        isinstance(max_nodes, int) or max_nodes == math.inf and isinstance(max_nodes, float)
    ):
        raise TypeError(
            f"max_nodes must be a whole number (or math.inf), got {max_nodes!r} of type "
            f"{type(max_nodes).__name__}"
        )
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")


def _check_size(count: int, max_nodes: int, view: str) -> None:
    """Refuse a graph with more than max_nodes shapes, saying its real size (so the advice works)."""
    if count > max_nodes:
        hint = ", or view='tensor' to draw one ellipse per tensor" if view == "scalar" else ""
        raise ValueError(
            f"the graph has {count} nodes, more than max_nodes={max_nodes}; pass "
            f"max_nodes={count} (or more) to draw it anyway{hint}"
        )


def _tensor_history(t: Tensor) -> tuple[Any, str, tuple]:
    """(node, operation name, input tensors) of a tensor; (None, '', ()) for a leaf."""
    node = t.grad_fn
    if isinstance(node, TensorNode):
        return node, node.op, tuple(p for p in node.parents if isinstance(p, Tensor))
    if isinstance(node, FunctionNode):
        return node, node.symbol, tuple(a for a in node._args if isinstance(a, (Tensor, Value)))
    return None, "", ()


def _kind(obj: Any, root: Any, params: set[int]) -> str:
    if obj is root:
        return "root"
    if id(obj) in params:
        return "parameter"
    if isinstance(obj, Value):
        if obj._node is None:
            return "constant"
        return "leaf" if obj._node is LEAF else "intermediate"
    if not obj.requires_grad:
        return "constant"
    return "leaf" if obj.is_leaf else "intermediate"


# --- labels --------------------------------------------------------------------------------------
def value_lines(v: Value, fmt: str, show_grad: bool, show_tangent: bool) -> list[str]:
    """The lines of a Value's ellipse: its label (if it has one), ``data ...``, then ``grad ...``
    (with show_grad, once it has one) and ``tangent ...`` (with show_tangent, inside forward mode)."""
    lines = [v.label] if v.label else []
    lines.append(f"data {format_number(v.data, fmt)}")
    if show_grad and v._node is not None and v.grad.__class__ is not type(NO_GRAD):
        lines.append(f"grad {format_number(v.grad, fmt)}")
    if show_tangent:
        tangent = forward_ad.tangent_of(v)
        if tangent is not None:
            lines.append(f"tangent {format_number(tangent, fmt)}")
    return lines


def _tensor_lines(t: Any, fmt: str, show_grad: bool) -> list[str]:
    if isinstance(t, Value):
        return value_lines(t, fmt, show_grad, False)
    lines = [t.label] if getattr(t, "label", "") else []
    numbers = [v.data for v in t._values]
    lines.append(f"shape {tuple(t.shape)}" if t.dim() else "scalar")
    if len(numbers) <= 4:
        lines.append("data " + ", ".join(format_number(x, fmt) for x in numbers))
    gradient = t._gradient() if show_grad and t.requires_grad else None
    if gradient is not None and gradient.numel() <= 4:
        lines.append("grad " + ", ".join(format_number(v.data, fmt) for v in gradient._values))
    return lines


def draw(
    root: Value | Tensor,
    *,
    view: str = "scalar",
    rankdir: str = "auto",
    number_format: str = ".4g",
    show_grad: bool = True,
    show_tangent: bool | None = None,
    max_nodes: int = 1000,
    legend: bool = False,
    params: Iterable[Any] = (),
    ids: dict[int, str] | None = None,
    grouped: bool = True,
) -> Drawing:
    """The computation graph of `root` as a ``graphviz.Digraph`` (shown inline by Jupyter).

    `view` is "scalar" (every Value) or "tensor" (one ellipse per Tensor); `params` are drawn
    as parameters; `max_nodes` guards against graphs too big for dot to lay out.  `rankdir`
    "auto" draws left to right, or top to bottom when the graph is more than DEEP Values deep
    (a long loop): a notebook shrinks a wide picture to the page, but lets a tall one scroll.  With
    `grouped`, the Values made inside a call of an ``nn.Module`` (a Neuron, a Layer, an MLP...)
    are drawn in a box named after it, boxes nested as the calls were.
    """
    if rankdir not in ("auto", "LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'auto', 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if view not in ("scalar", "tensor"):
        raise ValueError(f"view must be 'scalar' or 'tensor', got {view!r}")
    check_max_nodes(max_nodes)
    dot = Drawing(node_attr={"fontname": "Helvetica"})
    if not isinstance(root, (Value, Tensor)):
        if not all(hasattr(root, name) for name in ("data", "_prev", "_op")):
            raise TypeError(
                f"draw() needs a Value or Tensor, or a value of your own engine with data, grad, "
                f"_prev and _op; got {type(root).__name__}"
            )
        _draw_other_engine(dot, root, number_format, show_grad, max_nodes)
        dot.graph_attr["rankdir"] = "LR" if rankdir == "auto" else rankdir
        return dot
    if show_tangent is None:
        show_tangent = forward_ad.active()
    parameters = {id(p) for p in params}
    for p in params:
        if isinstance(p, Tensor):
            parameters.update(id(v) for v in p._values)
    if view == "tensor":
        if not isinstance(root, Tensor):
            raise ValueError("view='tensor' draws Tensors: this root is a Value, use view='scalar'")
        _draw_tensors(dot, root, number_format, show_grad, max_nodes, parameters)
    else:
        roots = list(root._values) if isinstance(root, Tensor) else [root]
        values = _values(roots, max_nodes)
        if rankdir == "auto":
            rankdir = "TB" if _depth(values) > DEEP else "LR"
        boxes, nesting = _boxes(values) if grouped else ({}, [])
        for v in values:
            kind = "root" if _is_root(v, roots) else _kind(v, None, parameters)
            name = (ids or {}).get(id(v), f"v{id(v)}")
            box = boxes.get(v._stamp, dot)  # the box of the module call that made v
            box.node(
                name,
                node_label(value_lines(v, number_format, show_grad, show_tangent)),
                id=name,
                **STYLE[kind],
            )
            if v._inputs:
                op = f"op{id(v)}"
                box.node(op, node_label([_operation(v, number_format)]), **STYLE["op"])
                dot.edge(op, name)
                for child in v._inputs:
                    if child.__class__ is Value:
                        dot.edge((ids or {}).get(id(child), f"v{id(child)}"), op)
        _close_boxes(dot, nesting)
    dot.graph_attr["rankdir"] = "LR" if rankdir == "auto" else rankdir
    if legend:
        with dot.subgraph(name="cluster_legend") as box:
            box.attr(label="legend", style="dashed")
            for kind, text in LEGEND.items():
                box.node(f"legend_{kind}", node_label([text]), **STYLE[kind])
    return dot


def _boxes(values: list[Value]) -> tuple[dict[int, graphviz.Digraph], list[tuple[Any, Any]]]:
    """A Graphviz cluster for each module call that made some of `values`.  Returns stamp ->
    the cluster of the innermost call that made that Value (a leaf or constant goes in the
    cluster of the Values using it, if they share one: a Neuron's weights in its box), and
    (cluster, enclosing cluster or None) pairs, enclosing ones first."""
    calls, home, parent = innermost_calls([v._stamp for v in values])
    clusters: dict[Call, graphviz.Digraph] = {}
    for number, call in enumerate(calls):
        box = clusters[call] = graphviz.Digraph(name=f"cluster_{number}")
        box.attr(
            label=node_label([_module_name(call.module)]),
            style="rounded,dashed",
            color="#6b7280",
            fontname="Helvetica",
            labeljust="l",
        )
    users: dict[int, set] = {}
    for v in values:
        for child in v._inputs:
            users.setdefault(id(child), set()).add(home.get(v._stamp))
    for v in values:
        shared = users.get(id(v), {None})
        if not v._inputs and len(shared) == 1 and None not in shared:
            home[v._stamp] = shared.pop()
    nesting = [(clusters[call], clusters.get(parent[call])) for call in calls]
    return {stamp: clusters[call] for stamp, call in home.items()}, nesting


def _close_boxes(dot: graphviz.Digraph, nesting: list[tuple[Any, Any]]) -> None:
    """Put each cluster inside its enclosing one, innermost first (a cluster is copied when added)."""
    for box, outer in reversed(nesting):
        (dot if outer is None else outer).subgraph(box)


def _module_name(module: Any) -> str:
    """How a box is labelled: by the module's repr if short (ReLUNeuron(3)), else its class name."""
    text = repr(module)
    return text if len(text) <= 24 and "\n" not in text else type(module).__name__


def _is_root(v: Value, roots: list[Value]) -> bool:
    return any(v is r for r in roots)


def _draw_other_engine(
    dot: graphviz.Digraph, root: Any, fmt: str, show_grad: bool, max_nodes: int
) -> None:
    """The graph of another engine's values, as karpathy's trace_graph draws it: his micrograd's,
    or the Value class a student builds.  Each needs data, _prev (its inputs) and _op (the
    operation that made it, '' for a leaf); grad and label are shown when it has them."""
    seen: dict[int, Any] = {id(root): root}
    stack = [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    _check_size(sum(2 if v._prev else 1 for v in seen.values()), max_nodes, "scalar")
    for v in seen.values():
        name = f"v{id(v)}"
        lines = [str(v.label)] if getattr(v, "label", "") else []
        lines.append(f"data {_number_or_text(v.data, fmt)}")
        if show_grad and hasattr(v, "grad"):
            lines.append(f"grad {_number_or_text(v.grad, fmt)}")
        kind = "root" if v is root else "intermediate" if v._prev else "leaf"
        dot.node(name, node_label(lines), id=name, **STYLE[kind])
        target = name
        if v._op:
            target = f"op{id(v)}"
            dot.node(target, node_label([str(v._op)]), **STYLE["op"])
            dot.edge(target, name)
        for child in v._prev:
            dot.edge(f"v{id(child)}", target)


def _number_or_text(x: Any, fmt: str) -> str:
    """A number as `fmt` formats it; anything else (a student's engine may hold a Value in
    .data by mistake) as its repr, so the drawing shows what is there."""
    try:
        return format_number(x, fmt)
    except (TypeError, ValueError):
        return repr(x)


def _draw_tensors(
    dot: graphviz.Digraph,
    root: Tensor,
    fmt: str,
    show_grad: bool,
    max_nodes: int,
    parameters: set[int],
) -> None:
    seen: dict[int, Any] = {id(root): root}
    stack: list[Any] = [root]
    while stack:
        t = stack.pop()
        name = f"t{id(t)}"
        dot.node(
            name,
            node_label(_tensor_lines(t, fmt, show_grad)),
            id=name,
            **STYLE[_kind(t, root, parameters)],
        )
        if not isinstance(t, Tensor):
            continue
        node, op, parents = _tensor_history(t)
        if node is None:
            continue
        op_name = f"op{id(t)}"
        dot.node(op_name, node_label([op]), **STYLE["op"])
        dot.edge(op_name, name)
        for p in parents:
            dot.edge(f"t{id(p)}", op_name)
            if id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    _check_size(2 * len(seen), max_nodes, "tensor")


def render(drawing: graphviz.Digraph, path: str) -> str:
    """Write the drawing to `path`; the format (svg, png, pdf) comes from its extension."""
    fmt = path.rpartition(".")[2].lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"the file name must end in .svg, .png or .pdf, got {path!r}")
    picture = _dot(drawing, fmt)
    with open(path, "wb") as handle:
        handle.write(picture)
    return path


def _dot(drawing: graphviz.Digraph, fmt: str) -> bytes:
    """The drawing as a picture in `fmt`, laid out by the renderer in use (``renderers.current()``)."""
    return renderers.current()(drawing.source, fmt)


def save(drawing: graphviz.Digraph, path: str) -> str:
    """Render to `path` (svg, png, pdf); without Graphviz, write the DOT source beside it instead.
    Returns the path written."""
    try:
        return render(drawing, path)
    except RuntimeError:
        source = path.rpartition(".")[0] + ".dot"
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(drawing.source)
        return source


def svg(drawing: graphviz.Digraph) -> str:
    """The drawing as SVG text."""
    return _dot(drawing, "svg").decode("utf-8")


__all__ = [
    "draw",
    "render",
    "save",
    "svg",
    "Drawing",
    "INSTALL_HINT",
    "renderers",
    "node_label",
    "format_number",
    "value_lines",
    "check_max_nodes",
]
