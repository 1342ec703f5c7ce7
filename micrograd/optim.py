"""Optimizers, as in ``torch.optim``: ``SGD`` and ``Adam``, for Values and Tensors, with
PyTorch's options and parameter groups.

Each step reads every parameter's gradient and changes its data in place (with recording
off), so the parameters stay the same leaf Values.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from .core.errors import NotSupported, NotSupportedAttribute
from .core.value import Value
from .core.modes import no_grad
from .tensors import Tensor
from .tensors.gradients import clear_gradients
from .tensors.dtypes import float32, round_to_float32
from .tensors.history import NoGrad


_TORCH_OPTIMIZER_NAMES = frozenset(
    """load_state_dict profile_hook_step register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_state_dict_post_hook register_state_dict_pre_hook
    register_step_post_hook register_step_pre_hook state state_dict""".split()
)
"""PyTorch's public Optimizer names micrograd's lacks: refused with NotSupported."""


def _scalars_of(p: Any) -> list[Value]:
    """The Values a parameter holds: a Tensor's elements, or the Value itself."""
    return list(p._values) if isinstance(p, Tensor) else [p]


def _parameters(params: Any, index_from: int = 0) -> list[Any]:
    """A group's parameters as a list, checked: Values and Tensors, or (name, parameter) pairs
    (``model.named_parameters()``, which PyTorch 2.13 accepts)."""
    params = [params] if isinstance(params, (Tensor, Value)) else list(params)
    found = []
    for index, p in enumerate(params, start=index_from):
        if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str):
            p = p[1]
        if not isinstance(p, (Tensor, Value)):
            raise TypeError(
                f"optimizer can only optimize Values and Tensors, but parameter {index} is "
                f"{type(p).__name__}"
            )
        found.append(p)
    return found


class Optimizer:
    """Base of SGD and Adam: the parameters (Values or Tensors) in ``param_groups``, each group a
    dict with its own options (``{"params": [...], "lr": 0.1}``: PyTorch's per-group options,
    read at every step, so a schedule may change ``group["lr"]``), and zero_grad.

    Each step reads every parameter's gradient and changes its data in place (with recording
    off); a parameter whose ``.grad`` is None is skipped, as in PyTorch."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        if isinstance(params, (Tensor, Value)):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}"
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.defaults = defaults
        self.param_groups: list[dict[str, Any]] = []
        self._state: dict[Value, Any] = {}  # per scalar: SGD's momentum buffer, Adam's moments
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters, with options of its own (the defaults fill the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        if "params" not in param_group:
            raise KeyError("params")
        start = sum(len(group["params"]) for group in self.param_groups)
        param_group["params"] = _parameters(param_group["params"], start)
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        self._check(param_group)
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def _check(self, group: dict[str, Any]) -> None:
        """PyTorch's checks of a group's options."""
        if group["lr"] < 0:
            raise ValueError(f"Invalid learning rate: {group['lr']}")
        if group["weight_decay"] < 0:
            raise ValueError(f"Invalid weight_decay value: {group['weight_decay']}")

    @property
    def params(self) -> list[Any]:
        """Every group's parameters, in order."""
        return [p for group in self.param_groups for p in group["params"]]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients before the next backward pass (see clear_gradients)."""
        clear_gradients(self.params, set_to_none)

    def step(self) -> None:
        """Update every parameter from its gradient, with its group's options."""
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    for v in _scalars_of(p):
                        if v.grad is not None and v.grad.__class__ is not NoGrad:
                            g = -float(v.grad) if group["maximize"] else float(v.grad)
                            v.data = self._update(group, v, v.data, g)
                    if isinstance(p, Tensor):  # an in-place write, as PyTorch's step is
                        if p.dtype is float32:  # the parameter holds float32 numbers
                            round_to_float32(p._values)
                        p._count_write()

    def _update(self, group: dict[str, Any], v: Value, x: float, g: float) -> float:
        raise NotImplementedError

    def __getattr__(self, name: str) -> Any:
        # only for a name the optimizer lacks: PyTorch's are NotSupported, others Python's error
        if name in _TORCH_OPTIMIZER_NAMES:
            raise NotSupportedAttribute(
                f"micrograd's optimizers have no '{name}': PyTorch's Optimizer.{name} is not "
                "supported here"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def _refuse(options: dict[str, Any]) -> None:
    """PyTorch's options that change how a step is computed, not what it computes, are accepted
    (foreach, fused); those micrograd cannot honour are refused, named."""
    for name in ("differentiable", "capturable"):
        if options.get(name):
            raise NotSupported(f"{name}=True is not supported by micrograd's optimizers")


class SGD(Optimizer):
    """Stochastic gradient descent, as PyTorch's: g ← g + weight_decay·x; with momentum,
    b ← g at the first step, then b ← momentum·b + (1 - dampening)·g, and g ← b (nesterov:
    g ← g + momentum·b); x ← x - lr·g.  ``maximize`` climbs (-g)."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
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

    def _update(self, group: dict[str, Any], v: Value, x: float, g: float) -> float:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * x
        momentum = group["momentum"]
        if momentum:
            buffer = self._state.get(v)
            if buffer is None:
                buffer = g
            else:
                buffer = momentum * buffer + (1 - group["dampening"]) * g
            self._state[v] = buffer
            g = g + momentum * buffer if group["nesterov"] else buffer
        return x - group["lr"] * g


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
        weight_decay: float = 0.0,
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

    def _update(self, group: dict[str, Any], v: Value, x: float, g: float) -> float:
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        if weight_decay and group["decoupled_weight_decay"]:
            x = x * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * x
        m, s, largest, t = self._state.get(v, (0.0, 0.0, 0.0, 0))
        t += 1
        m = m + (1 - beta1) * (g - m)  # PyTorch's lerp
        s = beta2 * s + (1 - beta2) * g * g
        largest = max(largest, s)
        self._state[v] = (m, s, largest, t)
        step_size = lr / (1 - beta1**t)
        second = largest if group["amsgrad"] else s
        denominator = math.sqrt(second) / math.sqrt(1 - beta2**t) + group["eps"]
        return x - step_size * (m / denominator)


def __getattr__(name: str) -> Any:
    """torch.optim's other optimizers and lr_scheduler: NotSupported, naming what there is."""
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotSupportedAttribute(
        f"torch.optim.{name} is not supported in micrograd: it has optim.SGD and optim.Adam"
    )
