"""Products of tensors, as methods of Tensor: ``dot``, ``mv``, ``mm``, ``bmm``, ``matmul`` (``@``,
batches too), and ``diag``.

Each entry of a product is a sum of products of Values, Σₖ aᵢₖ·bₖⱼ, so its gradient reaches
every factor by the product rule: ∂(a·b)/∂a = b.
"""

from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING, Any, Iterable

from ..core.modes import is_grad_enabled, no_grad
from ..core.value import Value
from .dtypes import FLOAT32_MAX, SCALAR_TYPE_NAMES, bool_, check_int64, dtype, float32, float64
from .dtypes import float32_numbers, float32_steps, int32, int64
from .elements import copies, element_values
from .history import constant_value
from .saved import matmul_copies
from .shapes import broadcast_index, broadcast_shapes

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


CPP_TYPE_NAMES = {
    float32: "float",
    float64: "double",
    int64: "long int",
    int32: "int",
    bool_: "bool",
}
"""The names of the dtypes' C++ types, as some of PyTorch's messages print them."""


def sum_of_products(pairs: Iterable[tuple[Value, Value]], kind: dtype = float32) -> Value:
    """Σ aᵢ·bᵢ as a chain of Value operations (0.0 for no pairs).  Of an integer dtype, the
    exact sum of the ints: a Value's arithmetic is float, and integer tensors never require
    grad, so no graph is lost."""
    if not kind.is_floating_point:
        total = check_int64(sum(int(a.data) * int(b.data) for a, b in pairs))
        return element_values([total], kind)[0]
    total = None
    for a, b in pairs:
        total = a * b if total is None else total + a * b
    if total is None:
        return constant_value(0.0)
    if total.data == 0.0:
        total.data = 0.0  # PyTorch's sums start from +0.0, so Σ of -0.0 terms is +0.0
    return total


def matrix_products(
    lv: list[Value], rv: list[Value], batches: int, n: int, k: int, m: int, kind: dtype
) -> list[Value]:
    """The entries of `batches` products of an n×k and a k×m matrix, of dtype `kind`, their
    elements `lv` and `rv` in row-major order: for each batch, row by row, Σₖ aᵢₖbₖⱼ (0 when
    k = 0).  dot, mv and mm are one batch (with n = 1 or m = 1)."""
    pairs = []
    for b in range(batches):
        rows = [lv[(b * n + i) * k : (b * n + i + 1) * k] for i in range(n)]
        columns = [rv[b * k * m + j : (b + 1) * k * m : m] for j in range(m)]
        pairs += [(row, column) for row in rows for column in columns]
    values = [sum_of_products(zip(row, column), kind) for row, column in pairs]
    if kind is float32 and lv and rv and values:
        largest = max(abs(v.data) for v in lv) * max(abs(v.data) for v in rv) * k
        if largest > FLOAT32_MAX:  # a product or partial sum may be beyond float32's range
            for v, (row, column) in zip(values, pairs):
                v.data = float32_dot([x.data for x in row], [y.data for y in column])
    return values


def snapshot(values: list[Value]) -> list[Value]:
    """A copy in the graph of each distinct Value (a broadcast repeats them), so that the
    product keeps these numbers whatever is written into the operand later."""
    made: dict[int, Value] = {}
    return [made.get(id(v)) or made.setdefault(id(v), copies([v])[0]) for v in values]


def float32_dot(xs: list[float], ys: list[float]) -> float:
    """Σ xᵢyᵢ with every product and partial sum rounded to float32, as PyTorch's float32
    kernels compute it (``float32_steps``): inf where a step overflows float32."""
    products = list(float32_numbers([x * y for x, y in zip(xs, ys)]))
    return float32_steps([0.0, *products], operator.add) if products else 0.0


def refuse_bool(kernel: str, kind: dtype, work: int) -> None:
    """PyTorch has no products of bool tensors: it refuses them, naming its kernel, unless there
    is nothing to multiply (a size 0 anywhere gives zeros)."""
    if kind is bool_ and work:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def check_dot(a: Tensor, b: Tensor) -> None:
    """torch.dot's checks, in its order: 1-D, the same dtype, the same length, not bool."""
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    if a._dtype is not b._dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{SCALAR_TYPE_NAMES[a._dtype]} and {SCALAR_TYPE_NAMES[b._dtype]}"
        )
    if a.numel() != b.numel():
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.numel()}] and src [{b.numel()}] to "
            f"have the same number of elements, but got {a.numel()} and {b.numel()} elements "
            "respectively"
        )
    refuse_bool("dot", a._dtype, 1)  # even of empty vectors


def check_mv(shape: tuple, v: Tensor, kind: dtype) -> None:
    """torch.mv's checks of a matrix of this shape and dtype (a batch folded into rows, for
    matmul) and a vector: 2-D and 1-D, sizes, the same dtype, not bool."""
    if not shape:  # the size of its result is read first
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if len(shape) != 2 or v.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(shape)}, {v.dim()}")
    rows, cols = shape
    if cols != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec ({v.shape[0]})"
        )
    if kind is not v._dtype:
        vec = SCALAR_TYPE_NAMES[v._dtype]  # the result, made of the vector's dtype, first
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got "
            f"{vec}, {SCALAR_TYPE_NAMES[kind]}, and {vec}"
        )
    refuse_bool("addmv_impl_cpu", kind, rows * cols)


def check_mm(a_shape: tuple, b_shape: tuple, a_kind: dtype, b_kind: dtype) -> None:
    """torch.mm's checks of two matrices of these shapes and dtypes (a batch folded into rows,
    for matmul): 2-D, sizes, the same dtype, not bool."""
    if len(a_shape) != 2:
        raise RuntimeError("self must be a matrix")
    if len(b_shape) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a_shape[1] != b_shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({'x'.join(map(str, a_shape))} and "
            f"{'x'.join(map(str, b_shape))})"
        )
    if a_kind is not b_kind:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{CPP_TYPE_NAMES[a_kind]} != {CPP_TYPE_NAMES[b_kind]}"
        )
    refuse_bool("addmm_impl_cpu_", a_kind, math.prod(a_shape) * b_shape[1])


def check_bmm(a_shape: tuple, b_shape: tuple, a_kind: dtype, b_kind: dtype) -> None:
    """torch.bmm's checks of two batches of these shapes and dtypes (3-D ones: matmul folds
    its batch dimensions into one): sizes, then, unless there is nothing to multiply, the same
    dtype and not bool."""
    if len(a_shape) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(b_shape) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b_shape[0] != a_shape[0] or b_shape[1] != a_shape[2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a_shape[0]}, {a_shape[2]}] but got: [{b_shape[0]}, {b_shape[1]}]."
        )
    if not math.prod(a_shape) * b_shape[2]:  # nothing to multiply: zeros of batch2's dtype
        return
    if a_kind is not b_kind:
        raise RuntimeError(
            f"expected scalar type {SCALAR_TYPE_NAMES[a_kind]} but found "
            f"{SCALAR_TYPE_NAMES[b_kind]}"
        )
    refuse_bool("bmm", a_kind, math.prod(a_shape) * b_shape[2])


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


def folds(a: Tensor, b: Tensor) -> bool:
    """True where PyTorch's matmul of a batch and a matrix or vector folds the batch into the
    rows of one matrix, to make one mm or mv (checked as such), instead of broadcasting both to
    one bmm: a batch `a` times `b` as it is, a vector or matrix `a` times a batch `b` as
    bᵀ times aᵀ.  It folds when the smaller operand requires grad; else, unless `a` is the
    matrix, when the folding needs no copy: the batch (bᵀ) is empty, or its dimensions but the
    last are contiguous."""
    larger = a.dim() >= b.dim()
    batch, other = (a, b) if larger else (b, a)
    if not (batch.dim() >= 3 and other.dim() <= 2):
        return False
    if other.requires_grad:
        return True
    if a.dim() == 2:  # transposed, the result would have to be copied
        return False
    if batch.numel() == 0:
        return True
    shape, strides = list(batch.shape), list(batch.stride())
    if not larger:  # bᵀ: the last two swapped
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


class LinalgMethods:
    """The products of Tensor (a part of the class, kept in a module of its own)."""

    def dot(self, other: Any) -> Tensor:
        """⟨a, b⟩ = Σᵢ aᵢbᵢ for two 1-D tensors of the same length and dtype."""
        a, b = self, self._coerce(other)
        check_dot(a, b)
        values = matrix_products(a._values, b._values, 1, 1, a.numel(), 1, a._dtype)
        return a._result(values, (), "DotBackward0", "dot", (a, b))

    def mv(self, vec: Any) -> Tensor:
        """Matrix-vector product (m @ v)ᵢ = Σₖ mᵢₖvₖ, of the same dtype."""
        m, v = self, self._coerce(vec)
        check_mv(tuple(m.shape), v, m._dtype)
        rows, cols = m.shape
        values = matrix_products(m._values, v._values, 1, rows, cols, 1, m._dtype)
        return m._result(values, (rows,), "MvBackward0", "mv", (m, v))

    def mm(self, mat2: Any) -> Tensor:
        """Matrix product (a @ b)ᵢⱼ = Σₖ aᵢₖbₖⱼ, of the same dtype."""
        a, b = self, self._coerce(mat2)
        check_mm(tuple(a.shape), tuple(b.shape), a._dtype, b._dtype)
        (n, k), m = a.shape, b.shape[1]
        values = matrix_products(a._values, b._values, 1, n, k, m, a._dtype)
        return a._result(values, (n, m), "MmBackward0", "mm", (a, b))

    def addmm(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """β·self + α·(mat1 @ mat2), self broadcast to the product's (n, m): outᵢⱼ = β·selfᵢⱼ +
        α·Σₖ mat1ᵢₖ·mat2ₖⱼ (nn.Linear's b + x·Wᵀ), one node as PyTorch's (AddmmBackward0).
        ∂/∂self = β, ∂/∂mat1 = α·g·mat2ᵀ, ∂/∂mat2 = α·mat1ᵀ·g; with β = 0 self is not read."""
        c, a, b = self, self._coerce(mat1), self._coerce(mat2)
        for name, t in (("mat1", a), ("mat2", b)):
            if t.dim() != 2:
                raise RuntimeError(f"{name} must be a matrix, got {t.dim()}-D tensor")
        check_mm(tuple(a.shape), tuple(b.shape), a._dtype, b._dtype)
        (n, k), m = a.shape, b.shape[1]
        if c._dtype is not b._dtype:
            raise RuntimeError(
                "self and mat2 must have the same dtype, but got "
                f"{SCALAR_TYPE_NAMES[c._dtype]} and {SCALAR_TYPE_NAMES[b._dtype]}"
            )
        if c.dim() > 2:
            c.expand(n, m)  # raises PyTorch's message
        for at, (size, target) in enumerate(zip(c.shape[::-1], (m, n))):
            if size not in (1, target):
                raise RuntimeError(
                    f"The expanded size of the tensor ({target}) must match the existing size "
                    f"({size}) at non-singleton dimension {1 - at}.  Target sizes: [{n}, {m}].  "
                    f"Tensor sizes: {list(c.shape)}"
                )
        products = matrix_products(a._values, b._values, 1, n, k, m, a._dtype)
        if alpha != 1:
            products = [p * alpha for p in products]
        if beta != 0:
            cv = c._values
            added = [cv[i] for i in broadcast_index(c.shape, (n, m))]
            products = [p + (v if beta == 1 else v * beta) for p, v in zip(products, added)]
        return c._result(products, (n, m), "AddmmBackward0", "addmm", (c, a, b), a._dtype)

    def matmul(self, other: Any) -> Tensor:
        """a @ b: dot for 1-D·1-D, mv for 2-D·1-D, mm for 2-D·2-D, a row times a matrix for
        1-D·2-D, and batches of matrix products beyond (see _batched_matmul)."""
        a, b = self, self._coerce(other)
        if a.dim() == 0 or b.dim() == 0:
            raise RuntimeError(
                "both arguments to matmul need to be at least 1D, but they are "
                f"{a.dim()}D and {b.dim()}D"
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
        check_bmm(tuple(a.shape), tuple(b.shape), a._dtype, b._dtype)
        (count, n, k), m = a.shape, b.shape[2]
        values = matrix_products(a._values, b._values, count, n, k, m, b._dtype)
        shape = (a.shape[0], a.shape[1], b.shape[2])
        return a._result(values, shape, "BmmBackward0", "bmm", (a, b), b._dtype)

    def _batched_matmul(self, other: Tensor) -> Tensor:
        """Batches of matrix products: a 1-D operand is a row (left) or a column (right), and the
        dimensions before the last two broadcast, as in torch.matmul.  PyTorch folds a batch
        times a matrix or a vector into one mm or mv, anything else into one bmm, and checks
        them as such: their messages are of the folded shapes."""
        left = self.unsqueeze(0) if self.dim() == 1 else self
        right = other.unsqueeze(-1) if other.dim() == 1 else other
        (n, k), (k2, m) = left.shape[-2:], right.shape[-2:]
        batch = tuple(broadcast_shapes(left.shape[:-2], right.shape[:-2]))
        a, b = self, other
        if a.dim() == b.dim() == 3 and a.shape[0] != b.shape[0]:
            # PyTorch squeezes away a batch of one that requires grad (see matmul_grad_fn_name)
            with no_grad():
                if a.shape[0] == 1 and a.requires_grad:
                    a = a[0]
                elif b.shape[0] == 1 and b.requires_grad:
                    b = b[0]
        if not folds(a, b):
            count = math.prod(batch)
            check_bmm((count, n, k), (count, k2, m), self._dtype, other._dtype)
        elif b.dim() <= 2:  # the batch's rows times b
            rows = (math.prod(a.shape[:-1]), k)
            if b.dim() == 1:
                check_mv(rows, b, a._dtype)
            else:
                check_mm(rows, tuple(b.shape), a._dtype, b._dtype)
        else:  # bᵀ folded into rows, times aᵀ
            rows = (math.prod(b.shape[:-2]) * m, k2)
            if a.dim() == 1:
                check_mv(rows, a, b._dtype)
            else:
                check_mm(rows, (k, n), b._dtype, a._dtype)
        kind = other._dtype  # the operands' own, or, with nothing to multiply, the second's
        if not kind.is_floating_point and is_grad_enabled():
            if self.requires_grad or other.requires_grad:  # an empty float @ int64 product
                raise RuntimeError(f"Autograd not support dtype: {SCALAR_TYPE_NAMES[kind]}")
        lv, rv = left.expand(*batch, n, k)._values, right.expand(*batch, k, m)._values
        copied = matmul_copies(self.shape, other.shape, (self.requires_grad, other.requires_grad))
        # where PyTorch multiplies a copy, a later in-place change of the operand is harmless
        lv, rv = (snapshot(lv) if copied[0] else lv), (snapshot(rv) if copied[1] else rv)
        values = matrix_products(lv, rv, math.prod(batch), n, k, m, kind)
        shape = batch + ((n,) if self.dim() > 1 else ()) + ((m,) if other.dim() > 1 else ())
        name = matmul_grad_fn_name(self, other)
        if name == "TransposeBackward0":  # (bᵀ @ aᵀ)ᵀ: a view, the transpose of that product
            flipped = [values[i * m + j + c * n * m] for c in range(math.prod(batch))
                       for j in range(m) for i in range(n)]  # fmt: skip
            product = self._result(
                flipped, batch + (m, n), "UnsafeViewBackward0", "matmul", (self, other), kind
            )
            return product.transpose(-1, -2)
        return self._result(values, shape, name, "matmul", (self, other), kind)

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
