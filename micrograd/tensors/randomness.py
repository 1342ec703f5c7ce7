"""micrograd's random numbers: ``manual_seed`` makes ``rand``, ``randn`` and ``randint`` reproducible.

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
