"""Containers of Values, flattened and rebuilt: what JAX calls pytrees.

``Function.apply``, ``autograd.grad``, forward mode and the ``func`` transforms work on lists
of Values.  A container type (``Tensor`` is one) registers how to take its Values out
(``flatten``) and how to build a container of the same shape from new Values
(``unflatten``), and every one of them then accepts it.
"""

from __future__ import annotations

from typing import Any, Callable

from .core.value import Value

# type -> (flatten(obj) -> (list of Values, aux), unflatten(aux, list of Values) -> obj)
_CONTAINERS: dict[type, tuple[Callable, Callable]] = {}


def register_container(
    kind: type,
    flatten: Callable[[Any], tuple[list[Value], Any]],
    unflatten: Callable[[Any, list[Value]], Any],
) -> None:
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
    raise TypeError(
        f"cannot rebuild an object of type {type(like).__name__}: register it with register_container"
    )


# --- nested Python containers (tuples, lists, dicts) of Values and Tensors -----------------------------
# The func transforms take and return these as torch.func does: grad(f)({"w": w, "b": b}) gives a
# dict of gradients.  A "leaf" is anything that is not a tuple, list or dict.


def tree_flatten(tree: Any) -> tuple[list[Any], Any]:
    """(the leaves in order, a spec that tree_unflatten rebuilds the same nesting from)."""
    if isinstance(tree, (tuple, list)):
        leaves, specs = [], []
        for item in tree:
            item_leaves, spec = tree_flatten(item)
            leaves.extend(item_leaves)
            specs.append((spec, len(item_leaves)))
        return leaves, (type(tree), None, specs)
    if isinstance(tree, dict):
        leaves, spec = tree_flatten(list(tree.values()))
        return leaves, (dict, list(tree), spec[2])
    return [tree], None


def tree_unflatten(spec: Any, leaves: list[Any]) -> Any:
    """The nesting `spec` describes, holding `leaves`."""
    if spec is None:
        return leaves[0]
    kind, keys, specs = spec
    items, start = [], 0
    for item_spec, count in specs:
        items.append(tree_unflatten(item_spec, leaves[start : start + count]))
        start += count
    if kind is dict:
        return dict(zip(keys, items))
    return kind(items) if kind in (tuple, list) else kind(*items)  # a namedtuple takes fields


def tree_map(f: Callable[[Any], Any], tree: Any) -> Any:
    """The same nesting with f applied to each leaf."""
    leaves, spec = tree_flatten(tree)
    return tree_unflatten(spec, [f(leaf) for leaf in leaves])
