"""Indexing, as methods of Tensor: ``t[0]``, ``t[:, 1:]``, ``t[None]``, ``t[[0, 2]]``, and assignment.

As in PyTorch, ints, slices, None and ... ("basic" indices) give a view: the same storage with
other strides and offset, so ``t[0][1] = 5`` writes into t.  Lists, integer tensors and boolean
masks ("advanced" indices) give a copy.  Assignment ``t[key] = v`` writes into the elements the
key selects, recorded as PyTorch's ``CopySlices`` when it needs a gradient: each new element
is a choice of v's over the old one, which gets a zero gradient.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..core import rules
from ..core.modes import is_grad_enabled
from ..core.value import apply
from .dtypes import bool_, float32, float64
from .elements import cast_values
from .shapes import broadcast_index, broadcast_shapes, nested_numbers, strides_of

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


def is_tensor(x: Any) -> bool:
    """True for a Tensor (a number written is checked against the dtype, a tensor is not)."""
    return hasattr(x, "_storage")


class IndexingMethods:
    """Indexing of Tensor (a part of the class, kept in a module of its own)."""

    def __getitem__(self, key: Any) -> Tensor:
        items = _items(self, list(key) if isinstance(key, tuple) else [key])
        if any(kind == "array" for kind, _ in items):
            positions, shape = self._advanced(items)
            values = self._values
            return self._copy_of([values[p] for p in positions], shape, "IndexBackward0", "index")
        shape, strides, offset = self._basic(items)
        name = "AliasBackward0" if key is Ellipsis else _grad_fn_name(items)
        return self._view(shape, strides, offset, name, "index")

    def _basic(self, items: list[tuple[str, Any]]) -> tuple[list, list, int]:
        """The shape, strides and offset of the view that ints, slices and None select."""
        shape: list[int] = []
        strides: list[Any] = []
        offset, dim = self._offset, 0
        for kind, k in items:
            if kind == "new":
                shape.append(1)
                strides.append(None)  # filled in below, as unsqueeze gives it
                continue
            if dim >= self.dim():
                raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
            size, stride = self._shape[dim], self._strides[dim]
            if kind == "int":
                if not -size <= k < size:
                    raise IndexError(
                        f"index {k} is out of bounds for dimension {dim} with size {size}"
                    )
                offset += (k % size) * stride
            else:
                if k.step is not None and k.step <= 0:
                    raise ValueError("step must be greater than zero")
                start, _, step = k.indices(size)
                length = len(range(*k.indices(size)))
                offset += start * stride if length else 0
                shape.append(length)
                strides.append(stride * step)
            dim += 1
        shape.extend(self._shape[dim:])
        strides.extend(self._strides[dim:])
        for i in range(len(strides) - 1, -1, -1):
            if strides[i] is None:
                strides[i] = strides[i + 1] * shape[i + 1] if i + 1 < len(strides) else 1
        return shape, strides, offset

    def _advanced(self, items: list[tuple[str, Any]]) -> tuple[list[int], tuple[int, ...]]:
        """The positions (in row-major order of self's index) that a key with lists, integer
        tensors or masks selects, and the result's shape.

        As in PyTorch (and NumPy): ints, slices, None and ... index one dimension each; a
        boolean mask covers as many dimensions as it has and keeps the elements where it is
        True; lists and integer tensors are "advanced" indices, broadcast together and read
        in pairs (``t[[0, 1], [2, 0]]`` is ``[t[0, 2], t[1, 0]]``).  The dimensions they
        make go where the first one was if they are adjacent, else first.
        """
        strides = strides_of(self._shape)
        factors: list[tuple[list[int], tuple[int, ...]]] = []  # (offsets, shape) of each part
        group: list[tuple[list[int], tuple[int, ...], int]] = []  # (indices, shape, stride)
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
                if k.step is not None and k.step <= 0:
                    raise ValueError("step must be greater than zero")
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
        return positions, shape

    def __setitem__(self, key: Any, value: Any) -> None:
        items = _items(self, list(key) if isinstance(key, tuple) else [key])
        if any(kind == "array" for kind, _ in items):
            positions, shape = self._advanced(items)
            mine = self._slots()
            slots = [mine[p] for p in positions]
        else:
            shape, strides, offset = self._basic(items)
            from .storage import slots as slots_of

            slots = slots_of(shape, strides, offset)
        source = self._coerce(value)  # a float into an int64 tensor is truncated, as PyTorch's
        target = broadcast_shapes(source.shape, tuple(shape))
        if target != tuple(shape):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(source.shape)} cannot be broadcast "
                f"to indexing result of shape {list(shape)}"
            )
        elements = source._values
        new = [elements[i] for i in broadcast_index(source.shape, shape)]
        self._check_writable()
        recorded = (
            is_grad_enabled()
            and self._dtype.is_floating_point
            and (self.requires_grad or source.requires_grad)
        )
        if not recorded:
            self._store_numbers(slots, [v.data for v in new], checked=not is_tensor(value))
            return
        stored = self._storage.values
        new = cast_values(new, source.dtype, self._dtype)
        chosen = [apply(rules.CHOOSE_Y, stored[s], v) for s, v in zip(slots, new)]
        self._store_values(slots, chosen, None, source)


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


def _grad_fn_name(items: list[tuple[str, Any]]) -> str:
    """PyTorch's name for the last step of a basic index: Unsqueeze, Select or Slice."""
    kinds = [kind for kind, _ in items]
    last = kinds[-1] if kinds else "slice"
    return {"new": "UnsqueezeBackward0", "int": "SelectBackward0"}.get(last, "SliceBackward0")
