"""The backward pass: every Value the roots depend on, newest first, applies the chain rule.

Read ``backpropagate`` first: it is karpathy's ``for v in reversed(topo): v._backward()``,
said in three steps::

    for value, g in run.newest_first():          # 1. the Values, newest first, each with ∂L/∂value
        g = run.receive(value, g)                 #    (hooks, inputs=, .grad)
        if run.passes_on(value):                  #    (not below autograd.grad's inputs)
            for x, gx in value._node.local_gradients(value, g, run):  # 2. the chain rule at a node
                run.deliver(x, gx)                # 3. each input's share, ∂L/∂value · ∂value/∂x

Why newest first works: an operation's inputs exist before its result, so creation order is a
topological order, and when a Value's turn comes every Value that used it has already
delivered its share: its gradient ∂L/∂v = Σ over consumers (∂L/∂consumer · ∂consumer/∂v) is
complete.  The creation stamps (``Value._stamp``) give that order with no search and no sort:
``pending.py`` keeps the waiting Values by stamp.

``plain_backward`` below is the same pass written out for speed: a plain ``loss.backward()``
(no hooks, no ``create_graph``, no ``inputs=``) runs it, calling each primitive's vjp directly;
tests check that the two give the very same gradients on random graphs.  ``autograd.grad``
with ``inputs`` runs only the part of the graph between the roots and them (``between``), as
PyTorch does: no hook fires and no node is freed below the inputs or on a branch that misses
them.  Neither pass changes a ``.grad`` in place (``added``): after ``create_graph`` it is a
Value, a graph the user may hold.
"""

from __future__ import annotations

import weakref
from typing import Any, Iterable, Iterator

from .errors import bad_grad
from .ieee import as_float
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
    gradients to return (``autograd.grad``'s inputs; the pass then runs only the part of the
    graph between the roots and them, see ``between``).  ``accumulate``: add each gradient to
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
        self.create_graph, self.retain_graph = create_graph, retain_graph
        self.wanted, self.accumulate = wanted, accumulate
        self.check_nan = anomaly.enabled and anomaly.check_nan
        # HOOKS is a WeakKeyDictionary, whose every test is a Python call: looked at once a pass
        self.hooks = HOOKS if HOOKS else {}
        self.found: dict[Any, Any] = {}
        self.pending: Pending | None = None
        # autograd.grad's inputs: the pass visits only the Values between the roots and them
        self.visits: set | None = None  # None: every Value the roots depend on
        self.expands: set | None = None
        if wanted:
            self.visits, self.expands = between(seeds, wanted)
            seeds = {root: g for root, g in seeds.items() if root in self.visits}
        self.seeds = seeds

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
                g = hooked(hook, replaced, self.create_graph)
        if value in self.wanted:
            self.found[value] = g
        if self.accumulate:
            value.grad = added(value.grad, g)
        return g

    def passes_on(self, value: Any) -> bool:
        """True if value's node is to run: it leads to a wanted input (an input asked for at
        the bottom of the part of the graph between roots and inputs is not run: its node is
        not freed and its gradient goes no further, as in PyTorch)."""
        return self.expands is None or value in self.expands

    def deliver(self, x: Any, g: Any) -> None:
        """Pass ∂L/∂x, one consumer's share, on to the input x (if it is a Value needing grad,
        and, with wanted inputs, one leading to them)."""
        if g is not None and getattr(x, "_node", None) is not None:
            if self.visits is None or x in self.visits:
                self.pending.add(x, g)

    def take(self, value: Any) -> Any:
        """The complete gradient of `value`, received now (None if nothing reached it): a custom
        Function's backward needs the gradients of all its outputs at the first one's turn."""
        g = self.pending.take(value)
        return None if g is None else self.receive(value, g)


def backpropagate(run: Pass) -> None:
    """The backward pass, step by step: newest first, local gradients, deliver.  (With
    autograd.grad's inputs, an input at the bottom of the part asked for passes nothing on.)"""
    for value, g in run.newest_first():
        g = run.receive(value, g)
        if run.passes_on(value):
            for x, gx in value._node.local_gradients(value, g, run):
                run.deliver(x, gx)


def hooked(hook: Any, replaced: Any, create_graph: bool) -> Any:
    """The gradient a hook returned in place of the one it was given: a Value stays one with
    create_graph (a graph to differentiate again), otherwise it is its number; anything not a
    number is refused with PyTorch's message, naming the hook."""
    if hasattr(replaced, "_node"):  # a Value
        return replaced if create_graph else float(replaced)
    number = as_float(replaced)
    if number is None:
        name = getattr(hook, "__qualname__", None) or repr(hook)
        raise TypeError(
            f"expected Variable, but hook returned '{type(replaced).__name__}' (the hook {name} "
            "must return a number, a Value or None)"
        )
    return number


def added(grad: Any, g: Any) -> Any:
    """The new ``.grad`` once the gradient g arrives: grad + g, a new object, never grad changed
    in place (after ``create_graph`` a ``.grad`` is a Value, a graph the user may hold).

    ``.grad`` starts at the number 0, so a first Value gradient becomes ``0 + g``: a Value of
    its own for each Value (PyTorch copies it too), never one shared by several.  None means no
    gradient yet (PyTorch's ``x.grad = None``): the same 0 + g."""
    try:
        return grad + g
    except TypeError:
        if grad is None:
            return 0 + g
        raise bad_grad(grad) from None


def between(seeds: dict[Any, Any], wanted: set | frozenset) -> tuple[set, set]:
    """The part of the graph ``autograd.grad(roots, wanted)`` runs, as PyTorch runs it: the
    Values on a path from a root down to a wanted input (``visits``), and those of them whose
    node leads on to another wanted input (``expands``).  No hook below them fires, no node
    there is freed.

    Found in two steps: every Value the roots depend on, each after its inputs (a search down
    the graph, listing a Value once its inputs are listed), then in that order those that are
    wanted or have an input that leads to one."""
    visits, expands = set(), set()
    for v in inputs_first(seeds):
        if any(x in visits for x in _inputs(v)):
            expands.add(v)
            visits.add(v)
        elif v in wanted:
            visits.add(v)
    return visits, expands


def inputs_first(roots: Iterable[Any]) -> list:
    """Every Value the roots depend on, each after all of its inputs (a depth-first search that
    lists a Value when its inputs are done; no recursion, so deep graphs are fine)."""
    order, seen = [], set()
    stack = [(root, False) for root in roots]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((x, False) for x in _inputs(v) if x not in seen)
    return order


def _inputs(v: Any) -> list:
    """v's inputs that need grad (Values with a node)."""
    return [x for x in v._node.inputs_of(v) if getattr(x, "_node", None) is not None]


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
            try:  # never += in place: a .grad may be a Value from a create_graph pass
                value.grad = value.grad + g
            except TypeError:  # .grad = None (no gradient yet), or not a number
                value.grad = added(value.grad, g)
            node = value._node
            if node.__class__ is not Primitive:  # a leaf, a freed node, a Function's node
                for x, gx in node.local_gradients(value, g, run):
                    if gx is not None and getattr(x, "_node", None) is LEAF:
                        x.grad = added(x.grad, gx)
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
            except TypeError:  # an operand's data was set to something not a number since
                grads = node.gradients(value, g)  # gradients says which
            if check_nan:
                nan_check(node.grad_fn_name, grads)
            if not retain_graph:
                value._node = node.freed
            # deliver, written out for a and b: a call per input costs 30 % here.
            if a.__class__ is value_class and a._node is not None:
                i = a._stamp - newest
                if a._node is LEAF:
                    try:
                        a.grad = a.grad + grads[0]
                    except TypeError:
                        a.grad = added(a.grad, grads[0])
                elif i >= len(values):
                    pending.add(a, grads[0])
                elif values[i] is None:
                    values[i], sums[i] = a, grads[0]
                else:
                    sums[i] = sums[i] + grads[0]
            if b.__class__ is value_class and b._node is not None:
                i = b._stamp - newest
                if b._node is LEAF:
                    try:
                        b.grad = b.grad + grads[1]
                    except TypeError:
                        b.grad = added(b.grad, grads[1])
                elif i >= len(values):
                    pending.add(b, grads[1])
                elif values[i] is None:
                    values[i], sums[i] = b, grads[1]
                else:
                    sums[i] = sums[i] + grads[1]
        seeds = pending.far
