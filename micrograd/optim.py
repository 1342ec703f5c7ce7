"""Optimizers, as in ``torch.optim``: ``SGD`` and ``Adam``, for Values and Tensors.

Each step reads every parameter's gradient and changes its data in place (with recording
off), so the parameters stay the same leaf Values.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from .core.value import Value
from .core.modes import no_grad
from .tensors import Tensor
from .tensors.gradients import clear_gradients
from .tensors.history import NoGrad


def _scalars(params: Iterable[Any]) -> tuple[list[Any], list[Value]]:
    params = list(params)
    if not params:
        raise ValueError("optimizer got an empty parameter list")
    scalars: list[Value] = []
    for index, p in enumerate(params):
        if isinstance(p, Tensor):
            scalars.extend(p._values)
        elif isinstance(p, Value):
            scalars.append(p)
        else:
            raise TypeError(
                f"optimizer can only optimize Values and Tensors, but parameter {index} is "
                f"{type(p).__name__}"
            )
    return params, scalars


class Optimizer:
    """Base of SGD and Adam: holds the parameters (Values or Tensors) and zero_grad."""

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        if lr < 0:
            raise ValueError(f"Invalid learning rate: {lr}")
        self.params, self.scalars = _scalars(params)
        self.lr = lr

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients before the next backward pass (see clear_gradients)."""
        clear_gradients(self.params, set_to_none)

    def _gradients(self) -> list[float | None]:
        return [None if v.grad.__class__ is NoGrad else float(v.grad) for v in self.scalars]

    def step(self) -> None:
        """Update every parameter from its gradient."""
        with no_grad():
            for index, (v, g) in enumerate(zip(self.scalars, self._gradients())):
                if g is not None:
                    v.data = self._update(index, v.data, g)

    def _update(self, index: int, x: float, g: float) -> float:
        raise NotImplementedError


class SGD(Optimizer):
    """x ← x - lr·b, with b = momentum·b + (g + weight_decay·x) (b = g at the first step)."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.buffers: dict[int, float] = {}

    def _update(self, index: int, x: float, g: float) -> float:
        g = g + self.weight_decay * x
        if self.momentum:
            buffer = self.buffers.get(index)
            g = self.buffers[index] = g if buffer is None else self.momentum * buffer + g
        return x - self.lr * g


class Adam(Optimizer):
    """Adam: m = β₁m + (1-β₁)g, v = β₂v + (1-β₂)g², x ← x - lr·m̂/(√v̂ + eps) with bias correction."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self.moments: dict[int, tuple[float, float, int]] = {}

    def _update(self, index: int, x: float, g: float) -> float:
        beta1, beta2 = self.betas
        g = g + self.weight_decay * x
        m, v, t = self.moments.get(index, (0.0, 0.0, 0))
        m, v, t = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g, t + 1
        self.moments[index] = (m, v, t)
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - self.lr * m_hat / (math.sqrt(v_hat) + self.eps)
