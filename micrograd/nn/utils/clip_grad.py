"""Gradient clipping (``torch.nn.utils.clip_grad_norm_``, ``clip_grad_value_``): after
``backward()`` and before ``optimizer.step()``, shrink the gradients so that one bad batch
cannot throw the parameters far.

* by norm: the total p-norm ‖g‖ₚ of all the gradients, taken together as one vector, is
  computed; if it is above max_norm every gradient is multiplied by max_norm / (‖g‖ₚ + 10⁻⁶),
  which keeps their direction;
* by value: every element is clamped to [−clip_value, clip_value].

The gradients are changed in place, as in PyTorch; the norm is computed from their numbers
(it has no graph).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Iterable

from ...core.modes import no_grad
from ...tensors import Tensor, tensor
from ...tensors.dtypes import float32

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm"]
__all__ += ["clip_grads_with_norm_"]

NONFINITE = (
    "The total norm of order {p} for gradients from `parameters` is non-finite, so it cannot "
    "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
    "set `error_if_nonfinite=False`"
)
"""PyTorch's message when error_if_nonfinite is set and the total norm is inf or nan."""


def _tensors(parameters: Any) -> list[Tensor]:
    """One tensor, or any iterable of them (a generator is read once), as a list."""
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _grads(parameters: Any) -> list[Tensor]:
    """The .grad of each parameter that has one."""
    return [p.grad for p in _tensors(parameters) if p.grad is not None]


def _p_norm(numbers: Iterable[float], p: float) -> float:
    """‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p); max |xᵢ| for p = ∞; the number of nonzero xᵢ for p = 0."""
    magnitudes = [abs(x) for x in numbers]
    if not magnitudes:
        return 0.0
    if p == math.inf:
        return max(magnitudes)
    if p == -math.inf:
        return min(magnitudes)
    if p == 0:
        return float(sum(1 for m in magnitudes if m != 0))
    if any(math.isnan(m) for m in magnitudes):
        return math.nan
    return sum(m**p for m in magnitudes) ** (1.0 / p)


def get_total_norm(
    tensors: Any, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: Any = None
) -> Tensor:
    """The p-norm of the norms of the tensors (= the p-norm of all their elements together), as
    a 0-dim tensor of their dtype (0. for no tensors)."""
    given = _tensors(tensors)
    p = float(norm_type)
    if not given:
        return tensor(0.0)
    norms = [_p_norm(t.detach().reshape(-1).tolist(), p) for t in given]
    total = _p_norm(norms, p) if len(norms) > 1 else norms[0]
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(NONFINITE.format(p=p))
    return tensor(total, dtype=given[0].dtype)


def clip_grads_with_norm_(
    parameters: Any, max_norm: float, total_norm: Any, foreach: Any = None
) -> None:
    """Every gradient multiplied by min(max_norm / (total_norm + 10⁻⁶), 1), in place."""
    grads = _grads(parameters)
    total = float(total_norm)
    coefficient = min(max_norm / (total + 1e-6), 1.0) if not math.isnan(total) else math.nan
    with no_grad():
        for g in grads:
            g.mul_(coefficient)


def clip_grad_norm_(
    parameters: Any,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
) -> Tensor:
    """Scale the gradients so that their total p-norm is at most max_norm: each multiplied by
    min(max_norm / (‖g‖ₚ + 10⁻⁶), 1).  Returns ‖g‖ₚ before clipping (a 0-dim tensor); with
    error_if_nonfinite, an inf or nan norm raises PyTorch's RuntimeError instead."""
    parameters = _tensors(parameters)
    grads = _grads(parameters)
    if not grads:
        return tensor(0.0, dtype=float32)
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_norm(
    parameters: Any,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
) -> Tensor:
    """clip_grad_norm_ under its old name (deprecated in PyTorch, which warns)."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Any, clip_value: float, foreach: Any = None) -> None:
    """Clamp every element of every gradient to [−clip_value, clip_value], in place."""
    limit = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(min=-limit, max=limit)
