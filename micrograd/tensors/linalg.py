"""Products of tensors, as methods of Tensor: ``dot``, ``mv``, ``mm``, ``matmul`` (``@``, batches too),
and ``diag``.

Each entry of a product is a sum of products of Values, Σₖ aᵢₖ·bₖⱼ, so its gradient reaches
every factor by the product rule: ∂(a·b)/∂a = b.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ..core.value import Value
from .dtypes import promote
from .shapes import broadcast_shapes
from .history import constant_value

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


def sum_of_products(pairs: Iterable[tuple[Value, Value]]) -> Value:
    """Σ aᵢ·bᵢ as a chain of Value operations (0.0 for no pairs)."""
    total = None
    for a, b in pairs:
        total = a * b if total is None else total + a * b
    return total if total is not None else constant_value(0.0)


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
        """a @ b: dot for 1-D·1-D, mv for 2-D·1-D, mm for 2-D·2-D (and 1-D·2-D)."""
        a, b = self, self._coerce(other)
        if a.dim() == 1 and b.dim() == 1:
            return a.dot(b)
        if a.dim() == 2 and b.dim() == 1:
            return a.mv(b)
        if a.dim() == 2 and b.dim() == 2:
            return a.mm(b)
        if a.dim() == 1 and b.dim() == 2:
            return a.unsqueeze(0).mm(b).squeeze(0)
        if a.dim() == 0 or b.dim() == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.dim()}D and {b.dim()}D"
            )
        return a._batched_matmul(b)

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
        batch = broadcast_shapes(left.shape[:-2], right.shape[:-2])
        lv, rv = left.expand(*batch, n, k)._values, right.expand(*batch, k, m)._values
        values = []
        for start_l, start_r in zip(range(0, len(lv), n * k), range(0, len(rv), k * m)):
            rows = [lv[start_l + i * k : start_l + (i + 1) * k] for i in range(n)]
            columns = [rv[start_r + j : start_r + k * m : m] for j in range(m)]
            values += [sum_of_products(zip(row, column)) for row in rows for column in columns]
        shape = tuple(batch) + ((n,) if self.dim() > 1 else ()) + ((m,) if other.dim() > 1 else ())
        return self._result(
            values,
            shape,
            "UnsafeViewBackward0",
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
                list(view._values),
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
        for i, v in enumerate(self._values):
            row, col = (i, i + diagonal) if diagonal >= 0 else (i - diagonal, i)
            values[row * size + col] = v
        return self._result(
            values, (size, size), "DiagEmbedBackward0", "diag", (self,), stored=True
        )
