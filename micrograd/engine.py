"""Value: a scalar in a dynamic computation graph, and the reverse-mode engine that differentiates it.

The graph model (PyTorch's names in brackets):

* a ``Value`` holds ``data`` and ``grad`` [a 0-dim Tensor];
* ``_fn`` says where it came from: ``None`` for a constant, ``LEAF`` for a variable you
  created that requires grad [AccumulateGrad], a ``Primitive`` from ``ops`` for the result of
  an operation [MulBackward0 ...], or a ``FunctionNode`` for an output of a custom ``Function``;
* ``_a`` and ``_b`` are the operands, in order (``_b`` is None for one operand, both are None
  for a leaf); ``_inputs`` gives them as a tuple.  Two slots rather than a tuple: one object
  less per operation, which the benchmark shows makes building a graph twice as fast (the
  cyclic garbage collector has half as many objects to look at) and a third smaller.  A
  number operand (the 2 in ``x * 2``) stays a plain float until ``_prev`` is read, which
  turns it into a constant ``Value`` (karpathy's micrograd makes a ``Value`` at once;
  PyTorch keeps a "wrapped number").

Nothing points from an input to its result, so the graph has no reference cycles: when
the last reference to a result goes, reference counting frees the whole graph at once.
"""
from __future__ import annotations

import builtins
import numbers
import weakref
from typing import Any, Callable, Iterable, Sequence

from . import ops
from .modes import _state as _grad_mode, anomaly as _anomaly, grad_mode
from .ops import IEEEFloat, Primitive

LEAF_INPLACE_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
NO_GRAD_ERROR = "element 0 of tensors does not require grad and does not have a grad_fn"


class _Leaf:
    """The ``_fn`` of a variable that requires grad: gradients stop and accumulate here."""
    multi, saves, symbol, name = False, False, "", "leaf"

    def __repr__(self) -> str:
        return "LEAF"


LEAF = _Leaf()


def _as_float(x: Any) -> float | None:
    """x as a float if it is a real number (int, bool, numpy scalar...), else None."""
    if x.__class__ is float:
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    return None


class Value:
    """A scalar that remembers how it was computed, so that it can be differentiated.

    ``Value(2.0)`` requires grad by default (as in karpathy's micrograd); pass
    ``requires_grad=False`` for a constant.  ``label`` names it in drawings.
    """

    __slots__ = ("data", "grad", "_fn", "_a", "_b", "label", "_pending", "__weakref__")

    def __init__(self, data: float, *, requires_grad: bool = True, label: str = "") -> None:
        number = _as_float(data)
        if number is None:
            hint = " (use .item() to get the number out of a Value or Tensor)" if hasattr(data, "item") else ""
            raise TypeError(f"Value(data) needs a real number, got {data!r} of type {type(data).__name__}{hint}")
        self.data = number
        self.grad: float | Value = 0.0
        self._fn: Any = LEAF if requires_grad else None
        self._a: Any = None
        self._b: Any = None
        self.label = label
        self._pending = 0         # used by backward: consumers yet to pass their gradient back

    # --- the graph, as karpathy's micrograd and PyTorch show it -------------------------
    @property
    def _inputs(self) -> tuple:
        """The operands in order: Values, and numbers as floats."""
        if self._fn is not None and self._fn.multi:          # an output of a custom Function
            return self._fn.inputs
        if self._a is None:
            return ()
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The inputs in order, number operands turned into constant Values (karpathy's `_prev`)."""
        if self._a.__class__ is float:
            self._a = Value(self._a, requires_grad=False)
        if self._b.__class__ is float:
            self._b = Value(self._b, requires_grad=False)
        return self._inputs

    @property
    def _op(self) -> str:
        """The operation's symbol: '+', '*', '**2', 'ReLU'...; '' for a leaf."""
        return getattr(self._fn, "symbol", "")

    @property
    def requires_grad(self) -> bool:
        return self._fn is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
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
        return _backward_node_class(fn.grad_fn_name)(self)

    def detach(self) -> Value:
        """A new constant with the same data, cut off from the graph."""
        return Value(self.data, requires_grad=False)

    def zero_grad(self) -> None:
        self.grad = 0.0

    def item(self) -> float:
        return self.data

    def register_hook(self, hook: Callable[[Any], Any]) -> RemovableHandle:
        """Call ``hook(grad)`` when this Value's gradient is computed; it may return a new gradient."""
        if self._fn is None:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = _HOOKS.setdefault(self, [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    # --- operations: each is one line of the table in ops.py ----------------------------
    def __add__(self, other): return _apply(ops.ADD, self, other)
    def __radd__(self, other): return _apply(ops.ADD, other, self)
    def __sub__(self, other): return _apply(ops.SUB, self, other)
    def __rsub__(self, other): return _apply_constant(ops.RSUB_CONSTANT, other, self)
    def __mul__(self, other): return _apply(ops.MUL, self, other)
    def __rmul__(self, other): return _apply(ops.MUL, other, self)
    def __truediv__(self, other): return _apply(ops.DIV, self, other)
    def __rtruediv__(self, other): return _apply(ops.DIV, other, self)
    def __neg__(self): return _apply(ops.NEG, self)
    def __pos__(self): return self
    def __abs__(self): return _apply(ops.ABS, self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return _apply(ops.POW, self, other)
        return _apply_constant(ops.POW_CONSTANT, other, self)

    def __rpow__(self, other): return _apply_constant(ops.RPOW_CONSTANT, other, self)

    def exp(self) -> Value: return _apply(ops.EXP, self)
    def log(self) -> Value: return _apply(ops.LOG, self)
    def tanh(self) -> Value: return _apply(ops.TANH, self)
    def sigmoid(self) -> Value: return _apply(ops.SIGM, self)
    def relu(self) -> Value: return _apply(ops.RELU, self)
    def sin(self) -> Value: return _apply(ops.SIN, self)
    def cos(self) -> Value: return _apply(ops.COS, self)
    def sqrt(self) -> Value: return _apply(ops.SQRT, self)
    def abs(self) -> Value: return _apply(ops.ABS, self)

    # In place: allowed under no_grad (the optimizer's `w -= lr * w.grad`), refused on a leaf
    # that requires grad (as PyTorch does), out of place otherwise.
    def __iadd__(self, other): return self._in_place(ops.ADD, other)
    def __isub__(self, other): return self._in_place(ops.SUB, other)
    def __imul__(self, other): return self._in_place(ops.MUL, other)
    def __itruediv__(self, other): return self._in_place(ops.DIV, other)

    def _in_place(self, prim: Primitive, other: Any) -> Value:
        if not _grad_mode.grad_enabled:
            result = _apply(prim, self, other)
            if result is NotImplemented:
                return result
            self.data = result.data
            return self
        if self._fn is LEAF:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        return _apply(prim, self, other)

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
        """Accumulate d(self)/d(v) * gradient into ``v.grad`` for every v in the graph."""
        backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph)


def _data(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    number = _as_float(x)
    if number is None:
        raise TypeError(f"cannot compare a Value with {x!r} of type {type(x).__name__}")
    return number


# --- recording an operation ----------------------------------------------------------------
_new = object.__new__


def _apply(prim: Primitive, x: Any, y: Any = None) -> Value:
    """Evaluate `prim` on the operands' data and, if any requires grad, record it in the graph.

    x and y are Values or numbers; numbers stay floats.  This is the hot path of every
    program: it is written out for one and two operands, with the common types tested
    first, and fills the new Value's slots directly (object.__new__) rather than through
    __init__'s checks; the benchmark shows each of these saves 10-20% of an operation.
    """
    if x.__class__ is Value or isinstance(x, Value):
        xd = x.data
        requires_grad = x._fn is not None
    else:
        operand, x = x, _as_float(x)
        if x is None:
            return _unsupported(prim, operand)
        xd, requires_grad = x, False
    if prim.arity == 1:
        y = None
        try:
            data = prim.forward(xd)
        except ArithmeticError:
            data = float(prim.forward(IEEEFloat(xd)))
    else:
        if y.__class__ is float:
            yd = y
        elif y.__class__ is Value or isinstance(y, Value):
            yd = y.data
            requires_grad = requires_grad or y._fn is not None
        else:
            operand, y = y, _as_float(y)
            if y is None:
                return _unsupported(prim, operand)
            yd = y
        try:
            data = prim.forward(xd, yd)
        except ArithmeticError:
            data = float(prim.forward(IEEEFloat(xd), IEEEFloat(yd)))
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._pending = 0
    if requires_grad and _grad_mode.grad_enabled:
        out._fn = prim
        out._a = x
        out._b = y
    else:
        out._fn = None
        out._a = out._b = None
    if observers:
        for observe in observers:
            observe(prim, out, (x,) if y is None else (x, y))
    return out


# Functions called with (primitive, result, inputs) after every operation: forward-mode AD
# propagates tangents this way, and count_operations counts.  Empty almost always.
observers: list[Callable[[Primitive, Value, tuple], None]] = []


def _unsupported(prim: Primitive, operand: Any) -> Any:
    """NotImplemented for types that handle Values themselves (Tensor: Python then calls its
    reflected method); otherwise a TypeError that names the type."""
    if getattr(operand, "handles_values", False):
        return NotImplemented
    raise TypeError(f"unsupported operand type for {prim.name}: 'Value' and '{type(operand).__name__}' "
                    f"({operand!r:.40}); use a number or a Value")


def _apply_constant(prim: Primitive, c: Any, x: Value) -> Value:
    """`prim` with the number c as a node attribute (x ** c, c - x, c ** x)."""
    if _as_float(c) is None:
        return _unsupported(prim, c)
    return _apply(prim.bind(c if isinstance(c, (int, float)) else float(c)), x)


# --- the backward engine -------------------------------------------------------------------
class BackwardNode:
    """What ``Value.grad_fn`` returns: the node of the backward graph (PyTorch's ``Node``)."""

    def __init__(self, value: Value) -> None:
        self._value = value

    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """(node, output index) for each input: AccumulateGrad for a leaf, None for a constant."""
        return tuple(_next_function(i) for i in self._value._inputs)

    @property
    def metadata(self) -> dict:
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
    def variable(self) -> Value:
        return self._value

    @property
    def next_functions(self) -> tuple:
        return ()


_NODE_CLASSES: dict[tuple[str, type], type] = {}


def _backward_node_class(name: str, base: type = BackwardNode) -> type:
    """A subclass of `base` named as PyTorch names the node (MulBackward0), made once per name."""
    if (name, base) not in _NODE_CLASSES:
        _NODE_CLASSES[name, base] = type(name, (base,), {})
    return _NODE_CLASSES[name, base]


def _next_function(x: Any) -> tuple[Any, int]:
    if x.__class__ is float or x._fn is None:
        return (None, 0)
    if x._fn is LEAF:
        return (AccumulateGrad(x), 0)
    if x._fn.multi:
        return (x._fn, x._fn.output_index(x))
    return (x.grad_fn, 0)


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


_HOOKS: weakref.WeakKeyDictionary[Value, list] = weakref.WeakKeyDictionary()


def _vertex(v: Value) -> Any:
    """The unit the engine schedules: the Value itself, or the custom Function node it came from."""
    return v._fn if v._fn.multi else v


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on that requires grad, each after all of its inputs (so
    reversed, the order backpropagation completes them).  Read-only and iterative."""
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:                                   # depth-first, each Value after its inputs
        v, inputs_listed = stack.pop()
        if inputs_listed:
            order.append(v)
        elif id(v) not in visited:
            visited.add(id(v))
            stack.append((v, True))
            stack.extend((i, False) for i in v._inputs
                         if i.__class__ is not float and i._fn is not None and id(i) not in visited)
    return order


def _topological_order(roots: Iterable[Any]) -> tuple[list, list, dict[Value, Any], set[Value]]:
    """Every vertex reachable from the roots, each listed after all the vertices it depends on.

    karpathy's build_topo, made iterative so a graph may be a million deep, and kept free of
    allocations: a vertex's ``_pending`` slot marks it new (0), open (1) or listed (2); the
    backward pass sets it back to 0.  Leaves come back in a list of their own: nothing
    depends on them, so they can be finished after everything else.  Each reached Value's
    earlier ``.grad`` is set aside (returned in ``stashed``) and started at 0.0, so the pass
    can sum its gradient there.  Outputs of custom Functions that were reached are returned too.
    """
    order: list = []
    leaves: list = []
    stashed: dict[Value, Any] = {}
    reached_outputs: set[Value] = set()
    stack = []
    for r in roots:                 # a root is a Value or a custom Function's node
        if getattr(r, "_fn", None) is LEAF:
            r._pending = 2
            leaves.append(r)
            if r.grad.__class__ is not float or r.grad:
                stashed[r], r.grad = r.grad, 0.0
        else:
            stack.append(r)
    while stack:
        v = stack[-1]
        if v._pending:
            stack.pop()
            if v._pending == 1:                    # all it depends on is listed: list it
                v._pending = 2
                order.append(v)
            continue
        v._pending = 1
        if v.__class__ is Value:
            if v.grad.__class__ is not float or v.grad:
                stashed[v], v.grad = v.grad, 0.0
            inputs = (v._a, v._b)
        else:
            inputs = v.inputs
        for i in inputs:
            if i is None or i.__class__ is float:
                continue
            fn = i._fn
            if fn is None or i._pending:
                continue
            if fn is LEAF:
                i._pending = 2
                leaves.append(i)
                if i.grad.__class__ is not float or i.grad:
                    stashed[i], i.grad = i.grad, 0.0
            elif fn.multi:                         # an output of a custom Function
                if i not in reached_outputs:
                    reached_outputs.add(i)
                    if i.grad.__class__ is not float or i.grad:
                        stashed[i], i.grad = i.grad, 0.0
                if not fn._pending:
                    stack.append(fn)
            else:
                stack.append(i)
    return order, leaves, stashed, reached_outputs


def _check_anomaly(name: str, grads: Sequence[Any]) -> None:
    for index, g in enumerate(grads):
        if g is not None and float(g) != float(g):
            raise RuntimeError(f"Function '{name}' returned nan values in its {index}th output.")


def backward(roots: Sequence[Value], gradients: Sequence[Any], *, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Sequence[Value] | None = None,
             accumulate: bool = True) -> dict[Value, Any]:
    """Reverse-mode accumulation from `roots`, seeded with `gradients` (1.0 where None).

    Every vertex is processed once, after all its consumers (Kahn's algorithm), so the
    gradient it passes on is complete.  With ``accumulate`` the gradients are added to ``.grad``
    of every Value that requires grad; the gradients of `inputs` are also returned.
    """
    if retain_graph is None:
        retain_graph = create_graph
    seeds: dict[Value, Any] = {}
    for root, gradient in zip(roots, gradients):
        if not isinstance(root, Value) or root._fn is None:
            raise RuntimeError(NO_GRAD_ERROR)
        if gradient is None:
            gradient = Value(1.0, requires_grad=False) if create_graph else 1.0
        elif not isinstance(gradient, Value):
            number = _as_float(gradient)
            if number is None:
                raise TypeError(f"gradient must be a number or a Value, got {gradient!r} of type {type(gradient).__name__}")
            gradient = number
        elif not create_graph:
            gradient = gradient.data
        seeds[root] = seeds[root] + gradient if root in seeds else gradient

    with grad_mode(create_graph):
        return _run(seeds, retain_graph, create_graph, set(inputs or ()), accumulate)


def _run(seeds: dict[Value, Any], retain_graph: bool, create_graph: bool,
         wanted: set[Value], accumulate: bool) -> dict[Value, Any]:
    # Each Value's gradient for this pass is summed in its own .grad (which the topological
    # sort set to 0.0, stashing the earlier value): the benchmark shows a dict would make
    # backward 40% slower.  When a Value's turn comes its sum is complete: it is processed,
    # and the stashed value is added back (accumulate) or put back (autograd.grad).
    order, leaves, stashed, reached_outputs = _topological_order(list({_vertex(r): None for r in seeds}))
    for root, seed in seeds.items():
        if root not in reached_outputs and root._fn.multi and (root.grad.__class__ is not float or root.grad):
            stashed[root] = root.grad       # a root that is an output of a custom Function
        root.grad = seed
        reached_outputs.add(root)
    found: dict[Value, Any] = {}
    hooks = len(_HOOKS) > 0
    plain = accumulate and not (hooks or wanted or create_graph)   # the common case, kept fast
    fast = not (create_graph or _anomaly.enabled)
    position = len(order)
    try:
        while position:
            position -= 1
            u = order[position]
            u._pending = 0
            if u.__class__ is Value:
                if plain:
                    g = u.grad
                    if stashed and u in stashed:
                        u.grad = stashed[u] + g
                else:
                    g = _receive(u, stashed, hooks, wanted, found, accumulate, create_graph)
                fn = u._fn
                if fn.step is not None and fast:
                    fn.step(u, g)               # first-order: compiled, adds into the inputs' .grad
                else:
                    _generic_step(u, fn, g, create_graph, fast, retain_graph)
                if not retain_graph:
                    u._fn = fn.freed
            else:  # the node of a custom Function: all its outputs' gradients are in
                out_grads = [_receive(o, stashed, hooks, wanted, found, accumulate, create_graph)
                             if o in reached_outputs else None for o in u.outputs()]
                in_grads = u.run_backward(out_grads, create_graph, retain_graph)
                if not fast:
                    _check_anomaly(u.name(), in_grads)
                _accumulate(u.inputs, in_grads, create_graph)
        for leaf in leaves:
            leaf._pending = 0
            if plain:
                if stashed and leaf in stashed:
                    leaf.grad = stashed[leaf] + leaf.grad
            else:
                _receive(leaf, stashed, hooks, wanted, found, accumulate, create_graph)
    except BaseException:
        _undo(order[:position + 1], leaves, stashed, reached_outputs)
        raise
    for observe in backward_observers:
        observe(len(order))
    return found


# Functions called with the number of backward steps after each backward pass (count_operations).
backward_observers: list[Callable[[int], None]] = []


def _generic_step(u: Value, fn: Primitive, g: Any, create_graph: bool, fast: bool, retain_graph: bool) -> None:
    """One backward step through the derivative formulas: on Values when recording the
    backward pass (create_graph), checking for nan under detect_anomaly."""
    if create_graph:
        in_grads = fn.vjp_in(VALUE_MATH)(g, u, *u._inputs)
    else:
        args = [i if i.__class__ is float else i.data for i in u._inputs]
        try:
            in_grads = fn.vjp(g, u.data, *args)
        except ArithmeticError:
            in_grads = _ieee_vjp(fn, g, u.data, u._inputs)
    if not fast:
        _check_anomaly(fn.grad_fn_name, in_grads)
    if fn.step is None and not fn.is_freed:
        fn.step = _compile_step(fn)
    _accumulate(u._inputs, in_grads, create_graph)


def _accumulate(inputs: tuple, grads: Sequence[Any], create_graph: bool) -> None:
    for i, gi in zip(inputs, grads):
        if i.__class__ is not float and i._fn is not None:
            i.grad = _add(i.grad, gi) if create_graph else i.grad + gi


def _compile_step(prim: Primitive) -> Callable[[Value, float], None]:
    """prim's derivative formulas compiled into one backward step on floats.

    For x * y this is:
        def step(node, g):
            a, b = node._a, node._b
            out = node.data
            x = a if a.__class__ is float else a.data
            y = b if b.__class__ is float else b.data
            try:
                grads = (g * y, g * x)
            except ArithmeticError:
                grads = ieee_vjp(prim, g, out, node._inputs)
            if a.__class__ is not float and a._fn is not None:
                a.grad += grads[0]
            ...
    The same formulas as vjp, without a tuple of inputs, a call per input or a loop: the
    benchmark shows backward twice as fast this way.
    """
    names = "ab"[: prim.arity]
    operands = "xy"[: prim.arity]
    lines = ["def step(node, g):",
             *[f"    {n} = node._{n}" for n in names],
             "    out = node.data"]
    lines += [f"    {o} = {n} if {n}.__class__ is float else {n}.data" for n, o in zip(names, operands)]
    lines += ["    try:",
              f"        grads = ({', '.join(prim.derivative_formulas)},)",
              "    except ArithmeticError:",
              "        grads = ieee_vjp(prim, g, out, node._inputs)"]
    for k, n in enumerate(names):
        lines += [f"    if {n}.__class__ is not float and {n}._fn is not None:",
                  f"        {n}.grad += grads[{k}]"]
    namespace = {**prim.namespace(ops.FLOAT_MATH), "__builtins__": builtins, "ieee_vjp": _ieee_vjp, "prim": prim}
    exec(compile("\n".join(lines), f"<{prim.name} backward step>", "exec"), namespace)
    return namespace["step"]


def _undo(unfinished: list, leaves: list, stashed: dict, reached_outputs: set) -> None:
    """After an error: reset the marks, and put back the .grad of every Value not finished."""
    for vertex in unfinished + leaves:
        vertex._pending = 0
        for v in [vertex] if vertex.__class__ is Value else vertex.outputs():
            if v is not None and (v is vertex or v in reached_outputs):
                v.grad = stashed.get(v, 0.0)


def _receive(v: Value, stashed: dict, hooks: bool, wanted: set, found: dict, accumulate: bool,
             create_graph: bool) -> Any:
    """v's gradient for this pass is complete: run its hooks, put .grad right, return it."""
    g = v.grad
    if hooks and v in _HOOKS:
        for hook in list(_HOOKS[v]):
            replaced = hook(g)
            if replaced is not None:
                g = replaced if isinstance(replaced, Value) and create_graph else float(replaced)
    if v in wanted:
        found[v] = g
    before = stashed.get(v, 0.0) if stashed else 0.0
    v.grad = _add(before, g) if accumulate else before
    return g


def _add(total: Any, g: Any) -> Any:
    """total + g, without recording `0.0 + g` when create_graph sums Values."""
    return g if total.__class__ is float and total == 0.0 else total + g


def _ieee_vjp(fn: Primitive, g: float, out: float, inputs: tuple) -> list[float]:
    """The derivative formulas on IEEEFloat, for when Python's floats raised (1/0, 0**-1)."""
    args = [IEEEFloat(i if i.__class__ is float else i.data) for i in inputs]
    return [float(d) for d in fn.vjp(IEEEFloat(g), IEEEFloat(out), *args)]


def _lift(method: Callable, float_version: Callable) -> Callable:
    return lambda x: method(x) if isinstance(x, Value) else float_version(x)


def _value_pow(x: Any, y: Any) -> Any:
    return x ** y if isinstance(x, Value) or isinstance(y, Value) else ops.ieee_pow(x, y)


# The derivative formulas of ops.py evaluated on Values: with create_graph=True the backward
# pass is itself recorded, so it can be differentiated again.
VALUE_MATH: dict[str, Any] = {
    **ops.FLOAT_MATH,
    **{name: _lift(getattr(Value, name), ops.FLOAT_MATH[name])
       for name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs")},
    "sign": lambda x: ops.sign(_data(x)),
    "pow": _value_pow,
}

for _primitive in [*ops.UNARY.values(), *ops.BINARY.values()]:
    _primitive.step = _compile_step(_primitive)
del _primitive
