"""Two classroom instruments for the function transforms:

* ``count_operations``: the work done inside a ``with`` block (forward operations, tangents,
  backward steps), to see what jacrev, jacfwd, vjp... each cost (lessons 8 and 9);
* ``trace`` / ``TracedGraph``: a graph built once and run again on new inputs, define-then-run
  against micrograd's define-by-run (lesson 10).

Lessons write ``from micrograd.teaching import instruments``.
"""

from __future__ import annotations

from typing import Any, Callable

from ..autograd import forward_ad
from ..autograd.reverse import grad as autograd_grad
from ..core import rules, value as engine
from ..core.graph import topological_order
from ..core.value import Value


class count_operations:
    """Count the work done inside a ``with`` block.

    ``forward``: primitive operations evaluated (``x * y`` is one); ``tangent``: tangents
    propagated by forward mode; ``backward``: backward steps (one per node per reverse pass).
    ``total`` is their sum.

    >>> with count_operations() as count:
    ...     jacrev(f)(x)
    >>> count.backward
    """

    def __init__(self) -> None:
        self.forward = self.tangent = self.backward = 0

    @property
    def total(self) -> int:
        """forward + tangent + backward."""
        return self.forward + self.tangent + self.backward

    def _on_operation(self, prim: Any, out: Value, x: Any, y: Any) -> None:
        self.forward += 1
        if forward_ad.has_tangents((x, y)):
            self.tangent += 1

    def _on_backward(self, roots: list[Value] | None) -> None:
        """A backward pass is starting from `roots` (None: it has ended): it will take one step
        per operation (a custom Function's node counts once, whatever its number of outputs)."""
        if roots is None:
            return
        nodes = {v.grad_fn for v in topological_order(roots) if not v.is_leaf}  # a Function's once
        self.backward += len(nodes)

    def __enter__(self) -> count_operations:
        engine.observers.append(self._on_operation)
        engine.backward_observers.append(self._on_backward)
        return self

    def __exit__(self, *exc: object) -> None:
        engine.observers.remove(self._on_operation)
        engine.backward_observers.remove(self._on_backward)

    def __repr__(self) -> str:
        return f"count_operations(forward={self.forward}, tangent={self.tangent}, backward={self.backward})"


class TracedGraph:
    """A graph built once and run again on new inputs: define-then-run (TensorFlow 1, Theano),
    against micrograd's usual define-by-run (PyTorch), where each call builds a new graph.

    ``trace(f, 1.0, 2.0)`` records f's operations on those example inputs; ``run(3.0, 4.0)``
    replays the same operations (the same graph: Python's if and while are not re-run, so a
    branch taken while tracing is baked in) and ``gradient()`` backpropagates through it.
    """

    def __init__(self, f: Callable[..., Value], *example: float) -> None:
        self.inputs = [Value(float(x), label=f"x{i}") for i, x in enumerate(example)]
        self.output = f(*self.inputs)
        if not isinstance(self.output, Value) or not self.output.requires_grad:
            raise TypeError("trace() needs a function returning a Value that depends on its inputs")
        self.schedule = [
            v for v in topological_order(self.output) if v._inputs and v._node.rule is not None
        ]

    def run(self, *values: float) -> float:
        """Put new numbers in the inputs and recompute every node, in topological order."""
        if len(values) != len(self.inputs):
            raise TypeError(f"this graph takes {len(self.inputs)} inputs, got {len(values)}")
        for v, x in zip(self.inputs, values):
            v.data = float(x)
        for node in self.schedule:  # each node's row of the table, forward
            operands = (node._a,) if node._b is None else (node._a, node._b)
            node.data = rules.evaluate(
                node._node.rule.forward, *[getattr(x, "data", x) for x in operands]
            )
        return self.output.data

    def gradient(self) -> list[float]:
        """d(output)/d(each input) at the numbers last run."""
        return [
            float(g)
            for g in autograd_grad(self.output, self.inputs, retain_graph=True, allow_unused=True)
        ]


def trace(f: Callable[..., Value], *example: float) -> TracedGraph:
    """Build f's graph once (see TracedGraph)."""
    return TracedGraph(f, *example)


__all__ = ["count_operations", "TracedGraph", "trace"]
