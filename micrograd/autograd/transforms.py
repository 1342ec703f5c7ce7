"""The function transforms of ``micrograd.func`` (``torch.func``): ``grad``, ``vjp``, ``jvp``, ``jacrev``,
``jacfwd``, ``hessian``, and ``keep_graph``.  They live here, in autograd, because
``autograd.functional`` (``torch.autograd.functional``: jacobian, hessian, vjp...) is built on
them; ``micrograd.func`` gives them their public names, beside ``vmap`` and ``functional_call``.
Imports stay one-way: func and autograd.functional -> autograd.transforms -> forward_ad, reverse.

``has_aux=True`` (grad, vjp, jvp, jacrev, jacfwd): f returns (output, aux) and the transform
returns aux beside its result.  Arguments and results may be tuples, lists or dicts of tensors,
nested as in torch.func.  They nest: ``grad(grad(f))`` is f''.  Which transforms are running,
and ``keep_graph``, are per thread (as grad mode is).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Sequence

from ..core.value import Value, tick
from ..core.graph import topological_order
from ..core.modes import enable_grad
from ..pytree import flatten, tree_flatten, tree_map, tree_unflatten, unflatten
from . import forward_ad
from .reverse import grad as autograd_grad


def _argnums(argnums: int | Sequence[int], count: int) -> tuple[int, ...]:
    """The positions of the arguments to differentiate, checked against the `count` arguments
    given, as torch.func checks them (with its messages); a negative one counts from the end."""
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if not isinstance(nums, tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in nums
    ):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if not nums:
        raise RuntimeError("argnums must be non-empty")
    for i in nums:
        if not -count <= i < count:
            raise RuntimeError(f"Got argnum={i}, but only {count} positional inputs")
    found = tuple(i % count for i in nums)
    if len(set(found)) != len(found):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return found


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
        self.start = tick()  # Values are stamped 0, -1, -2...: older ones have larger stamps

    def variable(self, x: Any) -> Any:
        """x ready to be differentiated: numbers become Values; constants get a variable copy."""
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            return Value(x)
        inner = flatten(x)
        if inner is None:
            raise TypeError(
                f"can only differentiate with respect to Values or Tensors, got {type(x).__name__}"
            )
        if all(v.requires_grad for v in inner[0]):
            return x
        return unflatten(
            x, inner[1], [v if v.requires_grad else _variable_copy(v) for v in inner[0]]
        )

    def variables(self, tree: Any) -> Any:
        """`variable` applied to each leaf of a tuple, list or dict (or to tree itself)."""
        return tree_map(self.variable, tree)

    def reaches_outside(self, out: Any) -> bool:
        """True if `out` depends on a variable made before this call."""
        values = [v for leaf in tree_flatten(out)[0] for v in (flatten(leaf) or ([], None))[0]]
        return any(
            v.requires_grad and v.is_leaf and v._stamp > self.start
            for v in topological_order(values)
        )

    def result(self, tree: Any) -> Any:
        """tree with each tensor that reaches no variable made before this call detached (not
        one carrying tangents: a jvp around this transform differentiates it)."""

        def lowered(leaf: Any) -> Any:
            inner = flatten(leaf)
            if (
                inner is None
                or _state.keep_graph
                or not any(v.requires_grad for v in inner[0])
                or forward_ad.has_tangents(inner[0])
                or self.reaches_outside(leaf)
            ):
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


class _ThreadState(threading.local):
    """Per thread, as grad mode is (core/modes.py): the class attributes are what each new thread sees."""

    depth = 0  # how many transforms are running (_Nesting)
    keep_graph = False  # inside keep_graph()


_state = _ThreadState()


class _Nesting:
    """How many transforms are running (in this thread): only a nested one must record its
    backward pass (create_graph) so the transform around it can differentiate the result again.
    Inside forward mode (jvp, jacfwd, dual numbers) every backward pass is recorded, so that the
    tangents flow through the gradients it computes."""

    def __enter__(self) -> bool:
        nested = _state.depth > 0 or forward_ad.active() or _state.keep_graph
        _state.depth += 1
        return nested

    def __exit__(self, *exc: object) -> None:
        _state.depth -= 1


class keep_graph:
    """Inside (in this thread), transforms record their backward passes and keep every result in
    the graph (``torch.autograd.functional``'s create_graph=True)."""

    def __enter__(self) -> None:
        self.saved, _state.keep_graph = _state.keep_graph, True

    def __exit__(self, *exc: object) -> None:
        _state.keep_graph = self.saved


def _gradients(out: Any, wrt: list, grad_outputs: Any = None, create_graph: bool = True) -> list:
    """d(out)/d(each of wrt), zeros where out does not depend on it.  out may be a tuple, list
    or dict of tensors (grad_outputs then the same)."""
    outs, spec = tree_flatten(out)
    if any(flatten(o) is None for o in outs):
        raise TypeError(
            f"the function must return Values or Tensors (or tuples, lists, dicts of them), got "
            f"{type(out).__name__}"
        )
    seeds = None if grad_outputs is None else tree_flatten(grad_outputs)[0]
    if seeds is not None and len(seeds) != len(outs):
        raise RuntimeError(f"expected {len(outs)} cotangents, one per output, got {len(seeds)}")
    pairs = [
        (o, s)
        for o, s in zip(outs, seeds or [None] * len(outs))
        if any(v.requires_grad for v in flatten(o)[0])
    ]
    if not pairs:
        return [_zeros_like(w) for w in wrt]
    grads = autograd_grad(
        [o for o, _ in pairs],
        wrt,
        grad_outputs=None if seeds is None else [s for _, s in pairs],
        create_graph=create_graph,
        retain_graph=True,
        allow_unused=True,
    )
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
            raise RuntimeError(
                "has_aux=True: the function must return a pair (output, aux), got "
                f"{type(out).__name__}"
            )
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
        grouped.append(tree_unflatten(spec, results[start : start + count]))
        start += count
    return grouped[0] if isinstance(argnums, int) else tuple(grouped)


def grad(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The function that returns the gradient of scalar-valued `f` w.r.t. argument `argnums`
    (with has_aux, (gradient, aux)).  An argument may be a tuple, list or dict of tensors: its
    gradient is nested the same way.

    >>> grad(lambda x: x ** 3)(2.0)          # 3x² = 12
    """
    f, aux = _with_aux(f, has_aux)

    def gradient(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
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

    return (
        (call.result(out), vjp_fn, call.result(aux[0])) if has_aux else (call.result(out), vjp_fn)
    )


def jvp(
    f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], *, has_aux: bool = False
) -> tuple:
    """(f(*primals), J·tangents), one forward pass with dual numbers (``torch.func.jvp``); with
    has_aux, (output, J·tangents, aux).  Primals may be tuples, lists or dicts of tensors, the
    tangents nested the same way; the output too."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "jvp(f, primals, tangents): primals and tangents must be tuples, e.g. jvp(f, (x,), (t,))"
        )
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: expected as many tangents as primals, got {len(tangents)} and {len(primals)}"
        )
    f, aux = _with_aux(f, has_aux)
    primal_leaves, spec = tree_flatten(tuple(primals))
    tangent_leaves, tangent_spec = tree_flatten(tuple(tangents))
    if tangent_spec != spec:
        raise ValueError(
            "jvp: the tangents must be nested exactly as the primals (one tangent per tensor)"
        )
    call = _Call()
    with forward_ad.dual_level():
        duals = [
            forward_ad.make_dual(
                Value(p, requires_grad=False) if isinstance(p, (int, float)) else p, t
            )
            for p, t in zip(primal_leaves, tangent_leaves)
        ]
        out = f(*tree_unflatten(spec, duals))
        result = (out, tree_map(_tangent, out), aux[0])
    result = call.result(result)  # outside the level: no tangents left
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
    raise TypeError(
        f"cannot build a Jacobian of {type(out).__name__} with respect to {type(x).__name__}"
    )


def _jacobians(
    out: Any, leaves: list, layout: list, argnums: int | Sequence[int], entries: Callable
) -> Any:
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
            per_leaf.append(_assemble(o, leaf, columns[start : start + count]))
            start += count
        per_output.append(_per_argument(per_leaf, layout, argnums))
    return tree_unflatten(out_spec, per_output)


def jacrev(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one backward pass per output element (``torch.func.jacrev``).

    With several outputs (a tuple or dict) the result is indexed [output][argument], as in
    torch.func; arguments may be tuples, lists or dicts of tensors; with has_aux, (Jacobian, aux).
    """
    f, aux = _with_aux(f, has_aux)

    def jacobian(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
        call, args = _Call(), list(args)
        for i in nums:
            args[i] = call.variables(args[i])
        leaves, layout = _leaves_of(args, nums)
        everything = [v for leaf in leaves for v in flatten(leaf)[0]]
        with enable_grad(), _Nesting() as nested:
            out = f(*args)
            record = nested or call.reaches_outside(out)

            def entries(k: int, o: Any) -> list:
                rows = [
                    _gradients(v, everything, create_graph=record)
                    if v.requires_grad
                    else [0.0] * len(everything)
                    for v in flatten(o)[0]
                ]  # one reverse pass per output element
                return [[row[col] for row in rows] for col in range(len(everything))]

            result = _jacobians(out, leaves, layout, argnums, entries)
        result = call.result(result)
        return (result, call.result(aux[0])) if has_aux else result

    return jacobian


def jacfwd(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian by forward mode: one forward pass per input element (``torch.func.jacfwd``);
    with has_aux, (Jacobian, aux)."""

    def jacobian(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
        args = [Value(a, requires_grad=False) if isinstance(a, (int, float)) else a for a in args]
        leaves, layout = _leaves_of(args, nums)
        flat = [v for leaf in leaves for v in flatten(leaf)[0]]
        tangent_outs: list = []
        out = found_aux = None
        for col in range(len(flat)):  # one forward pass per input element
            direction, start = [], 0  # the basis vector e_col, shaped as the leaves
            for leaf in leaves:
                values, spec = flatten(leaf)
                direction.append(
                    unflatten(
                        leaf, spec, [1.0 if start + k == col else 0.0 for k in range(len(values))]
                    )
                )
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
        result = _jacobians(
            out, leaves, layout, argnums, lambda k, o: [column[k] for column in tangent_outs]
        )
        return (result, found_aux) if has_aux else result

    return jacobian


def _elements(x: Any) -> list:
    inner = flatten(x)
    return inner[0] if inner is not None else [x]


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Second derivatives of scalar-valued `f`: the Jacobian of its gradient (reverse over reverse)."""
    return jacrev(jacrev(f, argnums), argnums)


__all__ = ["grad", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "keep_graph"]
