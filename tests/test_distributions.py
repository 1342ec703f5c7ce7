"""torch.distributions' five teaching distributions, compared with PyTorch 2.13: printed forms,
parameter checks, log_prob, moments and entropy on random parameters, and samples drawn through
the same calls PyTorch makes (the harness shares those random numbers), so d2l's coin tosses and
die rolls print what PyTorch prints.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output

PROGRAM = """
import torch
from torch.distributions import Normal, Categorical, Bernoulli, Uniform, Multinomial
from torch.distributions import multinomial
print(Normal(0., 1.), Normal(torch.zeros(3), 1.), Categorical(torch.tensor([0.2, 0.8])))
print(Bernoulli(0.3), Uniform(0., 2.), Multinomial(10, torch.tensor([0.5, 0.5])))
try:
    Normal(0., -1.)
except ValueError as e:
    print("ValueError:", e)
n = Normal(torch.tensor([0., 1.]), torch.tensor([1., 2.]))
print(n.log_prob(torch.tensor([0.5, 0.5])), n.mean, n.stddev, n.variance, n.entropy())
print(n.batch_shape, n.event_shape, n.sample((3,)).shape)
c = Categorical(logits=torch.tensor([1., 2., 3.]))
print(c.probs, c.logits, c.entropy(), c.log_prob(torch.tensor(1)))
b = Bernoulli(probs=torch.tensor([0.3, 0.9]))
print(b.log_prob(torch.tensor([1., 0.])), b.entropy(), b.mean, b.variance, b.logits)
u = Uniform(0., 2.)
print(u.log_prob(torch.tensor(1.)), u.entropy(), u.mean, u.variance)
fair_probs = torch.ones([6]) / 6
print(multinomial.Multinomial(1, fair_probs).sample())
print(multinomial.Multinomial(10, fair_probs).sample())
counts = multinomial.Multinomial(1000, fair_probs).sample()
print(counts / 1000)
counts = multinomial.Multinomial(10, fair_probs).sample((500,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
print(estimates[-1], counts.shape)
print(Categorical(torch.tensor([[0.1, 0.9], [0.5, 0.5]])).sample((4,)))
mu = torch.tensor(0.5, requires_grad=True)
x = Normal(mu, 1.0).rsample((5,))
x.sum().backward()
print(mu.grad)
print(Bernoulli(torch.tensor([0.2, 0.7])).sample((3,)))
print(Uniform(torch.tensor([0., 1.]), torch.tensor([1., 3.])).sample((2,)))
"""


@pytest.mark.oracle
def test_the_distributions_print_sample_and_score_as_pytorch():
    same_output(PROGRAM)


def _pair(torch, name, *params):
    ours = getattr(micrograd.distributions, name)(*[micrograd.tensor(p) for p in params])
    theirs = getattr(torch.distributions, name)(*[torch.tensor(p) for p in params])
    return ours, theirs


def _close(ours, theirs, rel=1e-5):
    a, b = ours.tolist(), theirs.tolist()
    a, b = (a if isinstance(a, list) else [a]), (b if isinstance(b, list) else [b])
    for x, y in zip(a, b):
        assert (math.isinf(x) and x == y) or x == pytest.approx(y, rel=rel, abs=1e-6)


numbers = st.floats(-3, 3, allow_nan=False)
positive = st.floats(0.1, 3)
probability = st.floats(0.01, 0.99)


@pytest.mark.oracle
@settings(deadline=None)
@given(loc=numbers, scale=positive, x=numbers, low=numbers, width=positive, u=st.floats(0, 0.99))
def test_normal_and_uniform_log_prob_moments_entropy(torch, loc, scale, x, low, width, u):
    for name, params, at in (
        ("Normal", (loc, scale), x),
        ("Uniform", (low, low + width), low + u * width),
    ):
        ours, theirs = _pair(torch, name, *params)
        _close(ours.log_prob(micrograd.tensor(at)), theirs.log_prob(torch.tensor(at)))
        for moment in ("mean", "variance", "stddev"):
            _close(getattr(ours, moment), getattr(theirs, moment))
        _close(ours.entropy(), theirs.entropy())


@pytest.mark.oracle
@settings(deadline=None)
@given(p=st.lists(probability, min_size=2, max_size=5), k=st.integers(0, 4), x=st.booleans())
def test_bernoulli_and_categorical_log_prob_entropy_and_their_gradients(torch, p, k, x):
    k %= len(p)
    ours, theirs = _pair(torch, "Bernoulli", p)
    value = [float(x)] * len(p)
    _close(ours.log_prob(micrograd.tensor(value)), theirs.log_prob(torch.tensor(value)))
    _close(ours.entropy(), theirs.entropy())
    _close(ours.logits, theirs.logits)
    ours_p = micrograd.tensor(p, requires_grad=True)
    theirs_p = torch.tensor(p, requires_grad=True)
    micrograd.distributions.Categorical(ours_p).log_prob(micrograd.tensor(k)).backward()
    torch.distributions.Categorical(theirs_p).log_prob(torch.tensor(k)).backward()
    _close(ours_p.grad, theirs_p.grad, rel=1e-4)
    ours, theirs = _pair(torch, "Categorical", p)
    _close(ours.entropy(), theirs.entropy())
    _close(ours.probs, theirs.probs)


@pytest.mark.oracle
def test_bad_parameters_raise_pytorch_s_errors(torch):
    for lib in (micrograd, torch):
        with pytest.raises(ValueError, match="constraint GreaterThan"):
            lib.distributions.Normal(0.0, -1.0)
        with pytest.raises(ValueError, match="constraint Simplex"):
            lib.distributions.Categorical(lib.tensor([0.2, -0.8]))
        with pytest.raises(ValueError, match="not both"):
            lib.distributions.Bernoulli()
        with pytest.raises(ValueError, match=r"within the support \(Interval"):
            lib.distributions.Uniform(1.0, 2.0).log_prob(lib.tensor(0.0))
        with pytest.raises(ValueError, match="must be a Tensor"):
            lib.distributions.Normal(0.0, 1.0).log_prob(0.5)


def test_what_micrograd_lacks_is_refused_by_name():
    with pytest.raises(micrograd.NotSupported, match="Multinomial.log_prob"):
        micrograd.distributions.Multinomial(3, micrograd.tensor([0.5, 0.5])).log_prob(
            micrograd.tensor([1.0, 2.0])
        )
    with pytest.raises(micrograd.NotSupported, match=r"torch\.distributions\.Beta"):
        micrograd.distributions.Beta
    with pytest.raises(micrograd.NotSupported, match="rsample"):
        micrograd.distributions.Bernoulli(0.5).rsample()
