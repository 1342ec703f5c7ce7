"""Storage: the elements a tensor and its views share, and the arithmetic of strides.

PyTorch's model, with Values for elements:

* a ``Storage`` is a flat list of Values and a version counter;
* a tensor is a *view* of a storage: ``shape``, ``strides`` and an ``offset``.  Its element
  at index (i₀, i₁, ...) is ``storage.values[offset + i₀·s₀ + i₁·s₁ + ...]``;
* ``view``, ``transpose``, slicing, ``expand``... make a new tensor on the *same* storage with
  other strides, so a write through one is seen by all (``y = x[0]; y[1] = 5`` changes x);
* everything PyTorch documents as a copy (``clone``, ``cat``, ``x[[0, 1]]``...) makes a new
  storage of new Values.

A write replaces or changes the Values in the storage's slots.  When it is recorded (it needs
a gradient) the new Values are computed from the old ones, so the graph of Values carries the
history and every view reads the new elements; the old Values stay as they were for whoever
used them.  Each write adds one to the storage's ``version``: an operation that saved a
tensor for its backward pass remembers that number, and backward refuses to run if it
changed (``history.check_versions``), as PyTorch does.
"""

from __future__ import annotations

import math
from array import array
from typing import Any, Sequence


class Storage:
    """One Value per element, in the order the tensor that made them laid them out, and the
    number of in-place writes so far."""

    __slots__ = ("values", "version", "writes", "grad_of", "from_numpy")

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.version = 0  # PyTorch's: in-place writes autograd sees (.data has its own)
        self.writes = 0  # every write: a view's list of its elements is good until the next
        self.grad_of: Any = None  # the tensor whose .grad this is: writes go to its elements
        self.from_numpy = False  # made by from_numpy: PyTorch shares the array's memory

    def data_ptr(self) -> int:
        """An address of the storage: equal for tensors that share it (not a memory address)."""
        return id(self)


class VersionCounter:
    """A version counter of its own, for a ``.data`` alias and its views: PyTorch gives
    ``x.data`` a new one, so writing through it dates neither x nor what x's views saved."""

    __slots__ = ("version",)

    def __init__(self) -> None:
        self.version = 0


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """Row-major strides: the last dimension's neighbours are next to each other."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def is_contiguous(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """True if the elements lie in row-major order without gaps (sizes 0 and 1 are free)."""
    if 0 in shape:
        return True
    step = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1 and stride != step:
            return False
        step *= size
    return True


def slots(shape: Sequence[int], strides: Sequence[int], offset: int) -> Sequence[int]:
    """The storage position of each element, in row-major order of the index (an array of
    machine integers: 8 bytes a position, where a list of Python ints takes 36)."""
    positions = [offset]
    for size, stride in zip(shape, strides):
        positions = [p + k * stride for p in positions for k in range(size)]
    return array("q", positions)


def view_strides(
    shape: Sequence[int], strides: Sequence[int], new_shape: Sequence[int]
) -> tuple[int, ...] | None:
    """The strides that show the same elements under `new_shape`, or None if no strides can.

    PyTorch's ``computeStride``: the old dimensions are cut into chunks that are contiguous
    among themselves (stride[i] = stride[i+1]·size[i+1]); each new dimension must fall inside
    one chunk, and takes strides from the chunk's innermost stride up.
    """
    numel = math.prod(shape)
    if not shape:  # one element: any shape of ones
        return contiguous_strides(new_shape)
    if numel == 0:
        return contiguous_strides(new_shape) if math.prod(new_shape) == 0 else None
    result = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = strides[-1] if strides else 1
    tensor_numel, view_numel = 1, 1
    for tensor_d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[tensor_d]
        chunk_ends = tensor_d == 0 or (
            shape[tensor_d - 1] != 1 and strides[tensor_d - 1] != tensor_numel * chunk_base_stride
        )
        if chunk_ends:
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                result[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = strides[tensor_d - 1]
                tensor_numel, view_numel = 1, 1
    if view_d != -1:
        return None
    return tuple(result)


def storage_size(shape: Sequence[int], strides: Sequence[int], offset: int) -> int:
    """How many storage slots a view reaches: one past its last element."""
    if 0 in shape:
        return offset
    return offset + sum((size - 1) * stride for size, stride in zip(shape, strides)) + 1
