"""What every distribution shares (PyTorch's ``torch.distributions.Distribution``): shapes,
``sample`` as ``rsample`` without a graph, parameter checks, and the printed form.

Shapes: a distribution of ``batch_shape`` independent draws, each an event of ``event_shape``
(a Normal of loc shaped (3,): batch (3,), event (); a Multinomial over 4 classes: event (4,)).
``sample(sample_shape)`` returns ``sample_shape + batch_shape + event_shape``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.errors import NotSupported
from ..core.modes import no_grad
from ..tensors import Size, as_tensor, float32, is_tensor, tensor
from ..tensors.shapes import broadcast_shapes

Shape = Sequence[int]


def broadcast_all(*values: Any) -> list[Any]:
    """The parameters as tensors of one shape: numbers become float32 tensors, tensors are
    expanded to their broadcast shape (PyTorch's ``broadcast_all``)."""
    as_tensors = [v if is_tensor(v) else tensor(float(v), dtype=float32) for v in values]
    shape: tuple = ()
    for t in as_tensors:
        shape = broadcast_shapes(shape, tuple(t.shape))
    return [t.expand(*shape) if tuple(t.shape) != shape else t for t in as_tensors]


class Distribution:
    """A probability distribution: ``sample``, ``rsample`` (where it has a reparametrization),
    ``log_prob``, ``mean``, ``variance``, ``stddev``, ``entropy``."""

    arg_names: tuple[str, ...] = ()  # the parameters the printed form shows, in order
    has_rsample = False

    def __init__(self, batch_shape: Shape = (), event_shape: Shape = ()) -> None:
        self._batch_shape, self._event_shape = Size(batch_shape), Size(event_shape)

    @property
    def batch_shape(self) -> Size:
        """The shape of the independent draws one sample holds."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of one draw (() for a number, (k,) for counts over k classes)."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Shape = ()) -> Size:
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    def sample(self, sample_shape: Shape = ()) -> Any:
        """Draws of shape sample_shape + batch_shape + event_shape, outside the graph."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Shape = ()) -> Any:
        """Draws through which gradients flow to the parameters (the reparametrization trick)."""
        raise NotSupported(f"{type(self).__name__} has no rsample (it cannot be reparametrized)")

    def sample_n(self, n: int) -> Any:
        """n draws (PyTorch's older spelling of sample((n,)))."""
        return self.sample((n,))

    def log_prob(self, value: Any) -> Any:
        """log p(value)."""
        raise NotSupported(f"{type(self).__name__}.log_prob is not supported by micrograd")

    def entropy(self) -> Any:
        """H = −E[log p(X)]."""
        raise NotSupported(f"{type(self).__name__}.entropy is not supported by micrograd")

    @property
    def stddev(self) -> Any:
        """√variance."""
        return self.variance.sqrt()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupported(
            f"{type(self).__name__}.{name} is not supported by micrograd (PyTorch's "
            f"torch.distributions.{type(self).__name__}.{name})"
        )

    def __repr__(self) -> str:
        shown = []
        for name in self.arg_names:
            if name in self.__dict__:
                t = self.__dict__[name]
                shown.append(f"{name}: {t.item() if t.numel() == 1 else t.size()}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def _check(self, name: str, value: Any, holds: Callable[[Any], bool], constraint: str) -> None:
        """PyTorch's argument check: a parameter outside its support raises ValueError."""
        if not holds(value):
            shape = tuple(value.shape)
            raise ValueError(
                f"Expected parameter {name} (Tensor of shape {shape}) of distribution {self!r} "
                f"to satisfy the constraint {constraint}, but found invalid values:\n"
                f"{value.item() if value.numel() == 1 else value}"
            )

    def _check_value(self, value: Any, holds: Callable[[Any], bool], support: str) -> Any:
        """PyTorch's check of log_prob's argument: a tensor, inside the support."""
        if not is_tensor(value):
            raise ValueError("The value argument to log_prob must be a Tensor")
        if not holds(value):
            raise ValueError(
                f"Expected value argument (Tensor of shape {tuple(value.shape)}) to be within the "
                f"support ({support}) of the distribution {self!r}, but found invalid values:\n"
                f"{value.item() if value.numel() == 1 else value}"
            )
        return value


def all_of(t: Any, test: Callable[[float], bool]) -> bool:
    """True if every element of t passes test."""
    return all(test(x) for x in as_tensor(t).flatten().tolist())
