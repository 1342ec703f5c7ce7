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
from .dtypes import SCALAR_TYPE_NAMES, bool_, cast_number, dtype
from .dtypes import result_type, scalar_argument
from .elements import cast_values, copies, element_values
from .history import remember_also, tensor_node
from .shapes import broadcast_index, broadcast_shapes, normalize_dim
from .signatures import refuse_out
from .tensor import Tensor, as_tensor


def copied(values: list[Value], kind: dtype) -> list[Value]:
    """New Values for these elements of a `kind` result: copies in the graph, or of an integer
    or bool dtype (which never requires grad) the same numbers, an int64's int kept exact (a
    Value's arithmetic, a copy's too, makes floats)."""
    if kind.is_floating_point:
        return copies(values)
    return element_values([v.data for v in values], kind)


def cat(tensors: Sequence[Tensor], dim: int = 0, *, out: Any = None) -> Tensor:
    """Join tensors along an existing dimension."""
    if out is not None:
        refuse_out("cat")
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    for at, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {at}) cannot be concatenated")
    kind = result_type(*tensors)  # of them all: a skipped one counts too
    inputs = tuple(tensors)  # each an input of the result's grad_fn, as in PyTorch
    tensors = [t for t in tensors if t.shape != (0,)]  # PyTorch skips empty 1-D tensors
    if not tensors:  # nothing but them: no dimension to check
        return inputs[0]._result([], (0,), "CatBackward0", "cat", inputs, kind)
    first = tensors[0]
    d = normalize_dim(dim, first.dim())
    for number, t in enumerate(tensors[1:], 1):
        if t.dim() != first.dim() or any(
            s != u for i, (s, u) in enumerate(zip(t.shape, first.shape)) if i != d
        ):
            if t.dim() != first.dim():
                raise RuntimeError(
                    f"Tensors must have same number of dimensions: got {first.dim()} and {t.dim()}"
                )
            at = next(i for i, (s, u) in enumerate(zip(first.shape, t.shape)) if i != d and s != u)
            raise RuntimeError(  # PyTorch's words
                f"Sizes of tensors must match except in dimension {d}. Expected size "
                f"{first.shape[at]} but got size {t.shape[at]} for tensor number "
                f"{number} in the list."
            )
    outer = math.prod(first.shape[:d])
    values: list[Value] = []
    elements = [cast_values(t._values, t.dtype, kind) for t in tensors]
    for o in range(outer):
        for t, mine in zip(tensors, elements):
            block = math.prod(t.shape[d:])
            values.extend(mine[o * block : (o + 1) * block])
    shape = first.shape[:d] + (sum(t.shape[d] for t in tensors),) + first.shape[d + 1 :]
    return first._result(copied(values, kind), shape, "CatBackward0", "cat", inputs, kind)


def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Any = None) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    if out is not None:
        refuse_out("stack")
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    d = normalize_dim(dim, tensors[0].dim() + 1)  # before the shapes, as in PyTorch
    for at, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} "
                f"at entry 0 and {list(t.shape)} at entry {at}"
            )
    result = cat([t.unsqueeze(d) for t in tensors], d)
    result._grad_fn = (
        tensor_node("StackBackward0", "stack", tuple(tensors)) if result._grad_fn else None
    )
    return result


def where(condition: Tensor, a: Any, b: Any, *, out: Any = None) -> Tensor:
    """Elementwise a where condition (a bool tensor) holds, else b.  The dtype is
    ``result_type(a, b)`` (a Python number counts as a number, not as a tensor), and a number
    is stored into it as ``full`` stores it: refused if the dtype cannot hold it."""
    if out is not None:
        refuse_out("where")
    kind = result_type(a, b)
    a, b = _where_operand(a, kind), _where_operand(b, kind)
    condition = as_tensor(condition)
    if condition.dtype is not bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{SCALAR_TYPE_NAMES[condition.dtype]}"
        )
    shape = broadcast_shapes(broadcast_shapes(condition.shape, a.shape), b.shape)
    conditions, elements_a, elements_b = condition._values, a._values, b._values
    c = [conditions[i].data for i in broadcast_index(condition.shape, shape)]
    av = cast_values([elements_a[i] for i in broadcast_index(a.shape, shape)], a.dtype, kind)
    bv = cast_values([elements_b[i] for i in broadcast_index(b.shape, shape)], b.dtype, kind)
    if kind.is_floating_point:
        values = [
            apply(rules.CHOOSE_X if keep else rules.CHOOSE_Y, x, y) for keep, x, y in zip(c, av, bv)
        ]
    else:  # never requires grad: the chosen numbers, an int64's int kept exact
        values = element_values([x.data if keep else y.data for keep, x, y in zip(c, av, bv)], kind)
    result = a._result(values, shape, "WhereBackward0", "where", (a, b), kind)
    remember_also(result, condition)
    return result


def _where_operand(x: Any, kind: dtype) -> Tensor:
    """An operand of where as a tensor: a Python number as a 0-dim `kind` tensor, stored with
    PyTorch's checks (an int PyTorch reads as uint64 fits a float result only)."""
    if isinstance(x, (Tensor, Value)) or not isinstance(x, (bool, int, float)):
        return as_tensor(x)
    number = cast_number(scalar_argument(x, kind), kind, checked=True)
    return Tensor(element_values([number], kind), (), kind)
