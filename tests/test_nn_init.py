"""nn.init: the distributions' parameters (bounds, std, gains, fans) compared with torch's own,
the sample statistics with the closed forms, and a program using them compared line by line."""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg
from micrograd.core.errors import NotSupported
from micrograd.nn import init
from pytorch_harness import same_output

NONLINEARITIES = ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


@pytest.mark.parametrize("name", NONLINEARITIES)
def test_gains_are_pytorchs(torch, name):
    assert init.calculate_gain(name) == torch.nn.init.calculate_gain(name)
    if name == "leaky_relu":
        for slope in (0, 0.2, 3):
            assert init.calculate_gain(name, slope) == torch.nn.init.calculate_gain(name, slope)


def test_bad_arguments_get_pytorchs_errors(torch):
    cases = [
        lambda nn, t: nn.init.calculate_gain("gelu"),
        lambda nn, t: nn.init.calculate_gain("leaky_relu", True),
        lambda nn, t: nn.init.kaiming_uniform_(t(3, 2), mode="fan_avg"),
        lambda nn, t: nn.init.xavier_normal_(t(3)),
        lambda nn, t: nn.init.eye_(t(2, 2, 2)),
    ]
    for case in cases:
        with pytest.raises(ValueError) as theirs:
            case(torch.nn, torch.empty)
        with pytest.raises(ValueError) as ours:
            case(mg.nn, mg.empty)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(NotSupported, match="generator"):
        init.uniform_(mg.empty(2), generator=object())
    with pytest.raises(NotSupported, match="orthogonal"):
        init.orthogonal  # PyTorch's deprecated name (orthogonal_ is here)


@settings(max_examples=30, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=2, max_size=4))
def test_fans_are_pytorchs(torch, shape):
    ours = init._calculate_fan_in_and_fan_out(mg.empty(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def _bounds_torch_uses(torch, call):
    """The (a, b) or (mean, std) torch's nn.init function passes to Tensor.uniform_/normal_."""
    seen = []
    originals = torch.Tensor.uniform_, torch.Tensor.normal_
    torch.Tensor.uniform_ = lambda self, a=0.0, b=1.0, generator=None: seen.append(("u", a, b))
    torch.Tensor.normal_ = lambda self, m=0.0, s=1.0, generator=None: seen.append(("n", m, s))
    try:
        call(torch)
    finally:
        torch.Tensor.uniform_, torch.Tensor.normal_ = originals
    return seen


CALLS = {
    "xavier_uniform_": lambda lib: lib.nn.init.xavier_uniform_(lib.empty(4, 3, 2), gain=0.5),
    "xavier_normal_": lambda lib: lib.nn.init.xavier_normal_(lib.empty(5, 7)),
    "kaiming_uniform_": lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(6, 3), a=math.sqrt(5)),
    "kaiming_uniform_fan_out": lambda lib: lib.nn.init.kaiming_uniform_(
        lib.empty(6, 3, 2), mode="fan_out", nonlinearity="relu"
    ),
    "kaiming_normal_": lambda lib: lib.nn.init.kaiming_normal_(
        lib.empty(4, 8), nonlinearity="tanh"
    ),
    "uniform_": lambda lib: lib.nn.init.uniform_(lib.empty(3), -2.0, 5.0),
    "normal_": lambda lib: lib.nn.init.normal_(lib.empty(3), 1.0, 0.1),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_each_distribution_has_pytorchs_parameters(torch, name):
    expected = _bounds_torch_uses(torch, CALLS[name])
    seen = []
    originals = mg.Tensor.uniform_, mg.Tensor.normal_
    mg.Tensor.uniform_ = lambda self, a=0.0, b=1.0: seen.append(("u", a, b)) or self
    mg.Tensor.normal_ = lambda self, m=0.0, s=1.0: seen.append(("n", m, s)) or self
    try:
        CALLS[name](mg)
    finally:
        mg.Tensor.uniform_, mg.Tensor.normal_ = originals
    assert len(seen) == len(expected) == 1
    assert seen[0][0] == expected[0][0]
    assert seen[0][1:] == pytest.approx(expected[0][1:], rel=1e-12)


def test_samples_follow_the_closed_forms():
    # xavier_uniform_ on (out, in) = (40, 60): U(−a, a), a = √(6/100); kaiming_normal_ (relu):
    # N(0, 2/fan_in); the sample mean and variance within a few standard errors
    mg.manual_seed(0)
    w = init.xavier_uniform_(mg.empty(40, 60))
    a = math.sqrt(6 / 100)
    numbers = w.reshape(-1).tolist()
    assert max(abs(x) for x in numbers) <= a
    assert sum(x * x for x in numbers) / len(numbers) == pytest.approx(a * a / 3, rel=0.1)
    v = init.kaiming_normal_(mg.empty(50, 80), nonlinearity="relu")
    numbers = v.reshape(-1).tolist()
    assert sum(numbers) / len(numbers) == pytest.approx(0, abs=4 * math.sqrt(2 / 80 / 4000))
    assert sum(x * x for x in numbers) / len(numbers) == pytest.approx(2 / 80, rel=0.1)


def test_init_writes_in_place_under_no_grad_and_returns_the_tensor():
    p = mg.nn.Parameter(mg.ones(2, 3))
    assert init.zeros_(p) is p and p.tolist() == [[0.0] * 3] * 2 and p.is_leaf
    assert init.eye_(p).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert init.constant_(p, 0.25).tolist() == [[0.25] * 3] * 2
    assert init.ones_(p).tolist() == [[1.0] * 3] * 2 and p.requires_grad and p.grad_fn is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        empty = mg.empty(0, 3)
        assert init.kaiming_uniform_(empty) is empty
    assert "zero-element" in str(caught[0].message)


# A tutorial's custom initialisation: apply() with nn.init, then a training step.
INIT_PROGRAM = """
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))

def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.01)

model.apply(init_weights)
print(model[0].weight, model[2].bias)
nn.init.xavier_normal_(model[2].weight, gain=nn.init.calculate_gain("tanh"))
print(model[2].weight)
nn.init.normal_(model[0].bias, mean=0.0, std=0.5)
nn.init.uniform_(model[2].bias, -0.1, 0.1)
print(model[0].bias, model[2].bias)
nn.init.eye_(model[0].weight)
nn.init.xavier_uniform_(model[0].weight)
nn.init.kaiming_normal_(model[2].weight, mode="fan_out")
print(model[0].weight, model[2].weight)
x = torch.randn(5, 4)
loss = model(x).pow(2).mean()
loss.backward()
print(loss, model[0].weight.grad)
"""


@pytest.mark.usefixtures("torch")
def test_a_program_with_nn_init_prints_what_pytorch_prints():
    same_output(INIT_PROGRAM, rel=1e-5)
