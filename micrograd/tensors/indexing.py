"""Indexing, as methods of Tensor: ``t[0]``, ``t[:, 1:]``, ``t[None]``, ``t[[0, 2]]``, and assignment.

As in PyTorch, ints, slices, None and ... ("basic" indices) give a view: the same storage with
other strides and offset, so ``t[0][1] = 5`` writes into t.  Lists, integer tensors and boolean
masks ("advanced" indices) give a copy.  Assignment ``t[key] = v`` writes into the elements the
key selects, recorded as PyTorch's ``CopySlices`` when it needs a gradient: each new element
is a choice of v's over the old one, which gets a zero gradient.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

from ..core import rules
from ..core.errors import NotSupported
from ..core.modes import is_grad_enabled
from ..core.value import apply
from .dtypes import bool_, float32, float64, is_integer
from .elements import cast_values, picked
from .history import is_tensor, remember_also, tensor_node
from .shapes import broadcast_index, broadcast_shapes, nested_numbers, strides_of
from .storage import slots as slots_of

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


ADVANCED = ("array", "bool")  # the kinds of item that make an index "advanced" (a copy)
OVERLAP_ERROR = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer "
    "to a single memory location. Please clone() the tensor before performing the operation."
)
INTERNAL_OVERLAP_ERROR = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
TYPE_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "int64": "Long",
    "int32": "Int",
    "bool": "Bool",
}


def _index_tensors(key: Any) -> list[Any]:
    """The tensors (integer indices, bool masks) among an index's items."""
    return [k for k in (key if isinstance(key, tuple) else (key,)) if is_tensor(k)]


class IndexingMethods:
    """Indexing of Tensor (a part of the class, kept in a module of its own)."""

    def __getitem__(self, key: Any) -> Tensor:
        items = _items(self, _keys(key))
        if any(kind in ADVANCED for kind, _ in items):
            positions, shape = self._advanced(items)
            values = self._values
            chosen = picked([values[p] for p in positions])
            result = self._result(chosen, shape, "IndexBackward0", "index", (self,), stored=True)
            for index in _index_tensors(key):  # PyTorch saves them: writing one later is refused
                remember_also(result, index)
            return result
        shape, strides, offset = self._basic(items)
        # PyTorch skips the whole slices of a tuple, not a lone slice: t[:] is a SliceBackward0
        last = "SliceBackward0" if isinstance(key, slice) else _last_view(self, items)
        return self._view(shape, strides, offset, last or "AliasBackward0", "index")

    def _basic(self, items: list[tuple[str, Any]]) -> tuple[list, list, int]:
        """The shape, strides and offset of the view that ints, slices and None select."""
        shape: list[int] = []
        strides: list[Any] = []
        offset, dim = self._offset, 0
        for kind, k in items:
            if kind == "new":
                if dim > self.dim():  # past the dimensions an ellipsis skipped
                    raise IndexError(f"Dimension out of range (got {dim})")
                shape.append(1)
                strides.append(None)  # filled in below, as unsqueeze gives it
                continue
            if kind == "...":  # k dimensions kept whole (those that exist)
                shape.extend(self._shape[dim : dim + k])
                strides.extend(self._strides[dim : dim + k])
                dim += k
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
        make go where the first one was if they are adjacent, else first.  A 0-dim mask (or
        a Python bool) is a new dimension of size 1, indexed by [0] if True, by [] if False.
        """
        strides = strides_of(self._shape)
        factors: list[tuple[list[int], tuple[int, ...]]] = []  # (offsets, shape) of each part
        group: list[tuple[list[int], tuple[int, ...], int]] = []  # (indices, shape, stride)
        group_at, last_kind, dim = None, None, 0
        out_of_bounds = ""  # an advanced index out of bounds is an error only if something is read
        for kind, k in items:
            if kind == "new":
                if dim > self.dim():
                    raise IndexError(f"Dimension out of range (got {dim})")
                factors.append(([0], (1,)))
                last_kind = kind
                continue
            if kind == "...":
                for size, stride in zip(self._shape[dim : dim + k], strides[dim : dim + k]):
                    factors.append(([i * stride for i in range(size)], (size,)))
                    last_kind = "slice"
                dim += k
                continue
            if kind != "bool" and dim >= self.dim():
                raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
            size, stride = (self._shape[dim], strides[dim]) if kind != "bool" else (1, 0)
            indices = [k] if kind == "int" else k[0] if kind == "array" else None
            if kind == "array" and indices and not size:  # PyTorch checks this one always
                raise IndexError("index is out of bounds for dimension with size 0")
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
                if kind == "bool":
                    group.append(([0] * k, (k,), 0))
                else:
                    group.append(([i % size if size else 0 for i in indices], k[1], stride))
            if kind != "int":
                last_kind = "array" if kind == "bool" else kind
            if kind != "bool":
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
        self._write(key, value)

    def _write(self, key: Any, value: Any, how: str = "") -> None:
        """``self[key] = value``; `how`: "copy" for copy_, "fill" for fill_ with a tensor (their
        own grad_fn names, whatever the shapes)."""
        if key is False:  # PyTorch writes nothing and checks nothing
            return
        # A lone True is PyTorch's self.unsqueeze(0)[...] = value: a basic write
        items = [("new", None)] if key is True else _items(self, _keys(key))
        source = self._coerce(value)  # a float into an int64 tensor is truncated, as PyTorch's
        last = _last_view(self, items)  # None: the index selects self, not a view of it
        if any(kind in ADVANCED for kind, _ in items):
            self._check_writable()  # PyTorch's index_put_ refuses before it reads the index
            for k in _keys(key):  # and an index that is (a part of) the written tensor
                if (
                    is_tensor(k)
                    and is_integer(k._dtype)
                    and overlap_status(self._storage, self._shape, self._strides, self._offset, k)
                    in ("full", "partial")
                ):
                    raise RuntimeError(OVERLAP_ERROR)
            positions, shape = self._advanced(items)
            mine = self._slots()
            slots = [mine[p] for p in positions]
            # One element through one mask is PyTorch's masked_fill_, which checks less
            filled = _fills_by_mask(key, source)
            if not filled:
                self._check_index_put(source if is_tensor(value) else None, key, items, last)
            name = "IndexPutBackward0"
        else:
            shape, strides, offset = self._basic(items)
            slots = slots_of(shape, strides, offset)
            if len(set(slots)) != len(slots):
                raise RuntimeError(INTERNAL_OVERLAP_ERROR)
            same = tuple(source.shape) == tuple(shape)
            if is_tensor(value) and same:
                if overlap_status(self._storage, shape, strides, offset, source) == "partial":
                    raise RuntimeError(OVERLAP_ERROR)
            # PyTorch's copy_to: copy_ when the shapes agree, else fill_ for a 0-dim value
            filled = how == "fill" or (not same and source.dim() == 0 and how != "copy")
            name = "FillBackward3" if filled else "CopyBackwards"
        # PyTorch drops the value's leading 1s first (slicePrefix1sSize): the order is the same
        given = list(source.shape)
        while given and given[0] == 1:
            del given[0]
        if broadcast_shapes(given, tuple(shape)) != tuple(shape):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(source.shape)} cannot be broadcast "
                f"to indexing result of shape {list(shape)}"
            )
        elements = source._values
        new = [elements[i] for i in broadcast_index(given, shape)]
        # copied into an integer tensor, a value's gradient is dropped; PyTorch's fill_ keeps it
        gaining = source.requires_grad and (filled or self._dtype.is_floating_point)
        self._check_writable(gaining=gaining)
        wanted = is_grad_enabled() and (self.requires_grad or source.requires_grad)
        if wanted and filled and not self._dtype.is_floating_point and source.requires_grad:
            raise NotSupported(
                f"filling a {self._dtype.name} tensor with a tensor that requires grad: PyTorch "
                "records it and makes the integer tensor require grad, which micrograd's integer "
                "elements cannot"
            )
        if wanted and source.requires_grad and len(set(slots)) != len(slots):
            raise NotSupported(
                "writing a tensor that requires grad through an index that repeats a position: "
                "PyTorch leaves which write wins undefined and sends a gradient to every value "
                "written, the overwritten ones too, which micrograd's elements cannot; "
                "make the index's positions distinct"
            )
        if not (wanted and self._dtype.is_floating_point):
            # a number is cast straight to this dtype, not through the float32 of as_tensor
            plain = isinstance(value, (int, float)) and not isinstance(value, bool)
            numbers = [value] * len(new) if plain else [v.data for v in new]
            self._store_numbers(slots, numbers, checked=not is_tensor(value))
            return
        stored = self._storage.values
        new = cast_values(new, source.dtype, self._dtype)
        whole = last is None and self._base is None and name != "IndexPutBackward0"
        # a write into all of a tensor (not a view) is PyTorch's copy_ or fill_, which saves
        # nothing; through a view (CopySlices) or an index (the indices) a node keeps state
        choose = rules.OVERWRITE if whole else rules.CHOOSE_Y
        chosen = [apply(choose, stored[s], v) for s, v in zip(slots, new)]
        node = None  # written through a view (of self, or self one): CopySlices
        if last is None and self._base is None:
            op = {"CopyBackwards": "copy_", "IndexPutBackward0": "index_put_"}.get(name, name)
            node = tensor_node(name, op, (self._snapshot(), source))
        self._store_values(slots, chosen, node, source)

    def _check_index_put(
        self, source: Tensor | None, key: Any, items: list[tuple[str, Any]], last: Any
    ) -> None:
        """PyTorch's checks of index_put_: the dtypes of a tensor `source` (None: a number)
        must match, and neither it nor an index tensor may share elements with the tensor
        written into: self if the index made no view of it first (`last` is None), else the
        view the basic items make (the advanced ones kept whole)."""
        if source is not None and source.dtype is not self._dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{TYPE_NAMES[self._dtype.name]} for the destination and "
                f"{TYPE_NAMES[source.dtype.name]} for the source."
            )
        whole = []  # the basic items: the advanced ones keep their dimensions whole
        for kind, k in items:
            kept = {"bool": ("new", None), "array": ("slice", slice(None))}
            whole.append(kept.get(kind, (kind, k)))
        shape, strides, offset = self._basic(whole)
        others = [source] if source is not None else []
        for other in others + [k for k in _keys(key) if is_tensor(k) and k.dim()]:
            status = overlap_status(self._storage, shape, strides, offset, other)
            if (last is None and other is self) or status in ("full", "partial"):
                raise RuntimeError(OVERLAP_ERROR)


def _keys(key: Any) -> list:
    """The items of an index: a tuple's, or a list's that holds a list, tensor, slice, None or
    ... (PyTorch reads it as a tuple, as NumPy once did), else the key alone."""
    if isinstance(key, slice) and key.step is not None and key.step <= 0:
        raise ValueError("step must be greater than zero")  # a lone slice: before the dims
    if isinstance(key, tuple):
        return list(key)
    if isinstance(key, list) and len(key) < 32:
        if any(
            isinstance(k, (list, tuple, slice)) or k is None or k is Ellipsis or is_tensor(k)
            for k in key
        ):
            return list(key)
    return [key]


def _dense(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """PyTorch's is_non_overlapping_and_dense: some order of the dimensions is contiguous."""
    step = 1
    for stride, size in sorted((st, sz) for sz, st in zip(shape, strides) if sz != 1):
        if stride != step:
            return False
        step *= size
    return True


def overlap_status(
    storage: Any, shape: Sequence[int], strides: Sequence[int], offset: int, other: Any
) -> str:
    """PyTorch's getoverlap_status of a view of `storage` and the tensor `other`: "no",
    "full", "partial", or "too hard" (one is not non-overlapping and dense: not checked)."""
    numel = math.prod(shape)
    if other._storage is not storage or not numel or not other.numel():
        return "no"
    if not _dense(shape, strides) or not _dense(other.shape, other._strides):
        return "too hard"
    a, b = (offset, offset + numel), (other._offset, other._offset + other.numel())
    if a == b:
        return "full" if tuple(strides) == tuple(other._strides) else "partial"
    return "partial" if a[0] < b[1] and b[0] < a[1] else "no"


def _fills_by_mask(key: Any, source: Tensor) -> bool:
    """True where PyTorch's index_put_ is a masked_fill_: a value of one element, and one
    index tensor, a boolean mask (no dtype or overlap checks then)."""
    if source.numel() != 1:
        return False
    tensors = [k for k in _keys(key) if _is_index_tensor(k)]
    return len(tensors) == 1 and _is_mask(tensors[0])


def _is_index_tensor(k: Any) -> bool:
    """True for a key item that PyTorch turns into an index tensor: a list, a tensor that is
    not a 0-dim integer one (that selects), a Python bool (an integer index)."""
    if isinstance(k, bool):
        return True
    if is_tensor(k):
        return k.dim() > 0 or k.dtype is bool_
    return isinstance(k, (list, tuple, range))


def _is_mask(k: Any) -> bool:
    """True for a boolean mask of one dimension or more (a tensor or a list of bools)."""
    if is_tensor(k):
        return k.dtype is bool_ and k.dim() > 0
    flat, _ = nested_numbers(list(k))
    return bool(flat) and all(isinstance(x, bool) for x in flat)


def _last_view(tensor: Tensor, items: list[tuple[str, Any]]) -> str | None:
    """PyTorch's name for the last view a basic index takes (Unsqueeze, Select or Slice), None
    if it takes none: whole slices and ... are skipped, as PyTorch's applySlicing does."""
    last, dim = None, 0
    for kind, k in items:
        if kind in ("new", "bool"):
            last = "UnsqueezeBackward0"
        elif kind == "int":
            last, dim = "SelectBackward0", dim + 1
        elif kind == "...":
            dim += k
        elif kind == "slice":
            size = tensor.shape[dim] if dim < tensor.dim() else 0
            whole = k.start in (None, 0) and k.step in (None, 1)
            if not (whole and (k.stop is None or k.stop >= size)):
                last = "SliceBackward0"
            dim += 1
        else:
            dim += 1
    return last


def _items(tensor: Tensor, keys: list) -> list[tuple[str, Any]]:
    """The keys as (kind, key): "new" (None), "int", "slice", "..." (how many dimensions it
    keeps whole), "bool" (a 0-dim mask or a Python bool: 1 if True, 0 if False) or "array"
    ((flat ints, shape)), each boolean mask turned into one array per dimension it covers
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
            items.append(("bool", int(k)))
        elif isinstance(k, int):
            items.append(("int", k))
        elif is_tensor(k) and k.dim() == 0:
            if k.dtype is bool_:
                items.append(("bool", int(k.item())))
            elif k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            else:
                items.append(("int", int(k.item())))  # PyTorch selects with it: a view
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

    def width(kind: str, k: Any) -> int:  # how many dimensions an item indexes
        if kind == "mask":
            return len(k[1])
        return 0 if kind in ("new", "...", "bool") else 1

    specified = sum(width(kind, k) for kind, k in items)
    if specified > tensor.dim():
        raise IndexError(f"too many indices for tensor of dimension {tensor.dim()}")
    # Each ... skips the dimensions the other items leave, as PyTorch's does: so a second one
    # skips past the end
    items = [(kind, tensor.dim() - specified if kind == "..." else k) for kind, k in items]
    result: list[tuple[str, Any]] = []
    for kind, k in items:
        if kind == "mask":
            at = sum(n if kd == "..." else width(kd, n) for kd, n in result)
            result.extend(_mask_arrays(tensor, k[0], k[1], at))
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
