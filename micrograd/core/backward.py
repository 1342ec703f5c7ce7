"""The backward pass: every Value the roots depend on, newest first, applies the chain rule.

Read ``backpropagate`` first: it is karpathy's ``for v in reversed(topo): v._backward()``,
said in three steps::

    for value, g in run.newest_first():          # 1. the Values, newest first, each with ∂L/∂value
        g = run.receive(value, g)                 #    (hooks, inputs=, .grad)
        for x, gx in value._node.local_gradients(value, g, run):   # 2. the chain rule at one node
            run.deliver(x, gx)                    # 3. each input's share, ∂L/∂value · ∂value/∂x

Why newest first works: an operation's inputs exist before its result, so creation order is a
topological order, and when a Value's turn comes every Value that used it has already
delivered its share: its gradient ∂L/∂v = Σ over consumers (∂L/∂consumer · ∂consumer/∂v) is
complete.  The creation stamps (``Value._stamp``) give that order with no search and no sort:
``pending.py`` keeps the waiting Values by stamp.

``plain_backward`` below is the same pass written out for speed: a plain ``loss.backward()``
(no hooks, no ``create_graph``, no ``inputs=``) runs it, calling each primitive's vjp directly;
tests check that the two give the very same gradients on random graphs.
"""

from __future__ import annotations

import weakref
from typing import Any, Iterator

from .modes import anomaly, nan_check
from .nodes import LEAF
from .pending import Pending
from .rules import FloatMath, Primitive

use_fast_pass = True
"""False: every backward pass takes ``backpropagate``, to step through the readable pass in a
debugger (``micrograd.core.backward.use_fast_pass = False``).  The numbers are the same on
a fresh ``.grad``; see ``plain_backward`` for the last digit of an accumulated one."""

HOOKS: weakref.WeakKeyDictionary[Any, list] = weakref.WeakKeyDictionary()
"""Value -> the hooks ``register_hook`` gave it, called when its gradient is complete."""


class Pass:
    """One backward pass: what it was asked to do, and the Values waiting for their gradient.

    ``create_graph``: compute the gradients as Values, a graph of their own (higher order).
    ``retain_graph``: keep the nodes usable for another pass.  ``wanted``: the Values whose
    gradients to return (``autograd.grad``'s inputs).  ``accumulate``: add each gradient to
    ``.grad`` (``loss.backward()``), or leave ``.grad`` alone (``autograd.grad``).
    """

    def __init__(
        self,
        seeds: dict[Any, Any],
        *,
        create_graph: bool = False,
        retain_graph: bool = False,
        wanted: set | frozenset = frozenset(),
        accumulate: bool = True,
    ) -> None:
        self.seeds = seeds
        self.create_graph, self.retain_graph = create_graph, retain_graph
        self.wanted, self.accumulate = wanted, accumulate
        self.check_nan = anomaly.enabled
        # HOOKS is a WeakKeyDictionary, whose every test is a Python call: looked at once a pass
        self.hooks = HOOKS if HOOKS else {}
        self.found: dict[Any, Any] = {}
        self.pending: Pending | None = None

    def newest_first(self) -> Iterator[tuple[Any, Any]]:
        """Each Value the roots depend on with its complete gradient ∂L/∂value, newest first."""
        seeds = self.seeds
        while seeds:  # one round, unless some Values were made long before the rest
            self.pending = pending = Pending(seeds)
            for position, value in enumerate(pending.values):  # the list grows as it is read
                if value is not None:
                    yield value, pending.sums[position]
            seeds = pending.far

    def receive(self, value: Any, g: Any) -> Any:
        """value's gradient g is complete: run its hooks (each may replace g), keep it if it was
        asked for, add it to ``.grad``.  Returns the gradient to pass on."""
        for hook in list(self.hooks.get(value, ())):
            replaced = hook(g)
            if replaced is not None:
                keep = self.create_graph and hasattr(replaced, "_node")  # a Value, for a graph
                g = replaced if keep else float(replaced)
        if value in self.wanted:
            self.found[value] = g
        if self.accumulate:
            grad = value.grad
            # the first Value gradient (create_graph) replaces the number 0: 0 + g would record
            # an addition; numbers add, as in plain_backward
            first_value = g.__class__ is not float and grad.__class__ in (int, float) and grad == 0
            value.grad = g if first_value else grad + g
        return g

    def deliver(self, x: Any, g: Any) -> None:
        """Pass ∂L/∂x, one consumer's share, on to the input x (if it is a Value needing grad)."""
        if g is not None and getattr(x, "_node", None) is not None:
            self.pending.add(x, g)

    def take(self, value: Any) -> Any:
        """The complete gradient of `value`, received now (None if nothing reached it): a custom
        Function's backward needs the gradients of all its outputs at the first one's turn."""
        g = self.pending.take(value)
        return None if g is None else self.receive(value, g)


def backpropagate(run: Pass) -> None:
    """The backward pass, step by step: newest first, local gradients, deliver."""
    for value, g in run.newest_first():
        g = run.receive(value, g)
        for x, gx in value._node.local_gradients(value, g, run):
            run.deliver(x, gx)


# FAST PATH: plain loss.backward() (no hooks, no create_graph, no inputs=), what every training
# loop runs; backpropagate's generator, calls and per-input loop make it about 3.5x slower.
def plain_backward(run: Pass) -> None:
    """``backpropagate`` for a plain ``loss.backward()``, written out for speed.

    The same steps, inlined for a primitive's node (any other node takes the protocol).  One
    difference in bookkeeping, not in result: a variable's share goes straight into its
    ``.grad`` (a leaf passes nothing on, so it need not wait for its turn).  The additions come
    in the same order, so a fresh graph gets the very same numbers as from ``backpropagate``.
    Where ``.grad`` already holds a sum, each share is added into it one by one, where the
    readable pass (and PyTorch) adds their sum once: the last digit may differ.
    """
    seeds = run.seeds
    check_nan, retain_graph = run.check_nan, run.retain_graph
    while seeds:
        run.pending = pending = Pending(seeds)
        values, sums, newest = pending.values, pending.sums, pending.newest
        for position, value in enumerate(values):  # values grows as the loop runs
            if value is None:
                continue
            g = sums[position]
            value.grad += g
            node = value._node
            if node.__class__ is not Primitive:  # a leaf, a freed node, a Function's node
                for x, gx in node.local_gradients(value, g, run):
                    if gx is not None and getattr(x, "_node", None) is LEAF:
                        x.grad += gx
                    else:
                        run.deliver(x, gx)
                continue
            a, b = value._a, value._b  # operands: Values, floats, constants
            value_class = value.__class__  # (this module does not import Value)
            x = a.data if a.__class__ is value_class else a
            y = b.data if b.__class__ is value_class else b
            try:
                if b is None:
                    grads = node.vjp(FloatMath, g, value.data, x)
                else:
                    grads = node.vjp(FloatMath, g, value.data, x, y)
            except ArithmeticError:
                grads = node.gradients(value, g)  # again, on IEEE floats
            if check_nan:
                nan_check(node.grad_fn_name, grads)
            if not retain_graph:
                value._node = node.freed
            # deliver, written out for a and b: a call per input costs 30 % here.
            if a.__class__ is value_class and a._node is not None:
                i = a._stamp - newest
                if a._node is LEAF:
                    a.grad += grads[0]
                elif i >= len(values):
                    pending.add(a, grads[0])
                elif values[i] is None:
                    values[i], sums[i] = a, grads[0]
                else:
                    sums[i] = sums[i] + grads[0]
            if b.__class__ is value_class and b._node is not None:
                i = b._stamp - newest
                if b._node is LEAF:
                    b.grad += grads[1]
                elif i >= len(values):
                    pending.add(b, grads[1])
                elif values[i] is None:
                    values[i], sums[i] = b, grads[1]
                else:
                    sums[i] = sums[i] + grads[1]
        seeds = pending.far
