"""Reductions against torch: empty tensors and dims, nan, ties, dim lists, bad dims."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg

OPS = ("sum", "prod", "mean", "max", "min", "norm")
NUMBERS = st.sampled_from(
    [0.0, 1.0, -1.0, 2.0, -0.5, 3.0, math.nan]
)  # small set: ties and zeros happen


@st.composite
def reductions(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    data = draw(st.lists(NUMBERS, min_size=math.prod(shape), max_size=math.prod(shape)))
    op = draw(st.sampled_from(OPS))
    dim = draw(
        st.none() | st.integers(-4, 3) | st.lists(st.integers(-3, 3), max_size=3) | st.just(1.0)
    )
    keepdim = draw(st.booleans())
    return shape, data, op, dim, keepdim


def run(lib, shape, data, op, dim, keepdim, differentiate):
    x = lib.tensor(data, dtype=lib.float64).reshape(shape).requires_grad_(differentiate)
    args = {} if dim is None else {"dim": dim}
    if dim is not None:
        args["keepdim"] = keepdim
    try:
        out = getattr(x, op)(**args)
    except (RuntimeError, IndexError, TypeError) as error:
        return type(error).__name__
    if isinstance(out, tuple):  # max/min with dim: (values, indices)
        out, indices = out
        result = (tuple(out.shape), _numbers(out), indices.tolist())
    else:
        result = (tuple(out.shape), _numbers(out))
    # An empty tensor never requires grad in micrograd (the flag lives on its elements, and it
    # has none: README, "Where micrograd differs"), so gradients are compared when x has elements.
    if differentiate and x.numel() and out.numel() and out.requires_grad:
        out.sum().backward()
        result += (_numbers(x.grad) if x.grad is not None else None,)
    return result


def _numbers(t) -> list:
    return ["nan" if v != v else round(v, 12) for v in t.detach().reshape(-1).tolist()]


@settings(max_examples=500, deadline=None)
@given(reductions(), st.booleans())
def test_reductions_match_torch_values_shapes_errors_and_gradients(torch, case, differentiate):
    ours = run(mg, *case, differentiate)
    theirs = run(torch, *case, differentiate)
    shape, data, op, dim, keepdim = case
    if (
        op in ("max", "min")
        and dim is not None
        and isinstance(ours, tuple)
        and isinstance(theirs, tuple)
    ):
        # with dim, which of several tied (or nan) elements is picked may differ: compare values only
        ours, theirs = ours[:2], theirs[:2]
    if shape == () and isinstance(ours, str) and isinstance(theirs, str):
        # bad dims on a 0-dim tensor: torch's reductions disagree among themselves on the error
        # type (sum: IndexError, norm: RuntimeError); raising is what matters
        return
    if (
        op == "prod"
        and differentiate
        and any(x != x for x in data)
        and len(ours) == len(theirs) == 3
    ):
        # torch's prod gradient is result/xᵢ, nan everywhere once one factor is nan; micrograd's is
        # the product of the other factors (README, "Where micrograd differs"): compare the values
        ours, theirs = ours[:2], theirs[:2]
    assert ours == theirs, case


def test_the_reported_edges():
    assert mg.ones(0).prod().item() == 1.0
    assert mg.ones(2, 0).sum(1).tolist() == [0.0, 0.0]
    assert math.isnan(mg.ones(0).mean().item())
    with pytest.raises(RuntimeError, match=r"max\(\): Expected reduction dim to be specified"):
        mg.ones(0).max()
    assert math.isnan(mg.tensor([1.0, math.nan, 3.0]).max().item())
    assert mg.ones(2, 3).sum(dim=[]).item() == 6.0
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        mg.ones(2, 3).sum(dim=(0, 0))


def test_max_shares_its_gradient_among_ties_and_norm_is_zero_at_the_origin_as_torch(torch):
    for lib in (mg, torch):
        x = lib.tensor([2.0, 1.0, 2.0, 2.0], requires_grad=True)
        x.max().backward()
        z = lib.zeros(3, requires_grad=True)
        z.norm().backward()
        assert x.grad.tolist() == pytest.approx([1 / 3, 0.0, 1 / 3, 1 / 3])
        assert z.grad.tolist() == [0.0, 0.0, 0.0]
