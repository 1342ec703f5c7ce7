"""``torch.autograd.graph``: looking at the backward graph and hooking into it.

* ``Node``: what every ``grad_fn`` is (``name()``, ``next_functions``, ``metadata``,
  ``register_prehook``; ``_saved_self``, ``_saved_result``... on a tensor's node);
* ``saved_tensors_hooks(pack_hook, unpack_hook)``: each tensor a node saves for backward goes
  through ``pack_hook`` when the node is made, and what it returned through ``unpack_hook`` when
  a backward pass begins; ``save_on_cpu`` (everything is on the CPU here: the hooks keep the
  tensor as it is); ``disable_saved_tensors_hooks(message)``;
* ``register_multi_grad_hook(tensors, fn, mode="all" or "any")``.

Where micrograd differs: the engine computes with the saved tensors' own elements, so an unpack
hook must give back the numbers it was given, to a relative 1e-3 (one that changes them more
is refused with ``NotSupported``; within that, the saved numbers are used); unpack hooks all run as the pass begins, newest node first, where PyTorch runs
each as its node runs; ``allow_mutation_on_saved_tensors`` is ``NotSupported``.
"""

from __future__ import annotations

from typing import Any, Callable

from ..core.errors import NotSupported
from ..core.nodes import BackwardNode
from ..tensors.saved import saved_tensors_hooks_disabled, saved_tensors_hooks_stack
from .hooks import register_multi_grad_hook

Node = BackwardNode
"""The class of every ``grad_fn`` (``isinstance(y.grad_fn, Node)``)."""


class saved_tensors_hooks:
    """While active, every tensor a new node saves for backward is given to ``pack_hook(t)``, and
    a backward pass gives ``unpack_hook`` what pack_hook returned (see the module's note)."""

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self) -> saved_tensors_hooks:
        if saved_tensors_hooks_disabled:
            raise RuntimeError(saved_tensors_hooks_disabled[-1])
        saved_tensors_hooks_stack.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc: object) -> None:
        saved_tensors_hooks_stack.pop()


class save_on_cpu(saved_tensors_hooks):
    """PyTorch's hooks that move saved tensors to the CPU: micrograd's tensors are all there, so
    the tensor is kept as it is."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(_same, _same)


def _same(t: Any) -> Any:
    """The tensor itself (save_on_cpu's pack and unpack)."""
    return t


class disable_saved_tensors_hooks:
    """While active, entering ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``;
    also a decorator."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        saved_tensors_hooks_disabled.append(self.error_message)

    def __exit__(self, *exc: object) -> None:
        saved_tensors_hooks_disabled.pop()

    def __call__(self, function: Callable) -> Callable:
        def disabled(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return disabled


class allow_mutation_on_saved_tensors:
    """PyTorch clones a saved tensor changed in place inside this block: not supported."""

    def __enter__(self) -> None:
        raise NotSupported(
            "autograd.graph.allow_mutation_on_saved_tensors is not supported by micrograd: "
            "clone() a tensor before you change it in place, and use the clone"
        )

    def __exit__(self, *exc: object) -> None:
        pass


__all__ = [
    "Node",
    "saved_tensors_hooks",
    "save_on_cpu",
    "disable_saved_tensors_hooks",
    "register_multi_grad_hook",
    "allow_mutation_on_saved_tensors",
]
