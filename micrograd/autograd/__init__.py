"""Automatic differentiation, laid out like ``torch.autograd``.

* ``Function``: write your own differentiable operation (forward and backward);
* ``grad``, ``backward``: reverse mode from outputs to inputs;
* ``forward_ad``: forward mode with dual numbers;
* ``gradcheck``, ``gradgradcheck``, ``numerical_grad``: autograd against central differences;
* ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``detect_anomaly``, ``set_detect_anomaly``: modes;
* ``Add``, ``Mul``, ``Exp``, ...: the rows of the derivative table as Functions (``PRIMITIVE_FUNCTIONS``);
* ``functional``: ``torch.autograd.functional`` (jacobian, hessian, vjp, jvp, vhp, hvp), built on
  the transforms of ``micrograd.func``, which live here in ``transforms``;
* ``profiler``: ``profiler.profile()`` counts and times the operations of a block;
* ``Variable``: PyTorch's old name for a tensor that requires grad.
"""

from typing import Any

from ..core.errors import NotSupported, missing_name
from ..core.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ..core.modes import set_detect_anomaly
from ..core.modes import inference_mode
from ..pytree import register_container
from . import forward_ad, functional, graph, profiler
from .function import PRIMITIVE_FUNCTIONS, Function, FunctionNode, primitive_function
from .reverse import backward, grad
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

FunctionCtx = FunctionNode


def Variable(data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
    """``torch.autograd.Variable(t, requires_grad=...)``: since PyTorch 0.4 just the tensor itself
    (requires_grad=True makes this leaf a variable)."""
    if volatile:
        raise NotSupported(
            "Variable(volatile=True) was removed from PyTorch: use `with torch.no_grad():`"
        )
    return data.requires_grad_(True) if requires_grad else data


__all__ = [
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "numerical_grad",
    "Function",
    "FunctionCtx",
    "primitive_function",
    "PRIMITIVE_FUNCTIONS",
    "grad",
    "backward",
    "forward_ad",
    "functional",
    "graph",
    "profiler",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "detect_anomaly",
    "set_detect_anomaly",
    "inference_mode",
    "register_container",
    "Variable",
]


def __getattr__(name: str) -> Any:
    """``autograd.Mul``, ``autograd.Exp``...: a row of the derivative table as a Function."""
    if name in PRIMITIVE_FUNCTIONS:
        return PRIMITIVE_FUNCTIONS[name]
    raise missing_name("autograd.", name)


def __dir__() -> list[str]:
    return sorted([*globals(), *PRIMITIVE_FUNCTIONS])
