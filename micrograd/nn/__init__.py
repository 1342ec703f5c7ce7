"""Neural networks, laid out like ``torch.nn``.

* ``modules``: karpathy's ``Neuron``, ``Layer``, ``MLP`` on Values; PyTorch's ``Module``, ``Parameter``,
  ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid`` and the losses as modules (``MSELoss``...);
* ``functional``: ``torch.nn.functional``, the activations and losses as functions.

A PyTorch name micrograd does not have raises ``NotSupported`` (never AttributeError).
"""

from typing import Any

from ..core.errors import missing_name
from . import functional, init
from .containers import (
    Flatten,
    Identity,
    ModuleDict,
    ModuleList,
    ParameterDict,
    ParameterList,
    Unflatten,
)
from .functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    Layer,
    Linear,
    MLP,
    Module,
    MSELoss,
    Neuron,
    NLLLoss,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)

__all__ = [
    "functional",
    "Module",
    "Parameter",
    "Neuron",
    "Layer",
    "MLP",
    "Linear",
    "Sequential",
    "ModuleList",
    "ModuleDict",
    "ParameterList",
    "ParameterDict",
    "Identity",
    "Flatten",
    "Unflatten",
    "init",
    "ReLU",
    "Tanh",
    "Sigmoid",
    "MSELoss",
    "L1Loss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "mse_loss",
    "l1_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "hinge",
]


def __getattr__(name: str) -> Any:
    """A torch.nn name micrograd does not have: say so."""
    raise missing_name("nn.", name)
