"""Joining and choosing: ``cat``, ``stack``, ``where``.

They make no arithmetic, but the result is a new tensor, as in PyTorch: ``cat`` and ``stack``
copy each element (a ``copy`` node, ∂copy/∂x = 1), and ``where(c, x, y)`` chooses each
element with a node of both operands, so the one not chosen gets a zero gradient (and so
PyTorch's nan when its own derivative is infinite: the reason for the "double where" trick).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..core import rules
from ..core.value import Value, apply
from .dtypes import result_type
from .history import tensor_node
from .shapes import broadcast_index, broadcast_shapes, normalize_dim
from .elements import cast_values, copies
from .tensor import Tensor, as_tensor


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    for at, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {at}) cannot be concatenated")
    tensors = [t for t in tensors if t.shape != (0,)] or tensors[:1]  # PyTorch skips empty 1-D
    first = tensors[0]
    d = normalize_dim(dim, first.dim())
    for t in tensors[1:]:
        if t.dim() != first.dim() or any(
            s != u for i, (s, u) in enumerate(zip(t.shape, first.shape)) if i != d
        ):
            raise RuntimeError(
                f"Sizes of tensors must match except in dimension {d}: got {tuple(first.shape)} "
                f"and {tuple(t.shape)}"
            )
    outer = math.prod(first.shape[:d])
    values: list[Value] = []
    kind = result_type(*tensors)
    elements = [cast_values(t._values, t.dtype, kind) for t in tensors]
    for o in range(outer):
        for t, mine in zip(tensors, elements):
            block = math.prod(t.shape[d:])
            values.extend(mine[o * block : (o + 1) * block])
    shape = first.shape[:d] + (sum(t.shape[d] for t in tensors),) + first.shape[d + 1 :]
    return first._result(copies(values), shape, "CatBackward0", "cat", tuple(tensors), kind)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    if any(t.shape != tensors[0].shape for t in tensors):
        raise RuntimeError(
            f"stack expects each tensor to be equal size, but got {[tuple(t.shape) for t in tensors]}"
        )
    d = normalize_dim(dim, tensors[0].dim() + 1)
    result = cat([t.unsqueeze(d) for t in tensors], d)
    result._grad_fn = (
        tensor_node("StackBackward0", "stack", tuple(tensors)) if result._grad_fn else None
    )
    return result


def where(condition: Tensor, a: Any, b: Any) -> Tensor:
    """Elementwise a where condition holds, else b."""
    kind = result_type(a, b)  # a Python number counts as a number here, not as a tensor
    condition, a, b = as_tensor(condition), as_tensor(a), as_tensor(b)
    shape = broadcast_shapes(broadcast_shapes(condition.shape, a.shape), b.shape)
    conditions, elements_a, elements_b = condition._values, a._values, b._values
    c = [conditions[i].data for i in broadcast_index(condition.shape, shape)]
    av = cast_values([elements_a[i] for i in broadcast_index(a.shape, shape)], a.dtype, kind)
    bv = cast_values([elements_b[i] for i in broadcast_index(b.shape, shape)], b.dtype, kind)
    values = [
        apply(rules.CHOOSE_X if keep else rules.CHOOSE_Y, x, y) for keep, x, y in zip(c, av, bv)
    ]
    return a._result(values, shape, "WhereBackward0", "where", (a, b), kind)
