"""The normal distribution N(μ, σ²): p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π))."""

from __future__ import annotations

import math
from typing import Any

from ..tensors import empty
from .distribution import Distribution, Shape, all_of, broadcast_all


class Normal(Distribution):
    """N(loc, scale²); rsample is loc + scale · ε with ε ~ N(0, 1), so gradients reach both."""

    arg_names = ("loc", "scale")
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape)
        if validate_args is not False:
            self._check(
                "scale",
                self.scale,
                lambda s: all_of(s, lambda x: x > 0),
                "GreaterThan(lower_bound=0.0)",
            )

    @property
    def mean(self) -> Any:
        """μ."""
        return self.loc

    @property
    def variance(self) -> Any:
        """σ²."""
        return self.scale.pow(2)

    @property
    def stddev(self) -> Any:
        """σ."""
        return self.scale

    def rsample(self, sample_shape: Shape = ()) -> Any:
        """μ + σ·ε, ε drawn from N(0, 1) (PyTorch's ``empty(shape).normal_()``)."""
        eps = empty(*self._extended_shape(sample_shape), dtype=self.loc.dtype).normal_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Any) -> Any:
        """log p(x) = −(x − μ)²/(2σ²) − log σ − log √(2π)."""
        self._check_value(value, lambda v: all_of(v, lambda x: x == x), "Real()")
        var = self.scale**2
        return (
            -((value - self.loc) ** 2) / (2 * var)
            - self.scale.log()
            - math.log(math.sqrt(2 * math.pi))
        )

    def entropy(self) -> Any:
        """H = ½ + ½ log(2π) + log σ."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()
