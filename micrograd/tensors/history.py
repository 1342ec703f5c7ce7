"""A tensor's history: its ``grad_fn`` (PyTorch's names), for printing and the tensor view of drawings.

Gradients flow through the Values inside; this history only says, at the tensor level,
which operation made a tensor from which tensors (``MulBackward0`` from ``x`` and ``w``).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..core.value import Value
from ..core.nodes import AccumulateGrad, BackwardNode, backward_node_class
from .saved import saved_by


class NoGrad(float):
    """The .grad of an element no backward pass has reached: 0.0 to the engine, None to Tensor.grad."""

    def __repr__(self) -> str:
        return "0.0"


NO_GRAD = NoGrad(0.0)


class TensorNode(BackwardNode):
    """A tensor's grad_fn: its PyTorch name, the operation and the input tensors (for drawing),
    and the versions of the tensors it saved for backward (``saved``, see ``check_versions``)."""

    # (which input, -1 for the result; the tensor; its storage; the storage's version then;
    # the node that made the tensor, None for a leaf)
    saved: tuple = ()

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


# --- version counters -----------------------------------------------------------------------
def remember_saved(node: TensorNode, result: Any) -> None:
    """Note the versions of the tensors `node` saves for backward, as PyTorch saves them
    (``saved.py``: which inputs, and whether the result, by the node's name)."""
    parents = node.parents
    requires = tuple(is_tensor(p) and p.requires_grad for p in parents)
    shapes = [tuple(p.shape) for p in parents] if node.op == "matmul" else None
    inputs, keeps_result = saved_by(node.name(), requires, op=node.op, shapes=shapes)
    saved = [
        (i, parents[i], parents[i]._storage, parents[i]._storage.version, parents[i]._grad_fn)
        for i in inputs
        if i < len(parents) and is_tensor(parents[i])
    ]
    if keeps_result:
        saved.append((-1, result, result._storage, result._storage.version, node))
    node.saved = tuple(saved)


def maker(t: Any) -> BackwardNode | None:
    """The node that made t (None for a leaf): named in the version error."""
    return t._grad_fn


def walk(roots: list[Any]) -> Iterator[tuple[Any, BackwardNode | None]]:
    """Each tensor of the history below `roots` once, with its grad_fn (a TensorNode, None for a
    leaf, or the node of a Function, whose inputs are not followed)."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        node = t.grad_fn
        yield t, node
        if isinstance(node, TensorNode):
            stack.extend(p for p in node.parents if is_tensor(p))


def check_versions(roots: list[Any]) -> None:
    """Refuse a backward pass that would read a tensor changed in place after it was saved."""
    for _, node in walk(roots):
        for _, t, storage, version, made_by in getattr(node, "saved", ()):
            if storage.version != version:
                raise RuntimeError(modified_message(t, made_by, storage.version, version))


def modified_message(t: Any, made_by: Any, now: int, then: int) -> str:
    """PyTorch's words for a saved tensor changed in place (made_by: the node that made it,
    None for a leaf), with a hint of our own."""
    kind = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}
    name = made_by.name() if made_by is not None else ""
    which = f", which is output 0 of {name.split('Backward')[0]}," if name else ""
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{kind[t.dtype.name]}Tensor {list(t.shape)}]{which} is at version "
        f"{now}; expected version {then} instead. Hint: an operation saved this tensor for the "
        "backward pass, and an in-place change (a method ending in _, +=, t[i] = ...) came "
        "after it; compute a new tensor instead (x = x + 1), or do the change before the "
        "operation."
    )


def reachable_leaves(roots: list[Any]) -> list[Any]:
    """The leaf tensors that require grad below `roots`: backward gives each a gradient."""
    return [t for t, node in walk(roots) if node is None and t.requires_grad]


def is_tensor(x: Any) -> bool:
    """True for a Tensor (history.py does not import tensor.py, which imports it)."""
    return hasattr(x, "_storage")
