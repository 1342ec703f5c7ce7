"""Conversions, as methods of Tensor: ``item``, ``tolist``, ``numpy``, ``float(t)``, ``len``, iteration, printing;
``to``, ``float()``, ``double()``... (another dtype) and the device (``device``, ``cpu()``: always the CPU).

They read the numbers out of the Values; nothing here is recorded in the graph.
"""

from __future__ import annotations

import math

from typing import TYPE_CHECKING, Any, Iterable

from ..core.errors import NotSupported
from ..core.modes import is_grad_enabled
from . import devices, dtypes
from .dtypes import bool_, float32, float64, int32, int64, is_integer
from .elements import cast_values, copies, element_values
from .printing import tensor_repr

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


class ConversionMethods:
    """The conversions of Tensor (a part of the class, kept in a module of its own)."""

    @property
    def device(self) -> devices.device:
        """Always ``device(type='cpu')``."""
        return devices.CPU

    @property
    def is_cuda(self) -> bool:
        """False: micrograd computes on the CPU."""
        return False

    def to(self, *args: Any, dtype: Any = None, device: Any = None, **kwargs: Any) -> Tensor:
        """This tensor with another dtype (the device can only be the CPU)."""
        for a in args:
            if isinstance(a, dtypes.dtype):  # (the parameter `dtype` hides the class)
                dtype = a
            elif isinstance(a, ConversionMethods):  # x.to(other): other's dtype
                dtype = a.dtype
            else:
                device = a
        devices.as_device(device)  # the CPU, or NotSupported
        if kwargs:
            raise NotSupported(f"Tensor.to() does not support {sorted(kwargs)}")
        if dtype is None or dtype is self._dtype:
            return self
        return self._converted(dtype)

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        """``t.type()``: PyTorch's name of the tensor's type ('torch.FloatTensor'); ``t.type(d)``
        with d a dtype, a legacy type (``torch.DoubleTensor``) or its name: ``t.to(d)``."""
        if kwargs:
            raise NotSupported(f"Tensor.type() does not support {sorted(kwargs)}")
        if dtype is None:
            return f"torch.{dtypes.SCALAR_TYPE_NAMES[self._dtype]}Tensor"
        if isinstance(dtype, dtypes.dtype):
            return self.to(dtype)
        name = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", repr(dtype))
        kind = LEGACY_TYPES.get(name.removeprefix("torch."))
        if kind is None:
            raise ValueError(f"invalid type: {dtype!r}")
        return self.to(kind)

    def _converted(self, kind: dtypes.dtype) -> Tensor:
        """A copy with dtype `kind` (PyTorch's .to() is a copy unless the dtype is the same):
        a float result stays in the graph (∂/∂x = 1), an integer or bool one is a constant."""
        if kind.is_floating_point and self._dtype.is_floating_point:
            mine = self._values
            values = cast_values(mine, self._dtype, kind)
            values = copies(values) if values is mine else values
            return self._result(values, self._shape, "ToCopyBackward0", "to", (self,), kind)
        numbers = [dtypes.cast_number(v.data, kind, checked=kind is int64) for v in self._values]
        return self._plain(element_values(numbers, kind), self._shape, kind)

    def float(self) -> Tensor:
        """As float32."""
        return self.to(float32)

    def double(self) -> Tensor:
        """As float64."""
        return self.to(float64)

    def long(self) -> Tensor:
        """As int64 (truncated)."""
        return self.to(int64)

    def int(self) -> Tensor:
        """As int32 (floats truncated; an int64 number wrapped around to 32 bits)."""
        return self.to(int32)

    def bool(self) -> Tensor:
        """As bool (non-zero is True)."""
        return self.to(bool_)

    def cpu(self) -> Tensor:
        """The tensor itself: micrograd runs on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Refused: micrograd runs on the CPU only."""
        raise NotSupported("micrograd runs on the CPU only: there is no .cuda()")

    def item(self) -> float | int | bool:
        """The number inside a one-element tensor."""
        if len(self._values) != 1:
            raise RuntimeError(
                f"a Tensor with {len(self._values)} elements cannot be converted to Scalar"
            )
        return self._python(self._values[0].data)

    def _python(self, x: float) -> float | int | bool:
        if self._dtype is bool_:
            return bool(x)
        if is_integer(self._dtype):
            return int(x)
        return x

    def tolist(self) -> Any:
        """The numbers as nested Python lists."""
        return _nested([self._python(v.data) for v in self._values], tuple(self._shape))

    def numpy(self) -> Any:
        """The numbers as a NumPy array (needs numpy); refused, as in PyTorch, for a tensor that
        requires grad while grad mode is on.  PyTorch's array shares the tensor's memory; this
        one is a copy, so it is read-only: a write into it, which PyTorch would make in the
        tensor too, raises instead of being lost."""
        if self.requires_grad and is_grad_enabled():
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        import numpy

        array = numpy.array(
            self.tolist(),
            dtype=self._dtype.name,  # NumPy's names are PyTorch's
        )
        array.flags.writeable = False
        return array

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._dtype.is_floating_point:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if len(self._values) != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._values[0].data)

    def __len__(self) -> int:
        if self.dim() == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self) -> Iterable[Tensor]:
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __format__(self, spec: str) -> str:
        if self.dim() == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self) -> str:
        return tensor_repr(self)

    __str__ = __repr__


LEGACY_TYPES = {f"{name}Tensor": kind for kind, name in dtypes.SCALAR_TYPE_NAMES.items()}
"""'FloatTensor' -> float32...: the legacy type names ``Tensor.type`` takes."""


def _nested(flat: list, shape: tuple) -> Any:
    """Row-major flat numbers as nested lists of `shape` (a size may be 0: shape (1, 0) is [[]])."""
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = math.prod(shape[1:])
    return [_nested(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
