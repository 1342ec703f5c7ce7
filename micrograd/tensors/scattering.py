"""Reading and writing along a dimension by an index tensor, as methods of Tensor: ``gather``,
``scatter``, ``scatter_add``, ``index_add``, ``index_copy``, ``index_fill``, ``masked_fill``
and their in-place forms (``scatter_``...).

Each is an operation on the elements: ``out = x.gather(1, i)`` is ``out[a][b] = x[a][i[a][b]]``,
a copy of the chosen Value (∂out/∂x = 1 there, 0 elsewhere); ``x.index_add(0, i, s)`` is
``out[i[k]] = x[i[k]] + s[k]``, Values added in the graph.  The in-place forms compute the
result out of place and store it (``inplace.py``), so they follow the version counter rules
of every in-place operation.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..core.errors import NotSupported
from ..core.value import Value
from .dtypes import SCALAR_TYPE_NAMES, bool_, cast_number, int32, int64, scalar_argument
from .elements import copies, element_values
from .shapes import broadcast_shapes, normalize_dim

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor

Combine = Callable[[Value, Value], Value]


def _offsets(shape: Sequence[int]) -> list[tuple[int, ...]]:
    """Every multi-index of `shape`, in row-major order."""
    return list(itertools.product(*(range(n) for n in shape)))


def _flat(shape: Sequence[int], index: Sequence[int]) -> int:
    """The row-major position of a multi-index."""
    position = 0
    for n, i in zip(shape, index):
        position = position * n + i
    return position


def _index_numbers(
    index: Any, name: str, message: str | None = None, error: type = RuntimeError
) -> list[int]:
    """The integers of an int64 index tensor, or PyTorch's error for another dtype."""
    if getattr(index, "dtype", None) is not int64 and not gathers_int32(index, name):
        raise error(message or f"{name}(): Expected dtype int32/int64 for index")
    return [v.data for v in index._values]


def gathers_int32(index: Any, name: str) -> bool:
    """An int32 index, which PyTorch takes where its message says int32/int64 (not index_fill)."""
    return getattr(index, "dtype", None) is int32 and name != "index_fill_"


def _broadcast(first: Any, second: Any) -> tuple[int, ...]:
    """The broadcast shape of two tensors, or PyTorch's words for why there is none."""
    try:
        return broadcast_shapes(first.shape, second.shape)
    except RuntimeError as error:
        words = str(error).split(": ", 1)[-1]
        raise RuntimeError(words[0].upper() + words[1:]) from None


def _check_bounds(i: int, size: int, dim: int, prefix: str, error: type) -> int:
    """i as an index into a dimension of `size` (negative counts from the end, as PyTorch's
    index_* functions take it), or PyTorch's out-of-bounds error."""
    if not -size <= i < size:
        raise error(f"{prefix}index {i} is out of bounds for dimension {dim} with size {size}")
    return i % size


def _number_value(value: Any, kind: Any) -> Value:
    """A number argument (scatter's value, index_fill's) as a constant element of `kind`."""
    return element_values([cast_number(scalar_argument(value, kind), kind)], kind)[0]


def _added(kind: Any, alpha: Any) -> Combine:
    """old + alpha·new, in the graph for floats; exact numbers for an integer dtype."""
    if kind.is_floating_point:
        return lambda old, new: old + new * alpha if alpha != 1 else old + new
    return lambda old, new: element_values([cast_number(old.data + new.data * alpha, kind)], kind)[
        0
    ]


class ScatteringMethods:
    """gather, scatter, index_add... of Tensor (a part of the class, in a module of its own)."""

    def _written(
        self,
        writes: list[tuple[int, Value]],
        combine: Combine | None,
        name: str,
        parents: tuple,
    ) -> Tensor:
        """A copy of self with each (position, value) of `writes` put in, in order: replacing
        the element (`combine` None) or combined with it (``combine(old, value)``)."""
        values = copies(self.contiguous()._values)
        for position, v in writes:
            values[position] = v if combine is None else combine(values[position], v)
        fresh = copies(values)  # new Values: the result never shares an element with an input
        return self._result(fresh, self.shape, name, name, parents)

    # --- gather and scatter ------------------------------------------------------------------
    def _along(self, dim: int, index: Any, name: str, src: Any = None) -> list[tuple]:
        """(index position, the position of self it names) for gather and scatter, with
        PyTorch's checks of the index's dtype, dimensions, size and numbers."""
        numbers = _index_numbers(index, name)
        if self.dim() != index.dim() and index.numel():
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as "
                f"{'input' if name == 'gather' else 'self'} tensor"
            )
        dim = normalize_dim(dim, self.dim())
        too_large = any(i > s for d, (i, s) in enumerate(zip(index.shape, self.shape)) if d != dim)
        if too_large or (src is not None and any(i > s for i, s in zip(index.shape, src.shape))):
            shapes = f"index {list(index.shape)} to be no larger than self {list(self.shape)}"
            text = f"Expected {shapes} apart from dimension {dim}"
            if src is not None:
                text += f" and to be no larger size than src {list(src.shape)}"
            if name == "gather":
                first = next(d for d, (i, s) in enumerate(zip(index.shape, self.shape)) if i > s)
                text = f"Size does not match at dimension {first} expected " + text[9:]
            raise RuntimeError(text)
        pairs = []
        for where, i in zip(_offsets(index.shape), numbers):
            size = self.shape[dim] if self.dim() else 1
            if not 0 <= i < size:
                raise RuntimeError(
                    f"index {i} is out of bounds for dimension {dim} with size {size}"
                )
            target = list(where)
            if self.dim():
                target[dim] = i
            pairs.append((where, _flat(self.shape, target)))
        return pairs

    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False, **kw: Any) -> Tensor:
        """``out[a][b] = self[a][index[a][b]]`` for dim 1 (the index's own position in every
        other dimension); the gradient goes back to the chosen elements (summed for repeats)."""
        _refuse_out("gather", kw)
        if sparse_grad:
            raise NotSupported("gather(sparse_grad=True): micrograd has no sparse gradients")
        pairs = self._along(dim, index, "gather")
        mine = self.contiguous()._values
        chosen = [mine[position] for _, position in pairs]
        return self._copy_of(chosen, index.shape, "GatherBackward0", "gather")

    def scatter(
        self, dim: int, index: Any, src: Any = None, value: Any = None, *, reduce: Any = None
    ) -> Tensor:
        """A copy of self with ``out[index[a][b]][b] = src[a][b]`` for dim 0 (or the number
        `value` there); where the index repeats a position, the last write stays."""
        if reduce is not None:
            raise NotSupported(
                "scatter(..., reduce=...) is deprecated in PyTorch and not in micrograd: use "
                "scatter_add (reduce='add') or compute the product out of place"
            )
        if src is None:
            src = value
        if not hasattr(src, "_values"):
            pairs = self._along(dim, index, "scatter")
            v = _number_value(src, self._dtype)
            writes = [(position, v) for _, position in pairs]
            return self._written(writes, None, "ScatterBackward1", (self,))
        return self._scattered(dim, index, src, None, "ScatterBackward0", "scatter")

    def _scattered(
        self, dim: int, index: Any, src: Any, combine: Combine | None, node: str, name: str
    ) -> Tensor:
        if src.dtype is not self._dtype:
            raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
        pairs = self._along(dim, index, name, src)
        theirs = src.contiguous()._values
        writes = [(position, theirs[_flat(src.shape, where)]) for where, position in pairs]
        return self._written(writes, combine, node, (self, src))

    def scatter_add(self, dim: int, index: Any, src: Any) -> Tensor:
        """A copy of self with ``out[index[a][b]][b] += src[a][b]`` for dim 0 (repeats add up)."""
        added = _added(self._dtype, 1)
        return self._scattered(dim, index, src, added, "ScatterAddBackward0", "scatter_add")

    def scatter_(self, dim: int, index: Any, src: Any = None, value: Any = None, **kw: Any) -> Any:
        """scatter, in place."""
        return self._in_place(lambda: self.scatter(dim, index, src, value, **kw), operand=src)

    def scatter_add_(self, dim: int, index: Any, src: Any) -> Tensor:
        """scatter_add, in place."""
        return self._in_place(lambda: self.scatter_add(dim, index, src), operand=src)

    # --- index_add, index_copy, index_fill ------------------------------------------------------
    def _slices(self, dim: int, index: Any, name: str, source: Any = None) -> list[list[int]]:
        """For each number k of a vector index, the positions of self's slice ``index[k]``
        along `dim`, with PyTorch's checks."""
        kind = SCALAR_TYPE_NAMES.get(getattr(index, "dtype", None), "")
        if name == "index_fill_":
            message = "index_fill_(): Expected dtype int64 for index."
            numbers = _index_numbers(index, name, message, IndexError)
        else:
            numbers = _index_numbers(
                index, name, f"{name}(): Expected dtype int32/int64 for index but got: {kind}"
            )
        if index.dim() > 1:
            raise IndexError(
                f"{name}(): Index is supposed to be a vector, but got dim: {index.dim()} with "
                f"type: {kind} and size: {list(index.shape)}"
            )
        dim = normalize_dim(dim, self.dim())
        shape = tuple(self.shape) or (1,)
        if source is not None:
            self._check_source(dim, len(numbers), source, name)
        prefix = "index_copy_(): " if name == "index_copy_" else ""
        error = RuntimeError if name == "index_add_" else IndexError
        rows = []
        for i in numbers:
            i = _check_bounds(i, shape[dim], dim, prefix, error)
            rest = [range(n) for n in shape]
            rest[dim] = range(i, i + 1)
            rows.append([_flat(shape, p) for p in itertools.product(*rest)])
        return rows

    def _check_source(self, dim: int, count: int, source: Any, name: str) -> None:
        if source.dtype is not self._dtype:
            raise RuntimeError(
                f"{name}(): self ({SCALAR_TYPE_NAMES[self._dtype]}) and source "
                f"({SCALAR_TYPE_NAMES[source.dtype]}) must have the same scalar type"
            )
        mine, theirs = list(self.shape) or [1], list(source.shape) or [1]
        if (
            name == "index_copy_"
            and mine[dim + 1 :] + mine[:dim] != theirs[dim + 1 :] + theirs[:dim]
        ):
            raise RuntimeError(
                "index_copy_(): Source/destination tensor must have same slice shapes. "
                f"Destination slice shape: {_slice_text(mine, dim)} at dimension {dim} and "
                f"source slice shape: {_slice_text(theirs, dim)} at dimension {dim}."
            )
        if [n for d, n in enumerate(mine) if d != dim] != [
            n for d, n in enumerate(theirs) if d != dim
        ]:
            raise RuntimeError(
                "source tensor shape must match self tensor shape, excluding the specified "
                f"dimension. Got self.shape = {list(self.shape)} source.shape = "
                f"{list(source.shape)}"
            )
        if theirs[dim] != count:
            raise RuntimeError(
                f"{name}(): Number of indices ({count}) should be equal to source.size(dim): "
                f"({theirs[dim]}), for dim: {dim}"
            )

    def _indexed(self, dim: int, index: Any, source: Any, combine: Any, name: str) -> Tensor:
        """index_add and index_copy: source's slice k written into self's slice index[k]."""
        rows = self._slices(dim, index, f"{name}_", source)
        theirs = source.contiguous()._values
        dim = normalize_dim(dim, self.dim())
        shape = list(source.shape) or [1]
        writes = []
        for k, row in enumerate(rows):
            rest = [range(n) for n in shape]
            rest[dim] = range(k, k + 1)
            slice_ = [theirs[_flat(shape, p)] for p in itertools.product(*rest)]
            writes.extend(zip(row, slice_))
        node = "IndexAddBackward0" if name == "index_add" else "IndexCopyBackward0"
        return self._written(writes, combine, node, (self, source))

    def index_add(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """A copy of self with ``out[index[k]] += alpha · source[k]`` along `dim`."""
        return self._indexed(dim, index, source, _added(self._dtype, alpha), "index_add")

    def index_add_(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """index_add, in place."""
        return self._in_place(
            lambda: self.index_add(dim, index, source, alpha=alpha), operand=source
        )

    def index_copy(self, dim: int, index: Any, source: Any) -> Tensor:
        """A copy of self with ``out[index[k]] = source[k]`` along `dim`."""
        return self._indexed(dim, index, source, None, "index_copy")

    def index_copy_(self, dim: int, index: Any, source: Any) -> Tensor:
        """index_copy, in place."""
        return self._in_place(lambda: self.index_copy(dim, index, source), operand=source)

    def index_fill(self, dim: int, index: Any, value: Any) -> Tensor:
        """A copy of self with every element of the slices ``index[k]`` along `dim` set to
        `value` (a number, or a 0-dimensional tensor whose gradient is their sum)."""
        rows = self._slices(dim, index, "index_fill_")
        if hasattr(value, "_values"):
            if value.dim():
                raise RuntimeError(
                    "index_fill_ only supports a 0-dimensional value tensor, but got tensor "
                    f"with {value.dim()} dimension(s)."
                )
            v, name, parents = value._values[0], "IndexFillBackward1", (self, value)
        else:
            v, name, parents = _number_value(value, self._dtype), "IndexFillBackward0", (self,)
        return self._written([(p, v) for row in rows for p in row], None, name, parents)

    def index_fill_(self, dim: int, index: Any, value: Any) -> Tensor:
        """index_fill, in place."""
        return self._in_place(lambda: self.index_fill(dim, index, value), operand=value)

    # --- masked_fill ------------------------------------------------------------------------
    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """A copy of self (broadcast with `mask`) with `value` where the bool `mask` is True;
        `value` is a number or a 0-dimensional tensor (whose gradient is the masked count)."""
        if getattr(mask, "dtype", None) is not bool_:
            kind = getattr(mask, "dtype", None)
            raise RuntimeError(
                "masked_fill_ only supports boolean masks, but got mask with dtype "
                f"{MASK_DTYPE_NAMES.get(getattr(kind, 'name', ''), kind)}"
            )
        shape = _broadcast(mask, self)
        me = self.expand(shape) if tuple(shape) != tuple(self.shape) else self
        if hasattr(value, "_values"):
            if value.dim():
                raise RuntimeError(
                    "masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                    f"with {value.dim()} dimension(s)."
                )
            v, name, parents = value._values[0], "MaskedFillBackward1", (me, value)
            if not value.dtype.is_floating_point and self._dtype.is_floating_point:
                v = _number_value(v.data, self._dtype)
        else:
            v, name, parents = _number_value(value, self._dtype), "MaskedFillBackward0", (me,)
        flags = mask.expand(shape).contiguous()._values
        writes = [(p, v) for p, flag in enumerate(flags) if flag.data]
        return me._written(writes, None, name, parents)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """masked_fill, in place (the mask broadcasts to self's shape)."""
        if hasattr(mask, "shape"):
            _broadcast(self, mask)  # PyTorch names self first here, mask first out of place
        return self._in_place(lambda: self.masked_fill(mask, value), operand=value)


MASK_DTYPE_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int"}
"""The C++ names PyTorch's masked_fill error gives a mask's dtype."""


def _slice_text(shape: list[int], dim: int) -> str:
    """PyTorch's words for a slice shape: the sizes of the other dimensions."""
    rest = [n for d, n in enumerate(shape) if d != dim]
    return " ".join(str(n) for n in rest) if rest else "1"


def _refuse_out(name: str, kw: dict) -> None:
    if "out" in kw:
        raise NotSupported(f"torch.{name}(..., out=...) is not supported: use the result")
    if kw:
        raise TypeError(f"{name}() got unexpected keyword arguments {sorted(kw)}")
