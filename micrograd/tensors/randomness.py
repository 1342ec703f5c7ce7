"""micrograd's random numbers: ``manual_seed`` makes ``rand``, ``randn``, ``randint``, ``normal``,
``bernoulli``, ``randperm`` and the in-place ``uniform_``, ``normal_``, ``random_``,
``bernoulli_`` reproducible.

They come from Python's ``random`` module, not PyTorch's generator: the same seed gives other
numbers than in PyTorch.
"""

from __future__ import annotations

import random

generator = random.Random()


def manual_seed(seed: int) -> random.Random:
    """Make rand, randn and randint reproducible (micrograd's own generator, not PyTorch's)."""
    generator.seed(seed)
    return generator


def bernoulli_numbers(probabilities: list[float], from_tensor: bool = False) -> list[float]:
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
    return [1.0 if generator.random() < p else 0.0 for p in probabilities]
