"""The losses of nn/functional.py against torch's: value and gradient, each reduction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd

LOSSES = {
    "huber": lambda F, x, t, r: F.huber_loss(x, t, reduction=r, delta=0.7),
    "smooth_l1": lambda F, x, t, r: F.smooth_l1_loss(x, t, reduction=r, beta=0.5),
    "kl_div": lambda F, x, t, r: F.kl_div(x, t.abs(), reduction=r),
    "margin_ranking": lambda F, x, t, r: F.margin_ranking_loss(
        x, t, (t > 0) * 2.0 - 1, reduction=r
    ),
    "hinge_embedding": lambda F, x, t, r: F.hinge_embedding_loss(x, (t > 0) * 2.0 - 1, reduction=r),
    "soft_margin": lambda F, x, t, r: F.soft_margin_loss(x, (t > 0) * 2.0 - 1, reduction=r),
    "bce_logits_pos_weight": lambda F, x, t, r: F.binary_cross_entropy_with_logits(
        x, t.abs().clamp(max=1.0), reduction=r, pos_weight=t.abs() + 0.5
    ),
}
NUMBERS = st.lists(st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3), min_size=6, max_size=6)


def run(lib, name, xs, ts, reduction):
    x = lib.tensor(xs, dtype=lib.float64, requires_grad=True)
    t = lib.tensor(ts, dtype=lib.float64)
    loss = LOSSES[name](lib.nn.functional, x, t, reduction)
    loss.sum().backward()
    return loss.detach().reshape(-1).tolist(), x.grad.tolist()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
@settings(max_examples=15, deadline=None)
@given(xs=NUMBERS, ts=NUMBERS)
def test_a_loss_and_its_gradient_are_torchs(torch, name, reduction, xs, ts):
    mine, theirs = run(micrograd, name, xs, ts, reduction), run(torch, name, xs, ts, reduction)
    for a, b in zip(mine, theirs):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("options", [{"label_smoothing": 0.2}, {"ignore_index": 1}, {}])
def test_cross_entropy_with_its_options_is_torchs(torch, options):
    logits = [[1.0, -0.5, 2.0], [0.3, 0.2, -1.0], [0.0, 1.5, 0.5]]
    results = []
    for lib in (micrograd, torch):
        x = lib.tensor(logits, dtype=lib.float64, requires_grad=True)
        loss = lib.nn.functional.cross_entropy(x, lib.tensor([2, 1, 0]), **options)
        loss.backward()
        results.append((loss.item(), x.grad.reshape(-1).tolist()))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-9)
    assert results[0][1] == pytest.approx(results[1][1], rel=1e-9)


def test_one_hot_is_torchs(torch):
    for lib_pair in [(micrograd, torch)]:
        a, b = (lib.nn.functional.one_hot(lib.tensor([0, 2, 1]), 4) for lib in lib_pair)
        assert a.tolist() == b.tolist() and a.dtype.name == "int64"
