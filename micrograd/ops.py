"""The primitives: one table, one line per primitive, forward and derivative written once as math.

This is our version of PyTorch's ``tools/autograd/derivatives.yaml``.  Each line gives

* ``name``      - what the primitive is called (``torch.mul`` is our ``mul``);
* ``symbol``    - the short label karpathy's micrograd puts in ``Value._op`` (``'*'``, ``'ReLU'``);
* ``grad_fn``   - the class name PyTorch gives the backward node (``MulBackward0``);
* ``forward``   - the result as a formula of the inputs ``x`` (and ``y``);
* ``derivatives`` - one formula per input: the vector-Jacobian product, i.e. the gradient
  flowing to that input, from the gradient ``g`` of the result ``out``.

The formulas are plain Python expressions.  We compile each one twice: once with float
functions (``math.exp`` and friends, made IEEE-safe) for the fast first-order backward pass,
and once with Value functions (``Value.exp``) so that ``create_graph=True`` records the
backward pass itself and derivatives of derivatives work.  No rule is ever written twice.

A few primitives carry a constant ``c`` (``x ** 2``, ``2 - x``, ``2 ** x``): like PyTorch's
``PowBackward0`` the constant is an attribute of the node, not an input.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Callable

inf, nan = math.inf, math.nan
RETAIN_GRAPH_ERROR = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


# --- IEEE-754 floats ---------------------------------------------------------------------
# Python raises where IEEE 754 (and PyTorch) return inf or nan: 1/0, 0**-1, 10.0**400,
# math.log(0), math.exp(1000).  The float functions below return what PyTorch returns.
# Formulas with `/` and `**` run on plain floats first; on ArithmeticError they run again on
# IEEEFloat, whose operators never raise.  The happy path pays nothing for this.

def ieee_div(a: float, b: float) -> float:
    """a / b with IEEE semantics: 1/0 = inf, -1/0 = -inf, 0/0 = nan."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return nan
        return math.copysign(inf, a) * math.copysign(1.0, b)


def ieee_pow(a: float, b: float) -> float:
    """a ** b with IEEE semantics: 0**-1 = inf, (-8)**(1/3) = nan, 10**400 = inf."""
    try:
        result = a ** b
    except ZeroDivisionError:                      # 0.0 ** negative
        odd = float(b).is_integer() and int(b) % 2 == 1
        return math.copysign(inf, a) if odd else inf
    except OverflowError:
        odd = float(b).is_integer() and int(b) % 2 == 1
        return -inf if (a < 0 and odd) else inf
    return nan if isinstance(result, complex) else float(result)


class IEEEFloat(float):
    """A float whose arithmetic never raises: every result is again an IEEEFloat."""

    def __add__(a, b): return IEEEFloat(float(a) + b)
    def __radd__(a, b): return IEEEFloat(b + float(a))
    def __sub__(a, b): return IEEEFloat(float(a) - b)
    def __rsub__(a, b): return IEEEFloat(b - float(a))
    def __mul__(a, b): return IEEEFloat(float(a) * b)
    def __rmul__(a, b): return IEEEFloat(b * float(a))
    def __truediv__(a, b): return IEEEFloat(ieee_div(float(a), float(b)))
    def __rtruediv__(a, b): return IEEEFloat(ieee_div(float(b), float(a)))
    def __pow__(a, b): return IEEEFloat(ieee_pow(float(a), float(b)))
    def __rpow__(a, b): return IEEEFloat(ieee_pow(float(b), float(a)))
    def __neg__(a): return IEEEFloat(-float(a))


def exp(x: float) -> float:
    """e^x; exp(1000) = inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return inf


def log(x: float) -> float:
    """Natural log; log(0) = -inf, log(-1) = nan."""
    try:
        return math.log(x)
    except ValueError:
        return -inf if x == 0 else nan


def sqrt(x: float) -> float:
    """Square root; sqrt(-1) = nan."""
    return math.sqrt(x) if x >= 0 else nan


def sin(x: float) -> float:
    """Sine; sin(inf) = nan."""
    return math.sin(x) if math.isfinite(x) else nan


def cos(x: float) -> float:
    """Cosine; cos(inf) = nan."""
    return math.cos(x) if math.isfinite(x) else nan


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x), evaluated so that neither branch overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = exp(x)
    return e / (1.0 + e)


def relu(x: float) -> float:
    """max(x, 0) (nan stays nan, as in PyTorch)."""
    return x if x > 0 or x != x else 0.0


def sign(x: float) -> float:
    """-1, 0 or 1; sign(0) = 0, so abs'(0) = 0 as in PyTorch."""
    return float((x > 0) - (x < 0)) if x == x else nan


def is_zero(x: Any) -> bool:
    """x == 0 on the number inside (Values compare by identity, so formulas use this)."""
    return getattr(x, "data", x) == 0


FLOAT_MATH: dict[str, Any] = {
    "exp": exp, "log": log, "sqrt": sqrt, "sin": sin, "cos": cos, "tanh": math.tanh,
    "sigmoid": sigmoid, "relu": relu, "abs": abs, "sign": sign, "pow": ieee_pow,
    "is_zero": is_zero, "__builtins__": {},
}


class Primitive:
    """One line of the table: a differentiable operation and its derivatives.

    ``forward(x[, y]) -> float`` and ``vjp(g, out, x[, y]) -> tuple`` are compiled for floats;
    ``vjp_in(namespace)`` compiles the same derivative formulas for another number type.
    """

    def __init__(self, name: str, symbol: str, grad_fn: str, forward: str, *derivatives: str,
                 arity: int | None = None, saves: bool = True, constant: Any = None):
        self.name, self.symbol, self.grad_fn_name = name, symbol, grad_fn
        self.multi = False            # one output (a custom Function's node may have several)
        self.step: Callable | None = None   # the engine's compiled backward step (engine.py)
        self.formula, self.derivative_formulas = forward, derivatives
        self.arity = arity or len(derivatives)
        self.saves = saves            # does backward read saved values? (x + y does not)
        self.constant = constant      # the `c` of a bound primitive such as x ** c
        args = ", ".join("xy"[: self.arity])
        self._forward_code = compile(f"lambda {args}: {forward}", f"<{name} forward>", "eval")
        self._vjp_code = compile(f"lambda g, out, {args}: ({', '.join(derivatives)},)",
                                 f"<{name} derivative>", "eval")
        self._compiled: dict[int, Callable] = {}
        self.forward = eval(self._forward_code, self.namespace(FLOAT_MATH))
        self.vjp = self.vjp_in(FLOAT_MATH)
        self.freed = self._freed_twin() if saves else self

    def _freed_twin(self) -> "Primitive":
        """What a node becomes once backward has freed its saved values: same name, but its
        backward raises (a primitive that saves nothing, like x + y, stays as it is)."""
        twin = object.__new__(Primitive)
        twin.__dict__.update(self.__dict__)
        twin.freed = twin
        twin.step = None

        def refuse(*_: Any) -> tuple:
            raise RuntimeError(RETAIN_GRAPH_ERROR)
        twin.vjp = refuse
        twin.vjp_in = lambda _namespace: refuse
        twin.is_freed = True
        return twin

    is_freed = False

    def namespace(self, math_functions: dict) -> dict:
        return math_functions if self.constant is None else {**math_functions, "c": self.constant}

    def vjp_in(self, math_functions: dict) -> Callable:
        """The derivative formulas compiled with `math_functions` (floats, or Values)."""
        key = id(math_functions)
        if key not in self._compiled:
            self._compiled[key] = eval(self._vjp_code, self.namespace(math_functions))
        return self._compiled[key]

    def bind(self, c: float | int) -> "Primitive":
        """This primitive with its constant c fixed, e.g. POW_CONSTANT.bind(2) is x ** 2."""
        return _bind(self, c, type(c))

    def __repr__(self) -> str:
        return f"<primitive {self.name}: {self.formula}>"


@lru_cache(maxsize=1024)
def _bind(prim: Primitive, c: float | int, _type: type) -> Primitive:
    return Primitive(prim.name, prim.symbol.format(c=c), prim.grad_fn_name, prim.formula,
                     *prim.derivative_formulas, saves=prim.saves, constant=c)


P = Primitive
# fmt: off
# name                 symbol    grad_fn             forward          d/dx, d/dy (g: gradient of out)
ADD  = P("add",        "+",      "AddBackward0",     "x + y",         "g", "g", saves=False)
SUB  = P("sub",        "-",      "SubBackward0",     "x - y",         "g", "-g", saves=False)
MUL  = P("mul",        "*",      "MulBackward0",     "x * y",         "g * y", "g * x")
DIV  = P("div",        "/",      "DivBackward0",     "x / y",         "g / y", "-g * out / y")
POW  = P("pow",        "**",     "PowBackward1",     "pow(x, y)",     "0.0 if is_zero(y) else g * y * pow(x, y - 1)",
                                                                      "0.0 if is_zero(x) and y >= 0 else g * out * log(x)")
NEG  = P("neg",        "neg",    "NegBackward0",     "-x",            "-g", saves=False)
EXP  = P("exp",        "exp",    "ExpBackward0",     "exp(x)",        "g * out")
LOG  = P("log",        "log",    "LogBackward0",     "log(x)",        "g / x")
TANH = P("tanh",       "tanh",   "TanhBackward0",    "tanh(x)",       "g * (1 - out * out)")
SIGM = P("sigmoid",    "sigmoid", "SigmoidBackward0", "sigmoid(x)",   "g * out * (1 - out)")
RELU = P("relu",       "ReLU",   "ReluBackward0",    "relu(x)",       "g * (out > 0)")
SIN  = P("sin",        "sin",    "SinBackward0",     "sin(x)",        "g * cos(x)")
COS  = P("cos",        "cos",    "CosBackward0",     "cos(x)",        "-g * sin(x)")
SQRT = P("sqrt",       "sqrt",   "SqrtBackward0",    "sqrt(x)",       "g / (2 * out)")
ABS  = P("abs",        "abs",    "AbsBackward0",     "abs(x)",        "g * sign(x)")
# with a constant c (an attribute of the node, not an input):
POW_CONSTANT = P("pow", "**{c}", "PowBackward0",     "pow(x, c)",     "0.0 if c == 0 else g * c * pow(x, c - 1)")
RSUB_CONSTANT = P("rsub", "{c}-", "RsubBackward1",   "c - x",         "-g", saves=False)
RPOW_CONSTANT = P("pow", "{c}**", "PowBackward2",    "pow(c, x)",     "g * out * log(c)")
# fmt: on

UNARY = {p.name: p for p in (NEG, EXP, LOG, TANH, SIGM, RELU, SIN, COS, SQRT, ABS)}
BINARY = {p.name: p for p in (ADD, SUB, MUL, DIV, POW)}
