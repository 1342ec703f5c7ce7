"""micrograd's random numbers: ``manual_seed`` makes ``rand``, ``randn``, ``randint``, ``normal``,
``bernoulli``, ``randperm`` and the in-place ``uniform_``, ``normal_``, ``random_``,
``bernoulli_`` reproducible.

They come from Python's ``random`` module, not PyTorch's generator: the same seed gives other
numbers than in PyTorch.
"""

from __future__ import annotations

import random
from typing import Any

from ..core.errors import NotSupported
from .devices import CPU, device

generator = random.Random()
DEFAULT_SEED = 67280421310721  # PyTorch's initial seed of a new Generator


class GeneratorState:
    """What ``Generator.get_state()`` returns and ``set_state`` takes: the state of micrograd's
    stream (PyTorch's is a ByteTensor of its Mersenne Twister's words)."""

    def __init__(self, state: Any, seed: int) -> None:
        self._state, self._seed = state, seed

    def __repr__(self) -> str:
        return f"<micrograd GeneratorState, seed {self._seed}>"


class Generator:
    """``torch.Generator()``: a stream of random numbers of its own, for the ``generator=``
    keyword of rand, randn, randint, randperm, multinomial, normal, bernoulli and the
    in-place fills.  ``Generator().manual_seed(s)`` returns the generator, as PyTorch's does,
    so ``g = torch.Generator().manual_seed(2147483647)`` works; the numbers are micrograd's."""

    def __init__(self, device: Any = "cpu", *, stream: random.Random | None = None) -> None:
        if str(device) != "cpu":
            raise NotSupported(f"torch.Generator(device={device!r}): micrograd has the CPU only")
        self._stream = stream or random.Random(DEFAULT_SEED)
        self._seed = DEFAULT_SEED

    @property
    def device(self) -> device:
        """Always the CPU."""
        return CPU

    def manual_seed(self, seed: Any) -> Generator:
        """Restart the stream from `seed` (an int; negative ones wrap as PyTorch's uint64)."""
        if isinstance(seed, bool) or not isinstance(seed, int):
            seed_type = "float" if isinstance(seed, float) else type(seed).__name__
            raise RuntimeError(f"manual_seed expected a long, but got {seed_type}")
        self._seed = seed % 2**64
        self._stream.seed(self._seed)
        return self

    def seed(self) -> int:
        """Restart the stream from a new seed taken from the operating system; return it."""
        new = random.SystemRandom().getrandbits(63)
        self.manual_seed(new)
        return new

    def initial_seed(self) -> int:
        """The seed the stream last started from."""
        return self._seed

    def get_state(self) -> GeneratorState:
        """The stream's state, for ``set_state`` to go back to."""
        return GeneratorState(self._stream.getstate(), self._seed)

    def set_state(self, new_state: GeneratorState) -> Generator:
        """Go back to a state from ``get_state``."""
        if not isinstance(new_state, GeneratorState):
            raise TypeError(
                f"expected a state from Generator.get_state(), but got {type(new_state).__name__}"
            )
        self._stream.setstate(new_state._state)
        self._seed = new_state._seed
        return self


default_generator = Generator(stream=generator)
"""``torch.default_generator``: the stream every random function draws from by default."""


def stream(chosen: Any = None) -> random.Random:
    """The numbers a random function draws: those of the ``generator=`` it was given, else
    micrograd's default stream; PyTorch's TypeError for anything else."""
    if chosen is None:
        return generator
    if not isinstance(chosen, Generator):
        raise TypeError(
            f"expected a torch.Generator for 'generator', but got {type(chosen).__name__}"
        )
    return chosen._stream


def manual_seed(seed: int) -> Generator:
    """Make every random function reproducible (micrograd's own generator, not PyTorch's);
    returns ``torch.default_generator``, as PyTorch does."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def seed() -> int:
    """Seed the default generator from the operating system; return the seed."""
    return default_generator.seed()


def bernoulli_numbers(
    probabilities: list[float], from_tensor: bool = False, source: random.Random = generator
) -> list[float]:
    """1 with probability p, else 0, for each p (all checked before anything is drawn, with
    PyTorch's message for a number p, or for a tensor of them)."""
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            if from_tensor:
                raise RuntimeError(
                    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this "
                    "error message be improved?  If so, please report an enhancement request "
                    "to PyTorch.)"
                )
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    return [1.0 if source.random() < p else 0.0 for p in probabilities]
