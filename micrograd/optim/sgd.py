"""``torch.optim.SGD``: stochastic gradient descent, with momentum, dampening, Nesterov
momentum and weight decay, as PyTorch's."""

from __future__ import annotations

from typing import Any, Iterable

from .optimizer import Optimizer, _refuse, numbers_of, state_tensor, write


class SGD(Optimizer):
    """Stochastic gradient descent, as PyTorch's: g ← g + weight_decay·x; with momentum,
    b ← g at the first step, then b ← momentum·b + (1 - dampening)·g, and g ← b (nesterov:
    g ← g + momentum·b); x ← x - lr·g.  ``maximize`` climbs (-g)."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _refuse({"differentiable": differentiable})
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if group["momentum"] < 0:
            raise ValueError(f"Invalid momentum value: {group['momentum']}")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        _refuse(group)

    def _update(
        self, group: dict[str, Any], state: dict[str, Any], p: Any, xs: list[float], gs: list[float]
    ) -> list[float]:
        if group["weight_decay"]:
            gs = [g + group["weight_decay"] * x for x, g in zip(xs, gs)]
        momentum = group["momentum"]
        if momentum:  # PyTorch keeps no state without momentum
            buffer = state.get("momentum_buffer")
            if buffer is None:  # the first step: b ← g
                state["momentum_buffer"] = buffer = state_tensor(p, gs)
                b = numbers_of(buffer)
            else:
                dampening = group["dampening"]
                old = numbers_of(buffer)
                b = write(buffer, [momentum * o + (1 - dampening) * g for o, g in zip(old, gs)])
            gs = [g + momentum * c for g, c in zip(gs, b)] if group["nesterov"] else b
        return [x - group["lr"] * g for x, g in zip(xs, gs)]
