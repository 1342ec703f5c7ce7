"""Conversions, as methods of Tensor: ``item``, ``tolist``, ``numpy``, ``float(t)``, ``len``, iteration, printing.

They read the numbers out of the Values; nothing here is recorded in the graph.
"""
from __future__ import annotations

import math

from typing import Any, Iterable

from .dtypes import bool_, int64
from .printing import tensor_repr

Tensor = Any   # these methods belong to Tensor (tensor.py); an alias keeps the imports one-way


class ConversionMethods:
    """The conversions of Tensor (a part of the class, kept in a module of its own)."""

    def item(self) -> float | int | bool:
        """The number inside a one-element tensor."""
        if len(self._values) != 1:
            raise RuntimeError(f"a Tensor with {len(self._values)} elements cannot be converted to Scalar")
        return self._python(self._values[0].data)

    def _python(self, x: float) -> float | int | bool:
        if self._dtype is bool_:
            return bool(x)
        if self._dtype is int64:
            return int(x)
        return x

    def tolist(self) -> Any:
        """The numbers as nested Python lists."""
        return _nested([self._python(v.data) for v in self._values], tuple(self._shape))

    def numpy(self) -> Any:
        """The numbers as a NumPy array (needs numpy)."""
        import numpy
        return numpy.array(self.tolist(), dtype={"float32": "float32", "float64": "float64",
                                                 "int64": "int64", "bool": "bool"}[self._dtype.name])

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._dtype.is_floating_point:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if len(self._values) != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._values[0].data)

    def __len__(self) -> int:
        if self.dim() == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self) -> Iterable[Tensor]:
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __format__(self, spec: str) -> str:
        if self.dim() == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self) -> str:
        return tensor_repr(self)

    __str__ = __repr__


def _nested(flat: list, shape: tuple) -> Any:
    """Row-major flat numbers as nested lists of `shape` (a size may be 0: shape (1, 0) is [[]])."""
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = math.prod(shape[1:])
    return [_nested(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]
