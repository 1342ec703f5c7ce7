"""Forward-mode AD with dual numbers (PyTorch: ``torch.autograd.forward_ad``).

A dual number is ``primal + tangent·ε`` with ``ε² = 0``, so ``f(x + tε) = f(x) + f'(x)·t·ε``:
carrying the tangent through every operation computes a Jacobian-vector product in one
forward pass.  The tangent of each result is ``Σᵢ ∂f/∂xᵢ · tᵢ``; the partials ``∂f/∂xᵢ`` are
the rows' vjp functions (ops.py) evaluated with ``g = 1``: there is no second table.

>>> with dual_level():
...     x = make_dual(Value(1.0), 1.0)
...     y = x * x.exp()
...     unpack_dual(y).tangent            # dy/dx at 1 = 2e
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .. import engine, ops
from ..engine import Value
from ..ops import evaluate
from ..pytree import flatten, unflatten

_tangents: dict[Value, Any] = {}
_levels: list[int] = []

NO_LEVEL_ERROR = ("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                  "enter_dual_level() first.")


class UnpackedDualTensor(NamedTuple):
    """(primal, tangent) of a dual number, as unpack_dual returns them."""
    primal: Any
    tangent: Any


def _tangent_of(x: Any) -> Any:
    return _tangents.get(x) if x.__class__ is Value else None


def _propagate(fn: Any, out: Value, x: Any, y: Any) -> None:
    """Called by the engine after each operation: give `out` its tangent Σᵢ ∂out/∂xᵢ · tᵢ."""
    operands = (x,) if y is None or fn.constant else (x, y)
    tangents = [_tangent_of(i) for i in operands]
    if all(t is None for t in tangents) or fn.multi:
        return
    data = [i.data if i.__class__ is Value else i for i in ((x,) if y is None else (x, y))]
    partials = evaluate(fn.vjp, 1.0, out.data, *data)      # the row's vjp with g = 1
    terms = [tangent * partial for partial, tangent in zip(partials, tangents) if tangent is not None]
    _tangents[out] = sum(terms[1:], terms[0])


class dual_level:
    """Context manager: dual numbers made inside live until it exits."""

    def __enter__(self) -> int:
        if not _levels:
            engine.observers.append(_propagate)
        _levels.append(len(_levels))
        return _levels[-1]

    def __exit__(self, *exc: object) -> None:
        _levels.pop()
        if not _levels:
            engine.observers.remove(_propagate)
            _tangents.clear()


def enter_dual_level() -> int:
    """Start a level of forward mode (as ``with dual_level():`` does); returns its number."""
    return dual_level().__enter__()


def exit_dual_level(*, level: int | None = None) -> None:
    """End the innermost level of forward mode; its dual numbers lose their tangents."""
    dual_level().__exit__()


def make_dual(tensor: Any, tangent: Any, *, level: int | None = None) -> Any:
    """A copy of `tensor` (a Value or Tensor) carrying `tangent`; gradients still flow to `tensor`."""
    if not _levels:
        raise RuntimeError(NO_LEVEL_ERROR)
    primal_flat, tangent_flat = flatten(tensor), flatten(tangent)
    if primal_flat is None:
        raise TypeError(f"make_dual expects a Value or Tensor primal, got {type(tensor).__name__}")
    if tangent_flat is None:
        number = engine.as_float(tangent)
        if number is None or len(primal_flat[0]) != 1:
            raise TypeError(f"make_dual expects a tangent shaped like the primal, got {tangent!r}")
        tangent_values: list = [number]
    else:
        if getattr(tangent, "shape", ()) != getattr(tensor, "shape", ()):
            raise ValueError(f"Expected tangent to have the same shape as primal: got "
                             f"{tuple(getattr(tangent, 'shape', ()))} and {tuple(getattr(tensor, 'shape', ()))}")
        tangent_values = [t if t.requires_grad else t.data for t in tangent_flat[0]]
    duals = [engine.apply(ops.ADD, p, 0.0) if p.requires_grad else Value(p.data, requires_grad=False)
             for p in primal_flat[0]]
    for dual, t in zip(duals, tangent_values):
        _tangents[dual] = t
    return unflatten(tensor, primal_flat[1], duals)


def unpack_dual(tensor: Any, *, level: int | None = None) -> UnpackedDualTensor:
    """(primal, tangent) of a dual number; tangent is None if it has none."""
    flat = flatten(tensor)
    if flat is None:
        raise TypeError(f"unpack_dual expects a Value or Tensor, got {type(tensor).__name__}")
    tangents = [_tangents.get(v) for v in flat[0]]
    if all(t is None for t in tangents):
        return UnpackedDualTensor(tensor, None)
    if isinstance(tensor, Value):
        return UnpackedDualTensor(tensor, tangents[0])
    return UnpackedDualTensor(tensor, unflatten(tensor, flat[1], [0.0 if t is None else t for t in tangents]))


def has_tangents(values: Any) -> bool:
    """True if any of these Values carries a tangent (forward mode is running through them)."""
    return bool(_tangents) and any(v in _tangents for v in values)
