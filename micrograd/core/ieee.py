"""Float math that never raises: IEEE 754 results, as PyTorch gives them.

Python raises where IEEE 754 (and PyTorch) return inf or nan: ``1/0``, ``0**-1``,
``10.0**400``, ``math.log(0)``, ``math.exp(1000)``.  The functions here return what PyTorch
returns instead (``log(0) = -inf``, ``1/0 = inf``, ``sqrt(-1) = nan``).  MiniTorch calls
its module of float functions ``operators.py``; this is ours.

The derivative rules (``rules.py``) write ``x / y`` and ``x ** y`` with Python's operators,
which are fastest on plain floats.  When one of them raises ``ArithmeticError``, the engine
runs the same rule again on ``IEEEFloat`` numbers, whose operators never raise: the normal
path pays nothing for the rare one.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

inf, nan = math.inf, math.nan


def as_float(x: Any) -> float | None:
    """x as a float if it is a real number (int, bool, numpy scalar...), else None."""
    if x.__class__ is float:
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def ieee_div(a: float, b: float) -> float:
    """a / b with IEEE semantics: 1/0 = inf, -1/0 = -inf, 1/-0.0 = -inf, 0/0 = nan."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return nan
        return math.copysign(inf, a) * math.copysign(1.0, b)


def _is_odd_integer(b: float) -> bool:
    return float(b).is_integer() and int(b) % 2 == 1


def ieee_pow(a: float, b: float) -> float:
    """a ** b with IEEE semantics: 0**-1 = inf, (-8)**(1/3) = nan, 10**400 = inf."""
    try:
        result = a**b
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(inf, a) if _is_odd_integer(b) else inf
    except OverflowError:
        if a < 0 and not float(b).is_integer():  # a negative base, a fractional power
            return nan
        return -inf if (a < 0 and _is_odd_integer(b)) else inf
    return nan if isinstance(result, complex) else float(result)


def pow_by_number(x: float, c: float) -> float:
    """x ** c for a number exponent, as PyTorch's pow(Tensor, Scalar) computes it: c = 0.5 is
    sqrt(x), -0.5 is 1/sqrt(x), 2 and 3 are products, -1 and -2 reciprocals; others pow.  The
    difference shows only at edges: (-inf) ** 0.5 is nan (sqrt), not inf (C's pow)."""
    if c == 0.5:
        return sqrt(x)
    if c == -0.5:
        return ieee_div(1.0, sqrt(x))
    if c == 2:
        return x * x
    if c == 3:
        return x * x * x
    if c == -1:
        return ieee_div(1.0, x)
    if c == -2:
        return ieee_div(1.0, x * x)
    return ieee_pow(x, c)


class IEEEFloat(float):
    """A float whose arithmetic never raises: every result is again an IEEEFloat."""

    # fmt: off
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
    # fmt: on


def exp(x: float) -> float:
    """eˣ; exp(1000) = inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return inf


def log(x: float) -> float:
    """Natural logarithm; log(0) = -inf, log(-1) = nan."""
    try:
        return math.log(x)
    except ValueError:
        return -inf if x == 0 else nan


def sqrt(x: float) -> float:
    """√x; sqrt(-1) = nan, sqrt(-0.0) = -0.0."""
    return math.sqrt(x) if x >= 0 else nan


def sin(x: float) -> float:
    """Sine; sin(inf) = nan."""
    return math.sin(x) if math.isfinite(x) else nan


def cos(x: float) -> float:
    """Cosine; cos(inf) = nan."""
    return math.cos(x) if math.isfinite(x) else nan


def tanh(x: float) -> float:
    """Hyperbolic tangent (never raises)."""
    return math.tanh(x)


def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e⁻ˣ), as PyTorch computes it: below x ≈ -709.8, e⁻ˣ overflows to inf
    and σ(x) is 0 (the true value, under 5e-309, is subnormal)."""
    return 1.0 / (1.0 + exp(-x))


def relu(x: float) -> float:
    """max(x, 0); relu(nan) = nan and relu(-0.0) = -0.0, as in PyTorch."""
    return 0.0 if x < 0 else x


def sign(x: float) -> float:
    """-1, 0 or 1; sign(0) = 0 and sign(nan) = 0, as torch.sign: so abs′(0) = abs′(nan) = 0."""
    return float((x > 0) - (x < 0))


def clamp(x: float, low: float | None, high: float | None) -> float:
    """min(max(x, low), high), a missing bound ignored; nan stays nan; if low > high the
    result is high, as in PyTorch; a nan bound makes the result nan, as in PyTorch."""
    if x != x:
        return x
    if (low is not None and low != low) or (high is not None and high != high):
        return math.nan
    if low is not None and x < low:
        x = bound(x, low)
    if high is not None and x > high:
        x = bound(x, high)
    return x


def bound(x: float | int, c: float | int) -> float | int:
    """The bound c as clamp's result: an int for an int x and int c (int64 elements are exact
    Python ints), else a float."""
    return c if isinstance(x, int) and isinstance(c, int) else float(c)


def inside(x: float, low: float | None, high: float | None) -> float:
    """1.0 where low ≤ x ≤ high (bounds included, a missing bound ignored), else 0.0."""
    return float((low is None or x >= low) and (high is None or x <= high))
