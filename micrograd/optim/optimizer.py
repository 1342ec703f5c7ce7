"""The base of micrograd's optimizers, PyTorch's ``torch.optim.Optimizer``: parameter groups,
the step loop, ``state``, ``state_dict``/``load_state_dict``, and the helpers their formulas
use to read and write state buffers.

Each step reads every parameter's gradient and changes its data in place (with recording
off), so the parameters stay the same leaf Values.
"""

from __future__ import annotations

import collections
import copy
from typing import Any, Callable, Iterable

from ..core.errors import NotSupported, NotSupportedAttribute
from ..core.value import Value
from ..core.modes import enable_grad, no_grad
from ..tensors import Tensor, zeros
from ..tensors.gradients import clear_gradients
from ..tensors.dtypes import float32, float64, round_to_float32
from ..tensors.history import NoGrad

_TORCH_OPTIMIZER_NAMES = frozenset(
    """OptimizerPostHook OptimizerPreHook profile_hook_step register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_state_dict_post_hook register_state_dict_pre_hook
    register_step_post_hook register_step_pre_hook""".split()
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


def _gradient(p: Any) -> list[float] | None:
    """p's gradient, one number per element, or None if it has none (the step skips p)."""
    missing = [v.grad is None or v.grad.__class__ is NoGrad for v in _scalars_of(p)]
    if all(missing):
        return None
    return [0.0 if gone else float(v.grad) for v, gone in zip(_scalars_of(p), missing)]


def _dtype_of(p: Any) -> Any:
    return p.dtype if isinstance(p, Tensor) else float64  # a Value holds a float64 number


def state_tensor(p: Any, numbers: list[float] | None = None) -> Tensor:
    """A state buffer shaped like parameter p, of its dtype: zeros, or the given numbers (a
    float32 buffer holds them rounded, as PyTorch's)."""
    shape = tuple(p.shape) if isinstance(p, Tensor) else ()
    buffer = zeros(shape, dtype=_dtype_of(p))
    return buffer if numbers is None else buffer._assign(numbers)


def numbers_of(buffer: Tensor) -> list[float]:
    """A state buffer's numbers, in row-major order."""
    return buffer.reshape(-1).tolist()


def write(buffer: Tensor, numbers: list[float]) -> list[float]:
    """Store numbers into a state buffer in place (PyTorch's buffers are updated in place, so a
    state_dict taken earlier sees the change); returns them as stored (rounded to float32 in a
    float32 buffer, which is what the next step of the formula reads, as in PyTorch)."""
    buffer._assign(numbers)
    return numbers_of(buffer)


class Optimizer:
    """Base of the optimizers (SGD, Adam, AdamW, RMSprop, Adagrad): the parameters (Values or Tensors) in ``param_groups``, each group a
    dict with its own options (``{"params": [...], "lr": 0.1}``: PyTorch's per-group options,
    read at every step, so a schedule may change ``group["lr"]``), ``state`` (per parameter, a
    dict of tensors shaped like it: SGD's momentum buffer, Adam's moments), zero_grad, and
    ``state_dict``/``load_state_dict`` in PyTorch's layout.

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
        self.state: collections.defaultdict[Any, dict[str, Any]] = collections.defaultdict(dict)
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter from its gradient, with its group's options.  ``closure``, if
        given, is called first (with grad mode on) and its result returned, as in PyTorch."""
        loss = None
        self._opt_called = True  # a scheduler's step warns when it comes first, as PyTorch's
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    gradient = _gradient(p)
                    if gradient is None:
                        continue
                    if group["maximize"]:
                        gradient = [-g for g in gradient]
                    scalars = _scalars_of(p)
                    state = self.state.get(p, {})  # (SGD without momentum keeps none)
                    self._check_state(p, state)
                    new = self._update(group, state, p, [v.data for v in scalars], gradient)
                    if state:
                        self.state[p] = state
                    for v, x in zip(scalars, new):
                        v.data = x
                    if isinstance(p, Tensor):  # an in-place write, as PyTorch's step is
                        if p.dtype is float32:  # the parameter holds float32 numbers
                            round_to_float32(p._values)
                        p._count_write()
        return loss

    def _update(
        self, group: dict[str, Any], state: dict[str, Any], p: Any, xs: list[float], gs: list[float]
    ) -> list[float]:
        """One parameter's new numbers from its numbers xs and gradient gs; updates its state."""
        raise NotImplementedError

    @staticmethod
    def _check_state(p: Any, state: dict[str, Any]) -> None:
        """A loaded state buffer must have its parameter's shape (the numbers are paired)."""
        shape = tuple(p.shape) if isinstance(p, Tensor) else ()
        for name, buffer in state.items():
            if name != "step" and isinstance(buffer, Tensor) and tuple(buffer.shape) != shape:
                raise RuntimeError(
                    f"optimizer state {name!r} has shape {list(buffer.shape)}, but its parameter "
                    f"has shape {list(shape)} (a state_dict from another model?)"
                )

    def state_dict(self) -> dict[str, Any]:
        """PyTorch's layout: ``{"state": {i: {name: tensor}}, "param_groups": [{..., "params":
        [i, ...]}]}``, parameters numbered 0, 1, ... across groups.  As in PyTorch, the state
        tensors are the optimizer's own, which later steps change in place (copy.deepcopy it to
        keep a snapshot)."""
        numbers = {id(p): i for i, p in enumerate(self.params)}
        groups = [
            {**{k: v for k, v in group.items() if k != "params"},
             "params": [numbers[id(p)] for p in group["params"]]}
            for group in self.param_groups
        ]  # fmt: skip
        state = {numbers[id(p)]: s for p, s in self.state.items() if id(p) in numbers}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the options and state of ``state_dict`` (from state_dict(), or torch.load): the
        groups must match this optimizer's in number and size, as in PyTorch.  As in PyTorch, a
        state tensor of the parameter's dtype is used as it is (not copied), another is cast."""
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(
            len(g["params"]) != len(o["params"]) for g, o in zip(saved_groups, self.param_groups)
        ):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        by_number = {
            i: p
            for saved, group in zip(saved_groups, self.param_groups)
            for i, p in zip(saved["params"], group["params"])
        }
        state: collections.defaultdict[Any, dict[str, Any]] = collections.defaultdict(dict)
        for i, saved_state in state_dict["state"].items():
            if i in by_number:
                p = by_number[i]
                state[p] = {name: _cast(p, name, value) for name, value in saved_state.items()}
        for saved, group in zip(saved_groups, self.param_groups):
            saved["params"] = group["params"]
            for name, default in self.defaults.items():
                saved.setdefault(name, default)
        self.param_groups, self.state = saved_groups, state

    def __repr__(self) -> str:
        """PyTorch's printout: each group's options, sorted by name."""
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"

    def __getattr__(self, name: str) -> Any:
        # only for a name the optimizer lacks: PyTorch's are NotSupported, others Python's error
        if name in _TORCH_OPTIMIZER_NAMES:
            raise NotSupportedAttribute(
                f"micrograd's optimizers have no '{name}': PyTorch's Optimizer.{name} is not "
                "supported here"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def _cast(p: Any, name: str, value: Any) -> Any:
    """A loaded state value for parameter p: a tensor cast to p's dtype (``step`` kept as it
    is), as PyTorch's _process_value_according_to_param_policy."""
    if not isinstance(value, Tensor) or name == "step":
        return value
    return value.to(_dtype_of(p)) if value.dtype.is_floating_point else value


def _refuse(options: dict[str, Any]) -> None:
    """PyTorch's options that change how a step is computed, not what it computes, are accepted
    (foreach, fused); those micrograd cannot honour are refused, named."""
    for name in ("differentiable", "capturable"):
        if options.get(name):
            raise NotSupported(f"{name}=True is not supported by micrograd's optimizers")
