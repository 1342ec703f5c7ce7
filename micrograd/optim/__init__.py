"""Optimizers, as in ``torch.optim``: ``SGD``, ``Adam``, ``AdamW``, ``RMSprop`` and
``Adagrad`` for Values and Tensors, with PyTorch's options, parameter groups and state; and
``lr_scheduler``, the learning-rate schedules.

One module per idea: ``optimizer`` (the base: groups, the step loop, state_dict), ``sgd``,
``adam`` (Adam and AdamW), ``rmsprop``, ``adagrad``, ``lr_scheduler``.  A name PyTorch has
and micrograd lacks raises NotSupported, naming it (also ``import micrograd.optim.swa_utils``,
through core/missing.py's finder).
"""

from __future__ import annotations

from typing import Any

from ..core.errors import NotSupportedAttribute
from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]


def __getattr__(name: str) -> Any:
    """torch.optim's other optimizers: NotSupported, naming what there is."""
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotSupportedAttribute(
        f"torch.optim.{name} is not supported in micrograd: it has optim.SGD, Adam, AdamW, "
        "RMSprop, Adagrad and lr_scheduler"
    )
