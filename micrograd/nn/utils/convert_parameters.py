"""A model's parameters as one flat vector and back (``torch.nn.utils.parameters_to_vector``,
``vector_to_parameters``): what optimizers written for one vector, line searches and
natural-gradient methods work with."""

from __future__ import annotations

from typing import Any, Iterable

from ...tensors import Tensor, cat
from ..module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Every parameter flattened, one after the other: cat([p.view(-1) for p in parameters]),
    in the graph (CatBackward0), so that a loss of the vector reaches the parameters."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Any, parameters: Iterable[Tensor]) -> None:
    """The inverse: each parameter's numbers set (through .data) from the next numel() elements
    of vec, in order."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    pointer = 0
    for param in parameters:
        count = param.numel()
        param.data = vec[pointer : pointer + count].view_as(param).data
        pointer += count
