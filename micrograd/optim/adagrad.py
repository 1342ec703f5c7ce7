"""``torch.optim.Adagrad``, as PyTorch's: each element's step is divided by the root of the
sum of its squared gradients so far."""

from __future__ import annotations

import math
from typing import Any, Iterable

from ..tensors import tensor
from .optimizer import Optimizer, _refuse, numbers_of, state_tensor, write


class Adagrad(Optimizer):
    """Adagrad: g ← g + weight_decay·x; s ← s + g²; x ← x − lr_t·g/(√s + eps) with
    lr_t = lr/(1 + (t − 1)·lr_decay) at step t.  As in PyTorch, each parameter's state (step 0,
    sum = initial_accumulator_value) is made with the optimizer."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                start = [float(group["initial_accumulator_value"])] * _count(p)
                self.state[p] = {"step": tensor(0.0), "sum": state_tensor(p, start)}

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if group["lr_decay"] < 0:
            raise ValueError(f"Invalid lr_decay value: {group['lr_decay']}")
        if group["initial_accumulator_value"] < 0:
            value = group["initial_accumulator_value"]
            raise ValueError(f"Invalid initial_accumulator_value value: {value}")
        if group["eps"] < 0:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")
        if group["fused"]:
            raise NotImplementedError("`fused=True` is not supported for Adagrad")
        _refuse(group)

    def _update(
        self, group: dict[str, Any], state: dict[str, Any], p: Any, xs: list[float], gs: list[float]
    ) -> list[float]:
        (t,) = write(state["step"], [float(state["step"]) + 1])
        if group["weight_decay"]:
            gs = [g + group["weight_decay"] * x for x, g in zip(xs, gs)]
        rate = group["lr"] / (1 + (t - 1) * group["lr_decay"])
        old = numbers_of(state["sum"])
        sums = write(state["sum"], [s + g * g for s, g in zip(old, gs)])
        return [x - rate * g / (math.sqrt(s) + group["eps"]) for x, g, s in zip(xs, gs, sums)]


def _count(p: Any) -> int:
    """How many numbers parameter p holds (a Value holds one)."""
    return p.numel() if hasattr(p, "numel") else 1
