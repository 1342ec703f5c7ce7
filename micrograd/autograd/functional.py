"""``torch.autograd.functional``: vjp, jvp, jacobian, hessian, vhp, hvp of a function of tensors.

Built on the function transforms of ``micrograd.func``, which live in ``autograd/transforms.py``
(below this module, so that func and autograd import each other in one direction only).

As in PyTorch, `inputs` is a tensor or a tuple of tensors and the results have the same form:
``jacobian(f, x)`` is one tensor, ``jacobian(f, (x, y))`` a tuple with one tensor per input.  The
results are cut off from the graph unless ``create_graph=True``.  ``vectorize`` changes only how
PyTorch batches the work, so it is accepted and the numbers are the same; ``strict=True`` is not
supported (it raises).

The math: J = ∂f/∂x; vjp(v) = vᵀJ (one reverse pass), jvp(v) = Jv (one forward pass),
H = ∂²f/∂x² for scalar f, vhp(v) = vᵀH and hvp(v) = Hv (equal, since H is symmetric).
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable

from ..core.errors import NotSupported, missing_name
from . import transforms as func


def _as_tuple(inputs: Any) -> tuple[tuple, bool]:
    """inputs as a tuple, and whether it was one already."""
    return (tuple(inputs), True) if isinstance(inputs, (tuple, list)) else ((inputs,), False)


def _finish(result: Any, create_graph: bool) -> Any:
    """Results cut off from the graph (PyTorch's default), nested tuples kept."""
    if isinstance(result, tuple):
        return tuple(_finish(r, create_graph) for r in result)
    return (
        result
        if create_graph or result is None or not hasattr(result, "detach")
        else result.detach()
    )


def _prepare(args: tuple, create_graph: bool) -> tuple:
    """With create_graph, as PyTorch's _grad_preprocess: an input that does not require grad
    becomes a leaf that does (a detached copy; PyTorch views one that does), so that every
    result has a grad_fn; without, the inputs as they are."""
    if not create_graph:
        return args
    return tuple(
        (a if a.requires_grad else a.detach().requires_grad_(True))
        if hasattr(a, "requires_grad_") and a.dtype.is_floating_point
        else a
        for a in args
    )


def _transform(create_graph: bool) -> Any:
    """Where the func transforms run: with create_graph, recording everything (transforms.keep_graph)."""
    return func.keep_graph() if create_graph else contextlib.nullcontext()


def _check(strict: bool, name: str) -> None:
    if strict:
        raise NotSupported(
            f"{name}(strict=True) is not supported: micrograd gives zeros for outputs that do not "
            "depend on an input, as PyTorch does with strict=False"
        )


def vjp(
    func_: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """(func(inputs), vᵀ·J): the vector–Jacobian product, one reverse pass."""
    _check(strict, "vjp")
    args, was_tuple = _as_tuple(inputs)
    args = _prepare(args, create_graph)
    with _transform(create_graph):
        out, vjp_fn = func.vjp(func_, *args)
        if v is None:
            if getattr(out, "numel", lambda: 1)() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a single "
                    "Tensor with a single element."
                )
            v = out.new_ones(()) if hasattr(out, "new_ones") else 1.0
        grads = vjp_fn(v)
    return _finish(out, create_graph), _finish(grads if was_tuple else grads[0], create_graph)


def jvp(
    func_: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """(func(inputs), J·v): the Jacobian–vector product, one forward pass with dual numbers."""
    _check(strict, "jvp")
    args, was_tuple = _as_tuple(inputs)
    args = _prepare(args, create_graph)
    if v is None:
        if len(args) != 1 or getattr(args[0], "numel", lambda: 1)() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a "
                "single Tensor with a single element."
            )
        v = (args[0].new_ones(()) if hasattr(args[0], "new_ones") else 1.0,)
    tangents, _ = _as_tuple(v)
    with _transform(create_graph):
        out, tangent = func.jvp(func_, args, tangents)
    return _finish(out, create_graph), _finish(tangent, create_graph)


def jacobian(
    func_: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """J = ∂func/∂inputs, shaped output.shape + input.shape (a tuple per input and per output, as in PyTorch)."""
    _check(strict, "jacobian")
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(
            f'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: got {strategy!r}'
        )
    args, was_tuple = _as_tuple(inputs)
    args = _prepare(args, create_graph)
    argnums = tuple(range(len(args))) if was_tuple else 0
    transform = func.jacrev if strategy == "reverse-mode" else func.jacfwd
    with _transform(create_graph):
        return _finish(transform(func_, argnums)(*args), create_graph)


def hessian(
    func_: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """H = ∂²func/∂inputs² for a scalar func: H[i][j] = ∂²f/∂xᵢ∂xⱼ with a tuple of inputs."""
    _check(strict, "hessian")
    args, was_tuple = _as_tuple(inputs)
    args = _prepare(args, create_graph)
    argnums = tuple(range(len(args))) if was_tuple else 0
    with _transform(create_graph):
        return _finish(func.hessian(func_, argnums)(*args), create_graph)


def vhp(
    func_: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """(func(inputs), vᵀ·H): the gradient's vjp, reverse over reverse."""
    _check(strict, "vhp")
    args, was_tuple = _as_tuple(inputs)
    args = _prepare(args, create_graph)
    argnums = tuple(range(len(args)))
    out = func_(*args)
    if v is None:
        raise RuntimeError(
            "The vector v can only be None if the input to the user-provided function is a single "
            "Tensor with a single element."
        )
    tangents, _ = _as_tuple(v)

    def gradient_along_v(*xs: Any) -> Any:  # Σᵢ ⟨∂f/∂xᵢ, vᵢ⟩, whose gradient is vᵀH
        return sum((g * t).sum() for g, t in zip(func.grad(func_, argnums)(*xs), tangents))

    with _transform(create_graph):
        product = func.grad(gradient_along_v, argnums)(*args)
    return _finish(out, create_graph), _finish(product if was_tuple else product[0], create_graph)


def hvp(
    func_: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """(func(inputs), H·v): equal to vhp, the Hessian being symmetric."""
    _check(strict, "hvp")
    return vhp(func_, inputs, v, create_graph)


__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def __getattr__(name: str) -> Any:
    """A torch.autograd.functional name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("autograd.functional.", name)
