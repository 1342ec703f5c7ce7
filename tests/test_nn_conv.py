"""Convolutions and pooling compared with PyTorch 2.13: values, gradients, grad_fn names,
reprs, errors, and short programs in the style of the tutorials and d2l (LeNet)."""

import time

import pytest

import micrograd
from micrograd import nn
from micrograd.nn import functional as F
from pytorch_harness import same_output


def _pair(torch, *shape):
    """A micrograd tensor that requires grad and torch's copy of it."""
    x = micrograd.randn(*shape, requires_grad=True)
    return x, torch.tensor(x.tolist(), requires_grad=True)


def _close(got, expected, tol=1e-4):
    assert list(got.shape) == list(expected.shape)
    assert got.tolist() == pytest.approx(expected.detach().flatten().tolist(), abs=tol) or (
        _flat(got.tolist()) == pytest.approx(expected.detach().flatten().tolist(), abs=tol)
    )


def _flat(x):
    return [y for item in x for y in _flat(item)] if isinstance(x, list) else [x]


def _same_forward_backward(torch, ours, theirs, operands):
    """ours(*micrograd operands) against theirs(*torch operands): values, grad_fn, gradients
    (of the sum of squares, so that each output element has a gradient of its own)."""
    y, ty = ours(*[m for m, _ in operands]), theirs(*[t for _, t in operands])
    _close(y, ty)
    assert type(y.grad_fn).__name__ == type(ty.grad_fn).__name__ or (
        y.grad_fn.name() == ty.grad_fn.name()
    )
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    for m, t in operands:
        _close(m.grad, t.grad)


CONV2D_OPTIONS = [
    {},
    {"stride": 2, "padding": 1},
    {"padding": "same", "dilation": 2},
    {"padding": "valid"},
    {"stride": (2, 1), "padding": (1, 2), "dilation": (1, 2)},
]


@pytest.mark.parametrize("options", CONV2D_OPTIONS, ids=str)
def test_conv2d_values_and_gradients_match_torch(torch, options):
    x, w, b = _pair(torch, 2, 3, 7, 6), _pair(torch, 4, 3, 3, 2), _pair(torch, 4)
    _same_forward_backward(
        torch,
        lambda *a: F.conv2d(*a, **options),
        lambda *a: torch.nn.functional.conv2d(*a, **options),
        [x, w, b],
    )


def test_grouped_and_unbatched_convolutions_match_torch(torch):
    x, w = _pair(torch, 4, 5, 5), _pair(torch, 6, 2, 3, 3)
    _same_forward_backward(
        torch,
        lambda *a: F.conv2d(*a, groups=2, padding=1),
        lambda *a: torch.nn.functional.conv2d(*a, groups=2, padding=1),
        [x, w],
    )


@pytest.mark.parametrize(
    "options", [{}, {"stride": 2, "padding": 2}, {"padding": "same", "dilation": 2}], ids=str
)
@pytest.mark.parametrize("batched", [True, False])
def test_conv1d_values_and_gradients_match_torch(torch, options, batched):
    x = _pair(torch, 2, 3, 9) if batched else _pair(torch, 3, 9)
    w, b = _pair(torch, 4, 3, 3), _pair(torch, 4)
    _same_forward_backward(
        torch,
        lambda *a: F.conv1d(*a, **options),
        lambda *a: torch.nn.functional.conv1d(*a, **options),
        [x, w, b],
    )


POOLS = [
    ("max_pool2d", (2,), {}),
    ("max_pool2d", (3, 2, 1), {}),
    ("max_pool2d", ((3, 2), (1, 2), (1, 0)), {}),
    ("max_pool2d", (3, 1, 1, 2), {}),
    ("avg_pool2d", (2,), {}),
    ("avg_pool2d", (3, 2, 1), {}),
    ("avg_pool2d", (3, 2, 1), {"count_include_pad": False}),
    ("avg_pool2d", ((3, 2), (1, 2), (1, 0)), {"divisor_override": 3}),
    ("adaptive_avg_pool2d", (1,), {}),
    ("adaptive_avg_pool2d", ((1, 1),), {}),
    ("adaptive_avg_pool2d", ((2, 3),), {}),
    ("adaptive_avg_pool2d", ((3, None),), {}),
    ("adaptive_avg_pool2d", ((4, 4),), {}),
]


@pytest.mark.parametrize("name, args, options", POOLS, ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_pooling_matches_torch(torch, name, args, options, batched):
    x = _pair(torch, 2, 3, 7, 6) if batched else _pair(torch, 3, 7, 6)
    _same_forward_backward(
        torch,
        lambda a: getattr(F, name)(a, *args, **options),
        lambda a: getattr(torch.nn.functional, name)(a, *args, **options),
        [x],
    )


@pytest.mark.parametrize("args", [(2,), (3, 2, 1), (3, 1, 1, 2)], ids=str)
@pytest.mark.parametrize("shape", [(2, 3, 9), (3, 9)], ids=str)
def test_max_pool1d_matches_torch(torch, args, shape):
    _same_forward_backward(
        torch,
        lambda a: F.max_pool1d(a, *args),
        lambda a: torch.nn.functional.max_pool1d(a, *args),
        [_pair(torch, *shape)],
    )


def test_max_pool_gradient_goes_to_the_first_of_equal_elements(torch):
    data = [[[[1.0, 3.0, 3.0, 0.0], [3.0, 2.0, 1.0, 3.0]]]]
    x = micrograd.tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    torch.nn.functional.max_pool2d(t, 2).sum().backward()
    assert x.grad.tolist() == t.grad.tolist()


MODULES = [
    "nn.Conv2d(1, 6, 5, padding=2)",
    "nn.Conv2d(1, 6, (3, 5), stride=2, padding='valid', bias=False, dilation=2)",
    "nn.Conv2d(2, 4, 3, padding='same', groups=2)",
    "nn.Conv1d(3, 4, 3)",
    "nn.Conv1d(3, 4, 3, stride=2, padding=1)",
    "nn.LazyConv2d(6, 5)",
    "nn.LazyConv2d(6, 5, bias=False)",
    "nn.MaxPool2d(2)",
    "nn.MaxPool2d(3, stride=2, padding=1)",
    "nn.MaxPool2d((2, 3))",
    "nn.MaxPool1d(2)",
    "nn.AvgPool2d(2)",
    "nn.AvgPool2d(3, 1, 1, count_include_pad=False)",
    "nn.AdaptiveAvgPool2d((1, 1))",
    "nn.AdaptiveAvgPool2d(1)",
]


@pytest.mark.parametrize("made", MODULES)
def test_module_reprs_are_torchs(torch, made):
    assert repr(eval(made, {"nn": nn})) == repr(eval(made, {"nn": torch.nn}))


ERRORS = [
    "F.conv2d(torch.randn(2, 3), torch.randn(2, 1, 3, 3))",
    "F.conv2d(torch.randn(1, 3, 6, 6), torch.randn(2, 1, 3, 3))",
    "F.conv2d(torch.randn(1, 1, 2, 2), torch.randn(2, 1, 3, 3))",
    "F.conv1d(torch.randn(2, 3, 4, 5), torch.randn(2, 3, 3))",
    "F.conv2d(torch.randn(1, 1, 4, 4), torch.randn(2, 1, 3, 3), padding='foo')",
    "F.conv2d(torch.randn(1, 1, 4, 4), torch.randn(2, 1, 3, 3), bias=torch.randn(3))",
    "nn.Conv2d(3, 4, 3, groups=2)",
    "nn.Conv2d(4, 3, 3, groups=2)",
    "nn.Conv2d(3, 4, 3, stride=2, padding='same')",
    "F.max_pool2d(torch.randn(1, 1, 4, 4), 2, padding=2)",
    "F.max_pool2d(torch.randn(1, 1, 1, 1), 2)",
    "F.max_pool2d(torch.randn(4, 4), 2)",
    "F.avg_pool2d(torch.randn(1, 1, 4, 4), 2, padding=2)",
    "F.max_pool1d(torch.randn(1, 2, 3, 4), 2)",
    "F.adaptive_avg_pool2d(torch.randn(3, 4), 2)",
]


@pytest.mark.parametrize("code", ERRORS)
def test_bad_input_raises_torchs_error(torch, code):
    with pytest.raises(Exception) as theirs:
        eval(code, {"torch": torch, "nn": torch.nn, "F": torch.nn.functional})
    with pytest.raises(Exception) as ours:
        eval(code, {"torch": micrograd, "nn": nn, "F": F})
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_an_unknown_padding_mode_is_a_value_error():
    with pytest.raises(ValueError, match="padding_mode must be one of .*padding_mode='foo'"):
        nn.Conv2d(3, 4, 3, padding_mode="foo")


@pytest.mark.parametrize(
    "code",
    [
        "nn.Conv2d(1, 2, 3, padding_mode='reflect')",
        "nn.MaxPool2d(2, ceil_mode=True)",
        "nn.MaxPool2d(2, return_indices=True)",
        "F.max_pool2d(micrograd.randn(1, 1, 4, 4), 2, ceil_mode=True)",
        "nn.AvgPool2d(2, ceil_mode=True)",
    ],
)
def test_options_micrograd_lacks_are_not_supported(code):
    with pytest.raises(micrograd.NotSupported, match="padding_mode|ceil_mode|return_indices"):
        eval(code, {"micrograd": micrograd, "nn": nn, "F": F})


def test_lazy_conv2d_reads_in_channels_at_the_first_call_and_becomes_a_conv2d(torch):
    ours, theirs = nn.LazyConv2d(6, 5), torch.nn.LazyConv2d(6, 5)
    ours(micrograd.randn(1, 3, 8, 8))
    theirs(torch.randn(1, 3, 8, 8))
    assert repr(ours) == repr(theirs) and type(ours).__name__ == "Conv2d"
    assert ours.weight.shape == theirs.weight.shape and ours.bias.shape == theirs.bias.shape


def test_initialisation_bounds_are_pytorchs():
    """kaiming_uniform with a = √5 gives the weight U(±1/√fan_in), as the bias."""
    conv = nn.Conv2d(3, 8, 3)
    bound = 1 / (3 * 3 * 3) ** 0.5
    numbers = conv.weight.flatten().tolist() + conv.bias.tolist()
    assert all(-bound <= v <= bound for v in numbers)
    assert max(numbers) > 0.8 * bound and min(numbers) < -0.8 * bound


LENET = """
import torch
from torch import nn
net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))
print(net)
X = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape: \\t', X.shape)
"""


@pytest.mark.slow
@pytest.mark.usefixtures("torch")
def test_lenet_layer_shapes_print_as_in_d2l():
    same_output(LENET)


TINY_CNN = """
import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv1d(3, 2, 2)
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = torch.flatten(x, 2)
        x = F.max_pool1d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))

torch.manual_seed(0)
net = Net()
print(net)
x = torch.randn(2, 1, 6, 6)
target = torch.tensor([0, 1])
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
out = net(x)
print(net.conv1(x).grad_fn, net.pool(x).grad_fn)
loss = nn.CrossEntropyLoss()(out, target)
print(f"{loss.item():.4f}")
optimizer.zero_grad()
loss.backward()
print(net.conv1.weight.grad.shape, f"{net.conv1.weight.grad.abs().sum().item():.4f}")
optimizer.step()
print(f"{nn.CrossEntropyLoss()(net(x), target).item():.4f}")
pool = nn.AdaptiveAvgPool2d((1, 1))
print(pool(net.conv1(x)).shape, pool(net.conv1(x)).grad_fn)
"""


@pytest.mark.usefixtures("torch")
def test_a_tiny_cnn_takes_an_sgd_step_as_in_pytorch():
    same_output(TINY_CNN, rel=1e-4)


@pytest.mark.slow
def test_lenet_forward_and_backward_on_a_few_images_is_quick():
    micrograd.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, kernel_size=5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )
    start = time.perf_counter()
    loss = F.cross_entropy(net(micrograd.rand(4, 1, 28, 28)), micrograd.tensor([0, 1, 2, 3]))
    loss.backward()
    assert time.perf_counter() - start < 40
    assert net[0].weight.grad is not None
