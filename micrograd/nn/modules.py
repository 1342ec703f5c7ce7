"""Neural networks from Values (karpathy's micrograd.nn) and from Tensors (torch.nn style).

karpathy-compatible: ``Module``, ``Neuron``, ``Layer``, ``MLP`` with his attribute names
(``w``, ``b``, ``neurons``, ``layers``), initialisation (weights uniform in [-1, 1], bias 0),
reprs and call semantics, so his demo runs unchanged.  ``activation=`` picks relu (his
``nonlin=True``), tanh, sigmoid or linear.

PyTorch-style, on Tensors: ``Parameter``, ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid``,
and the losses as modules (``MSELoss``...: each calls its function in ``functional.py``).

Hooks, as in ``torch.nn.modules.module``: ``register_module_forward_pre_hook`` and
``register_module_forward_hook`` run around every module call (the drawings record the calls so,
in ``teaching/module_calls.py``); ``Module.register_forward_pre_hook`` / ``register_forward_hook``
around one module's calls.
"""

from __future__ import annotations

import itertools
import math
import operator
import random
import warnings
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..core.errors import NotSupportedAttribute
from ..core.value import Value
from ..tensors import Tensor, as_tensor, randomness, tensor
from ..tensors.gradients import clear_gradients
from . import functional as F

ACTIVATIONS = {
    "relu": ("ReLU", Value.relu),
    "tanh": ("Tanh", Value.tanh),
    "sigmoid": ("Sigmoid", Value.sigmoid),
    "linear": ("Linear", None),
}


# --- hooks (torch.nn.modules.module) ----------------------------------------------------------------
_global_forward_pre_hooks: dict[int, Callable] = {}
_global_forward_hooks: dict[int, Callable] = {}
_always_called: set[int] = (
    set()
)  # forward hooks (global or a module's) registered with always_call=True
_hook_ids = itertools.count()
_NO_HOOKS: Mapping[int, Callable] = MappingProxyType({})  # a module's hooks until it registers one
_global_hooks: tuple[tuple, tuple] = (
    (),
    (),
)  # (pre-hooks, (id, forward hook) pairs): read by every call
_any_global_hooks = False


def _hooks_changed() -> None:
    global _global_hooks, _any_global_hooks
    _global_hooks = (
        tuple(_global_forward_pre_hooks.values()),
        tuple(_global_forward_hooks.items()),
    )
    _any_global_hooks = bool(_global_forward_pre_hooks or _global_forward_hooks)


class RemovableHandle:
    """What the register_*hook functions return (``torch.utils.hooks.RemovableHandle``): ``remove()``
    takes the hook off (again is harmless); ``with handle:`` removes it at the end of the block."""

    def __init__(self, hooks: dict[int, Callable]) -> None:
        self.hooks_dict, self.id = hooks, next(_hook_ids)

    def remove(self) -> None:
        """Take the hook off."""
        self.hooks_dict.pop(self.id, None)
        _always_called.discard(self.id)
        _hooks_changed()

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _add_hook(
    hooks: dict[int, Callable], hook: Callable, prepend: bool = False, always_call: bool = False
) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    if prepend:
        rest = list(hooks.items())
        hooks.clear()
        hooks[handle.id] = hook
        hooks.update(rest)
    else:
        hooks[handle.id] = hook
    if always_call:
        _always_called.add(handle.id)
    _hooks_changed()
    return handle


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, args)`` before every module's forward (``args``: the tuple of positional
    arguments); it may return new arguments (a tuple, or a single value).  Runs before the
    module's own pre-hooks.  Returns a handle: ``handle.remove()`` takes the hook off."""
    return _add_hook(_global_forward_pre_hooks, hook)


def register_module_forward_hook(
    hook: Callable[..., Any], *, always_call: bool = False
) -> RemovableHandle:
    """Call ``hook(module, args, output)`` after every module's forward; it may return a new output.
    With ``always_call=True`` it runs even when the call raises (output is then None, as in
    PyTorch).  Runs before the module's own forward hooks.  Returns a handle with ``remove()``."""
    return _add_hook(_global_forward_hooks, hook, always_call=always_call)


def _call_with_hooks(module: Module, args: tuple) -> Any:
    """module.forward(*args) with the global hooks, then the module's own, around it (as PyTorch's
    Module._call_impl runs them)."""
    pre, hooks = _global_hooks
    if module._forward_pre_hooks:
        pre = (*pre, *module._forward_pre_hooks.values())
    if module._forward_hooks:
        hooks = (*hooks, *module._forward_hooks.items())
    for hook in pre:
        new_args = hook(module, args)
        if new_args is not None:
            args = new_args if isinstance(new_args, tuple) else (new_args,)
    out, started = None, 0
    try:
        out = module.forward(*args)
        for _, hook in hooks:
            started += 1
            new_out = hook(module, args, out)
            if new_out is not None:
                out = new_out
    except Exception:
        for hook_id, hook in hooks[started:]:  # the always_call hooks that have not started
            if hook_id in _always_called:
                try:
                    hook(module, args, out)
                except Exception as e:
                    warnings.warn(
                        "module forward hook with always_call=True raised an exception that was "
                        f"silenced as another error was raised in forward: {e}",
                        stacklevel=3,
                    )
        raise
    return out


class Parameter(Tensor):
    """``torch.nn.Parameter``: a leaf tensor that requires grad (unless requires_grad=False); a Module
    finds it among its attributes.  It holds new Values with data's numbers (PyTorch's shares data's memory)."""

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        source = tensor([]) if data is None else as_tensor(data).detach()
        super().__init__(list(source._values), source.shape, source.dtype)
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__


_TORCH_MODULE_NAMES = frozenset(
    """add_module apply bfloat16 buffers compile cpu cuda double dump_patches float
    get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules
    mtia named_buffers named_modules register_backward_hook register_buffer
    register_full_backward_hook register_full_backward_pre_hook
    register_load_state_dict_post_hook register_load_state_dict_pre_hook register_module
    register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state
    set_submodule share_memory state_dict to to_empty type xpu""".split()
)
"""PyTorch's public nn.Module names (torch 2.13); those micrograd's Module lacks are refused
with NotSupported (``Module.__getattr__``)."""


class Module:
    """Something with parameters: ``parameters()``, ``named_parameters()``, ``zero_grad()``."""

    training = True
    _forward_pre_hooks: Mapping[int, Callable] = (
        _NO_HOOKS  # a dict of its own once one is registered
    )
    _forward_hooks: Mapping[int, Callable] = _NO_HOOKS

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next backward pass (tensors.gradients.clear_gradients)."""
        clear_gradients(self.parameters(), set_to_none)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """(name, parameter) for every Value or Tensor that requires grad, sub-modules included."""
        for name, attribute in vars(self).items():
            yield from _named(f"{prefix}{name}", attribute)

    def parameters(self) -> list[Any]:
        """The Values this module learns."""
        return [p for _, p in self.named_parameters()]

    def __call__(self, *args: Any) -> Any:
        """self.forward(*args), with the hooks around it (the drawings' hooks record the call, so
        that they can box the Values it made: teaching/module_calls.py)."""
        if _any_global_hooks or self._forward_pre_hooks or self._forward_hooks:
            return _call_with_hooks(self, args)
        return self.forward(*args)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each call of this module's forward; it may return new
        arguments (a tuple, or a single value).  ``prepend=True``: before its other pre-hooks."""
        if self._forward_pre_hooks is _NO_HOOKS:
            self._forward_pre_hooks = {}
        return _add_hook(self._forward_pre_hooks, hook, prepend)

    def register_forward_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, always_call: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each call of this module's forward; it may return
        a new output.  ``prepend=True``: before its other forward hooks; ``always_call=True``: even
        when the call raises (output None)."""
        if self._forward_hooks is _NO_HOOKS:
            self._forward_hooks = {}
        return _add_hook(self._forward_hooks, hook, prepend, always_call)

    def forward(self, *args: Any) -> Any:
        """The module's output for input x."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def register_parameter(self, name: str, param: Any) -> None:
        """Add a parameter (or None, an optional one left out) under `name`."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        setattr(self, name, param)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for each sub-module that is an attribute."""
        return ((name, m) for name, m in vars(self).items() if isinstance(m, Module))

    def children(self) -> Iterator[Module]:
        """The sub-modules that are attributes."""
        return (m for _, m in self.named_children())

    def train(self, mode: bool = True) -> Module:
        """Training mode (no layer here behaves differently in evaluation); returns self."""
        self.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode: train(False)."""
        return self.train(False)

    def extra_repr(self) -> str:
        """What the repr shows inside the parentheses (Linear: its sizes)."""
        return ""

    def __getattr__(self, name: str) -> Any:
        # only for a name the module lacks: PyTorch's Module names are NotSupported (an
        # AttributeError too, for hasattr and getattr with a default); others Python's error
        if name in _TORCH_MODULE_NAMES:
            raise NotSupportedAttribute(
                f"micrograd's nn.Module has no '{name}': PyTorch's Module.{name} is not "
                "supported here (micrograd is a teaching package; see its README for what it "
                "covers)"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __repr__(self) -> str:
        """As PyTorch prints a module: Name(extra) or its sub-modules, one per line."""
        lines = [
            f"  ({name}): " + repr(m).replace("\n", "\n  ") for name, m in self.named_children()
        ]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        extra = [f"  {self.extra_repr()}"] if self.extra_repr() else []
        return f"{type(self).__name__}(\n" + "\n".join(extra + lines) + "\n)"


def _named(name: str, attribute: Any) -> Iterator[tuple[str, Any]]:
    if (
        isinstance(attribute, Parameter)
        or isinstance(attribute, (Value, Tensor))
        and attribute.requires_grad
    ):
        yield name, attribute
    elif isinstance(attribute, Module):
        yield from attribute.named_parameters(prefix=f"{name}.")
    elif isinstance(attribute, (list, tuple)):
        for index, item in enumerate(attribute):
            yield from _named(f"{name}.{index}", item)


# --- karpathy's micrograd.nn, on Values ------------------------------------------------------------
class Neuron(Module):
    """act(w·x + b): weights uniform in [-1, 1], bias 0."""

    def __init__(self, nin: int, nonlin: bool = True, activation: str | None = None) -> None:
        if activation is None:
            activation = "relu" if nonlin else "linear"
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = activation != "linear"
        self.activation = activation

    def forward(self, x: Sequence[Any]) -> Value:
        """act(b + Σ wᵢ·xᵢ)."""
        act = sum(map(operator.mul, self.w, x), self.b)  # b + Σ wᵢ·xᵢ, added in karpathy's order
        apply = ACTIVATIONS[self.activation][1]
        return apply(act) if apply else act

    def parameters(self) -> list[Value]:
        """The weights, then the bias."""
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{ACTIVATIONS[self.activation][0]}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons reading the same nin inputs."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def forward(self, x: Sequence[Any]) -> Any:
        """Each neuron's output (a single Value for one neuron)."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, in order."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of neurons; every layer but the last applies the activation (relu by default)."""

    def __init__(self, nin: int, nouts: list[int], activation: str = "relu") -> None:
        sz = [nin] + nouts
        self.layers = [
            Layer(sz[i], sz[i + 1], activation=activation if i != len(nouts) - 1 else "linear")
            for i in range(len(nouts))
        ]

    def forward(self, x: Sequence[Any]) -> Any:
        """x through each layer in turn."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        """Every layer's parameters, in order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# --- torch.nn style, on Tensors ------------------------------------------------------------------------
class Linear(Module):
    """y = x Wᵀ + b, W of shape (out_features, in_features), both uniform in ±1/√in_features
    (PyTorch's bounds), drawn from micrograd's generator: ``manual_seed`` makes them reproducible."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        bound = 1 / math.sqrt(in_features)
        draw = randomness.generator.uniform
        self.weight = Parameter(
            [[draw(-bound, bound) for _ in range(in_features)] for _ in range(out_features)]
        )
        self.bias = Parameter([draw(-bound, bound) for _ in range(out_features)]) if bias else None
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x: Any) -> Tensor:
        """y = x·Wᵀ + b."""
        x = as_tensor(x)
        if x.shape[-1] != self.in_features:
            raise RuntimeError(
                f"Linear({self.in_features}, {self.out_features}) got an input of shape "
                f"{tuple(x.shape)}: its last dimension must be {self.in_features}"
            )
        out = x.matmul(self.weight.t())
        return out + self.bias if self.bias is not None else out

    def extra_repr(self) -> str:
        """in_features=..., out_features=..., bias=..."""
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class _Activation(Module):
    method = "relu"

    def forward(self, x: Any) -> Any:
        """The activation, elementwise."""
        if isinstance(x, (list, tuple)):
            return [getattr(v, self.method)() for v in x]
        return getattr(x, self.method)()


class ReLU(_Activation):
    """relu(x) = max(x, 0), elementwise, as a module (torch.nn.ReLU)."""

    method = "relu"


class Tanh(_Activation):
    """tanh(x), elementwise, as a module (torch.nn.Tanh)."""

    method = "tanh"


class Sigmoid(_Activation):
    """σ(x) = 1/(1 + e⁻ˣ), elementwise, as a module (torch.nn.Sigmoid)."""

    method = "sigmoid"


class Sequential(Module):
    """Modules applied one after the other."""

    def __init__(self, *modules: Module) -> None:
        self.modules = list(modules)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """(name, parameter) pairs, named as PyTorch names them ('0.weight')."""
        for index, module in enumerate(self.modules):
            yield from module.named_parameters(prefix=f"{prefix}{index}.")

    def forward(self, x: Any) -> Any:
        """x passed through each module in turn."""
        for module in self.modules:
            x = module(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __len__(self) -> int:
        return len(self.modules)

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {m!r}" for i, m in enumerate(self.modules))
        return f"Sequential(\n{inner}\n)"


class _Loss(Module):
    """A loss as a module (``nn.MSELoss()(x, t)``): calls its function with the module's reduction."""

    function: Any = None

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of input against target."""
        return type(self).function(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """mean((x − t)²) as a module (torch.nn.MSELoss)."""

    function = F.mse_loss


class L1Loss(_Loss):
    """mean(|x − t|) as a module (torch.nn.L1Loss)."""

    function = F.l1_loss


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities as a module (torch.nn.BCELoss)."""

    function = F.binary_cross_entropy


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of scores (logits), computed stably, as a module (torch.nn.BCEWithLogitsLoss)."""

    function = F.binary_cross_entropy_with_logits


class CrossEntropyLoss(_Loss):
    """Cross-entropy of class scores against class indices as a module (torch.nn.CrossEntropyLoss)."""

    function = F.cross_entropy


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities as a module (torch.nn.NLLLoss)."""

    function = F.nll_loss
