"""Random tensors beyond rand, randn and randint: ``normal``, ``bernoulli``, ``randperm``,
``multinomial``.

All draw from micrograd's generator (``randomness.py``), element by element in row-major
order, so ``manual_seed`` makes them reproducible (with other numbers than PyTorch's).  Their
results are constants: PyTorch gives ``normal(mean, std)`` a gradient of zeros with respect to
a mean or std that requires grad, which micrograd refuses rather than imitates.
"""

from __future__ import annotations

import bisect
import itertools
import math
from typing import Any

from ..core.errors import NotSupported
from .creation import check_options, filled
from .dtypes import SCALAR_TYPE_NAMES, floating, int64, result_type
from .randomness import bernoulli_numbers, stream
from .shapes import broadcast_index, broadcast_shapes
from .tensor import Tensor, as_tensor, leaf_tensor

NO_GRADIENT = (
    "torch.{name} of a tensor that requires grad: PyTorch gives it a gradient of zeros, "
    "micrograd none; pass {what}.detach()"
)


def _numbers_of(x: Any, name: str, what: str) -> Tensor:
    """x (a tensor or number) as a tensor whose numbers a sampler reads; refused if it
    requires grad (see NO_GRADIENT)."""
    t = as_tensor(x)
    if t.requires_grad:
        raise NotSupported(NO_GRADIENT.format(name=name, what=what))
    return t


def _check_std(std: float) -> None:
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
    **kw: Any,
) -> Tensor:
    """``torch.normal``: numbers drawn from N(mean, std²), in its forms
    ``normal(mean_tensor, std_tensor)`` (broadcast), ``normal(mean_tensor, std=1.0)``,
    ``normal(mean, std_tensor)`` and ``normal(mean, std, size)`` (numbers and a size)."""
    source = stream(generator)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: give size")
        _check_std(std)
        return filled(
            lambda n: [source.gauss(mean, std) for _ in range(n)],
            (),
            size,
            dtype,
            requires_grad,
            device,
            kw,
        )
    check_options(dtype, device, kw)
    m, s = _numbers_of(mean, "normal", "mean"), _numbers_of(std, "normal", "std")
    shape = broadcast_shapes(m.shape, s.shape) if isinstance(mean, Tensor) else s.shape
    if isinstance(mean, Tensor) and not isinstance(std, Tensor):
        shape = m.shape
    means = [m._values[i].data for i in broadcast_index(m.shape, shape)]
    stds = [s._values[i].data for i in broadcast_index(s.shape, shape)]
    for x in stds:
        _check_std(x)
    kind = floating(result_type(*(t for t in (mean, std) if isinstance(t, Tensor))))
    numbers = [source.gauss(mu, sigma) for mu, sigma in zip(means, stds)]
    return leaf_tensor(numbers, shape, dtype or kind, requires_grad)


def bernoulli(input: Any, p: float | None = None, *, generator: Any = None, **kw: Any) -> Tensor:
    """``torch.bernoulli``: each element 1 with probability input[i] (or `p`), else 0; a tensor
    of input's shape and dtype, without gradient."""
    source = stream(generator)
    if "out" in kw:
        raise NotSupported("torch.bernoulli(..., out=...) is not supported: use the result")
    t = _numbers_of(input, "bernoulli", "input")
    if not t.dtype.is_floating_point:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{t.dtype}'")
    probabilities = [v.data for v in t._values] if p is None else [p] * t.numel()
    numbers = bernoulli_numbers(probabilities, p is None, source)
    return leaf_tensor(numbers, t.shape, t.dtype, False)


def randperm(
    n: int, *, dtype: Any = None, requires_grad: bool = False, device: Any = None, **kw: Any
) -> Tensor:
    """``torch.randperm``: 0, 1, ..., n − 1 in a random order (int64), a Fisher-Yates shuffle
    by micrograd's generator (or `generator=`)."""
    source = stream(kw.pop("generator", None))
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"randperm(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    order = list(range(n))
    source.shuffle(order)
    return filled(lambda _: order, (), (n,), dtype, requires_grad, device, kw, default=int64)


def multinomial(
    input: Any,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Any = None,
    **kw: Any,
) -> Tensor:
    """``torch.multinomial``: for each row of weights w (a vector or a matrix of rows),
    `num_samples` category indices, index k drawn with probability wₖ / Σw (int64).  Without
    replacement a drawn category leaves the row; once only zero weights remain, they come in
    index order, as PyTorch gives them."""
    if "out" in kw:
        raise NotSupported("torch.multinomial(..., out=...) is not supported: use the result")
    if kw:
        raise TypeError(f"multinomial() got unexpected keyword arguments {sorted(kw)}")
    source = stream(generator)
    t = _numbers_of(input, "multinomial", "input")
    if not t.dtype.is_floating_point:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: "
            f"{SCALAR_TYPE_NAMES[t.dtype]}"
        )
    if t.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = t.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    numbers = [v.data for v in t.contiguous()._values]
    rows = [numbers[i : i + categories] for i in range(0, len(numbers), categories)]
    for row in rows:
        if any(not 0.0 <= w < math.inf for w in row):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if sum(row) <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    drawn = [_draw(row, num_samples, replacement, source) for row in rows]
    shape = (num_samples,) if t.dim() == 1 else (len(rows), num_samples)
    return leaf_tensor([k for row in drawn for k in row], shape, int64, False)


Tensor.multinomial = multinomial  # t.multinomial(2): the method, defined here beside its math


def _draw(weights: list[float], count: int, replacement: bool, source: Any) -> list[int]:
    """`count` indices drawn from one row of weights: k with probability wₖ / Σw (those left)."""
    weights, drawn = list(weights), []
    for _ in range(count):
        total = sum(weights)
        if total <= 0:  # without replacement, the zero weights left, in index order
            drawn.append(next(k for k in range(len(weights)) if k not in drawn))
            continue
        k = bisect.bisect_right(list(itertools.accumulate(weights)), source.random() * total)
        k = min(k, len(weights) - 1)
        while weights[k] == 0:  # a draw on the edge of a zero-width interval
            k -= 1
        drawn.append(k)
        if not replacement:
            weights[k] = 0.0
    return drawn
