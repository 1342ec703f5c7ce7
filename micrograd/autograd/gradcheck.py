"""Numerical checks of derivatives: central differences, ``gradcheck`` and ``gradgradcheck``.

Like ``torch.autograd.gradcheck``: the Jacobian autograd computes (one reverse pass per
output) is compared with the Jacobian of central differences,

    ∂fᵢ/∂xⱼ ≈ (fᵢ(x + eps·eⱼ) - fᵢ(x - eps·eⱼ)) / (2·eps),

entry by entry: |analytical - numerical| <= atol + rtol·|numerical|.  With check_forward_ad the
Jacobian of forward mode (one pass with dual numbers per input element) is compared too.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from ..core.value import Value
from ..core.modes import enable_grad, no_grad
from ..pytree import flatten, unflatten
from . import forward_ad
from ..tensors.creation import tensor
from ..tensors.dtypes import float64
from ..tensors.linalg import sum_of_products
from ..tensors.randomness import generator
from .reverse import grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when autograd and central differences disagree."""


def numerical_grad(
    f: Callable[..., Any], inputs: Sequence[float], eps: float = 1e-6
) -> list[float]:
    """Central differences of a scalar function of numbers: ∂f/∂xᵢ ≈ (f(x+eps·eᵢ) - f(x-eps·eᵢ)) / 2eps."""
    point = [float(x) for x in inputs]
    grads = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        grads.append((float(f(*up)) - float(f(*down))) / (2 * eps))
    return grads


def _as_inputs(inputs: Any) -> tuple:
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    return tuple(
        Value(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in inputs
    )


def _outputs(fn: Callable, inputs: tuple) -> list[Value]:
    result = fn(*inputs)
    results = result if isinstance(result, (tuple, list)) else (result,)
    values: list[Value] = []
    for r in results:
        inner = flatten(r)
        if inner is None:
            raise TypeError(
                f"gradcheck: the function must return Values or Tensors, got {type(r).__name__}"
            )
        values.extend(inner[0])
    return values


def _input_values(inputs: tuple) -> list[list[Value]]:
    groups = []
    for x in inputs:
        inner = flatten(x)
        groups.append(
            inner[0] if inner is not None and any(v.requires_grad for v in inner[0]) else []
        )
    return groups


def _jacobians(
    fn: Callable, inputs: tuple, eps: float, reverse: bool = True
) -> tuple[list, list, list[list[Value]]]:
    """(numerical, analytical): for each input, a matrix [output element][input element]
    (analytical by reverse mode, all zeros when not `reverse`)."""
    groups = _input_values(inputs)
    if not any(groups):  # nothing to check: say so rather than pass
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )
    with enable_grad():
        outs = _outputs(fn, inputs)
    analytical = [[[0.0] * len(g) for _ in outs] for g in groups]
    flat_inputs = [v for g in groups for v in g]
    for row, out in enumerate(outs):
        if reverse and out.requires_grad and flat_inputs:
            grads = grad(out, flat_inputs, retain_graph=True, allow_unused=True)
            k = 0
            for j, g in enumerate(groups):
                for col in range(len(g)):
                    d = grads[k]
                    analytical[j][row][col] = 0.0 if d is None else float(d)
                    k += 1
    numerical = [[[0.0] * len(g) for _ in outs] for g in groups]
    with no_grad():
        for j, g in enumerate(groups):
            for col, v in enumerate(g):
                original = v.data
                v.data = original + eps
                up = [o.data for o in _outputs(fn, inputs)]
                v.data = original - eps
                down = [o.data for o in _outputs(fn, inputs)]
                v.data = original
                for row in range(len(outs)):
                    numerical[j][row][col] = (up[row] - down[row]) / (2 * eps)
    return numerical, analytical, groups


def _forward_jacobians(fn: Callable, inputs: tuple, groups: list[list[Value]]) -> list:
    """The Jacobians by forward mode: [input][output element][input element]."""
    jacobians = []
    for j, group in enumerate(groups):
        columns = []
        for col in range(len(group)):  # one forward pass per input element
            with forward_ad.dual_level(), enable_grad():
                duals = []
                for k, x in enumerate(inputs):
                    inner = flatten(x)
                    if not groups[k]:
                        duals.append(x)
                        continue
                    basis = [1.0 if (k == j and i == col) else 0.0 for i in range(len(inner[0]))]
                    duals.append(
                        forward_ad.make_dual(
                            x, basis[0] if isinstance(x, Value) else unflatten(x, inner[1], basis)
                        )
                    )
                outs = _outputs(fn, tuple(duals))
                columns.append(
                    [0.0 if t is None else float(t) for t in forward_ad.tangents_of(outs)]
                )
        jacobians.append(
            [
                [column[row] for column in columns]
                for row in range(len(columns[0]) if columns else 0)
            ]
        )
    return jacobians


def _format(matrix: list) -> str:
    return "\n".join("[" + ", ".join(f"{x:.6g}" for x in row) + "]" for row in matrix)


def gradcheck(
    fn: Callable,
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """True if autograd's Jacobian of `fn` at `inputs` matches central differences.

    `fn` may be a plain function or ``SomeFunction.apply``; `inputs` a Value, Tensor or number,
    or a tuple of them.  On a mismatch raises ``GradcheckError`` naming the output and input
    (or returns False with ``raise_exception=False``).  ``check_forward_ad=True`` compares forward
    mode's Jacobian too, ``check_backward_ad=False`` skips reverse mode's.  PyTorch's other switches
    are accepted and change nothing here: the check is always the full one (``fast_mode`` checks
    less in PyTorch), there is no batching to check, and gradients are never undefined.
    """
    inputs = _as_inputs(inputs)
    numerical, analytical, groups = _jacobians(fn, inputs, eps, reverse=check_backward_ad)
    checks = [("", analytical)] if check_backward_ad else []
    if check_forward_ad:
        checks.append((" (forward AD)", _forward_jacobians(fn, inputs, groups)))
    for mode, jacobians in checks:
        for j, (num, ana) in enumerate(zip(numerical, jacobians)):
            for i, (num_row, ana_row) in enumerate(zip(num, ana)):
                for n, a in zip(num_row, ana_row):
                    if not (
                        abs(a - n) <= atol + rtol * abs(n) or (math.isnan(a) and math.isnan(n))
                    ):
                        if not raise_exception:
                            return False
                        raise GradcheckError(
                            f"Jacobian mismatch{mode} for output {i} with respect to input {j},\n"
                            f"numerical:{_format([r for r in num])}\nanalytical:{_format([r for r in ana])}\n"
                        )
    return True


def _random_grad_outputs(outs: list[Any]) -> tuple:
    """One random vector per differentiable output, shaped and typed like it, its numbers drawn
    from micrograd's generator uniformly in [-1, 1) element by element, as PyTorch's
    gradgradcheck draws its grad_outputs (``make_tensor(..., low=-1, high=1)``)."""
    made = []
    for out in outs:
        if isinstance(out, Value):
            made.append(Value(generator.uniform(-1.0, 1.0), requires_grad=True))
            continue
        kind = out.dtype if out.dtype.is_floating_point else float64
        numbers = [generator.uniform(-1.0, 1.0) for _ in range(out.numel())]
        made.append(tensor(numbers, dtype=kind).reshape(out.shape).requires_grad_())
    return tuple(made)


def gradgradcheck(
    fn: Callable,
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """gradcheck of the vector-Jacobian product: True if the second derivatives of `fn` match
    central differences of its first ones.

    As PyTorch's: with v the `grad_outputs` (random in [-1, 1) when not given), the function
    checked is (x, v) ↦ vᵀ·∂fn/∂x = Σₖ vₖ·∂fnₖ/∂x, against both x and v, so every output's
    second derivatives count with their own weight.  The random v are drawn from micrograd's
    generator, so a program's later random numbers are those it draws under PyTorch.
    """
    inputs = _as_inputs(inputs)
    with enable_grad():
        outs = [o for o in _differentiable_outputs(fn(*inputs))]
    if grad_outputs is None:
        weights = _random_grad_outputs(outs)
    else:
        weights = (
            tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else (grad_outputs,)
        )
    count = len(weights)

    def vector_jacobian_product(*args: Any) -> list[Value]:
        xs, vs = args[: len(args) - count], args[len(args) - count :]
        with enable_grad():  # also while gradcheck perturbs inputs under no_grad
            flat_outs = [v for o in _differentiable_outputs(fn(*xs)) for v in flatten(o)[0]]
            flat_vs = [v for w in vs for v in flatten(w)[0]]
            flat = [v for g in _input_values(xs) for v in g]
            total = sum_of_products(zip(flat_outs, flat_vs), float64)
            grads = grad(total, flat, create_graph=True, allow_unused=True)
        return [
            g if isinstance(g, Value) else Value(0.0 if g is None else g, requires_grad=False)
            for g in grads
        ]

    return gradcheck(
        vector_jacobian_product,
        inputs + weights,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )


def _differentiable_outputs(result: Any) -> list[Any]:
    """The outputs (Values or Tensors) that require grad, as PyTorch's gradgradcheck takes."""
    results = result if isinstance(result, (tuple, list)) else (result,)
    return [r for r in results if getattr(r, "requires_grad", False)]
