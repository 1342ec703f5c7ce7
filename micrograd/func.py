"""Function transforms, as in ``torch.func`` (and JAX): ``grad``, ``vjp``, ``jvp``, ``jacrev``,
``jacfwd``, ``hessian``, ``vmap``, ``functional_call``; and ``count_operations`` to see what each
one costs.  ``has_aux=True`` (grad, vjp, jacrev, jacfwd): f returns (output, aux) and the transform
returns aux untouched beside its result.

For f: Rⁿ → Rᵐ, reverse mode (``vjp``, ``jacrev``) runs one backward pass per output, so it
wins when m is small (a loss: m = 1); forward mode (``jvp``, ``jacfwd``) runs one forward pass
per input, so it wins when n is small.  They nest: ``grad(grad(f))`` is f''.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from . import engine, ops
from .autograd import forward_ad
from .autograd.function import flatten, unflatten
from .autograd.reverse import grad as autograd_grad
from .engine import Value
from .graph import topological_order
from .modes import enable_grad
from .tensors import as_tensor, stack


def _argnums(argnums: int | Sequence[int]) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def _variable(x: Any) -> Any:
    """x ready to be differentiated: numbers become Values; constants get a variable copy."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return Value(x)
    inner = flatten(x)
    if inner is None:
        raise TypeError(f"can only differentiate with respect to Values or Tensors, got {type(x).__name__}")
    if all(v.requires_grad for v in inner[0]):
        return x
    return unflatten(x, inner[1], [v if v.requires_grad else _variable_copy(v) for v in inner[0]])


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
        nested = _Nesting.depth > 0 or forward_ad.active()
        _Nesting.depth += 1
        return nested

    def __exit__(self, *exc: object) -> None:
        _Nesting.depth -= 1


def _gradients(out: Any, wrt: list, grad_outputs: Any = None, create_graph: bool = True) -> list:
    """d(out)/d(each of wrt), zeros where out does not depend on it."""
    out_values = flatten(out)
    if out_values is None:
        raise TypeError(f"the function must return a Value or Tensor, got {type(out).__name__}")
    if not any(v.requires_grad for v in out_values[0]):
        return [_zeros_like(w) for w in wrt]
    grads = autograd_grad(out, wrt, grad_outputs=grad_outputs, create_graph=create_graph,
                          retain_graph=True, allow_unused=True)
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


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The function that returns the gradient of scalar-valued `f` w.r.t. argument `argnums`
    (with has_aux, (gradient, aux)).

    >>> grad(lambda x: x ** 3)(2.0)          # 3x² = 12
    """
    nums = _argnums(argnums)
    f, aux = _with_aux(f, has_aux)

    def gradient(*args: Any) -> Any:
        args = list(args)
        for i in nums:
            args[i] = _variable(args[i])
        with enable_grad(), _Nesting() as nested:
            grads = _gradients(f(*args), [args[i] for i in nums], create_graph=nested)
        result = grads[0] if isinstance(argnums, int) else tuple(grads)
        return (result, aux[0]) if has_aux else result
    return gradient


def vjp(f: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """(f(*primals), vjp_fn): vjp_fn(v) is vᵀ·J, one reverse pass (``torch.func.vjp``); with has_aux,
    (output, vjp_fn, aux)."""
    f, aux = _with_aux(f, has_aux)
    args = [_variable(p) for p in primals]
    with enable_grad(), _Nesting() as nested:
        out = f(*args)

    def vjp_fn(cotangent: Any) -> tuple:
        with enable_grad():
            return tuple(_gradients(out, args, grad_outputs=[cotangent], create_graph=nested))
    return (out, vjp_fn, aux[0]) if has_aux else (out, vjp_fn)


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """(f(*primals), J·tangents), one forward pass with dual numbers (``torch.func.jvp``)."""
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: expected as many tangents as primals, got {len(tangents)} and {len(primals)}")
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(p if not isinstance(p, (int, float)) else Value(p, requires_grad=False), t)
                 for p, t in zip(primals, tangents)]
        out = f(*duals)
        if isinstance(out, (tuple, list)):
            return tuple(out), tuple(_tangent(o) for o in out)
        return out, _tangent(out)


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


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one backward pass per output element (``torch.func.jacrev``).

    With several outputs (a tuple) the result is indexed [output][argument], as in torch.func;
    with has_aux, (Jacobian, aux).
    """
    nums = _argnums(argnums)
    f, aux = _with_aux(f, has_aux)

    def one_output(out: Any, args: list, create_graph: bool) -> Any:
        outs = flatten(out)[0]
        inputs = [flatten(args[i])[0] for i in nums]
        everything = [v for group in inputs for v in group]
        rows = []
        for o in outs:                              # one reverse pass per output element
            rows.append(_gradients(o, everything, create_graph=create_graph) if o.requires_grad
                        else [0.0] * len(everything))
        results, start = [], 0
        for i, group in zip(nums, inputs):
            columns = [[row[start + col] for row in rows] for col in range(len(group))]
            results.append(_assemble(out, args[i], columns))
            start += len(group)
        return results[0] if isinstance(argnums, int) else tuple(results)

    def jacobian(*args: Any) -> Any:
        args = list(args)
        for i in nums:
            args[i] = _variable(args[i])
        with enable_grad(), _Nesting() as nested:
            out = f(*args)
            if isinstance(out, (tuple, list)):
                result = tuple(one_output(o, args, nested) for o in out)
            else:
                result = one_output(out, args, nested)
        return (result, aux[0]) if has_aux else result
    return jacobian


def jacfwd(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by forward mode: one forward pass per input element (``torch.func.jacfwd``);
    with has_aux, (Jacobian, aux) (aux from the last pass)."""
    nums = _argnums(argnums)
    f, aux = _with_aux(f, has_aux)

    def jacobian(*args: Any) -> Any:
        args = tuple(Value(a, requires_grad=False) if isinstance(a, (int, float)) else a for a in args)
        results = []
        for i in nums:
            x = args[i]
            flat, aux = flatten(x)
            columns: list = []                           # columns[input element] per output
            out: Any = None
            for col in range(len(flat)):                 # one forward pass per input element
                basis = unflatten(x, aux, [1.0 if k == col else 0.0 for k in range(len(flat))])
                tangents = [basis if k == i else _zeros_like(a) for k, a in enumerate(args)]
                out, tangent = jvp(f, args, tangents)
                outs, tangent_outs = (out, tangent) if isinstance(out, tuple) else ((out,), (tangent,))
                columns.append([_elements(t) for t in tangent_outs])
            per_output = [_assemble(o, x, [column[k] for column in columns]) for k, o in enumerate(outs)]
            results.append(tuple(per_output) if isinstance(out, tuple) else per_output[0])
        result = results[0] if isinstance(argnums, int) else tuple(results)
        return (result, aux[0]) if has_aux else result
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

    def _on_backward(self, roots: list[Value]) -> None:
        """A backward pass is starting from `roots`: it will take one step per operation
        (a custom Function's node counts once, whatever its number of outputs)."""
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
