"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``empty``, ``full``, ``arange``, ``linspace``, ``eye``,
``rand``, ``randn``, ``randint``, the ``*_like`` versions, with PyTorch's arguments, and the legacy
``FloatTensor``, ``DoubleTensor``, ``LongTensor``.

Every tensor made here is a leaf: its Values are variables if ``requires_grad=True``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable

from ..core.errors import NotSupported
from .devices import as_device
from .dtypes import INT64_MAX, INT64_MIN, bool_, cast_number, dtype, float32, float64, int64
from .dtypes import is_integer, result_type
from .randomness import stream
from .shapes import shape_from
from .signatures import refuse_out
from .tensor import Tensor, from_data, leaf_tensor, legacy_arguments


def check_options(dtype_: Any, device: Any, kwargs: dict) -> None:
    """Refuse devices other than the CPU, unknown dtypes and unknown keywords, in plain words."""
    as_device(device)  # the CPU, or NotSupported
    if dtype_ is not None and not isinstance(dtype_, dtype):
        raise NotSupported(
            f"dtype {dtype_!r} is not supported: use float32, float64, int64 or bool"
        )
    if "out" in kwargs:
        refuse_out()
    unknown = set(kwargs) - {"layout", "pin_memory", "memory_format"}
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {sorted(unknown)}")


def tensor(
    data: Any,
    dtype: dtype | None = None,
    device: Any = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """A leaf tensor from nested lists of numbers (``torch.tensor``)."""
    check_options(dtype, device, kwargs)
    return from_data(data, dtype, requires_grad)


def from_numpy(ndarray: Any) -> Tensor:
    """``torch.from_numpy``: a tensor of the array's numbers and dtype.  PyTorch's shares the
    array's memory, so a write into either shows in the other; micrograd's elements are Values,
    so it holds a copy, and refuses what would make the two differ: the array (and the arrays
    it is a view of) is made read-only, and an in-place write into the tensor raises
    NotSupported.  ``torch.tensor(array)`` is the copy to use for writing."""
    if not (hasattr(ndarray, "dtype") and hasattr(ndarray, "flags") and hasattr(ndarray, "shape")):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    made = from_data(ndarray)
    made._storage.from_numpy = True
    array = ndarray
    while array is not None and hasattr(array, "flags"):
        array.flags.writeable = False  # a write into it would not reach the tensor
        array = array.base
    return made


def filled(
    numbers: Callable[[int], list[float]],
    args: tuple,
    size: Any,
    dtype_: dtype | None,
    requires_grad: bool,
    device: Any,
    kwargs: dict,
    default: dtype = float32,
) -> Tensor:
    """A leaf tensor of the given shape, its numbers made by `numbers(count)`."""
    check_options(dtype_, device, kwargs)
    shape = shape_from(args, size)
    return leaf_tensor(numbers(math.prod(shape)), shape, dtype_ or default, requires_grad)


def zeros(
    *size: Any,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """A tensor of 0s of the given shape (torch.zeros)."""
    return filled(lambda n: [0.0] * n, size, kw.pop("size", None), dtype, requires_grad, device, kw)


def ones(
    *size: Any,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """A tensor of 1s of the given shape (torch.ones)."""
    return filled(lambda n: [1.0] * n, size, kw.pop("size", None), dtype, requires_grad, device, kw)


def full(
    size: Any,
    fill_value: float,
    *,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """A tensor of the given shape, every element fill_value (torch.full).  Its dtype is
    fill_value's own (bool, int64 for an int, float32 for a float) unless given."""
    kind = dtype or result_type(fill_value)
    if isinstance(fill_value, int) and not INT64_MIN <= fill_value <= INT64_MAX:
        fill_value = float(fill_value)  # PyTorch reads an int too large for int64 as a float
    fill_value = cast_number(fill_value, kind, checked=True)  # PyTorch's checks, as in fill_
    return filled(lambda n: [fill_value] * n, (size,), None, kind, requires_grad, device, kw)


def empty(
    *size: Any,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """``torch.empty``: a tensor of the given shape.  PyTorch leaves its memory uninitialized (any
    numbers); micrograd fills it with zeros."""
    return filled(lambda n: [0.0] * n, size, kw.pop("size", None), dtype, requires_grad, device, kw)


def _legacy_type(kind: dtype, name: str) -> Callable[..., Tensor]:
    def legacy(*args: Any) -> Tensor:
        values, shape, _, _ = legacy_arguments(*args, dtype_=kind)
        return Tensor(values, shape, kind)

    legacy.__name__ = legacy.__qualname__ = name
    legacy.__doc__ = (
        f"``torch.{name}(data)`` or ``torch.{name}(*sizes)``: PyTorch's legacy constructor of a "
        f"{kind.name} tensor (sizes give zeros)."
    )
    return legacy


FloatTensor = _legacy_type(float32, "FloatTensor")
DoubleTensor = _legacy_type(float64, "DoubleTensor")
LongTensor = _legacy_type(int64, "LongTensor")


def rand(
    *size: Any,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """Uniform on [0, 1) (from `generator=`, a ``torch.Generator``, if given)."""
    source = stream(kw.pop("generator", None))
    return filled(
        lambda n: [source.random() for _ in range(n)],
        size,
        kw.pop("size", None),
        dtype,
        requires_grad,
        device,
        kw,
    )


def randn(
    *size: Any,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """Standard normal (from `generator=`, a ``torch.Generator``, if given)."""
    source = stream(kw.pop("generator", None))
    return filled(
        lambda n: [source.gauss(0.0, 1.0) for _ in range(n)],
        size,
        kw.pop("size", None),
        dtype,
        requires_grad,
        device,
        kw,
    )


def randint(
    low: int,
    high: int | None = None,
    size: Any = None,
    *,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """Integers uniform in [low, high): ``randint(low, high, size)`` or ``randint(high, size)``."""
    if high is None or (size is None and not isinstance(high, int)):
        low, high, size = 0, low, high if size is None else size
    if size is None:
        raise TypeError("randint() missing the required argument 'size'")
    if high <= low:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    source = stream(kw.pop("generator", None))
    return filled(
        lambda n: [source.randrange(low, high) for _ in range(n)],
        (),
        size,
        dtype,
        requires_grad,
        device,
        kw,
        default=int64,
    )


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """start, start + step, ... up to but not including end (torch.arange).  The step must be
    non-zero (nan counts as zero, as in PyTorch) and the bounds finite.  For int64, PyTorch
    first truncates start, end and step to ints (``arange(1.5, dtype=int64)`` is [0]); there
    is no bool arange."""
    if dtype is bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if end is None:
        start, end = 0, start
    if step == 0 or step != step:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_scalar_text(start)} -> {_scalar_text(end)}")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    integral = all(isinstance(x, int) for x in (start, end, step))  # bool is an int here too
    if (dtype is not None and is_integer(dtype)) or (dtype is None and integral):
        start, end, step = int(start), int(end), int(step)
        if step == 0:  # a float step under 1 (PyTorch checks it again, as an int, so)
            raise ValueError("step must be nonzero")
        sign = 1 if step > 0 else -1
        count = abs(end - start + step - sign) // abs(step)  # C's division, toward zero
        numbers: Callable[[int], list] = lambda n: [start + i * step for i in range(n)]
    else:
        count = max(0, math.ceil((end - start) / step))
        kind = dtype or float32

        def numbers(n: int) -> list:
            return float_range(float(start), float(step), n, kind)

    return filled(
        numbers,  # ints stay exact
        (count,),
        None,
        dtype,
        requires_grad,
        device,
        kw,
        default=int64 if integral else float32,
    )


def _fma(a: float, b: float, c: float) -> float:
    """a·b + c rounded once, as a fused multiply-add (math.fma from Python 3.13 on)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


VECTOR_WIDTH = {"float32": 8, "float64": 4}
"""Elements in one of PyTorch's CPU vectors (AVX2's 256 bits), which its arange fills at once."""


def float_range(start: float, step: float, n: int, kind: dtype) -> list[float]:
    """arange's numbers as PyTorch's CPU kernel computes them, so that they agree to the last
    bit: in blocks of two vectors, each vector's first number start + step·i (fused, in
    float64) rounded to the dtype, the others base + j·step (fused); the last n mod 2·width
    numbers start + step·i each.  (A plain start + i·step differs in the last bit in about
    one case in five.)"""
    width = VECTOR_WIDTH[kind.name]
    made, i = [], 0
    while i <= n - 2 * width:
        for _ in range(2):
            base = cast_number(_fma(step, float(i), start), kind)
            made += [_fma(float(j), step, base) for j in range(width)]
            i += width
    made += [_fma(step, float(k), start) for k in range(i, n)]
    return made


def _scalar_text(x: float) -> str:
    """A bound as PyTorch's messages print it: an int in full, a float as C++ streams it (six
    significant digits, no trailing zeros: 0, 1.5, 1e+20, inf)."""
    return str(x) if isinstance(x, int) else f"{x:g}"


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """`steps` numbers evenly spaced from start to end, both included (torch.linspace)."""

    def numbers(n: int) -> list[float]:
        return [float(start)] if n == 1 else [start + (end - start) * i / (n - 1) for i in range(n)]

    return filled(numbers, (steps,), None, dtype, requires_grad, device, kw)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: dtype | None = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """The n×m identity matrix: 1 where i = j, else 0 (torch.eye)."""
    m = n if m is None else m
    return filled(
        lambda _: [1.0 if i == j else 0.0 for i in range(n) for j in range(m)],
        (n, m),
        None,
        dtype,
        requires_grad,
        device,
        kw,
    )


def _like(maker: Callable) -> Callable:
    def like(
        t: Tensor, *, dtype: dtype | None = None, requires_grad: bool = False, **kw: Any
    ) -> Tensor:
        # the shape as size=: a 0-dim tensor's () is a shape too, where maker() is no shape
        size = tuple(t.shape)
        return maker(size=size, dtype=dtype or t.dtype, requires_grad=requires_grad, **kw)

    like.__name__ = f"{maker.__name__}_like"
    like.__doc__ = f"{maker.__name__} with the shape (and dtype) of another tensor"
    return like


zeros_like, ones_like, rand_like, randn_like = (_like(f) for f in (zeros, ones, rand, randn))


def full_like(t: Tensor, fill_value: float, **kw: Any) -> Tensor:
    """full with the shape (and dtype) of another tensor."""
    return full(tuple(t.shape), fill_value, dtype=kw.pop("dtype", t.dtype), **kw)


# --- t.new_zeros(...), t.new_tensor(...): a new tensor with t's dtype unless told -------------
def _new(make: Callable[..., Tensor], name: str) -> Callable[..., Tensor]:
    """Tensor.new_<name>: `make` with the tensor's dtype as the default (PyTorch's new_*)."""

    def method(self: Tensor, *args: Any, dtype: dtype | None = None, **kw: Any) -> Tensor:
        return make(*args, dtype=dtype or self.dtype, **kw)

    method.__name__ = method.__qualname__ = f"new_{name}"
    method.__doc__ = f"torch.{name} with this tensor's dtype (unless dtype= is given)."
    return method


Tensor.new_zeros = _new(zeros, "zeros")
Tensor.new_ones = _new(ones, "ones")
Tensor.new_empty = _new(empty, "empty")
Tensor.new_full = _new(full, "full")
Tensor.new_tensor = _new(tensor, "tensor")
Tensor.nelement = Tensor.numel  # PyTorch's older name for numel()
