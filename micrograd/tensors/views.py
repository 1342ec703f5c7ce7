"""Views, as methods of Tensor: ``view``, ``reshape``, ``permute``, ``transpose``, ``squeeze``,
``unsqueeze``, ``expand``, ``diagonal``, ``select``, ``narrow``, ``unbind``, ``split``, ``chunk``...

A view is a tensor on the same storage with other strides (``storage.py``): no element is
copied, so a write through a view is seen by its base and the gradient reaching a view
element is the gradient of the base's element.  ``reshape`` (and ``flatten``) is a view when
strides can show the new shape, else a copy, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

from .shapes import checked_sizes, normalize_dim, require_int_dims
from .storage import view_strides

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


def sizes_argument(shape: tuple, what: str) -> list:
    """f(2, 3), f((2, 3)) or f([2, 3]) as a list of sizes."""
    if not shape:
        raise TypeError(f"{what}() missing 1 required positional argument: 'shape'")
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return list(shape[0])
    return list(shape)


def dims_argument(dims: tuple) -> tuple:
    """f(0, 1) or f((0, 1)) as a tuple of dims."""
    return tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims


class ViewMethods:
    """The views of Tensor (a part of the class, kept in a module of its own)."""

    def _inferred_shape(self, sizes: list, what: str) -> tuple[int, ...]:
        """`sizes` with a -1 replaced by what the number of elements leaves for it."""
        checked_sizes(sizes, f"{what}()", infer=True)
        if sizes.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        known = math.prod(s for s in sizes if s != -1)
        if -1 in sizes:
            if known == 0 or self.numel() % known:
                raise RuntimeError(f"shape '{sizes}' is invalid for input of size {self.numel()}")
            sizes[sizes.index(-1)] = self.numel() // known
        if math.prod(sizes) != self.numel():
            raise RuntimeError(f"shape '{sizes}' is invalid for input of size {self.numel()}")
        return tuple(sizes)

    def view(self, *shape: Any) -> Tensor:
        """The same elements under another shape (one size may be -1: inferred); refused when
        no strides can show it (after a transpose, for instance): then use reshape."""
        new = self._inferred_shape(sizes_argument(shape, "view"), "view")
        strides = view_strides(self._shape, self._strides, new)
        if strides is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            )
        return self._view(new, strides, self._offset, "ViewBackward0", "view")

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in another shape: a view if strides can show it, else a copy."""
        new = self._inferred_shape(sizes_argument(shape, "reshape"), "reshape")
        strides = view_strides(self._shape, self._strides, new)
        if strides is None:
            return self._copy_of(self._values, new, "UnsafeViewBackward0", "reshape")
        if self.is_contiguous():
            return self._view(new, strides, self._offset, "ViewBackward0", "view")
        # a view all the same, which PyTorch makes with _reshape_alias
        return self._view(new, strides, self._offset, "ReshapeAliasBackward0", "reshape")

    def view_as(self, other: Any) -> Tensor:
        """``self.view(other.shape)``."""
        return self.view(tuple(other.shape))

    def reshape_as(self, other: Any) -> Tensor:
        """``self.reshape(other.shape)``."""
        return self.reshape(tuple(other.shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions start_dim..end_dim merged into one (the tensor itself if nothing merges)."""
        require_int_dims("flatten()", start_dim, end_dim)
        start, end = normalize_dim(start_dim, self.dim()), normalize_dim(end_dim, self.dim())
        if self.dim() == 0:
            return self.reshape(1)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:
            return self
        shape = self._shape[:start] + (math.prod(self._shape[start : end + 1]),)
        return self.reshape(shape + self._shape[end + 1 :])

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered: result[i₀, i₁...] = self[i at dims...]."""
        if not dims:  # even for a 0-dim tensor, which takes permute(())
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        dims = dims_argument(dims)
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
        return self._reorder(tuple(seen), "PermuteBackward0", "permute")

    def _reorder(self, dims: Sequence[int], name: str, op: str) -> Tensor:
        """The view whose dimension i is self's dimension dims[i]."""
        shape = [self._shape[d] for d in dims]
        strides = [self._strides[d] for d in dims]
        return self._view(shape, strides, self._offset, name, op)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Dimensions dim0 and dim1 swapped."""
        require_int_dims("transpose()", dim0, dim1)
        a, b = normalize_dim(dim0, self.dim()), normalize_dim(dim1, self.dim())
        dims = list(range(self.dim()))
        if dims:
            dims[a], dims[b] = dims[b], dims[a]
        return self._reorder(dims, "TransposeBackward0", "transpose")

    swapaxes = swapdims = transpose

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-D or 1-D tensor stays as it is)."""
        if self.dim() > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.dim()}D"
            )
        return self._reorder(tuple(reversed(range(self.dim()))), "TBackward0", "t")

    @property
    def T(self) -> Tensor:
        """The dimensions in reverse order (the transpose of a matrix)."""
        return self.permute(tuple(reversed(range(self.dim()))))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of matrices transposed)."""
        if self.dim() < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices.")
        return self.transpose(-2, -1)

    def unsqueeze(self, dim: int) -> Tensor:
        """A new dimension of size 1 at `dim`."""
        d = normalize_dim(dim, self.dim() + 1)
        inner = self._strides[d] * self._shape[d] if d < self.dim() else 1
        shape = self._shape[:d] + (1,) + self._shape[d:]
        strides = self._strides[:d] + (inner,) + self._strides[d:]
        return self._view(shape, strides, self._offset, "UnsqueezeBackward0", "unsqueeze")

    def squeeze(self, dim: Any = None) -> Tensor:
        """Dimensions of size 1 removed (all, or only those in `dim`)."""
        if dim is None:
            drop, name = [d for d, s in enumerate(self._shape) if s == 1], "SqueezeBackward0"
        elif isinstance(dim, (tuple, list)):
            listed = [normalize_dim(d, self.dim()) for d in dim]
            dims = set(listed)
            if len(dims) != len(listed):
                twice = next(d for d in listed if listed.count(d) > 1)
                raise RuntimeError(f"dim {twice} appears multiple times in the list of dims")
            drop, name = [d for d in dims if self.dim() and self._shape[d] == 1], "SqueezeBackward2"
        else:
            d = normalize_dim(dim, self.dim())
            drop, name = ([d] if self.dim() and self._shape[d] == 1 else []), "SqueezeBackward1"
        keep = [d for d in range(self.dim()) if d not in drop]
        return self._view(
            [self._shape[d] for d in keep],
            [self._strides[d] for d in keep],
            self._offset,
            name,
            "squeeze",
        )

    def expand(self, *shape: Any) -> Tensor:
        """Size-1 dimensions repeated to `shape` (broadcasting, with stride 0): gradients sum
        back."""
        if not shape:
            raise TypeError("expand() missing 1 required positional argument: 'size'")
        shape = sizes_argument(shape, "expand")
        checked_sizes(shape, "expand()", infer=True)
        new = len(shape) - self.dim()  # leading dimensions that are new
        if new < 0:
            raise RuntimeError(
                f"expand(torch.FloatTensor{{{list(self._shape)}}}, size={shape}): the number of "
                f"sizes provided ({len(shape)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({self.dim()})"
            )
        for at, size in enumerate(shape):
            if size == -1:  # -1: keep this dimension's size
                if at < new:
                    raise RuntimeError(
                        f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                        f"non-existing dimension {at}"
                    )
                shape[at] = self._shape[at - new]
        for at, (size, target) in enumerate(zip(self._shape, shape[new:]), new):
            if size != target and size != 1:
                raise RuntimeError(  # PyTorch's words
                    f"The expanded size of the tensor ({target}) must match the existing size "
                    f"({size}) at non-singleton dimension {at}.  Target sizes: {list(shape)}.  "
                    f"Tensor sizes: {list(self._shape)}"
                )
        strides = [0] * new + [
            stride if size == target else 0
            for size, stride, target in zip(self._shape, self._strides, shape[new:])
        ]
        return self._view(shape, strides, self._offset, "ExpandBackward0", "expand")

    def expand_as(self, other: Any) -> Tensor:
        """Expanded to other's shape: ``self.expand(other.shape)``."""
        return self.expand(tuple(other.shape))

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Dimensions `source` moved to positions `destination` (ints or sequences), the rest in
        order."""
        sources = [source] if isinstance(source, int) else list(source)
        targets = [destination] if isinstance(destination, int) else list(destination)
        if len(sources) != len(targets):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({sources} dims) should "
                f"contain the same number of dims as destination ({targets} dims)"
            )
        require_int_dims("movedim()", *sources, *targets)
        sources = [normalize_dim(d, self.dim()) for d in sources]
        targets = [normalize_dim(d, self.dim()) for d in targets]
        for what, dims in (("source", sources), ("destination", targets)):
            if len(set(dims)) != len(dims):
                raise RuntimeError(f"movedim: repeated dim in `{what}` ({dims})")
        if self.dim() == 0:  # nothing to move: PyTorch returns an alias
            return self._view(self._shape, self._strides, self._offset, "AliasBackward0", "alias")
        rest = iter(d for d in range(self.dim()) if d not in sources)
        placed = dict(zip(targets, sources))
        return self._reorder(
            [placed[i] if i in placed else next(rest) for i in range(self.dim())],
            "PermuteBackward0",
            "movedim",
        )

    moveaxis = movedim

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The elements aᵢ,ᵢ₊ₒ (offset o) of dims dim1 and dim2, as a view (a last dimension)."""
        # Two different dims in range exist only from 2 dimensions on, so the dims' checks are
        # the errors PyTorch gives a 0-dim or 1-dim tensor.
        d1, d2 = normalize_dim(dim1, self.dim()), normalize_dim(dim2, self.dim())
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        start = self._offset + (
            offset * self._strides[d2] if offset >= 0 else -offset * self._strides[d1]
        )
        if offset >= 0:
            count = max(0, min(self._shape[d1], self._shape[d2] - offset))
        else:
            count = max(0, min(self._shape[d1] + offset, self._shape[d2]))
        if count == 0:
            start = self._offset
        keep = [d for d in range(self.dim()) if d not in (d1, d2)]
        return self._view(
            [self._shape[d] for d in keep] + [count],
            [self._strides[d] for d in keep] + [self._strides[d1] + self._strides[d2]],
            start,
            "DiagonalBackward0",
            "diagonal",
        )

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at `index` along `dim`, that dimension removed (``t[:, index]``)."""
        if self.dim() == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d = normalize_dim(dim, self.dim())
        size = self._shape[d]
        if not -size <= index < size:
            raise IndexError(
                f"select(): index {index} out of range for tensor of size "
                f"{list(self._shape)} at dimension {d}"
            )
        return self._picked(d, index % size, "SelectBackward0", "select")

    def _picked(self, d: int, index: int, name: str, op: str, multi: str = "") -> Tensor:
        """The view at `index` along dimension d, that dimension removed."""
        return self._view(
            self._shape[:d] + self._shape[d + 1 :],
            self._strides[:d] + self._strides[d + 1 :],
            self._offset + index * self._strides[d],
            name,
            op,
            multi,
        )

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """Elements start..start+length-1 along `dim`, as a view."""
        if self.dim() == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        d = normalize_dim(dim, self.dim())
        size = self._shape[d]
        if not -size <= start <= size:
            raise IndexError(
                f"start out of range (expected to be in range of [{-size}, {size}], but got "
                f"{start})"
            )
        if start < 0:
            start += size
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if start + length > size:
            raise RuntimeError(
                f"start ({start}) + length ({length}) exceeds dimension size ({size})."
            )
        return self._sliced(d, start, length, 1, "SliceBackward0", "narrow")

    def _sliced(
        self, d: int, start: int, length: int, step: int, name: str, op: str, multi: str = ""
    ) -> Tensor:
        """The view of `length` elements from `start` by `step` along dimension d."""
        shape = self._shape[:d] + (length,) + self._shape[d + 1 :]
        strides = self._strides[:d] + (self._strides[d] * step,) + self._strides[d + 1 :]
        offset = self._offset + start * self._strides[d] if length else self._offset
        return self._view(shape, strides, offset, name, op, multi)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along `dim`, each a view (writing into them in place is refused when they
        require grad, as in PyTorch)."""
        if self.dim() == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        d = normalize_dim(dim, self.dim())
        return tuple(
            self._picked(d, i, "UnbindBackward0", "unbind", f"Output {i} of Unbind")
            for i in range(self._shape[d])
        )

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces along `dim`: of split_size each (the last may be smaller), or of the sizes
        in a list; each a view."""
        if self.dim() == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        d = normalize_dim(dim, self.dim())
        size = self._shape[d]
        if isinstance(split_size_or_sections, (list, tuple)):
            sizes = list(split_size_or_sections)
            if any(s < 0 for s in sizes):
                raise RuntimeError(
                    "split_with_sizes expects split_sizes have only non-negative entries, but "
                    f"got split_sizes={sizes}"
                )
            if sum(sizes) != size:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                    f"tensor's size at dimension {d}), but got split_sizes={sizes}"
                )
            name, multi = "SplitWithSizesBackward0", "SplitWithSizes"
        else:
            step = split_size_or_sections
            if step < 0:
                raise RuntimeError(
                    f"split expects split_size be non-negative, but got split_size={step}"
                )
            if step == 0 and size:
                raise RuntimeError(
                    "split_size can only be 0 if dimension size is 0, but got dimension size "
                    f"of {size}"
                )
            # At least one piece, as PyTorch gives: an empty dimension splits into one empty piece
            sizes = [min(step, size - s) for s in range(0, size, step)] if step else []
            sizes = sizes or [size]
            name, multi = "SplitBackward0", "Split"
        pieces, start = [], 0
        for i, length in enumerate(sizes):
            pieces.append(
                self._sliced(d, start, length, 1, name, "split", f"Output {i} of {multi}")
            )
            start += length
        return tuple(pieces)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """`chunks` pieces (or fewer) of equal size along `dim`, the last possibly smaller."""
        if self.dim() == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
        d = normalize_dim(dim, self.dim())
        if self._shape[d] == 0:  # empty: `chunks` empty pieces, as PyTorch's split_with_sizes
            return self.split([0] * chunks, d)
        return self.split(-(-self._shape[d] // chunks), d)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Dimension `dim` split into `sizes` (one may be -1)."""
        d = normalize_dim(dim, self.dim())
        sizes = list(sizes)
        if -1 in sizes:
            known = math.prod(s for s in sizes if s != -1)
            sizes[sizes.index(-1)] = self._shape[d] // known if known else 0
        if math.prod(sizes) != self._shape[d]:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                f"{dim} ({self._shape[d]}) in the input tensor"
            )
        return self.view(self._shape[:d] + tuple(sizes) + self._shape[d + 1 :])
