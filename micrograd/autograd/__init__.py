"""Automatic differentiation, laid out like ``torch.autograd``.

* ``Function``: write your own differentiable operation (forward and backward);
* ``grad``, ``backward``: reverse mode from outputs to inputs;
* ``forward_ad``: forward mode with dual numbers;
* ``gradcheck``, ``gradgradcheck``, ``numerical_grad``: autograd against central differences;
* ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``detect_anomaly``: modes;
* ``Add``, ``Mul``, ``Exp``, ...: the rows of the derivative table as Functions (``PRIMITIVES``).
"""
from typing import Any

from ..modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ..pytree import register_container
from . import forward_ad
from .function import PRIMITIVES, Function, FunctionNode, primitive_function
from .functional import backward, grad
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

FunctionCtx = FunctionNode

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "numerical_grad", "Function", "FunctionCtx",
           "primitive_function", "PRIMITIVES", "grad", "backward", "forward_ad", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "detect_anomaly", "register_container"]


def __getattr__(name: str) -> Any:
    """``autograd.Mul``, ``autograd.Exp``...: a row of the derivative table as a Function."""
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    raise AttributeError(f"module 'micrograd.autograd' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *PRIMITIVES])
