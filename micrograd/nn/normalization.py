"""Normalization layers: ``BatchNorm1d``, ``BatchNorm2d``, ``BatchNorm3d``, ``LayerNorm`` and their functions
``batch_norm`` and ``layer_norm``.

Each normalizes with tensor operations micrograd already differentiates (``mean``, ``var``,
``sqrt``, broadcasting), so first and higher derivatives come from their rules; the result is
then named as PyTorch's fused kernel names its node (``NativeBatchNormBackward0``,
``NativeLayerNormBackward0``), which is what a printed tensor shows.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..core.modes import no_grad
from ..tensors import Tensor, as_tensor, int64, ones, tensor, zeros
from . import init
from .module import Module, Parameter


def _named(result: Tensor, grad_fn: str, op: str, *inputs: Any) -> Tensor:
    """`result` as one node named `grad_fn` whose inputs are the tensors among `inputs`."""
    parents = tuple(t if isinstance(t, Tensor) else None for t in inputs)  # None keeps its place
    return parents[0]._result(
        list(result._values), result.shape, grad_fn, op, parents, result.dtype, stored=True
    )


def normalized(x: Tensor, mean: Tensor, var: Tensor, eps: float) -> Tensor:
    """x̂ = (x − mean) / √(var + ε)."""
    return (x - mean) / (var + eps).sqrt()


# --- batch normalization ----------------------------------------------------------------------
def _per_channel(t: Tensor, ndim: int) -> Tensor:
    """A (C,) tensor shaped (1, C, 1, ...) to broadcast over an input of `ndim` dimensions."""
    return t.reshape((1, -1) + (1,) * (ndim - 2))


def _verify_batch_size(shape: Sequence[int]) -> None:
    """Training needs two or more values per channel: one value has no variance to divide by."""
    if shape[0] * math.prod(shape[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {shape}"
        )


def _check_channels(name: str, t: Tensor | None, channels: int) -> None:
    if t is not None and t.numel() != channels:
        raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")


def _update_running(running: Tensor, batch: Tensor, momentum: float) -> None:
    """running ← (1 − momentum)·running + momentum·batch, in place, recorded by no graph."""
    with no_grad():
        running.copy_(running * (1 - momentum) + batch.detach() * momentum)


def batch_norm(
    input: Any,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x − μ) / √(σ² + ε) · γ + β for each channel (dimension 1) of x, (N, C, ...).

    In training, μ and σ² are the batch's mean and biased variance over every dimension but
    the channel's, and the running statistics, when given, move towards them:
    running_mean ← (1 − momentum)·running_mean + momentum·μ, and running_var likewise towards
    the unbiased variance σ²·n/(n − 1), n values per channel.  Otherwise μ and σ² are the running
    statistics.  ∂y/∂x comes from the operations (the batch's μ and σ² depend on x too)."""
    x = as_tensor(input)
    if training:
        _verify_batch_size(x.shape)
        if eps <= 0.0:
            raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    if x.dim() < 2:
        raise ValueError(f"batch_norm expects an input of 2 or more dimensions, got {x.dim()}")
    channels = x.shape[1]
    _check_channels("running_mean", running_mean, channels)
    _check_channels("running_var", running_var, channels)
    _check_channels("weight", weight, channels)
    _check_channels("bias", bias, channels)
    if training or running_mean is None or running_var is None:
        dims = (0, *range(2, x.dim()))
        mean = x.mean(dims, keepdim=True)
        var = x.var(dims, correction=0, keepdim=True)
        count = math.prod(x.shape) // channels
        if running_mean is not None:
            _update_running(running_mean, mean.reshape(channels), momentum)
        if running_var is not None:
            unbiased = var.reshape(channels) * (count / (count - 1))
            _update_running(running_var, unbiased, momentum)
    else:
        mean, var = _per_channel(running_mean, x.dim()), _per_channel(running_var, x.dim())
    y = normalized(x, mean, var, eps)
    if weight is not None:
        y = y * _per_channel(weight, x.dim())
    if bias is not None:
        y = y + _per_channel(bias, x.dim())
    return _named(y, "NativeBatchNormBackward0", "batch_norm", x, weight, bias)


class _BatchNorm(Module):
    """Batch normalization over the channels (dimension 1): learnt γ (``weight``, ones) and β
    (``bias``, zeros) when ``affine``; the buffers ``running_mean`` (zeros), ``running_var``
    (ones) and ``num_batches_tracked`` (int64) when ``track_running_stats``.  ``momentum=None``
    makes the running statistics the cumulative average of the batches' statistics."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        made = {"device": device, "dtype": dtype}
        if affine:
            self.weight = Parameter(zeros(num_features, **made))
            if bias:
                self.bias = Parameter(zeros(num_features, **made))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, **made))
            self.register_buffer("running_var", ones(num_features, **made))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """running_mean 0, running_var 1, num_batches_tracked 0."""
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """The running statistics reset, γ = 1 and β = 0."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def forward(self, input: Any) -> Tensor:
        """Normalized by the batch's statistics in training (updating the running ones), by the
        running statistics in eval mode (by the batch's without them)."""
        x = as_tensor(input)
        self._check_input_dim(x)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # the cumulative average
                factor = 1.0 / float(self.num_batches_tracked.item())
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        return batch_norm(
            x,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """nn.BatchNorm1d(C): inputs (N, C) or (N, C, L), statistics per channel."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """nn.BatchNorm2d(C): inputs (N, C, H, W), statistics per channel over N, H and W."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class BatchNorm3d(_BatchNorm):
    """nn.BatchNorm3d(C): inputs (N, C, D, H, W), statistics per channel over N, D, H and W."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 5:
            raise ValueError(f"expected 5D input (got {input.dim()}D input)")


# --- layer normalization ----------------------------------------------------------------------
def _shape_tuple(normalized_shape: Any) -> tuple[int, ...]:
    if isinstance(normalized_shape, int):
        return (normalized_shape,)
    return tuple(int(n) for n in normalized_shape)


def layer_norm(
    input: Any,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x − μ) / √(σ² + ε) · γ + β, μ and σ² (biased) taken over the last dimensions of x,
    those of `normalized_shape`, separately for each of the leading positions."""
    x = as_tensor(input)
    shape = _shape_tuple(normalized_shape)
    if not shape or tuple(x.shape[x.dim() - len(shape) :]) != shape or x.dim() < len(shape):
        expected = ", ".join(["*", *map(str, shape)])
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [{expected}], "
            f"but got input of size{list(x.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t.shape)} and normalized_shape = {list(shape)}"
            )
    dims = tuple(range(x.dim() - len(shape), x.dim()))
    mean = x.mean(dims, keepdim=True)
    y = normalized(x, mean, x.var(dims, correction=0, keepdim=True), eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return _named(y, "NativeLayerNormBackward0", "layer_norm", x, weight, bias)


class LayerNorm(Module):
    """nn.LayerNorm(normalized_shape): normalizes over the last dimensions, with learnt γ
    (``weight``, ones) and β (``bias``, zeros) of that shape when ``elementwise_affine``."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        made = {"device": device, "dtype": dtype}
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, **made))
            if bias:
                self.bias = Parameter(zeros(*self.normalized_shape, **made))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        """γ = 1, β = 0."""
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Any) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


# --- group normalization ----------------------------------------------------------------------
def group_norm(
    input: Any,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x − μ) / √(σ² + ε) · γ_c + β_c, μ and σ² (biased) taken for each sample over each
    group of C / num_groups consecutive channels (all their positions); γ, β per channel."""
    x = as_tensor(input)
    if x.dim() < 2 or x.shape[1] % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {list(x.shape)} and num_groups={num_groups}"
        )
    grouped = x.reshape(x.shape[0], num_groups, -1)
    mean = grouped.mean(2, keepdim=True)
    y = normalized(grouped, mean, grouped.var(2, correction=0, keepdim=True), eps)
    y = y.reshape(x.shape)
    if weight is not None:
        y = y * _per_channel(weight, x.dim())
    if bias is not None:
        y = y + _per_channel(bias, x.dim())
    return _named(y, "NativeGroupNormBackward0", "group_norm", x, weight, bias)


class GroupNorm(Module):
    """nn.GroupNorm(num_groups, num_channels): normalizes each group of channels of each
    sample, with learnt per-channel γ (``weight``, ones) and β (``bias``, zeros) when
    ``affine``."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(
                f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})"
            )
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups,
            num_channels,
            eps,
            affine,
        )
        made = {"device": device, "dtype": dtype}
        if affine:
            self.weight = Parameter(ones(num_channels, **made))
        else:
            self.register_parameter("weight", None)
        if affine and bias:
            self.bias = Parameter(zeros(num_channels, **made))
        else:
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        """γ = 1, β = 0."""
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Any) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
