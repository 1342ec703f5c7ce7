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

from typing import Any, Callable, Sequence

from .autograd.transforms import grad, hessian, jacfwd, jacrev, jvp, keep_graph, vjp
from .core.errors import missing_name
from .tensors import as_tensor, stack


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
    which gives the same numbers and gradients."""

    def batched(*args: Any) -> Any:
        dims = tuple(in_dims) if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(
                f"vmap: in_dims has {len(dims)} entries but f got {len(args)} arguments"
            )
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None}
        if len(sizes) != 1:
            raise ValueError(
                "vmap: "
                + (
                    "at least one argument must be batched (an in_dims entry not None)"
                    if not sizes
                    else f"the batched arguments have different sizes {sorted(sizes)}"
                )
            )
        outs = [
            f(*[a if d is None else a.movedim(d, 0)[i] for a, d in zip(args, dims)])
            for i in range(sizes.pop())
        ]
        if isinstance(outs[0], tuple):
            return tuple(
                stack([as_tensor(o[k]) for o in outs], out_dims) for k in range(len(outs[0]))
            )
        return stack([as_tensor(o) for o in outs], out_dims)

    return batched


def functional_call(
    module: Any, parameters: dict[str, Any], args: Any = (), kwargs: dict | None = None
) -> Any:
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
            raise ValueError(
                f"functional_call: the module has no parameter {name!r}; it has {sorted(known)}"
            )
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


__all__ = [
    "grad",
    "vjp",
    "jvp",
    "jacrev",
    "jacfwd",
    "hessian",
    "vmap",
    "functional_call",
    "make_functional_with_buffers",
    "keep_graph",
]


def __getattr__(name: str) -> Any:
    """A torch.func (or functorch) name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("func.", name)
