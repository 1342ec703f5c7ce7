"""``clear_gradients``: what ``zero_grad`` does, shared by ``optim.Optimizer`` and ``nn.Module``
(here, below both, so that neither imports the other)."""

from __future__ import annotations

from typing import Any, Iterable

from .tensor import Tensor


def clear_gradients(params: Iterable[Any], set_to_none: bool = True) -> None:
    """What zero_grad does, for optimizers and modules alike: a Tensor's grad to None (to zeros with
    set_to_none=False, as in PyTorch), a Value's to 0.0 (a Value's grad is a number)."""
    for p in params:
        if not isinstance(p, Tensor):
            p.grad = 0.0
        elif set_to_none or p.grad is None:
            p.grad = None
        else:
            p.grad.zero_()
