"""micrograd: a scalar autograd engine for teaching, with PyTorch's semantics.

Layers, each importing only those above it:
ops (the derivative table) -> modes -> engine (Value, backward) -> autograd (Function, grad,
forward mode, gradcheck) -> func (grad, jvp, vjp, jacrev, jacfwd, hessian) -> ...
"""
from . import autograd, func
from .autograd import Function
from .engine import Value
from .modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = ["Value", "Function", "autograd", "func", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "detect_anomaly"]
