"""Channel dropout: ``nn.Dropout1d``, ``nn.Dropout2d``, ``nn.Dropout3d`` and their functions.

Where ``nn.Dropout`` zeroes single elements, these zero whole channels: input[n, c] (a row of
length L, or an H×W map) is zeroed with probability p, all of it at once, and the channels kept
are scaled by 1/(1 − p).  The mask is ``dropout_mask`` of shape (N, C, 1, ...), drawn from
micrograd's generator channel by channel, and broadcast over each channel.
"""

from __future__ import annotations

import warnings
from typing import Any

from ..tensors import Tensor, as_tensor
from .activations import Dropout, _no_inplace, dropout_mask


def _check_probability(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def channel_mask(shape: Any, p: float) -> Tensor:
    """1 with probability 1 − p, else 0, one number for each (n, c) of an input of `shape`
    (N, C, ...), shaped (N, C, 1, ...) to broadcast over the channel."""
    return dropout_mask((*shape[:2], *[1] * (len(shape) - 2)), p)


def feature_dropout(x: Tensor, p: float, training: bool) -> Tensor:
    """x · mask · 1/(1 − p) with one mask number per channel; x itself in eval mode or for
    p = 0 (for p = 1, x · 0)."""
    if not training or p == 0:
        return x
    mask = channel_mask(tuple(x.shape), p)
    return x * mask if p == 1 else x * mask * (1 / (1 - p))


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of a (N, C, L) input, or of a (C, L) one (one sample)."""
    _check_probability(p)
    x = _no_inplace(as_tensor(input), inplace, "dropout1d")
    if x.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {x.dim()}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    if x.dim() == 2:
        return feature_dropout(x.unsqueeze(0), p, training).squeeze(0)
    return feature_dropout(x, p, training)


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of a (N, C, H, W) input; PyTorch reads a 3-D input as (N, C, L), with
    a warning, and so does micrograd."""
    _check_probability(p)
    x = _no_inplace(as_tensor(input), inplace, "dropout2d")
    if x.dim() not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {x.dim()}-D input to dropout2d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if x.dim() == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    if x.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return feature_dropout(x, p, training)


def dropout3d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of a (N, C, D, H, W) input, or of a (C, D, H, W) one (one sample)."""
    _check_probability(p)
    x = _no_inplace(as_tensor(input), inplace, "dropout3d")
    if x.dim() not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {x.dim()}-D input to dropout3d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    if x.dim() != 5:
        return feature_dropout(x.unsqueeze(0), p, training).squeeze(0)
    return feature_dropout(x, p, training)


class Dropout1d(Dropout):
    """nn.Dropout1d(p=0.5): whole channels of (N, C, L) zeroed in training mode."""

    def forward(self, input: Any) -> Tensor:
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """nn.Dropout2d(p=0.5): whole channels of (N, C, H, W) zeroed in training mode."""

    def forward(self, input: Any) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """nn.Dropout3d(p=0.5): whole channels of (N, C, D, H, W) zeroed in training mode."""

    def forward(self, input: Any) -> Tensor:
        return dropout3d(input, self.p, self.training, self.inplace)
