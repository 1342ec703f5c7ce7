"""The graph as PyTorch shows it: ``grad_fn`` objects, ``AccumulateGrad``, ``next_functions``.

The engine does not need these to differentiate; they exist so that a student can walk the
graph exactly as in PyTorch (``y.grad_fn.next_functions[0][0].variable``) and see its names
(``MulBackward0``).  A ``grad_fn`` here is a view made on request, not a stored object: the
Value itself is the node (see ``engine.py``).

``LEAF`` is what a variable's ``_fn`` holds: the place where its gradient accumulates
(PyTorch's ``AccumulateGrad``).
"""
from __future__ import annotations

from typing import Any, Callable


class _Leaf:
    """The ``_fn`` of a variable that requires grad: gradients stop and accumulate here."""
    multi, saves, symbol, name, constant = False, False, "", "leaf", ()

    def label(self, constant: Any = None) -> str:
        """A leaf draws no operation symbol."""
        return ""

    def __repr__(self) -> str:
        return "LEAF"


LEAF = _Leaf()


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
        """PyTorch's per-node metadata dictionary (always empty here)."""
        return {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._value is self._value  # type: ignore[attr-defined]

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
    fn = getattr(x, "_fn", None)
    if fn is None:
        return (None, 0)
    if fn is LEAF:
        return (AccumulateGrad(x), 0)
    if fn.multi:
        return (fn, fn.output_index(x))
    return (x.grad_fn, 0)


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        """Take the hook off (again is harmless)."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
