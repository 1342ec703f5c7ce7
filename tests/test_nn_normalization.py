"""BatchNorm1d, BatchNorm2d, LayerNorm, F.batch_norm and F.layer_norm against torch: values,
first and second derivatives, running statistics, buffers, state_dict keys, grad_fn names,
reprs and errors; short programs compared line by line; channel dropout (Dropout1d/2d)."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output


def numbers(shape, seed):
    """Deterministic, varied inputs of `shape` (nested lists), the same for both libraries."""
    micrograd.manual_seed(seed)
    return micrograd.randn(*shape).tolist()


def close(a, b, rel=1e-9):
    assert a == pytest.approx(b, rel=rel, abs=rel)


def flat(x):
    return [y for item in x for y in flat(item)] if isinstance(x, list) else [x]


def batch_norm_run(lib, shape, steps=2, **options):
    """Train-mode outputs and input gradients for `steps` batches, then the buffers and the
    eval-mode output, in float64."""
    kinds = {2: lib.nn.BatchNorm1d, 3: lib.nn.BatchNorm1d, 4: lib.nn.BatchNorm2d}
    kind = {**kinds, 5: lib.nn.BatchNorm3d}[len(shape)]
    bn = kind(shape[1], **options).double()
    seen = []
    for step in range(steps):
        x = lib.tensor(numbers(shape, step), dtype=lib.float64, requires_grad=True)
        y = bn(x)
        weights = lib.arange(float(x.numel()), dtype=lib.float64).reshape(shape) / 7
        (y * weights).sum().backward()
        seen += [flat(y.tolist()), flat(x.grad.tolist())]
        if bn.weight is not None:
            seen += [bn.weight.grad.tolist(), bn.bias.grad.tolist()]
            bn.zero_grad()
    buffers = {k: v.tolist() for k, v in bn.named_buffers()}
    bn.eval()
    seen.append(flat(bn(lib.tensor(numbers(shape, 9), dtype=lib.float64)).tolist()))
    return seen, buffers


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2), (2, 3, 2, 2), (2, 3, 2, 1, 2)])
@pytest.mark.parametrize(
    "options",
    [{}, {"momentum": None}, {"affine": False}, {"momentum": 0.3, "eps": 1e-3}],
    ids=["default", "cumulative", "no-affine", "momentum"],
)
def test_batch_norm_trains_and_evaluates_as_torchs(torch, shape, options):
    mine, my_buffers = batch_norm_run(micrograd, shape, **options)
    theirs, their_buffers = batch_norm_run(torch, shape, **options)
    for a, b in zip(mine, theirs):
        close(a, b)
    assert my_buffers.keys() == their_buffers.keys()
    for name in my_buffers:
        close(my_buffers[name], their_buffers[name])


def test_batch_norm_without_running_stats_uses_the_batch_in_eval_too(torch):
    mine, my_buffers = batch_norm_run(micrograd, (4, 3), track_running_stats=False)
    theirs, their_buffers = batch_norm_run(torch, (4, 3), track_running_stats=False)
    for a, b in zip(mine, theirs):
        close(a, b)
    assert my_buffers == their_buffers == {}


def test_batch_norm_buffers_state_dict_and_repr_are_torchs(torch):
    for options in [{}, {"affine": False}, {"track_running_stats": False, "momentum": None}]:
        made = [lib.nn.BatchNorm1d(4, **options) for lib in (micrograd, torch)]
        assert repr(made[0]) == repr(made[1])
        assert list(made[0].state_dict()) == list(made[1].state_dict())
        assert [n for n, _ in made[0].named_parameters()] == [
            n for n, _ in made[1].named_parameters()
        ]
    assert repr(micrograd.nn.BatchNorm2d(3, bias=False)) == repr(
        torch.nn.BatchNorm2d(3, bias=False)
    )
    counts = [lib.nn.BatchNorm1d(4).num_batches_tracked for lib in (micrograd, torch)]
    assert str(counts[0].dtype) == str(counts[1].dtype) == "torch.int64"
    assert repr(counts[0]) == repr(counts[1])


def test_batch_norm_grad_fn_names_are_torchs(torch):
    for lib in (micrograd, torch):
        bn = lib.nn.BatchNorm1d(3)
        x = lib.ones(2, 3) + lib.arange(6.0).reshape(2, 3)
        assert type(bn(x.requires_grad_()).grad_fn).__name__ == "NativeBatchNormBackward0"
        bn.eval()
        assert type(bn(x).grad_fn).__name__ == "NativeBatchNormBackward0"
        assert lib.nn.BatchNorm1d(3, affine=False).eval()(x.detach()).grad_fn is None


def test_the_graph_below_a_normalization_is_torchs(torch):
    def names(lib):
        x = lib.ones(4, 3, requires_grad=True) * 2
        nodes = [lib.nn.BatchNorm1d(3)(x).grad_fn, lib.nn.LayerNorm(3)(x).grad_fn]
        return [[type(f).__name__ for f, _ in node.next_functions] for node in nodes]

    assert names(micrograd) == names(torch)


ERRORS = [
    (lambda lib: lib.nn.BatchNorm1d(3)(lib.zeros(1, 3)), ValueError),
    (lambda lib: lib.nn.BatchNorm2d(3)(lib.zeros(1, 3, 1, 1)), ValueError),
    (lambda lib: lib.nn.BatchNorm1d(3)(lib.zeros(1, 3, 1)), ValueError),
    (lambda lib: lib.nn.BatchNorm1d(3)(lib.zeros(2, 3, 4, 5)), ValueError),
    (lambda lib: lib.nn.BatchNorm2d(3)(lib.zeros(2, 3, 4)), ValueError),
    (lambda lib: lib.nn.BatchNorm3d(3)(lib.zeros(2, 3, 4, 4)), ValueError),
    (lambda lib: lib.nn.BatchNorm1d(3)(lib.zeros(2, 4)), RuntimeError),
    (lambda lib: lib.nn.LayerNorm(4)(lib.zeros(2, 3)), RuntimeError),
    (lambda lib: lib.nn.LayerNorm([3, 4])(lib.zeros(3, 2, 4)), RuntimeError),
    (lambda lib: lib.nn.functional.batch_norm(lib.zeros(2, 3), None, None, eps=-1.0), ValueError),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_bad_input_gets_torchs_error(torch, index):
    make, kind = ERRORS[index]
    with pytest.raises(kind) as theirs:
        make(torch)
    with pytest.raises(kind) as mine:
        make(micrograd)
    assert str(mine.value) == str(theirs.value)


def test_one_value_per_channel_is_allowed_in_eval_mode(torch):
    for lib in (micrograd, torch):
        bn = lib.nn.BatchNorm1d(3).eval()
        assert bn(lib.ones(1, 3))[0].tolist() == pytest.approx([1 / (1 + 1e-5) ** 0.5] * 3)


def test_functional_batch_norm_with_every_argument(torch):
    def run(lib):
        x = lib.tensor(numbers((4, 3, 2), 3), dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.5, 2.0, -1.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([0.1, 0.2, 0.3], dtype=lib.float64, requires_grad=True)
        mean = lib.tensor([0.1, -0.2, 0.3], dtype=lib.float64)
        var = lib.tensor([1.5, 0.5, 2.0], dtype=lib.float64)
        F = lib.nn.functional
        y = F.batch_norm(x, mean, var, w, b, training=True, momentum=0.25, eps=1e-4)
        z = F.batch_norm(x, mean, var, w, b, training=False)
        (y.square().sum() + (z * z * z).sum()).backward()
        return [flat(y.tolist()), flat(z.tolist()), mean.tolist(), var.tolist()] + [
            flat(t.grad.tolist()) for t in (x, w, b)
        ]

    for a, b in zip(run(micrograd), run(torch)):
        close(a, b)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 1000))
def test_second_derivatives_of_batch_and_layer_norm_are_torchs(torch, seed):
    def run(lib, which):
        x = lib.tensor(numbers((3, 2), seed), dtype=lib.float64, requires_grad=True)
        F = lib.nn.functional
        y = F.batch_norm(x, None, None, training=True) if which else F.layer_norm(x, (2,))
        (g,) = lib.autograd.grad((y * y * y).sum(), x, create_graph=True)
        (h,) = lib.autograd.grad((g * g).sum(), x)
        return flat(g.tolist()) + flat(h.tolist())

    for which in (True, False):
        close(run(micrograd, which), run(torch, which), rel=1e-7)


def layer_norm_run(lib, shape, normalized, **options):
    x = lib.tensor(numbers(shape, 5), dtype=lib.float64, requires_grad=True)
    ln = lib.nn.LayerNorm(normalized, **options).double()
    if ln.weight is not None:
        with lib.no_grad():
            ln.weight.copy_(lib.arange(1.0, ln.weight.numel() + 1).reshape(ln.weight.shape) / 3)
    y = ln(x)
    (y * lib.arange(float(x.numel()), dtype=lib.float64).reshape(shape)).sum().backward()
    out = [flat(y.tolist()), flat(x.grad.tolist()), type(y.grad_fn).__name__, repr(ln)]
    return out + [flat(p.grad.tolist()) for p in ln.parameters()]


@pytest.mark.parametrize(
    "shape, normalized, options",
    [
        ((2, 3, 4), 4, {}),
        ((2, 3, 4), [3, 4], {}),
        ((5,), (5,), {"eps": 1e-3}),
        ((2, 3), 3, {"elementwise_affine": False}),
        ((2, 3), 3, {"bias": False}),
    ],
)
def test_layer_norm_is_torchs(torch, shape, normalized, options):
    theirs = layer_norm_run(torch, shape, normalized, **options)
    mine = layer_norm_run(micrograd, shape, normalized, **options)
    assert mine[2:4] == theirs[2:4]
    assert len(mine) == len(theirs)
    for a, b in zip(mine[:2] + mine[4:], theirs[:2] + theirs[4:]):
        close(a, b)


def test_layer_norm_state_dict_keys_are_torchs(torch):
    for options in [{}, {"bias": False}, {"elementwise_affine": False}]:
        made = [lib.nn.LayerNorm([2, 3], **options) for lib in (micrograd, torch)]
        assert list(made[0].state_dict()) == list(made[1].state_dict())
        assert [tuple(v.shape) for v in made[0].state_dict().values()] == [
            tuple(v.shape) for v in made[1].state_dict().values()
        ]


# --- programs ---------------------------------------------------------------------------------
# an MLP with batch normalization, as in d2l's batch-norm chapter (concise implementation)
BATCH_NORM_MLP = """
import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 2))
print(net)
X, y = torch.randn(8, 4), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
for step in range(3):
    optimizer.zero_grad()
    loss = loss_fn(net(X), y)
    loss.backward()
    optimizer.step()
    print(step, loss)
net.eval()
with torch.no_grad():
    print(net(X[:3]))
print(net[1].running_mean)
print(net[1].running_var)
print(net[1].num_batches_tracked)
print(list(net.state_dict().keys()))
"""


def test_a_batch_norm_mlp_trains_as_in_torch(torch):
    same_output(BATCH_NORM_MLP, rel=1e-5)


# torch.nn.BatchNorm2d's docs example, smaller, and its running statistics after two batches
BATCH_NORM_2D = """
import torch
import torch.nn as nn
m = nn.BatchNorm2d(3)
m = nn.BatchNorm2d(3, affine=False)
input = torch.randn(4, 3, 2, 5)
output = m(input)
print(output.shape)
print(output[0, 0])
output = m(input * 2 + 1)
print(m.running_mean, m.running_var, m.num_batches_tracked)
print(m)
"""


def test_batch_norm_2d_docs_example(torch):
    same_output(BATCH_NORM_2D, rel=1e-5)


# torch.nn.LayerNorm's docs example (the NLP example), on a (2, 3, 4) input
LAYER_NORM = """
import torch
import torch.nn as nn
batch, sentence_length, embedding_dim = 2, 3, 4
embedding = torch.randn(batch, sentence_length, embedding_dim, requires_grad=True)
layer_norm = nn.LayerNorm(embedding_dim)
output = layer_norm(embedding)
print(layer_norm)
print(output)
output.sum().backward()
print(layer_norm.weight.grad, layer_norm.bias.grad)
image = torch.randn(2, 3, 2, 2)
layer_norm = nn.LayerNorm([3, 2, 2])
print(layer_norm(image)[1, 2])
print(torch.nn.functional.layer_norm(embedding, (4,)).grad_fn)
"""


def test_layer_norm_docs_example(torch):
    same_output(LAYER_NORM, rel=1e-5)


# torch.nn.Dropout1d and Dropout2d's docs examples, smaller, in training and eval mode
CHANNEL_DROPOUT = """
import torch
import torch.nn as nn
m = nn.Dropout1d(p=0.5)
input = torch.randn(3, 4, 5, requires_grad=True)
output = m(input)
print(m, output)
output.sum().backward()
print(input.grad)
m = nn.Dropout2d(p=0.25)
input = torch.randn(2, 4, 2, 3)
print(m, m(input))
print(nn.functional.dropout1d(torch.randn(4, 3)))
m3 = nn.Dropout3d(p=0.5)
print(m3, m3(torch.randn(2, 3, 2, 1, 2)), m3(torch.randn(3, 1, 2, 2)).shape)
m.eval()
print(m(input).equal(input))
"""


def test_channel_dropout_zeroes_whole_channels_as_torch(torch):
    same_output(CHANNEL_DROPOUT, rel=1e-6)


def test_channel_dropout_errors_and_warnings_are_torchs(torch):
    for lib in (micrograd, torch):
        with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input"):
            lib.nn.functional.dropout1d(lib.zeros(2, 3, 4, 5))
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
            lib.nn.Dropout2d(1.5)
        with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
            lib.nn.functional.dropout2d(lib.zeros(2, 3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mask = micrograd.nn.functional.dropout2d(micrograd.ones(20, 30, 2, 2)).sum((2, 3))
    assert set(mask.flatten().tolist()) <= {0.0, 8.0}  # a channel kept whole (2·2·2) or zeroed


def group_normed(lib, shape, groups, affine):
    """out, the gradients of Σ out² · (1, 2, ...) for x, γ and β (flat), the grad_fn name and
    the module's repr."""
    n = 1
    for s in shape:
        n *= s
    x = (lib.arange(float(n), dtype=lib.float64).reshape(shape) * 0.37).sin().requires_grad_()
    m = lib.nn.GroupNorm(groups, shape[1], affine=affine).double()
    out = m(x)
    weights = lib.arange(1.0, n + 1, dtype=lib.float64).reshape(shape)
    (out.pow(2) * weights).sum().backward()
    numbers = out.flatten().tolist() + x.grad.flatten().tolist()
    numbers += [g for p in m.parameters() for g in p.grad.tolist()]
    return numbers, type(out.grad_fn).__name__, repr(m)


@pytest.mark.parametrize(
    "shape, groups", [((2, 4), 2), ((2, 4, 3), 1), ((1, 6, 2), 3), ((2, 4, 2, 2), 4)]
)
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm_is_torchs(torch, shape, groups, affine):
    got = group_normed(micrograd, shape, groups, affine)
    expected = group_normed(torch, shape, groups, affine)
    assert got[1:] == expected[1:]
    assert got[0] == pytest.approx(expected[0], rel=1e-7, abs=1e-9)


def test_group_norm_errors_are_torchs(torch):
    for lib in (micrograd, torch):
        with pytest.raises(ValueError, match=r"num_channels \(4\) must be divisible by num_gro"):
            lib.nn.GroupNorm(3, 4)
        with pytest.raises(RuntimeError, match="Expected number of channels in input to be"):
            lib.nn.functional.group_norm(lib.zeros(2, 4, 3), 3)


# torch.nn.GroupNorm's docs example, smaller
GROUP_NORM = """
import torch
import torch.nn as nn
torch.manual_seed(0)
input = torch.randn(2, 6, 3, 3)
m = nn.GroupNorm(3, 6)
print(m, m(input))
m = nn.GroupNorm(6, 6)
print(m(input)[0, 0])
m = nn.GroupNorm(1, 6, affine=False)
print(m, m(input)[1, 5])
print(nn.functional.group_norm(input, 2)[0, 1])
"""


def test_group_norm_docs_example(torch):
    same_output(GROUP_NORM, rel=1e-5)
