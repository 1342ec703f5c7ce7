"""t.new_zeros, new_ones, new_full, new_empty, new_tensor and nelement, compared with torch:
a new tensor of the given size with t's dtype unless dtype= says otherwise."""

import pytest

import micrograd

CALLS = [
    ("new_zeros", (2, 3), {}),
    ("new_zeros", ((2,),), {}),
    ("new_ones", (1,), {"dtype": "int64"}),
    ("new_full", ((2,), 3), {}),
    ("new_full", ((1,), 2.5), {}),
    ("new_tensor", ([1, 2],), {}),
    ("new_empty", (0,), {}),
    ("new_zeros", (2,), {"requires_grad": True}),
]


CASES = [
    (dtype, *call)
    for dtype in ("float32", "float64", "int64")
    for call in CALLS
    if not (dtype == "int64" and call[2].get("requires_grad"))  # only floats can require grad
]


@pytest.mark.parametrize("dtype, name, args, options", CASES)
def test_new_tensors_take_the_dtype_of_the_tensor(torch, dtype, name, args, options):
    made = []
    for lib in (micrograd, torch):
        here = {k: getattr(lib, v) if k == "dtype" else v for k, v in options.items()}
        made.append(getattr(lib.ones(2, dtype=getattr(lib, dtype)), name)(*args, **here))
    ours, theirs = made
    assert str(ours.dtype) == str(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad
    if name != "new_empty":
        assert ours.tolist() == theirs.tolist()


def test_nelement_is_numel(torch):
    for lib in (micrograd, torch):
        assert lib.zeros(3, 4).nelement() == 12


def test_set_detect_anomaly_sets_now_and_restores_after_a_block(torch):
    for lib in (micrograd, torch):
        assert not lib.is_anomaly_enabled()
        with lib.autograd.set_detect_anomaly(True):
            assert lib.is_anomaly_enabled()
        assert not lib.is_anomaly_enabled()
        lib.autograd.set_detect_anomaly(True)
        assert lib.is_anomaly_enabled()
        lib.autograd.set_detect_anomaly(False)
        assert not lib.is_anomaly_enabled()


def test_check_nan_false_keeps_anomaly_mode_on_without_the_nan_check(torch):
    for lib in (micrograd, torch):
        seen = []
        with lib.autograd.detect_anomaly(check_nan=False):
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            x = lib.tensor([0.0], requires_grad=True)
            (x.sqrt() * 0).sum().backward()  # 0 · inf: nan in sqrt's backward, let through
            seen.append(str(x.grad.tolist()))
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        with lib.autograd.set_detect_anomaly(True, check_nan=False):
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        assert seen == [(True, False), "[nan]", (False, True), (True, False)]


def test_torch_addmm_the_function_is_the_method(torch):
    results = []
    for lib in (micrograd, torch):
        bias = lib.tensor([1.0, -2.0], requires_grad=True)
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        out = lib.addmm(bias, x, x.t(), beta=0.5, alpha=2)
        out.sum().backward()
        results.append((out.tolist(), bias.grad.tolist(), x.grad.tolist(), str(out.grad_fn)[:15]))
    ours, theirs = results
    assert ours[0] == theirs[0] and ours[2:] == theirs[2:]
    # ∂ = g / (x · ln b): PyTorch rounds x · ln b to float32 first, micrograd does not
    assert ours[1] == pytest.approx(theirs[1], rel=2e-7, nan_ok=True)


@pytest.mark.parametrize("name", ["log10", "log2"])
def test_log10_and_log2_are_pytorch_s_to_the_bit_and_their_gradients_to_an_ulp(torch, name):
    import random

    rng = random.Random(7)
    xs = [rng.uniform(1e-3, 1e3) for _ in range(500)] + [1.0, 2.0, 10.0, 0.0, -1.0]
    results = []
    for lib in (micrograd, torch):
        x = lib.tensor(xs, requires_grad=True)
        y = getattr(lib, name)(x)
        y.sum().backward()
        ints = getattr(lib.tensor([1, 8, 100]), name)()
        results.append(
            (
                [str(v) for v in y.tolist()],
                x.grad.tolist(),
                type(y.grad_fn).__name__,
                ints.tolist(),
                str(ints.dtype),
            )
        )
    ours, theirs = results
    assert ours[0] == theirs[0] and ours[2:] == theirs[2:]
    # ∂ = g / (x · ln b): PyTorch rounds x · ln b to float32 first, micrograd does not
    assert ours[1] == pytest.approx(theirs[1], rel=2e-7, nan_ok=True)
