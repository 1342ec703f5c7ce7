"""The elementwise maximum and minimum of two tensors, as methods of Tensor: ``maximum``,
``minimum`` (and ``torch.max(a, b)``, ``torch.min(a, b)``).

Each element is one of the operands, chosen by comparing the numbers, with PyTorch's
gradients: the chosen operand gets the whole gradient (``where``'s choice, so the other gets
0); at a tie each gets half, out = x + (y − x)/2 (= x, exactly); where either is nan the
result is nan and both get the whole gradient, out = x + y, as PyTorch's formula gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..core import rules
from ..core.value import Value, apply
from .pairs import operand_pair

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


def _chosen(x: Value, y: Value, x_wins: Callable[[Any, Any], bool]) -> Value:
    """max or min of one pair of elements, with PyTorch's gradient (see the module)."""
    a, b = x.data, y.data
    if a != a or b != b:
        return x + y
    if a == b:  # x + (y − x)/2, holding x's number (inf too, where the formula gives nan)
        out = x + (y - x) * 0.5
        out.data = a
        return out
    return apply(rules.CHOOSE_X if x_wins(a, b) else rules.CHOOSE_Y, x, y)


class ChoosingMethods:
    """maximum and minimum of Tensor (a part of the class, in a module of its own)."""

    def _extreme_of_two(self, other: Any, name: str, x_wins: Callable[[Any, Any], bool]) -> Tensor:
        if getattr(other, "_values", None) is None:
            raise TypeError(
                f"{name}(): argument 'other' (position 2) must be Tensor, not "
                f"{type(other).__name__}"
            )
        xs, ys, shape, kind = operand_pair(self, other)
        if kind.is_floating_point:
            values = [_chosen(x, y, x_wins) for x, y in zip(xs, ys)]
        else:  # exact numbers, no gradient
            values = [x if x_wins(x.data, y.data) else y for x, y in zip(xs, ys)]
        node = "MaximumBackward0" if name == "maximum" else "MinimumBackward0"
        return self._result(values, shape, node, name, (self, other), kind)

    def maximum(self, other: Any) -> Tensor:
        """The larger of self and other, elementwise (broadcast); nan if either is nan."""
        return self._extreme_of_two(other, "maximum", lambda a, b: a > b)

    def minimum(self, other: Any) -> Tensor:
        """The smaller of self and other, elementwise (broadcast); nan if either is nan."""
        return self._extreme_of_two(other, "minimum", lambda a, b: a < b)
