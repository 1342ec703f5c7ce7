"""Probability distributions, as ``torch.distributions`` (the ones teaching programs use):
``Normal``, ``Uniform``, ``Bernoulli``, ``Categorical``, ``Multinomial``, each with ``sample``,
``log_prob``, ``mean``, ``variance``, ``entropy`` (and ``rsample`` for Normal and Uniform).

Draws come from micrograd's generator in the calls PyTorch makes (``torch.multinomial`` for
Categorical and Multinomial, ``torch.bernoulli``, ``normal_``, ``torch.rand``), so a program
test that shares those random numbers with PyTorch gets the same samples.  Any other
distribution or transform raises ``NotSupported`` naming it.
"""

from typing import Any

from ..core.errors import missing_name
from . import bernoulli, categorical, distribution, multinomial, normal, uniform
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .multinomial import Multinomial
from .normal import Normal
from .uniform import Uniform

__all__ = [
    "Distribution",
    "Normal",
    "Uniform",
    "Bernoulli",
    "Categorical",
    "Multinomial",
    "bernoulli",
    "categorical",
    "distribution",
    "multinomial",
    "normal",
    "uniform",
]


def __getattr__(name: str) -> Any:
    raise missing_name("distributions.", name)
