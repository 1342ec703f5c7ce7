"""``torch.optim.RMSprop``, as PyTorch's: a running average of squared gradients divides the
step, optionally centered (minus the squared running average of gradients) and with
momentum."""

from __future__ import annotations

import math
from typing import Any, Iterable

from ..tensors import tensor
from .optimizer import Optimizer, _refuse, numbers_of, state_tensor, write


class RMSprop(Optimizer):
    """RMSprop: g ← g + weight_decay·x; v ← αv + (1 − α)g²; centered: ḡ ← ḡ + (1 − α)(g − ḡ)
    and the denominator is √(v − ḡ²) + eps, else √v + eps; with momentum,
    b ← momentum·b + g/denominator and x ← x − lr·b, else x ← x − lr·g/denominator."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if group["eps"] < 0:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")
        if group["momentum"] < 0:
            raise ValueError(f"Invalid momentum value: {group['momentum']}")
        if group["alpha"] < 0:
            raise ValueError(f"Invalid alpha value: {group['alpha']}")
        _refuse(group)

    def _update(
        self, group: dict[str, Any], state: dict[str, Any], p: Any, xs: list[float], gs: list[float]
    ) -> list[float]:
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        if not state:  # PyTorch's names and order
            state["step"] = tensor(0.0)
            state["square_avg"] = state_tensor(p)
        if momentum > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = state_tensor(p)
        if group["centered"] and "grad_avg" not in state:
            state["grad_avg"] = state_tensor(p)
        write(state["step"], [float(state["step"]) + 1])
        if group["weight_decay"]:
            gs = [g + group["weight_decay"] * x for x, g in zip(xs, gs)]
        old = numbers_of(state["square_avg"])
        v = write(state["square_avg"], [alpha * s + (1 - alpha) * g * g for s, g in zip(old, gs)])
        if group["centered"]:
            old = numbers_of(state["grad_avg"])
            mean = write(state["grad_avg"], [a + (1 - alpha) * (g - a) for a, g in zip(old, gs)])
            denominators = [math.sqrt(s - a * a) + eps for s, a in zip(v, mean)]
        else:
            denominators = [math.sqrt(s) + eps for s in v]
        steps = [g / d for g, d in zip(gs, denominators)]
        if momentum > 0:
            old = numbers_of(state["momentum_buffer"])
            steps = write(state["momentum_buffer"], [momentum * b + s for b, s in zip(old, steps)])
        return [x - group["lr"] * s for x, s in zip(xs, steps)]
