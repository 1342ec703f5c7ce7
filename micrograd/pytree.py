"""Containers of Values, flattened and rebuilt: what JAX calls pytrees.

``Function.apply``, ``autograd.grad``, forward mode and the ``func`` transforms work on lists
of Values.  A container type (``Tensor`` is one) registers how to take its Values out
(``flatten``) and how to build a container of the same shape from new Values
(``unflatten``), and every one of them then accepts it.
"""
from __future__ import annotations

from typing import Any, Callable

from .engine import Value

# type -> (flatten(obj) -> (list of Values, aux), unflatten(aux, list of Values) -> obj)
_CONTAINERS: dict[type, tuple[Callable, Callable]] = {}


def register_container(kind: type, flatten: Callable[[Any], tuple[list[Value], Any]],
                       unflatten: Callable[[Any, list[Value]], Any]) -> None:
    """Let ``Function.apply``, ``autograd.grad`` and ``func`` see inside objects of type `kind`.

    ``flatten(obj)`` returns (its Values, aux); ``unflatten(aux, values)`` rebuilds one."""
    _CONTAINERS[kind] = (flatten, unflatten)


def flatten(obj: Any) -> tuple[list[Value], Any] | None:
    """(its Values, what is needed to rebuild it) for a Value or registered container, else None."""
    if isinstance(obj, Value):
        return [obj], None
    for kind, (flat, _) in _CONTAINERS.items():
        if isinstance(obj, kind):
            return flat(obj)
    return None


def unflatten(like: Any, aux: Any, values: list) -> Any:
    """An object shaped like `like`, holding `values` (numbers are made constant Values)."""
    values = [v if isinstance(v, Value) else Value(v, requires_grad=False) for v in values]
    if isinstance(like, Value):
        return values[0]
    for kind, (_, unflat) in _CONTAINERS.items():
        if isinstance(like, kind):
            return unflat(aux, values)
    raise TypeError(f"cannot rebuild an object of type {type(like).__name__}: register it with register_container")
