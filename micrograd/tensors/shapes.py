"""Shapes: ``Size``, strides, broadcasting, dimensions, and shapes read from nested lists.

A tensor's elements are kept flat, in row-major order.  The stride of a dimension is how far
apart in that flat list two neighbours along it are; broadcasting repeats an element by
giving a dimension of size 1 the stride 0.
"""

from __future__ import annotations

import math
from typing import Any, Sequence


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        """The number of elements: the product of the sizes."""
        return math.prod(self)


def strides_of(shape: Sequence[int]) -> list[int]:
    """How far apart in the flat list neighbours along each dimension are (row-major)."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return strides[::-1]


def broadcast_shapes(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """NumPy's broadcasting: align on the right; sizes must be equal or 1."""
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(  # PyTorch's words
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )
        result.append(y if x == 1 else x)  # 1 stretches to the other size, even to 0
    return tuple(reversed(result))


def broadcast_index(source: Sequence[int], target: Sequence[int]) -> list[int]:
    """For each flat position of `target`, the flat position in `source` broadcast to it."""
    if tuple(source) == tuple(target):
        return list(range(math.prod(target)))
    padded = [1] * (len(target) - len(source)) + list(source)
    strides = [0 if size == 1 else s for size, s in zip(padded, strides_of(padded))]
    index = [0]
    for size, stride in zip(target, strides):
        index = [i + k * stride for i in index for k in range(size)]
    return index


def require_int_dims(what: str, *dims: Any) -> None:
    """PyTorch checks every argument's type before any value: a TypeError for a dim that is not an int."""
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise TypeError(
                f"{what}: a dimension must be an int, got {dim!r} of type {type(dim).__name__}"
            )


def normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in range(ndim) (negative counts from the end), or PyTorch's IndexError."""
    require_int_dims("a tensor method", dim)
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {dim})"
        )
    return dim % max(ndim, 1)


def shape_from(args: tuple, size: Any = None) -> tuple[int, ...]:
    """Shapes given as f(2, 3), f((2, 3)), f([2, 3]), f(size=(2, 3)) or f(x.size())."""
    if size is not None:
        args = (size,)
    if not args:
        raise TypeError(
            "missing the size: give it as ones(2, 3), ones((2, 3)) or ones(size=(2, 3))"
        )
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return checked_sizes(args, "a new tensor")


def checked_sizes(sizes: Sequence[Any], what: str, infer: bool = False) -> tuple[int, ...]:
    """`sizes` as a tuple of ints, or PyTorch's error: TypeError for a size that is not an int,
    RuntimeError for a negative one (-1, "infer this size", is allowed where `infer`)."""
    for at, size in enumerate(sizes):
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(
                f"{what}: the sizes must be ints, but found element of type {type(size).__name__} "
                f"at pos {at} ({size!r})"
            )
    for at, size in enumerate(sizes):
        if size < 0 and not (infer and size == -1):
            if infer:
                raise RuntimeError(
                    f"invalid shape dimension {size} at index {at} of shape {list(sizes)}"
                )
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {size}: {list(sizes)}"
            )
    return tuple(sizes)


def nested_numbers(data: Any) -> tuple[list, tuple[int, ...]]:
    """Flat elements and shape of nested lists/tuples of numbers (or Values, or Tensors)."""
    if hasattr(data, "_values"):  # a Tensor
        return list(data._values), tuple(data.shape)
    if hasattr(data, "tolist") and not isinstance(data, (int, float)):
        data = data.tolist()  # numpy arrays and scalars
    if not isinstance(data, (list, tuple)):
        return [data], ()
    if len(data) == 0:
        return [], (0,)
    parts = [nested_numbers(d) for d in data]
    inner = parts[0][1]
    for dim_index, (_, shape) in enumerate(parts):
        if shape != inner:
            expected = inner[0] if inner else 0
            got = shape[0] if shape else 0
            raise ValueError(f"expected sequence of length {expected} at dim 1 (got {got})")
    return [x for flat, _ in parts for x in flat], (len(data),) + inner
