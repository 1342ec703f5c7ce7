"""PyTorch's calling conventions that several methods share: NumPy's argument names
(``axis``, ``keepdims``) and the named tuples of ``torch.return_types``."""

from __future__ import annotations

import functools
from collections import namedtuple
from typing import Any, Callable

from ..core.errors import NotSupported
from ..core.modes import is_grad_enabled
from .dtypes import category


def return_type(name: str) -> type:
    """PyTorch's ``torch.return_types.<name>``: a named tuple (values, indices), printed as
    PyTorch prints it."""
    made = namedtuple(name, ["values", "indices"])
    made.__repr__ = lambda self: (
        f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"
    )
    return made


def numpy_names(method: Callable) -> Callable:
    """`method` also taking NumPy's names, as PyTorch does: ``axis`` for ``dim``, ``keepdims``
    for ``keepdim`` (``x.sum(axis=0, keepdims=True)``)."""

    @functools.wraps(method)
    def taking(self: Any, *args: Any, **kwargs: Any) -> Any:
        for numpy_name, name in (("axis", "dim"), ("keepdims", "keepdim")):
            if numpy_name in kwargs:
                if name in kwargs:
                    raise TypeError(f"{method.__name__}() got both '{name}' and '{numpy_name}'")
                kwargs[name] = kwargs.pop(numpy_name)
        return method(self, *args, **kwargs)

    return taking


_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int"}


def write_out(name: str, result: Any, out: Any, inputs: tuple) -> Any:
    """PyTorch's ``out=``: the result written into the tensor `out`, which is returned.  As in
    PyTorch, refused while any tensor involved requires grad (the write is not recorded) and
    when the result's dtype cannot be cast to out's; a shape that differs would make PyTorch
    resize out, which micrograd cannot (a tensor's shape is fixed): NotSupported."""
    tensors = [t for t in (*inputs, out) if hasattr(t, "requires_grad")]
    if is_grad_enabled() and any(t.requires_grad for t in tensors):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    if category(result.dtype) > category(out.dtype):
        have, want = (
            _SCALAR_NAMES.get(k.name, k.name.capitalize()) for k in (result.dtype, out.dtype)
        )
        raise RuntimeError(f"result type {have} can't be cast to the desired output type {want}")
    if tuple(out.shape) != tuple(result.shape):
        raise NotSupported(
            f"torch.{name}(..., out=t) with t of shape {tuple(out.shape)} for a result of shape "
            f"{tuple(result.shape)}: PyTorch resizes t, micrograd cannot (a tensor's shape is "
            f"fixed); write `t = torch.{name}(...)`"
        )
    out.copy_(result)
    return out


def refuse_out(name: str = "") -> None:
    """PyTorch's ``out=`` (writing the result into a given tensor) is not supported: say so,
    naming the function `name` if known."""
    if not name:
        raise NotSupported(
            "out=... is not supported: micrograd's functions return a new tensor; assign the "
            "result, or copy it into an existing tensor with out.copy_(result)"
        )
    raise NotSupported(
        f"torch.{name}(..., out=...) is not supported: micrograd's functions return a new "
        f"tensor; write `result = torch.{name}(...)`, or `out.copy_(torch.{name}(...))` to "
        "fill an existing one"
    )
