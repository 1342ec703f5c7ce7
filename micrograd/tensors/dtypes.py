"""Element types: ``float32``, ``float64``, ``int64``, ``bool``, printed as PyTorch prints them.

A float32 tensor stores float32 numbers: each element is rounded to the nearest float32 when
the tensor is made and when an operation makes it (``round_to_float32``), so
``tensor(0.1).item()`` is 0.10000000149011612 as in PyTorch.  The arithmetic between two
roundings is float64, so the last digits of a long float32 computation can still differ from
PyTorch's (which rounds after every step); gradients are float64.  The dtype also decides
printing, which tensors may require grad, and the type of the results (``promote``).
"""

from __future__ import annotations

import math
from array import array
from typing import Any, Sequence

FLOAT32_OVERFLOW = 3.4028235677973366e38  # from here up, the nearest float32 is inf


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
DEFAULT_DTYPES = (float32, int64, bool_)  # the ones PyTorch does not print


def promote(a: dtype, b: dtype) -> dtype:
    """The dtype of a result of a and b: float64 over float32 over int64 (PyTorch's promotion)."""
    if a.is_floating_point or b.is_floating_point:
        return float64 if float64 in (a, b) else float32
    return int64


def float32_numbers(numbers: Sequence[float]) -> array:
    """The nearest float32 of each number (C's conversion: round to nearest, ties to even)."""
    try:
        return array("f", numbers)
    except OverflowError:  # array refuses what float32 cannot hold: ±inf
        return array(
            "f", [x if abs(x) < FLOAT32_OVERFLOW else math.copysign(math.inf, x) for x in numbers]
        )


def round_to_float32(values: Sequence[Any]) -> None:
    """Store each Value's number as the nearest float32 (in place: the Values are new ones)."""
    for v, x in zip(values, float32_numbers([v.data for v in values])):
        v.data = x
