"""Value: a scalar that remembers how it was computed, and the reverse-mode engine.

The graph model (PyTorch's names in brackets):

* a ``Value`` holds ``data`` and ``grad`` [a 0-dim Tensor];
* ``_fn`` says where it came from: ``None`` for a constant, ``LEAF`` for a variable you
  created that requires grad [AccumulateGrad], a row of the table in ``ops.py`` for the
  result of an operation [MulBackward0 ...], or the node of a custom ``Function``;
* ``_a`` and ``_b`` are the operands, in order (``_b`` is None for one operand; for ``x ** 2``
  it holds the constant 2).  A number operand (the 2 in ``x * 2``) stays a plain float
  until ``_prev`` is read (karpathy's micrograd makes a Value at once; PyTorch keeps a
  "wrapped number");
* ``_stamp`` numbers Values in the order they were created, counting down (0, -1, -2...):
  the newest has the smallest stamp.  An operation's inputs always exist before its result,
  so creation order is a topological order: backward visits the newest Value first, and by
  then everything that used it has passed its gradient on.

Nothing points from an input to its result, so the graph has no reference cycles: when the
last reference to a result goes, reference counting frees the whole graph at once.

The path of ``loss.backward()``: ``Value.backward`` → ``backward`` (checks the seeds) →
``_backpropagate`` (the loop, its bookkeeping in ``pending.py``) → for each Value, its row's
``vjp`` in ``ops.py``.
"""
from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any, Callable, Sequence

from . import rules as ops
from .ieee import as_float
from .errors import LEAF_INPLACE_ERROR, NO_GRAD_ERROR, NotSupported, unsupported_operand
from .modes import _state as _grad_mode, anomaly as _anomaly, grad_mode, nan_check
from .nodes import LEAF, BackwardNode, RemovableHandle, backward_node_class
from .pending import Pending
from .rules import FLOATS, VALUES, Primitive, on_ieee_floats


_clock = itertools.count(0, -1)     # next(_clock) stamps each new Value: 0, -1, -2... (newest smallest)


def tick() -> int:
    """A stamp no Value gets, marking a moment: Values made after it have smaller stamps, those
    made before it larger ones.  (Module calls mark their start and end this way, see groups.py.)"""
    return next(_clock)


class Value:
    """A scalar that remembers how it was computed, so that it can be differentiated.

    ``Value(2.0)`` requires grad by default (as in karpathy's micrograd); pass
    ``requires_grad=False`` for a constant.  ``label`` names it in drawings.  Besides the
    operators written out below, every function of the table in ``ops.py`` is a method:
    ``x.exp()``, ``x.relu()``, ``x.clamp(0, 1)``... (made by the loop after this class).
    """

    __slots__ = ("data", "grad", "_fn", "_a", "_b", "label", "_stamp", "__weakref__")

    def __init__(self, data: float, *, requires_grad: bool = True, label: str = "") -> None:
        number = as_float(data)
        if number is None:
            hint = " (use .item() to get the number out of a Value or Tensor)" if hasattr(data, "item") else ""
            raise TypeError(f"Value(data) needs a real number, got {data!r} of type {type(data).__name__}{hint}")
        self.data = number
        self.grad: float | Value = 0          # karpathy's int 0: his prints show grad=0
        self._fn: Any = LEAF if requires_grad else None
        self._a: Any = None
        self._b: Any = None
        self.label = label
        self._stamp = next(_clock)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError("Value cannot be subclassed: the engine recognises Values by their exact class")

    # --- the graph, as karpathy's micrograd and PyTorch show it -------------------------
    @property
    def _inputs(self) -> tuple:
        """The operands that are inputs, in order: Values, and numbers as floats."""
        fn = self._fn
        if fn is not None and fn.multi:                      # an output of a custom Function
            return fn.inputs
        if self._a is None:
            return ()
        return (self._a,) if self._b is None or fn.constant else (self._a, self._b)

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The inputs in order (karpathy's `_prev`).  A number operand c becomes a Value here, a variable
        as in his micrograd, with the grad he would have given it: ∂L/∂c = ∂L/∂self · ∂self/∂c."""
        if self._a.__class__ is float or (self._b.__class__ is float and not self._fn.constant):
            operands = [getattr(v, "data", v) for v in (self._a, self._b) if v is not None]
            shares = on_ieee_floats(self._fn.live.vjp, float(getattr(self.grad, "data", self.grad)), self.data, *operands)
            for name, share in zip(("_a", "_b")[:len(shares) if not self._fn.constant else 1], shares):
                if getattr(self, name).__class__ is float:
                    setattr(self, name, Value(getattr(self, name)))
                    getattr(self, name).grad = share
        return self._inputs

    @property
    def _op(self) -> str:
        """The operation's symbol: '+', '*', '**2', 'ReLU'...; '' for a leaf."""
        return "" if self._fn is None else self._fn.label(self._b)

    @property
    def requires_grad(self) -> bool:
        """True if gradients flow to this Value (a variable, or computed from one)."""
        return self._fn is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        """True if gradients flow to this Value (a variable, or computed from one)."""
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Value:
        """Make this leaf a variable (True) or a constant (False); returns self."""
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        self._fn = LEAF if requires_grad else None
        return self

    @property
    def is_leaf(self) -> bool:
        """True for Values you created (and for results computed without grad)."""
        return self._fn is None or self._fn is LEAF

    @property
    def grad_fn(self) -> BackwardNode | None:
        """The backward node that produced this Value (``MulBackward0``...), None for a leaf."""
        fn = self._fn
        if fn is None or fn is LEAF:
            return None
        if fn.multi:
            return fn
        return backward_node_class(fn.grad_fn_name)(self)

    def detach(self) -> Value:
        """A new constant with the same data, cut off from the graph."""
        return Value(self.data, requires_grad=False)

    def zero_grad(self) -> None:
        """Set .grad to 0.0 (before the next backward pass)."""
        self.grad = 0.0

    def item(self) -> float:
        """The number inside, as torch's Tensor.item()."""
        return self.data

    def register_hook(self, hook: Callable[[Any], Any]) -> RemovableHandle:
        """Call ``hook(grad)`` when this Value's gradient is computed; it may return a new gradient."""
        if self._fn is None:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = _HOOKS.setdefault(self, [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    # --- copies: a new Value, with a stamp of its own ---------------------------------
    def __reduce__(self) -> tuple:
        """pickle and copy.copy: a new leaf with the same data and label (the graph is dropped,
        as PyTorch drops it)."""
        return _rebuilt, (self.data, self._fn is not None, self.label)

    def __deepcopy__(self, memo: dict) -> Value:
        """copy.deepcopy of a leaf, its .grad included (PyTorch refuses to deepcopy a result)."""
        if not self.is_leaf:
            raise RuntimeError("Only Values created explicitly by the user (graph leaves) support the "
                               "deepcopy protocol at the moment. Use .detach() for a copy of a result.")
        copied = memo[id(self)] = _rebuilt(self.data, self._fn is not None, self.label)
        copied.grad = self.grad if self.grad.__class__ is not Value else self.grad.__deepcopy__(memo)
        return copied

    # --- operators: each is one row of the table in ops.py ------------------------------
    def __add__(self, other): return apply(ops.ADD, self, other)
    def __radd__(self, other): return apply(ops.ADD, other, self)
    def __sub__(self, other): return apply(ops.SUB, self, other)
    def __rsub__(self, other): return _apply_constant(ops.RSUB_CONSTANT, self, other)
    def __mul__(self, other): return apply(ops.MUL, self, other)
    def __rmul__(self, other): return apply(ops.MUL, other, self)
    def __truediv__(self, other): return apply(ops.DIV, self, other)
    def __rtruediv__(self, other): return apply(ops.DIV, other, self)
    def __neg__(self): return apply(ops.NEG, self)
    def __pos__(self): return self
    def __abs__(self): return apply(ops.ABS, self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return apply(ops.POW, self, other)
        return _apply_constant(ops.POW_CONSTANT, self, other)

    def __rpow__(self, other): return _apply_constant(ops.RPOW_CONSTANT, self, other)

    # In place: allowed under no_grad (the optimizer's `w -= lr * w.grad`), refused on a leaf
    # that requires grad (as PyTorch does), out of place otherwise.
    def __iadd__(self, other): return self._in_place(ops.ADD, other)
    def __isub__(self, other): return self._in_place(ops.SUB, other)
    def __imul__(self, other): return self._in_place(ops.MUL, other)
    def __itruediv__(self, other): return self._in_place(ops.DIV, other)

    def _in_place(self, prim: Primitive, other: Any) -> Value:
        if not _grad_mode.grad_enabled:
            result = apply(prim, self, other)
            if result is NotImplemented:
                return result
            self.data = result.data
            return self
        if self._fn is LEAF:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        return apply(prim, self, other)

    # --- comparisons look at data, so Python control flow works ------------------------
    # == and hash are object's (identity), so Values live in sets and dicts.  (They are
    # inherited, not assigned: an assigned __hash__ would make every dict lookup a Python call.)
    def __lt__(self, other): return self.data < _data(other)
    def __le__(self, other): return self.data <= _data(other)
    def __gt__(self, other): return self.data > _data(other)
    def __ge__(self, other): return self.data >= _data(other)

    def __float__(self) -> float: return self.data
    def __bool__(self) -> bool: return self.data != 0
    def __format__(self, spec: str) -> str: return format(self.data, spec)
    def __repr__(self) -> str: return f"Value(data={self.data}, grad={self.grad})"

    # --- reverse mode -------------------------------------------------------------------
    def backward(self, gradient: float | Value | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        """Accumulate d(self)/d(v) · gradient into ``v.grad`` for every v in the graph."""
        backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph)

    def _backward(self) -> None:
        """One node of backpropagation by hand, as karpathy's lecture calls ``o._backward()``: each
        input's grad += ∂self/∂input · self.grad (this Value's row of the table; a leaf does nothing)."""
        fn = self._fn
        if fn is None or fn is LEAF:
            return
        if fn.__class__ is not Primitive:
            raise NotSupported("_backward() of a custom Function's output: call backward() on the result instead")
        before = (self._a, self._b)
        operands = [x.data if x.__class__ is Value else x for x in before if x is not None]
        for x, was, g in zip(self._prev, before, ops.evaluate(fn.live.vjp, float(self.grad or 0.0), self.data, *operands)):
            if x is was:                # (a number operand made a Value by _prev got its share there)
                x.grad = (x.grad or 0.0) + float(g)


def _rebuilt(data: float, requires_grad: bool, label: str) -> Value:
    """A copied or unpickled Value: a fresh leaf, so that no two Values share a stamp."""
    return Value(data, requires_grad=requires_grad, label=label)


def _data(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    number = as_float(x)
    if number is None:
        raise TypeError(f"cannot compare a Value with {x!r} of type {type(x).__name__}")
    return number


# --- recording an operation ----------------------------------------------------------------
_new = object.__new__


def apply(prim: Primitive, x: Any, y: Any = None) -> Value:
    """Evaluate `prim` on the operands' data and, if any requires grad, record it in the graph.

    x and y are Values or numbers (numbers stay floats); for a row that carries a constant,
    y is that constant.  This is the hot path of every program: the common types are tested
    first, and the new Value's slots are filled directly (object.__new__) rather than
    through __init__'s checks; the benchmark shows each of these saves 10-20% of an operation.
    """
    if x.__class__ is Value:
        xd = x.data
        requires_grad = x._fn is not None
    else:
        operand, x = x, as_float(x)
        if x is None:
            return unsupported_operand(prim.name, operand)
        xd, requires_grad = x, False
    if y is None:
        yd = None
        try:
            data = prim.forward(FLOATS, xd)
        except ArithmeticError:
            data = on_ieee_floats(prim.forward, xd)
    else:
        if y.__class__ is Value:
            yd = y.data
            requires_grad = requires_grad or y._fn is not None
        elif y.__class__ is float or prim.constant:
            yd = y
        else:
            operand, y = y, as_float(y)
            if y is None:
                return unsupported_operand(prim.name, operand)
            yd = y
        try:
            data = prim.forward(FLOATS, xd, yd)
        except ArithmeticError:
            data = on_ieee_floats(prim.forward, xd, yd)
    out = _new(Value)
    out.data = data
    out.grad = 0
    out.label = ""
    out._stamp = next(_clock)
    if requires_grad and _grad_mode.grad_enabled:
        out._fn = prim
        out._a = x
        out._b = y
    else:
        out._fn = None
        out._a = out._b = None
    if observers:
        for observe in observers:
            observe(prim, out, x, y)
    return out


# Usually empty: functions called after every operation with (primitive, result, x, y), x and y
# as given to apply (forward mode propagates tangents so), and before each backward pass with its
# roots and after it with None (count_operations and the profiler count and time so).
observers: list[Callable[[Primitive, Value, Any, Any], None]] = []
backward_observers: list[Callable[[list[Value] | None], None]] = []


def _apply_constant(prim: Primitive, x: Value, c: Any) -> Value:
    """`prim` with the number c as a node attribute (x ** c, c - x, c ** x)."""
    if as_float(c) is None:
        return unsupported_operand(prim.name, c)
    return apply(prim, x, c if isinstance(c, (int, float)) else float(c))


def _method(prim: Primitive) -> Callable[..., Value]:
    """Value.<name> for a function of the table: x.exp(), or x.clamp(min=0) for a row with constants."""
    if prim.constant:
        def method(self: Value, *args: Any, **kwargs: Any) -> Value:
            return apply(prim, self, prim.bind(args, kwargs))
    else:
        def method(self: Value) -> Value:
            return apply(prim, self)
    method.__name__, method.__qualname__ = prim.name, f"Value.{prim.name}"
    method.__doc__ = f"{prim.name}: {prim.math}"
    return method


# Value.exp(), Value.log(), ..., Value.clamp(min, max): one method per function of the table.
for _primitive in ops.UNARY.values():
    setattr(Value, _primitive.name, _method(_primitive))


# --- the backward pass ---------------------------------------------------------------------
_HOOKS: weakref.WeakKeyDictionary[Value, list] = weakref.WeakKeyDictionary()
_passes = threading.RLock()   # passes take turns writing .grad: two threads never interleave


def backward(roots: Sequence[Value], gradients: Sequence[Any], *, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Sequence[Value] | None = None,
             accumulate: bool = True) -> dict[Value, Any]:
    """Reverse-mode accumulation from `roots`, seeded with `gradients` (1.0 where None).

    With ``accumulate`` each Value's gradient is added to its ``.grad`` (``loss.backward()``);
    without, ``.grad`` is left alone (``autograd.grad``).  Returns the gradients of `inputs`.
    """
    retain_graph = create_graph if retain_graph is None else retain_graph
    seeds: dict[Value, Any] = {}
    for root, gradient in zip(roots, gradients):
        if root.__class__ is not Value or root._fn is None:
            raise RuntimeError(NO_GRAD_ERROR)
        if gradient is None:
            gradient = Value(1.0, requires_grad=False) if create_graph else 1.0
        elif gradient.__class__ is not Value:
            number = as_float(gradient)
            if number is None:
                raise TypeError(f"gradient must be a number or a Value, got {gradient!r} of type {type(gradient).__name__}")
            gradient = number
        elif not create_graph:
            gradient = gradient.data
        seeds[root] = seeds[root] + gradient if root in seeds else gradient
    for observe in backward_observers:
        observe(list(seeds))
    with _passes, grad_mode(create_graph):
        found = _backpropagate(seeds, retain_graph, create_graph, set(inputs or ()), accumulate)
    for observe in backward_observers:
        observe(None)                                   # the pass is over
    return found


def _backpropagate(seeds: dict[Value, Any], retain_graph: bool, create_graph: bool,
                   wanted: set[Value], accumulate: bool) -> dict[Value, Any]:
    """The loop of reverse mode: visit the Values the roots depend on, newest first; apply
    each one's rule and pass the results on to its inputs.

    Newest first is a topological order (inputs are created before their results), so when
    a Value is visited, every Value that used it has already added its share: its gradient
    ∂L/∂v = Σ over consumers of (∂L/∂consumer · ∂consumer/∂v) is complete.  Everything the
    pass keeps lives in a ``Pending`` (pending.py): the Values waiting for their gradient,
    newest first, and the sums so far.  Nothing is written on the Values but ``.grad``.
    """
    # plain: loss.backward() with no hooks; leaves then pass nothing on, so their gradient
    # goes straight into .grad instead of waiting for their turn.
    plain = accumulate and not (wanted or create_graph or _HOOKS)
    check_nan = _anomaly.enabled
    found: dict[Value, Any] = {}
    while seeds:                  # one round, unless some Values were made long before the rest
        pending = Pending(seeds)
        values, sums, newest = pending.values, pending.sums, pending.newest
        for position, node in enumerate(values):        # values grows as the loop runs
            if node is None:                            # no Value waits here, or already done
                continue
            g = sums[position]
            if plain:
                node.grad += g
            else:
                g = _receive(node, g, found, wanted, accumulate, create_graph)
            fn = node._fn
            if fn.__class__ is not Primitive:           # a leaf, or the node of a custom Function
                if fn is not LEAF:
                    _function_step(fn, node, g, pending, found, wanted, accumulate, create_graph,
                                   retain_graph, plain)
                continue
            # One step of the chain rule: the row's vjp gives ∂L/∂input for each input.  First
            # order, it runs on floats; with create_graph, on the Values themselves, so that the
            # gradients it makes are Values in a graph of their own.
            a, b = node._a, node._b
            if create_graph:
                grads = fn.vjp(VALUES, g, node, a) if b is None else fn.vjp(VALUES, g, node, a, b)
            else:
                x = a.data if a.__class__ is Value else a
                y = b.data if b.__class__ is Value else b
                try:
                    grads = fn.vjp(FLOATS, g, node.data, x) if b is None else fn.vjp(FLOATS, g, node.data, x, y)
                except ArithmeticError:
                    grads = on_ieee_floats(fn.vjp, g, node.data, x, *(() if b is None else (y,)))
            if check_nan:
                nan_check(fn.grad_fn_name, grads)
            if not retain_graph:
                node._fn = fn.freed
            # Pass each gradient to its input: a leaf's into .grad (plain pass), any other's
            # into its place in `pending`.  This is _send written out for a and b: the benchmark
            # shows a call per input, or a loop over the inputs, makes backward 30% slower.
            if a.__class__ is Value and a._fn is not None:
                i = a._stamp - newest
                if a._fn is LEAF and plain: a.grad += grads[0]
                elif i >= len(values): pending.add(a, grads[0])
                elif values[i] is None: values[i] = a; sums[i] = grads[0]  # noqa: E702
                else: sums[i] = sums[i] + grads[0]
            if b.__class__ is Value and b._fn is not None:
                i = b._stamp - newest
                if b._fn is LEAF and plain: b.grad += grads[1]
                elif i >= len(values): pending.add(b, grads[1])
                elif values[i] is None: values[i] = b; sums[i] = grads[1]  # noqa: E702
                else: sums[i] = sums[i] + grads[1]
        seeds = pending.far
    return found


def _receive(v: Value, g: Any, found: dict, wanted: set, accumulate: bool, create_graph: bool) -> Any:
    """v's gradient for this pass is complete: run its hooks, record it, add it to .grad."""
    if v in _HOOKS:
        for hook in list(_HOOKS[v]):
            replaced = hook(g)
            if replaced is not None:
                g = replaced if replaced.__class__ is Value and create_graph else float(replaced)
    if v in wanted:
        found[v] = g
    if accumulate:
        v.grad = g if v.grad.__class__ is not Value and v.grad == 0.0 else v.grad + g
    return g


def _send(v: Any, g: Any, pending: Pending, plain: bool) -> None:
    """Pass g to input v (if it is a Value that requires grad): into .grad for a leaf in a
    plain pass (leaves are not visited then), else into its sum in `pending`."""
    if v.__class__ is Value and v._fn is not None and g is not None:
        if plain and v._fn is LEAF:
            v.grad += g
        else:
            pending.add(v, g)


def _function_step(fn: Any, node: Value, g: Any, pending: Pending, found: dict,
                   wanted: set, accumulate: bool, create_graph: bool, retain_graph: bool, plain: bool) -> None:
    """The step of a custom Function's node: its backward runs once, with the gradients of
    all its outputs (those no one used get None).  `node` is the first output taken."""
    out_grads = []
    for o in fn.outputs():
        if o is node:
            out_grads.append(g)
        else:
            other = None if o is None else pending.take(o)
            out_grads.append(None if other is None else _receive(o, other, found, wanted, accumulate, create_graph))
    in_grads = fn.run_backward(out_grads, create_graph, retain_graph)
    if _anomaly.enabled:
        nan_check(fn.name(), in_grads)
    for v, gv in zip(fn.inputs, in_grads):
        _send(v, gv, pending, plain)
