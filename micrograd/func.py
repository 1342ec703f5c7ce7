"""Function transforms, as in ``torch.func`` (and JAX): ``grad``, ``vjp``, ``jvp``, ``jacrev``,
``jacfwd``, ``hessian`` (written in ``autograd/transforms.py``, which ``autograd.functional`` is
built on too), ``vmap``, ``functional_call``.  (The classroom's ``count_operations`` and ``trace``
are in ``teaching/instruments.py``.)  ``has_aux=True`` (grad, vjp, jvp, jacrev, jacfwd): f returns (output, aux) and the
transform returns aux beside its result.  Arguments and results may be tuples, lists or dicts of
tensors, nested as in torch.func.

For f: Rⁿ → Rᵐ, reverse mode (``vjp``, ``jacrev``) runs one backward pass per output, so it
wins when m is small (a loss: m = 1); forward mode (``jvp``, ``jacfwd``) runs one forward pass
per input, so it wins when n is small.  They nest: ``grad(grad(f))`` is f''.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from .autograd.reverse import retain_until_last_slice
from .autograd.transforms import grad, hessian, jacfwd, jacrev, jvp, keep_graph, vjp
from .core.errors import NotSupported, missing_name
from .core.modes import no_grad
from .tensors import as_tensor, stack, zeros
from .tensors.history import tensor_node


def vmap(
    f: Callable[..., Any],
    in_dims: Any = 0,
    out_dims: int = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Callable[..., Any]:
    """``torch.func.vmap``: f applied to each slice of its arguments along `in_dims` (None: not
    batched), the results stacked along `out_dims`.  PyTorch batches the work; here it is a loop,
    which gives the same numbers and gradients.  A batch of size 0 gives empty results, shaped
    from one call of f on zeros (PyTorch too calls f once, on the empty batch)."""

    def batched(*args: Any) -> Any:
        dims = _in_dims(f, in_dims, args)
        sizes = [
            t.shape[d % t.dim()] for a, d in zip(args, dims) if d is not None for t in _leaves(a)
        ]
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) != 1:
            raise ValueError(
                "vmap: Expected all tensors to have the same size in the mapped dimension, got "
                f"sizes {sizes} for the mapped dimension"
            )
        if sizes[0] == 0:
            return _empty_batch(f, args, dims, out_dims)
        outs = []
        for i in range(sizes[0]):
            with retain_until_last_slice(i < sizes[0] - 1):
                outs.append(f(*[_slice(a, d, i) for a, d in zip(args, dims)]))
        return _stacked_tree(outs, out_dims)

    return batched


def _leaves(tree: Any) -> list:
    """The tensors in an argument: itself, or those in its dicts, lists and tuples."""
    if isinstance(tree, dict):
        return [t for v in tree.values() for t in _leaves(v)]
    if isinstance(tree, (list, tuple)):
        return [t for v in tree for t in _leaves(v)]
    return [tree] if hasattr(tree, "shape") else []


def _slice(tree: Any, d: int | None, i: int) -> Any:
    """Slice i along dimension d of every tensor in an argument (d None: the argument as is)."""
    if d is None:
        return tree
    if isinstance(tree, dict):
        return {k: _slice(v, d, i) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_slice(v, d, i) for v in tree)
    return tree.movedim(d % tree.dim(), 0)[i] if hasattr(tree, "shape") else tree


def _stacked_tree(outs: list, out_dims: int) -> Any:
    """The slices' results, each a tensor or a dict, list or tuple of them, stacked leaf by leaf."""
    if isinstance(outs[0], dict):
        return {k: _stacked_tree([o[k] for o in outs], out_dims) for k in outs[0]}
    if isinstance(outs[0], (list, tuple)):
        parts = [_stacked_tree([o[k] for o in outs], out_dims) for k in range(len(outs[0]))]
        return type(outs[0])(parts)
    return _stacked(outs, out_dims)


def _stacked(outs: list, out_dims: int) -> Any:
    """The slices' results stacked into the batch.  PyTorch made them in one batched call, so
    its result's grad_fn is the node of f's last operation (MulBackward0), not a stack: the
    stack's node takes that name when every slice's result has it."""
    result = stack([as_tensor(o) for o in outs], out_dims)
    names = {type(getattr(o, "grad_fn", None)).__name__ for o in outs}
    if result.grad_fn is not None and len(names) == 1 and outs[0].grad_fn is not None:
        result._grad_fn = tensor_node(names.pop(), "vmap", tuple(outs))
    return result


def _name(f: Any) -> str:
    """How torch.func names a function in its messages."""
    if hasattr(f, "__name__"):
        return f.__name__
    if isinstance(f, functools.partial):
        return f"functools.partial({_name(f.func)}, ...)"
    return repr(f)


def _in_dims(f: Callable[..., Any], in_dims: Any, args: tuple) -> tuple:
    """One batch dimension (or None) per argument, each checked as torch.func checks it, with its
    messages; a negative dimension counts from the end."""
    where = f"vmap({_name(f)}, in_dims={in_dims}, ...)(<inputs>)"
    if isinstance(in_dims, bool) or not isinstance(in_dims, (int, tuple, list)):
        raise ValueError(
            f"{where}: expected `in_dims` to be int or a (potentially nested) tuple matching the "
            f"structure of inputs, got: {type(in_dims)}."
        )
    dims = tuple(in_dims) if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
    if len(dims) != len(args):
        raise ValueError(
            f"{where}: in_dims is not compatible with the structure of `inputs`: in_dims has "
            f"{len(dims)} entries but f got {len(args)} arguments"
        )
    checked = []
    for a, d in zip(args, dims):
        if d is not None and (isinstance(d, bool) or not isinstance(d, int)):
            raise ValueError(f"{where}: in_dims must be int or None for each input, got {d!r}")
        if d is not None and isinstance(a, (dict, list, tuple)):
            checked.append(d)  # each tensor inside is checked as it is sliced
            continue
        if d is not None and not hasattr(a, "shape"):
            raise ValueError(
                f"{where}: Got in_dim={d} for an input but the input is of type {type(a)}. We "
                "cannot vmap over non-Tensor arguments, please use None as the respective in_dim"
            )
        if d is not None and not -a.dim() <= d < a.dim():
            n = a.dim()
            raise ValueError(
                f"{where}: Got in_dim={d} for some input, but that input is a Tensor of "
                f"dimensionality {n} so expected in_dim to satisfy -{n} <= in_dim < {n}."
            )
        checked.append(None if d is None else d % a.dim())
    return tuple(checked)


def _empty_batch(f: Callable[..., Any], args: tuple, dims: tuple, out_dims: int) -> Any:
    """vmap over a batch of size 0: each result empty, with the shape and dtype f's result has for
    one slice (from a call of f on zeros shaped as a slice), the batch dimension of size 0."""
    if any(d is not None and not hasattr(a, "shape") for a, d in zip(args, dims)):
        raise NotSupported("vmap over an empty batch of dicts, lists or tuples is not supported")
    examples = [
        a if d is None else zeros(*(a.shape[:d] + a.shape[d + 1 :]), dtype=a.dtype)
        for a, d in zip(args, dims)
    ]
    with no_grad():
        out = f(*examples)

    def empty(o: Any) -> Any:
        o = as_tensor(o)
        shape = list(o.shape)
        shape.insert(out_dims % (len(shape) + 1), 0)
        return zeros(*shape, dtype=o.dtype)

    return tuple(empty(o) for o in out) if isinstance(out, tuple) else empty(out)


def functional_call(
    module: Any,
    parameter_and_buffer_dicts: dict[str, Any] | Sequence[dict[str, Any]],
    args: Any = (),
    kwargs: dict | None = None,
) -> Any:
    """``torch.func.functional_call``: module(*args) with the tensors of the dict (or of several
    dicts, say (params, buffers)), by name as named_parameters() names them ('0.weight'), in
    place of its own, which are put back afterwards."""
    parameters = _one_dict(parameter_and_buffer_dicts)

    def owner(name: str) -> tuple[Any, str]:
        *path, last = name.split(".")
        obj = module
        for part in path:
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
        return obj, last

    def put(obj: Any, last: str, value: Any) -> None:
        # a registered parameter or buffer is swapped in its module's table, as torch.func's
        # is: Module.__setattr__ refuses a plain tensor under a parameter's name
        for table in ("_parameters", "_buffers"):
            registered = getattr(obj, table, None)
            if isinstance(registered, dict) and last in registered:
                registered[last] = value
                return
        setattr(obj, last, value)

    known = dict(module.named_parameters())
    known.update(getattr(module, "named_buffers", dict)())
    for name in parameters:
        if name not in known:
            raise ValueError(
                f"functional_call: the module has no parameter {name!r}; it has {sorted(known)}"
            )
    saved = {name: getattr(*owner(name)) for name in parameters}
    try:
        for name, value in parameters.items():
            put(*owner(name), value)
        return module(*(args if isinstance(args, tuple) else (args,)), **(kwargs or {}))
    finally:
        for name, value in saved.items():
            put(*owner(name), value)


def _one_dict(dicts: Any) -> dict[str, Any]:
    """functional_call's tensors: one dict, or several merged (a name in two is ambiguous)."""
    if isinstance(dicts, dict):
        return dicts
    if not isinstance(dicts, (list, tuple)):
        raise ValueError(
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
            f"{type(dicts)}"
        )
    if not all(isinstance(d, dict) for d in dicts):
        raise ValueError("Expected all elements of parameter_and_buffer_dicts to be dictionaries")
    names = [name for d in dicts for name in d]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(
            f"{repeated} appeared in multiple dictionaries; behavior of functional call is "
            "ambiguous"
        )
    return {name: t for d in dicts for name, t in d.items()}


def stack_module_state(models: Sequence[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``torch.func.stack_module_state``: the models' parameters and buffers, each stacked along
    a new first dimension (one row per model), as (params, buffers) for functional_call under
    vmap.  Stacked parameters are new leaves that require grad, as PyTorch's are."""
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or not any(m.training for m in models)):
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    kinds = {type(m) for m in models}
    if len(kinds) != 1:
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")

    def stacked(name: str, tensors: list[Any]) -> Any:
        requiring = [t.requires_grad for t in tensors]
        if any(requiring) and not all(requiring):
            raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
        together = stack(tensors)
        return together.detach().requires_grad_() if all(requiring) else together

    tables = [dict(m.named_parameters()) for m in models]
    params = {name: stacked(name, [t[name] for t in tables]) for name in tables[0]}
    tables = [dict(m.named_buffers()) for m in models]
    buffers = {name: stacked(name, [t[name] for t in tables]) for name in tables[0]}
    return params, buffers


def make_functional_with_buffers(model: Any) -> tuple[Callable[..., Any], tuple, tuple]:
    """functorch's older way (before ``torch.func``) to call a module as a function of its
    parameters, kept because PyTorch's forward-AD tutorial uses it: (fmodel, params, buffers) with
    ``fmodel(params, buffers, *args)`` = ``model(*args)`` run with `params` in place of its own
    (``functional_call`` underneath).  micrograd's modules have no buffers: buffers is ()."""
    names = [name for name, _ in model.named_parameters()]

    def fmodel(params: Sequence[Any], buffers: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        return functional_call(model, dict(zip(names, params)), args, kwargs)

    return fmodel, tuple(p for _, p in model.named_parameters()), ()


__all__ = [
    "grad",
    "vjp",
    "jvp",
    "jacrev",
    "jacfwd",
    "hessian",
    "vmap",
    "functional_call",
    "stack_module_state",
    "make_functional_with_buffers",
    "keep_graph",
]


def __getattr__(name: str) -> Any:
    """A torch.func (or functorch) name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("func.", name)
