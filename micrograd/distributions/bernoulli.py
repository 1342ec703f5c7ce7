"""The Bernoulli distribution: X = 1 with probability p, else 0; p(x) = pˣ(1 − p)¹⁻ˣ."""

from __future__ import annotations

from typing import Any

from ..core.modes import no_grad
from ..tensors.sampling import bernoulli
from .distribution import Distribution, Shape, all_of, broadcast_all

EPS = 1.1920928955078125e-07  # float32's machine epsilon: PyTorch clamps probabilities by it


def binary_logits(p: Any) -> Any:
    """log(p/(1 − p)), p clamped to [ε, 1 − ε] so that 0 and 1 stay finite."""
    p = p.clamp(EPS, 1 - EPS)
    return p.log() - (1 - p).log()


class Bernoulli(Distribution):
    """Bernoulli(probs) or Bernoulli(logits=l) with p = σ(l)."""

    arg_names = ("probs", "logits")

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
            if validate_args is not False:
                self._check(
                    "probs",
                    self.probs,
                    lambda p: all_of(p, lambda x: 0 <= x <= 1),
                    "Interval(lower_bound=0.0, upper_bound=1.0)",
                )
            shape = self.probs.shape
        else:
            (self.logits,) = broadcast_all(logits)
            shape = self.logits.shape
        super().__init__(shape)

    def __getattr__(self, name: str) -> Any:
        if name == "logits":
            return binary_logits(self.__dict__["probs"])
        if name == "probs":
            return self.__dict__["logits"].sigmoid()
        return super().__getattr__(name)

    @property
    def mean(self) -> Any:
        """p."""
        return self.probs

    @property
    def variance(self) -> Any:
        """p(1 − p)."""
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Shape = ()) -> Any:
        """0s and 1s of shape sample_shape + batch_shape (PyTorch's torch.bernoulli)."""
        with no_grad():
            return bernoulli(self.probs.expand(*self._extended_shape(sample_shape)))

    def log_prob(self, value: Any) -> Any:
        """x·log σ(l) + (1 − x)·log(1 − σ(l)) = −softplus(−l)·x − softplus(l)·(1 − x)."""
        self._check_value(value, lambda v: all_of(v, lambda x: x in (0, 1)), "Boolean()")
        logits = self.logits
        return -(logits.clamp(min=0) - logits * value + (1 + (-logits.abs()).exp()).log())

    def entropy(self) -> Any:
        """H = −p log p − (1 − p) log(1 − p), from the logits."""
        logits = self.logits
        return logits.clamp(min=0) - logits * self.probs + (1 + (-logits.abs()).exp()).log()
