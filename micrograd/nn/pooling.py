"""Pooling, as ``torch.nn.functional.max_pool1d``/``max_pool2d``/``avg_pool2d``/
``adaptive_avg_pool2d`` and the modules ``nn.MaxPool1d``, ``nn.MaxPool2d``, ``nn.AvgPool2d``,
``nn.AdaptiveAvgPool2d``.

Each output element is made of the input elements of its window, so gradients come free:

* max pooling: a copy of the window's largest element (the first of equal ones, as PyTorch's
  kernel picks it; nan wins), so ∂y/∂x is 1 for that element and 0 for the others;
* average pooling: (Σ window) / size, so ∂y/∂x = 1/size for each element of the window.

Padding adds −inf (max) or zeros (average) around the input; 1-D pooling is 2-D pooling of
height 1, as in PyTorch (whose result is therefore a squeeze: SqueezeBackward1).
"""

from __future__ import annotations

import math
from typing import Any

from ..core.missing import refuse_unless_default
from ..tensors import Tensor, as_tensor, int64
from ..tensors.elements import copies, element_values
from .conv import as_tuple
from .module import Module

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "adaptive_avg_pool1d",
    "avg_pool1d",
    "lp_pool2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AdaptiveAvgPool1d",
    "AvgPool1d",
    "LPPool2d",
]

WHY = "micrograd's pooling has no such option"


def _planes(x: Tensor) -> tuple[Tensor, bool]:
    """x as (N, C, H, W), and whether it was batched: (C, H, W) is one sample."""
    if x.dim() not in (3, 4) or x.numel() == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    return (x, True) if x.dim() == 4 else (x.unsqueeze(0), False)


def _geometry(
    x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, half: str
) -> tuple[tuple, tuple, tuple, tuple, tuple]:
    """(kernel, stride, padding, dilation, output size) as pairs, with PyTorch's checks:
    padding at most half the (dilated) kernel, an output of at least one element."""
    kernel = as_tuple(kernel_size, 2)
    stride = kernel if stride is None or stride == [] else as_tuple(stride, 2)
    padding, dilation = as_tuple(padding, 2), as_tuple(dilation, 2)
    if any(s <= 0 for s in stride):
        raise RuntimeError("stride should be greater than zero")
    reach = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    for p, k, d, r in zip(padding, kernel, dilation, reach):
        if p > r // 2:
            raise RuntimeError(half.format(pad=p, kernel=k, dilation=d))
    h, w = x.shape[-2:]
    out = tuple(
        (size + 2 * p - r) // s + 1 for size, p, r, s in zip((h, w), padding, reach, stride)
    )
    if min(out) < 1:
        raise RuntimeError(
            f"Given input size: ({x.shape[-3]}x{h}x{w}). Calculated output size: "
            f"({x.shape[-3]}x{out[0]}x{out[1]}). Output size is too small"
        )
    return kernel, stride, padding, dilation, out


def _window_argmax(values: list, positions: list[int]) -> int:
    """The position of the largest of values[positions], the first of equal ones (nan wins)."""
    best, largest = positions[0], -math.inf
    for i in positions:
        v = values[i].data
        if v > largest or math.isnan(v):
            best, largest = i, v
    return best


def _window_max(values: list, positions: list[int]) -> Any:
    """A copy of the largest of values[positions], the first of equal ones (nan wins)."""
    return copies([values[_window_argmax(values, positions)]])[0]


def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor:
    """y[n, c, i, j] = max over the window x[n, c, i·s + a·d − p, j·s + e·d − p] (a, e < k)
    of (N, C, H, W) or (C, H, W); the stride is the kernel size unless given."""
    refuse_unless_default("max_pool2d", "ceil_mode", ceil_mode, False, WHY)
    refuse_unless_default("max_pool2d", "return_indices", return_indices, False, WHY)
    x, batched = _planes(as_tensor(input))
    kernel, stride, padding, dilation, out = _geometry(
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        "pad should be at most half of effective kernel size, but got pad={pad}, "
        "kernel_size={kernel} and dilation={dilation}",
    )
    h, w = x.shape[2:]
    windows = []
    for i in range(out[0]):
        rows = [i * stride[0] + a * dilation[0] - padding[0] for a in range(kernel[0])]
        for j in range(out[1]):
            cols = [j * stride[1] + e * dilation[1] - padding[1] for e in range(kernel[1])]
            windows.append([r * w + c for r in rows if 0 <= r < h for c in cols if 0 <= c < w])
    xv, plane = x._values, h * w
    values = [
        _window_max(xv, [base + k for k in window])
        for base in range(0, len(xv), plane)
        for window in windows
    ]
    shape = (*x.shape[:2], *out) if batched else (x.shape[1], *out)
    return x._result(
        values, shape, "MaxPool2DWithIndicesBackward0", "max_pool2d", (x,), stored=True
    )


def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor:
    """y[n, c, i] = max over the window x[n, c, i·s + a·d − p] (a < k) of (N, C, L) or (C, L):
    max_pool2d of height 1, squeezed."""
    x = as_tensor(input)
    if x.dim() not in (2, 3):
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
            f"for input, but got:{list(x.shape)}"
        )
    pooled = max_pool2d(
        x.unsqueeze(-2),
        _height_one(kernel_size),
        None if stride is None else _height_one(stride),
        (0, as_tuple(padding, 1)[0]),
        _height_one(dilation),
        ceil_mode,
        return_indices,
    )
    return pooled.squeeze(-2)


def _height_one(value: Any) -> tuple[int, int]:
    """A 1-D kernel size, stride or dilation as a 2-D one of height 1."""
    return (1, as_tuple(value, 1)[0])


def avg_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """y[n, c, i, j] = (Σ window) / size over the window x[n, c, i·s + a − p, j·s + e − p]
    (a, e < k): size counts the padded zeros unless count_include_pad is False, and is
    divisor_override when given."""
    refuse_unless_default("avg_pool2d", "ceil_mode", ceil_mode, False, WHY)
    x, batched = _planes(as_tensor(input))
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    kernel, stride, padding, _, out = _geometry(
        x,
        kernel_size,
        stride,
        padding,
        1,
        "pad should be at most half of effective kernel size, but got pad={pad}, "
        "kernel_size={kernel} and dilation={dilation}",
    )
    h, w = x.shape[2:]
    windows = []
    for i in range(out[0]):
        top = i * stride[0] - padding[0]
        bottom = min(top + kernel[0], h + padding[0])
        for j in range(out[1]):
            left = j * stride[1] - padding[1]
            right = min(left + kernel[1], w + padding[1])
            padded_size = (bottom - top) * (right - left)
            rows = range(max(top, 0), min(bottom, h))
            cols = range(max(left, 0), min(right, w))
            size = padded_size if count_include_pad else len(rows) * len(cols)
            windows.append(([r * w + c for r in rows for c in cols], divisor_override or size))
    xv, plane = x._values, h * w
    values = [
        _window_sum(xv, base, window) / size
        for base in range(0, len(xv), plane)
        for window, size in windows
    ]
    shape = (*x.shape[:2], *out) if batched else (x.shape[1], *out)
    return x._result(values, shape, "AvgPool2DBackward0", "avg_pool2d", (x,))


def _window_sum(values: list, base: int, window: list[int]) -> Any:
    """Σ values[base + k] over the window (one at least), added in order."""
    total = values[base + window[0]]
    for k in window[1:]:
        total = total + values[base + k]
    return total


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Average pooling to a given output size (oH, oW): the window of y[..., i, j] is rows
    ⌊i·H/oH⌋ to ⌈(i + 1)·H/oH⌉ and columns likewise.  To (1, 1) it is the mean over the last
    two dimensions (PyTorch's MeanBackward1); None in output_size keeps that dimension."""
    x = as_tensor(input)
    if x.dim() not in (3, 4):
        raise RuntimeError(
            f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(x.shape)}"
        )
    h, w = x.shape[-2:]
    oh, ow = _output_size(output_size, h, w)
    if (oh, ow) == (1, 1):
        return x.mean((-2, -1), keepdim=True)
    planes, batched = _planes(x)
    xv = planes._values
    values = [
        _window_sum(xv, base, window) / len(window)
        for base in range(0, len(xv), h * w)
        for window in _adaptive_windows(h, w, oh, ow)
    ]
    shape = (*x.shape[:-2], oh, ow)
    return planes._result(values, shape, "AdaptiveAvgPool2DBackward0", "adaptive_avg_pool2d", (x,))


def _adaptive_windows(h: int, w: int, oh: int, ow: int) -> list[list[int]]:
    """The windows of adaptive pooling of an h×w plane to oh×ow, as flat positions: rows
    ⌊i·h/oh⌋ to ⌈(i + 1)·h/oh⌉ of output row i, and the columns likewise."""
    windows = []
    for i in range(oh):
        rows = range(i * h // oh, -(-(i + 1) * h // oh))
        for j in range(ow):
            cols = range(j * w // ow, -(-(j + 1) * w // ow))
            windows.append([r * w + c for r in rows for c in cols])
    return windows


def _output_size(output_size: Any, h: int, w: int) -> tuple[int, int]:
    """(oH, oW) from an int or a pair; None keeps that dimension's size."""
    sizes = output_size if isinstance(output_size, (list, tuple)) else (output_size,) * 2
    oh, ow = (int(s) if s is not None else d for s, d in zip(sizes, (h, w)))
    return oh, ow


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a given output size (oH, oW), over adaptive_avg_pool2d's windows: a copy
    of each window's largest element (∂y/∂x = 1 for it, 0 for the others).  With
    return_indices, also each maximum's flat position in its H×W plane (int64)."""
    x = as_tensor(input)
    if x.dim() not in (3, 4):
        raise RuntimeError(
            f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {list(x.shape)}"
        )
    h, w = x.shape[-2:]
    oh, ow = _output_size(output_size, h, w)
    windows = _adaptive_windows(h, w, oh, ow)
    xv, plane = x._values, h * w
    best = [
        _window_argmax(xv, [base + k for k in window])
        for base in range(0, len(xv), plane)
        for window in windows
    ]
    shape = (*x.shape[:-2], oh, ow)
    values = copies([xv[i] for i in best])
    result = x._result(
        values, shape, "AdaptiveMaxPool2DBackward0", "adaptive_max_pool2d", (x,), stored=True
    )
    if not return_indices:
        return result
    return result, Tensor(element_values([i % plane for i in best], int64), shape, int64)


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """Average pooling of (N, C, L) or (C, L) to a given length: adaptive_avg_pool2d of height
    1, squeezed (PyTorch's SqueezeBackward1)."""
    x = as_tensor(input)
    _one_dimensional(x, "adaptive_avg_pool1d")
    size = output_size[0] if isinstance(output_size, (list, tuple)) else output_size
    return adaptive_avg_pool2d(x.unsqueeze(-2), (1, size)).squeeze(-2)


def _one_dimensional(x: Tensor, name: str) -> None:
    """PyTorch's check of a 1-D pooling's input: (C, L) or (N, C, L)."""
    if x.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {x.dim()}-dimensional tensor for argument #1 "
            f"'self' (while checking arguments for {name})"
        )


def avg_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """y[n, c, i] = (Σ window) / size over x[n, c, i·s + a − p] (a < k): avg_pool2d of height
    1, squeezed."""
    x = as_tensor(input)
    _one_dimensional(x, "avg_pool1d")
    pooled = avg_pool2d(
        x.unsqueeze(-2),
        _height_one(kernel_size),
        None if stride is None else _height_one(stride),
        (0, as_tuple(padding, 1)[0]),
        ceil_mode,
        count_include_pad,
    )
    return pooled.squeeze(-2)


def lp_pool2d(
    input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
) -> Tensor:
    """The p-norm of each window, (Σ xᵖ)^(1/p) (p = norm_type): PyTorch's avg_pool2d of xᵖ
    times the window's size, to the power 1/p (PowBackward0).  p = 1 is sum pooling; as p grows
    it approaches max pooling."""
    kernel = as_tuple(kernel_size, 2)
    pooled = avg_pool2d(as_tensor(input) ** norm_type, kernel, stride, 0, ceil_mode)
    return (pooled * (kernel[0] * kernel[1])) ** (1.0 / norm_type)


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share: their options and printout."""

    function: Any = None

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        refuse_unless_default(name, "ceil_mode", ceil_mode, False, WHY)
        refuse_unless_default(name, "return_indices", return_indices, False, WHY)
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Any) -> Tensor:
        """The input max-pooled."""
        return type(self).function(
            input, self.kernel_size, self.stride, self.padding, self.dilation
        )

    def extra_repr(self) -> str:
        """kernel_size=..., stride=..., padding=..., dilation=..., ceil_mode=..."""
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool2d(_MaxPoolNd):
    """2-D max pooling (torch.nn.MaxPool2d): ``max_pool2d(x, kernel_size, stride, ...)``."""

    function = staticmethod(max_pool2d)


class MaxPool1d(_MaxPoolNd):
    """1-D max pooling (torch.nn.MaxPool1d): ``max_pool1d(x, kernel_size, stride, ...)``."""

    function = staticmethod(max_pool1d)


class AvgPool2d(Module):
    """2-D average pooling (torch.nn.AvgPool2d): ``avg_pool2d(x, kernel_size, stride, ...)``."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        refuse_unless_default("AvgPool2d", "ceil_mode", ceil_mode, False, WHY)
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Any) -> Tensor:
        """The input average-pooled."""
        return avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        """kernel_size=..., stride=..., padding=..."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Tensor:
        """The input average-pooled to output_size."""
        return adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        """output_size=..."""
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(Module):
    """Max pooling to a fixed output size (torch.nn.AdaptiveMaxPool2d)."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input: Any) -> Any:
        """The input max-pooled to output_size (and the indices, with return_indices)."""
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        """output_size=..."""
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """Average pooling to a fixed length (torch.nn.AdaptiveAvgPool1d)."""

    def forward(self, input: Any) -> Tensor:
        """The input average-pooled to output_size."""
        return adaptive_avg_pool1d(input, self.output_size)


class AvgPool1d(Module):
    """1-D average pooling (torch.nn.AvgPool1d): ``avg_pool1d(x, kernel_size, stride, ...)``."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        refuse_unless_default("AvgPool1d", "ceil_mode", ceil_mode, False, WHY)
        self.kernel_size = as_tuple(kernel_size, 1)
        self.stride = as_tuple(stride if stride is not None else kernel_size, 1)
        self.padding = as_tuple(padding, 1)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Any) -> Tensor:
        """The input average-pooled."""
        return avg_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
        )

    def extra_repr(self) -> str:
        """kernel_size=(k,), stride=(s,), padding=(p,)"""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class LPPool2d(Module):
    """Power-average pooling (torch.nn.LPPool2d): ``lp_pool2d(x, norm_type, kernel_size, ...)``."""

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        refuse_unless_default("LPPool2d", "ceil_mode", ceil_mode, False, WHY)
        self.norm_type, self.kernel_size, self.stride = norm_type, kernel_size, stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Any) -> Tensor:
        """The p-norm of each window."""
        return lp_pool2d(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        """norm_type=..., kernel_size=..., stride=..., ceil_mode=..."""
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )
