"""The README's "Where micrograd differs from PyTorch", checked: each documented difference is
what happens (so the list cannot go stale), and torch does what the README says it does."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import pytest

import micrograd as mg
from micrograd import Value, autograd


def test_graphs_from_autograd_grad_with_create_graph_are_freed_by_reference_counting():
    gc.disable()
    try:
        x = Value(2.0)
        (g,) = autograd.grad(x**3, [x], create_graph=True)
        (gg,) = autograd.grad(g, [x], create_graph=True)
        assert gg.data == 12.0
        refs = [weakref.ref(v) for v in mg.core.graph.topological_order(gg) if v is not x]
        assert refs
        del g, gg
        assert all(r() is None for r in refs)  # no cycle: freed at once
    finally:
        gc.enable()


def test_backward_with_create_graph_makes_the_cycle_the_readme_describes():
    gc.disable()
    try:
        x = Value(2.0)
        (x**3).backward(create_graph=True)  # x.grad = 3x², a graph that contains x
        alive = weakref.ref(x)
        del x
        assert alive() is not None  # x -> x.grad -> ... -> x: only gc frees it
        gc.collect()
        assert alive() is None
    finally:
        gc.enable()


def test_a_new_constant_exponent_costs_no_more_than_a_fixed_one():
    x = Value(1.5)

    def cost(constants):
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = [x**c for c in constants]
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        assert len(kept) == len(constants)
        return used

    fixed = cost([2.5] * 2000)
    fresh = cost([2.5 + i * 1e-3 for i in range(2000)])
    assert fresh <= fixed * 1.25  # a float per node at most (the constant), no new primitive
    assert {(x ** (2.5 + i * 1e-3))._node for i in range(50)} == {
        mg.core.rules.POW_CONSTANT
    }  # one row for all


def test_prod_gradient_with_a_nan_factor_is_the_product_of_the_others(torch):
    ours = mg.tensor([2.0, float("nan"), 3.0], requires_grad=True)
    theirs = torch.tensor([2.0, float("nan"), 3.0], requires_grad=True)
    ours.prod().backward()
    theirs.prod().backward()
    assert str(ours.grad.tolist()) == "[nan, 6.0, nan]"
    assert str(theirs.grad.tolist()) == "[nan, nan, nan]"  # result/xᵢ: nan everywhere


def test_an_unselected_element_gets_no_gradient_where_torch_sends_a_zero(torch):
    grads = []
    for lib in (mg, torch):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        y = x.log()
        y[1].backward()
        grads.append(str(x.grad.tolist()))
    assert grads == ["[0.0, 1.0]", "[nan, 1.0]"]


def test_a_detached_alias_that_is_made_a_leaf_stops_sharing(torch):
    for lib, shares in ((mg, False), (torch, True)):
        x = lib.tensor([1.0, 2.0])
        d = x.detach().requires_grad_()
        with lib.no_grad():
            x.add_(1.0)
        assert (d.tolist() == [2.0, 3.0]) is shares
    alias = mg.tensor([1.0]).detach()
    with pytest.raises(mg.NotSupported):
        alias.add_(mg.tensor([1.0], requires_grad=True))


def test_numpy_gives_a_copy_where_torch_shares(torch):
    for lib, shares in ((mg, False), (torch, True)):
        x = lib.tensor([1.0, 2.0])
        array = x.numpy()
        x.add_(1.0)
        assert (array.tolist() == [2.0, 3.0]) is shares


def test_int64_refuses_what_it_cannot_hold_where_torch_wraps_around(torch):
    big = 2**63 - 1
    assert (torch.tensor([big]) + 1).item() == -(2**63)
    with pytest.raises(RuntimeError):
        mg.tensor([big]) + 1
    assert mg.tensor([1.5]).int().dtype is mg.int32  # int32 wraps around, as PyTorch's
    assert torch.tensor([1.5]).int().dtype == torch.int32


def test_a_values_gradient_is_kept_whether_it_is_a_leaf_or_not():
    x = Value(2.0)
    h = x * 3
    (h * h).backward()
    assert (h.grad, x.grad) == (12.0, 36.0)
