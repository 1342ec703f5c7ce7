"""Storage, views, in-place writes and version counters, against PyTorch.

Each case is a short program run twice, with ``T`` as micrograd and as torch; ``same`` compares
what the names hold afterwards (numbers, shape, dtype, requires_grad, is_leaf, the grad_fn's
name and the .grad of leaves), or that both raised an error of the same class.
"""

from __future__ import annotations

import math
import warnings

import pytest

import micrograd as mg


def run(lib, src: str) -> dict:
    namespace = {"T": lib}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(src, namespace)
    return namespace


def describe(x):
    """What a result shows, in terms both libraries share."""
    if not hasattr(x, "shape"):
        return x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grad = x.grad if x.is_leaf else None
    return {
        "values": str(x.tolist()),
        "shape": tuple(x.shape),
        "dtype": str(x.dtype),
        "requires_grad": x.requires_grad,
        "is_leaf": x.is_leaf,
        "grad_fn": type(x.grad_fn).__name__ if x.grad_fn is not None else None,
        "grad": None if grad is None else str(grad.tolist()),
    }


def same(torch, src: str, *names: str) -> None:
    """src gives the same `names` with micrograd as with torch, or the same kind of error."""
    outcomes = []
    for lib in (mg, torch):
        try:
            namespace = run(lib, src)
        except Exception as error:  # the error class is compared below
            outcomes.append(("raises", type(error).__name__))
        else:
            outcomes.append({n: describe(namespace[n]) for n in names})
    ours, theirs = outcomes
    assert ours == theirs, f"\n{src}\nmicrograd: {ours}\ntorch:     {theirs}"


# --- views share the storage -------------------------------------------------------------------
VIEWS = [
    "v = x.view(6)",
    "v = x.reshape(3, 2)",
    "v = x[1]",
    "v = x[:, 1:]",
    "v = x[:, ::2]",
    "v = x[None]",
    "v = x[..., 1]",
    "v = x.t()",
    "v = x.T",
    "v = x.transpose(0, 1)",
    "v = x.permute(1, 0)",
    "v = x.unsqueeze(1)",
    "v = x[0:1].squeeze(0)",
    "v = x.diagonal()",
    "v = x.select(1, 2)",
    "v = x.narrow(1, 1, 2)",
    "v = x.unbind(1)[2]",
    "v = x.split(2, dim=1)[1]",
    "v = x.chunk(2, dim=1)[0]",
    "v = x.flatten()",
    "v = x.detach()",
    "v = x.movedim(0, 1)",
    "v = x.view(3, 2)[1:]",
    "v = x.t()[::2]",
]


@pytest.mark.parametrize("view", VIEWS)
def test_a_write_through_a_view_changes_its_base_and_back(torch, view):
    src = f"x = T.arange(6.).reshape(2, 3)\n{view}\nv.mul_(10)\nx[0, 0] = -1.0\n"
    same(torch, src, "x", "v")


@pytest.mark.parametrize("view", [v for v in VIEWS if "detach" not in v])
def test_a_view_of_a_result_records_the_write_for_backward(torch, view):
    src = (
        "w = T.arange(6., requires_grad=True)\nx = (w * 1).reshape(2, 3)\n"
        f"{view}\nif not v._base is None or True: pass\n"
        "v.mul_(3)\nloss = (x * x).sum()\nloss.backward()\n"
    )
    same(torch, src, "x", "w", "loss")


COPIES = [
    "c = T.cat([x, x])",
    "c = T.stack([x])",
    "c = x[[0, 1]]",
    "c = x[x > 1]",
    "c = x[T.tensor([1, 0])]",
    "c = x.clone()",
    "c = x.t().reshape(-1)",
    "c = x.t().contiguous()",
    "c = x.double()",
    "c = T.where(x > 2, x, 0.0)",
]


@pytest.mark.parametrize("copy", COPIES)
def test_a_copy_never_writes_into_its_source(torch, copy):
    src = f"x = T.arange(6.).reshape(2, 3)\n{copy}\nc.zero_()\n"
    same(torch, src, "x", "c")


@pytest.mark.parametrize("copy", COPIES)
def test_a_copy_of_a_tensor_that_requires_grad_passes_the_gradient_on(torch, copy):
    src = (
        "w = T.arange(6., requires_grad=True)\nx = (w * 1).reshape(2, 3)\n"
        f"{copy}\n(c * c).sum().backward()\n"
    )
    same(torch, src, "w", "c")


def test_a_copy_keeps_the_dtype_it_was_made_with(torch):
    same(torch, "b = T.tensor([0.1], dtype=T.float64)\nc = T.cat([T.ones(1), b])\n", "b", "c")
    same(torch, "x = T.tensor([1., 2.])\nd = x.double()\nd.add_(1e-12)\n", "x", "d")


# --- in-place writes that autograd follows -------------------------------------------------------
IN_PLACE = [
    # the idioms the tutorials use
    "total = T.zeros(2)\nfor _ in range(3):\n    total += w * w\nloss = (total.sum() + w.sum())",
    "y = w * 1\ny[1] = 5.0\nloss = (y * y).sum()",
    "y = (w * 1).view(1, 2)\ny[0][1] = 5.0\nloss = (y * w).sum()",
    "y = w * 2\nz = y.view(2)\nz.mul_(3)\nloss = y.sum()",
    "y = w * 1\nv = y[0:1]\ny.mul_(3)\nloss = (v * v).sum()",
    "y = w * 1\ny.exp_()\nloss = y.sum()",
    "y = w * 1\ny.clamp_(min=1.5)\nloss = (y * w).sum()",
    "y = w * 1\ny[0] = w[1] * 3\nloss = y.sum()",
    "y = w * 1\ny.zero_()\nloss = (y + w).sum()",
    "y = w * 1\ny.fill_(2.0)\nloss = (y * w).sum()",
    "y = w * 1\ny.add_(w)\nloss = (y * y).sum()",
    "y = w * 1\ny.mul_(w)\nloss = y.sum()",
    "y = T.zeros(2, 2)\ny[0] = w\ny[1] = w * w\nloss = y.sum()",
    "y = T.zeros(2)\ny[:] = 5.0\nloss = (y * w).sum()",
    "y = w * 1\ny[:] = 5.0\nloss = y.sum()",
    "y = w * 1\nwith T.no_grad():\n    y.add_(1)\nloss = (y + 0).sum()",
    "y = w * 1\nu = y.detach()\nu.zero_()\nloss = (y + 0).sum()",
    "y = w * 1\ny.data.mul_(3)\nloss = (y * w).sum()",
    "y = w.clone()\ny.copy_(T.tensor([7., 8.]))\nloss = (y * w).sum()",
]


@pytest.mark.parametrize("program", IN_PLACE)
def test_in_place_writes_give_torchs_gradients(torch, program):
    src = f"w = T.tensor([1., 2.], requires_grad=True)\n{program}\nloss.backward()\n"
    same(torch, src, "w", "loss")


REFUSED = [
    "w.add_(1)",
    "w[0] = 3.0",
    "w[0].mul_(2)",
    "w.view(2).zero_()",
    "a, b = (w * 1).unbind()\na.mul_(2)",
    "a, b = (w * 1).split(1)\nb.add_(1)",
    "y = w * 1\nwith T.no_grad():\n    v = y[0:1]\nv.add_(1)",
    "e = T.ones(1).expand(2)\ne.add_(1)",
    "i = T.tensor([1, 2])\ni += 0.5",
    "i = T.tensor([1, 2])\ni /= 2",
    "b = T.tensor([True])\nb += 1",
]


@pytest.mark.parametrize("program", REFUSED)
def test_in_place_writes_torch_refuses_are_refused(torch, program):
    src = f"w = T.tensor([1., 2.], requires_grad=True)\n{program}\n"
    same(torch, src, "w")


ALLOWED_UNDER_NO_GRAD = [
    "w.add_(1)",
    "w[0] = 3.0",
    "w[0].mul_(2)",
    "w -= 0.1 * T.ones(2)",
]


@pytest.mark.parametrize("program", ALLOWED_UNDER_NO_GRAD)
def test_in_place_writes_on_leaves_under_no_grad_are_allowed(torch, program):
    src = f"w = T.tensor([1., 2.], requires_grad=True)\nwith T.no_grad():\n    {program}\n"
    same(torch, src, "w")


def test_an_integer_tensor_stores_truncated_numbers(torch):
    same(torch, "t = T.tensor([1, 2])\nt[0] = 2.7\nu = t * 10\n", "t", "u")
    same(torch, "t = T.tensor([1, 2])\nt.fill_(-2.5)\nu = t + t\n", "t", "u")
    same(torch, "t = T.tensor([True, False])\nt[1] = 5\n", "t")
    # a float is cast straight to int64, not through float32 first (which rounds 2**24 + 1)
    same(torch, "t = T.tensor([1, 2, 3])\nt[1:] = 16777217.0\nu = t - 16777216\n", "t", "u")
    # a view of an integer tensor made in no_grad may take a tensor that requires grad: the
    # integer elements never require grad, so there is nothing ambiguous to refuse
    same(
        torch,
        "t = T.tensor([1, 2])\nwith T.no_grad():\n    v = t[...]\n"
        "v[...] = T.tensor([3.5, 1.0], requires_grad=True)\n",
        "t",
        "v",
    )
    same(
        torch,
        "t = T.tensor(1)\nwith T.no_grad():\n    v = t[...]\nv[...] = T.tensor(3.5, requires_grad=True)\n",
        "v",
    )


# --- version counters --------------------------------------------------------------------------
VERSIONS = [
    # changed after being saved: PyTorch refuses
    "loss = (w * x).sum()\nwith T.no_grad():\n    w -= 10 * T.ones(2)",
    "y = x.exp()\nloss = (y * y).sum()\nwith T.no_grad():\n    y.zero_()",
    "y = x.exp()\nloss = y.sum()\ny.add_(1)",
    "y = x.tanh()\nloss = y.sum()\nwith T.no_grad():\n    y.mul_(2)",
    "y = x.sigmoid()\nloss = y.sum()\nwith T.no_grad():\n    y.mul_(2)",
    "y = x.sqrt()\nloss = y.sum()\nwith T.no_grad():\n    y.mul_(2)",
    "y = x * 1\nloss = (y * y).sum()\ny.add_(1)",
    "y = x * 1\ny.mul_(y)\nloss = y.sum()",
    "y = x.sin()\nloss = y.sum()\nwith T.no_grad():\n    x.mul_(2)",
    "y = x * 1\nv = y[0:1]\nloss = (v * w[0:1]).sum()\ny.add_(1)",
    "y = x @ w\nloss = y\nwith T.no_grad():\n    w.zero_()",
    "i = T.tensor([1, 0])\nloss = x[i].sum()\ni.zero_()",  # an index tensor is saved too
    "m = T.tensor([True, False])\nloss = (x[m] * 2).sum()\nm.zero_()",
    "i = T.tensor([1])\nloss = x[None, i].sum()\ni.add_(-1)",
    # changed, but not saved (or saved before): PyTorch computes
    "y = x * 1\nloss = (y + w).sum()\nwith T.no_grad():\n    y.add_(1)",
    "y = x / x\nloss = y.sum()\nwith T.no_grad():\n    y.fill_(1.5)",
    "y = 2.0 / x\nloss = y.sum()\nwith T.no_grad():\n    y.sin_()",
    "x = T.tensor([0., 2.], requires_grad=True)\ny = x * 1\ny.sin_()\ny.add_(1)\nloss = y.sum()",
    "loss = (w * 2).sum()\nwith T.no_grad():\n    w.add_(1)",
    "loss = (w * x).sum()\nwith T.no_grad():\n    w.data.add_(1)",
    "y = x.exp()\nloss = y.sum()\ny.data.add_(1)",
]


@pytest.mark.parametrize("program", VERSIONS)
def test_backward_refuses_tensors_changed_after_they_were_saved_as_torch(torch, program):
    src = (
        "x = T.tensor([1., 2.], requires_grad=True)\n"
        "w = T.tensor([3., 4.], requires_grad=True)\n"
        f"{program}\nloss.backward()\n"
    )
    same(torch, src, "x", "w")


def test_the_version_error_names_the_tensor_as_pytorch_does():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    loss = y.sum()
    y.add_(1)
    with pytest.raises(RuntimeError) as caught:
        loss.backward()
    assert str(caught.value).startswith(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [torch.FloatTensor [2]], which is output 0 of Exp, is at version 1; expected "
        "version 0 instead."
    )
    assert x._version == 0 and y._version == 1


def test_versions_count_writes_through_views_and_detach_but_not_data(torch):
    src = (
        "x = T.ones(2, 2)\nv = x[0]\nd = x.detach()\nv.add_(1)\nd.mul_(2)\nx.data.add_(1)\n"
        "versions = (x._version, v._version, d._version)\n"
    )
    assert run(mg, src)["versions"] == run(torch, src)["versions"]


# --- grads of leaves and of the rest ------------------------------------------------------------
def test_a_non_leaf_grad_is_none_with_pytorchs_warning_unless_retained(torch):
    for lib in (mg, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        z = x * 3
        z.retain_grad()
        (y * z).sum().backward()
        with pytest.warns(UserWarning, match="not a leaf Tensor"):
            assert y.grad is None
        assert z.grad.tolist() == [2.0, 4.0] and z.retains_grad and not y.retains_grad


def test_every_leaf_a_backward_pass_reaches_gets_a_gradient_zeros_too(torch):
    same(
        torch,
        "x = T.tensor([1., 2.], requires_grad=True)\n"
        "y = T.where(T.tensor([False, False]), x, 0.0)\ny.sum().backward()\n",
        "x",
    )
    same(
        torch,
        "x = T.ones(0, 2, requires_grad=True)\nw = T.ones(2, 3, requires_grad=True)\n"
        "y = (x @ w).sum()\ny.backward()\n",
        "w",
    )


def test_an_empty_tensor_requires_grad_as_asked_and_passes_it_on(torch):
    same(
        torch, "x = T.ones(0, requires_grad=True)\ny = x * 2\nz = y.sum()\nz.backward()\n", "x", "y"
    )
    same(
        torch,
        "a = T.tensor([1., 2.])\nd = a.detach().requires_grad_()\n(d * d).sum().backward()\n",
        "a",
        "d",
    )
    # written through a view of no elements: the edge to the value still gives it a .grad
    same(
        torch,
        "b = T.tensor([1.])\nv = b[None, 1:]\nx = T.ones(1, 1, 0, requires_grad=True)\n"
        "v[None, :, :] = x\nb.sum().backward()\n",
        "x",
    )


def test_where_sends_zeros_to_the_branch_it_did_not_choose_so_nan_as_torch(torch):
    same(
        torch,
        "x = T.tensor([0., 1.], requires_grad=True)\n"
        "T.where(x > 0, T.log(x), T.zeros(2)).sum().backward()\n",
        "x",
    )


def test_views_of_zero_dim_tensors_are_the_tensor(torch):
    for view in ("v = x.T", "v = x.squeeze(0)", "v = x.transpose(0, -1)", "v = x.permute(())"):
        same(torch, f"x = T.tensor(1.5)\n{view}\n", "v")


def test_view_refuses_strides_it_cannot_show_and_reshape_copies(torch):
    same(torch, "x = T.ones(3, 4).t()\nv = x.view(12)\n", "x")
    same(torch, "x = T.ones(3, 4).t()\nv = x.reshape(12)\nv[0] = 5.0\n", "x", "v")


def test_strides_offsets_and_contiguity_are_pytorchs(torch):
    for lib_view in ("x.t()", "x[:, 1:]", "x[1]", "x[None]", "x.expand(2, 3, 4)", "x[:, ::2]"):
        shown = []
        for lib in (mg, torch):
            v = eval(lib_view, {"x": lib.ones(3, 4)})
            shown.append((tuple(v.stride()), v.storage_offset(), v.is_contiguous()))
        assert shown[0] == shown[1], lib_view


def test_detach_shares_and_a_detached_alias_that_needs_a_history_is_refused():
    x = mg.arange(4.0, requires_grad=True)
    d = x.detach()
    d.zero_()
    assert x.tolist() == [0.0] * 4 and not d.requires_grad
    w = mg.ones(4, requires_grad=True)
    with pytest.raises(mg.NotSupported):
        d.add_(w)


def test_a_large_loop_of_in_place_updates_keeps_the_gradient_exact():
    w = mg.tensor([0.5, -1.5], requires_grad=True)
    total = mg.zeros(2)
    for k in range(1, 21):
        total += w * k
    total.sum().backward()
    assert w.grad.tolist() == [math.fsum(range(1, 21))] * 2


def test_autograd_grad_checks_versions_and_gives_float32_gradients(torch):
    same(
        torch,
        "x = T.tensor([1., 2.], requires_grad=True)\ny = x * 1\ny *= y\n"
        "g = T.autograd.grad(y.sum(), x)\n",
        "x",
    )
    same(
        torch,
        "x = T.tensor([0.1, 0.7], requires_grad=True)\n"
        "(g,) = T.autograd.grad((x * x * 0.3).sum(), x)\n",
        "g",
    )
    same(
        torch,
        "x = T.ones(0, 2, requires_grad=True)\nw = T.ones(2, 3, requires_grad=True)\n"
        "(g,) = T.autograd.grad((x @ w).sum(), w)\n",
        "g",
    )


def test_a_view_made_under_no_grad_requires_grad_and_is_refused_with_grad_on(torch):
    same(torch, "x = T.ones(2, requires_grad=True)\nwith T.no_grad():\n    v = x.T\n", "v")
    x = mg.ones(2, requires_grad=True)
    with mg.no_grad():
        v = x[0:1]
        assert (v * 2).tolist() == [2.0]
    with pytest.raises(mg.NotSupported):
        v * 2


def test_clamp_keeps_int64_bounds_exact(torch):
    same(torch, "t = T.tensor([1, 2**60]).clamp(min=2**53 + 1)\n", "t")
    same(torch, "t = T.tensor([2**62]).clamp(max=2**53 + 3)\n", "t")
