"""Training loops the demo, the ``train`` command and the lessons share.

* ``fit_classifier``: karpathy's demo loop: an MLP on 2-D points, max-margin (hinge) loss
  plus L2 regularisation, full-batch gradient descent with a decaying learning rate.
* ``fit_line``: linear regression y ≈ w·x + b by gradient descent on Tensors,
  and ``least_squares``, the closed form it should reach.
"""

from __future__ import annotations

import random
import sys
from typing import Any, Callable, Sequence

from ..core.value import Value
from ..core.modes import no_grad
from ..nn import MLP
from ..tensors import tensor


def score(model: MLP, point: Sequence[float]) -> float:
    """The model's output for one point, without recording a graph."""
    with no_grad():
        return model([Value(x, requires_grad=False) for x in point]).data


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
    """The fraction of points whose score has the sign of their ±1 label."""
    return sum((score(model, p) > 0) == (label > 0) for p, label in zip(X, y)) / len(X)


def progress(step: int, total: int, loss: float, acc: float, width: int = 24) -> str:
    """A one-line progress bar, rewritten in place."""
    done = int(width * (step + 1) / total)
    return f"[{'#' * done}{'.' * (width - done)}] step {step + 1:>4}/{total}  loss {loss:.4f}  accuracy {acc:6.1%}"


def fit_classifier(
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    hidden: Sequence[int] = (16, 16),
    steps: int = 100,
    alpha: float = 1e-4,
    seed: int = 1337,
    activation: str = "relu",
    report: Callable[[str], None] | None = None,
) -> tuple[MLP, list[tuple[float, float]]]:
    """Train MLP(2, [*hidden, 1]) on points X with ±1 labels y; returns the model and (loss, accuracy) per step."""
    random.seed(seed)
    model = MLP(len(X[0]), [*hidden, 1], activation=activation)
    inputs = [[Value(x, requires_grad=False) for x in row] for row in X]
    history = []
    for k in range(steps):
        scores = [model(row) for row in inputs]
        losses = [(1 + -label * s).relu() for label, s in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        acc = sum((label > 0) == (s.data > 0) for label, s in zip(y, scores)) / len(y)
        model.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total.data, acc))
        if report is not None:
            report(progress(k, steps, total.data, acc))
    return model, history


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """The (w, b) minimising Σ(w·x + b - y)²: w = cov(x, y)/var(x), b = ȳ - w·x̄."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    w = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return w, my - w * mx


def fit_line(
    xs: Sequence[float],
    ys: Sequence[float],
    epochs: int = 3000,
    learning_rate: float = 0.05,
    scale: float = 0.1,
) -> tuple[float, float, list[float]]:
    """Gradient descent on mean((w·(scale·x) + b - y)²) with Tensors, x scaled by 0.1 as in
    PyTorch's linear-regression examples; returns w and b in the units of x, and the loss per
    epoch."""
    x = tensor([scale * v for v in xs])
    target = tensor(list(ys))
    w = tensor(1.0, requires_grad=True)
    b = tensor(0.0, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - target) ** 2).mean()
        loss.backward()
        with no_grad():
            w -= learning_rate * w.grad
            b -= learning_rate * b.grad
        w.grad.zero_()
        b.grad.zero_()
        losses.append(loss.item())
    return w.item() * scale, b.item(), losses


class Reporter:
    """Prints progress: one updating line on a terminal, every tenth line otherwise."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total, self.count = total, 0
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, line: str) -> None:
        self.count += 1
        if self.tty:
            self.stream.write("\r" + line + ("\n" if self.count == self.total else ""))
            self.stream.flush()
        elif self.count % max(1, self.total // 10) == 0 or self.count == self.total:
            print(line, file=self.stream)
