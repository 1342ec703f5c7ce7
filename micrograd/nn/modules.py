"""Neural networks from Values (karpathy's micrograd.nn) and from Tensors (torch.nn style).

karpathy-compatible: ``Module``, ``Neuron``, ``Layer``, ``MLP`` with his attribute names
(``w``, ``b``, ``neurons``, ``layers``), initialisation (weights uniform in [-1, 1], bias 0),
reprs and call semantics, so his demo runs unchanged.  ``activation=`` picks relu (his
``nonlin=True``), tanh, sigmoid or linear.  Their ``parameters()`` is a list, as his is.

PyTorch-style, on Tensors: ``Linear``, ``ReLU``, ``Tanh``, ``Sigmoid``; the losses as
modules (``MSELoss``...) are in ``losses.py``.  ``Module`` and
``Parameter`` live in ``module.py``, the hooks in ``hooks.py``, ``Sequential`` and the other
containers in ``containers.py``; they are named here too.
"""

from __future__ import annotations

import math
import operator
import random
from typing import Any, Iterator, Sequence

from ..core.value import Value
from ..tensors import Tensor, as_tensor, randomness, zeros
from .containers import Sequential
from .hooks import (
    RemovableHandle,
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
)
from ..core.missing import refuse_unless_default
from .lazy import LazyModuleMixin
from .module import Module, Parameter

__all__ = [
    "Module",
    "Parameter",
    "RemovableHandle",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
    "Neuron",
    "Layer",
    "MLP",
    "Linear",
    "LazyLinear",
    "linear",
    "ReLU",
    "Tanh",
    "Sigmoid",
    "Sequential",
]

ACTIVATIONS = {
    "relu": ("ReLU", Value.relu),
    "tanh": ("Tanh", Value.tanh),
    "sigmoid": ("Sigmoid", Value.sigmoid),
    "linear": ("Linear", None),
}


# --- karpathy's micrograd.nn, on Values ------------------------------------------------------------
class _ValueModule(Module):
    """karpathy's modules: Values in plain attributes (no Module.__init__); ``parameters()`` is
    a list, and ``named_parameters()`` names the Values by attribute ('w.0', 'b')."""

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Any]]:
        """(name, Value) for every Value that requires grad, in the attributes' lists too."""
        for name, attribute in vars(self).items():
            yield from _named(f"{prefix}{name}", attribute)


def _named(name: str, attribute: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(attribute, Value) and attribute.requires_grad:
        yield name, attribute
    elif isinstance(attribute, Module):
        yield from attribute.named_parameters(prefix=f"{name}.")
    elif isinstance(attribute, (list, tuple)):
        for index, item in enumerate(attribute):
            yield from _named(f"{name}.{index}", item)


class Neuron(_ValueModule):
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


class Layer(_ValueModule):
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


class MLP(_ValueModule):
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
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(zeros(out_features, in_features))
        if bias:
            self.bias = Parameter(zeros(out_features))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weights and bias uniform in ±1/√in_features (PyTorch's bounds, micrograd's numbers:
        the weight's elements row by row, then the bias's)."""
        bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
        with_numbers = [self.weight] + ([self.bias] if self.bias is not None else [])
        for p in with_numbers:
            p.data = as_tensor(
                [randomness.generator.uniform(-bound, bound) for _ in range(p.numel())]
            ).reshape(p.shape)

    def forward(self, x: Any) -> Tensor:
        """y = x·Wᵀ + b."""
        x = as_tensor(x)
        if x.shape[-1] != self.in_features:
            rows = math.prod(x.shape[:-1]) if x.dim() > 1 else 1
            raise RuntimeError(  # PyTorch's words: x (flattened to rows) times Wᵀ
                f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
                f"{self.in_features}x{self.out_features})"
            )
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        """in_features=..., out_features=..., bias=..."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class LazyLinear(LazyModuleMixin, Linear):
    """A Linear whose in_features is read from its first input (torch.nn.LazyLinear): until
    then the weight and bias are UninitializedParameters and it prints in_features=0; the
    first call materialises and initialises them as Linear's (the same numbers, in the same
    order) and the module becomes a Linear."""

    cls_to_become = Linear

    def __init__(
        self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        Module.__init__(self)
        refuse_unless_default("LazyLinear", "dtype", dtype, None, "Linear has float32 weights")
        self.in_features, self.out_features = 0, out_features
        self._uninitialized_parameters(bias)

    def reset_parameters(self) -> None:
        """Linear's initialisation, once the parameters have their shapes."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            Linear.reset_parameters(self)

    def initialize_parameters(self, input: Any) -> None:
        """in_features = the input's last size; the weight (out, in) and bias (out,) made and
        initialised."""
        self.in_features = as_tensor(input).shape[-1]
        if self.has_uninitialized_params():
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x·Wᵀ + b, W of shape (out_features, in_features), computed as PyTorch computes it
    (so with its grad_fn names): a matrix x as addmm(b, x, Wᵀ) (AddmmBackward0), a vector or a
    batch of matrices viewed as one matrix of rows and the result viewed back (ViewBackward0);
    without a bias x @ Wᵀ, a batch as one mm reshaped back (UnsafeViewBackward0)."""
    x, w = as_tensor(input), as_tensor(weight)
    out_shape = (*x.shape[:-1], w.shape[0])
    if bias is None:
        if x.dim() <= 2:
            return x.matmul(w.t())
        rows = x.reshape(-1, x.shape[-1]).mm(w.t())
        return rows._result(
            list(rows._values), out_shape, "UnsafeViewBackward0", "reshape", (rows,), stored=True
        )
    b = as_tensor(bias)
    if x.dim() == 2:
        return b.addmm(x, w.t())
    return b.addmm(x.reshape(-1, x.shape[-1]), w.t()).view(out_shape)


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
