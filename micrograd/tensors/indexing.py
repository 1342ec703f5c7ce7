"""Indexing, as methods of Tensor: ``t[0]``, ``t[:, 1:]``, ``t[None]``, ``t[[0, 2]]``, and assignment.

A key selects flat positions of the elements; reading returns a view of those Values,
assigning records new Values at those positions (PyTorch's ``CopySlices``).
"""
from __future__ import annotations

from typing import Any

from ..errors import LEAF_INPLACE_ERROR
from ..modes import is_grad_enabled
from .history import tensor_node
from .shapes import broadcast_index, broadcast_shapes, strides_of


Tensor = Any   # these methods belong to Tensor (tensor.py); an alias keeps the imports one-way


class IndexingMethods:
    """Indexing of Tensor (a part of the class, kept in a module of its own)."""

    def _positions(self, key: Any) -> tuple[list[int], tuple[int, ...], str]:
        """The flat positions `key` selects, the result's shape, and the grad_fn name."""
        keys = list(key) if isinstance(key, tuple) else [key]
        if any(k is Ellipsis for k in keys):
            at = keys.index(Ellipsis)
            fill = self.dim() - (len(keys) - 1 - sum(k is None for k in keys))
            keys[at:at + 1] = [slice(None)] * fill
        positions, shape, dim, name = [0], [], 0, "SliceBackward0"
        strides = strides_of(self._shape)
        for k in keys:
            if k is None:
                shape.append(1)
                name = "UnsqueezeBackward0"
                continue
            if dim >= self.dim():
                raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
            size, stride = self._shape[dim], strides[dim]
            if isinstance(k, type(self)):
                k = k.tolist()
            if isinstance(k, bool) or (not isinstance(k, (int, slice, list))):
                raise TypeError(f"only integers, slices, None, ... and lists of integers are valid indices, "
                                f"got {k!r} of type {type(k).__name__}")
            if isinstance(k, int):
                if not -size <= k < size:
                    raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
                positions = [p + (k % size) * stride for p in positions]
                name = "SelectBackward0"
            elif isinstance(k, slice):
                chosen = range(*k.indices(size))
                positions = [p + i * stride for p in positions for i in chosen]
                shape.append(len(chosen))
                name = "SliceBackward0"
            else:
                for i in k:
                    if not -size <= i < size:
                        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
                positions = [p + (i % size) * stride for p in positions for i in k]
                shape.append(len(k))
                name = "IndexBackward0"
            dim += 1
        for size, stride in zip(self._shape[dim:], strides[dim:]):
            positions = [p + i * stride for p in positions for i in range(size)]
            shape.append(size)
        return positions, tuple(shape), name

    def __getitem__(self, key: Any) -> Tensor:
        positions, shape, name = self._positions(key)
        return self._same_values(shape, name, "index", [self._values[p] for p in positions])

    def __setitem__(self, key: Any, value: Any) -> None:
        positions, shape, _ = self._positions(key)
        source = self._coerce(value)
        values = [source._values[i] for i in broadcast_index(source.shape, broadcast_shapes(source.shape, shape))]
        if len(values) != len(positions):
            raise RuntimeError(f"shape mismatch: value tensor of shape {tuple(source.shape)} cannot be broadcast "
                               f"to indexing result of shape {shape}")
        if not is_grad_enabled() or not (self.requires_grad or source.requires_grad):
            for p, v in zip(positions, values):
                self._values[p].data = v.data
            self._write_back()
            return
        if self.is_leaf and self.requires_grad:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        for p, v in zip(positions, values):          # recorded: the positions now hold the new Values
            self._values[p] = v + 0.0
        self._grad_fn = tensor_node("CopySlices", "setitem", (self._copy_history(), source))

    def _copy_history(self) -> Tensor:
        return type(self)(list(self._values), self._shape, self._dtype, self._grad_fn)
