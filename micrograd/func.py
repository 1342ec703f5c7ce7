"""Function transforms, as in ``torch.func`` (and JAX): ``grad``, ``vjp``, ``jvp``, ``jacrev``,
``jacfwd``, ``hessian``, ``vmap``, ``functional_call``; and ``count_operations`` to see what each
one costs.  ``has_aux=True`` (grad, vjp, jvp, jacrev, jacfwd): f returns (output, aux) and the
transform returns aux beside its result.  Arguments and results may be tuples, lists or dicts of
tensors, nested as in torch.func.

For f: Rⁿ → Rᵐ, reverse mode (``vjp``, ``jacrev``) runs one backward pass per output, so it
wins when m is small (a loss: m = 1); forward mode (``jvp``, ``jacfwd``) runs one forward pass
per input, so it wins when n is small.  They nest: ``grad(grad(f))`` is f''.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .core import value as engine, rules as ops
from .autograd import forward_ad
from .autograd.reverse import grad as autograd_grad
from .core.value import Value, tick
from .core.errors import missing_name
from .core.graph import topological_order
from .pytree import flatten, tree_flatten, tree_map, tree_unflatten, unflatten
from .core.modes import enable_grad
from .tensors import as_tensor, stack


def _argnums(argnums: int | Sequence[int]) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


class _Call:
    """One call of a transform: when it started, which tells the variables it made from those
    made before it.

    torch.func wraps the inputs at a level of their own and unwraps the results: what depends
    only on those inputs comes out as a constant, what also depends on a tensor that requires
    grad outside (an input that already did, a parameter in a closure) stays differentiable
    with respect to it.  Here the inputs that do not require grad get variable copies, and the
    results are cut off from the graph when they reach no variable made before the call.
    """

    def __init__(self) -> None:
        self.start = tick()           # Values are stamped 0, -1, -2...: older ones have larger stamps

    def variable(self, x: Any) -> Any:
        """x ready to be differentiated: numbers become Values; constants get a variable copy."""
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            return Value(x)
        inner = flatten(x)
        if inner is None:
            raise TypeError(f"can only differentiate with respect to Values or Tensors, got {type(x).__name__}")
        if all(v.requires_grad for v in inner[0]):
            return x
        return unflatten(x, inner[1], [v if v.requires_grad else _variable_copy(v) for v in inner[0]])

    def variables(self, tree: Any) -> Any:
        """`variable` applied to each leaf of a tuple, list or dict (or to tree itself)."""
        return tree_map(self.variable, tree)

    def reaches_outside(self, out: Any) -> bool:
        """True if `out` depends on a variable made before this call."""
        values = [v for leaf in tree_flatten(out)[0] for v in (flatten(leaf) or ([], None))[0]]
        return any(v.requires_grad and v.is_leaf and v._stamp > self.start for v in topological_order(values))

    def result(self, tree: Any) -> Any:
        """tree with each tensor that reaches no variable made before this call detached (not
        one carrying tangents: a jvp around this transform differentiates it)."""
        def lowered(leaf: Any) -> Any:
            inner = flatten(leaf)
            if (inner is None or keep_graph.active or not any(v.requires_grad for v in inner[0])
                    or forward_ad.has_tangents(inner[0]) or self.reaches_outside(leaf)):
                return leaf
            return leaf.detach()
        return tree_map(lowered, tree)


def _variable_copy(v: Value) -> Value:
    """A variable with v's number and v's tangents (inside jvp, the tangents are what the
    transform around this one differentiates)."""
    copy = Value(v.data)
    forward_ad.carry_tangents(v, copy)
    return copy


def _zeros_like(x: Any) -> Any:
    inner = flatten(x)
    return unflatten(x, inner[1], [0.0] * len(inner[0]))


class _Nesting:
    """How many transforms are running: only a nested one must record its backward pass
    (create_graph) so the transform around it can differentiate the result again.  Inside
    forward mode (jvp, jacfwd, dual numbers) every backward pass is recorded, so that the
    tangents flow through the gradients it computes."""
    depth = 0

    def __enter__(self) -> bool:
        nested = _Nesting.depth > 0 or forward_ad.active() or keep_graph.active
        _Nesting.depth += 1
        return nested

    def __exit__(self, *exc: object) -> None:
        _Nesting.depth -= 1


class keep_graph:
    """Inside, transforms record their backward passes and keep every result in the graph
    (``torch.autograd.functional``'s create_graph=True)."""
    active = False

    def __enter__(self) -> None:
        self.saved, keep_graph.active = keep_graph.active, True

    def __exit__(self, *exc: object) -> None:
        keep_graph.active = self.saved


def _gradients(out: Any, wrt: list, grad_outputs: Any = None, create_graph: bool = True) -> list:
    """d(out)/d(each of wrt), zeros where out does not depend on it.  out may be a tuple, list
    or dict of tensors (grad_outputs then the same)."""
    outs, spec = tree_flatten(out)
    if any(flatten(o) is None for o in outs):
        raise TypeError(f"the function must return Values or Tensors (or tuples, lists, dicts of them), got "
                        f"{type(out).__name__}")
    seeds = None if grad_outputs is None else tree_flatten(grad_outputs)[0]
    if seeds is not None and len(seeds) != len(outs):
        raise RuntimeError(f"expected {len(outs)} cotangents, one per output, got {len(seeds)}")
    pairs = [(o, s) for o, s in zip(outs, seeds or [None] * len(outs)) if any(v.requires_grad for v in flatten(o)[0])]
    if not pairs:
        return [_zeros_like(w) for w in wrt]
    grads = autograd_grad([o for o, _ in pairs], wrt, grad_outputs=None if seeds is None else [s for _, s in pairs],
                          create_graph=create_graph, retain_graph=True, allow_unused=True)
    result = []
    for w, g in zip(wrt, grads):
        if g is None:
            g = _zeros_like(w)
        elif not isinstance(g, Value) and flatten(g) is None:
            g = Value(g, requires_grad=False)
        result.append(g)
    return result


def _with_aux(f: Callable[..., Any], has_aux: bool) -> tuple[Callable[..., Any], list]:
    """With has_aux, f returns (output, aux): a function returning the output, and a box that keeps aux."""
    box: list = [None]
    if not has_aux:
        return f, box

    def output_only(*args: Any) -> Any:
        out = f(*args)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise RuntimeError("has_aux=True: the function must return a pair (output, aux), got "
                               f"{type(out).__name__}")
        box[0] = out[1]
        return out[0]
    return output_only, box


def _leaves_of(args: list, nums: tuple[int, ...]) -> tuple[list, list]:
    """The leaves of the arguments `nums` (all in one list) and, per argument, (spec, count)."""
    leaves, layout = [], []
    for i in nums:
        arg_leaves, spec = tree_flatten(args[i])
        leaves.extend(arg_leaves)
        layout.append((spec, len(arg_leaves)))
    return leaves, layout


def _per_argument(results: list, layout: list, argnums: int | Sequence[int]) -> Any:
    """results (one per leaf) regrouped as the arguments were nested: one per argument."""
    grouped, start = [], 0
    for spec, count in layout:
        grouped.append(tree_unflatten(spec, results[start:start + count]))
        start += count
    return grouped[0] if isinstance(argnums, int) else tuple(grouped)


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The function that returns the gradient of scalar-valued `f` w.r.t. argument `argnums`
    (with has_aux, (gradient, aux)).  An argument may be a tuple, list or dict of tensors: its
    gradient is nested the same way.

    >>> grad(lambda x: x ** 3)(2.0)          # 3x² = 12
    """
    nums = _argnums(argnums)
    f, aux = _with_aux(f, has_aux)

    def gradient(*args: Any) -> Any:
        call, args = _Call(), list(args)
        for i in nums:
            args[i] = call.variables(args[i])
        leaves, layout = _leaves_of(args, nums)
        with enable_grad(), _Nesting() as nested:
            out = f(*args)
            grads = _gradients(out, leaves, create_graph=nested or call.reaches_outside(out))
        result = call.result(_per_argument(grads, layout, argnums))
        return (result, call.result(aux[0])) if has_aux else result
    return gradient


def vjp(f: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """(f(*primals), vjp_fn): vjp_fn(v) is vᵀ·J, one reverse pass (``torch.func.vjp``); with has_aux,
    (output, vjp_fn, aux).  Primals, output and v may be tuples, lists or dicts of tensors."""
    f, aux = _with_aux(f, has_aux)
    call = _Call()
    args = [call.variables(p) for p in primals]
    leaves, layout = _leaves_of(args, tuple(range(len(args))))
    with enable_grad(), _Nesting() as nested:
        out = f(*args)
    record = nested or call.reaches_outside(out)

    def vjp_fn(cotangent: Any) -> tuple:
        with enable_grad():
            grads = _gradients(out, leaves, grad_outputs=cotangent, create_graph=record)
        return call.result(_per_argument(grads, layout, tuple(range(len(args)))))
    return (call.result(out), vjp_fn, call.result(aux[0])) if has_aux else (call.result(out), vjp_fn)


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], *,
        has_aux: bool = False) -> tuple:
    """(f(*primals), J·tangents), one forward pass with dual numbers (``torch.func.jvp``); with
    has_aux, (output, J·tangents, aux).  Primals may be tuples, lists or dicts of tensors, the
    tangents nested the same way; the output too."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp(f, primals, tangents): primals and tangents must be tuples, e.g. jvp(f, (x,), (t,))")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: expected as many tangents as primals, got {len(tangents)} and {len(primals)}")
    f, aux = _with_aux(f, has_aux)
    primal_leaves, spec = tree_flatten(tuple(primals))
    tangent_leaves, tangent_spec = tree_flatten(tuple(tangents))
    if tangent_spec != spec:
        raise ValueError("jvp: the tangents must be nested exactly as the primals (one tangent per tensor)")
    call = _Call()
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(Value(p, requires_grad=False) if isinstance(p, (int, float)) else p, t)
                 for p, t in zip(primal_leaves, tangent_leaves)]
        out = f(*tree_unflatten(spec, duals))
        result = (out, tree_map(_tangent, out), aux[0])
    result = call.result(result)             # outside the level: no tangents left
    return result if has_aux else result[:2]


def _tangent(out: Any) -> Any:
    if isinstance(out, (int, float)):
        return 0.0
    tangent = forward_ad.unpack_dual(out).tangent
    return _zeros_like(out) if tangent is None else tangent


def _assemble(out: Any, x: Any, columns: list[list[Any]]) -> Any:
    """A Jacobian from its entries: columns[j][i] = ∂outᵢ/∂xⱼ, shaped out.shape + x.shape."""
    builder = getattr(type(x), "_jacobian", None) or getattr(type(out), "_jacobian", None)
    if builder is not None:
        return builder(out, x, columns)
    if isinstance(out, Value) and isinstance(x, Value):
        return columns[0][0]
    raise TypeError(f"cannot build a Jacobian of {type(out).__name__} with respect to {type(x).__name__}")


def _jacobians(out: Any, leaves: list, layout: list, argnums: int | Sequence[int], entries: Callable) -> Any:
    """The Jacobian of each output (out may be nested) with respect to each argument (nested
    too), as torch.func indexes it: [output][argument].  entries(o) gives, for output tensor o,
    the list over input elements of the list over o's elements of ∂oᵢ/∂xⱼ."""
    outs, out_spec = tree_flatten(out)
    per_output = []
    for k, o in enumerate(outs):
        columns, start = entries(k, o), 0
        per_leaf = []
        for leaf in leaves:
            count = len(flatten(leaf)[0])
            per_leaf.append(_assemble(o, leaf, columns[start:start + count]))
            start += count
        per_output.append(_per_argument(per_leaf, layout, argnums))
    return tree_unflatten(out_spec, per_output)


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one backward pass per output element (``torch.func.jacrev``).

    With several outputs (a tuple or dict) the result is indexed [output][argument], as in
    torch.func; arguments may be tuples, lists or dicts of tensors; with has_aux, (Jacobian, aux).
    """
    nums = _argnums(argnums)
    f, aux = _with_aux(f, has_aux)

    def jacobian(*args: Any) -> Any:
        call, args = _Call(), list(args)
        for i in nums:
            args[i] = call.variables(args[i])
        leaves, layout = _leaves_of(args, nums)
        everything = [v for leaf in leaves for v in flatten(leaf)[0]]
        with enable_grad(), _Nesting() as nested:
            out = f(*args)
            record = nested or call.reaches_outside(out)

            def entries(k: int, o: Any) -> list:
                rows = [_gradients(v, everything, create_graph=record) if v.requires_grad else [0.0] * len(everything)
                        for v in flatten(o)[0]]          # one reverse pass per output element
                return [[row[col] for row in rows] for col in range(len(everything))]
            result = _jacobians(out, leaves, layout, argnums, entries)
        result = call.result(result)
        return (result, call.result(aux[0])) if has_aux else result
    return jacobian


def jacfwd(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by forward mode: one forward pass per input element (``torch.func.jacfwd``);
    with has_aux, (Jacobian, aux)."""
    nums = _argnums(argnums)

    def jacobian(*args: Any) -> Any:
        args = [Value(a, requires_grad=False) if isinstance(a, (int, float)) else a for a in args]
        leaves, layout = _leaves_of(args, nums)
        flat = [v for leaf in leaves for v in flatten(leaf)[0]]
        tangent_outs: list = []
        out = found_aux = None
        for col in range(len(flat)):                 # one forward pass per input element
            direction, start = [], 0                 # the basis vector e_col, shaped as the leaves
            for leaf in leaves:
                values, spec = flatten(leaf)
                direction.append(unflatten(leaf, spec, [1.0 if start + k == col else 0.0 for k in range(len(values))]))
                start += len(values)
            tangents = [tree_map(_zeros_like, a) for a in args]
            moving = _per_argument(direction, layout, tuple(range(len(nums))))
            for i, t in zip(nums, moving):
                tangents[i] = t
            if has_aux:
                out, tangent, found_aux = jvp(f, args, tangents, has_aux=True)
            else:
                out, tangent = jvp(f, args, tangents)
            tangent_outs.append([_elements(t) for t in tree_flatten(tangent)[0]])
        result = _jacobians(out, leaves, layout, argnums, lambda k, o: [column[k] for column in tangent_outs])
        return (result, found_aux) if has_aux else result
    return jacobian


def _elements(x: Any) -> list:
    inner = flatten(x)
    return inner[0] if inner is not None else [x]


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Second derivatives of scalar-valued `f`: the Jacobian of its gradient (reverse over reverse)."""
    return jacrev(jacrev(f, argnums), argnums)


def vmap(f: Callable[..., Any], in_dims: Any = 0, out_dims: int = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable[..., Any]:
    """``torch.func.vmap``: f applied to each slice of its arguments along `in_dims` (None: not
    batched), the results stacked along `out_dims`.  PyTorch batches the work; here it is a loop,
    which gives the same numbers and gradients."""
    def batched(*args: Any) -> Any:
        dims = tuple(in_dims) if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap: in_dims has {len(dims)} entries but f got {len(args)} arguments")
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None}
        if len(sizes) != 1:
            raise ValueError("vmap: " + ("at least one argument must be batched (an in_dims entry not None)" if not sizes
                                         else f"the batched arguments have different sizes {sorted(sizes)}"))
        outs = [f(*[a if d is None else a.movedim(d, 0)[i] for a, d in zip(args, dims)]) for i in range(sizes.pop())]
        if isinstance(outs[0], tuple):
            return tuple(stack([as_tensor(o[k]) for o in outs], out_dims) for k in range(len(outs[0])))
        return stack([as_tensor(o) for o in outs], out_dims)
    return batched


def functional_call(module: Any, parameters: dict[str, Any], args: Any = (), kwargs: dict | None = None) -> Any:
    """``torch.func.functional_call``: module(*args) with the tensors of `parameters` (by name, as
    named_parameters() names them: '0.weight') in place of its own, which are put back afterwards."""
    def owner(name: str) -> tuple[Any, str]:
        *path, last = name.split(".")
        obj = module
        for part in path:
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
        return obj, last
    known = dict(module.named_parameters())
    for name in parameters:
        if name not in known:
            raise ValueError(f"functional_call: the module has no parameter {name!r}; it has {sorted(known)}")
    saved = {name: getattr(*owner(name)) for name in parameters}
    try:
        for name, value in parameters.items():
            setattr(*owner(name), value)
        return module(*(args if isinstance(args, tuple) else (args,)), **(kwargs or {}))
    finally:
        for name, value in saved.items():
            setattr(*owner(name), value)


def make_functional_with_buffers(model: Any) -> tuple[Callable[..., Any], tuple, tuple]:
    """functorch's older way (before ``torch.func``) to call a module as a function of its
    parameters, kept because PyTorch's forward-AD tutorial uses it: (fmodel, params, buffers) with
    ``fmodel(params, buffers, *args)`` = ``model(*args)`` run with `params` in place of its own
    (``functional_call`` underneath).  micrograd's modules have no buffers: buffers is ()."""
    names = [name for name, _ in model.named_parameters()]

    def fmodel(params: Sequence[Any], buffers: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        return functional_call(model, dict(zip(names, params)), args, kwargs)
    return fmodel, tuple(p for _, p in model.named_parameters()), ()


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
        nodes = {v._fn if v._fn.multi else v for v in topological_order(roots) if not v.is_leaf}
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
        self.schedule = [v for v in topological_order(self.output) if v._inputs and not v._fn.multi]

    def run(self, *values: float) -> float:
        """Put new numbers in the inputs and recompute every node, in topological order."""
        if len(values) != len(self.inputs):
            raise TypeError(f"this graph takes {len(self.inputs)} inputs, got {len(values)}")
        for v, x in zip(self.inputs, values):
            v.data = float(x)
        for node in self.schedule:               # each node's row of the table, forward
            operands = (node._a,) if node._b is None else (node._a, node._b)
            node.data = ops.evaluate(node._fn.forward, *[getattr(x, "data", x) for x in operands])
        return self.output.data

    def gradient(self) -> list[float]:
        """d(output)/d(each input) at the numbers last run."""
        return [float(g) for g in autograd_grad(self.output, self.inputs, retain_graph=True, allow_unused=True)]


def trace(f: Callable[..., Value], *example: float) -> TracedGraph:
    """Build f's graph once (see TracedGraph)."""
    return TracedGraph(f, *example)


def __getattr__(name: str) -> Any:
    """A torch.func (or functorch) name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("func.", name)
