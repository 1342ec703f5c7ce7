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
import struct
from typing import Any

from ..core.errors import NotSupported
from ..tensors import full, randomness
from ..tensors.joining import where
from ..tensors.tensor import Tensor, as_tensor
from .module import Module, Parameter


def _named(x: Tensor, result: Tensor, grad_fn: str, op: str, *others: Tensor) -> Tensor:
    """`result` (computed from x, and `others`) as one node named `grad_fn`, as PyTorch's fused
    kernel."""
    return x._result(list(result._values), result.shape, grad_fn, op, (x, *others), stored=True)


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


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
"""selu's constants (Klambauer et al. 2017), which keep activations at mean 0, variance 1."""


def prelu(input: Any, weight: Any) -> Tensor:
    """x for x > 0, else a·x, with a learnt slope a (one, or one per channel: dimension 1);
    ∂/∂x = 1 for x > 0, else a (also at 0); ∂/∂a = x where x ≤ 0, else 0."""
    x, a = as_tensor(input), as_tensor(weight)
    if a.numel() != 1:
        channels = x.shape[1] if x.dim() >= 2 else 1
        if a.numel() != channels:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers "
                f"= {a.numel()} and channel size = {channels}."
            )
        a = a.reshape(channels, *([1] * (x.dim() - 2)))
    return _named(x, where(x > 0, x, x * a), "PreluKernelBackward0", "prelu", as_tensor(weight))


def mish(input: Any, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x)) (Misra 2019), smooth and non-monotonic: ∂/∂x = tanh(sp(x)) +
    x·σ(x)·(1 − tanh²(sp(x)))."""
    x = _no_inplace(as_tensor(input), inplace, "mish")
    return _named(x, x * softplus(x).tanh(), "MishBackward0", "mish")


def threshold(input: Any, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else `value`: ∂/∂x = 1 where x > threshold, else 0."""
    x = _no_inplace(as_tensor(input), inplace, "threshold")
    return _named(x, where(x > threshold, x, value), "ThresholdBackward0", "threshold")


def softsign(input: Any) -> Tensor:
    """x / (1 + |x|): ∂/∂x = 1 / (1 + |x|)²."""
    x = as_tensor(input)
    return x / (x.abs() + 1)


def tanhshrink(input: Any) -> Tensor:
    """x − tanh(x): ∂/∂x = tanh²(x)."""
    x = as_tensor(input)
    return x - x.tanh()


ONE_SIXTH_FLOAT32 = struct.unpack("f", struct.pack("f", 1 / 6))[0]
"""hardsigmoid's slope in PyTorch's backward, a float32 constant whatever the dtype."""


def _with_slope(x: Tensor, value: Tensor, slope: Any) -> Tensor:
    """`value` (numbers) whose derivative by x is `slope` (numbers), and whose second is 0:
    (x − x₀)·slope + value, x₀ = x's numbers, so that x − x₀ is exactly 0."""
    return (x - x.detach()) * slope + value


def hardsigmoid(input: Any, inplace: bool = False) -> Tensor:
    """x/6 + ½ clamped to [0, 1]: ∂/∂x = 1/6 strictly inside (−3, 3) (PyTorch's 1/6 in float32),
    0 elsewhere."""
    x = _no_inplace(as_tensor(input), inplace, "hardsigmoid")
    x0 = x.detach()
    inside = (x > -3) & (x < 3)
    value = (x0 * (1 / 6) + 0.5).clamp(0, 1)
    return _named(
        x,
        where(inside, _with_slope(x, value, ONE_SIXTH_FLOAT32), value),
        "HardsigmoidBackward0",
        "hardsigmoid",
    )


def hardswish(input: Any, inplace: bool = False) -> Tensor:
    """x·relu6(x + 3)/6: 0 up to −3, x(x + 3)/6 strictly between −3 and 3, x from 3 on; ∂/∂x =
    0, x/3 + ½, 1 (at −3 and 3 the outer pieces', as PyTorch's)."""
    x = _no_inplace(as_tensor(input), inplace, "hardswish")
    middle = where(x < 3, x * (x + 3) * (1 / 6), x)
    return _named(x, where(x <= -3, 0.0, middle), "HardswishBackward0", "hardswish")


def logsigmoid(input: Any) -> Tensor:
    """log σ(x) = −log(1 + e⁻ˣ), computed as min(x, 0) − log(1 + e^(−|x|)) so that e never
    overflows: ∂/∂x = 1 − σ(x)."""
    x = as_tensor(input)
    negative = x.clamp(max=0.0)
    positive = x.clamp(min=0.0)
    smooth = where(x > 0, -((-positive).exp() + 1).log(), negative - (negative.exp() + 1).log())
    return _named(x, smooth, "LogSigmoidBackward0", "log_sigmoid")


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α(e^(x/α) − 1): elu with the exponent scaled, so that its derivative
    is continuous for every α (1 at 0)."""
    x = _no_inplace(as_tensor(input), inplace, "celu")
    negative = ((x.clamp(max=0.0) * (1 / alpha)).exp() - 1) * alpha
    return _named(x, where(x > 0, x, negative), "CeluBackward0", "celu")


def selu(input: Any, inplace: bool = False) -> Tensor:
    """scale·elu(x, α) with selu's constants α ≈ 1.6733, scale ≈ 1.0507 (PyTorch's EluBackward0)."""
    x = _no_inplace(as_tensor(input), inplace, "selu")
    return _named(x, elu(x, SELU_ALPHA) * SELU_SCALE, "EluBackward0", "selu")


def glu(input: Any, dim: int = -1) -> Tensor:
    """a·σ(b), a and b the two halves of x along `dim` (the gated linear unit)."""
    x = as_tensor(input)
    if x.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    size = x.shape[dim]
    if size % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim % x.dim()} is size {size}"
        )
    a, b = x.chunk(2, dim)
    return _named(x, a * b.sigmoid(), "GluBackward0", "glu")


def softmax2d(input: Any) -> Tensor:
    """softmax over the channels (dimension −3) of a (C, H, W) or (N, C, H, W) input."""
    x = as_tensor(input)
    if x.dim() not in (3, 4):
        raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {x.dim()}D instead")
    return x.softmax(-3)


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


class PReLU(_Function):
    """nn.PReLU(num_parameters=1, init=0.25): leaky relu with a learnt slope (a Parameter of
    num_parameters elements, each `init`), one for all channels or one per channel."""

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(full((num_parameters,), float(init)))

    def reset_parameters(self) -> None:
        """Every slope back to `init`."""
        self.weight.data.fill_(self.init)

    def forward(self, input: Any) -> Tensor:
        return prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


def _inplace_repr(module: Any) -> str:
    return "inplace=True" if module.inplace else ""


class Mish(_Function):
    """nn.Mish(): x·tanh(softplus(x))."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return mish(input, self.inplace)

    extra_repr = _inplace_repr


class Threshold(_Function):
    """nn.Threshold(threshold, value): x where x > threshold, else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Any) -> Tensor:
        return threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace}"


class Softsign(_Function):
    """nn.Softsign(): x / (1 + |x|)."""

    def forward(self, input: Any) -> Tensor:
        return softsign(input)


class Tanhshrink(_Function):
    """nn.Tanhshrink(): x − tanh(x)."""

    def forward(self, input: Any) -> Tensor:
        return tanhshrink(input)


class Hardsigmoid(_Function):
    """nn.Hardsigmoid(): x/6 + ½ clamped to [0, 1]."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return hardsigmoid(input, self.inplace)


class Hardswish(Hardsigmoid):
    """nn.Hardswish(): x·relu6(x + 3)/6."""

    def forward(self, input: Any) -> Tensor:
        return hardswish(input, self.inplace)


class LogSigmoid(_Function):
    """nn.LogSigmoid(): log σ(x)."""

    def forward(self, input: Any) -> Tensor:
        return logsigmoid(input)


class CELU(_Function):
    """nn.CELU(alpha=1.0): x for x > 0, else α(e^(x/α) − 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Any) -> Tensor:
        return celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class SELU(Mish):
    """nn.SELU(): scale·elu(x, α), selu's constants."""

    def forward(self, input: Any) -> Tensor:
        return selu(input, self.inplace)


class GLU(_Function):
    """nn.GLU(dim=-1): a·σ(b), the halves of the input along dim."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        return glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax2d(_Function):
    """nn.Softmax2d(): softmax over the channels of (C, H, W) or (N, C, H, W)."""

    def forward(self, input: Any) -> Tensor:
        return softmax2d(input)
