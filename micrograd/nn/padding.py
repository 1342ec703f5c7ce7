"""Padding: ``F.pad`` and the modules ``nn.ZeroPad1d/2d``, ``nn.ConstantPad1d/2d``,
``nn.ReflectionPad1d/2d``, ``nn.ReplicationPad1d/2d``, ``nn.CircularPad1d/2d``.

``pad = (left, right, top, bottom, ...)`` widens the last dimension by left + right, the one
before it by top + bottom, and so on.  Each output element is a copy of one input element
(∂copy/∂x = 1, so an input element's gradient is the sum over its copies), or, in 'constant'
mode, the constant `value`.  Where output index o reads input index i = o − left of a
dimension of size n, an i outside [0, n) reads:

* 'constant': `value`;  'replicate': the nearest edge, min(max(i, 0), n − 1);
* 'reflect': the mirror image about the edge element, without repeating it (i = −1 reads 1);
* 'circular': i mod n, the input wrapped around (negative paddings crop first).

A negative padding crops, as PyTorch's.
"""

from __future__ import annotations

import itertools
from typing import Any, Sequence

from ..core.errors import NotSupported
from ..tensors import Tensor, as_tensor
from ..tensors.history import constant_value
from .module import Module

_MODES = ("constant", "reflect", "replicate", "circular")


def _reflected(i: int, n: int) -> int:
    """The index i mirrored into [0, n): about element 0 on the left, n − 1 on the right."""
    if i < 0:
        return -i
    return 2 * (n - 1) - i if i >= n else i


def _sources(n: int, before: int, after: int, mode: str) -> list[int | None]:
    """For each output index along one dimension, the input index it copies (None: the
    constant)."""
    if mode == "circular":
        start, stop = max(-before, 0), n - max(-after, 0)
        kept = list(range(start, stop))
        before, after = max(before, 0), max(after, 0)
        return [kept[(o - before) % len(kept)] for o in range(len(kept) + before + after)]
    chosen: list[int | None] = []
    for o in range(n + before + after):
        i = o - before
        if 0 <= i < n:
            chosen.append(i)
        elif mode == "constant":
            chosen.append(None)
        elif mode == "replicate":
            chosen.append(min(max(i, 0), n - 1))
        else:
            chosen.append(_reflected(i, n))
    return chosen


def _check(shape: Sequence[int], pad: Sequence[int], mode: str, value: Any) -> None:
    """PyTorch's errors for a padding that does not fit the input or the mode."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > len(shape):
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {len(shape)}"
        )
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if len(pad) not in (2, 4, 6) or len(shape) not in (len(pad) // 2 + 1, len(pad) // 2 + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {len(shape)}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    for k in range(len(pad) // 2):
        dim = len(shape) - 1 - k
        before, after = pad[2 * k], pad[2 * k + 1]
        if mode == "reflect" and (before >= shape[dim] or after >= shape[dim]):
            raise RuntimeError(
                f"Argument #{4 + 2 * k}: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({before}, {after}) at dimension {dim} of input "
                f"{list(shape)}"
            )
        if mode == "circular" and (before > shape[dim] or after > shape[dim]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    for k in range(len(pad) // 2):
        dim = len(shape) - 1 - k
        before, after = pad[2 * k], pad[2 * k + 1]
        if mode == "circular" and max(before, after) > shape[dim] + min(before, after, 0):
            # PyTorch copies such a wrap from its own output while writing it, and its
            # gradient then counts some copies only
            raise NotSupported(
                f"circular padding ({before}, {after}) of dimension {dim} wraps more than once "
                "around what its negative padding leaves: crop with x[..., a:b] first, then pad"
            )


def _too_small(mode: str, letter: str, n: int, size: int) -> str:
    """PyTorch's text for a negative padding that crops a dimension below size 0."""
    if mode == "constant":
        return "narrow(): length must be non-negative."
    if mode == "circular":
        return "Negative padding value is resulting in an empty dimension"
    return f"input ({letter}: {n}) is too small. Calculated output {letter}: {size}"


def _grad_fn_name(mode: str, dims: int) -> str:
    """PyTorch's name for the result's node in each mode."""
    if mode == "constant":
        return "ConstantPadNdBackward0"
    if mode == "circular":
        return "CopySlices"
    return f"{'Reflection' if mode == 'reflect' else 'Replication'}Pad{dims}DBackward0"


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: Any = None) -> Tensor:
    """The input padded (or, for negative amounts, cropped) by `pad`, a pair (before, after)
    for each of its last len(pad) / 2 dimensions, the last dimension first."""
    x = as_tensor(input)
    shape = tuple(x.shape)
    pad = tuple(int(p) for p in pad)
    _check(shape, pad, mode, value)
    dims = len(pad) // 2
    axes: list[Sequence[int | None]] = [range(n) for n in shape[: len(shape) - dims]]
    for k in reversed(range(dims)):
        n = shape[len(shape) - 1 - k]
        size = n + pad[2 * k] + pad[2 * k + 1]
        if size < 0:
            raise RuntimeError(_too_small(mode, "WHD"[k], n, size))
        axes.append(_sources(n, pad[2 * k], pad[2 * k + 1], mode))
    strides = [1] * len(shape)
    for d in reversed(range(len(shape) - 1)):
        strides[d] = strides[d + 1] * shape[d + 1]
    fill = value if value is not None else 0
    fill = float(fill) if x.dtype.is_floating_point else int(fill)
    values = []
    for where in itertools.product(*axes):
        if None in where:
            values.append(constant_value(fill))
        else:
            values.append(x._values[sum(i * s for i, s in zip(where, strides))])
    out_shape = tuple(len(a) for a in axes)
    return x._copy_of(values, out_shape, _grad_fn_name(mode, dims), "pad")


def _pairs(padding: Any, dims: int) -> tuple[int, ...]:
    """An int repeated for both sides of each padded dimension, or the tuple given."""
    if isinstance(padding, int):
        return (padding,) * (2 * dims)
    return tuple(padding)


class _Pad(Module):
    """A module that pads its input's last `dims` dimensions in one mode."""

    mode = "constant"
    dims = 1

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _pairs(padding, self.dims)

    def forward(self, input: Any) -> Tensor:
        return pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ConstantPad1d(_Pad):
    """nn.ConstantPad1d(padding, value): the last dimension padded with `value`."""

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Any) -> Tensor:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad2d(ConstantPad1d):
    """nn.ConstantPad2d(padding, value): the last two dimensions padded with `value`."""

    dims = 2


class ZeroPad1d(ConstantPad1d):
    """nn.ZeroPad1d(padding): the last dimension padded with zeros."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ZeroPad1d):
    """nn.ZeroPad2d(padding): the last two dimensions padded with zeros."""

    dims = 2


class ReflectionPad1d(_Pad):
    """nn.ReflectionPad1d(padding): the last dimension mirrored about its edges."""

    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """nn.ReflectionPad2d(padding): the last two dimensions mirrored about their edges."""

    dims = 2


class ReplicationPad1d(_Pad):
    """nn.ReplicationPad1d(padding): the last dimension extended by its edge elements."""

    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """nn.ReplicationPad2d(padding): the last two dimensions extended by their edges."""

    dims = 2


class CircularPad1d(_Pad):
    """nn.CircularPad1d(padding): the last dimension wrapped around."""

    mode = "circular"


class CircularPad2d(CircularPad1d):
    """nn.CircularPad2d(padding): the last two dimensions wrapped around."""

    dims = 2
