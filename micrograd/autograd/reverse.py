"""``grad`` and ``backward``: the entry points to reverse mode (``torch.autograd.grad``/``backward``, which PyTorch
defines in torch/autograd/__init__.py; ``functional.py`` here is ``torch.autograd.functional``)."""

from __future__ import annotations

import threading
from typing import Any

from ..core import value as engine
from ..core.errors import NotSupported
from ..core.value import Value
from ..pytree import flatten, unflatten
from .hooks import run_post_accumulate_hooks


def _as_list(x: Any) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _scalars(objects: list, what: str) -> tuple[list[Value], list]:
    """All Values inside `objects` (Values or Tensors), and how to rebuild each object."""
    values, layout = [], []
    for index, obj in enumerate(objects):
        inner = flatten(obj)
        if inner is None:
            raise TypeError(f"{what}[{index}] must be a Value or Tensor, got {type(obj).__name__}")
        layout.append((obj, inner[1], len(values), len(values) + len(inner[0])))
        values.extend(inner[0])
    return values, layout


def _seeds(outputs: list, grad_outputs: Any) -> tuple[list[Value], list]:
    roots, _ = _scalars(outputs, "outputs")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    grad_outputs = _as_list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad_outputs has {len(grad_outputs)} entries but there are {len(outputs)} outputs"
        )
    seeds: list = []
    for out, g in zip(outputs, grad_outputs):
        inner = flatten(out)
        n = len(inner[0])
        if g is None:
            if n != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seeds.append(None)
            continue
        g_inner = flatten(g)
        if g_inner is None:
            seeds.append(g)
            continue
        if tuple(getattr(g, "shape", ())) != tuple(getattr(out, "shape", ())):
            raise RuntimeError(
                f"Mismatch in shape: grad_output has a shape of {tuple(getattr(g, 'shape', ()))} "
                f"and output has a shape of {tuple(getattr(out, 'shape', ()))}."
            )
        seeds.extend(g_inner[0])
    return roots, seeds


class _Batched(threading.local):
    """Per thread: inside vmap's loop over the slices of a batch, before the last slice."""

    slices_to_come = False


_batched = _Batched()


class retain_until_last_slice:
    """vmap runs f once per slice where PyTorch runs it once on the whole batch: while more
    slices are to come, ``grad`` keeps the graph, so the graph is freed by the last call only,
    as PyTorch frees it after its one call."""

    def __init__(self, more: bool) -> None:
        self.more = more

    def __enter__(self) -> None:
        self.saved, _batched.slices_to_come = _batched.slices_to_come, self.more

    def __exit__(self, *exc: object) -> None:
        _batched.slices_to_come = self.saved


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
    post_hooks: bool = True,
) -> None:
    """Accumulate the gradients of `tensors` into ``.grad`` of the leaves (``torch.autograd.backward``).
    ``post_hooks=False``: leave the leaves' post-accumulate hooks to the caller
    (``Tensor.backward`` runs them once it has completed ``.grad``)."""
    outputs = _as_list(tensors)
    _check_versions(outputs)
    roots, seeds = _seeds(outputs, grad_tensors)
    if inputs is not None:
        raise NotSupported("backward(inputs=...) is not supported: use micrograd.autograd.grad")
    roots, seeds = _connected(outputs, roots, seeds)
    if roots:
        engine.backward(roots, seeds, retain_graph=retain_graph, create_graph=create_graph)
    for out in outputs:  # a leaf's .grad tensor already handed out takes the new numbers
        if hasattr(out, "_refresh_leaf_grads"):
            out._refresh_leaf_grads(fill=False)
    _free_saved(outputs, create_graph if retain_graph is None else retain_graph)
    if post_hooks:
        run_post_accumulate_hooks()


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple:
    """d(outputs)/d(inputs), returned as a tuple, leaving ``.grad`` alone (``torch.autograd.grad``).

    Gradients of Values are floats (Values with ``create_graph=True``, so they can be
    differentiated again); gradients of Tensors are Tensors.
    """
    outputs_list, inputs_list = _as_list(outputs), _as_list(inputs)
    _check_versions(outputs_list)
    if retain_graph is None and _batched.slices_to_come:
        retain_graph = True  # vmap's loop: PyTorch makes this one call, for the whole batch
    roots, seeds = _seeds(outputs_list, grad_outputs)
    for out in outputs_list:  # PyTorch looks at the outputs first
        if hasattr(out, "_values") and not out.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
    for obj in inputs_list:  # a view's elements are its base's: refused (micrograd's reason)
        if hasattr(obj, "_check_gradient_input"):
            obj._check_gradient_input()
    wanted, layout = _scalars(inputs_list, "inputs")
    # A view PyTorch makes a leaf of its own (made under no_grad, or before its base required
    # grad) is one nothing can be computed from with grad on: it requires grad, and is unused
    unusable = {index for index, (obj, *_) in enumerate(layout) if _leaf_of_its_own(obj)}
    wanted_in_graph = [
        v
        for index, (_, _, start, stop) in enumerate(layout)
        if index not in unusable
        for v in wanted[start:stop]
    ]
    if any(v._node is None for v in wanted_in_graph):
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots, seeds = _connected(outputs_list, roots, seeds)
    found = (
        engine.backward(
            roots,
            seeds,
            retain_graph=retain_graph,
            create_graph=create_graph,
            inputs=wanted_in_graph,
            accumulate=False,
        )
        if roots
        else {}
    )
    _free_saved(outputs_list, create_graph if retain_graph is None else retain_graph)
    result: list = []
    for index, (obj, aux, start, stop) in enumerate(layout):
        grads = [None if index in unusable else found.get(v) for v in wanted[start:stop]]
        used = any(g is not None for g in grads)
        if not used and _in_history(outputs_list, obj):
            grads, used = [0.0] * len(grads), True  # no element used: zeros, as PyTorch gives
        if not used:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been "
                    "used in the graph. Set allow_unused=True if this is the desired behavior."
                )
            result.append(None)
        elif isinstance(obj, Value):
            g = grads[0]  # a rule may give a plain 0.0 (relu where x ≤ 0)
            result.append(
                Value(g, requires_grad=False) if create_graph and not isinstance(g, Value) else g
            )
        else:
            made = unflatten(obj, aux, [0.0 if g is None else g for g in grads])
            result.append(made._as_gradient() if hasattr(made, "_as_gradient") else made)
    return tuple(result)


def _leaf_of_its_own(obj: Any) -> bool:
    """True for a view PyTorch makes a leaf of its own (a tensor's ``_leaf_of_its_own``)."""
    return bool(getattr(obj, "_leaf_of_its_own", False))


def _connected(outputs: list, roots: list[Value], seeds: list) -> tuple[list[Value], list]:
    """The roots (and their seeds) that are in a graph, when an output is a tensor that
    requires grad: its other elements (constants of a ``cat``, a sum over nothing) send
    nothing, as in PyTorch, which checks requires_grad per tensor, not per element."""
    kept_roots, kept_seeds, start = [], [], 0
    for out in outputs:
        stop = start + len(flatten(out)[0])
        whole = hasattr(out, "_values") and out.requires_grad  # a tensor that requires grad
        for r, g in zip(roots[start:stop], seeds[start:stop]):
            if r._node is not None or not whole:
                kept_roots.append(r)
                kept_seeds.append(g)
        start = stop
    return kept_roots, kept_seeds


def _free_saved(outputs: list, retained: bool) -> None:
    """Unless the graph is `retained`, tensor outputs mark their history's saved tensors as
    freed (``_free_saved``), as the engine frees the Values' graph."""
    if not retained:
        for out in outputs:
            if hasattr(out, "_free_saved"):
                out._free_saved()


def _check_versions(outputs: list) -> None:
    """A tensor output checks that nothing it saved was changed in place since (its
    ``_check_versions``: tensors know their history, this module does not import them)."""
    for out in outputs:
        if hasattr(out, "_check_versions"):
            out._check_versions()


def _in_history(outputs: list, obj: Any) -> bool:
    """True if the tensor obj is in the tensor history of one of `outputs`."""
    return any(hasattr(out, "_has_in_history") and out._has_in_history(obj) for out in outputs)
