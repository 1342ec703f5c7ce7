"""Joining and choosing: ``cat``, ``stack``, ``where``.

They make no arithmetic: the result holds the same Values (``where`` adds ``+ 0.0`` to each,
so the choice shows as a node), and gradients flow back to the tensors they came from.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..core.value import Value
from .dtypes import promote
from .history import tensor_node
from .shapes import broadcast_index, broadcast_shapes, normalize_dim
from .tensor import Tensor, as_tensor


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
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
    for o in range(outer):
        for t in tensors:
            block = math.prod(t.shape[d:])
            values.extend(t._values[o * block : (o + 1) * block])
    shape = first.shape[:d] + (sum(t.shape[d] for t in tensors),) + first.shape[d + 1 :]
    return first._result(values, shape, "CatBackward0", "cat", tuple(tensors))


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors = [as_tensor(t) for t in tensors]
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
    condition, a, b = as_tensor(condition), as_tensor(a), as_tensor(b)
    shape = broadcast_shapes(broadcast_shapes(condition.shape, a.shape), b.shape)
    c = [condition._values[i].data for i in broadcast_index(condition.shape, shape)]
    av = [a._values[i] for i in broadcast_index(a.shape, shape)]
    bv = [b._values[i] for i in broadcast_index(b.shape, shape)]
    values = [x + 0.0 if keep else y + 0.0 for keep, x, y in zip(c, av, bv)]
    return a._result(values, shape, "WhereBackward0", "where", (a, b), promote(a._dtype, b._dtype))
