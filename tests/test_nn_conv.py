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
    ("adaptive_max_pool2d", (1,), {}),
    ("adaptive_max_pool2d", ((2, 3),), {}),
    ("adaptive_max_pool2d", ((None, 4),), {}),
    ("adaptive_max_pool2d", ((5, 4),), {}),
    ("lp_pool2d", (2, 2), {}),
    ("lp_pool2d", (4.0, (3, 2), 1), {}),
    ("lp_pool2d", (1, 2, (2, 1)), {}),
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


@pytest.mark.parametrize(
    "call",
    [
        lambda F, a: F.avg_pool1d(a, 2),
        lambda F, a: F.avg_pool1d(a, 3, 2, 1),
        lambda F, a: F.avg_pool1d(a, 3, 2, 1, count_include_pad=False),
        lambda F, a: F.adaptive_avg_pool1d(a, 4),
        lambda F, a: F.adaptive_avg_pool1d(a, 1),
        lambda F, a: F.adaptive_avg_pool1d(a, (9,)),
    ],
)
@pytest.mark.parametrize("shape", [(2, 3, 9), (3, 9)], ids=str)
def test_one_dimensional_average_pooling_matches_torch(torch, call, shape):
    _same_forward_backward(
        torch, lambda a: call(F, a), lambda a: call(torch.nn.functional, a), [_pair(torch, *shape)]
    )


@pytest.mark.parametrize("shape", [(1, 2, 5, 7), (2, 5, 7)], ids=str)
def test_adaptive_max_pool_indices_are_torchs(torch, shape):
    ours, theirs = _pair(torch, *shape)
    for size in [3, (2, 4), (5, 7), (None, 2)]:
        got = micrograd.nn.AdaptiveMaxPool2d(size, return_indices=True)(ours)
        expected = torch.nn.AdaptiveMaxPool2d(size, return_indices=True)(theirs)
        assert got[1].tolist() == expected[1].tolist()
        assert got[1].dtype is micrograd.int64
        assert got[0].tolist() == expected[0].tolist()


def test_adaptive_max_pool_of_a_64_channel_input_prints_as_in_torch():
    same_output(
        """
import torch
import torch.nn as nn
m = nn.AdaptiveMaxPool2d((5, 7))
input = torch.randn(1, 64, 8, 9)
output = m(input)
print(m, output.shape)
m = nn.AdaptiveMaxPool2d(7)
input = torch.randn(1, 64, 10, 9)
print(m(input).shape)
m = nn.AdaptiveMaxPool2d((None, 7))
print(m(input).shape)
x = torch.randn(1, 2, 4, 4, requires_grad=True)
y, i = nn.AdaptiveMaxPool2d(2, return_indices=True)(x)
print(y, i)
y.sum().backward()
print(x.grad)
m = nn.AvgPool1d(3, stride=2)
print(m, m(torch.tensor([[[1., 2, 3, 4, 5, 6, 7]]])))
print(nn.AdaptiveAvgPool1d(5)(torch.randn(1, 64, 8)).shape)
print(nn.LPPool2d(2, 3, stride=2), nn.LPPool2d(1.5, (3, 2), stride=(2, 1))(torch.rand(2, 3, 7, 6)).shape)
""",
        rel=1e-5,
    )


def test_pooling_errors_are_torchs(torch):
    for code in [
        "F.adaptive_avg_pool1d(torch.ones(2, 2, 2, 2), 3)",
        "F.avg_pool1d(torch.ones(2, 2, 2, 2), 3)",
        "F.adaptive_max_pool2d(torch.ones(2, 2), 3)",
    ]:
        with pytest.raises(RuntimeError) as theirs:
            eval(code, {"torch": torch, "F": torch.nn.functional})
        with pytest.raises(RuntimeError) as ours:
            eval(code, {"torch": micrograd, "F": F})
        assert str(ours.value) == str(theirs.value)


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
    "nn.AdaptiveMaxPool2d((2, 3))",
    "nn.AdaptiveMaxPool2d(3, return_indices=True)",
    "nn.AdaptiveAvgPool1d(3)",
    "nn.AvgPool1d(3)",
    "nn.AvgPool1d(3, 2, 1)",
    "nn.LPPool2d(2, 2)",
    "nn.LPPool2d(2, (2, 3), stride=1)",
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


TRANSPOSED_OPTIONS = [
    {},
    {"stride": 2},
    {"stride": 2, "padding": 1, "output_padding": 1},
    {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2)},
    {"stride": 3, "output_padding": (2, 1), "groups": 2},
]


@pytest.mark.parametrize("options", TRANSPOSED_OPTIONS, ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_conv_transpose2d_values_and_gradients_match_torch(torch, options, batched):
    def pair64(*shape):  # float64: the gradients' sums reach the thousands
        x = micrograd.randn(*shape, dtype=micrograd.float64, requires_grad=True)
        return x, torch.tensor(x.tolist(), dtype=torch.float64, requires_grad=True)

    x = pair64(2, 4, 3, 4) if batched else pair64(4, 3, 4)
    w = pair64(4, 3, 3, 2)
    b = pair64(3 * options.get("groups", 1))
    _same_forward_backward(
        torch,
        lambda *a: F.conv_transpose2d(*a, **options),
        lambda *a: torch.nn.functional.conv_transpose2d(*a, **options),
        [x, w, b],
    )


def test_conv_transpose2d_module_prints_initialises_and_computes_as_torchs(torch):
    for make in [
        "ConvTranspose2d(16, 33, 3, stride=2)",
        "ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)",
        "ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), bias=False, dilation=2)",
    ]:
        ours, theirs = eval("nn." + make), eval("torch.nn." + make)
        assert repr(ours) == repr(theirs)
        assert [tuple(p.shape) for p in ours.parameters()] == [
            tuple(p.shape) for p in theirs.parameters()
        ]
        fan_in = ours.weight.shape[1] * ours.weight.shape[2] * ours.weight.shape[3]
        assert max(abs(v) for v in ours.weight.reshape(-1).tolist()) <= 1 / fan_in**0.5


def test_conv_transpose2d_errors_are_torchs(torch):
    for code in [
        "nn.ConvTranspose2d(4, 6, 3, stride=1, output_padding=1)(t.randn(1, 4, 5, 5))",
        "F.conv_transpose2d(t.randn(1, 3, 5, 5), t.randn(4, 2, 3, 3))",
        "F.conv_transpose2d(t.randn(5, 5), t.randn(4, 2, 3, 3))",
    ]:
        with pytest.raises(RuntimeError) as theirs:
            eval(code, {"t": torch, "nn": torch.nn, "F": torch.nn.functional})
        with pytest.raises(RuntimeError) as ours:
            eval(code, {"t": micrograd, "nn": nn, "F": F})
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(micrograd.NotSupported, match="output_size"):
        nn.ConvTranspose2d(2, 2, 3)(micrograd.zeros(1, 2, 3, 3), output_size=(5, 5))
    with pytest.raises(micrograd.NotSupported, match="padding='same'"):
        nn.ConvTranspose2d(2, 2, 3, padding="same")


# d2l-ai chapter computer-vision/transposed-conv (PyTorch tab)
TRANSPOSED_CONV = """
import torch
from torch import nn
def trans_conv(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] + h - 1, X.shape[1] + w - 1))
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            Y[i: i + h, j: j + w] += X[i, j] * K
    return Y
X = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
print(trans_conv(X, K))
X, K = X.reshape(1, 1, 2, 2), K.reshape(1, 1, 2, 2)
tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)
tconv.weight.data = K
print(tconv(X))
tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, padding=1, bias=False)
tconv.weight.data = K
print(tconv(X))
tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=2, bias=False)
tconv.weight.data = K
print(tconv(X))
X = torch.rand(size=(1, 10, 16, 16))
conv = nn.Conv2d(10, 20, kernel_size=5, padding=2, stride=3)
tconv = nn.ConvTranspose2d(20, 10, kernel_size=5, padding=2, stride=3)
print(tconv(conv(X)).shape == X.shape)
"""


@pytest.mark.slow
def test_d2l_transposed_convolution_prints_as_in_torch():
    same_output(TRANSPOSED_CONV, rel=1e-5)
