"""The multinomial distribution: the counts of each class in n independent categorical draws,
P(x) = n!/(x₁!…x_K!) · p₁^x₁ … p_K^x_K."""

from __future__ import annotations

from typing import Any

from ..core.modes import no_grad
from ..tensors import int64, ones_like, zeros
from .categorical import Categorical
from .distribution import Distribution, Shape


class Multinomial(Distribution):
    """Multinomial(total_count, probs) (or logits=): samples are float count vectors over the
    last dimension, summing to total_count.  log_prob needs log Γ for the factorials, which
    micrograd does not have: it raises NotSupported."""

    def __init__(
        self,
        total_count: int = 1,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits, validate_args=validate_args)
        batch = self._categorical.batch_shape
        super().__init__(batch, self._categorical.param_shape[-1:])

    @property
    def probs(self) -> Any:
        """The class probabilities (each row sums to 1)."""
        return self._categorical.probs

    @property
    def logits(self) -> Any:
        """Their logarithms."""
        return self._categorical.logits

    @property
    def mean(self) -> Any:
        """n·p."""
        return self.probs * self.total_count

    @property
    def variance(self) -> Any:
        """n·p·(1 − p)."""
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Shape = ()) -> Any:
        """Counts of shape sample_shape + batch_shape + (K,): total_count categorical draws
        counted per class, as PyTorch draws and counts them."""
        with no_grad():
            draws = self._categorical.sample((self.total_count, *sample_shape))
            order = list(range(draws.dim()))
            order.append(order.pop(0))
            draws = draws.permute(*order)
            counts = zeros(*self._extended_shape(sample_shape), dtype=int64)
            counts.scatter_add_(-1, draws, ones_like(draws))
            return counts.to(self.probs.dtype)
