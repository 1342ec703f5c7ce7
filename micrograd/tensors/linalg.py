"""Products of tensors, as methods of Tensor: ``dot``, ``mv``, ``mm``, ``bmm``, ``matmul`` (``@``,
batches too), and ``diag``.

Each entry of a product is a sum of products of Values, Σₖ aᵢₖ·bₖⱼ, so its gradient reaches
every factor by the product rule: ∂(a·b)/∂a = b.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable

from ..core.value import Value
from .dtypes import promote
from .shapes import broadcast_shapes
from .elements import copies
from .history import constant_value

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


def sum_of_products(pairs: Iterable[tuple[Value, Value]]) -> Value:
    """Σ aᵢ·bᵢ as a chain of Value operations (0.0 for no pairs)."""
    total = None
    for a, b in pairs:
        total = a * b if total is None else total + a * b
    return total if total is not None else constant_value(0.0)


def matrix_products(left: Tensor, right: Tensor) -> list[Value]:
    """The entries of the products of two batches of matrices of the same batch shape,
    (…, n, k) and (…, k, m): for each batch, row by row, Σₖ aᵢₖbₖⱼ (0 when k = 0)."""
    (n, k), m = left.shape[-2:], right.shape[-1]
    lv, rv = left._values, right._values
    values = []
    for b in range(math.prod(left.shape[:-2])):
        rows = [lv[(b * n + i) * k : (b * n + i + 1) * k] for i in range(n)]
        columns = [rv[b * k * m + j : (b + 1) * k * m : m] for j in range(m)]
        values += [sum_of_products(zip(row, column)) for row in rows for column in columns]
    return values


def matmul_grad_fn_name(a: Tensor, b: Tensor) -> str:
    """The grad_fn of a @ b beyond the 1-D and 2-D cases, as PyTorch 2.13 names it (whatever the
    operands' strides).  PyTorch multiplies (…, n, k) @ (k, m) as one mm of the batch folded
    into rows, and a matrix times a batch as the transpose of that, (bᵀ @ aᵀ)ᵀ, when the matrix
    requires grad: the result is then the transpose made contiguous, a copy (CloneBackward0)
    unless it already is (TransposeBackward0).  Everything else ends in a reshape:
    UnsafeViewBackward0."""
    a_shape, b_shape = tuple(a.shape), tuple(b.shape)
    if len(a_shape) == len(b_shape) == 3 and a_shape[0] != b_shape[0]:
        # a batch of one that requires grad is squeezed away, to multiply as above
        if a_shape[0] == 1 and a.requires_grad:
            a_shape = a_shape[1:]
        elif b_shape[0] == 1 and b.requires_grad:
            return "UnsafeViewBackward0"
    if len(a_shape) == 2 and len(b_shape) >= 3 and a.requires_grad:
        n, m = a_shape[0], b_shape[-1]
        contiguous = n == 1 or m == 1 or math.prod(b_shape[:-2]) * n * m == 0
        return "TransposeBackward0" if contiguous else "CloneBackward0"
    return "UnsafeViewBackward0"


class LinalgMethods:
    """The products of Tensor (a part of the class, kept in a module of its own)."""

    def dot(self, other: Any) -> Tensor:
        """⟨a, b⟩ = Σᵢ aᵢbᵢ for two 1-D tensors of the same length."""
        a, b = self, self._coerce(other)
        if a.dim() != 1 or b.dim() != 1:
            raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
        if a.numel() != b.numel():
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.numel()}] and src [{b.numel()}] to "
                "have the same number of elements, but got different sizes"
            )
        return a._result(
            [sum_of_products(zip(a._values, b._values))],
            (),
            "DotBackward0",
            "dot",
            (a, b),
            promote(a._dtype, b._dtype),
        )

    def mv(self, vec: Any) -> Tensor:
        """Matrix-vector product (m @ v)ᵢ = Σₖ mᵢₖvₖ."""
        m, v = self, self._coerce(vec)
        if m.dim() != 2 or v.dim() != 1 or m.shape[1] != v.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({tuple(m.shape)}), vec ({tuple(v.shape)}): cannot multiply"
            )
        rows, cols = m.shape
        values = [
            sum_of_products(zip(m._values[i * cols : (i + 1) * cols], v._values))
            for i in range(rows)
        ]
        return m._result(values, (rows,), "MvBackward0", "mv", (m, v), promote(m._dtype, v._dtype))

    def mm(self, mat2: Any) -> Tensor:
        """Matrix product (a @ b)ᵢⱼ = Σₖ aᵢₖbₖⱼ."""
        a, b = self, self._coerce(mat2)
        if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied "
                f"({'x'.join(map(str, a.shape))} and {'x'.join(map(str, b.shape))}): "
                f"matmul of {tuple(a.shape)} and {tuple(b.shape)}"
            )
        n, k = a.shape
        m = b.shape[1]
        columns = [b._values[j::m] for j in range(m)]
        values = [
            sum_of_products(zip(a._values[i * k : (i + 1) * k], columns[j]))
            for i in range(n)
            for j in range(m)
        ]
        return a._result(values, (n, m), "MmBackward0", "mm", (a, b), promote(a._dtype, b._dtype))

    def matmul(self, other: Any) -> Tensor:
        """a @ b: dot for 1-D·1-D, mv for 2-D·1-D, mm for 2-D·2-D, a row times a matrix for
        1-D·2-D, and batches of matrix products beyond (see _batched_matmul)."""
        a, b = self, self._coerce(other)
        if a.dim() == 0 or b.dim() == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.dim()}D and {b.dim()}D"
            )
        if a.dim() == 1 and b.dim() == 1:
            return a.dot(b)
        if a.dim() == 2 and b.dim() == 1:
            return a.mv(b)
        if a.dim() == 2 and b.dim() == 2:
            return a.mm(b)
        if a.dim() == 1 and b.dim() == 2:
            # PyTorch's a.unsqueeze(0).mm(b).squeeze_(0): squeezed in place, the product itself
            # (not a view of it) with the grad_fn SqueezeBackward4
            row = a.unsqueeze(0).mm(b)
            return row._result(
                list(row._values), row.shape[1:], "SqueezeBackward4", "squeeze", (row,), stored=True
            )
        return a._batched_matmul(b)

    def bmm(self, mat2: Any) -> Tensor:
        """Batches of matrix products, without broadcasting: (b, n, k) @ (b, k, m) → (b, n, m),
        (a @ b)ᵦᵢⱼ = Σₖ aᵦᵢₖbᵦₖⱼ."""
        a, b = self, self._coerce(mat2)
        if a.dim() != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if b.dim() != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if b.shape[0] != a.shape[0] or b.shape[1] != a.shape[2]:
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: "
                f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}]."
            )
        values = matrix_products(a, b)
        shape = (a.shape[0], a.shape[1], b.shape[2])
        return a._result(values, shape, "BmmBackward0", "bmm", (a, b), promote(a._dtype, b._dtype))

    def _batched_matmul(self, other: Tensor) -> Tensor:
        """Batches of matrix products: a 1-D operand is a row (left) or a column (right), and the
        dimensions before the last two broadcast, as in torch.matmul."""
        left = self.unsqueeze(0) if self.dim() == 1 else self
        right = other.unsqueeze(-1) if other.dim() == 1 else other
        (n, k), (k2, m) = left.shape[-2:], right.shape[-2:]
        if k != k2:
            raise RuntimeError(
                f"matmul of {tuple(self.shape)} and {tuple(other.shape)}: the first's last dimension "
                f"({k}) must equal the second's second-to-last ({k2})"
            )
        batch = tuple(broadcast_shapes(left.shape[:-2], right.shape[:-2]))
        values = matrix_products(left.expand(*batch, n, k), right.expand(*batch, k, m))
        shape = batch + ((n,) if self.dim() > 1 else ()) + ((m,) if other.dim() > 1 else ())
        return self._result(
            values,
            shape,
            matmul_grad_fn_name(self, other),
            "matmul",
            (self, other),
            promote(self._dtype, other._dtype),
        )

    def diag(self, diagonal: int = 0) -> Tensor:
        """torch.diag: of a matrix, its diagonal (a copy); of a vector, the square matrix with the vector
        on diagonal `diagonal` and 0 elsewhere."""
        if self.dim() == 2:
            view = self.diagonal(diagonal)
            return self._result(
                copies(view._values),
                view.shape,
                "DiagonalBackward0_copy",
                "diag",
                (self,),
                stored=True,
            )
        if self.dim() != 1:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.dim()}D")
        size = self.numel() + abs(diagonal)
        values = [constant_value(0.0) for _ in range(size * size)]
        for i, v in enumerate(copies(self._values)):
            row, col = (i, i + diagonal) if diagonal >= 0 else (i - diagonal, i)
            values[row * size + col] = v
        return self._result(
            values, (size, size), "DiagEmbedBackward0", "diag", (self,), stored=True
        )
