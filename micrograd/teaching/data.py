"""Small data sets made locally from a seed (no downloads): inputs X (lists of floats) and labels y.

``signed=True`` gives labels -1/+1 (for the hinge loss), ``signed=False`` gives 0/1.
``moons`` follows scikit-learn's make_moons.
"""

from __future__ import annotations

import math
import random


def _labels(y: list[int], signed: bool) -> list[int]:
    return [2 * label - 1 for label in y] if signed else y


def _shuffled(X: list, y: list, rng: random.Random) -> tuple[list, list]:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def linear(
    n: int = 11, w: float = 0.5, b: float = 30.0, noise: float = 1.0, seed: int = 2024
) -> tuple[list[float], list[float]]:
    """The linear-regression example's data: x integers in [-5, 30), y = w·x + b + noise·N(0, 1)."""
    rng = random.Random(seed)
    xs = [float(rng.randrange(-5, 30)) for _ in range(n)]
    return xs, [w * x + b + noise * rng.gauss(0, 1) for x in xs]


def moons(
    n: int = 100, noise: float = 0.1, seed: int = 1337, signed: bool = True
) -> tuple[list, list]:
    """Two interleaving half circles."""
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    X = [
        [math.cos(math.pi * i / max(outer - 1, 1)), math.sin(math.pi * i / max(outer - 1, 1))]
        for i in range(outer)
    ]
    X += [
        [
            1 - math.cos(math.pi * i / max(inner - 1, 1)),
            0.5 - math.sin(math.pi * i / max(inner - 1, 1)),
        ]
        for i in range(inner)
    ]
    X = [[a + noise * rng.gauss(0, 1), c + noise * rng.gauss(0, 1)] for a, c in X]
    X, y = _shuffled(X, [0] * outer + [1] * inner, rng)
    return X, _labels(y, signed)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 1337, signed: bool = True
) -> tuple[list, list]:
    """A circle inside a larger one."""
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    X = [
        [math.cos(2 * math.pi * i / outer), math.sin(2 * math.pi * i / outer)] for i in range(outer)
    ]
    X += [
        [factor * math.cos(2 * math.pi * i / inner), factor * math.sin(2 * math.pi * i / inner)]
        for i in range(inner)
    ]
    X = [[a + noise * rng.gauss(0, 1), c + noise * rng.gauss(0, 1)] for a, c in X]
    X, y = _shuffled(X, [0] * outer + [1] * inner, rng)
    return X, _labels(y, signed)


def spiral(
    n: int = 100, noise: float = 0.1, turns: float = 1.5, seed: int = 1337, signed: bool = True
) -> tuple[list, list]:
    """Two interleaved spiral arms."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        arm = i % 2
        r = (i // 2 + 1) / (n // 2 + 1)
        angle = 2 * math.pi * turns * r + math.pi * arm
        X.append(
            [
                r * math.cos(angle) + noise * r * rng.gauss(0, 1),
                r * math.sin(angle) + noise * r * rng.gauss(0, 1),
            ]
        )
        y.append(arm)
    X, y = _shuffled(X, y, rng)
    return X, _labels(y, signed)


def xor(
    n: int = 100, noise: float = 0.1, seed: int = 1337, signed: bool = True
) -> tuple[list, list]:
    """Points around the four corners of a square; label 1 where exactly one coordinate is positive."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        a, c = (1.0 if i % 2 else -1.0), (1.0 if (i // 2) % 2 else -1.0)
        X.append([a + noise * rng.gauss(0, 1), c + noise * rng.gauss(0, 1)])
        y.append(int((a > 0) != (c > 0)))
    X, y = _shuffled(X, y, rng)
    return X, _labels(y, signed)


def blobs(
    n: int = 100, centers: int = 2, spread: float = 0.5, seed: int = 1337, signed: bool = True
) -> tuple[list, list]:
    """Gaussian clusters around centers on the unit circle scaled by 2 (labels: cluster index; with
    two centers, -1/+1 or 0/1)."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        k = i % centers
        cx, cy = 2 * math.cos(2 * math.pi * k / centers), 2 * math.sin(2 * math.pi * k / centers)
        X.append([cx + spread * rng.gauss(0, 1), cy + spread * rng.gauss(0, 1)])
        y.append(k)
    X, y = _shuffled(X, y, rng)
    return X, (_labels(y, signed) if centers == 2 else y)


DATASETS = {"moons": moons, "circles": circles, "spiral": spiral, "xor": xor, "blobs": blobs}
