"""Distances and similarities between inputs, and the bilinear layer that pairs two inputs:
``cosine_similarity``, ``pairwise_distance``, ``normalize``, ``bilinear`` and their modules
``CosineSimilarity``, ``PairwiseDistance``, ``Bilinear``.

Each is written with tensor operations (``norm``, division, ``matmul``, ``sum``), computed as
PyTorch computes it, so its gradient and higher derivatives come from their rules.
"""

from __future__ import annotations

import math
from typing import Any

from ..core.errors import NotSupported
from ..tensors import Tensor, as_tensor, empty
from . import init
from .module import Module, Parameter


def _floored(norm: Tensor, eps: float) -> Tensor:
    """max(norm, ε) in value, yet with the norm's own gradient: PyTorch clamps the norms in
    place under no_grad, so its backward differentiates the norm as if it were not clamped."""
    lifted = norm.detach().clamp_min(eps) - norm.detach()
    return norm + lifted


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """cos(x₁, x₂) = Σ (x₁ / max(‖x₁‖, ε)) · (x₂ / max(‖x₂‖, ε)) along `dim` (the inputs
    broadcast against each other); PyTorch divides each by its norm first, which keeps the
    result within [−1, 1]."""
    a, b = as_tensor(x1), as_tensor(x2)
    norm_a = _floored(a.norm(2, dim=dim, keepdim=True), eps)
    norm_b = _floored(b.norm(2, dim=dim, keepdim=True), eps)
    return ((a / norm_a) * (b / norm_b)).sum(dim)


def pairwise_distance(
    x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """‖x₁ − x₂ + ε‖ₚ along the last dimension (ε keeps the gradient finite where the inputs
    are equal; PyTorch adds it to every element)."""
    a, b = as_tensor(x1), as_tensor(x2)
    last = max(a.dim(), b.dim()) - 1
    apart = a - b
    shifted = apart + eps  # one node named as PyTorch's kernel names it (a tensor plus a number)
    difference = apart._result(
        list(shifted._values), shifted.shape, "AddBackward1", "add", (apart,), stored=True
    )
    distance = _p_norm(difference, p, last, keepdim)
    return difference._result(
        list(distance._values),
        distance.shape,
        "NormBackward1",
        "pairwise_distance",
        (difference,),
        stored=True,
    )


def _p_norm(x: Tensor, p: float, dim: int, keepdim: bool) -> Tensor:
    """‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p) along `dim`: ``Tensor.norm`` for p = 1, 2 and ∞, written out
    for any other p > 0 (∂/∂xᵢ = sign(xᵢ)|xᵢ|ᵖ⁻¹ / ‖x‖ₚᵖ⁻¹)."""
    if p in (1, 2, math.inf):
        return x.norm(p, dim=dim, keepdim=keepdim)
    if not 0 < p < math.inf:
        raise NotSupported(
            f"the p-norm with p={p} is not supported: give a p > 0 (or p=inf); for p = 0, "
            "count the nonzero elements yourself, (x != 0).sum(dim)"
        )
    return (abs(x) ** p).sum(dim, keepdim=keepdim) ** (1 / p)


def normalize(
    input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None
) -> Tensor:
    """x / max(‖x‖ₚ, ε) along `dim`: each vector scaled to length 1 (a vector shorter than ε
    divided by ε, its norm then getting no gradient, as clamp_min's)."""
    if out is not None:
        raise NotSupported("normalize(out=...) is not supported: use the returned tensor")
    x = as_tensor(input)
    return x / _p_norm(x, p, dim, True).clamp_min(eps).expand_as(x)


class CosineSimilarity(Module):
    """nn.CosineSimilarity(dim=1, eps=1e-8)."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """nn.PairwiseDistance(p=2.0, eps=1e-6, keepdim=False)."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


def bilinear(input1: Any, input2: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """yₖ = Σᵢⱼ x₁ᵢ Aₖᵢⱼ x₂ⱼ + bₖ for A of shape (out, in1, in2), over any leading dimensions
    of x₁ (…, in1) and x₂ (…, in2): x₁ times A (as an (in1, out·in2) matrix), then each of the
    out rows of in2 numbers dotted with x₂."""
    a, b, w = as_tensor(input1), as_tensor(input2), as_tensor(weight)
    out, in1, in2 = w.shape
    if a.shape[-1] != in1 or b.shape[-1] != in2 or tuple(a.shape[:-1]) != tuple(b.shape[:-1]):
        raise RuntimeError(
            f"bilinear: inputs of shapes {list(a.shape)} and {list(b.shape)} do not fit a "
            f"weight of shape {list(w.shape)}: give (..., {in1}) and (..., {in2}) with the "
            "same leading dimensions"
        )
    lead = tuple(a.shape[:-1])
    first = a.matmul(w.permute(1, 0, 2).reshape(in1, out * in2)).reshape(*lead, out, in2)
    y = (first * b.unsqueeze(-2)).sum(-1)
    if bias is not None:
        return y + bias
    parents = tuple(t for t in (a, b, w) if isinstance(t, Tensor))
    return a._result(list(y._values), y.shape, "ViewBackward0", "bilinear", parents, stored=True)


class Bilinear(Module):
    """nn.Bilinear(in1_features, in2_features, out_features): y = x₁ᵀ A x₂ + b, A and b drawn
    from U(−1/√in1, 1/√in1) (PyTorch's bounds, through ``nn.init.uniform_``)."""

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        made = {"device": device, "dtype": dtype}
        self.weight = Parameter(empty(out_features, in1_features, in2_features, **made))
        if bias:
            self.bias = Parameter(empty(out_features, **made))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """A, then b, from U(−1/√in1, 1/√in1)."""
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Any, input2: Any) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
