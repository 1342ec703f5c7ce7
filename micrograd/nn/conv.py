"""Convolutions, as ``torch.nn.functional.conv1d``/``conv2d``/``conv_transpose2d`` and the
modules ``nn.Conv1d``, ``nn.Conv2d``, ``nn.ConvTranspose2d`` and ``nn.LazyConv2d``.

Each output element is a sum of products of Values,

    y[n, o, i, j] = b[o] + Σ_{c, a, e} w[o, c, a, e] · x[n, g·C/G + c, i·s₁ + a·d₁ − p₁, j·s₂ + e·d₂ − p₂]

(g the group of the output channel o, G the number of groups, s the stride, d the dilation,
p the padding), so its gradient reaches every weight and input element by the product rule.
Padded positions hold zeros: their products are left out.  A 1-D convolution is a 2-D one of
height 1.
"""

from __future__ import annotations

import math
from typing import Any

from ..core.errors import NotSupported
from ..core.missing import refuse_unless_default
from ..tensors import Tensor, as_tensor, zeros
from ..tensors.linalg import sum_of_products
from . import init
from .lazy import LazyModuleMixin
from .module import Module, Parameter

__all__ = ["conv1d", "conv2d", "conv_transpose2d", "Conv1d", "Conv2d", "ConvTranspose2d"]
__all__ += ["LazyConv2d"]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def as_tuple(value: Any, n: int) -> tuple[int, ...]:
    """An int (or a one-element sequence) repeated n times; a sequence of n ints as a tuple."""
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and n > 1:
            return tuple(value) * n
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _paddings(
    padding: Any, kernel: tuple, dilation: tuple, stride: tuple
) -> tuple[tuple[int, int], ...]:
    """(before, after) zeros along each spatial dimension.  'valid' is none; 'same' pads
    d·(k − 1) in all, the odd one after, as PyTorch does, and needs stride 1."""
    if isinstance(padding, str):
        if padding == "valid":
            return tuple((0, 0) for _ in kernel)
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in totals)
    return tuple((p, p) for p in as_tuple(padding, len(kernel)))


def _taps(
    size: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[tuple[int, int], ...],
    dilation: tuple[int, int],
    channels: int,
    out: tuple[int, int],
) -> list[list[tuple[int, int]]]:
    """For each output position (row by row), the (input offset, weight offset) pairs of the
    products that make it, within one group's block of channels: the padded ones left out."""
    (h, w), (kh, kw) = size, kernel
    taps = []
    for i in range(out[0]):
        for j in range(out[1]):
            pairs = []
            for c in range(channels):
                for a in range(kh):
                    y = i * stride[0] + a * dilation[0] - pads[0][0]
                    if not 0 <= y < h:
                        continue
                    for e in range(kw):
                        x = j * stride[1] + e * dilation[1] - pads[1][0]
                        if 0 <= x < w:
                            pairs.append(((c * h + y) * w + x, (c * kh + a) * kw + e))
            taps.append(pairs)
    return taps


def _check(x: Tensor, weight: Tensor, bias: Any, groups: int, spatial: int, name: str) -> None:
    """PyTorch's checks of a convolution's operands, with its messages."""
    if x.dim() not in (spatial + 1, spatial + 2):
        raise RuntimeError(
            f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, "
            f"but got input of size: {list(x.shape)}"
        )
    if weight.dim() != spatial + 2:
        raise RuntimeError(
            f"Expected {spatial + 2}-dimensional weight for {spatial + 2}-dimensional input, "
            f"but got {weight.dim()}-dimensional weight of size {list(weight.shape)}"
        )
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f"\"slow_conv2d_cpu\" not implemented for '{x.dtype.name}'")
    channels = x.shape[-spatial - 1]
    if channels != weight.shape[1] * groups:
        batched = x.shape if x.dim() == spatial + 2 else (1, *x.shape)
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(batched)} to have {weight.shape[1] * groups} channels, but got "
            f"{channels} channels instead"
        )
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size {list(weight.shape)} instead"
        )
    if bias is not None and (bias.dim() != 1 or bias.numel() != weight.shape[0]):
        raise RuntimeError(
            f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
            f"with {weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead"
        )


def convolve(
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    spatial: int,
) -> Tensor:
    """The convolution of `spatial` (1 or 2) dimensions: see the module's docstring.  An
    unbatched input (no N) gives the batched result squeezed, as PyTorch's does."""
    name = f"conv{spatial}d"
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    if groups < 1:
        raise RuntimeError("non-positive groups is not supported")
    _check(x, w, b, groups, spatial, name)
    batched = x.dim() == spatial + 2
    if not batched:
        x = x.unsqueeze(0)
    kernel, stride = tuple(w.shape[2:]), as_tuple(stride, spatial)
    dilation = as_tuple(dilation, spatial)
    pads = _paddings(padding, kernel, dilation, stride)
    if any(s < 1 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    padded = [size + p0 + p1 for size, (p0, p1) in zip(x.shape[2:], pads)]
    reach = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(r > p for r, p in zip(reach, padded)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, reach))}). Kernel size can't be greater than "
            "actual input size"
        )
    out = [(p - r) // s + 1 for p, r, s in zip(padded, reach, stride)]
    if spatial == 1:  # a 2-D convolution of height 1
        size2, kernel2, out2 = (1, x.shape[2]), (1, kernel[0]), (1, out[0])
        stride2, dilation2, pads2 = (1, stride[0]), (1, dilation[0]), ((0, 0), pads[0])
    else:
        size2, kernel2, out2 = tuple(x.shape[2:]), kernel, tuple(out)
        stride2, dilation2, pads2 = stride, dilation, pads
    n, c = x.shape[0], x.shape[1]
    o, per_group = w.shape[0], w.shape[1]
    outs_per_group = o // groups
    taps = _taps(size2, kernel2, stride2, pads2, dilation2, per_group, out2)
    xv, wv = x._values, w._values
    bv = b._values if b is not None else None
    plane, filter_size = size2[0] * size2[1], per_group * kernel2[0] * kernel2[1]
    values = []
    for sample in range(n):
        for channel in range(o):
            x_base = (sample * c + channel // outs_per_group * per_group) * plane
            w_base = channel * filter_size
            for pairs in taps:
                total = sum_of_products(
                    ((xv[x_base + i], wv[w_base + k]) for i, k in pairs), x.dtype
                )
                values.append(total + bv[channel] if bv is not None else total)
    parents = (x, w) if b is None else (x, w, b)
    result = x._result(values, (n, o, *out), "ConvolutionBackward0", name, parents)
    return result if batched else result.squeeze(0)


def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-D convolution of (N, C, H, W) (or (C, H, W)) by a weight (O, C/groups, kH, kW):
    y[n, o, i, j] = b[o] + Σ w[o, c, a, e]·x[n, c, i·s + a·d − p, j·s + e·d − p]."""
    return convolve(input, weight, bias, stride, padding, dilation, groups, 2)


def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-D convolution of (N, C, L) (or (C, L)) by a weight (O, C/groups, k):
    y[n, o, i] = b[o] + Σ w[o, c, a]·x[n, c, i·s + a·d − p]."""
    return convolve(input, weight, bias, stride, padding, dilation, groups, 1)


def _transposed_taps(
    size: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    dilation: tuple[int, int],
    channels: int,
    out: tuple[int, int],
    outs_per_group: int,
) -> list[list[tuple[int, int]]]:
    """For each output position of a transposed convolution (row by row), the (input offset,
    weight offset) pairs of its products within one group: input (c, h, w) reaches output
    (h·s − p + a·d, w·s − p + e·d) through weight (c, ·, a, e), so output (i, j) reads the h
    with i + p − a·d = h·s (and the w likewise)."""
    (h_in, w_in), (kh, kw) = size, kernel
    taps = []
    for i in range(out[0]):
        for j in range(out[1]):
            pairs = []
            for c in range(channels):
                for a in range(kh):
                    h, rest = divmod(i + padding[0] - a * dilation[0], stride[0])
                    if rest or not 0 <= h < h_in:
                        continue
                    for e in range(kw):
                        w, rest = divmod(j + padding[1] - e * dilation[1], stride[1])
                        if not rest and 0 <= w < w_in:
                            weight = (c * outs_per_group * kh + a) * kw + e
                            pairs.append(((c * h_in + h) * w_in + w, weight))
            taps.append(pairs)
    return taps


def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """The transposed 2-D convolution (the gradient of conv2d by its input, as a layer that
    enlarges): of (N, C, H, W) (or (C, H, W)) by a weight (C, O/groups, kH, kW),
    y[n, o, h·s − p + a·d, w·s − p + e·d] += x[n, c, h, w]·W[c, o, a, e], plus b[o]; the output
    is (H − 1)·s − 2p + d·(k − 1) + output_padding + 1 high, and as wide likewise."""
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    if x.dim() not in (3, 4):
        raise RuntimeError(
            "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input "
            f"of size: {list(x.shape)}"
        )
    batched = x.dim() == 4
    if not batched:
        x = x.unsqueeze(0)
    if w.dim() != 4:
        raise RuntimeError(
            f"Expected 4-dimensional weight for 4-dimensional input, but got {w.dim()}-"
            f"dimensional weight of size {list(w.shape)}"
        )
    if x.shape[1] != w.shape[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[0]} channels, but got {x.shape[1]} channels "
            "instead"
        )
    if groups < 1 or w.shape[0] % groups:
        raise RuntimeError("non-positive groups is not supported" if groups < 1 else (
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size {list(w.shape)} instead"
        ))  # fmt: skip
    stride, dilation = as_tuple(stride, 2), as_tuple(dilation, 2)
    padding, extra = as_tuple(padding, 2), as_tuple(output_padding, 2)
    if any(op >= s and op >= d for op, s, d in zip(extra, stride, dilation)):
        raise RuntimeError(
            "output padding must be smaller than either stride or dilation, but got "
            f"output_padding_height: {extra[0]} output_padding_width: {extra[1]} stride_height: "
            f"{stride[0]} stride_width: {stride[1]} dilation_height: {dilation[0]} "
            f"dilation_width: {dilation[1]}"
        )
    kernel = tuple(w.shape[2:])
    n, c, size = x.shape[0], x.shape[1], tuple(x.shape[2:])
    out = tuple(
        (length - 1) * s - 2 * p + d * (k - 1) + op + 1
        for length, s, p, d, k, op in zip(size, stride, padding, dilation, kernel, extra)
    )
    outs_per_group, per_group = w.shape[1], c // groups
    if b is not None and (b.dim() != 1 or b.numel() != outs_per_group * groups):
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(w.shape)}, expected bias to be "
            f"1-dimensional with {outs_per_group * groups} elements, but got bias of size "
            f"{list(b.shape)} instead"
        )
    taps = _transposed_taps(size, kernel, stride, padding, dilation, per_group, out, outs_per_group)
    xv, wv = x._values, w._values
    bv = b._values if b is not None else None
    plane, filter_size = size[0] * size[1], kernel[0] * kernel[1]
    values = []
    for sample in range(n):
        for channel in range(outs_per_group * groups):
            group, o = divmod(channel, outs_per_group)
            x_base = (sample * c + group * per_group) * plane
            w_base = (group * per_group * outs_per_group + o) * filter_size
            for pairs in taps:
                total = sum_of_products(
                    ((xv[x_base + i], wv[w_base + k]) for i, k in pairs), x.dtype
                )
                values.append(total + bv[channel] if bv is not None else total)
    parents = (x, w) if b is None else (x, w, b)
    shape = (n, outs_per_group * groups, *out)
    result = x._result(values, shape, "ConvolutionBackward0", "conv_transpose2d", parents)
    return result if batched else result.squeeze(0)


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the options, the weight (out, in/groups, *kernel) and
    bias (out,), PyTorch's initialisation and printout."""

    spatial = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        n = self.spatial
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode not in PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {set(PADDING_MODES)}, but got "
                f"padding_mode='{padding_mode}'"
            )
        if padding_mode != "zeros":
            raise NotSupported(
                f"{type(self).__name__}(padding_mode='{padding_mode}') is not supported by "
                "micrograd: only padding_mode='zeros' (pad the input yourself otherwise)"
            )
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = as_tuple(kernel_size, n), as_tuple(stride, n)
        self.dilation = as_tuple(dilation, n)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(
                    f"Invalid padding string '{padding}', should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            self.padding: Any = padding
        else:
            self.padding = as_tuple(padding, n)
        self.output_padding, self.transposed = (0,) * n, False
        self.groups, self.padding_mode = groups, padding_mode
        self._make_parameters(bias)

    def _make_parameters(self, bias: bool) -> None:
        """The weight and bias, initialised (see reset_parameters)."""
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(zeros(*shape))
        if bias:
            self.bias = Parameter(zeros(self.out_channels))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's: the weight kaiming_uniform with a = √5, U(±1/√fan_in), and the bias
        U(±1/√fan_in), fan_in = in/groups · k₁ · k₂ (from micrograd's generator)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Any) -> Tensor:
        """The convolution of input by the weight, plus the bias."""
        return convolve(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.dilation,
            self.groups,
            self.spatial,
        )

    def extra_repr(self) -> str:
        """PyTorch's: the channels, kernel_size and stride, then the options not at default."""
        n = self.spatial
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv2d(_ConvNd):
    """2-D convolution layer (torch.nn.Conv2d): ``conv2d(x, weight, bias, ...)``."""

    spatial = 2


class Conv1d(_ConvNd):
    """1-D convolution layer (torch.nn.Conv1d): ``conv1d(x, weight, bias, ...)``."""

    spatial = 1


class ConvTranspose2d(_ConvNd):
    """2-D transposed convolution layer (torch.nn.ConvTranspose2d): ``conv_transpose2d(x,
    weight, bias, ...)``, the weight of shape (in_channels, out_channels/groups, kH, kW)."""

    spatial = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if isinstance(padding, str):
            raise NotSupported(
                f"ConvTranspose2d(padding='{padding}') is not supported by micrograd: give the "
                "padding as numbers"
            )
        self._transposed_output_padding = as_tuple(output_padding, 2)
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            padding_mode, device, dtype,
        )  # fmt: skip

    def _make_parameters(self, bias: bool) -> None:
        """The weight (in, out/groups, kH, kW) and bias (out,), initialised as Conv2d's."""
        self.output_padding, self.transposed = self._transposed_output_padding, True
        del self._transposed_output_padding
        shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(zeros(*shape))
        if bias:
            self.bias = Parameter(zeros(self.out_channels))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        """The transposed convolution of input by the weight, plus the bias."""
        refuse_unless_default(
            "ConvTranspose2d.forward", "output_size", output_size, None, "give output_padding"
        )
        return conv_transpose2d(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.output_padding,
            self.groups,
            self.dilation,
        )


class LazyConv2d(LazyModuleMixin, Conv2d):
    """Conv2d whose in_channels is read from its first input (torch.nn.LazyConv2d): until then
    the weight and bias are UninitializedParameters and it prints in_channels 0; the first call
    materialises and initialises them as Conv2d's, and the module becomes a Conv2d."""

    cls_to_become = Conv2d

    def __init__(self, out_channels: int, kernel_size: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(0, out_channels, kernel_size, *args, **kwargs)

    def _make_parameters(self, bias: bool) -> None:
        """Parameters without a shape until the first input says it."""
        self._uninitialized_parameters(bias)

    def reset_parameters(self) -> None:
        """Conv2d's initialisation, once the parameters have their shapes."""
        if not self.has_uninitialized_params() and self.in_channels != 0:
            Conv2d.reset_parameters(self)

    def initialize_parameters(self, input: Any) -> None:
        """in_channels = the input's channels (dimension -3); the weight (out, in/groups, kH,
        kW) and bias (out,) made and initialised."""
        x = as_tensor(input)
        if x.dim() not in (3, 4):
            raise RuntimeError(
                "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
                f"size: {list(x.shape)}"
            )
        self.in_channels = x.shape[-3]
        if self.in_channels % self.groups:
            raise ValueError("in_channels must be divisible by groups")
        if self.has_uninitialized_params():
            shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
            self.weight.materialize(shape)
            if self.bias is not None:
                self.bias.materialize((self.out_channels,))
            self.reset_parameters()
