"""Two operands of an elementwise operation, broadcast and converted to the result's dtype:
what ``maximum``, ``minimum``, ``floor_divide``, ``remainder`` and ``fmod`` compute on.

``tensor.py``'s arithmetic does the same inside ``_binary``, fused with its primitives; these
operations are made of several Value operations each, so they take the operands ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.value import Value, as_float
from .dtypes import arithmetic_operand, cast_for_storage, cast_number, dtype, float32
from .dtypes import result_type
from .elements import cast_values, element_values
from .shapes import broadcast_index, broadcast_shapes

if TYPE_CHECKING:
    from .tensor import Tensor


def operand_pair(
    a: Tensor, b: Tensor, kind: dtype | None = None
) -> tuple[list[Value], list[Value], tuple[int, ...], dtype]:
    """(a's elements, b's elements, the broadcast shape, the result's dtype): both lists of the
    broadcast shape's length, converted to the dtype (``result_type`` unless `kind` is given);
    an integer or bool dtype's elements are new constants holding exact ints."""
    shape = broadcast_shapes(a.shape, b.shape)
    kind = kind or result_type(a, b)
    lists = []
    for t in (a, b):
        values = t._values
        if tuple(t.shape) != tuple(shape):
            values = [values[i] for i in broadcast_index(t.shape, shape)]
        if kind.is_floating_point:
            values = cast_values(values, t._dtype, kind)
        else:
            values = element_values(cast_for_storage([v.data for v in values], kind), kind)
        lists.append(values)
    return lists[0], lists[1], tuple(shape), kind


def as_operand(x: Any, like: Tensor) -> Tensor:
    """x as a tensor operand beside `like`: a number becomes a 0-dim tensor of the dtype it
    has in an operation with `like` (as ``tensor.as_tensor`` makes it)."""
    if getattr(x, "_values", None) is not None:
        return x
    if isinstance(x, Value):
        return like._plain([x], (), float32)
    if as_float(x) is None:
        raise TypeError(f"expected a tensor or a number, got {type(x).__name__}")
    x = arithmetic_operand(x, like._dtype)
    kind = result_type(like, x)
    return like._plain(element_values([cast_number(x, kind)], kind), (), kind)
