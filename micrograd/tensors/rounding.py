"""Division that rounds, as methods of Tensor: ``a // b`` (``floor_divide``),
``div(rounding_mode='floor' | 'trunc')``, ``a % b`` (``remainder``, the sign of b) and
``fmod`` (the sign of a), with PyTorch's numbers and gradients.

* The quotients are computed as PyTorch computes them (its ``div_floor_floating``: from
  ``fmod``, so that ``5.5 // 2`` is 2 however the division rounds); an integer dtype's are
  exact ints, and division of ints by 0 is PyTorch's "ZeroDivisionError".
* ``div(..., rounding_mode=...)`` has the gradient 0 (PyTorch's ``DivBackward2``); ``a // b``
  has none in PyTorch ("derivative for aten::floor_divide is not implemented"), so on a
  tensor that requires grad micrograd refuses it, naming what to write instead.
* remainder(a, b) = a − b·⌊a/b⌋ and fmod(a, b) = a − b·trunc(a/b): ∂/∂a = 1, ∂/∂b = −⌊a/b⌋
  (−trunc(a/b)).  The result holds the exact remainder (``math.fmod``, then b added for
  remainder when the signs differ), the graph the formula that gives those derivatives.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable

from ..core import rules
from ..core.errors import NotSupported
from ..core.ieee import ieee_div as divide
from ..core.modes import is_grad_enabled
from ..core.value import Value, apply
from .dtypes import SCALAR_TYPE_NAMES, bool_, cast_number, float32, result_type
from .elements import element_values
from .pairs import as_operand, operand_pair

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor

ROUNDING_MODES = (None, "trunc", "floor")
NO_FLOOR_DIVIDE_GRADIENT = (
    "a // b (torch.floor_divide) of a tensor that requires grad: PyTorch records it without a "
    "derivative (its backward raises 'derivative for aten::floor_divide is not implemented'); "
    "use torch.div(a, b, rounding_mode='floor') for a gradient of 0, or a.detach() // b"
)
NO_NUMBER_REMAINDER_GRADIENT = (
    "number % t of a tensor t that requires grad: PyTorch records it without a derivative; "
    "write (number - t * torch.div(number, t, rounding_mode='floor')) for its gradient, or use "
    "t.detach()"
)


def _fmod(a: float, b: float) -> float:
    """C's fmod, nan where Python's raises (an infinite a, a zero b) or an operand is nan."""
    if b == 0 or math.isinf(a) or a != a or b != b:
        return math.nan
    return math.fmod(a, b)


def floor_quotient(a: float, b: float) -> float:
    """⌊a/b⌋ as PyTorch's ``div_floor_floating`` computes it (in float64)."""
    if b == 0:
        return divide(a, b)
    mod = _fmod(a, b)
    quotient = (a - mod) / b
    if mod != 0 and (b < 0) != (mod < 0):
        quotient -= 1.0
    if quotient == 0:
        return math.copysign(0.0, divide(a, b))
    if math.isinf(quotient) or quotient != quotient:
        return quotient
    floor = math.floor(quotient)
    return floor + 1.0 if quotient - floor > 0.5 else float(floor)


def trunc_quotient(a: float, b: float, rounded: Callable[[float], float]) -> float:
    """trunc(a/b): the division rounded to the dtype first, as PyTorch's."""
    q = rounded(divide(a, b))
    return q if math.isinf(q) or q != q else math.copysign(float(math.trunc(q)), q)


def remainder_number(a: float, b: float) -> float:
    """a mod b with the sign of b, as PyTorch's (from fmod: -5 % 2.5 is -0.0 there too)."""
    mod = _fmod(a, b)
    return mod + b if mod != 0 and (b < 0) != (mod < 0) else mod


def _refuse_gradient(a: Any, b: Any, message: str) -> None:
    """NotSupported for an operation PyTorch records without a derivative, when it would be."""
    needs = a.requires_grad or bool(getattr(b, "requires_grad", False))
    if needs and is_grad_enabled():
        raise NotSupported(message)


def _integer(a: int, b: int, how: str) -> int:
    """Exact integer floor or trunc division, remainder or fmod; PyTorch's error for b = 0."""
    if b == 0:
        raise RuntimeError("ZeroDivisionError")
    if how == "floor":
        return a // b
    if how == "trunc":
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q
    if how == "remainder":
        return a % b
    r = abs(a) % abs(b)  # fmod
    return -r if a < 0 else r


def _zero_gradient(x: Value, y: Value, number: float) -> Value:
    """`number`, a result whose gradient is 0 for both x and y (a rounded quotient)."""
    constant = Value(number, requires_grad=False)
    return apply(rules.CHOOSE_Y, x, apply(rules.CHOOSE_Y, y, constant))


def _formula(x: Value, y: Value, quotient: float, exact: float) -> Value:
    """x − y·quotient, holding the exact remainder: ∂/∂x = 1, ∂/∂y = −quotient."""
    out = x - y * quotient
    out.data = exact
    return out


class RoundingMethods:
    """floor_divide, remainder, fmod and div's rounding modes of Tensor (a part of the class,
    in a module of its own)."""

    def _rounded(self, other: Any, how: str, name: str, reverse: bool = False) -> Tensor:
        """The elementwise `how` ('floor', 'trunc', 'remainder', 'fmod') of self and other (of
        other and self, `reverse`)."""
        kind = result_type(self, other) if not reverse else result_type(other, self)
        operand = as_operand(other, self)
        a, b = (operand, self) if reverse else (self, operand)
        if kind is bool_:
            raise NotImplementedError(
                f"\"{CPU_NAMES[how]}\" not implemented for '{SCALAR_TYPE_NAMES[kind]}'"
            )
        xs, ys, shape, kind = operand_pair(a, b, kind)
        if not kind.is_floating_point:
            numbers = [_integer(x.data, y.data, how) for x, y in zip(xs, ys)]
            values = element_values([cast_number(n, kind) for n in numbers], kind)
            return self._plain(values, shape, kind)
        rounded = (lambda q: cast_number(q, float32)) if kind is float32 else float
        values = []
        for x, y in zip(xs, ys):
            p, q = x.data, y.data
            if how == "floor":
                values.append(_zero_gradient(x, y, floor_quotient(p, q)))
            elif how == "trunc":
                values.append(_zero_gradient(x, y, trunc_quotient(p, q, rounded)))
            elif how == "remainder":
                values.append(_formula(x, y, floor_quotient(p, q), remainder_number(p, q)))
            else:
                values.append(_formula(x, y, trunc_quotient(p, q, rounded), _fmod(p, q)))
        tensors = hasattr(other, "_values")
        parents = (a, b) if tensors else (self,)
        node = GRAD_FN_NAMES[how].replace("1", "1" if tensors else "0")
        return self._result(values, shape, node, name, parents, kind)

    def floor_divide(self, other: Any) -> Tensor:
        """⌊self / other⌋ elementwise (``//``); refused on a tensor that requires grad, which
        PyTorch gives no derivative (see the module)."""
        return self._floor_divided(other)

    def _floor_divided(self, other: Any, reverse: bool = False) -> Tensor:
        _refuse_gradient(self, other, NO_FLOOR_DIVIDE_GRADIENT)
        return self._rounded(other, "floor", "floor_divide", reverse)

    def __floordiv__(self, other: Any) -> Tensor:
        return self._floor_divided(other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return self._floor_divided(other, reverse=True)

    def remainder(self, other: Any) -> Tensor:
        """self mod other elementwise, the sign of other (``%``, Python's); ∂/∂other =
        −⌊self/other⌋."""
        return self._rounded(other, "remainder", "remainder")

    def __mod__(self, other: Any) -> Tensor:
        return self._rounded(other, "remainder", "remainder")

    def __rmod__(self, other: Any) -> Tensor:
        _refuse_gradient(self, other, NO_NUMBER_REMAINDER_GRADIENT)
        return self._rounded(other, "remainder", "remainder", reverse=True)

    def fmod(self, other: Any) -> Tensor:
        """C's fmod elementwise: the remainder with the sign of self; ∂/∂other =
        −trunc(self/other)."""
        return self._rounded(other, "fmod", "fmod")

    def _divided(self, other: Any, rounding_mode: Any) -> Tensor:
        """div with a rounding mode: 'trunc' or 'floor' (gradient 0), or None (true division)."""
        if rounding_mode not in ROUNDING_MODES:
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'"
            )
        if rounding_mode is None:
            return self / other
        return self._rounded(other, rounding_mode, "div")

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self._in_place(lambda: self // other, operand=other)

    def __imod__(self, other: Any) -> Tensor:
        return self._in_place(lambda: self % other, operand=other)

    def floor_divide_(self, other: Any) -> Tensor:
        """floor_divide, in place."""
        return self.__ifloordiv__(other)

    def remainder_(self, other: Any) -> Tensor:
        """remainder, in place."""
        return self.__imod__(other)

    def fmod_(self, other: Any) -> Tensor:
        """fmod, in place."""
        return self._in_place(lambda: self.fmod(other), operand=other)


GRAD_FN_NAMES = {
    "floor": "DivBackward2",
    "trunc": "DivBackward2",
    "remainder": "RemainderBackward1",
    "fmod": "FmodBackward1",
}
CPU_NAMES = {
    "floor": "div_floor_cpu",
    "trunc": "div_trunc_cpu",
    "remainder": "remainder_cpu",
    "fmod": "fmod_cpu",
}
