"""Element types: ``float32``, ``float64``, ``int64``, ``bool``, printed as PyTorch prints them.

micrograd computes in float64 whatever the dtype; the dtype decides printing, which tensors
may require grad, and the type of the results (``promote``).
"""
from __future__ import annotations


class dtype:
    """A tensor's element type, printed as PyTorch prints it (``torch.float32``)."""

    def __init__(self, name: str, is_floating_point: bool) -> None:
        self.name, self.is_floating_point = name, is_floating_point

    def __repr__(self) -> str:
        return f"torch.{self.name}"


float32 = float_ = dtype("float32", True)
float64 = double = dtype("float64", True)
int64 = long = dtype("int64", False)
bool_ = dtype("bool", False)
DEFAULT_DTYPES = (float32, int64, bool_)        # the ones PyTorch does not print

def promote(a: dtype, b: dtype) -> dtype:
    """The dtype of a result of a and b: float64 over float32 over int64 (PyTorch's promotion)."""
    if a.is_floating_point or b.is_floating_point:
        return float64 if float64 in (a, b) else float32
    return int64
