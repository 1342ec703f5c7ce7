"""Activation functions beyond relu, tanh and sigmoid, and dropout, with their module forms
(``nn.LeakyReLU``, ``nn.Softmax``, ``nn.Dropout``...).

Each is built from tensor operations micrograd already differentiates (``where``, ``clamp``,
``exp``, ``log``), so first and higher derivatives come from those rules; the result is then
named as PyTorch names its node (``LeakyReluBackward0``...), which is what a printed tensor
shows.  Where the function has a kink, ``where`` picks the branch PyTorch's derivative takes
at the kink itself.
"""

from __future__ import annotations

import math
from typing import Any

from ..core.errors import NotSupported
from ..tensors import randomness
from ..tensors.joining import where
from ..tensors.tensor import Tensor, as_tensor
from .module import Module


def _named(x: Tensor, result: Tensor, grad_fn: str, op: str) -> Tensor:
    """`result` (computed from x) as one node named `grad_fn`, as PyTorch's fused kernel."""
    return x._result(list(result._values), result.shape, grad_fn, op, (x,), stored=True)


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else slope·x; the derivative is 1 for x > 0, else the slope (also at 0)."""
    x = _no_inplace(as_tensor(input), inplace, "leaky_relu")
    return _named(x, where(x > 0, x, x * negative_slope), "LeakyReluBackward0", "leaky_relu")


def hardtanh(
    input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """x clamped to [min, max]; the derivative is 1 strictly inside, 0 elsewhere (PyTorch's,
    where clamp's own derivative is 1 at the bounds too)."""
    x = _no_inplace(as_tensor(input), inplace, "hardtanh")
    inside = (x > min_val) & (x < max_val)
    clamped = where(inside, x, x.detach().clamp(min_val, max_val))
    return _named(x, clamped, "HardtanhBackward0", "hardtanh")


def relu6(input: Any, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh on [0, 6], as PyTorch computes (and names) it."""
    return hardtanh(input, 0.0, 6.0, inplace)


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α(eˣ − 1); eˣ is taken of min(x, 0), so a large x never overflows
    into a nan gradient through the branch not chosen."""
    x = _no_inplace(as_tensor(input), inplace, "elu")
    negative = (x.clamp(max=0.0).exp() - 1) * alpha
    return _named(x, where(x > 0, x, negative), "EluBackward0", "elu")


def silu(input: Any, inplace: bool = False) -> Tensor:
    """x·σ(x); its derivative σ(x)(1 + x(1 − σ(x)))."""
    x = _no_inplace(as_tensor(input), inplace, "silu")
    return _named(x, x * x.sigmoid(), "SiluBackward0", "silu")


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^{βx})/β, and x itself where βx > threshold (PyTorch's, for stability)."""
    x = as_tensor(input)
    smooth = ((x * beta).clamp(max=threshold).exp() + 1).log() / beta
    return _named(x, where(x * beta > threshold, x, smooth), "SoftplusBackward0", "softplus")


def gelu(input: Any, approximate: str = "none") -> Tensor:
    """x·Φ(x); with approximate='tanh', ½x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    if approximate == "none":
        raise NotSupported(
            "gelu with approximate='none' (x·Φ(x), with the error function erf) is not "
            "supported: micrograd has no erf; use approximate='tanh', within 1e-3 of it"
        )
    if approximate != "tanh":
        raise RuntimeError("approximate argument must be either none or tanh.")
    x = as_tensor(input)
    inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
    return _named(x, x * 0.5 * (inner.tanh() + 1), "GeluBackward0", "gelu")


def softmin(input: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(−x) along dim."""
    if dim is None:
        raise NotSupported("softmin() without dim is deprecated in PyTorch; give dim")
    return (-as_tensor(input)).softmax(dim, dtype=dtype)


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each element zeroed with probability p, the others scaled by 1/(1 − p), so the expected
    value is unchanged; in eval (training=False), or for p = 0, the input itself.  The mask is
    drawn from micrograd's generator (``dropout_mask``)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = _no_inplace(as_tensor(input), inplace, "dropout")
    if not training or p == 0:
        return x
    mask = dropout_mask(x.shape, p)
    return x * mask if p == 1 else x * mask * (1 / (1 - p))


def dropout_mask(shape: Any, p: float) -> Tensor:
    """1 with probability 1 − p, else 0, element by element (a float32 tensor of `shape`)."""
    n = math.prod(shape)
    keep = [1.0 if randomness.generator.random() >= p else 0.0 for _ in range(n)]
    return as_tensor(keep).reshape(tuple(shape))


def _no_inplace(x: Tensor, inplace: bool, name: str) -> Tensor:
    """inplace=True is refused: the result is a new tensor (micrograd's write into x would
    need the in-place node PyTorch records)."""
    if inplace:
        raise NotSupported(
            f"{name}(inplace=True) is not supported: use the out-of-place form (inplace=False)"
        )
    return x


# --- the module forms ------------------------------------------------------------------------
class _Function(Module):
    """A module that applies one of the functions above with its options."""

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self._options().items())

    def _options(self) -> dict:
        return {}


class LeakyReLU(_Function):
    """nn.LeakyReLU(negative_slope=0.01)."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Any) -> Tensor:
        return leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Hardtanh(_Function):
    """nn.Hardtanh(min_val=-1, max_val=1)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Any) -> Tensor:
        return hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class ReLU6(Hardtanh):
    """nn.ReLU6(): hardtanh on [0, 6]."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ELU(_Function):
    """nn.ELU(alpha=1.0)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Any) -> Tensor:
        return elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class SiLU(_Function):
    """nn.SiLU(): x·σ(x)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return silu(input, self.inplace)


class Softplus(_Function):
    """nn.Softplus(beta=1.0, threshold=20.0)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Any) -> Tensor:
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(_Function):
    """nn.GELU(approximate='none' | 'tanh')."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Any) -> Tensor:
        return gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate='{self.approximate}'"


class _AlongDim(_Function):
    """softmax-like modules: one function along `dim`."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """nn.Softmax(dim)."""

    def forward(self, input: Any) -> Tensor:
        if self.dim is None:
            raise NotSupported("nn.Softmax() without dim is deprecated in PyTorch; give dim")
        return as_tensor(input).softmax(self.dim)


class LogSoftmax(_AlongDim):
    """nn.LogSoftmax(dim)."""

    def forward(self, input: Any) -> Tensor:
        if self.dim is None:
            raise NotSupported("nn.LogSoftmax() without dim is deprecated in PyTorch; give dim")
        return as_tensor(input).log_softmax(self.dim)


class Softmin(_AlongDim):
    """nn.Softmin(dim): softmax(−x)."""

    def forward(self, input: Any) -> Tensor:
        return softmin(input, self.dim)


class Dropout(_Function):
    """nn.Dropout(p=0.5): dropout in training mode, the identity in eval mode."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Any) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
