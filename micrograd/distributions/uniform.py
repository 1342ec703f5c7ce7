"""The uniform distribution on [low, high): p(x) = 1/(high − low) there, 0 elsewhere."""

from __future__ import annotations

from typing import Any

from ..tensors import rand
from .distribution import Distribution, Shape, all_of, broadcast_all


class Uniform(Distribution):
    """U(low, high); rsample is low + u · (high − low) with u ~ U(0, 1)."""

    arg_names = ("low", "high")
    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape)
        if validate_args is not False:
            width = (self.high - self.low).detach()
            self._check(
                "low",
                self.low,
                lambda _: all_of(width, lambda x: x > 0),
                "LessThan(upper_bound=high)",
            )

    @property
    def mean(self) -> Any:
        """(low + high)/2."""
        return (self.high + self.low) / 2

    @property
    def variance(self) -> Any:
        """(high − low)²/12."""
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape: Shape = ()) -> Any:
        """low + u·(high − low), u from torch.rand."""
        u = rand(*self._extended_shape(sample_shape), dtype=self.low.dtype)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Any) -> Any:
        """log 1[low ≤ x < high] − log(high − low)."""
        self._check_value(value, self._inside, self._support())
        inside = (self.low <= value).to(self.low.dtype) * (self.high > value).to(self.low.dtype)
        return inside.log() - (self.high - self.low).log()

    def _inside(self, value: Any) -> bool:
        return bool(((self.low <= value) & (self.high > value)).all())

    def _support(self) -> str:
        low, high = (t.item() if t.numel() == 1 else t for t in (self.low, self.high))
        return f"Interval(lower_bound={low}, upper_bound={high})"

    def entropy(self) -> Any:
        """H = log(high − low)."""
        return (self.high - self.low).log()
