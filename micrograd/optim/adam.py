"""``torch.optim.Adam`` and ``AdamW``: Adam with L2 weight decay or amsgrad, and Adam with
decoupled weight decay, as PyTorch's."""

from __future__ import annotations

import math
from typing import Any, Iterable

from ..tensors import tensor
from .optimizer import Optimizer, _refuse, numbers_of, state_tensor, write


class Adam(Optimizer):
    """Adam, as PyTorch's: m ← β₁m + (1-β₁)g, v ← β₂v + (1-β₂)g² (amsgrad: the largest v so far
    in the denominator), x ← x - lr·m̂/(√v̂ + eps) with m̂ = m/(1-β₁ᵗ), √v̂ = √v/√(1-β₂ᵗ).  Weight
    decay adds weight_decay·x to g, or (decoupled_weight_decay, AdamW) scales x by
    1 - lr·weight_decay first."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if group["eps"] < 0:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")
        for index, beta in enumerate(group["betas"]):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
        _refuse(group)

    def _update(
        self, group: dict[str, Any], state: dict[str, Any], p: Any, xs: list[float], gs: list[float]
    ) -> list[float]:
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        if weight_decay and group["decoupled_weight_decay"]:
            xs = [x * (1 - lr * weight_decay) for x in xs]
        elif weight_decay:
            gs = [g + weight_decay * x for x, g in zip(xs, gs)]
        if not state:  # PyTorch's names: step (a float32 scalar tensor), the moments
            state["step"] = tensor(0.0)
            state["exp_avg"], state["exp_avg_sq"] = state_tensor(p), state_tensor(p)
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = state_tensor(p)
        (t,) = write(state["step"], [float(state["step"]) + 1])
        m = write(  # PyTorch's lerp: m + (1 - β₁)(g - m)
            state["exp_avg"],
            [m + (1 - beta1) * (g - m) for m, g in zip(numbers_of(state["exp_avg"]), gs)],
        )
        s = write(
            state["exp_avg_sq"],
            [beta2 * s + (1 - beta2) * g * g for s, g in zip(numbers_of(state["exp_avg_sq"]), gs)],
        )
        if group["amsgrad"]:  # the largest v so far
            old = numbers_of(state["max_exp_avg_sq"])
            s = write(state["max_exp_avg_sq"], [max(a, b) for a, b in zip(old, s)])
        step_size = lr / (1 - beta1**t)
        root = math.sqrt(1 - beta2**t)
        return [
            x - step_size * (mi / (math.sqrt(si) / root + group["eps"]))
            for x, mi, si in zip(xs, m, s)
        ]


class AdamW(Adam):
    """AdamW, as PyTorch's: Adam with decoupled weight decay (x ← x·(1 − lr·weight_decay)
    before Adam's step), its weight_decay 0.01 by default."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
