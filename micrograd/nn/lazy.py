"""Lazy modules (``nn.LazyLinear``, ``nn.LazyConv2d``): a layer whose input size is read from
its first input, as PyTorch's ``LazyModuleMixin`` does.

Until that first call the weight and bias are ``UninitializedParameter``s: they have no shape
(reading it raises PyTorch's error) and hold no numbers.  The first call

1. reads the input size (``initialize_parameters``, one per lazy module),
2. ``materialize``s each parameter to its shape (it becomes a plain ``Parameter``) and
   initialises it as the ordinary layer does, drawing the same random numbers in the same order,
3. turns the module into that ordinary layer (``cls_to_become``: a ``LazyLinear`` becomes a
   ``Linear``, and prints as one), then runs its forward.

``load_state_dict`` into a lazy module materialises its parameters to the checkpoint's shapes
first, so that a saved model loads into a fresh lazy one (d2l's file I/O chapter).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..tensors import Tensor, zeros
from ..tensors.dtypes import float32
from .module import Module, Parameter

__all__ = ["UninitializedParameter", "LazyModuleMixin"]

SHAPE_ERROR = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens "
    "in `load_state_dict` when trying to load an uninitialized parameter into an initialized "
    "one. Call `forward` to initialize the parameters before accessing their attributes."
)
"""PyTorch's message when the shape of an uninitialised parameter is read."""


def _use_error(name: str) -> ValueError:
    """PyTorch's error when an uninitialised parameter is used by a function."""
    return ValueError(
        f"Attempted to use an uninitialized parameter in {name}. This error happens when you are using a `LazyModule` "
        "or explicitly manipulating `torch.nn.parameter.UninitializedParameter` objects. When "
        "using LazyModules Call `forward` with a dummy batch to initialize the parameters before "
        "calling torch functions"
    )


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet (``torch.nn.UninitializedParameter``): it
    prints as ``<UninitializedParameter>``, refuses to give its shape or to be computed with,
    and ``materialize(shape)`` makes it a ``Parameter`` of zeros of that shape."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        self.__class__ = Parameter  # made as an empty Parameter, past the refusals below
        Parameter.__init__(self, None, requires_grad)
        self.__class__ = UninitializedParameter
        self._materialize_dtype = dtype or float32

    @property
    def _values(self) -> list:
        """No elements to compute with: any tensor operation raises PyTorch's error."""
        raise _use_error("a tensor operation")

    @property
    def grad_fn(self) -> None:
        """A leaf: None."""
        return None

    @property
    def grad(self) -> None:
        """No backward pass can reach it: None."""
        return None

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is not None:
            raise _use_error(_method("grad"))

    @property
    def shape(self) -> Any:
        """Not known yet: PyTorch's RuntimeError."""
        raise RuntimeError(SHAPE_ERROR)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Become a Parameter of zeros of `shape` (this same object, as in PyTorch)."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        kind = dtype or self._materialize_dtype
        requires_grad = self.requires_grad
        self.__class__ = self.cls_to_become
        del self._materialize_dtype
        Parameter.__init__(self, zeros(*shape, dtype=kind), requires_grad)

    def detach(self) -> Tensor:
        """A new UninitializedParameter, not requiring grad (what state_dict holds)."""
        return UninitializedParameter(False, dtype=self._materialize_dtype)

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    __str__ = __repr__


def _refusing(name: str) -> Any:
    def refuse(self: UninitializedParameter, *args: Any, **kwargs: Any) -> Any:
        raise _use_error(_method(name))

    refuse.__name__ = name
    refuse.__doc__ = f"Refused until the parameter is materialized (PyTorch's {name})."
    return refuse


def _method(name: str) -> str:
    """How PyTorch's message names a Tensor method."""
    return f"<method '{name}' of 'torch._C.TensorBase' objects>"


# what a program may call on a parameter: on one without a shape, PyTorch's error, never an
# answer computed from an empty tensor
for _name in (
    "numel", "dim", "t", "matmul", "mm", "sum", "mean", "abs", "norm", "item", "tolist",
    "view", "reshape", "clone", "uniform_", "normal_", "fill_", "zero_", "copy_", "add_",
    "sub_", "mul_", "div_", "__getitem__", "__setitem__", "__add__", "__mul__", "__matmul__",
):  # fmt: skip
    setattr(UninitializedParameter, _name, _refusing(_name))
del _name


class LazyModuleMixin:
    """What a lazy module adds to its ordinary layer (``torch.nn.modules.lazy.LazyModuleMixin``):
    list it first among the bases (``class LazyLinear(LazyModuleMixin, Linear)``), set
    ``cls_to_become`` to the layer and write ``initialize_parameters(input)``, which
    materialises the parameters from the input's size and initialises them."""

    cls_to_become: type | None = None

    def _uninitialized_parameters(self: Any, bias: bool) -> None:
        """weight (and bias, or None) as parameters without a shape until the first input."""
        self.weight = UninitializedParameter()
        if bias:
            self.bias = UninitializedParameter()
        else:
            self.register_parameter("bias", None)

    def has_uninitialized_params(self: Any) -> bool:
        """True while a parameter or buffer is still an UninitializedParameter."""
        tables = (self._parameters.values(), self._buffers.values())
        return any(isinstance(t, UninitializedParameter) for table in tables for t in table)

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Materialise the parameters from the first input (each lazy module writes its own)."""
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {type(self).__name__}"
        )

    def forward(self: Any, *args: Any, **kwargs: Any) -> Any:
        """The first call: initialise from the input, become `cls_to_become`, run its forward."""
        self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        self.__class__ = self.cls_to_become
        return self.forward(*args, **kwargs)

    def _load_own(self: Any, state_dict: Mapping[str, Any], prefix: str, *lists: Any) -> None:
        """Materialise each uninitialised parameter to the checkpoint's shape, then load."""
        for name, param in self._parameters.items():
            given = state_dict.get(prefix + name)
            if isinstance(param, UninitializedParameter) and isinstance(given, Tensor):
                param.materialize(tuple(given.shape))
        Module._load_own(self, state_dict, prefix, *lists)
