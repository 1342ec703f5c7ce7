"""micrograd: a scalar autograd engine for teaching, with PyTorch's semantics.

``import micrograd as torch`` runs PyTorch's autograd tutorials: ``micrograd.tensor``,
``randn``, ``no_grad``, ``autograd.Function``... are here under PyTorch's names.

Layers, each importing only those above it:
ops (the derivative table) -> modes -> engine (Value, backward) -> autograd (Function, grad,
forward mode, gradcheck) -> tensors (Tensor of Values) -> func (grad, jvp, vjp, jacrev,
jacfwd, hessian) -> drawing -> cli
"""
import importlib
from typing import Any

from . import autograd, data, func, nn, optim
from .drawing import draw, render, replay
from .autograd import Function
from .engine import Value
from .modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .tensors import (FUNCTIONS, NotSupported, Size, Tensor, arange, bool_, broadcast_shapes, cat, dot, double,
                     dtype, eye, float32, float64, full, full_like, int64, linspace, long, manual_seed, matmul, mm,
                     mv, ones, ones_like, rand, rand_like, randint, randn, randn_like, stack, tensor, where, zeros,
                     zeros_like)

globals().update(FUNCTIONS)            # micrograd.exp, micrograd.sum, ... as in torch
globals().update({"float": float32, "bool": bool_})    # torch.float, torch.bool

__all__ = ["draw", "render", "replay", "Value", "Tensor", "Function", "autograd", "func", "nn", "optim", "data",
           "tensor", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "detect_anomaly", "manual_seed", "Size", "dtype",
           "zeros", "ones", "full", "arange", "linspace", "eye", "rand", "randn", "randint", "zeros_like",
           "ones_like", "rand_like", "randn_like", "full_like", "dot", "mv", "mm", "matmul", "cat", "stack",
           "where", "broadcast_shapes", "float32", "float64", "int64", "double", "long", "NotSupported",
           *FUNCTIONS]


SUBMODULES = {"ops", "modes", "engine", "tensors", "drawing", "testing", "exercises", "training", "plots",
              "expression", "cli"}


def __getattr__(name: str) -> Any:
    """One of our submodules, imported on first use; or a PyTorch name micrograd does not
    have: say so, never a silent no-op."""
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotSupported(f"micrograd has no '{name}': PyTorch's torch.{name} is not supported here "
                       "(micrograd is a teaching package; see its README for what it covers)")
