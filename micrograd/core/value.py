"""Value: a scalar that remembers how it was computed, so that it can be differentiated.

The graph model (PyTorch's names in brackets):

* a ``Value`` holds ``data`` and ``grad`` [a 0-dim Tensor];
* ``_node`` is its history (``nodes.py``): ``None`` for a constant, ``LEAF`` for a variable you
  created [AccumulateGrad], the ``Primitive`` that made it (``rules.py``: one object shared by
  all its results, such as ``rules.MUL``) [MulBackward0 ...], that primitive's ``Freed`` once a
  backward pass ran through it, or the node of a custom ``Function``;
* ``_a`` and ``_b`` are a primitive's operands, in order (``_b`` is None for one operand; for
  ``x ** 2`` it holds the constant 2).  A number operand (the 2 in ``x * 2``) stays a float
  (karpathy's micrograd makes it a Value; PyTorch keeps a "wrapped number");
* ``_stamp`` numbers Values in the order they were created, counting down (0, -1, -2...): the
  newest has the smallest stamp, which is the order the backward pass needs (``backward.py``).

Nothing points from an input to its result, so the graph has no reference cycles: when the
last reference to a result goes, reference counting frees the whole graph at once.

Follow ``x * y``: ``Value.__mul__`` → ``apply(rules.MUL, x, y)`` runs ``rules.mul`` and records
MUL in the result's ``_node``; ``z.backward()`` → ``backward`` (checks the seeds) → the pass:
``backward.backpropagate`` calls ``MUL.local_gradients`` → ``rules.mul_vjp``.  (A plain
``loss.backward()`` takes ``backward.plain_backward``, the same steps written out for speed,
which calls ``rules.mul_vjp`` itself.)
"""

from __future__ import annotations

import itertools
import threading
import weakref
from functools import partial
from typing import Any, Callable, Iterator, Sequence

from . import rules
from . import backward as passes
from .backward import HOOKS, Pass, backpropagate, plain_backward
from .errors import (
    LEAF_INPLACE_ERROR,
    NO_GRAD_ERROR,
    NotSupported,
    bad_data,
    unsupported_operand,
)
from .ieee import as_float
from .modes import grad_mode, grad_state
from .nodes import LEAF, BackwardNode, RemovableHandle
from .rules import Primitive

_clock = itertools.count(0, -1)  # next(_clock) stamps each new Value: 0, -1, -2... newest smallest


def tick() -> int:
    """A stamp no Value gets, marking a moment: Values made after it have smaller stamps, those
    made before it larger ones (the drawings box a module call's Values so)."""
    return next(_clock)


class Value:
    """A scalar that remembers how it was computed, so that it can be differentiated.

    ``Value(2.0)`` requires grad by default (as in karpathy's micrograd); pass
    ``requires_grad=False`` for a constant.  ``label`` names it in drawings.  Besides the
    operators written out below, every function of the table in ``rules.py`` is a method:
    ``x.exp()``, ``x.relu()``, ``x.clamp(0, 1)``... (made by the loop after this class).
    """

    __slots__ = ("data", "grad", "_node", "_a", "_b", "label", "_stamp", "__weakref__")

    def __init__(self, data: float, *, requires_grad: bool = True, label: str = "") -> None:
        number = as_float(data)
        if number is None:
            has_item = hasattr(data, "item")
            hint = " (use .item() to get the number out of a Value or Tensor)" if has_item else ""
            raise TypeError(
                f"Value(data) needs a real number, got {data!r} of type {type(data).__name__}{hint}"
            )
        self.data = number
        self.grad: float | Value = 0  # karpathy's int 0: his prints show grad=0
        self._node: Any = LEAF if requires_grad else None
        self._a: Any = None
        self._b: Any = None
        self.label = label
        self._stamp = next(_clock)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError(
            "Value cannot be subclassed: the engine recognises Values by their exact class"
        )

    # --- the graph, as karpathy's micrograd and PyTorch show it -------------------------
    @property
    def _inputs(self) -> tuple:
        """The operands that are inputs, in order: Values, and numbers as floats."""
        return () if self._node is None else self._node.inputs_of(self)

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The inputs in order, all Values (karpathy's ``_prev``).  A number operand c becomes a
        Value the first time you look, as karpathy's engine makes it one at once, with the grad
        his would give it: ∂L/∂c = ∂L/∂self · ∂self/∂c."""
        node = self._node
        inputs = self._inputs
        numbers = any(x.__class__ is not Value for x in inputs)
        if numbers and node is not None and node.rule is not None:
            shares = node.rule.gradients(self, float(_data(self.grad)))
            for slot, x, share in zip(("_a", "_b"), inputs, shares):
                if x.__class__ is not Value:
                    made = Value(x)
                    made.grad = share
                    setattr(self, slot, made)
        return self._inputs

    @property
    def _op(self) -> str:
        """The operation's symbol: '+', '*', '**2', 'ReLU'...; '' for a leaf."""
        return "" if self._node is None else self._node.label(self._b)

    @property
    def requires_grad(self) -> bool:
        """True if gradients flow to this Value (a variable, or computed from one)."""
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        """True if gradients flow to this Value (a variable, or computed from one)."""
        self.requires_grad_(flag)

    def _linked(self, value: Any) -> Value:
        """value, recorded as a function of self with derivative 0 (``ValueMath.linked``)."""
        return apply(rules.CHOOSE_X, value, self)

    def requires_grad_(self, requires_grad: bool = True) -> Value:
        """Make this leaf a variable (True) or a constant (False); returns self."""
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._node = LEAF if requires_grad else None
        return self

    @property
    def is_leaf(self) -> bool:
        """True for Values you created (and for results computed without grad)."""
        return self._node is None or self._node is LEAF

    @property
    def grad_fn(self) -> BackwardNode | None:
        """The backward node that produced this Value (``MulBackward0``...), None for a leaf."""
        return None if self._node is None else self._node.grad_fn(self)

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
        """Call ``hook(grad)`` when this Value's gradient is computed; it may return a new one."""
        if self._node is None:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = HOOKS.setdefault(self, [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook, when_empty=partial(_forget_hooks, weakref.ref(self)))

    # --- copies: a new Value, with a stamp of its own ---------------------------------
    def __reduce__(self) -> tuple:
        """pickle and copy.copy: a new leaf with the same data and label (the graph is dropped,
        as PyTorch drops it)."""
        return _rebuilt, (self.data, self._node is not None, self.label)

    def __deepcopy__(self, memo: dict) -> Value:
        """copy.deepcopy of a leaf, its .grad included (PyTorch refuses to deepcopy a result)."""
        if not self.is_leaf:
            raise RuntimeError(
                "Only Values created explicitly by the user (graph leaves) support "
                "the deepcopy protocol at the moment. Use .detach() for a copy of a "
                "result."
            )
        copied = memo[id(self)] = _rebuilt(self.data, self._node is not None, self.label)
        grad = self.grad
        copied.grad = grad if grad.__class__ is not Value else grad.__deepcopy__(memo)
        return copied

    # --- operators: each is one primitive of rules.py ------------------------------------
    # one line each, read as a table:
    # fmt: off
    def __add__(self, other): return apply(rules.ADD, self, other)
    def __radd__(self, other): return apply(rules.ADD, other, self)
    def __sub__(self, other): return apply(rules.SUB, self, other)
    def __rsub__(self, other): return _apply_constant(rules.RSUB_CONSTANT, self, other)
    def __mul__(self, other): return apply(rules.MUL, self, other)
    def __rmul__(self, other): return apply(rules.MUL, other, self)
    def __truediv__(self, other): return apply(rules.DIV, self, other)
    def __rtruediv__(self, other): return apply(rules.DIV, other, self)
    def __neg__(self): return apply(rules.NEG, self)
    def __pos__(self): return self
    def __abs__(self): return apply(rules.ABS, self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return apply(rules.POW, self, other)
        return _apply_constant(rules.POW_CONSTANT, self, other)

    def __rpow__(self, other): return _apply_constant(rules.RPOW_CONSTANT, self, other)

    # In place: allowed under no_grad (the optimizer's `w -= lr * w.grad`), refused on a leaf
    # that requires grad (as PyTorch does), out of place otherwise.
    def __iadd__(self, other): return self._in_place(rules.ADD, other)
    def __isub__(self, other): return self._in_place(rules.SUB, other)
    def __imul__(self, other): return self._in_place(rules.MUL, other)
    def __itruediv__(self, other): return self._in_place(rules.DIV, other)

    def _in_place(self, prim: Primitive, other: Any) -> Value:
        if not grad_state.grad_enabled:
            result = apply(prim, self, other)
            if result is NotImplemented:
                return result
            self.data = result.data
            return self
        if self._node is LEAF:
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
    # fmt: on

    # --- reverse mode -------------------------------------------------------------------
    def backward(
        self,
        gradient: float | Value | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Accumulate d(self)/d(v) · gradient into ``v.grad`` for every v in the graph."""
        backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph)

    def _backward(self) -> None:
        """One node of backpropagation by hand, as karpathy's lecture calls ``o._backward()``: each
        input's grad += ∂self/∂input · self.grad (a leaf does nothing)."""
        node = self._node
        if node is None or node is LEAF:
            return
        if node.rule is None:
            raise NotSupported(
                "_backward() of a custom Function's output: call backward() on the result instead"
            )
        before = self._inputs
        grads = node.rule.gradients(self, float(self.grad or 0.0))
        for x, was, g in zip(self._prev, before, grads):
            if x is was:  # (a number operand made a Value by _prev got its share there)
                x.grad = (x.grad or 0.0) + float(g)


def _forget_hooks(ref: weakref.ref) -> None:
    """A Value's last hook was removed: forget it, so that a plain backward is fast again."""
    value = ref()
    if value is not None:
        HOOKS.pop(value, None)


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

    x and y are Values or numbers (numbers are kept as floats); for a primitive that carries a
    constant, y is that constant.  This is the hot path of every program: the common types are
    tested first, and the new Value's slots are filled directly (object.__new__) rather than
    through __init__'s checks; the benchmark shows each of these saves 10-20% of an operation.
    Wrong operands cost nothing until they fail: a TypeError from the forward, or a result that
    is not a float (``v.data = "abc"`` makes ``v + v`` a string), is explained then.
    """
    if x.__class__ is Value:
        xd = x.data
        requires_grad = x._node is not None
    else:
        operand, x = x, as_float(x)
        if x is None:
            return _refused(prim, operand, left=True)
        xd, requires_grad = x, False
    if y is None:
        try:
            data = prim.forward(rules.FloatMath, xd)
        except ArithmeticError:
            data = rules.on_ieee_floats(prim.forward, xd)
        except TypeError:
            if prim.inputs == 2:  # x + None: the operator's None operand
                return _refused(prim, None)
            _check_operands(x, y)
            raise
    else:
        if y.__class__ is Value:
            yd = y.data
            requires_grad = requires_grad or y._node is not None
        elif y.__class__ is float or prim.constant:
            yd = y
        else:
            operand, y = y, as_float(y)
            if y is None:
                return _refused(prim, operand)
            yd = y
        try:
            data = prim.forward(rules.FloatMath, xd, yd)
        except ArithmeticError:
            data = rules.on_ieee_floats(prim.forward, xd, yd)
        except TypeError:
            _check_operands(x, y)
            raise
    if data.__class__ is not float:
        data = _as_result(data, x, y)
    out = _new(Value)
    out.data = data
    out.grad = 0
    out.label = ""
    out._stamp = next(_clock)
    if requires_grad and grad_state.grad_enabled:
        out._node = prim
        out._a = x
        out._b = y
    else:
        out._node = None
        out._a = out._b = None
    if _watched:  # some thread observes operations: call this thread's observers
        for observe in observers.here():
            observe(prim, out, x, y)
    return out


# the operator each primitive reached through Python's operators is, as Python's TypeError names it
_SYMBOLS = {"add": "+", "sub": "-", "rsub": "-", "mul": "*", "div": "/", "pow": "** or pow()"}


def _refused(prim: Primitive, operand: Any, left: bool = False) -> Any:
    """Python's TypeError for an operand that is not a number (``Value(1.0) + None``), or
    NotImplemented for a type that handles Values itself (a Tensor)."""
    return unsupported_operand(_SYMBOLS.get(prim.name, prim.name), operand, left=left)


def _check_operands(*operands: Any) -> None:
    """Raise a clear TypeError if an operand is a Value whose data is not a real number
    (``v.data = "abc"``: an assignment is not checked, so that writing ``data`` stays as fast as
    writing a slot; its first use is)."""
    for operand in operands:
        if operand.__class__ is Value and as_float(operand.data) is None:
            raise bad_data(operand.data)


def _as_result(data: Any, x: Any, y: Any) -> float:
    """The result of an operation as a float: another real number (an int, after ``v.data = 3``;
    a numpy float) is converted; anything else means an operand's data is not a number."""
    number = as_float(data)
    if number is None:
        _check_operands(x, y)
        raise bad_data(data)
    return number


class PerThread:
    """Functions registered per thread: ``append`` in one thread makes them see that thread's
    operations only (forward mode's levels, the profiler, ``count_operations``), as PyTorch's
    forward-mode levels and profiler are per thread.

    ``apply`` tests the one list ``anywhere``, every thread's functions together, which is as
    cheap as testing a plain list: only while some thread observes does an operation look up its
    own thread's list (``here``)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.anywhere: list = []

    def here(self) -> list:
        """This thread's functions, in the order they were added."""
        try:
            return self._local.functions
        except AttributeError:
            self._local.functions = []
            return self._local.functions

    def append(self, function: Callable[..., Any]) -> None:
        """Call `function` for this thread's operations from now on."""
        with self._lock:
            self.here().append(function)
            self.anywhere.append(function)

    def remove(self, function: Callable[..., Any]) -> None:
        """Stop calling `function` (added in this thread)."""
        with self._lock:
            self.here().remove(function)
            self.anywhere.remove(function)

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(list(self.here()) if self.anywhere else ())

    def __len__(self) -> int:
        return len(self.here()) if self.anywhere else 0


# Usually empty: functions called after every operation with (primitive, result, x, y), x and y
# as given to apply (forward mode propagates tangents so), and before each backward pass with its
# roots and after it with None (count_operations and the profiler count and time so).  Per thread.
observers = PerThread()
backward_observers = PerThread()
_watched = observers.anywhere


def _apply_constant(prim: Primitive, x: Value, c: Any) -> Value:
    """`prim` with the number c as a node attribute (x ** c, c - x, c ** x)."""
    if as_float(c) is None:
        return _refused(prim, c, left=prim is not rules.POW_CONSTANT)
    return apply(prim, x, c if isinstance(c, (int, float)) else float(c))


def _method(prim: Primitive) -> Callable[..., Value]:
    """Value.<name> for a function of the table: x.exp(), or x.clamp(min=0) with constants."""
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
for _primitive in rules.UNARY.values():
    setattr(Value, _primitive.name, _method(_primitive))


# --- the backward pass ---------------------------------------------------------------------
_passes = threading.RLock()  # passes take turns writing .grad: two threads never interleave


def backward(
    roots: Sequence[Value],
    gradients: Sequence[Any],
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Sequence[Value] | None = None,
    accumulate: bool = True,
) -> dict[Value, Any]:
    """Reverse-mode accumulation from `roots`, seeded with `gradients` (1.0 where None).

    With ``accumulate`` each Value's gradient is added to its ``.grad`` (``loss.backward()``);
    without, ``.grad`` is left alone (``autograd.grad``).  Returns the gradients of `inputs`.
    """
    retain_graph = create_graph if retain_graph is None else retain_graph
    seeds: dict[Value, Any] = {}
    for root, gradient in zip(roots, gradients):
        seed = _seed(root, gradient, create_graph)
        seeds[root] = seeds[root] + seed if root in seeds else seed
    run = Pass(
        seeds,
        create_graph=create_graph,
        retain_graph=retain_graph,
        wanted=set(inputs or ()),
        accumulate=accumulate,
    )
    plain = passes.use_fast_pass and accumulate and not (inputs or create_graph or HOOKS)
    if backward_observers.anywhere:
        for observe in backward_observers:
            observe(list(seeds))
    with _passes, grad_mode(create_graph):
        if plain:
            plain_backward(run)
        else:
            backpropagate(run)
    if backward_observers.anywhere:
        for observe in backward_observers:
            observe(None)  # the pass is over
    return run.found


def _seed(root: Any, gradient: Any, create_graph: bool) -> Any:
    """The gradient a pass starts from at `root`: 1 by default, a Value with create_graph."""
    if root.__class__ is not Value or root._node is None:
        raise RuntimeError(NO_GRAD_ERROR)
    if gradient is None:
        return Value(1.0, requires_grad=False) if create_graph else 1.0
    if gradient.__class__ is Value:
        return gradient if create_graph else gradient.data
    number = as_float(gradient)
    if number is None:
        raise TypeError(
            f"gradient must be a number or a Value, got {gradient!r} of type "
            f"{type(gradient).__name__}"
        )
    return number
