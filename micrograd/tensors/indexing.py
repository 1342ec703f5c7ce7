"""Indexing, as methods of Tensor: ``t[0]``, ``t[:, 1:]``, ``t[None]``, ``t[[0, 2]]``, and assignment.

A key selects flat positions of the elements; reading returns a view of those Values,
assigning records new Values at those positions (PyTorch's ``CopySlices``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..core.errors import LEAF_INPLACE_ERROR
from ..core.modes import is_grad_enabled
from .history import tensor_node
from .dtypes import bool_, float32, float64, round_to_float32
from .shapes import broadcast_index, broadcast_shapes, nested_numbers, strides_of


if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


class IndexingMethods:
    """Indexing of Tensor (a part of the class, kept in a module of its own)."""

    def _positions(self, key: Any) -> tuple[list[int], tuple[int, ...], str]:
        """The flat positions `key` selects, the result's shape, and the grad_fn name.

        As in PyTorch (and NumPy): ints, slices, None and ... index one dimension each; a
        boolean mask covers as many dimensions as it has and keeps the elements where it is
        True; lists and integer tensors are "advanced" indices, broadcast together and read
        in pairs (``t[[0, 1], [2, 0]]`` is ``[t[0, 2], t[1, 0]]``).  The dimensions they
        make go where the first one was if they are adjacent, else first.
        """
        items = _items(self, list(key) if isinstance(key, tuple) else [key])
        strides = strides_of(self._shape)
        factors: list[
            tuple[list[int], tuple[int, ...]]
        ] = []  # (offsets, shape) of each output part
        group: list[
            tuple[list[int], tuple[int, ...], int]
        ] = []  # advanced indices: (indices, shape, stride)
        group_at, last_kind, dim = None, None, 0
        out_of_bounds = ""  # an advanced index out of bounds is an error only if something is read
        for kind, k in items:
            if kind == "new":
                factors.append(([0], (1,)))
                last_kind = kind
                continue
            if dim >= self.dim():
                raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
            size, stride = self._shape[dim], strides[dim]
            indices = [k] if kind == "int" else k[0] if kind == "array" else None
            for i in indices or ():
                if not -size <= i < size:
                    out_of_bounds = (
                        out_of_bounds
                        or f"index {i} is out of bounds for dimension {dim} with size {size}"
                    )
                    if kind == "int":
                        raise IndexError(out_of_bounds)
            if kind == "slice":
                chosen = range(*k.indices(size))
                factors.append(([i * stride for i in chosen], (len(chosen),)))
            elif kind == "int":  # PyTorch selects first, even among advanced indices
                factors.append(([(k % size) * stride], ()))
            else:
                if group and last_kind != "array":
                    group_at = 0  # not adjacent: the group goes first
                elif not group:
                    group_at = len(factors)
                group.append(([i % size if size else 0 for i in indices], k[1], stride))
            if kind != "int":
                last_kind = kind
            dim += 1
        for size, stride in zip(self._shape[dim:], strides[dim:]):
            factors.append(([i * stride for i in range(size)], (size,)))
        if group:
            factors.insert(group_at, _paired(group))
        positions, shape = [0], ()
        for offsets, part in factors:
            positions = [p + o for p in positions for o in offsets]
            shape += part
        if out_of_bounds and positions:
            raise IndexError(out_of_bounds)
        return positions, shape, _grad_fn_name(items, bool(group))

    def __getitem__(self, key: Any) -> Tensor:
        positions, shape, name = self._positions(key)
        return self._same_values(shape, name, "index", [self._values[p] for p in positions])

    def __setitem__(self, key: Any, value: Any) -> None:
        positions, shape, _ = self._positions(key)
        source = self._coerce(value)
        values = [
            source._values[i]
            for i in broadcast_index(source.shape, broadcast_shapes(source.shape, shape))
        ]
        if len(values) != len(positions):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {tuple(source.shape)} cannot be broadcast "
                f"to indexing result of shape {shape}"
            )
        if not is_grad_enabled() or not (self.requires_grad or source.requires_grad):
            for p, v in zip(positions, values):
                self._values[p].data = v.data
            if self._dtype is float32:
                round_to_float32([self._values[p] for p in positions])
            self._write_back()
            return
        if self.is_leaf and self.requires_grad:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        for p, v in zip(positions, values):  # recorded: the positions now hold the new Values
            self._values[p] = v + 0.0
        if self._dtype is float32:
            round_to_float32([self._values[p] for p in positions])
        self._grad_fn = tensor_node("CopySlices", "setitem", (self._copy_history(), source))

    def _copy_history(self) -> Tensor:
        return self._plain(list(self._values), self._shape, self._dtype, self._grad_fn)


def _items(tensor: Tensor, keys: list) -> list[tuple[str, Any]]:
    """The keys as (kind, key): "new" (None), "int", "slice", or "array" ((flat ints, shape)),
    with ... expanded and each boolean mask turned into one array per dimension it covers
    (the positions where it is True, as ``mask.nonzero()``)."""
    items: list[tuple[str, Any]] = []
    for k in keys:
        if k is None:
            items.append(("new", k))
        elif k is Ellipsis:
            items.append(("...", k))
        elif isinstance(k, slice):
            items.append(("slice", k))
        elif isinstance(k, bool):
            raise TypeError(
                "indexing with a Python bool is not supported: use a boolean tensor as a mask"
            )
        elif isinstance(k, int):
            items.append(("int", k))
        elif isinstance(k, (list, tuple, range)) or hasattr(k, "_values"):
            flat, shape = nested_numbers(list(k) if isinstance(k, range) else k)
            numbers = [getattr(x, "data", x) for x in flat]
            is_mask = getattr(k, "dtype", None) == bool_ or (
                flat and all(isinstance(x, bool) for x in flat)
            )
            if is_mask:
                items.append(("mask", (numbers, shape)))
                continue
            if any(not float(x).is_integer() for x in numbers) or getattr(k, "dtype", None) in (
                float32,
                float64,
            ):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            items.append(("array", ([int(x) for x in numbers], shape)))
        else:
            raise TypeError(
                f"only integers, slices, None, ..., boolean masks and integer lists or tensors are "
                f"valid indices, got {k!r} of type {type(k).__name__}"
            )
    if sum(kind == "..." for kind, _ in items) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")

    def width(kind: str, k: Any) -> int:  # how many dimensions an item indexes
        return len(k[1]) if kind == "mask" else 0 if kind in ("new", "...") else 1

    if any(kind == "..." for kind, _ in items):
        at = [kind for kind, _ in items].index("...")
        fill = tensor.dim() - sum(width(kind, k) for kind, k in items)
        items[at : at + 1] = [("slice", slice(None))] * max(fill, 0)
    result: list[tuple[str, Any]] = []
    for kind, k in items:
        if kind == "mask":
            result.extend(_mask_arrays(tensor, k[0], k[1], sum(width(*item) for item in result)))
        else:
            result.append((kind, k))
    return result


def _mask_arrays(tensor: Tensor, mask: list, shape: tuple, dim: int) -> list[tuple[str, Any]]:
    """A boolean mask over dimensions dim, dim+1...: one index array per dimension."""
    covered = tuple(tensor.shape[dim : dim + len(shape)])
    if covered != tuple(shape):
        raise IndexError(
            f"The shape of the mask {list(shape)} at index 0 does not match the shape of the "
            f"indexed tensor {list(covered)} at index 0"
        )
    where = [p for p, keep in enumerate(mask) if keep]
    strides = strides_of(shape)
    return [
        ("array", ([p // stride % size for p in where], (len(where),)))
        for size, stride in zip(shape, strides)
    ]


def _paired(
    group: list[tuple[list[int], tuple[int, ...], int]],
) -> tuple[list[int], tuple[int, ...]]:
    """The offsets of advanced indices read together: broadcast to one shape, then summed."""
    shape: tuple[int, ...] = ()
    for _, part, _ in group:
        try:
            shape = broadcast_shapes(shape, part)
        except RuntimeError:
            shapes = ", ".join(str(list(p)) for _, p, _ in group)
            raise IndexError(
                f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
            ) from None
    offsets = [0] * math.prod(shape)
    for indices, part, stride in group:
        for n, i in enumerate(broadcast_index(part, shape)):
            offsets[n] += indices[i] * stride
    return offsets, shape


def _grad_fn_name(items: list[tuple[str, Any]], advanced: bool) -> str:
    """PyTorch's name for the last indexing step: IndexBackward0 when any index is advanced."""
    if advanced:
        return "IndexBackward0"
    kinds = [kind for kind, _ in items]
    last = kinds[-1] if kinds else "slice"
    return {"new": "UnsqueezeBackward0", "int": "SelectBackward0"}.get(last, "SliceBackward0")
