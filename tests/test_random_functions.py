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


# --- torch.Generator and multinomial ----------------------------------------------------------
GENERATOR_FORMS = [
    lambda lib, g: lib.randn((2, 3), generator=g),
    lambda lib, g: lib.rand(4, generator=g),
    lambda lib, g: lib.randint(0, 5, (3,), generator=g),
    lambda lib, g: lib.randperm(4, generator=g),
    lambda lib, g: lib.normal(0.0, 1.0, (2,), generator=g),
    lambda lib, g: lib.normal(lib.zeros(2), lib.ones(2), generator=g),
    lambda lib, g: lib.bernoulli(lib.full((3,), 0.5), generator=g),
    lambda lib, g: lib.multinomial(lib.tensor([0.2, 0.8]), 3, True, generator=g),
    lambda lib, g: lib.zeros(3).uniform_(-1, 1, generator=g),
    lambda lib, g: lib.zeros(3).normal_(0, 2, generator=g),
    lambda lib, g: lib.zeros(3).random_(0, 5, generator=g),
    lambda lib, g: lib.zeros(3).bernoulli_(0.5, generator=g),
]


@pytest.mark.parametrize("make", GENERATOR_FORMS)
def test_generator_keyword_shapes_and_streams(torch, make):
    """Same dtype and shape as torch's; a Generator's numbers depend on its seed only: not on
    the default stream, which they leave untouched."""
    assert kind(mg, lambda lib: make(lib, lib.Generator())) == kind(
        torch, lambda lib: make(lib, lib.Generator())
    )
    mg.manual_seed(5)
    first = make(mg, mg.Generator().manual_seed(42)).tolist()
    after = mg.rand(2).tolist()
    mg.manual_seed(6)
    again = make(mg, mg.Generator().manual_seed(42)).tolist()
    mg.manual_seed(5)
    assert first == again and mg.rand(2).tolist() == after


def test_generator_api_as_torch(torch):
    for lib in (mg, torch):
        g = lib.Generator()
        assert g.initial_seed() == 67280421310721
        assert g.manual_seed(2147483647) is g and g.initial_seed() == 2147483647
        assert g.manual_seed(-1).initial_seed() == 2**64 - 1
        assert str(g.device) == "cpu"
        with pytest.raises(RuntimeError, match="manual_seed expected a long, but got float"):
            g.manual_seed(1.5)
        new = g.seed()
        assert isinstance(new, int) and g.initial_seed() == new
        state = g.get_state()
        a = lib.rand(3, generator=g)
        g.set_state(state)
        assert lib.equal(a, lib.rand(3, generator=g))
        with pytest.raises(TypeError):
            g.set_state(5)
        with pytest.raises(TypeError):
            lib.randn(2, generator=5)
        assert lib.manual_seed(3) is lib.default_generator and lib.initial_seed() == 3


MULTINOMIAL_FORMS = [
    lambda lib: lib.multinomial(lib.tensor([[0.2, 0.8], [0.5, 0.5]]), 2),
    lambda lib: lib.multinomial(lib.tensor([0.2, 0.8]), 3, replacement=True),
    lambda lib: lib.multinomial(lib.tensor([1.0, 2.0], dtype=lib.float64), 1),
    lambda lib: lib.tensor([[1.0, 1.0, 1.0]]).multinomial(num_samples=2),
    lambda lib: lib.multinomial(lib.tensor([[0.2, 0.8], [0.5, 0.5]]), 3),
    lambda lib: lib.multinomial(lib.tensor([-1.0, 2.0]), 1),
    lambda lib: lib.multinomial(lib.tensor([math.inf, 2.0]), 1),
    lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
    lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    lambda lib: lib.multinomial(lib.ones(2), 0),
    lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
]


@pytest.mark.parametrize("make", MULTINOMIAL_FORMS)
def test_multinomial_dtypes_shapes_and_errors(torch, make):
    assert kind(mg, make) == kind(torch, make)


def test_multinomial_exact_cases_and_frequencies(torch):
    for lib in (mg, torch):  # zero weights are never drawn while a positive one is left
        assert sorted(lib.multinomial(lib.tensor([0.0, 1.0, 1.0]), 2).tolist()) == [1, 2]
        assert lib.multinomial(lib.tensor([0.0, 3.0]), 4, True).tolist() == [1, 1, 1, 1]
        assert sorted(lib.multinomial(lib.tensor([0.0, 1.0, 1.0]), 3).tolist()) == [0, 1, 2]
    g = mg.Generator().manual_seed(0)
    draws = mg.multinomial(mg.tensor([0.1, 0.6, 0.3]), 6000, True, generator=g).tolist()
    for k, p in enumerate([0.1, 0.6, 0.3]):  # within 5 standard deviations
        assert abs(draws.count(k) / 6000 - p) < 5 * math.sqrt(p * (1 - p) / 6000)


MAKEMORE = """
import torch
words = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "ada"]
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
n = len(stoi)
N = torch.zeros((n, n), dtype=torch.int64)
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
print(N[0])
P = (N + 1).float()
P /= P.sum(1, keepdims=True)
print(P[0].sum(), P.shape)
g = torch.Generator().manual_seed(2147483647)
for i in range(5):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))
log_likelihood = 0.0
count = 0
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        logprob = torch.log(P[stoi[ch1], stoi[ch2]])
        log_likelihood += logprob
        count += 1
print(f"{log_likelihood=}")
print(f"{-log_likelihood/count}")
g = torch.Generator().manual_seed(2147483647)
W = torch.randn((n, n), generator=g, requires_grad=True)
xs = torch.tensor([0, 5, 3])
ys = torch.tensor([5, 3, 3])
xenc = torch.nn.functional.one_hot(xs, num_classes=n).float()
logits = xenc @ W
counts = logits.exp()
probs = counts / counts.sum(1, keepdims=True)
loss = -probs[torch.arange(3), ys].log().mean()
print(loss)
loss.backward()
print(W.grad[0, :4])
"""


def test_makemore_bigrams_with_a_generator(torch):
    same_output(MAKEMORE, rel=1e-5)
