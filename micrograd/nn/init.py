"""``torch.nn.init``: fill a tensor in place (under no_grad) and return it.

The numbers come from micrograd's generator (``manual_seed``), so they are other numbers than
PyTorch's for the same seed; the distributions are PyTorch's:

* Xavier (Glorot): std = gain·√(2 / (fan_in + fan_out)); the uniform one draws from
  U(−a, a) with a = √3·std (a uniform on [−a, a] has variance a²/3);
* Kaiming (He): std = gain / √fan, fan = fan_in or fan_out (``mode``), gain =
  ``calculate_gain(nonlinearity, a)``; the uniform one draws from U(−√3·std, √3·std);
* fans as PyTorch counts them: a weight of shape (out, in, k₁, k₂...) has fan_in = in·k₁·k₂···
  and fan_out = out·k₁·k₂··· (``Linear``'s weight is (out_features, in_features)).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from ..core.errors import NotSupported, missing_name
from ..core.modes import no_grad
from ..tensors import Tensor, as_tensor, eye
from ..tensors import tensor as make_tensor
from ..tensors.sampling import randperm

__all__ = [
    "calculate_gain",
    "uniform_",
    "normal_",
    "constant_",
    "ones_",
    "zeros_",
    "eye_",
    "dirac_",
    "trunc_normal_",
    "orthogonal_",
    "sparse_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
]

_LINEAR = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def calculate_gain(nonlinearity: str, param: Any = None) -> float:
    """The factor that keeps the variance of activations steady through a layer followed by
    `nonlinearity`: 1 for linear and sigmoid, 5/3 for tanh, √2 for relu,
    √(2 / (1 + slope²)) for leaky_relu (slope `param`, 0.01 by default), 3/4 for selu."""
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _no_generator(generator: Any) -> None:
    if generator is not None:
        raise NotSupported(
            "nn.init's generator= is not supported: micrograd draws from its own generator "
            "(seed it with micrograd.manual_seed)"
        )


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Every element drawn from U(a, b)."""
    _no_generator(generator)
    with no_grad():
        return tensor.uniform_(a, b)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Every element drawn from N(mean, std²)."""
    _no_generator(generator)
    with no_grad():
        return tensor.normal_(mean, std)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Every element set to `val`."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Every element set to 1."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Every element set to 0."""
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """A 2-dimensional tensor set to the identity matrix (ones on the diagonal, zeros elsewhere,
    for any shape)."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        return tensor.copy_(eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """A 3-, 4- or 5-dimensional weight (out, in, k...) set to the Dirac delta: a convolution by
    it copies its input channels (channel d of each of the `groups` groups of outputs is input
    channel d, the kernel 1 at its centre and 0 elsewhere)."""
    if tensor.dim() not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tuple(tensor.shape)
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    numbers = [0.0] * tensor.numel()
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    centre = sum(size // 2 * stride for size, stride in zip(sizes[2:], strides[2:]))
    for g in range(groups):
        for d in range(min(per_group, sizes[1])):
            numbers[(g * per_group + d) * strides[0] + d * strides[1] + centre] = 1.0
    return _filled(tensor, numbers)


def _filled(tensor: Tensor, numbers: list[float]) -> Tensor:
    """`tensor` (in place, under no_grad) holding `numbers` in row-major order."""
    with no_grad():
        return tensor.copy_(make_tensor(numbers, dtype=tensor.dtype).reshape(tensor.shape))


def _normal_cdf(x: float) -> float:
    """Φ(x), the standard normal distribution function: (1 + erf(x/√2))/2."""
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


def _drawn(like: Tensor, fill: Any, *args: float) -> list[float]:
    """Numbers drawn by an init function (uniform_, normal_) into a tensor of like's shape and
    dtype, in row-major order (so rounded as like's elements would be)."""
    scratch = make_tensor([0.0] * like.numel(), dtype=like.dtype)
    return fill(scratch, *args).tolist()


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Any = None,
) -> Tensor:
    """Numbers from N(mean, std²) truncated to [a, b], drawn by PyTorch's rejection sampling.
    Where the bounds hold most of the mass (p = Φ(β) − Φ(α) > 0.3, α and β the bounds in
    standard units), normal numbers are drawn, and those outside redrawn (a whole tensor's worth
    a round) until none is; else candidates uniform on [a, b], each accepted when log u (u
    uniform on [0, 1)) is at most its log-density relative to the density's peak, the others
    drawn again."""
    _no_generator(generator)
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    mass = _normal_cdf((b - mean) / std) - _normal_cdf((a - mean) / std)
    if mass > 0.3:
        low, high = make_tensor([a, b], dtype=tensor.dtype).tolist()  # the bounds as stored
        numbers = _drawn(tensor, normal_, mean, std)
        while any(not low <= x <= high for x in numbers):
            fresh = _drawn(tensor, normal_, mean, std)
            numbers = [y if not low <= x <= high else x for x, y in zip(numbers, fresh)]
        return _filled(tensor, numbers)
    peak = -0.5 * ((max(a, min(mean, b)) - mean) / std) ** 2

    def rejected(candidates: list[float]) -> list[bool]:
        """log u > log-density − its peak, u drawn for each candidate."""
        u = _drawn(tensor, uniform_, 0.0, 1.0)
        return [
            (math.log(v) if v > 0 else -math.inf) > -0.5 * ((c - mean) / std) ** 2 - peak
            for v, c in zip(u, candidates)
        ]

    numbers = _drawn(tensor, uniform_, a, b)
    pending = rejected(numbers)
    while any(pending):
        candidates = _drawn(tensor, uniform_, a, b)
        numbers = [c if p else x for x, c, p in zip(numbers, candidates, pending)]
        pending = [p and r for p, r in zip(pending, rejected(candidates))]
    return _filled(tensor, numbers)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """A (semi-)orthogonal matrix (Saxe et al. 2013), of a tensor of two or more dimensions
    viewed as (rows, the rest): the Q of the QR decomposition of a matrix of N(0, 1) numbers,
    the signs fixed so that R's diagonal is positive, times `gain`.  That Q is what Gram-Schmidt
    makes of the columns (of the transpose if there are fewer rows than columns)."""
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    drawn = normal_(_empty(rows, cols), 0.0, 1.0, generator)
    matrix = drawn.tolist()
    if rows < cols:
        matrix = [list(column) for column in zip(*matrix)]
    q = _gram_schmidt(matrix)
    if rows < cols:
        q = [list(column) for column in zip(*q)]
    return _filled(tensor, [gain * v for row in q for v in row])


def _empty(rows: int, cols: int) -> Tensor:
    """A rows×cols float32 tensor of zeros, to be filled."""
    return as_tensor([[0.0] * cols for _ in range(rows)])


def _gram_schmidt(matrix: list[list[float]]) -> list[list[float]]:
    """The columns of an n×m matrix (n ≥ m) made orthonormal in order (modified Gram-Schmidt,
    twice for accuracy): qⱼ = (aⱼ − Σ_{i<j} (qᵢ·aⱼ)qᵢ) / ‖…‖, the Q of A = QR with R's diagonal
    positive.  A column in the span of the earlier ones raises NotSupported."""
    n, m = len(matrix), len(matrix[0])
    columns: list[list[float]] = []
    for j in range(m):
        v = [matrix[i][j] for i in range(n)]
        for _ in range(2):
            for q in columns:
                dot = sum(a * b for a, b in zip(q, v))
                v = [a - dot * b for a, b in zip(v, q)]
        norm = math.sqrt(sum(a * a for a in v))
        if norm == 0.0:
            raise NotSupported(
                "orthogonal_ drew linearly dependent columns: micrograd has no QR with pivoting; "
                "draw again (call orthogonal_ once more)"
            )
        columns.append([a / norm for a in v])
    return [[columns[j][i] for j in range(m)] for i in range(n)]


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """A 2-D tensor of N(0, std²) numbers with ⌈sparsity·rows⌉ zeros in each column (Martens
    2010), the rows of each column's zeros chosen by a random permutation."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    zeros = int(math.ceil(sparsity * rows))
    normal_(tensor, 0.0, std, generator)
    numbers = tensor.detach().reshape(-1).tolist()
    for col in range(cols):
        for row in randperm(rows).tolist()[:zeros]:
            numbers[row * cols + col] = 0.0
    return _filled(tensor, numbers)


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, k₁, ...): (in·k₁···, out·k₁···)."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    """fan_in or fan_out, as `mode` says."""
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _xavier_std(tensor: Tensor, gain: float) -> float:
    """gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot's uniform: U(−a, a), a = gain·√(6 / (fan_in + fan_out))."""
    a = math.sqrt(3.0) * _xavier_std(tensor, gain)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot's normal: N(0, std²), std = gain·√(2 / (fan_in + fan_out))."""
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    """gain / √fan (None for an empty tensor, which PyTorch leaves, warning)."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He's uniform: U(−bound, bound), bound = gain·√(3 / fan)."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He's normal: N(0, std²), std = gain / √fan."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def __getattr__(name: str) -> Any:
    """A torch.nn.init name micrograd does not have: say so."""
    raise missing_name("nn.init.", name)
