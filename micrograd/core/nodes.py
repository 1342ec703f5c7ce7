"""A Value's history: the node in its ``_node`` slot, and the graph as PyTorch shows it.

Every Value's ``_node`` is None (a constant) or one kind of object, a node, which answers one
protocol (MiniTorch's ``ScalarHistory``, DeZero's ``creator``):

* ``inputs_of(value)``: the operands of `value` that are inputs;
* ``local_gradients(value, g, run)``: one step of the backward pass ``run`` (``backward.py``):
  given g = ∂L/∂value, the pairs (input, ∂L/∂input);
* ``grad_fn(value)``, ``output_index(value)``, ``label(constant)``, ``name``, ``grad_fn_name``:
  what PyTorch's ``grad_fn`` and the drawings show; ``rule``: the ``Primitive`` behind it, or None.

There are four kinds of node:

* ``LEAF``, a variable you created (PyTorch's ``AccumulateGrad``): the gradient stops here;
* a ``Primitive`` (``rules.py``), the operation that made the Value, its operands in the Value's
  ``_a`` and ``_b`` slots (so that recording an operation allocates nothing but the Value);
* ``Freed``, what a primitive's node becomes once backward ran through it without
  ``retain_graph``: a second pass through it raises PyTorch's error;
* a custom ``Function``'s node (``autograd/function.py``), shared by all the outputs of one call.

PyTorch's ``grad_fn`` objects (``MulBackward0``, ``next_functions``) are views made on request:
the engine does not need them; they let a student walk the graph exactly as in PyTorch
(``y.grad_fn.next_functions[0][0].variable``).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from .errors import RETAIN_GRAPH_ERROR, NotSupported

_METADATA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Value -> its node's notes


class Leaf:
    """The node of a variable that requires grad: gradients stop and accumulate here."""

    name, symbol, grad_fn_name, rule = "leaf", "", "AccumulateGrad", None

    def inputs_of(self, value: Any) -> tuple:
        """A variable has no inputs."""
        return ()

    def local_gradients(self, value: Any, g: Any, run: Any) -> tuple:
        """Nothing to pass on: the gradient has arrived."""
        return ()

    def grad_fn(self, value: Any) -> None:
        """A leaf has no grad_fn, as in PyTorch."""
        return None

    def output_index(self, value: Any) -> int:
        """A leaf is one output."""
        return 0

    def label(self, constant: Any = None) -> str:
        """A leaf draws no operation symbol."""
        return ""

    def __repr__(self) -> str:
        return "LEAF"


LEAF = Leaf()


class Freed:
    """A primitive's node after a backward pass without ``retain_graph``: it answers as the
    primitive does (its name, symbol, ``gradients`` for drawings), but a second backward pass
    through it raises PyTorch's error, as a freed graph does there."""

    __slots__ = ("rule",)

    def __init__(self, rule: Any) -> None:
        self.rule = rule

    def local_gradients(self, value: Any, g: Any, run: Any) -> tuple:
        """Refused: the values this step would need were freed by the last pass."""
        raise RuntimeError(RETAIN_GRAPH_ERROR)

    def inputs_of(self, value: Any) -> tuple:
        """As the primitive's."""
        return self.rule.inputs_of(value)

    def grad_fn(self, value: Any) -> Any:
        """As the primitive's: the node keeps its PyTorch name."""
        return self.rule.grad_fn(value)

    def output_index(self, value: Any) -> int:
        """As the primitive's."""
        return 0

    def label(self, constant: Any = None) -> str:
        """As the primitive's."""
        return self.rule.label(constant)

    def __getattr__(self, name: str) -> Any:
        # anything else (name, symbol, grad_fn_name, gradients for drawings, freed) is the rule's
        return getattr(self.rule, name)

    def __repr__(self) -> str:
        return f"<freed {self.rule!r}>"


class BackwardNode:
    """What ``Value.grad_fn`` returns: the node of the backward graph (PyTorch's ``Node``)."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def name(self) -> str:
        """The node's PyTorch name (MulBackward0)."""
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """(node, output index) for each input: AccumulateGrad for a leaf, None for a constant."""
        return tuple(next_function(i) for i in self._value._inputs)

    @property
    def metadata(self) -> dict:
        """PyTorch's per-node dictionary, for your own notes (empty at first, kept as long as the
        Value the node made)."""
        return _METADATA.setdefault(self._value, {})

    def register_hook(self, hook: Callable) -> Any:
        """PyTorch's ``Node.register_hook(fn(grad_inputs, grad_outputs))``: not supported."""
        raise NotSupported(
            f"{self.name()}.register_hook is not supported by micrograd: its nodes pass "
            "gradients on element by element, so the gradients a node gives its inputs are never "
            "one tuple; register_hook on the input tensors (their gradient), or "
            "grad_fn.register_prehook (the gradient of the node's result) instead"
        )

    def register_prehook(self, hook: Callable) -> Any:
        """PyTorch's ``Node.register_prehook(fn(grad_outputs))``: on a tensor's grad_fn only."""
        raise NotSupported(
            f"{self.name()}.register_prehook is supported on a tensor's grad_fn only: register "
            "a hook on the Value instead (value.register_hook)"
        )

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._value is self._value  # type: ignore

    def __hash__(self) -> int:
        return hash((type(self), id(self._value)))

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self._value))}>"


class AccumulateGrad(BackwardNode):
    """The node where a leaf's gradient is accumulated into ``.grad``."""

    @property
    def variable(self) -> Any:
        """The leaf whose .grad this node accumulates into."""
        return self._value

    @property
    def next_functions(self) -> tuple:
        """A leaf has no inputs: ()."""
        return ()


_NODE_CLASSES: dict[tuple[str, type], type] = {}


def backward_node_class(name: str, base: type = BackwardNode) -> type:
    """A subclass of `base` named as PyTorch names the node (MulBackward0), made once per name."""
    if (name, base) not in _NODE_CLASSES:
        _NODE_CLASSES[name, base] = type(name, (base,), {})
    return _NODE_CLASSES[name, base]


def next_function(x: Any) -> tuple[Any, int]:
    """The entry of ``next_functions`` for the input x (a Value or a number)."""
    node = getattr(x, "_node", None)
    if node is None:
        return (None, 0)
    if node is LEAF:
        return (AccumulateGrad(x), 0)
    return (node.grad_fn(x), node.output_index(x))


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: list, hook: Callable, when_empty: Callable[[], Any] | None = None):
        self._hooks, self._hook, self._when_empty = hooks, hook, when_empty

    def remove(self) -> None:
        """Take the hook off (again is harmless)."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
        if not self._hooks and self._when_empty is not None:
            self._when_empty()  # (the last hook gone: a plain backward is fast again)
