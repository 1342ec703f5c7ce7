"""The backward replay: a page that steps through the backward pass one Value at a time.

Values are taken in reverse topological order, the order in which backpropagation completes
their gradients.  Each step's caption is the chain rule with numbers: the gradient of a Value
v is the sum, over every use of v, of the upstream gradient times the local derivative,

    ∂L/∂x = ∂L/∂(x**2) · ∂(x**2)/∂x + ∂L/∂exp(x) · ∂exp(x)/∂x = 4.482 · 3 + 2.25 · 4.482 = 23.53

where the local derivatives come from each primitive's vjp (``core/rules.py``).

Values are named by their label; else by the variable that holds them where ``replay`` was
called (``x``, or ``x[0]`` for an element of a tensor x); else by the expression that made them
(``x**2``); else by their step number (``#7``).  The page speaks English or Chinese (see
``language.py``).
"""

from __future__ import annotations

import html
import inspect
import itertools
import json
from typing import Any, NamedTuple

from ..autograd.reverse import grad as autograd_grad
from .drawing import check_max_nodes, draw, format_number, node_label, svg, value_lines
from ..core.value import Value
from ..core.graph import topological_order
from .language import say
from ..tensors import Tensor


def backward_steps(root: Value) -> list[tuple[Value, float]]:
    """(Value, its gradient) in the order backpropagation completes them: reverse topological.

    Each Value's gradient is final when its turn comes, because every Value that uses it
    came earlier; the gradients are computed by autograd.grad, leaving .grad alone.
    """
    order = topological_order(root)[::-1]
    grads = autograd_grad(root, order, retain_graph=True, allow_unused=True)
    return [(v, 0.0 if g is None else float(g)) for v, g in zip(order, grads)]


class Term(NamedTuple):
    """One use of a Value v by a result u: the chain rule's ∂L/∂u · ∂u/∂v.  `local` is None when
    u was made by a custom Function (its backward is the student's own code, not a table row)."""

    user: Value
    upstream: float
    local: float | None


def local_derivatives(u: Value) -> tuple[float, ...] | None:
    """∂u/∂(each input of u), in the order of ``u._inputs``, from u's row of the derivative
    table: its vjp with an upstream gradient of 1.  None for a custom Function's output."""
    rule = u._node.rule
    if rule is None:
        return None
    return tuple(float(d) for d in rule.gradients(u, 1.0))


def chain_rule_terms(steps: list[tuple[Value, float]]) -> dict[int, list[Term]]:
    """For each Value of `steps` (by id), the terms of its gradient: one per use, in step order."""
    gradient = {id(v): g for v, g in steps}
    terms: dict[int, list[Term]] = {id(v): [] for v, _ in steps}
    for u, g in steps:
        if not u._inputs:
            continue
        locals_ = local_derivatives(u)
        for position, x in enumerate(u._inputs):
            if id(x) in terms:
                terms[id(x)].append(
                    Term(u, gradient[id(u)], None if locals_ is None else locals_[position])
                )
    return terms


def value_names(steps: list[tuple[Value, float]], scope: dict[str, Any]) -> dict[int, str]:
    """A name for each Value of `steps`: its label; the variable of `scope` holding it (x, or
    x[0] for an element of a tensor x); the expression that made it, if short (x**2); else #k."""
    names: dict[int, str] = {id(v): str(v.label) for v, _ in steps if v.label}  # label=3 too
    for variable, obj in scope.items():
        if variable.startswith("_"):  # IPython's _, __, _1...: not names a student chose
            continue
        if obj.__class__ is Value:
            names.setdefault(id(obj), variable)
        elif isinstance(obj, Tensor):
            for index, v in zip(itertools.product(*map(range, obj.shape)), obj._values):
                names.setdefault(
                    id(v), f"{variable}[{', '.join(map(str, index))}]" if index else variable
                )
    for number, (v, _) in reversed(
        list(enumerate(steps, 1))
    ):  # inputs before the results using them
        if id(v) not in names:
            expression = _expression(v, names)
            names[id(v)] = expression if expression and len(expression) <= 16 else f"#{number}"
    return names


def _expression(v: Value, names: dict[int, str]) -> str | None:
    """How v was made, in code: x**2, exp(x), a*b, x*1.01; None if an input has no name yet."""
    operands = []
    for x in v._inputs:
        if x.__class__ is Value:
            if id(x) not in names:
                return None
            operands.append(names[id(x)])
        else:
            operands.append(format_number(x, "g"))
    symbol = v._op
    if len(operands) == 2 and symbol in ("+", "-", "*", "/", "**"):
        return f"{_wrapped(operands[0])}{symbol}{_wrapped(operands[1])}"
    if len(operands) == 1 and symbol.startswith(("*", "+", "-", "/")) and len(symbol) > 1:
        return f"{_wrapped(operands[0])}{symbol}"  # x**2, x*1.01 (a number carried by the node)
    if len(operands) == 1 and symbol.endswith(("*", "+", "-", "/")) and len(symbol) > 1:
        return f"{symbol}{_wrapped(operands[0])}"  # 3-x, 2**x
    return f"{symbol}({', '.join(operands)})"


def caption(
    v: Value,
    gradient: float,
    terms: list[Term],
    names: dict[int, str],
    root_name: str,
    fmt: str = ".4g",
) -> str:
    """The step's caption: ∂L/∂v by the chain rule, in symbols, then in numbers."""
    d = lambda top, bottom: f"∂{_wrapped(top)}/∂{_wrapped(bottom)}"
    name = names[id(v)]
    if not terms:
        return say(
            f"{d(root_name, name)} = 1: the seed that starts the backward pass",
            f"{d(root_name, name)} = 1：反向传播从这个初始梯度开始",
        )
    symbols = " + ".join(
        f"{d(root_name, names[id(t.user)])} · {d(names[id(t.user)], name)}" for t in terms
    )
    numbers = " + ".join(
        f"{format_number(t.upstream, fmt)} · "
        + (
            format_number(t.local, fmt)
            if t.local is not None
            else say("(its Function's backward)", "（其 Function 的 backward）")
        )
        for t in terms
    )
    lines = [f"{d(root_name, name)} = {symbols}", f"= {numbers} = {format_number(gradient, fmt)}"]
    if len(terms) > 1:
        lines.append(
            say(
                f"{name} is used {len(terms)} times: the gradients coming back along each use add up",
                f"{name} 被使用了 {len(terms)} 次：沿每次使用传回的梯度相加",
            )
        )
    return "\n".join(lines)


def _wrapped(name: str) -> str:
    """A name as an operand: x, w[0], #3 and exp(x) as they are; x*y in parentheses."""
    simple = name.replace("_", "").replace("[", "").replace("]", "").replace(", ", "").isalnum()
    call = name.endswith(")") and name.index("(") > 0 and name[: name.index("(")].isalnum()
    return name if simple or name.startswith("#") or call else f"({name})"


class ReplayPage(str):
    """The replay page's HTML, which Jupyter shows inline (in a frame) and a REPL as one line."""

    path: str | None = None
    steps: int = 0

    def __repr__(self) -> str:
        where = f", written to {self.path}" if self.path else " (pass a path to write it)"
        return f"<backward replay: {self.steps} steps{where}>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(str(self), quote=True)}" style="width: 100%; height: 36em; '
            'border: 1px solid #ddd"></iframe>'
        )


REPLAY_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1.5em; }}
#controls {{ margin: 1em 0; display: flex; gap: 0.6em; align-items: center; }}
#graph svg {{ max-width: 100%; height: auto; }}
.current ellipse {{ stroke: #dc2626; stroke-width: 4px; }}
.done ellipse {{ fill: #fef9c3; }}
#caption {{ font-size: 1.1em; min-height: 4.5em; white-space: pre-line; font-family: Menlo, Consolas, monospace; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{intro}</p>
<div id="controls">
<button id="previous">&larr; {previous}</button>
<input id="slider" type="range" min="0" max="{last}" value="0">
<button id="next">{next} &rarr;</button>
<span id="position"></span>
</div>
<div id="caption"></div>
<div id="graph">{svg}</div>
<script>
const steps = {steps};
const position = {position};
let step = 0;
function show(k) {{
  step = Math.max(0, Math.min(steps.length - 1, k));
  steps.forEach((s, i) => {{
    const node = document.getElementById(s.id);
    if (!node) return;
    node.classList.toggle("current", i === step);
    node.classList.toggle("done", i < step);
    for (const text of node.querySelectorAll("text")) {{
      if (text.textContent.startsWith("grad")) text.textContent = i <= step ? "grad " + s.grad : "grad ?";
    }}
  }});
  document.getElementById("slider").value = step;
  document.getElementById("position").textContent = position.replace("{{k}}", step + 1).replace("{{n}}", steps.length);
  document.getElementById("caption").textContent = steps[step].caption;
}}
document.getElementById("previous").onclick = () => show(step - 1);
document.getElementById("next").onclick = () => show(step + 1);
document.getElementById("slider").oninput = (e) => show(parseInt(e.target.value, 10));
show(0);
</script>
</body></html>
"""


def _page_words() -> dict[str, str]:
    """The page's fixed text, in the language in use."""
    return {
        "lang": say("en", "zh-CN"),
        "title": say("Backpropagation, one node at a time", "反向传播：一次一个节点"),
        "intro": say(
            "Nodes are taken in reverse topological order: a node's gradient is complete once every "
            "node that uses it has passed its gradient back. Each step applies the chain rule: "
            "for every use, the gradient from above times the local derivative, all added up.",
            "节点按逆拓扑顺序处理：使用某个节点的所有节点都把梯度传回之后，它的梯度才算完整。"
            "每一步都在用链式法则：对每一次使用，把上游传来的梯度乘以局部导数，再全部加起来。",
        ),
        "previous": say("previous", "上一步"),
        "next": say("next", "下一步"),
        "position": json.dumps(say("step {k} of {n}", "第 {k} 步，共 {n} 步"), ensure_ascii=False),
    }


def replay(
    root: Value | Tensor,
    path: str | None = None,
    *,
    names: dict[str, Any] | None = None,
    rankdir: str = "auto",
    number_format: str = ".4g",
    max_nodes: int = 1000,
) -> ReplayPage:
    """A self-contained HTML page stepping through the backward pass of `root`; written to `path`
    if given, and returned (Jupyter shows it inline; its text is the page's HTML).  Call it
    before ``backward()`` or with a graph kept by retain_graph.

    `names` maps names to the Values and Tensors to call by them; by default, the variables
    where ``replay`` is called (so a Value in x is called x, the elements of a tensor w are w[0],
    w[1]...).  A Value's label always comes first.
    """
    if isinstance(root, Tensor):
        if root.numel() != 1:
            raise ValueError(
                f"replay needs a scalar output, got a tensor of shape {tuple(root.shape)}"
            )
        root = root._values[0]
    if not isinstance(root, Value) or not root.requires_grad:
        raise ValueError("replay needs a Value (or one-element Tensor) that requires grad")
    check_max_nodes(max_nodes)
    if names is None:
        caller = inspect.currentframe().f_back
        names = {**caller.f_globals, **caller.f_locals}
    steps = backward_steps(root)
    called = value_names(steps, names)
    terms = chain_rule_terms(steps)
    held = any(
        obj is root or isinstance(obj, Tensor) and obj.numel() == 1 and obj._values[0] is root
        for obj in names.values()
    )
    root_name = (
        called[id(root)] if root.label or held else "L"
    )  # the output: its name, or L for loss
    label = str(root.label) if root.label else ""
    if label.partition(" = ")[0].isidentifier():  # a label "f = x**2" names it f
        root_name = label.partition(" = ")[0]
    called[id(root)] = root_name
    ids = {id(v): f"v{index}" for index, (v, _) in enumerate(steps)}
    drawing = draw(
        root,
        rankdir=rankdir,
        number_format=number_format,
        max_nodes=max_nodes,
        ids=ids,
        show_grad=False,
    )
    for index, (v, _) in enumerate(steps):  # each variable: its name, and a grad line to fill in
        lines = (
            [called[id(v)]]
            + value_lines(v, number_format, False, False)[1 if v.label else 0 :]
            + ["grad ?"]
        )
        drawing.node(f"v{index}", node_label(lines), id=f"v{index}")
    picture = svg(drawing)
    picture = picture[picture.index("<svg") :]
    data = [
        {
            "id": f"v{index}",
            "grad": format_number(g, number_format),
            "caption": caption(v, g, terms[id(v)], called, root_name, number_format),
        }
        for index, (v, g) in enumerate(steps)
    ]
    page = ReplayPage(
        REPLAY_PAGE.format(
            svg=picture, steps=_script_data(data), last=len(data) - 1, **_page_words()
        )
    )
    page.path, page.steps = path, len(data)
    if path is not None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page)
    return page


def _script_data(data: Any) -> str:
    """JSON safe inside <script>: no <, > or & left to start a tag or a comment (\\u003c...)."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


__all__ = [
    "replay",
    "ReplayPage",
    "backward_steps",
    "chain_rule_terms",
    "local_derivatives",
    "value_names",
    "caption",
    "Term",
]
