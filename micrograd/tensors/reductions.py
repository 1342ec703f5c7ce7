"""Reductions, as methods of Tensor: ``sum``, ``prod``, ``mean``, ``max``, ``min``, ``norm``.

Each output element is made of Value operations on the elements it reduces, so the graph of
``x.sum()`` is the chain of additions x₀ + x₁ + ... and its gradient flows back to each.
"""
from __future__ import annotations

import builtins
import functools
import operator
from collections import namedtuple
from typing import Any, Callable

from ..errors import NotSupported
from .dtypes import bool_, int64
from .history import constant_value
from .shapes import normalize_dim, strides_of

MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])
for _result in (MaxResult, MinResult):
    _result.__repr__ = lambda self: (f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
                                     f"indices={self.indices!r})")

Tensor = Any   # these methods belong to Tensor (tensor.py); an alias keeps the imports one-way


class ReductionMethods:
    """The reductions of Tensor (a part of the class, kept in a module of its own)."""

    def _groups(self, dim: Any, keepdim: bool) -> tuple[list[list[int]], tuple[int, ...]]:
        """The flat positions reduced into each output element, and the output shape."""
        n = self.dim()
        dims = set(range(n)) if dim is None else {normalize_dim(d, n) for d in ((dim,) if isinstance(dim, int) else dim)}
        if n == 0:
            return [[0]], ()
        if len(dims) == n:                       # everything into one element
            return [list(range(len(self._values)))], (1,) * n if keepdim else ()
        out_shape = tuple(1 if i in dims else s for i, s in enumerate(self._shape)) if keepdim else \
            tuple(s for i, s in enumerate(self._shape) if i not in dims)
        kept = [i for i in range(n) if i not in dims]
        strides = strides_of(self._shape)
        groups: dict[tuple, list[int]] = {}
        for flat in range(len(self._values)):
            key = tuple((flat // strides[i]) % self._shape[i] for i in kept)
            groups.setdefault(key, []).append(flat)
        return list(groups.values()), out_shape

    def _reduce(self, combine: Callable, dim: Any, keepdim: bool, name: str, op: str) -> Tensor:
        groups, shape = self._groups(dim, keepdim)
        # a group of one element still gets a node of its own (+ 0.0), so the sum shows in drawings
        values = [functools.reduce(combine, [self._values[i] for i in group]) if len(group) > 1
                  else self._values[group[0]] + 0.0 if group else constant_value(0.0) for group in groups]
        suffix = "0" if dim is None else "1"
        return self._result(values, shape, f"{name}{suffix}", op, (self,),
                            int64 if self._dtype is bool_ else self._dtype)

    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Σ of the elements, over all dimensions or `dim`: ∂sum/∂xᵢ = 1."""
        return self._reduce(operator.add, dim, keepdim, "SumBackward", "sum")

    def prod(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Π of the elements, over all dimensions or `dim`: ∂prod/∂xᵢ = Π over j ≠ i of xⱼ."""
        return self._reduce(operator.mul, dim, keepdim, "ProdBackward", "prod")

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """(1/n)·Σ xᵢ over all dimensions or `dim`: ∂mean/∂xᵢ = 1/n."""
        if not self._dtype.is_floating_point:
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {self._dtype.name.capitalize()}")
        groups, shape = self._groups(dim, keepdim)
        values = [functools.reduce(operator.add, [self._values[i] for i in g]) / len(g) for g in groups]
        return self._result(values, shape, "MeanBackward0" if dim is None else "MeanBackward1", "mean", (self,))

    def _extreme(self, pick: Callable, dim: Any, keepdim: bool, name: str, result: type) -> Any:
        groups, shape = self._groups(dim, keepdim)
        chosen = [pick(g, key=lambda i: self._values[i].data) for g in groups]
        values = [self._values[i] + 0.0 for i in chosen]
        if dim is None:
            return self._result(values, shape, f"{name}Backward1", name.lower(), (self,))
        strides = strides_of(self._shape)
        d = normalize_dim(dim, self.dim())
        indices = type(self)([constant_value(float((i // strides[d]) % self._shape[d])) for i in chosen], shape, int64)
        return result(self._result(values, shape, f"{name}Backward0", name.lower(), (self,)), indices)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest element (or, with dim, (values, indices)); the gradient goes to the chosen element."""
        return self._extreme(builtins.max, dim, keepdim, "Max", MaxResult)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest element (or, with dim, (values, indices)); the gradient goes to the chosen element."""
        return self._extreme(builtins.min, dim, keepdim, "Min", MinResult)

    def norm(self, p: float = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
        """The vector p-norm (p = 2: the Euclidean length)."""
        if p != 2:
            raise NotSupported(f"norm(p={p}) is not supported: only the Euclidean norm p=2")
        groups, shape = self._groups(dim, keepdim)
        values = [functools.reduce(operator.add, [self._values[i] * self._values[i] for i in g]).sqrt()
                  for g in groups]
        return self._result(values, shape, "LinalgVectorNormBackward0", "norm", (self,))
