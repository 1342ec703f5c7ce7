"""The categorical distribution over classes 0 … K−1: P(X = k) = pₖ, with Σₖ pₖ = 1."""

from __future__ import annotations

from typing import Any

from ..core.modes import no_grad
from ..tensors import tensor
from ..tensors.sampling import multinomial
from ..tensors.shapes import broadcast_shapes
from .bernoulli import EPS
from .distribution import Distribution, Shape, all_of

FLOAT32_MIN = -3.4028234663852886e38


class Categorical(Distribution):
    """Categorical(probs) (each row normalised to sum 1) or Categorical(logits=l) with
    p = softmax(l).  The last dimension holds the classes; the others are the batch."""

    arg_names = ("probs", "logits")

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
            if validate_args is not False:
                self._check("probs", self.probs, _on_simplex, "Simplex()")
            given = self.probs
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = _normalised(logits)
            given = self.logits
        self._num_events = given.shape[-1]
        super().__init__(given.shape[:-1])

    def __getattr__(self, name: str) -> Any:
        if name == "logits":
            return self.__dict__["probs"].clamp(EPS, 1 - EPS).log()
        if name == "probs":
            return self.__dict__["logits"].softmax(-1)
        return super().__getattr__(name)

    @property
    def param_shape(self) -> Any:
        """batch_shape + (K,)."""
        return self.probs.shape

    @property
    def mean(self) -> Any:
        """Undefined for classes: nan, as PyTorch gives."""
        return tensor(float("nan")).expand(*self._extended_shape())

    @property
    def variance(self) -> Any:
        """Undefined for classes: nan, as PyTorch gives."""
        return tensor(float("nan")).expand(*self._extended_shape())

    def sample(self, sample_shape: Shape = ()) -> Any:
        """Class indices (int64) of shape sample_shape + batch_shape, drawn with replacement by
        torch.multinomial, one row of probabilities per batch element."""
        with no_grad():
            n = 1
            for size in sample_shape:
                n *= size
            rows = self.probs.reshape(-1, self._num_events)
            return multinomial(rows, n, True).T.reshape(*self._extended_shape(sample_shape))

    def log_prob(self, value: Any) -> Any:
        """log p_value, read from the logits."""
        top = self._num_events - 1
        self._check_value(
            value,
            lambda v: all_of(v, lambda x: x == int(x) and 0 <= x <= top),
            f"IntegerInterval(lower_bound=0, upper_bound={top})",
        )
        value = value.long().unsqueeze(-1)
        logits = self.logits
        shape = broadcast_shapes(tuple(value.shape), tuple(logits.shape))
        value = value.expand(*shape)[..., :1]
        return logits.expand(*shape).gather(-1, value).squeeze(-1)

    def entropy(self) -> Any:
        """H = −Σₖ pₖ log pₖ."""
        logits = self.logits.clamp(min=FLOAT32_MIN)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Any:
        """The classes 0 … K−1, one per row, expanded over the batch."""
        from ..tensors import arange

        values = arange(self._num_events).reshape(-1, *([1] * len(self._batch_shape)))
        return values.expand(-1, *self._batch_shape) if expand else values


def _normalised(logits: Any) -> Any:
    """l − log Σ exp l, computed from the largest l so that exp never overflows."""
    top = logits.detach().amax(-1, keepdim=True)
    return logits - ((logits - top).exp().sum(-1, keepdim=True).log() + top)


def _on_simplex(p: Any) -> bool:
    rows = p.reshape(-1, p.shape[-1]).tolist()
    return all(all(x >= 0 for x in row) and abs(sum(row) - 1) < 1e-6 for row in rows)
