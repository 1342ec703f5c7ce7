"""In-place updates, as methods of Tensor: ``t += 1``, ``t.zero_()``, ``t.fill_(2)``, ``t.add_(u)``,
``t.uniform_(a, b)``, ``t.normal_(mean, std)``, and ``t.exp_()``, ``t.clamp_(min=0)``... for every
function of the table (made in tensor.py).

As in PyTorch they are allowed under ``no_grad`` (the optimizer's ``w -= lr * w.grad``) and
on tensors that do not require grad, refused on a leaf that requires grad, and recorded out
of place on other tensors that require grad.  A ``.grad`` or ``.data`` tensor passes changes
on to the tensor it came from.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Callable

from ..core import rules
from ..core.value import as_float
from ..core.errors import LEAF_INPLACE_ERROR
from ..core.modes import is_grad_enabled
from .dtypes import float32, float32_numbers
from .randomness import generator
from .shapes import broadcast_index, broadcast_shapes

PRIMITIVE_OF = {
    operator.add: rules.ADD,
    operator.sub: rules.SUB,
    operator.mul: rules.MUL,
    operator.truediv: rules.DIV,
}
if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


class InPlaceMethods:
    """The in-place methods of Tensor (a part of the class, kept in a module of its own)."""

    def _assign(self, numbers: list[float]) -> Tensor:
        """Write the numbers into the elements (as float32 numbers in a float32 tensor)."""
        if is_grad_enabled() and self.requires_grad and self.is_leaf:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        for v, x in zip(
            self._values, float32_numbers(numbers) if self._dtype is float32 else numbers
        ):
            v.data = x
        self._write_back()
        return self

    def _write_back(self) -> None:
        """A .grad or .data alias passes in-place changes on to the tensor it came from."""
        if self._alias is None:
            return
        owner, what = self._alias
        for mine, theirs in zip(self._values, owner._values):
            if what == "grad":
                theirs.grad = mine.data
            else:
                theirs.data = mine.data

    def _in_place(self, other: Any, combine: Callable) -> Tensor:
        b = self._coerce(other)
        if broadcast_shapes(self.shape, b.shape) != tuple(self.shape):
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{list(broadcast_shapes(self.shape, b.shape))}"
            )
        if is_grad_enabled() and (self.requires_grad or b.requires_grad) and not self.is_leaf:
            return self._become(
                self._binary(other, combine, PRIMITIVE_OF[combine], grad_fn="CopySlices")
            )
        bv = [b._values[i].data for i in broadcast_index(b.shape, self.shape)]
        rule = PRIMITIVE_OF[combine].forward  # the table's rule, IEEE-safe: t /= 0 gives inf
        return self._assign([rules.evaluate(rule, v.data, x) for v, x in zip(self._values, bv)])

    def __iadd__(self, other):
        return self._in_place(other, operator.add)

    def __isub__(self, other):
        return self._in_place(other, operator.sub)

    def __imul__(self, other):
        return self._in_place(other, operator.mul)

    def __itruediv__(self, other):
        return self._in_place(other, operator.truediv)

    add_, sub_, mul_, div_ = __iadd__, __isub__, __imul__, __itruediv__

    def _take(self, result: Tensor) -> Tensor:
        """An in-place function (t.sin_(), t.clamp_(min=0)): self becomes `result`, computed out of
        place; its history too when self requires grad (PyTorch's grad_fn is then SinBackward0)."""
        if is_grad_enabled() and self.requires_grad:
            if self.is_leaf:
                raise RuntimeError(LEAF_INPLACE_ERROR)
            return self._become(result)
        return self._assign([v.data for v in result._values])

    def _become(self, result: Tensor) -> Tensor:
        """self takes the elements and history of `result`, computed out of place from self: in
        that history, self's old state (a tensor of its own) stands where self was."""
        before = self._plain(self._values, self.shape, self._dtype, self._grad_fn)
        node = result._grad_fn
        if node is not None:
            node.parents = tuple(before if p is self else p for p in node.parents)
        self._values, self._grad_fn = result._values, node
        return self

    def zero_(self) -> Tensor:
        """Set every element to 0, in place."""
        return self._assign([0.0] * self.numel())

    def fill_(self, value: float) -> Tensor:
        """Set every element to `value`, in place."""
        number = as_float(value)
        if number is None:
            raise TypeError(f"fill_ expects a number, got {value!r} of type {type(value).__name__}")
        return self._assign([number] * self.numel())

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        """Every element drawn uniformly from [a, b), in place (micrograd's generator: see manual_seed)."""
        return self._assign([generator.uniform(a, b) for _ in range(self.numel())])

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        """Every element drawn from the normal distribution N(mean, std²), in place."""
        return self._assign([generator.gauss(mean, std) for _ in range(self.numel())])
