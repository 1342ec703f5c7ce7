"""Order along a dimension, as methods of Tensor: ``argmax``, ``argmin``, ``sort``, ``topk``,
and the running ``cumsum`` and ``cumprod``.

Each works on the *lines* of the tensor along one dimension (``_lines``: for each, the flat
positions of its elements in order).  A chosen element (sort, topk) is a copy in the graph, so
its gradient goes back to the element it came from; a running sum or product is a chain of
Value additions or multiplications, so its gradient is the chain rule through them (cumprod
needs no division, so zeros are no special case).
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Callable

from .dtypes import check_int64, float32, int64
from .elements import copies, element_values
from .history import constant_value, remember_also
from .shapes import normalize_dim
from .signatures import numpy_names, return_type

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


SortResult = return_type("sort")
TopkResult = return_type("topk")


def _order_key(elements: list, i: int) -> tuple:
    """An element's place in ascending order, nan after everything (as PyTorch sorts)."""
    x = elements[i].data
    return (x != x, x)


class OrderingMethods:
    """argmax, argmin, sort, topk, cumsum, cumprod of Tensor (a part of the class)."""

    def _lines(self, dim: int) -> tuple[int, list[list[int]]]:
        """Dimension `dim` normalized, and the flat positions of each line along it, in order
        (a 0-dim tensor is one line of one element)."""
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise TypeError(f"argument 'dim' must be int, not {type(dim).__name__}")
        d = normalize_dim(dim, max(self.dim(), 1))
        if self.dim() == 0:
            return 0, [[0]]
        groups, _ = self._groups({d}, keepdim=True)
        return d, groups

    def _arg_extreme(self, largest: bool, dim: Any, keepdim: bool, name: str) -> Tensor:
        """The index of the largest (smallest) element, the first of equal ones, nan winning."""
        elements = self._values
        if dim is None:
            if not elements:
                raise IndexError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            lines, shape = [list(range(len(elements)))], (1,) * self.dim() if keepdim else ()
        else:
            d, lines = self._lines(dim)
            if self.dim() and self._shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
            shape = tuple(1 if i == d and keepdim else s for i, s in enumerate(self._shape))
            shape = shape if keepdim else tuple(s for i, s in enumerate(self._shape) if i != d)

        def key(i: int) -> tuple:  # nan wins either way
            x = elements[i].data
            return (x != x, x if largest else -x) if x == x else (True, 0.0)

        # max() returns the first of equal keys: the first index, as PyTorch's
        best = [max(line, key=key) for line in lines]
        indices = best if dim is None else [line.index(b) for line, b in zip(lines, best)]
        return self._plain(element_values(indices, int64), shape, int64)

    @numpy_names
    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the largest element (of the flattened tensor, or along `dim`); of equal
        ones the first, as PyTorch; nan counts as the largest.  An int64 tensor, no gradient."""
        return self._arg_extreme(True, dim, keepdim, "argmax")

    @numpy_names
    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the smallest element (of the flattened tensor, or along `dim`); of equal
        ones the first; nan counts as the smallest (it wins, as in PyTorch)."""
        return self._arg_extreme(False, dim, keepdim, "argmin")

    def _picked_along(self, dim: int, descending: bool, k: int | None, name: str) -> tuple:
        """Each line's elements along `dim` in ascending (`descending`) order, only its first
        `k` with k, as copies in the graph; and their indices along `dim`."""
        d, lines = self._lines(dim)
        elements = self._values
        shape = list(self._shape)
        if k is not None and shape:
            shape[d] = k
        count = len(lines[0]) if k is None else k
        # the output's lines along d are laid out as the input's, with `count` elements each
        layout = self._plain([constant_value(0.0)] * (len(lines) * count), shape, int64)
        out_lines = layout._lines(d)[1] if count else [[] for _ in lines]
        picked: list[Any] = [None] * (len(lines) * count)
        at: list[int] = [0] * len(picked)
        for line, out in zip(lines, out_lines):
            for slot, j in zip(out, _sorted_line(elements, line, descending)):
                picked[slot], at[slot] = elements[line[j]], j
        if self._dtype.is_floating_point:
            grad_fn = f"{name}Backward0" if name[-1] != "1" else f"{name[:-1]}Backward1"
            values = self._result(
                copies(picked), shape, grad_fn, name.lower().rstrip("1"), (self,), stored=True
            )
        else:
            numbers = element_values([v.data for v in picked], self._dtype)
            values = self._plain(numbers, shape, self._dtype)
        indices = self._plain(element_values(at, int64), shape, int64)
        remember_also(values, indices)
        return values, indices

    @numpy_names
    def sort(self, dim: int = -1, descending: bool = False, stable: bool | None = None) -> Any:
        """The elements of each line along `dim` in ascending (`descending`: descending) order,
        nan last (first), and their indices: ``torch.return_types.sort(values, indices)``.
        Equal elements keep their order (a stable sort, as PyTorch's CPU sort is).
        ∂values/∂x sends each gradient to the element it came from."""
        # PyTorch's overload with `stable` (given at all) is sort.stable: SortBackward1
        name = "Sort" if stable is None else "Sort1"
        return SortResult(*self._picked_along(dim, descending, None, name))

    @numpy_names
    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
        """The `k` largest (smallest) elements of each line along `dim`, in order, and their
        indices: ``torch.return_types.topk``.  (With sorted=False PyTorch leaves the order
        unspecified; micrograd's is sorted.)"""
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"topk(): argument 'k' must be int, not {type(k).__name__}")
        d, _ = self._lines(dim)
        if not 0 <= k <= (self._shape[d] if self.dim() else 1):
            raise RuntimeError("selected index k out of range")
        return TopkResult(*self._picked_along(dim, largest, k, "Topk"))

    def _running(self, combine: Callable, dim: Any, dtype: Any, name: str) -> Tensor:
        """out[i] = combine(out[i−1], x[i]) along `dim`, out[0] = x[0]: each output a copy of
        the running Value, so that rounding it to float32 leaves the running one exact (PyTorch
        runs float32 sums in float64 on the CPU)."""
        source = self if dtype is None else self.to(dtype)
        exact = not source._dtype.is_floating_point  # bool and int64: exact int64 results
        d, lines = source._lines(dim)
        elements = source._values
        out: list[Any] = [None] * len(elements)
        for line in lines:
            running = None
            for i in line:
                x = int(elements[i].data) if exact else elements[i]
                running = x if running is None else combine(running, x)
                out[i] = check_int64(running) if exact else running
        if exact:
            return self._plain(element_values(out, int64), self._shape, int64)
        # each line's first output is its input element: a copy, a node of its own
        values = copies(out) if source._dtype is float32 else [
            copies([v])[0] if v is elements[i] else v for i, v in enumerate(out)
        ]  # fmt: skip
        return source._result(values, source._shape, f"{name}Backward0", name.lower(), (source,))

    @numpy_names
    def cumsum(self, dim: int, dtype: Any = None) -> Tensor:
        """yᵢ = x₀ + x₁ + ... + xᵢ along `dim`: ∂yᵢ/∂xⱼ = 1 for j ≤ i.  Integers and bools
        give int64, exactly."""
        return self._running(operator.add, dim, dtype, "Cumsum")

    @numpy_names
    def cumprod(self, dim: int, dtype: Any = None) -> Tensor:
        """yᵢ = x₀·x₁·...·xᵢ along `dim`: ∂yᵢ/∂xⱼ = Π over k ≤ i, k ≠ j of xₖ (j ≤ i), made of
        the chain of multiplications, so exact at zeros too."""
        return self._running(operator.mul, dim, dtype, "Cumprod")


def _sorted_line(elements: list, line: list[int], descending: bool) -> list[int]:
    """The indices 0..n−1 of a line's elements in ascending (descending) order, nan last
    (first), equal ones in their order."""
    return sorted(range(len(line)), key=lambda j: _order_key(elements, line[j]), reverse=descending)
