"""``torch.nn.utils``: gradient clipping (``clip_grad.py``) and parameters as one vector
(``convert_parameters.py``).

Its other parts (``parametrize``, ``parametrizations``, ``rnn``, ``weight_norm``,
``spectral_norm``, ``prune``...) raise ``NotSupported`` naming them, on import or use.
"""

from typing import Any

from ...core.errors import missing_name
from . import clip_grad, convert_parameters
from .clip_grad import (
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = [
    "clip_grad",
    "convert_parameters",
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "get_total_norm",
    "parameters_to_vector",
    "vector_to_parameters",
]


def __getattr__(name: str) -> Any:
    """A torch.nn.utils name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("nn.utils.", name)
