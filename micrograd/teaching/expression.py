"""Reading a formula typed on the command line, safely: ``"x**2 * exp(x)"``.

The text is parsed with ``ast`` and checked against a whitelist: numbers, the variables
given, ``+ - * / **``, unary minus and plus, parentheses, and calls of the known functions.
It is then evaluated by walking the tree with Values; Python's ``eval`` is never called,
so no code in the text can run.
"""

from __future__ import annotations

import ast
import difflib
import operator
from typing import Any, Iterable

from ..core import rules
from ..core.value import Value, apply

FUNCTIONS: dict[str, rules.Primitive] = dict(rules.UNARY)
"""The functions a formula may call: every function of the derivative table (``clamp(x, 0, 1)``
takes its constants after the argument)."""
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
ROWS = {
    ast.Add: rules.ADD,
    ast.Sub: rules.SUB,
    ast.Mult: rules.MUL,
    ast.Div: rules.DIV,
    ast.Pow: rules.POW,
}
MAX_LENGTH, MAX_NODES, MAX_EXPONENT = 500, 200, 1000


class ExpressionError(ValueError):
    """The text is not an expression we evaluate; the message says why in one line."""


def parse(text: str, variables: Iterable[str]) -> ast.Expression:
    """Check `text` against the whitelist; return its syntax tree (spaces around it ignored)."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        reason = getattr(err, "msg", None) or type(err).__name__
        raise ExpressionError(f"not a valid expression: {reason}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError(
            f"the expression has {len(nodes)} parts; at most {MAX_NODES} are accepted"
        )
    allowed = set(variables)
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    for node in nodes:
        _check(node, allowed)
        if isinstance(node, ast.Name) and node.id not in allowed and id(node) not in called:
            raise ExpressionError(f"{node.id} is a function: call it, e.g. {node.id}(x)")
    return tree


def _check(node: ast.AST, variables: set[str]) -> None:
    if (
        isinstance(node, (ast.Expression, ast.Load))
        or type(node) in OPERATORS
        or isinstance(node, (ast.USub, ast.UAdd))
    ):
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"only numbers may appear as constants, not {node.value!r}")
        return
    if isinstance(node, ast.Name):
        if node.id not in variables and node.id not in FUNCTIONS:
            raise ExpressionError(
                f"unknown name '{node.id}'{_nearest(node.id, [*variables, *FUNCTIONS])}: "
                f"give its value with --at {node.id}=... (functions: {', '.join(FUNCTIONS)})"
            )
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            raise ExpressionError(
                f"the operator {type(node.op).__name__} is not supported; use + - * / **"
            )
        if isinstance(node.op, ast.Pow):
            exponent = node.right.operand if isinstance(node.right, ast.UnaryOp) else node.right
            if (
                isinstance(exponent, ast.Constant)
                and isinstance(exponent.value, (int, float))
                and abs(exponent.value) > MAX_EXPONENT
            ):
                raise ExpressionError(
                    f"the exponent {exponent.value} is too large (at most {MAX_EXPONENT})"
                )
            if (
                isinstance(node.left, ast.BinOp)
                and isinstance(node.left.op, ast.Pow)
                or isinstance(node.right, ast.BinOp)
                and isinstance(node.right.op, ast.Pow)
            ):
                raise ExpressionError(
                    "towers of powers (a ** b ** c) are not accepted: they blow up"
                )
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ExpressionError(f"the operator {type(node.op).__name__} is not supported")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"only these functions may be called: {', '.join(FUNCTIONS)}")
        if node.func.id not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function '{node.func.id}'{_nearest(node.func.id, FUNCTIONS)}: "
                f"the functions are {', '.join(FUNCTIONS)}"
            )
        prim = FUNCTIONS[node.func.id]
        wanted = ", ".join(("x", *prim.constant))
        if (
            not 1 <= len(node.args) <= 1 + len(prim.constant)
            or node.keywords
            or (prim.constant and len(node.args) == 1)
        ):
            raise ExpressionError(f"{node.func.id}() is called as {node.func.id}({wanted})")
        for extra in node.args[1:]:
            if _number(extra) is None:
                raise ExpressionError(
                    f"the {', '.join(prim.constant)} of {node.func.id}() must be numbers"
                )
        return
    what = {
        ast.Attribute: "attributes (x.y)",
        ast.Subscript: "indexing (x[0])",
        ast.Compare: "comparisons",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.Lambda: "lambda",
        ast.List: "lists",
        ast.Tuple: "tuples",
        ast.Dict: "dicts",
        ast.Set: "sets",
        ast.JoinedStr: "f-strings",
        ast.keyword: "keyword arguments",
        ast.Starred: "*arguments",
    }.get(type(node), type(node).__name__)
    raise ExpressionError(
        f"{what} are not allowed in a formula: use numbers, variables, + - * / ** and "
        f"the functions {', '.join(FUNCTIONS)}"
    )


def _nearest(name: str, known: Iterable[str]) -> str:
    """ ", did you mean 'exp'?" when a known name is close to the one typed, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(node: ast.AST) -> float | None:
    """The number a constant argument stands for (2, -0.5), else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign, node = (-1.0 if isinstance(node.op, ast.USub) else 1.0), node.operand
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    ):
        return sign * node.value
    return None


def evaluate(tree: ast.Expression, values: dict[str, Value], text: str | None = None) -> Value:
    """Compute the checked tree with Values (iteratively, no recursion on deep trees).  Given
    the `text` it was parsed from, each intermediate result is labelled with its own piece
    of the formula (``x**2``, ``exp(x)``), so the drawing names every node."""
    results: dict[int, Any] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        children = [
            c
            for c in ast.iter_child_nodes(node)
            if not isinstance(c, (ast.operator, ast.unaryop, ast.Load))
        ]
        if isinstance(node, ast.Call):
            children = list(node.args[:1])
        if not ready:
            stack.append((node, True))
            stack.extend((c, False) for c in children)
            continue
        if isinstance(node, ast.Constant):
            results[id(node)] = float(node.value)
        elif isinstance(node, ast.Name):
            results[id(node)] = values[node.id]
        elif isinstance(node, ast.BinOp):
            operator_, left, right = (
                OPERATORS[type(node.op)],
                results[id(node.left)],
                results[id(node.right)],
            )
            if isinstance(left, Value) or isinstance(right, Value):
                results[id(node)] = operator_(left, right)
            else:  # constants fold with the table's rules, IEEE-safe as x/0: 1/0 = inf, (-8)**(1/3) = nan
                results[id(node)] = rules.evaluate(
                    ROWS[type(node.op)].forward, float(left), float(right)
                )
        elif isinstance(node, ast.UnaryOp):
            operand = results[id(node.operand)]
            results[id(node)] = -operand if isinstance(node.op, ast.USub) else operand
        elif isinstance(node, ast.Call):
            argument = results[id(node.args[0])]
            prim = FUNCTIONS[node.func.id]
            bounds = prim.bind(tuple(_number(a) for a in node.args[1:]), {})
            results[id(node)] = apply(
                prim,
                argument if isinstance(argument, Value) else Value(argument, requires_grad=False),
                bounds,
            )
        if (
            text is not None
            and isinstance(results[id(node)], Value)
            and not isinstance(node, ast.Name)
        ):
            piece = ast.get_source_segment(text.strip(), node) or ""
            results[id(node)].label = piece if len(piece) <= 30 else piece[:29] + "…"
    out = results[id(tree.body)]
    return out if isinstance(out, Value) else Value(out, requires_grad=False)
