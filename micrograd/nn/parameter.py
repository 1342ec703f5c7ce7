"""``torch.nn.parameter``: where PyTorch keeps ``Parameter`` and ``UninitializedParameter`` (and
where ``type(p)`` says they live: ``<class 'torch.nn.parameter.Parameter'>``)."""

from .lazy import UninitializedParameter
from .module import Parameter

__all__ = ["Parameter", "UninitializedParameter"]
