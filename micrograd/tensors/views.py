"""Views, as methods of Tensor: ``reshape``, ``permute``, ``movedim``, ``transpose``, ``squeeze``,
``expand``, ``diagonal``...

A view holds the same Value objects as its source under another shape or order: no new
scalar nodes, so the gradient reaching a view element is the gradient of the source element.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..core.errors import NotSupported
from .shapes import (
    broadcast_index,
    broadcast_shapes,
    checked_sizes,
    normalize_dim,
    require_int_dims,
    strides_of,
)


if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


class ViewMethods:
    """The views of Tensor (a part of the class, kept in a module of its own)."""

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in another shape (one size may be -1: inferred)."""
        if not shape:
            raise TypeError("reshape() missing 1 required positional argument: 'shape'")
        shape = (
            list(shape[0])
            if len(shape) == 1 and isinstance(shape[0], (tuple, list))
            else list(shape)
        )
        checked_sizes(shape, "reshape()", infer=True)
        if shape.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        known = math.prod(s for s in shape if s != -1)
        if -1 in shape:
            if known == 0 or self.numel() % known:
                raise RuntimeError(f"shape '{shape}' is invalid for input of size {self.numel()}")
            shape[shape.index(-1)] = self.numel() // known
        if math.prod(shape) != self.numel():
            raise RuntimeError(f"shape '{shape}' is invalid for input of size {self.numel()}")
        return self._same_values(tuple(shape), "ViewBackward0", "view")

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions start_dim..end_dim merged into one."""
        require_int_dims("flatten()", start_dim, end_dim)
        start, end = normalize_dim(start_dim, self.dim()), normalize_dim(end_dim, self.dim())
        if self.dim() <= 1:
            return self if self.dim() == 1 else self.reshape(1)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = (
            self._shape[:start]
            + (math.prod(self._shape[start : end + 1]),)
            + self._shape[end + 1 :]
        )
        return self.reshape(shape)

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered: result[i₀, i₁...] = self[i at dims...]."""
        dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        if not dims:
            raise TypeError("permute() missing 1 required positional argument: 'dims'")
        require_int_dims("permute()", *dims)
        if len(dims) != self.dim():
            raise RuntimeError(
                f"permute(): the tensor has {self.dim()} dimensions but {len(dims)} were given "
                f"({dims}): give each dimension once"
            )
        seen: list[int] = []
        for d in dims:  # one by one, as PyTorch checks them
            d = normalize_dim(d, self.dim())
            if d in seen:
                raise RuntimeError(
                    f"permute(): duplicate dims are not allowed: {dims} gives dimension {d} twice"
                )
            seen.append(d)
        dims = tuple(seen)
        return self._reorder(dims, "PermuteBackward0", "permute")

    def _reorder(self, dims: tuple, name: str, op: str) -> Tensor:
        shape = tuple(self._shape[d] for d in dims)
        strides = strides_of(self._shape)
        index = [0]
        for d in dims:
            index = [i + k * strides[d] for i in index for k in range(self._shape[d])]
        return self._same_values(shape, name, op, [self._values[i] for i in index])

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Dimensions dim0 and dim1 swapped."""
        require_int_dims("transpose()", dim0, dim1)
        dims = list(range(self.dim()))
        a, b = normalize_dim(dim0, self.dim()), normalize_dim(dim1, self.dim())
        dims[a], dims[b] = dims[b], dims[a]
        return self._reorder(tuple(dims), "TransposeBackward0", "transpose")

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-D or 1-D tensor stays as it is)."""
        if self.dim() > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.dim()}D"
            )
        return self._reorder(tuple(reversed(range(self.dim()))), "TBackward0", "t")

    def unsqueeze(self, dim: int) -> Tensor:
        """A new dimension of size 1 at `dim`."""
        d = normalize_dim(dim, self.dim() + 1)
        return self._same_values(
            self._shape[:d] + (1,) + self._shape[d:], "UnsqueezeBackward0", "unsqueeze"
        )

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Dimensions of size 1 removed (all, or only `dim`)."""
        if dim is None:
            return self._same_values(
                tuple(s for s in self._shape if s != 1), "SqueezeBackward0", "squeeze"
            )
        d = normalize_dim(dim, self.dim())
        shape = self._shape[:d] + self._shape[d + 1 :] if self._shape[d] == 1 else self._shape
        return self._same_values(shape, "SqueezeBackward1", "squeeze")

    def expand(self, *shape: Any) -> Tensor:
        """Size-1 dimensions repeated to `shape` (broadcasting): gradients sum back."""
        if not shape:
            raise TypeError("expand() missing 1 required positional argument: 'size'")
        shape = (
            list(shape[0])
            if len(shape) == 1 and isinstance(shape[0], (tuple, list))
            else list(shape)
        )
        checked_sizes(shape, "expand()", infer=True)
        new = len(shape) - self.dim()  # leading dimensions that are new
        for at, size in enumerate(shape):
            if size == -1:  # -1: keep this dimension's size
                if at < new:
                    raise RuntimeError(
                        f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                        f"non-existing dimension {at}"
                    )
                shape[at] = self._shape[at - new]
        target = broadcast_shapes(self._shape, shape)
        if target != tuple(shape):
            raise RuntimeError(
                f"The expanded size of the tensor ({shape}) must match the existing size "
                f"({list(self._shape)}) at non-singleton dimensions"
            )
        return self._same_values(
            target,
            "ExpandBackward0",
            "expand",
            [self._values[i] for i in broadcast_index(self._shape, target)],
        )

    def expand_as(self, other: Any) -> Tensor:
        """Expanded to other's shape: ``self.expand(other.shape)``."""
        return self.expand(tuple(other.shape))

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Dimensions `source` moved to positions `destination` (ints or sequences), the rest in order."""
        sources = [source] if isinstance(source, int) else list(source)
        targets = [destination] if isinstance(destination, int) else list(destination)
        if len(sources) != len(targets):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({sources} dims) should contain "
                f"the same number of dims as destination ({targets} dims)"
            )
        require_int_dims("movedim()", *sources, *targets)
        sources = [normalize_dim(d, self.dim()) for d in sources]
        targets = [normalize_dim(d, self.dim()) for d in targets]
        rest = iter(d for d in range(self.dim()) if d not in sources)
        placed = dict(zip(targets, sources))
        return self._reorder(
            tuple(placed[i] if i in placed else next(rest) for i in range(self.dim())),
            "PermuteBackward0",
            "movedim",
        )

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The elements aᵢ,ᵢ₊ₒ (offset o) of a matrix, as a view: ∂ reaches only those elements."""
        if self.dim() != 2 or {normalize_dim(dim1, 2), normalize_dim(dim2, 2)} != {0, 1}:
            raise NotSupported(
                f"diagonal() of a {self.dim()}-D tensor or over dims ({dim1}, {dim2}) is not supported: "
                "micrograd takes the diagonal of a matrix"
            )
        rows, cols = self._shape if normalize_dim(dim1, 2) == 0 else self._shape[::-1]
        strides = (cols, 1) if normalize_dim(dim1, 2) == 0 else (1, rows)
        start = (0, offset) if offset >= 0 else (-offset, 0)
        count = max(0, min(rows - start[0], cols - start[1]))
        return self._same_values(
            (count,),
            "DiagonalBackward0",
            "diagonal",
            [
                self._values[(start[0] + i) * strides[0] + (start[1] + i) * strides[1]]
                for i in range(count)
            ],
        )
