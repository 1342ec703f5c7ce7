"""The activations of nn/activations.py against torch: values, first and second derivatives,
grad_fn names, reprs; dropout in training and eval mode through a program."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from micrograd.core.errors import NotSupported
from pytorch_harness import same_output

FUNCTIONS = {  # name: a call on the functional module F
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.2),
    "relu6": lambda F, x: F.relu6(x),
    "hardtanh": lambda F, x: F.hardtanh(x, -0.5, 2.0),
    "elu": lambda F, x: F.elu(x, 1.5),
    "silu": lambda F, x: F.silu(x),
    "softplus": lambda F, x: F.softplus(x, 2.0, 5.0),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "softmin": lambda F, x: F.softmin(x, 0),
    "mish": lambda F, x: F.mish(x),
    "threshold": lambda F, x: F.threshold(x, 2.0, -4.0),
    "softsign": lambda F, x: F.softsign(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "celu": lambda F, x: F.celu(x, 0.5),
    "selu": lambda F, x: F.selu(x),
    "prelu": lambda F, x: F.prelu(x, x[:1].detach() * 0 + 0.3),
    "glu": lambda F, x: F.glu(x.unsqueeze(0).expand(2, -1) * 0.5, 0),
}
NO_SECOND_DERIVATIVE = {"hardsigmoid"}  # torch: "derivative for hardsigmoid_backward is not
# implemented" (it is 0: the function is piecewise linear)
# the kinks, the thresholds and ordinary points
POINTS = st.lists(
    st.sampled_from([-3.0, -1.0, -0.5, 0.0, 2.0, 2.5, 3.0, 6.0, 7.0]) | st.floats(-9, 9),
    min_size=1,
    max_size=5,
)


def run(lib, name, numbers):
    """f(x), df/dx of sum(f(x)·w) and its second derivative, in float64, with the name."""
    x = lib.tensor(numbers, dtype=lib.float64, requires_grad=True)
    y = FUNCTIONS[name](lib.nn.functional, x)
    w = lib.tensor([0.5 + i for i in range(len(numbers))], dtype=lib.float64)
    (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=True)
    # a piecewise-linear function's gradient is constant: micrograd's has no graph (README)
    twice = g.requires_grad and name not in NO_SECOND_DERIVATIVE
    (h,) = lib.autograd.grad(g.sum(), x, allow_unused=True) if twice else (None,)
    second = [0.0] * len(numbers) if h is None else h.tolist()
    # at elu's kink and softplus's threshold the second derivative is the smooth side's,
    # PyTorch's 0 (README: a difference at one point)
    edges = {"elu": 0.0, "celu": 0.0, "selu": 0.0, "softplus": 2.5}
    second = [0.0 if v == edges.get(name) else d for v, d in zip(numbers, second)]
    return type(y.grad_fn).__name__, y.reshape(-1).tolist(), g.tolist(), second


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=40, deadline=None)
@given(numbers=POINTS)
def test_an_activation_and_its_derivatives_are_torchs(torch, name, numbers):
    mine, theirs = run(micrograd, name, numbers), run(torch, name, numbers)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1:], theirs[1:]):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_elu_of_a_large_number_has_a_finite_gradient(torch):
    for lib in (micrograd, torch):
        x = lib.tensor([800.0], dtype=lib.float64, requires_grad=True)
        lib.nn.functional.elu(x).sum().backward()
        assert x.grad.tolist() == [1.0]


def test_modules_print_as_torchs(torch):
    for make in [
        lambda nn: nn.LeakyReLU(0.1),
        lambda nn: nn.ReLU6(),
        lambda nn: nn.Hardtanh(-2.0, 2.0),
        lambda nn: nn.ELU(),
        lambda nn: nn.SiLU(),
        lambda nn: nn.Softplus(),
        lambda nn: nn.GELU(approximate="tanh"),
        lambda nn: nn.Softmax(dim=1),
        lambda nn: nn.LogSoftmax(dim=-1),
        lambda nn: nn.Softmin(dim=0),
        lambda nn: nn.Dropout(0.25),
    ]:
        assert repr(make(micrograd.nn)) == repr(make(torch.nn))


def test_what_micrograd_cannot_do_is_refused():
    x = micrograd.ones(2)
    with pytest.raises(NotSupported, match="erf"):
        micrograd.nn.GELU()(x)
    with pytest.raises(NotSupported, match="inplace"):
        micrograd.nn.functional.leaky_relu(x, inplace=True)
    with pytest.raises(ValueError, match="between 0 and 1"):
        micrograd.nn.Dropout(1.5)


def test_gelu_tanh_is_close_to_the_exact_gelu():
    for v in [-3.0, -1.0, 0.0, 0.5, 2.0]:
        exact = 0.5 * v * (1 + math.erf(v / math.sqrt(2)))
        got = micrograd.nn.functional.gelu(micrograd.tensor([v]), approximate="tanh").item()
        assert got == pytest.approx(exact, abs=1e-3)


DROPOUT = """
import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.1), nn.Dropout(0.5), nn.Linear(8, 3),
                    nn.LogSoftmax(dim=1))
print(net)
x = torch.randn(5, 4)
y = torch.tensor([0, 2, 1, 1, 0])
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.nll_loss(net(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))
net.eval()
print(net(x).argmax(1))
print(nn.functional.dropout(torch.ones(6), 0.5, training=False))
probs = nn.Softmax(dim=1)(net(x))
print(probs.sum(1))
"""


def test_a_dropout_net_trains_and_evaluates_as_torchs(torch):
    same_output(DROPOUT, rel=1e-5)


def test_the_new_modules_print_as_torchs(torch):
    for make in [
        lambda nn: nn.PReLU(),
        lambda nn: nn.PReLU(3, 0.1),
        lambda nn: nn.Mish(),
        lambda nn: nn.Threshold(0.1, 20),
        lambda nn: nn.Threshold(0.1, 20.0, inplace=True),
        lambda nn: nn.Softsign(),
        lambda nn: nn.Tanhshrink(),
        lambda nn: nn.Hardsigmoid(),
        lambda nn: nn.Hardswish(),
        lambda nn: nn.LogSigmoid(),
        lambda nn: nn.CELU(),
        lambda nn: nn.CELU(0.5),
        lambda nn: nn.SELU(),
        lambda nn: nn.Softmax2d(),
        lambda nn: nn.GLU(),
        lambda nn: nn.GLU(0),
    ]:
        assert repr(make(micrograd.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("shape, channels", [((2, 3, 4), 3), ((2, 3), 3), ((5,), 1), ((2, 3), 1)])
def test_prelu_values_and_gradients_of_input_and_slopes_match_torch(torch, shape, channels):
    micrograd.manual_seed(2)
    x = micrograd.randn(shape, dtype=micrograd.float64)
    slopes = [0.1 * (i + 1) for i in range(channels)]
    results = []
    for lib in (micrograd, torch):
        xs = lib.tensor(x.tolist(), dtype=lib.float64, requires_grad=True)
        layer = lib.nn.PReLU(channels, 0.25).double()
        with lib.no_grad():
            layer.weight.copy_(lib.tensor(slopes, dtype=lib.float64))
        y = layer(xs)
        (y * y).sum().backward()
        results.append((y.grad_fn.name(), y.reshape(-1).tolist(), xs.grad.reshape(-1).tolist(),
                        layer.weight.grad.tolist()))  # fmt: skip
    (name, *ours), (torch_name, *theirs) = results
    assert name == torch_name
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-12)


def test_activation_errors_are_torchs(torch):
    for code in [
        "F.prelu(torch.ones(2, 4), torch.ones(3))",
        "F.glu(torch.ones(2, 3))",
        "nn.Softmax2d()(torch.ones(2, 2))",
    ]:
        with pytest.raises(Exception) as theirs:
            eval(code, {"torch": torch, "F": torch.nn.functional, "nn": torch.nn})
        with pytest.raises(Exception) as ours:
            eval(code, {"torch": micrograd, "F": micrograd.nn.functional, "nn": micrograd.nn})
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_softmax2d_is_softmax_over_the_channels(torch):
    micrograd.manual_seed(4)
    x = micrograd.randn(2, 3, 2, 2, dtype=micrograd.float64)
    ours = micrograd.nn.Softmax2d()(x)
    theirs = torch.nn.Softmax2d()(torch.tensor(x.tolist(), dtype=torch.float64))
    assert ours.reshape(-1).tolist() == pytest.approx(theirs.reshape(-1).tolist(), rel=1e-12)


ACTIVATION_PRINTOUT = """
import torch
from torch import nn
x = torch.randn(2, 3, 4)
for layer in [nn.PReLU(3), nn.Mish(), nn.Threshold(0.2, -1.0), nn.Hardswish(), nn.SELU(),
              nn.GLU(2), nn.LogSigmoid()]:
    y = layer(x)
    print(layer, y.shape)
    print(y)
net = nn.Sequential(nn.Linear(4, 6), nn.PReLU(), nn.Linear(6, 2), nn.Mish())
print(net)
out = net(x).sum()
out.backward()
print(net[1].weight.grad, net[0].bias.grad)
print(list(net.state_dict().keys()))
"""


def test_a_prelu_mish_threshold_printout_is_torchs(torch):
    same_output(ACTIVATION_PRINTOUT, rel=1e-5)
