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
    "poisson_nll": lambda F, x, t, r: F.poisson_nll_loss(x, t.abs() * 2, reduction=r),
    "poisson_nll_rates_full": lambda F, x, t, r: F.poisson_nll_loss(
        x.abs(), t.abs() * 2, log_input=False, full=True, reduction=r
    ),
    "gaussian_nll": lambda F, x, t, r: F.gaussian_nll_loss(x, t, t.abs() * 0.5, reduction=r),
    "gaussian_nll_full_clamped": lambda F, x, t, r: F.gaussian_nll_loss(
        x, t, (t * 0).abs() + 1e-9, full=True, eps=1e-3, reduction=r
    ),
    "multilabel_soft_margin": lambda F, x, t, r: F.multilabel_soft_margin_loss(
        x.reshape(2, 3), (t > 0).reshape(2, 3) * 1.0, reduction=r
    ),
    "multilabel_soft_margin_weighted": lambda F, x, t, r: F.multilabel_soft_margin_loss(
        x.reshape(3, 2), (t > 0).reshape(3, 2) * 1.0, weight=t[:2].abs().detach(), reduction=r
    ),
    "triplet_margin": lambda F, x, t, r: F.triplet_margin_loss(
        x.reshape(2, 3), t.reshape(2, 3), (x * t).reshape(2, 3), reduction=r
    ),
    "triplet_margin_swap_p1": lambda F, x, t, r: F.triplet_margin_loss(
        x.reshape(3, 2), t.reshape(3, 2), -t.reshape(3, 2), 0.5, 1, swap=True, reduction=r
    ),
}
NUMBERS = st.lists(st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3), min_size=6, max_size=6)


def run(lib, name, xs, ts, reduction):
    x = lib.tensor(xs, dtype=lib.float64, requires_grad=True)
    t = lib.tensor(ts, dtype=lib.float64)
    loss = LOSSES[name](lib.nn.functional, x, t, reduction)
    loss.sum().backward()
    return type(loss.grad_fn).__name__, loss.detach().reshape(-1).tolist(), x.grad.tolist()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
@settings(max_examples=15, deadline=None)
@given(xs=NUMBERS, ts=NUMBERS)
def test_a_loss_and_its_gradient_are_torchs(torch, name, reduction, xs, ts):
    mine, theirs = run(micrograd, name, xs, ts, reduction), run(torch, name, xs, ts, reduction)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1:], theirs[1:]):
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


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 4, 2), (2, 3, 2, 1, 2)], ids=str)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "options",
    [{}, {"weight": [0.2, 1.0, 3.0]}, {"ignore_index": 1}, {"label_smoothing": 0.2}, "soft"],
    ids=str,
)
def test_spatial_nll_and_cross_entropy_are_torchs(torch, shape, reduction, options):
    micrograd.manual_seed(5)
    scores = micrograd.randn(*shape, dtype=micrograd.float64)
    spatial = (shape[0], *shape[2:])
    labels = (micrograd.rand(*spatial) * 3).long()
    soft = micrograd.rand(*shape, dtype=micrograd.float64).softmax(1)
    results = []
    for lib in (micrograd, torch):
        x = lib.tensor(scores.tolist(), dtype=lib.float64, requires_grad=True)
        kw = {} if options == "soft" else dict(options)
        if "weight" in kw:
            kw["weight"] = lib.tensor(kw["weight"], dtype=lib.float64)
        target = lib.tensor(soft.tolist() if options == "soft" else labels.tolist())
        if options == "soft":
            target = target.double()
        ce = lib.nn.functional.cross_entropy(x, target, reduction=reduction, **kw)
        names = [type(ce.grad_fn).__name__]
        total = ce.sum()
        if options != "soft" and "label_smoothing" not in kw:
            nll = lib.nn.functional.nll_loss(x.log_softmax(1), target, reduction=reduction, **kw)
            names.append(type(nll.grad_fn).__name__)
            total = total + nll.sum()
        total.backward()
        results.append((names, list(ce.shape), total.item(), x.grad.reshape(-1).tolist()))
    (names, size, value, grad), (tnames, tsize, tvalue, tgrad) = results
    assert (names, size) == (tnames, tsize)
    assert value == pytest.approx(tvalue, rel=1e-12)
    assert grad == pytest.approx(tgrad, rel=1e-9, abs=1e-12)


def test_loss_errors_are_torchs(torch):
    for code in [
        "F.nll_loss(torch.zeros(2, 3, 4), torch.zeros(2, 5).long())",
        "F.nll_loss(torch.zeros(2, 3, 4, 5), torch.zeros(2, 5).long())",
        "F.cross_entropy(torch.zeros(2, 3, 4), torch.zeros(2).long())",
        "F.gaussian_nll_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.ones(3))",
        "F.gaussian_nll_loss(torch.zeros(2, 3), torch.zeros(2, 3), -torch.ones(2, 3))",
        "F.triplet_margin_loss(torch.zeros(2, 3), torch.zeros(3), torch.zeros(2, 3))",
    ]:
        with pytest.raises(Exception) as theirs:
            eval(code, {"torch": torch, "F": torch.nn.functional})
        with pytest.raises(Exception) as ours:
            eval(code, {"torch": micrograd, "F": micrograd.nn.functional})
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_the_new_loss_modules_print_and_compute_as_torchs(torch):
    for make in [
        "PoissonNLLLoss()",
        "PoissonNLLLoss(log_input=False, full=True)",
        "GaussianNLLLoss(full=True, eps=1e-3)",
        "MultiLabelSoftMarginLoss(reduction='sum')",
        "TripletMarginLoss(margin=0.5, p=1, swap=True)",
    ]:
        ours, theirs = eval("micrograd.nn." + make), eval("torch.nn." + make)
        assert repr(ours) == repr(theirs)
        options = {k: v for k, v in vars(theirs).items() if not k.startswith("_")}
        assert {k: getattr(ours, k) for k in options} == options
    micrograd.manual_seed(6)
    a, p, n = (micrograd.randn(4, 5, dtype=micrograd.float64) for _ in range(3))
    ours = micrograd.nn.TripletMarginLoss(margin=2.0)(a, p, n)
    theirs = torch.nn.TripletMarginLoss(margin=2.0)(
        *(torch.tensor(t.tolist(), dtype=torch.float64) for t in (a, p, n))
    )
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)
