"""torch.nn.utils (gradient clipping, parameters as a vector) and the nn.init functions added
with it (dirac_, eye_, orthogonal_, trunc_normal_, sparse_, calculate_gain), against torch."""

import importlib
import math

import pytest

import micrograd
from micrograd.nn import init
from micrograd.nn import utils as U
from pytorch_harness import same_output


def _parameters(lib, grads):
    """Parameters (float64) whose .grad are the given numbers."""
    made = []
    for numbers in grads:
        p = lib.nn.Parameter(lib.zeros(len(numbers), dtype=lib.float64))
        (p * lib.tensor(numbers, dtype=lib.float64)).sum().backward()
        made.append(p)
    return made


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, "inf", 0])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_returns_the_total_norm_and_scales_as_torch(torch, norm_type, max_norm):
    grads = [[3.0, -4.0, 0.5], [1.0, 0.0], [-2.0]]
    ours, theirs = _parameters(micrograd, grads), _parameters(torch, grads)
    total = U.clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert total.item() == pytest.approx(expected.item(), rel=1e-12)
    assert total.dtype is micrograd.float64 and total.grad_fn is None
    for a, b in zip(ours, theirs):
        assert a.grad.tolist() == pytest.approx(b.grad.tolist(), rel=1e-12)


def test_clip_grad_norm_of_nothing_and_of_a_nonfinite_norm_is_torchs(torch):
    assert U.clip_grad_norm_([], 1.0).item() == torch.nn.utils.clip_grad_norm_([], 1.0).item()
    for lib, clip in [(micrograd, U.clip_grad_norm_), (torch, torch.nn.utils.clip_grad_norm_)]:
        (p,) = _parameters(lib, [[math.inf, 1.0]])
        with pytest.raises(RuntimeError, match="non-finite, so it cannot be clipped") as error:
            clip(p, 1.0, error_if_nonfinite=True)
        assert p.grad.tolist() == [math.inf, 1.0]
        assert clip(p, 1.0).item() == math.inf  # without the check: scaled by the inf norm
        assert math.isnan(p.grad.tolist()[0])
    (ours,) = _parameters(micrograd, [[math.inf]])
    with pytest.raises(RuntimeError) as theirs_error:
        torch.nn.utils.clip_grad_norm_(_parameters(torch, [[math.inf]]), 1.0, 2.0, True)
    with pytest.raises(RuntimeError) as ours_error:
        U.clip_grad_norm_(ours, 1.0, 2.0, True)
    assert str(ours_error.value) == str(theirs_error.value)
    assert error


def test_clip_grad_value_clamps_every_element_as_torch(torch):
    grads = [[3.0, -4.0, 0.5], [0.25, -0.75]]
    ours, theirs = _parameters(micrograd, grads), _parameters(torch, grads)
    assert U.clip_grad_value_(ours, 0.6) is None
    torch.nn.utils.clip_grad_value_(theirs, 0.6)
    assert [p.grad.tolist() for p in ours] == [p.grad.tolist() for p in theirs]


def test_get_total_norm_and_clip_grads_with_norm_are_torchs(torch):
    grads = [[3.0, -4.0], [12.0]]
    ours, theirs = _parameters(micrograd, grads), _parameters(torch, grads)
    total = U.get_total_norm([p.grad for p in ours])
    expected = torch.nn.utils.get_total_norm([p.grad for p in theirs])
    assert total.item() == expected.item() == 13.0
    U.clip_grads_with_norm_(ours, 1.0, total)
    torch.nn.utils.clip_grads_with_norm_(theirs, 1.0, expected)
    for a, b in zip(ours, theirs):
        assert a.grad.tolist() == pytest.approx(b.grad.tolist(), rel=1e-12)


def test_parameters_to_vector_and_back_are_torchs(torch):
    results = []
    for lib in (micrograd, torch):
        lib_nn = lib.nn
        layer = lib_nn.Linear(3, 2)
        with lib.no_grad():
            layer.weight.copy_(lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
            layer.bias.copy_(lib.tensor([7.0, 8.0]))
        vector = lib_nn.utils.parameters_to_vector(layer.parameters())
        (vector * vector).sum().backward()
        lib_nn.utils.vector_to_parameters(vector * 10, layer.parameters())
        results.append(
            (
                type(vector.grad_fn).__name__,
                vector.tolist(),
                layer.weight.grad.tolist(),
                layer.weight.tolist(),
                layer.bias.tolist(),
                layer.weight.requires_grad,
            )
        )
    assert results[0] == results[1]
    with pytest.raises(TypeError) as theirs:
        torch.nn.utils.vector_to_parameters([1.0], [])
    with pytest.raises(TypeError) as ours:
        U.vector_to_parameters([1.0], [])
    assert str(ours.value) == str(theirs.value)


def test_what_nn_utils_lacks_is_not_supported():
    with pytest.raises(micrograd.NotSupported, match="nn.utils.parametrize"):
        importlib.import_module("micrograd.nn.utils.parametrize")
    with pytest.raises(micrograd.NotSupported, match="nn.utils.parametrizations"):
        micrograd.nn.utils.parametrizations.weight_norm
    with pytest.raises(micrograd.NotSupported, match="nn.utils.weight_norm"):
        micrograd.nn.utils.weight_norm
    with pytest.raises(micrograd.NotSupported, match="nn.utils.spectral_norm"):
        micrograd.nn.utils.spectral_norm


# the usual training step with clipping (e.g. the PyTorch word-language-model example)
CLIPPED_TRAINING = """
import torch
from torch import nn
net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.5)
X, y = torch.randn(16, 4) * 3, torch.randn(16, 1)
loss_fn = nn.MSELoss()
for step in range(4):
    opt.zero_grad()
    loss = loss_fn(net(X), y * 5)
    loss.backward()
    total = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    clipped = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=100.0)
    print(step, loss.item() > 0, total, clipped)
    opt.step()
torch.nn.utils.clip_grad_value_(net.parameters(), clip_value=0.01)
print(net[0].bias.grad)
vec = torch.nn.utils.parameters_to_vector(net.parameters())
print(vec.shape, vec.grad_fn)
torch.nn.utils.vector_to_parameters(torch.zeros(vec.numel()), net.parameters())
print(net[2].weight, net(X).sum())
"""


def test_a_training_step_with_clip_grad_norm_prints_as_in_torch():
    same_output(CLIPPED_TRAINING, rel=1e-4)


# --- nn.init ------------------------------------------------------------------------------------
NONLINEARITIES = [
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
]  # fmt: skip


def test_calculate_gain_is_torchs_for_every_nonlinearity(torch):
    for name in NONLINEARITIES:
        assert init.calculate_gain(name) == torch.nn.init.calculate_gain(name)
    for slope in (0.2, 0, 1):
        assert init.calculate_gain("leaky_relu", slope) == pytest.approx(
            torch.nn.init.calculate_gain("leaky_relu", slope), rel=1e-15
        )
    for bad in [("foo",), ("leaky_relu", "x"), ("leaky_relu", True)]:
        with pytest.raises(ValueError) as theirs:
            torch.nn.init.calculate_gain(*bad)
        with pytest.raises(ValueError) as ours:
            init.calculate_gain(*bad)
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "shape, groups", [((4, 2, 3), 1), ((6, 2, 3, 3), 2), ((2, 4, 3, 2), 1), ((3, 3, 1, 2, 3), 3)]
)
def test_dirac_is_torchs(torch, shape, groups):
    ours, theirs = micrograd.empty(*shape), torch.empty(*shape)
    assert init.dirac_(ours, groups) is ours
    torch.nn.init.dirac_(theirs, groups)
    assert ours.tolist() == theirs.tolist()


def test_dirac_and_eye_errors_are_torchs(torch):
    for call in ["dirac_(t.empty(3, 3))", "dirac_(t.empty(3, 3, 3), 2)", "eye_(t.empty(3))"]:
        with pytest.raises(ValueError) as theirs:
            eval("init." + call, {"init": torch.nn.init, "t": torch})
        with pytest.raises(ValueError) as ours:
            eval("init." + call, {"init": init, "t": micrograd})
        assert str(ours.value) == str(theirs.value)


def test_eye_is_torchs(torch):
    for shape in [(3, 5), (4, 2), (3, 3)]:
        ours, theirs = micrograd.empty(*shape), torch.empty(*shape)
        init.eye_(ours)
        torch.nn.init.eye_(theirs)
        assert ours.tolist() == theirs.tolist()


def test_orthogonal_makes_orthonormal_rows_or_columns():
    for shape in [(3, 5), (5, 3), (4, 4), (2, 3, 2)]:
        w = micrograd.empty(*shape, dtype=micrograd.float64)
        init.orthogonal_(w, gain=2.0)
        m = w.reshape(shape[0], -1)
        small = m @ m.t() if shape[0] <= m.shape[1] else m.t() @ m
        identity = micrograd.eye(small.shape[0], dtype=micrograd.float64) * 4.0
        assert (small - identity).abs().max().item() < 1e-12


INIT_PROGRAM = """
import torch
from torch import nn
w = torch.empty(3, 5)
nn.init.orthogonal_(w)
print(w)
w = torch.empty(6, 2, 2)
nn.init.orthogonal_(w, gain=nn.init.calculate_gain('tanh'))
print(w)
w = torch.empty(4, 6)
nn.init.sparse_(w, sparsity=0.5)
print(w)
w = torch.empty(8)
nn.init.trunc_normal_(w, mean=0.5, std=0.2, a=0.0, b=1.0)
print(w)
w = torch.empty(2, 3, 3, 3)
nn.init.dirac_(w)
print(w.sum(), w[1, 1])
net = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 2))
def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        nn.init.eye_(m.weight) if m.out_features == m.in_features else None
net.apply(init_weights)
print(net[0].weight, net[2].weight)
"""


def test_init_functions_draw_and_print_as_in_torch():
    same_output(INIT_PROGRAM, rel=1e-5)


def test_trunc_normal_stays_in_its_bounds_with_the_right_spread():
    micrograd.manual_seed(7)
    w = init.trunc_normal_(micrograd.empty(4000, dtype=micrograd.float64), 0.0, 1.0, -1.0, 2.0)
    numbers = w.tolist()
    assert min(numbers) >= -1.0 and max(numbers) <= 2.0
    # the mean of N(0, 1) truncated to [a, b]: (φ(a) − φ(b)) / (Φ(b) − Φ(a))
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2
    expected = (phi(-1.0) - phi(2.0)) / (cdf(2.0) - cdf(-1.0))
    assert sum(numbers) / len(numbers) == pytest.approx(expected, abs=0.05)


def test_sparse_zeros_the_given_share_of_each_column():
    w = init.sparse_(micrograd.empty(10, 4), sparsity=0.25)
    columns = list(zip(*w.tolist()))
    assert all(sum(1 for v in column if v == 0.0) == 3 for column in columns)
