"""PyTorch's calling conventions that several methods share: NumPy's argument names
(``axis``, ``keepdims``) and the named tuples of ``torch.return_types``."""

from __future__ import annotations

import functools
from collections import namedtuple
from typing import Any, Callable

from ..core.errors import NotSupported


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
