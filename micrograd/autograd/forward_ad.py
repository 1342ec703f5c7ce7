"""Forward-mode AD with dual numbers (PyTorch: ``torch.autograd.forward_ad``).

A dual number is ``primal + tangent·ε`` with ``ε² = 0``, so ``f(x + tε) = f(x) + f'(x)·t·ε``:
carrying the tangent through every operation computes a Jacobian-vector product in one
forward pass.  The tangent of each result is ``Σᵢ ∂f/∂xᵢ · tᵢ``; the partials ``∂f/∂xᵢ`` are
the primitives' vjp functions (core/rules.py) evaluated with ``g = 1``: there is no second table.
Levels are per thread, as PyTorch's: dual numbers made in one thread carry no tangent in another.

>>> with dual_level():
...     x = make_dual(Value(1.0), 1.0)
...     y = x * x.exp()
...     unpack_dual(y).tangent            # dy/dx at 1 = 2e
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

from ..core import rules, value as engine
from ..core.value import Value
from ..core.modes import grad_state as _grad_mode
from ..core.rules import ValueMath, evaluate
from ..pytree import flatten, unflatten


class _Levels(threading.local):
    """Forward mode's state, per thread (as PyTorch's levels are): a jvp in one thread never sees
    another thread's dual numbers."""

    def __init__(self) -> None:
        # One dict per level of forward mode (nested jvp makes several): Value -> its tangent.
        self.tangents: list[dict[Value, Any]] = []
        # Per level, the tensors make_dual made: id -> (dual, the tangent given), so that
        # unpack_dual gives back that very tangent object, as PyTorch does.
        self.given: list[dict[int, tuple[Any, Any]]] = []
        # While the tangent of level L is being computed, the operations doing it get tangents
        # at the levels below L only (their derivative along the outer directions): top is L.
        self.top: int | None = None


_state = _Levels()

NO_LEVEL_ERROR = (
    "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
    "enter_dual_level() first."
)


class UnpackedDualTensor(NamedTuple):
    """(primal, tangent) of a dual number, as unpack_dual returns them."""

    primal: Any
    tangent: Any


class _Pending:
    """A tangent not computed yet: that of `out`, made by `fn` from (x, y) whose tangents at
    this level are `tangents`.  The tensor that made `out` rounds its number to float32 after
    the operation, so the tangent is computed when it is first read, from the number `out`
    holds then: ∂tanh = 1 - out² from the rounded out, as reverse mode and PyTorch compute it."""

    __slots__ = ("fn", "out", "x", "y", "tangents", "grad_enabled")

    def __init__(self, fn: Any, out: Value, x: Any, y: Any, tangents: list) -> None:
        self.fn, self.out, self.x, self.y, self.tangents = fn, out, x, y, tangents
        self.grad_enabled = _grad_mode.grad_enabled  # as the operation ran, not as it is read


def _read(level: int, v: Any) -> Any:
    """v's tangent at `level` (None if it has none), computing it first if it is pending."""
    found = _state.tangents[level].get(v)
    if found.__class__ is not _Pending:
        return found
    level %= len(_state.tangents)  # -1, the innermost, counted from the outermost
    before = _grad_mode.grad_enabled
    _grad_mode.grad_enabled = found.grad_enabled
    try:
        tangent = _tangent(level, found.fn, found.out, found.x, found.y, found.tangents)
    finally:
        _grad_mode.grad_enabled = before
    _state.tangents[level][v] = tangent
    return tangent


def _propagate(fn: Any, out: Value, x: Any, y: Any) -> None:
    """Called by the engine after each operation: at each level, give `out` its tangent
    Σᵢ ∂out/∂xᵢ · tᵢ, the partials being the primitive's vjp with g = 1 (rules.py), computed
    when it is read (see _Pending)."""
    operands = (x,) if y is None or fn.constant else (x, y)
    levels = _state.tangents
    top = len(levels) if _state.top is None else _state.top
    for level in range(top):
        tangents = [_read(level, i) if i.__class__ is Value else None for i in operands]
        if any(t is not None for t in tangents):
            levels[level][out] = _Pending(fn, out, x, y, tangents)


def _tangent(level: int, fn: Any, out: Value, x: Any, y: Any, tangents: list) -> Any:
    """Σᵢ tᵢ · ∂out/∂xᵢ.  On floats when nothing will differentiate it again; otherwise on
    Values, so that reverse mode (a gradient of a jvp) or an outer level (a jvp of a jvp)
    can differentiate the tangent itself."""
    involved = [v for v in (x, y, *tangents) if v.__class__ is Value]
    if level == 0 and not (_grad_mode.grad_enabled and any(v._node is not None for v in involved)):
        data = [i.data if i.__class__ is Value else i for i in ((x,) if y is None else (x, y))]
        partials = evaluate(fn.vjp, 1.0, out.data, *data)
        terms = [float(t) * p for p, t in zip(partials, tangents) if t is not None]
        return sum(terms[1:], terms[0])
    saved, _state.top = _state.top, level
    try:
        partials = fn.vjp(ValueMath, 1.0, out, *((x,) if y is None else (x, y)))
        # An operand without a tangent counts as tangent 0, as PyTorch fills it with zeros:
        # 0 · ∂out/∂y still depends on x (x·y), so the tangent requires grad when x does.
        terms = [(0.0 if t is None else t) * p for p, t in zip(partials, tangents)]
        return sum(terms[1:], terms[0])
    finally:
        _state.top = saved


class dual_level:
    """Context manager: dual numbers made inside live until it exits."""

    def __enter__(self) -> int:
        if not _state.tangents:
            engine.observers.append(_propagate)  # this thread's operations only
        _state.tangents.append({})
        _state.given.append({})
        return len(_state.tangents) - 1

    def __exit__(self, *exc: object) -> None:
        _state.tangents.pop()
        _state.given.pop()
        if not _state.tangents:
            engine.observers.remove(_propagate)


def enter_dual_level() -> int:
    """Start a level of forward mode (as ``with dual_level():`` does); returns its number."""
    return dual_level().__enter__()


def exit_dual_level(*, level: int | None = None) -> None:
    """End the innermost level of forward mode; its dual numbers lose their tangents."""
    dual_level().__exit__()


def make_dual(tensor: Any, tangent: Any, *, level: int | None = None) -> Any:
    """A copy of `tensor` (a Value or Tensor) carrying `tangent`; gradients still flow to `tensor`."""
    if not _state.tangents:
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
            raise ValueError(
                f"Expected tangent to have the same shape as primal: got "
                f"{tuple(getattr(tangent, 'shape', ()))} and {tuple(getattr(tensor, 'shape', ()))}"
            )
        tangent_values = [t if t.requires_grad else t.data for t in tangent_flat[0]]
    # p + 0: gradients flow back to p, and p's tangents at the other levels carry over.
    duals = [engine.apply(rules.ADD, p, 0.0) for p in primal_flat[0]]
    tangents_here = _state.tangents[-1 if level is None else level]
    for dual, t in zip(duals, tangent_values):
        tangents_here[dual] = t
    result = unflatten(tensor, primal_flat[1], duals)
    if tangent_flat is not None and not isinstance(result, Value):
        _state.given[-1 if level is None else level][id(result)] = (result, tangent)
    return result


def unpack_dual(tensor: Any, *, level: int | None = None) -> UnpackedDualTensor:
    """(primal, tangent) of a dual number; tangent is None if it has none."""
    flat = flatten(tensor)
    if flat is None:
        raise TypeError(f"unpack_dual expects a Value or Tensor, got {type(tensor).__name__}")
    levels, index = _state.tangents, -1 if level is None else level
    given = _state.given[index].get(id(tensor)) if levels else None
    if given is not None and given[0] is tensor:
        return UnpackedDualTensor(tensor, given[1])
    tangents = [_read(index, v) for v in flat[0]] if levels else []
    if all(t is None for t in tangents):
        return UnpackedDualTensor(tensor, None)
    if isinstance(tensor, Value):
        return UnpackedDualTensor(tensor, tangents[0])
    return UnpackedDualTensor(
        tensor, unflatten(tensor, flat[1], [0.0 if t is None else t for t in tangents])
    )


def tangents_of(values: list[Value]) -> list:
    """Each Value's tangent at the innermost level (None where it has none)."""
    if not _state.tangents:
        return [None] * len(values)
    return [_read(-1, v) for v in values]


def set_tangents(values: list[Value], tangents: list) -> None:
    """Give these Values these tangents at the innermost level (a custom Function's jvp)."""
    _state.tangents[-1].update(zip(values, tangents))


def has_tangents(values: Any) -> bool:
    """True if any of these Values carries a tangent (forward mode is running through them)."""
    return any(v in level for level in _state.tangents for v in values if v.__class__ is Value)


def active() -> bool:
    """True inside a dual level: reverse passes then record their steps, so that tangents
    flow through gradients too (forward over reverse)."""
    return bool(_state.tangents)


def tangent_of(v: Value) -> Any:
    """v's tangent at the innermost level, or None (the drawings show it)."""
    return _read(-1, v) if _state.tangents else None


def carry_tangents(source: Value, copy: Value) -> None:
    """Give `copy`, a fresh Value with the same number, `source`'s tangents at every level."""
    for index, level in enumerate(_state.tangents):
        if source in level:
            level[copy] = _read(index, source)
