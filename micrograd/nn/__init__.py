"""Neural networks, laid out like ``torch.nn``.

* ``modules``: karpathy's ``Neuron``, ``Layer``, ``MLP`` on Values; PyTorch's ``Module``, ``Parameter``,
  ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid`` and the losses as modules (``MSELoss``...);
* ``functional``: ``torch.nn.functional``, the activations and losses as functions;
* ``losses``: the losses as modules; ``conv``, ``pooling``: Conv1d/Conv2d, MaxPool2d...

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
from .conv import Conv1d, Conv2d, LazyConv2d
from .activations import (
    ELU,
    GELU,
    Dropout,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    ReLU6,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
)
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool1d, MaxPool2d
from .functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    hinge,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    margin_ranking_loss,
    one_hot,
    smooth_l1_loss,
    soft_margin_loss,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
)
from .modules import (
    Layer,
    Linear,
    MLP,
    Module,
    Neuron,
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
    "ELU",
    "GELU",
    "Dropout",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "ReLU6",
    "SiLU",
    "Softmax",
    "Softmin",
    "Softplus",
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
    "HuberLoss",
    "SmoothL1Loss",
    "KLDivLoss",
    "MarginRankingLoss",
    "HingeEmbeddingLoss",
    "CosineEmbeddingLoss",
    "SoftMarginLoss",
    "huber_loss",
    "smooth_l1_loss",
    "kl_div",
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "cosine_embedding_loss",
    "soft_margin_loss",
    "one_hot",
    "Conv1d",
    "Conv2d",
    "LazyConv2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
]


def __getattr__(name: str) -> Any:
    """A torch.nn name micrograd does not have: say so."""
    raise missing_name("nn.", name)
