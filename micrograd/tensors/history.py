"""A tensor's history: its ``grad_fn`` (PyTorch's names), for printing and the tensor view of drawings.

Gradients flow through the Values inside; this history only says, at the tensor level,
which operation made a tensor from which tensors (``MulBackward0`` from ``x`` and ``w``).
"""

from __future__ import annotations

from typing import Any

from ..core.value import Value
from ..core.nodes import AccumulateGrad, BackwardNode, backward_node_class


class NoGrad(float):
    """The .grad of an element no backward pass has reached: 0.0 to the engine, None to Tensor.grad."""

    def __repr__(self) -> str:
        return "0.0"


NO_GRAD = NoGrad(0.0)


class TensorNode(BackwardNode):
    """A tensor's grad_fn: its PyTorch name, the operation and the input tensors (for drawing)."""

    def __init__(self, op: str, parents: tuple) -> None:
        self.op, self.parents = op, parents

    @property
    def next_functions(self) -> tuple:
        """(node, 0) for each input tensor: AccumulateGrad for a leaf, None for a constant."""
        return tuple(tensor_next_function(p) for p in self.parents)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"


def tensor_next_function(t: Any) -> tuple:
    """The next_functions entry for the input tensor t."""
    if not hasattr(t, "_values") or not t.requires_grad:  # not a Tensor, or a constant one
        return (None, 0)
    if t.grad_fn is None:
        return (AccumulateGrad(t), 0)
    return (t.grad_fn, 0)


def tensor_node(name: str, op: str, parents: tuple) -> TensorNode:
    """A grad_fn object named `name` (MulBackward0) for an operation on `parents`."""
    return backward_node_class(name, TensorNode)(op, parents)


def constant_value(x: float) -> Value:
    """A constant Value for a tensor element (its .grad reads as None until backward reaches it)."""
    v = Value(x, requires_grad=False)
    v.grad = NO_GRAD
    return v
