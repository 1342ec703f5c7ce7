"""Tensor: an n-dimensional array of Values, with PyTorch's API and printing.

One module per idea:

* ``dtypes``      - float32, float64, int64, int32, bool and their promotion;
* ``shapes``      - Size, strides, broadcasting, dimensions;
* ``randomness``  - manual_seed, Generator and the streams behind every random function;
* ``scattering``  - gather, scatter, index_add, index_copy, index_fill, masked_fill;
* ``history``     - a tensor's grad_fn (PyTorch's names), for printing and drawings;
* ``tensor``      - the Tensor class: attributes, elementwise arithmetic, comparisons, backward;
* ``views``, ``indexing``, ``reductions``, ``linalg``, ``inplace`` - the rest of its methods;
* ``creation``    - tensor, zeros, ones, empty, arange, linspace, eye, rand, randn...;
* ``devices``     - device, cuda: the CPU only, as PyTorch shows a machine without a GPU;
* ``joining``     - cat, stack, where;
* ``printing``    - the port of torch/_tensor_str.py;
* ``activations`` - softmax, log_softmax;
* ``ordering``    - argmax, argmin, sort, topk, cumsum, cumprod;
* ``sampling``    - normal, bernoulli, randperm, multinomial;
* ``signatures``  - NumPy's axis=/keepdims=, torch.return_types, the refusal of out=;
* ``functions``   - torch.exp(x), torch.sum(x)...: the methods as functions.
"""

from ..core.errors import NotSupported
from .creation import (
    DoubleTensor,
    FloatTensor,
    LongTensor,
    arange,
    empty,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from .devices import cuda, device, get_default_device, set_default_device
from .dtypes import DEFAULT_DTYPES, bool_, double, dtype, float32, float64, float_, int64, long
from .dtypes import int32
from .functions import ELEMENTWISE, is_tensor
from .history import NO_GRAD, TensorNode
from .joining import cat, stack, where
from .randomness import Generator, default_generator, initial_seed, manual_seed, seed
from .reductions import MaxResult, MinResult
from .shapes import Size, broadcast_shapes
from .tensor import Tensor, as_tensor

__all__ = [
    "NotSupported",
    "DoubleTensor",
    "FloatTensor",
    "LongTensor",
    "empty",
    "arange",
    "eye",
    "full",
    "full_like",
    "linspace",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "tensor",
    "zeros",
    "zeros_like",
    "DEFAULT_DTYPES",
    "bool_",
    "double",
    "dtype",
    "float32",
    "float64",
    "float_",
    "int64",
    "int32",
    "long",
    "ELEMENTWISE",
    "is_tensor",
    "NO_GRAD",
    "TensorNode",
    "cat",
    "stack",
    "where",
    "manual_seed",
    "Generator",
    "default_generator",
    "initial_seed",
    "seed",
    "MaxResult",
    "MinResult",
    "Size",
    "broadcast_shapes",
    "Tensor",
    "as_tensor",
    "cuda",
    "device",
    "get_default_device",
    "set_default_device",
]
