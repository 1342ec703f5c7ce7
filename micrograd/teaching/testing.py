"""A kit for property-based derivative tests (hypothesis is imported here only, and lazily).

* ``values(min, max)``: floats for one input;
* ``expressions(variables=("x", "y"), max_leaves=8, safe=True)``: random expression trees over
  the primitives, as ``Expression`` objects that evaluate on Values, floats or torch tensors.
  With ``safe=True`` every primitive stays inside its domain by construction (log and sqrt
  of ``e² + 1``, division by ``e² + 1``, exponentials of ``tanh(e)``), so no test needs
  looser tolerances to survive singular points;
* ``assert_grad_matches_numeric(f, *inputs)``: autograd against central differences, with
  a message naming what was expected and what was obtained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..core import rules
from ..autograd.gradcheck import numerical_grad
from ..core.errors import missing_name
from ..core.value import Value, apply
from ..core.rules import evaluate

UNARY = tuple(rules.UNARY)  # every function of the derivative table: neg, exp, ..., clamp
BINARY = tuple(rules.BINARY)  # add, sub, mul, div, pow
KINKED = (
    "relu",
    "abs",
    "clamp",
)  # not differentiable at their kinks: central differences disagree there


@dataclass(frozen=True)
class Expression:
    """A node of an expression tree: a variable, a constant, or a primitive applied to children."""

    op: str  # "var", "const", or a primitive's name
    children: tuple = ()
    name: str = ""
    value: float = 0.0
    constants: tuple = ()  # a primitive's constants: clamp's (min, max)

    def evaluate(self, env: dict[str, Any], backend: str = "value") -> Any:
        """Evaluate with `env` mapping variable names to Values, floats or torch tensors."""
        if self.op == "var":
            return env[self.name]
        if self.op == "const":
            return self.value
        args = [c.evaluate(env, backend) for c in self.children]
        return _APPLY[backend](self.op, args, self.constants)

    def __str__(self) -> str:
        if self.op == "var":
            return self.name
        if self.op == "const":
            return repr(self.value)
        symbols = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
        if self.op in symbols:
            return f"({self.children[0]} {symbols[self.op]} {self.children[1]})"
        return f"{self.op}({', '.join(map(str, (self.children[0], *self.constants)))})"

    def uses(self, names: Sequence[str]) -> bool:
        """Does any node of the tree apply one of these primitives?"""
        return self.op in names or any(c.uses(names) for c in self.children)


def _primitive(op: str) -> rules.Primitive:
    return rules.BINARY.get(op) or rules.UNARY[op]


def _value_apply(op: str, args: list, constants: tuple = ()) -> Any:
    if not any(isinstance(a, Value) for a in args):
        return _float_apply(op, args, constants)  # a constant subtree
    return apply(_primitive(op), *args, *([constants] if constants else []))


def _float_apply(op: str, args: list, constants: tuple = ()) -> float:
    return evaluate(_primitive(op).forward, *args, *([constants] if constants else []))


def _torch_apply(op: str, args: list, constants: tuple = ()) -> Any:
    import torch

    args = [
        a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=torch.float64) for a in args
    ]
    return getattr(torch, op)(
        *args, *constants
    )  # torch.add, torch.exp, torch.clamp(x, min, max)...


_APPLY: dict[str, Callable] = {"value": _value_apply, "float": _float_apply, "torch": _torch_apply}


def _require_hypothesis() -> Any:
    try:
        from hypothesis import strategies
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("micrograd.testing needs hypothesis: pip install hypothesis") from err
    return strategies


def values(min_value: float = -10.0, max_value: float = 10.0) -> Any:
    """Finite floats in [min_value, max_value]."""
    st = _require_hypothesis()
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


def _constants() -> Any:
    """Constants for each primitive that carries some (clamp: min ≤ max, or one bound only)."""
    st = _require_hypothesis()
    bound = st.floats(-2, 2, allow_nan=False).map(lambda c: round(c, 2))
    bounds = st.one_of(
        st.tuples(bound, st.none()),
        st.tuples(st.none(), bound),
        st.tuples(bound, bound).map(lambda t: tuple(sorted(t))),
    )
    return st.fixed_dictionaries({name: bounds for name, p in rules.UNARY.items() if p.constant})


def _guard(op: str, child: Expression, constants: dict) -> Expression:
    """Keep `op` inside its domain whatever `child` is (safe mode)."""

    def positive(e: Expression) -> Expression:  # e² + 1 ≥ 1
        return Expression("add", (Expression("mul", (e, e)), Expression("const", value=1.0)))

    if op in ("log", "sqrt", "reciprocal"):
        return Expression(op, (positive(child),))
    if op == "exp":
        return Expression(op, (Expression("tanh", (child,)),))
    return Expression(op, (child,), constants=constants.get(op, ()))


def expressions(
    variables: Sequence[str] = ("x", "y"),
    max_leaves: int = 8,
    safe: bool = True,
    unary: Sequence[str] = UNARY,
    binary: Sequence[str] = BINARY,
) -> Any:
    """Random expression trees over the primitives (see ``Expression``)."""
    st = _require_hypothesis()
    leaves = st.one_of(
        st.sampled_from([Expression("var", name=v) for v in variables]),
        st.floats(-3, 3, allow_nan=False).map(lambda c: Expression("const", value=round(c, 3))),
    )

    def extend(children: Any) -> Any:
        unary_nodes = st.tuples(st.sampled_from(list(unary)), children, _constants()).map(
            lambda t: (
                _guard(*t) if safe else Expression(t[0], (t[1],), constants=t[2].get(t[0], ()))
            )
        )
        binary_nodes = st.tuples(st.sampled_from(list(binary)), children, children).map(
            lambda t: _safe_binary(*t) if safe else Expression(t[0], (t[1], t[2]))
        )
        return st.one_of(unary_nodes, binary_nodes)

    trees = st.recursive(leaves, extend, max_leaves=max_leaves)
    return trees.filter(_mentions_variable)


def _mentions_variable(e: Expression) -> bool:
    return e.op == "var" or any(_mentions_variable(c) for c in e.children)


def _safe_binary(op: str, a: Expression, b: Expression) -> Expression:
    positive = lambda e: Expression(
        "add", (Expression("mul", (e, e)), Expression("const", value=1.0))
    )
    if op == "div":
        return Expression("div", (a, positive(b)))
    if op == "pow":  # a positive base, an exponent in (-1, 1): no overflow, no complex
        return Expression("pow", (positive(a), Expression("tanh", (b,))))
    return Expression(op, (a, b))


def tensors(shape: Sequence[int] = (3,), min_value: float = -10.0, max_value: float = 10.0) -> Any:
    """Nested lists of floats of the given shape (pass them to ``micrograd.tensor``)."""
    st = _require_hypothesis()
    strategy = values(min_value, max_value)
    for size in reversed(list(shape)):
        strategy = st.lists(strategy, min_size=size, max_size=size)
    return strategy


def assert_grad_matches_numeric(
    f: Callable[..., Value],
    *inputs: float,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Check autograd's gradient of `f` at `inputs` against central differences."""
    variables = [Value(float(x)) for x in inputs]
    out = f(*variables)
    if not isinstance(out, Value):
        raise TypeError(f"f must return a Value, got {type(out).__name__}")
    out.backward()
    numeric = numerical_grad(
        lambda *xs: f(*[Value(x, requires_grad=False) for x in xs]).data, inputs, eps
    )
    for index, (v, expected) in enumerate(zip(variables, numeric)):
        if not math.isclose(v.grad, expected, rel_tol=rtol, abs_tol=atol):
            raise AssertionError(
                f"d f / d input {index} at {list(inputs)}: central differences give {expected!r}, "
                f"autograd gave {v.grad!r} (difference {v.grad - expected:.3g})"
            )


def __getattr__(name: str) -> Any:
    """A torch.testing name (assert_close, make_tensor...) this teaching kit does not have."""
    raise missing_name("testing.", name)
