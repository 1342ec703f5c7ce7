"""The primitives: one table, one row per primitive, its forward and its derivative written once.

This is our version of PyTorch's ``tools/autograd/derivatives.yaml``.  Each row gives

* ``name``     - what the primitive is called (``torch.mul`` is our ``mul``);
* ``symbol``   - the label karpathy's micrograd puts in ``Value._op`` (``'*'``, ``'ReLU'``);
* ``grad_fn``  - the class name PyTorch gives the backward node (``MulBackward0``);
* ``forward``  - a function ``(m, x[, y]) -> out``;
* ``vjp``      - a function ``(m, g, out, x[, y]) -> (gradient for x[, gradient for y])``:
  the vector-Jacobian product.  ``g`` is ∂L/∂out, the gradient arriving from the result;
  each entry is ∂L/∂input = g · ∂out/∂input, the chain rule for one node.

Both are ordinary Python functions, and they take the math they use as the parameter ``m``
(``m.exp``, ``m.log``...), as JAX's Autodidax writes its rules.  That is what lets one rule
serve everywhere:

* ``m = FLOATS`` (below): plain floats, for the first-order backward pass and forward mode;
* ``m = VALUES``: Values, so that ``create_graph=True`` records the backward pass
  itself and a derivative can be differentiated again (higher order);
* ``IEEEFloat`` numbers instead of floats, when Python raised (``1/0``): see ``ieee.py``.

``x ** 2``, ``2 - x``, ``2 ** x`` and ``x.clamp(0, 1)`` carry a constant (the exponent, the
bounds): as in PyTorch's ``PowBackward0`` it is an attribute of the node, not an input, so the
rule receives it in place of ``y`` and returns one gradient.

Add a primitive by adding a row: ``Value``'s and ``Tensor``'s methods, ``micrograd.<name>``,
the command line's formulas, the drawings and the property tests all read this table.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable, Sequence

from . import ieee

RETAIN_GRAPH_ERROR = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")

# The math a rule may call, for plain floats.  VALUES (below) has the same names for Values.
FLOATS = SimpleNamespace(exp=ieee.exp, log=ieee.log, sqrt=ieee.sqrt, sin=ieee.sin, cos=ieee.cos,
                         tanh=ieee.tanh, sigmoid=ieee.sigmoid, relu=ieee.relu, abs=abs, sign=ieee.sign,
                         pow=ieee.ieee_pow, clamp=ieee.clamp, inside=ieee.inside,
                         pow_by_number=ieee.pow_by_number, is_zero=lambda x: x == 0,
                         where=lambda condition, a, b: a if condition else b)



def _number(x: Any) -> float:
    return x if isinstance(x, (int, float)) else x.data


def _method_or_float(name: str) -> Callable[..., Any]:
    """VALUES.<name>: the Value method on a Value (so it is recorded), the float function on a
    number (a rule may meet a constant operand)."""
    on_floats = getattr(FLOATS, name)
    return lambda x, *c: on_floats(x, *c) if isinstance(x, (int, float)) else getattr(x, name)(*c)


def _where(condition: bool, a: Any, b: Any) -> Any:
    """a if condition else b, as PyTorch's where: a·[condition] + b·[not condition], so the
    gradient reaches the chosen one and a masked 0 reaches the other (whose own derivative
    may then make a nan, as in PyTorch).  Its number is the chosen one's (inf·0 is nan)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a if condition else b
    result = a * float(condition) + b * float(not condition)
    result.data = _number(a if condition else b)
    return result


# The same math on Values (the engine's, used through their methods): with create_graph=True
# the backward pass is itself recorded, so it can be differentiated again.  sign and inside
# are steps: their derivative is 0.
VALUES = SimpleNamespace(**{name: _method_or_float(name) for name in ("exp", "log", "sqrt", "sin", "cos", "tanh",
                                                                      "sigmoid", "relu", "abs", "clamp")},
                         sign=lambda x: ieee.sign(_number(x)), inside=lambda x, *c: ieee.inside(_number(x), *c),
                         pow=lambda x, y: x ** y if not isinstance(x, (int, float)) or not isinstance(y, (int, float))
                         else ieee.ieee_pow(x, y),
                         pow_by_number=lambda x, c: x ** c if not isinstance(x, (int, float))
                         else ieee.pow_by_number(x, c), is_zero=lambda x: _number(x) == 0, where=_where)

def on_ieee_floats(rule: Callable[..., Any], *args: Any) -> Any:
    """rule(FLOATS, *args) again with IEEEFloat numbers, after Python raised (1/0, 0**-1).

    Returns a float, or a tuple of floats for a vjp rule."""
    result = rule(FLOATS, *[ieee.IEEEFloat(a) if isinstance(a, float) else a for a in args])
    return tuple(map(float, result)) if isinstance(result, tuple) else float(result)


def evaluate(rule: Callable[..., Any], *args: Any) -> Any:
    """A row's forward or vjp on plain floats, IEEE-safe: ``evaluate(ops.DIV.forward, 1.0, 0.0)`` is inf."""
    try:
        return rule(FLOATS, *args)
    except ArithmeticError:
        return on_ieee_floats(rule, *args)


class Primitive:
    """One row of the table: a differentiable operation and its derivative.

    ``operator`` marks the rows reached through Python's operators (``x * y``, ``x ** 2``)
    rather than as named functions (``x.exp()``).
    ``inputs`` is how many operands are differentiated (1 or 2).  ``constant`` names the
    parameters a constant carries (``("min", "max")`` for clamp; the exponent of ``x ** 2``
    is one unnamed constant), or is empty.  ``saves`` is False for rules that read no saved
    values (``x + y``): such nodes may be backpropagated through twice, as in PyTorch.
    """

    __slots__ = ("name", "symbol", "grad_fn_name", "forward", "vjp", "math", "inputs", "saves", "constant",
                 "operator", "variants", "multi", "freed", "live")

    def __init__(self, name: str, symbol: str, grad_fn: str, forward: Callable[..., Any],
                 vjp: Callable[..., tuple], math: str, *, inputs: int = 1, saves: bool = True,
                 constant: Sequence[str] = (), operator: bool = False,
                 variants: Sequence[tuple[str, str, str]] = ()) -> None:
        self.name, self.symbol, self.grad_fn_name = name, symbol, grad_fn
        self.forward, self.vjp = forward, vjp
        self.math = math                 # the row's math in words, for docstrings and drawings
        self.inputs = inputs
        self.saves = saves
        self.constant = tuple(constant)
        self.operator = operator or inputs == 2   # reached through Python's operators (x * y, x ** 2)
        self.variants = tuple(variants)  # (method, grad_fn, the one parameter it sets): clamp_min...
        self.multi = False               # one output (a custom Function's node may have several)
        self.live = self                 # the rule itself, also for its freed twin (drawings read it)
        self.freed = _freed_twin(self) if saves else self

    def bind(self, args: tuple, kwargs: dict) -> tuple | None:
        """The constants a method call passes to this row, checked: clamp(0, max=1) -> (0, 1)."""
        if len(args) > len(self.constant) or set(kwargs) - set(self.constant):
            raise TypeError(f"{self.name}() takes the arguments {', '.join(self.constant) or 'none'}; "
                            f"got {len(args)} positional and {sorted(kwargs)}")
        given = dict(zip(self.constant, args), **kwargs)
        bound = tuple(given.get(name) for name in self.constant)
        for name, c in zip(self.constant, bound):
            if c is not None and ieee.as_float(c) is None:
                raise TypeError(f"{self.name}(): '{name}' must be a number or None, got {c!r} of type {type(c).__name__}")
        if self.constant and all(c is None for c in bound):
            raise RuntimeError(f"{self.name}(): at least one of {' or '.join(map(repr, self.constant))} must not be None")
        return bound if self.constant else None

    def label(self, constant: Any = None) -> str:
        """The symbol shown in ``Value._op`` and drawings: ``'**2'`` for x ** 2, ``'3-'`` for 3 - x."""
        if "{c}" not in self.symbol:
            return self.symbol
        return self.symbol.format(c=_number_text(constant))

    def __repr__(self) -> str:
        return f"<primitive {self.name}: {self.math}>"


def _number_text(c: Any) -> str:
    """2 and 2.0 both print as 2 (karpathy's '**2'); 0.5 stays 0.5."""
    return str(int(c)) if isinstance(c, (int, float)) and float(c).is_integer() else repr(c)


def _freed_twin(prim: Primitive) -> Primitive:
    """What a node becomes once backward has freed its saved values (retain_graph=False):
    the same primitive, whose derivative raises PyTorch's error if it is needed again."""
    twin = object.__new__(Primitive)
    for slot in Primitive.__slots__:
        if hasattr(prim, slot):
            setattr(twin, slot, getattr(prim, slot))
    twin.freed = twin

    def refuse(*_: Any) -> tuple:
        raise RuntimeError(RETAIN_GRAPH_ERROR)
    twin.vjp = refuse
    return twin


P = Primitive
# fmt: off
# In the rules: x, y the operands; out the result; g = ∂L/∂out; c a constant carried by the node.
#     name        symbol    grad_fn              forward                              vjp = (∂L/∂x[, ∂L/∂y])                                 math
ADD  = P("add",   "+",      "AddBackward0",      lambda m, x, y: x + y,               lambda m, g, out, x, y: (g, g),                        "x + y: ∂/∂x = 1, ∂/∂y = 1", inputs=2, saves=False)
SUB  = P("sub",   "-",      "SubBackward0",      lambda m, x, y: x - y,               lambda m, g, out, x, y: (g, -g),                       "x - y: ∂/∂x = 1, ∂/∂y = -1", inputs=2, saves=False)
MUL  = P("mul",   "*",      "MulBackward0",      lambda m, x, y: x * y,               lambda m, g, out, x, y: (g * y, g * x),                "x·y: ∂/∂x = y, ∂/∂y = x", inputs=2)
DIV  = P("div",   "/",      "DivBackward0",      lambda m, x, y: x / y,               lambda m, g, out, x, y: (g / y, -g * out / y),         "x/y: ∂/∂x = 1/y, ∂/∂y = -x/y²", inputs=2)
POW  = P("pow",   "**",     "PowBackward1",      lambda m, x, y: m.pow(x, y),         lambda m, g, out, x, y: (_pow_dx(m, g, x, y), _pow_dy(m, g, out, x, y)),
                                                                                                                                             "xʸ: ∂/∂x = y·xʸ⁻¹, ∂/∂y = xʸ·ln x", inputs=2)
NEG  = P("neg",   "neg",    "NegBackward0",      lambda m, x: -x,                     lambda m, g, out, x: (-g,),                            "f(x) = -x, f′(x) = -1", saves=False)
EXP  = P("exp",   "exp",    "ExpBackward0",      lambda m, x: m.exp(x),               lambda m, g, out, x: (g * out,),                       "f(x) = eˣ, f′(x) = eˣ")
LOG  = P("log",   "log",    "LogBackward0",      lambda m, x: m.log(x),               lambda m, g, out, x: (g / x,),                         "f(x) = ln x, f′(x) = 1/x")
TANH = P("tanh",  "tanh",   "TanhBackward0",     lambda m, x: m.tanh(x),              lambda m, g, out, x: (g * (1 - out * out),),           "f(x) = tanh x, f′(x) = 1 - tanh²x")
SIGMOID = P("sigmoid", "sigmoid", "SigmoidBackward0", lambda m, x: m.sigmoid(x),      lambda m, g, out, x: (g * out * (1 - out),),           "f(x) = σ(x) = 1/(1 + e⁻ˣ), f′(x) = σ(x)(1 - σ(x))")
RELU = P("relu",  "ReLU",   "ReluBackward0",     lambda m, x: m.relu(x),              lambda m, g, out, x: (0.0 if out <= 0 else g,),        "f(x) = max(x, 0), f′(x) = 1 if x > 0 else 0")
SIN  = P("sin",   "sin",    "SinBackward0",      lambda m, x: m.sin(x),               lambda m, g, out, x: (g * m.cos(x),),                  "f(x) = sin x, f′(x) = cos x")
COS  = P("cos",   "cos",    "CosBackward0",      lambda m, x: m.cos(x),               lambda m, g, out, x: (-g * m.sin(x),),                 "f(x) = cos x, f′(x) = -sin x")
SQRT = P("sqrt",  "sqrt",   "SqrtBackward0",     lambda m, x: m.sqrt(x),              lambda m, g, out, x: (g / (2 * out),),                 "f(x) = √x, f′(x) = 1/(2√x)")
ABS  = P("abs",   "abs",    "AbsBackward0",      lambda m, x: m.abs(x),               lambda m, g, out, x: (g * m.sign(x),),                 "f(x) = |x|, f′(x) = sign(x)")
CLAMP = P("clamp", "clamp", "ClampBackward1",    lambda m, x, c: m.clamp(x, *c),      lambda m, g, out, x, c: (g * m.inside(x, *c),),        "f(x) = min(max(x, lo), hi), f′(x) = 1 if lo ≤ x ≤ hi else 0",
          constant=("min", "max"), variants=(("clamp_min", "ClampMinBackward0", "min"), ("clamp_max", "ClampMaxBackward0", "max")))
# carrying a constant c that is not an input (the operators x ** 2, 2 - x, 2 ** x):
POW_CONSTANT  = P("pow",  "**{c}", "PowBackward0",  lambda m, x, c: m.pow_by_number(x, c), lambda m, g, out, x, c: (0.0 if c == 0 else g * (c * m.pow_by_number(x, c - 1)),), "f(x) = xᶜ, f′(x) = c·xᶜ⁻¹", constant=("exponent",), operator=True)
RSUB_CONSTANT = P("rsub", "{c}-",  "RsubBackward1", lambda m, x, c: c - x,           lambda m, g, out, x, c: (-g,),                         "f(x) = c - x, f′(x) = -1", constant=("other",), operator=True, saves=False)
RPOW_CONSTANT = P("pow",  "{c}**", "PowBackward2",  lambda m, x, c: m.pow(c, x),     lambda m, g, out, x, c: (_pow_dy(m, g, out, c, x),),   "f(x) = cˣ, f′(x) = cˣ·ln c", constant=("base",), operator=True)
# fmt: on


def _pow_dx(m: Any, g: Any, x: Any, y: Any) -> Any:
    """∂L/∂x of xʸ = g·y·xʸ⁻¹; 0 where y = 0 (so 0⁰ has slope 0).  Written as PyTorch's
    pow_backward_self, a where() over both branches, so second derivatives match it too."""
    return m.where(m.is_zero(y), 0.0, g * (y * m.pow(x, y - 1)))


def _pow_dy(m: Any, g: Any, out: Any, x: Any, y: Any) -> Any:
    """∂L/∂y of xʸ = g·xʸ·ln x; 0 where x = 0 and y ≥ 0 (PyTorch's pow_backward_exponent)."""
    return g * m.where(m.is_zero(x) and y >= 0, 0.0, out * m.log(x))


PRIMITIVES: tuple[Primitive, ...] = (ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, TANH, SIGMOID, RELU, SIN, COS, SQRT,
                                     ABS, CLAMP, POW_CONSTANT, RSUB_CONSTANT, RPOW_CONSTANT)
"""Every row, in order."""

BINARY: dict[str, Primitive] = {p.name: p for p in PRIMITIVES if p.inputs == 2}
"""The operations of two Values: add, sub, mul, div, pow (reached through Python's operators)."""

UNARY: dict[str, Primitive] = {p.name: p for p in PRIMITIVES if not p.operator}
"""The functions of one Value: neg, exp, log, ..., clamp.  Each is a method of Value and Tensor
(``x.exp()``), a function of the package (``micrograd.exp(x)``) and a function of formulas."""
