"""A tensor's elements: making, copying and casting the Values a storage holds.

Kept apart from ``tensor.py`` so that the modules of the Tensor class (views, indexing,
conversions, joining) can use them without importing the class.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core import rules
from ..core.value import Value, apply
from .dtypes import cast_for_storage, dtype, float32, float64, is_integer
from .history import NO_GRAD


def copies(values: list[Value]) -> list[Value]:
    """A new Value for each element: a copy in the graph (∂copy/∂x = 1) if it requires grad,
    else a constant (forward mode follows it either way); an int64 element keeps its int."""
    return [apply(rules.COPY, v) if v.data.__class__ is float else exact_copy(v) for v in values]


def picked(values: list[Value]) -> list[Value]:
    """Copies read by an index (t[[0, 2]], t[mask]): as ``copies``, but their nodes keep what
    they read, as PyTorch's IndexBackward0 keeps the index, so a second backward pass through
    them needs retain_graph."""
    return [apply(rules.PICK, v) if v.data.__class__ is float else exact_copy(v) for v in values]


def exact_copy(v: Value) -> Value:
    """A constant holding v's number as it is (an int stays an int: Value() makes floats)."""
    c = Value(0.0, requires_grad=False)
    c.data, c.grad = v.data, NO_GRAD
    return c


def element_values(numbers: Sequence[Any], dtype_: dtype, requires_grad: bool = False) -> list:
    """A new Value for each number, which is already an element of `dtype_`
    (``cast_for_storage``).  Value() makes its number a float, so an int64 or int32 element
    gets its exact int back."""
    values = []
    for x in numbers:
        v = Value(x, requires_grad=requires_grad)
        if is_integer(dtype_):
            v.data = x
        v.grad = NO_GRAD
        values.append(v)
    return values


def cast_values(values: list[Value], from_: dtype, to: dtype) -> list[Value]:
    """Elements of a `from_` tensor as elements of `to`, the dtype an operation computes in:
    themselves if they convert exactly (the same dtype, or float32 into float64), else new
    Values (for one that requires grad, a copy in the graph, ∂copy/∂x = 1)."""
    if from_ is to or (from_ is float32 and to is float64):
        return values
    cast = []
    for v, x in zip(values, cast_for_storage([v.data for v in values], to)):
        w = apply(rules.COPY, v)  # a copy forward mode follows too
        w.data = x
        w.grad = NO_GRAD if w._node is None else w.grad
        cast.append(w)
    return cast
