"""Reading a formula typed on the command line, safely: ``"x**2 * exp(x)"``.

The text is parsed with ``ast`` and checked against a whitelist: numbers, the variables
given, ``+ - * / **``, unary minus and plus, parentheses, and calls of the known functions.
It is then evaluated by walking the tree with Values; Python's ``eval`` is never called,
so no code in the text can run.
"""
from __future__ import annotations

import ast
import operator
from typing import Any, Callable, Iterable

from .engine import Value

FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    name: getattr(Value, name) for name in ("exp", "log", "tanh", "sigmoid", "relu", "sin", "cos", "sqrt", "abs")}
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
             ast.Pow: operator.pow}
MAX_LENGTH, MAX_NODES, MAX_EXPONENT = 500, 200, 1000


class ExpressionError(ValueError):
    """The text is not an expression we evaluate; the message says why in one line."""


def parse(text: str, variables: Iterable[str]) -> ast.Expression:
    """Check `text` against the whitelist; return its syntax tree."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        reason = getattr(err, "msg", None) or type(err).__name__
        raise ExpressionError(f"not a valid expression: {reason}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError(f"the expression has {len(nodes)} parts; at most {MAX_NODES} are accepted")
    allowed = set(variables)
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    for node in nodes:
        _check(node, allowed)
        if isinstance(node, ast.Name) and node.id not in allowed and id(node) not in called:
            raise ExpressionError(f"{node.id} is a function: call it, e.g. {node.id}(x)")
    return tree


def _check(node: ast.AST, variables: set[str]) -> None:
    if isinstance(node, (ast.Expression, ast.Load)) or type(node) in OPERATORS or isinstance(node, (ast.USub, ast.UAdd)):
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"only numbers may appear as constants, not {node.value!r}")
        return
    if isinstance(node, ast.Name):
        if node.id not in variables and node.id not in FUNCTIONS:
            raise ExpressionError(f"unknown name '{node.id}': give its value with --at {node.id}=... "
                                  f"(functions: {', '.join(FUNCTIONS)})")
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            raise ExpressionError(f"the operator {type(node.op).__name__} is not supported; use + - * / **")
        if isinstance(node.op, ast.Pow):
            exponent = node.right.operand if isinstance(node.right, ast.UnaryOp) else node.right
            if isinstance(exponent, ast.Constant) and isinstance(exponent.value, (int, float)) \
                    and abs(exponent.value) > MAX_EXPONENT:
                raise ExpressionError(f"the exponent {exponent.value} is too large (at most {MAX_EXPONENT})")
            if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.Pow) or \
                    isinstance(node.right, ast.BinOp) and isinstance(node.right.op, ast.Pow):
                raise ExpressionError("towers of powers (a ** b ** c) are not accepted: they blow up")
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ExpressionError(f"the operator {type(node.op).__name__} is not supported")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError(f"only these functions may be called: {', '.join(FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(f"{node.func.id}() takes exactly one argument")
        return
    raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")


def evaluate(tree: ast.Expression, values: dict[str, Value]) -> Value:
    """Compute the checked tree with Values (iteratively, no recursion on deep trees)."""
    results: dict[int, Any] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        children = [c for c in ast.iter_child_nodes(node) if not isinstance(c, (ast.operator, ast.unaryop, ast.Load))]
        if isinstance(node, ast.Call):
            children = list(node.args)
        if not ready:
            stack.append((node, True))
            stack.extend((c, False) for c in children)
            continue
        if isinstance(node, ast.Constant):
            results[id(node)] = float(node.value)
        elif isinstance(node, ast.Name):
            results[id(node)] = values[node.id]
        elif isinstance(node, ast.BinOp):
            results[id(node)] = OPERATORS[type(node.op)](results[id(node.left)], results[id(node.right)])
        elif isinstance(node, ast.UnaryOp):
            operand = results[id(node.operand)]
            results[id(node)] = -operand if isinstance(node.op, ast.USub) else operand
        elif isinstance(node, ast.Call):
            argument = results[id(node.args[0])]
            results[id(node)] = FUNCTIONS[node.func.id](argument if isinstance(argument, Value)
                                                        else Value(argument, requires_grad=False))
    out = results[id(tree.body)]
    return out if isinstance(out, Value) else Value(out, requires_grad=False)

