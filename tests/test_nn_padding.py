"""F.pad and the padding modules against torch: every mode, positive and negative (cropping)
amounts, 1-D, 2-D and 3-D paddings, gradients, grad_fn names, reprs and errors; the docs'
examples compared line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from micrograd.core.errors import NotSupported
from pytorch_harness import same_output

MODES = ["constant", "reflect", "replicate", "circular"]


def padded(lib, shape, pad, mode, value=None):
    """out, grad_fn name and the input's gradient of Σ out · (1, 2, ...)."""
    n = 1
    for s in shape:
        n *= s
    x = lib.arange(1.0, n + 1, dtype=lib.float64).reshape(shape).requires_grad_()
    if value is None:
        out = lib.nn.functional.pad(x, pad, mode=mode)
    else:
        out = lib.nn.functional.pad(x, pad, mode=mode, value=value)
    weights = lib.arange(1.0, out.numel() + 1, dtype=lib.float64).reshape(out.shape)
    (out * weights).sum().backward()
    return out.tolist(), tuple(out.shape), type(out.grad_fn).__name__, x.grad.tolist()


def outcome(lib, *args):
    """padded(...), or the type and text of the error it raised."""
    try:
        return padded(lib, *args)
    except (RuntimeError, NotImplementedError) as e:
        return type(e).__name__, str(e)


def wraps_twice(shape, pad):
    """A circular padding that wraps around more than what its cropping leaves."""
    sides = [(pad[2 * k], pad[2 * k + 1], shape[-1 - k]) for k in range(len(pad) // 2)]
    return any(b <= n and a <= n and max(b, a) > n + min(b, a, 0) for b, a, n in sides)


AMOUNT = st.integers(-2, 3)


@settings(max_examples=60, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    dims=st.integers(1, 3),
    batch=st.integers(1, 2),
    sizes=st.lists(st.integers(2, 4), min_size=3, max_size=3),
    amounts=st.lists(AMOUNT, min_size=6, max_size=6),
)
def test_every_mode_is_torchs(torch, mode, dims, batch, sizes, amounts):
    shape = (batch, 2, *sizes[:dims])
    pad = tuple(amounts[: 2 * dims])
    expected = outcome(torch, shape, pad, mode)
    if mode == "circular" and wraps_twice(shape, pad) and isinstance(expected[0], list):
        with pytest.raises(NotSupported, match="wraps more than once"):
            padded(micrograd, shape, pad, mode)
        return
    sizes_out = [shape[-1 - k] + pad[2 * k] + pad[2 * k + 1] for k in range(dims)]
    if mode != "constant" and min(sizes_out) <= 0:
        # PyTorch's texts for a dimension cropped away differ from kernel to kernel
        if min(sizes_out) < 0:
            with pytest.raises(RuntimeError):
                padded(micrograd, shape, pad, mode)
        return
    assert outcome(micrograd, shape, pad, mode) == expected


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 2)])
@pytest.mark.parametrize("pad", [(1, 2), (0, 1, 2, 0), (-1, 1), (1, 1, 1, 1, 1, 1)])
def test_a_constant_pads_any_dimensions(torch, shape, pad):
    args = (shape, pad, "constant", 2.5)
    assert outcome(micrograd, *args) == outcome(torch, *args)


@pytest.mark.parametrize(
    "shape, pad, mode, value",
    [
        ((1, 2, 3), (1,), "constant", None),
        ((1, 2, 3), (1, 1) * 4, "constant", None),
        ((1, 2, 3), (3, 3), "reflect", None),
        ((1, 2, 3), (4, 0), "circular", None),
        ((1, 2, 3), (1, 1), "foo", None),
        ((1, 2, 3), (1, 1), "reflect", 2.0),
        ((3,), (1, 1), "reflect", None),
        ((1, 2, 3), (1, 1) * 3, "replicate", None),
        ((1, 2, 3), (-4, 0), "constant", None),
    ],
)
def test_errors_are_torchs(torch, shape, pad, mode, value):
    args = (shape, pad, mode, value)
    assert outcome(micrograd, *args) == outcome(torch, *args)


MODULES = [
    ("ZeroPad1d", (2,)),
    ("ZeroPad2d", ((1, 0, 2, 1),)),
    ("ConstantPad1d", ((1, 2), 3.5)),
    ("ConstantPad2d", (1, -1.0)),
    ("ReflectionPad1d", (2,)),
    ("ReflectionPad2d", ((1, 1, 2, 0),)),
    ("ReplicationPad1d", ((1, 2),)),
    ("ReplicationPad2d", (2,)),
    ("CircularPad1d", (1,)),
    ("CircularPad2d", ((1, 0, 2, 1),)),
]


@pytest.mark.parametrize("name, args", MODULES)
def test_the_modules_are_torchs(torch, name, args):
    def run(lib):
        module = getattr(lib.nn, name)(*args)
        shape = (1, 2, 3, 3) if name.endswith("2d") else (2, 3, 3)
        x = lib.arange(18.0, dtype=lib.float64).reshape(shape).requires_grad_()
        out = module(x)
        out.pow(2).sum().backward()
        return repr(module), out.tolist(), type(out.grad_fn).__name__, x.grad.tolist()

    assert run(micrograd) == run(torch)


def test_the_docs_examples(torch):
    # the examples of torch.nn's padding modules, at their own sizes
    same_output(
        """
import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.ReflectionPad1d(2)
input = torch.arange(8, dtype=torch.float).reshape(1, 2, 4)
print(m(input))
m = nn.ReflectionPad1d((3, 1))
print(m(input))
m = nn.ReflectionPad2d(2)
input = torch.arange(9, dtype=torch.float).reshape(1, 1, 3, 3)
print(m(input))
m = nn.ReflectionPad2d((1, 1, 2, 0))
print(m(input))
m = nn.ReplicationPad2d(2)
print(m(input))
m = nn.ReplicationPad1d((3, 1))
print(m(torch.arange(8, dtype=torch.float).reshape(1, 2, 4)))
m = nn.CircularPad2d(1)
print(m(input))
m = nn.CircularPad1d((3, 1))
print(m(torch.arange(8, dtype=torch.float).reshape(1, 2, 4)))
m = nn.ZeroPad2d(2)
input = torch.randn(1, 1, 3, 3)
print(m(input))
m = nn.ZeroPad1d((3, 1))
print(m(torch.randn(1, 2, 4)))
m = nn.ConstantPad1d(2, 3.5)
print(m(torch.randn(1, 2, 4)))
m = nn.ConstantPad2d((3, 0, 2, 1), 3.5)
print(m(torch.randn(1, 2, 2)))
print(m)
"""
    )


def test_a_padded_convolution_trains_as_torchs(torch):
    # reflection padding before a convolution, as image models use it
    same_output(
        """
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
model = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(1, 2, 3), nn.ReLU(),
                      nn.ReplicationPad2d((0, 1, 0, 1)), nn.Flatten(), nn.Linear(2 * 5 * 5, 1))
print(model)
x = torch.randn(2, 1, 4, 4)
target = torch.randn(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(3):
    loss = F.mse_loss(model(F.pad(x, (1, 0, 0, 1), mode="circular")[..., :4, 1:]), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
""",
        rel=1e-5,
    )
