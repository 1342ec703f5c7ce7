"""Random functions against torch 2.13: normal (its four forms), bernoulli, randperm, randint's
two-argument form, and the in-place random_, uniform_, normal_, bernoulli_: shapes, dtypes,
ranges, errors, reproducibility, the distributions (moments), and programs run under both with
the harness's shared numbers.
"""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg
from pytorch_harness import same_output


def kind(lib, make):
    """(dtype, shape) of what make(lib) returns, or its error's type and text."""
    try:
        t = make(lib)
    except (RuntimeError, TypeError, ValueError) as error:
        return type(error).__name__, str(error)
    return str(t.dtype), tuple(t.shape)


FORMS = [
    lambda lib: lib.normal(0.0, 1.0, (2, 3)),
    lambda lib: lib.normal(2.0, 0.5, size=(4,)),
    lambda lib: lib.normal(lib.zeros(2, 1), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, dtype=lib.float64)),
    lambda lib: lib.normal(lib.zeros(3), 2.0),
    lambda lib: lib.normal(1.0, lib.ones(2, 2)),
    lambda lib: lib.normal(0.0, 1.0, (2,), dtype=lib.float64),
    lambda lib: lib.normal(0.0, -1.0, (2,)),
    lambda lib: lib.normal(lib.zeros(2), -1.0),
    lambda lib: lib.bernoulli(lib.full((2, 3), 0.5)),
    lambda lib: lib.bernoulli(lib.zeros(2, dtype=lib.float64)),
    lambda lib: lib.bernoulli(lib.zeros(2), p=0.3),
    lambda lib: lib.bernoulli(lib.tensor([1.5])),
    lambda lib: lib.bernoulli(lib.tensor([0.5]), p=1.5),
    lambda lib: lib.randperm(5),
    lambda lib: lib.randperm(0),
    lambda lib: lib.randperm(4, dtype=lib.float32),
    lambda lib: lib.randperm(-1),
    lambda lib: lib.randint(10, (3,)),
    lambda lib: lib.randint(10, size=(2, 2)),
    lambda lib: lib.randint(2, 10, (3,)),
    lambda lib: lib.randint(3, 10, (3,), dtype=lib.float32),
    lambda lib: lib.randint(5, 2, (3,)),
    lambda lib: lib.zeros(3).random_(),
    lambda lib: lib.zeros(3, dtype=lib.int64).random_(4),
    lambda lib: lib.zeros(3).random_(2, 9),
    lambda lib: lib.zeros(3).random_(5, 2),
    lambda lib: lib.zeros(2, 2).bernoulli_(0.25),
    lambda lib: lib.zeros(2, 2).bernoulli_(lib.tensor([0.0, 1.0])),
    lambda lib: lib.zeros(2).bernoulli_(1.5),
    lambda lib: lib.zeros(2, dtype=lib.float64).uniform_(-1, 1),
    lambda lib: lib.zeros(2).normal_(3.0, 0.1),
]


@pytest.mark.parametrize("make", FORMS)
def test_dtypes_shapes_and_errors_match_torch(torch, make):
    assert kind(mg, make) == kind(torch, make)


def test_ranges_and_exact_cases():
    mg.manual_seed(1)
    assert sorted(mg.randperm(50).tolist()) == list(range(50))
    assert set(mg.randint(3, (200,)).tolist()) == {0, 1, 2}
    assert set(mg.randint(-2, 1, (200,)).tolist()) == {-2, -1, 0}
    assert set(mg.zeros(200).random_(2, 5).tolist()) == {2.0, 3.0, 4.0}
    assert set(mg.zeros(200, dtype=mg.bool).random_().tolist()) == {False, True}
    top = mg.zeros(500, dtype=mg.float64).random_()
    assert 0 <= min(top.tolist()) and max(top.tolist()) <= 2**53
    assert mg.bernoulli(mg.tensor([0.0, 1.0, 1.0, 0.0])).tolist() == [0.0, 1.0, 1.0, 0.0]
    assert mg.zeros(3).bernoulli_(mg.tensor([1.0, 0.0, 1.0])).tolist() == [1.0, 0.0, 1.0]
    assert mg.normal(mg.tensor([5.0, -5.0]), 0.0).tolist() == [5.0, -5.0]


@settings(max_examples=20, deadline=None)
@given(st.floats(-3, 3), st.floats(0.5, 2), st.floats(0.1, 0.9), st.integers(0, 2**20))
def test_moments(mean, std, p, seed):
    """Sample means and spreads within 6 standard errors of the distribution's (n = 2000)."""
    mg.manual_seed(seed)
    n = 2000
    for draw in (
        mg.normal(mean, std, (n,)),
        mg.normal(mg.full((n,), mean), mg.full((n,), std)),
        mg.zeros(n).normal_(mean, std),
    ):
        xs = draw.tolist()
        assert abs(statistics.fmean(xs) - mean) < 6 * std / math.sqrt(n)
        assert abs(statistics.stdev(xs) - std) < 6 * std / math.sqrt(2 * n)
    for draw in (mg.bernoulli(mg.full((n,), p)), mg.zeros(n).bernoulli_(p)):
        assert abs(statistics.fmean(draw.tolist()) - p) < 6 * math.sqrt(p * (1 - p) / n)


def test_manual_seed_reproduces_every_function():
    def draws():
        return [
            mg.normal(0.0, 1.0, (3,)).tolist(),
            mg.bernoulli(mg.full((4,), 0.5)).tolist(),
            mg.randperm(6).tolist(),
            mg.randint(9, (3,)).tolist(),
            mg.zeros(3).random_(100).tolist(),
            mg.zeros(3).bernoulli_(0.5).tolist(),
        ]

    mg.manual_seed(7)
    first = draws()
    mg.manual_seed(7)
    assert draws() == first


def test_no_gradient_through_a_sample():
    mean = mg.tensor([0.0, 1.0], requires_grad=True)
    with pytest.raises(mg.NotSupported, match="detach"):
        mg.normal(mean, 1.0)
    assert not mg.normal(mean.detach(), 1.0).requires_grad
    with pytest.raises(mg.NotSupported, match="out="):
        mg.normal(0.0, 1.0, (2,), out=mg.zeros(2))


# Dropout by hand, a shuffled mini-batch, a random initialisation: the harness gives torch
# micrograd's numbers, so every printed line must agree.
RANDOM_PROGRAM = """
import torch
torch.manual_seed(0)
x = torch.normal(0.0, 1.0, size=(3, 4))
mask = torch.bernoulli(torch.full((3, 4), 0.5))
print(x * mask / 0.5)
print(torch.normal(torch.zeros(2, 2), torch.ones(2, 2) * 0.1))
print(torch.normal(torch.arange(3.0), 2.0))
order = torch.randperm(6)
print(order, torch.arange(6.0)[order])
print(torch.randint(10, (2, 3)), torch.randint(5, 8, (4,)))
w = torch.empty(2, 3)
print(w.uniform_(-0.1, 0.1), w.normal_(0, 0.01), w.random_(0, 10), w.bernoulli_(0.3))
print(torch.zeros(4, dtype=torch.int64).random_(3))
"""


def test_random_program(torch):
    same_output(RANDOM_PROGRAM)


DROPOUT_TRAINING = """
import torch
torch.manual_seed(0)
w = torch.randn(4, 2, requires_grad=True)
x = torch.randn(6, 4)
y = torch.randint(0, 2, (6,))
for step in range(3):
    keep = torch.bernoulli(torch.full((6, 4), 0.8))
    logits = (x * keep / 0.8) @ w
    loss = -torch.log_softmax(logits, dim=1)[torch.arange(6), y].mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        w.grad.zero_()
    print(step, loss.item() > 0, logits.argmax(dim=1))
print(w)
"""


def test_dropout_training_program(torch):
    same_output(DROPOUT_TRAINING, rel=1e-5)
