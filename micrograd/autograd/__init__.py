"""Automatic differentiation, laid out like ``torch.autograd``.

* ``Function``: write your own differentiable operation (forward and backward);
* ``grad``, ``backward``: reverse mode from outputs to inputs;
* ``forward_ad``: forward mode with dual numbers;
* ``gradcheck``, ``gradgradcheck``, ``numerical_grad``: autograd against central differences;
* ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``detect_anomaly``: modes.
"""
from ..modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from . import forward_ad
from .function import PRIMITIVES, Function, FunctionNode, primitive_function, register_container
from .functional import backward, grad
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

FunctionCtx = FunctionNode
globals().update({f.__name__: f for f in PRIMITIVES.values()})   # Add, Mul, Exp, ... as Functions

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "numerical_grad", "Function", "FunctionCtx", "primitive_function", *[f.__name__ for f in PRIMITIVES.values()], "grad", "backward", "forward_ad", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "detect_anomaly", "register_container"]
