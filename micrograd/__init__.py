"""micrograd: a scalar autograd engine for teaching, with PyTorch's semantics.

``import micrograd as torch`` runs PyTorch's autograd tutorials: ``micrograd.tensor``,
``randn``, ``no_grad``, ``autograd.Function``... are here under PyTorch's names.

Three layers, each importing only itself and those below it (tests/test_layers.py checks):

* ``micrograd.core``: the engine a student reads (rules, Value, the backward pass);
* the PyTorch-shaped shell: ``tensors``, ``autograd``, ``func``, ``nn``, ``optim``, ``utils``;
* ``micrograd.teaching``: drawings, the replay, the checkers, the runners, the command line.

This module, and ``micrograd.engine``, ``.drawing``, ``.exercises``, ``.training`` and
``.testing`` (the same module objects as their homes in the layers), are the public face.
"""

__version__ = "0.2.0"

import importlib
from typing import Any

from . import autograd, func, nn, optim
from .teaching import data
from .autograd import Function
from .teaching.drawing import draw, render
from .core.value import Value
from .core.errors import NotSupported, missing_name
from .teaching.language import say, set_language
from .teaching.replay import replay
from .utils.serialization import load, save
from .core.missing import install as _install_missing_modules
from .core.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .core.modes import inference_mode, is_inference_mode_enabled
from .tensors import (
    DoubleTensor,
    FloatTensor,
    LongTensor,
    Size,
    Tensor,
    arange,
    cuda,
    device,
    empty,
    get_default_device,
    set_default_device,
    bool_,
    broadcast_shapes,
    cat,
    double,
    dtype,
    eye,
    float32,
    float64,
    full,
    full_like,
    int64,
    int32,
    is_tensor,
    linspace,
    long,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    stack,
    tensor,
    where,
    zeros,
    zeros_like,
)
from .tensors.functions import (
    ELEMENTWISE,
    add,
    all,
    allclose,
    amax,
    amin,
    any,
    bmm,
    clone,
    detach,
    diag,
    diagonal,
    div,
    dot,
    eq,
    equal,
    flatten,
    ge,
    gt,
    isclose,
    le,
    lt,
    matmul,
    max,
    mean,
    min,
    mm,
    movedim,
    mul,
    mv,
    ne,
    neg,
    norm,
    numel,
    permute,
    pow,
    prod,
    reshape,
    square,
    squeeze,
    sub,
    sum,
    t,
    transpose,
    unsqueeze,
)


from .tensors.functions import argmax, argmin, cumprod, cumsum, log_softmax, softmax
from .tensors.functions import sort, std, topk, var
from .tensors.functions import gather, index_add, index_copy, index_fill, masked_fill
from .tensors.functions import maximum, minimum, scatter, scatter_add
from .tensors.functions import floor_divide, fmod, remainder
from .tensors.functions import addmm, log2, log10
from .tensors.devices import accelerator, backends
from .core.modes import anomaly as _anomaly, is_anomaly_enabled
from .tensors.creation import from_numpy
from .tensors.sampling import bernoulli, multinomial, normal, randperm
from .tensors.randomness import Generator, default_generator, initial_seed, seed
from .func import vmap

float = float32  # torch.float
bool = bool_  # torch.bool
int = int32  # torch.int

__all__ = [
    "amax",
    "amin",
    "bmm",
    "draw",
    "render",
    "replay",
    "Value",
    "Tensor",
    "Function",
    "autograd",
    "func",
    "nn",
    "optim",
    "data",
    "save",
    "load",
    "tensor",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "detect_anomaly",
    "inference_mode",
    "is_inference_mode_enabled",
    "manual_seed",
    "Size",
    "dtype",
    "zeros",
    "ones",
    "full",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "zeros_like",
    "ones_like",
    "rand_like",
    "randn_like",
    "full_like",
    "dot",
    "mv",
    "mm",
    "matmul",
    "cat",
    "stack",
    "where",
    "broadcast_shapes",
    "float32",
    "float64",
    "int64",
    "int32",
    "int",
    "double",
    "long",
    "float",
    "bool",
    "NotSupported",
    "set_language",
    "say",
    "is_tensor",
    "add",
    "all",
    "any",
    "clone",
    "detach",
    "div",
    "eq",
    "equal",
    "flatten",
    "ge",
    "gt",
    "le",
    "lt",
    "max",
    "mean",
    "min",
    "mul",
    "ne",
    "neg",
    "norm",
    "numel",
    "permute",
    "pow",
    "prod",
    "reshape",
    "square",
    "squeeze",
    "sub",
    "sum",
    "t",
    "transpose",
    "unsqueeze",
    "allclose",
    "isclose",
    "diag",
    "diagonal",
    "movedim",
    "empty",
    "FloatTensor",
    "DoubleTensor",
    "LongTensor",
    "device",
    "cuda",
    "set_default_device",
    "get_default_device",
    *ELEMENTWISE,
    "argmax",
    "argmin",
    "cumprod",
    "cumsum",
    "log_softmax",
    "softmax",
    "sort",
    "std",
    "topk",
    "var",
    "from_numpy",
    "bernoulli",
    "normal",
    "randperm",
    "vmap",
    "gather",
    "addmm",
    "log10",
    "log2",
    "index_add",
    "index_copy",
    "index_fill",
    "masked_fill",
    "scatter",
    "scatter_add",
    "maximum",
    "minimum",
    "floor_divide",
    "fmod",
    "remainder",
    "accelerator",
    "backends",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
    "multinomial",
    "Generator",
    "default_generator",
    "initial_seed",
    "seed",
]

SUBMODULES = {
    name: f"micrograd.{name}"
    for name in (
        "engine",
        "pytree",
        "tensors",
        "drawing",
        "testing",
        "exercises",
        "training",
        "core",
        "teaching",
    )
}
SUBMODULES["plots"] = "micrograd.teaching.plots"
SUBMODULES["serialization"] = "micrograd.utils.serialization"  # torch.serialization
SUBMODULES["distributions"] = "micrograd.distributions"
_install_missing_modules("micrograd")  # `import micrograd.sparse`: NotSupported, named


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly mode checks backward results for nan: True unless inside
    ``detect_anomaly(check_nan=False)`` (PyTorch's default is True, anomaly mode on or off)."""
    return _anomaly.check_nan


OTHER_DTYPES = ("int16", "int8", "uint8", "short", "half", "float16", "bfloat16")


def __getattr__(name: str) -> Any:
    """``micrograd.exp``, ``micrograd.clamp``...: the elementwise functions of the derivative
    table (``tensors.functions.ELEMENTWISE``); one of our submodules, imported on first use;
    or a PyTorch name micrograd does not have: say so, never a silent no-op."""
    if name in ELEMENTWISE:
        return ELEMENTWISE[name]
    if name in SUBMODULES:
        return importlib.import_module(SUBMODULES[name])
    if name in OTHER_DTYPES:
        raise NotSupported(
            f"micrograd has no torch.{name}: its dtypes are float32, float64, int64, int32 and "
            "bool "
            "(use torch.int64, torch.long, for counts and indices; torch.float32 for numbers)"
        )
    raise missing_name("", name)


def __dir__() -> list[str]:
    return sorted([*globals(), *ELEMENTWISE])
