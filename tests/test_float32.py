"""float32 tensors store float32 numbers, as torch's: one rounding to float32 per operation,
in-place updates included."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg

FLOATS = st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from(
    [0.1, 1 / 3, 1e-40, 3.5e38, -0.0, math.inf]
)


def test_a_float32_tensor_prints_the_number_it_stores(torch):
    assert mg.tensor(0.1).item() == torch.tensor(0.1).item() == 0.10000000149011612
    assert mg.tensor([1e39, -1e300]).tolist() == [math.inf, -math.inf]
    assert mg.tensor(0.1, dtype=mg.float64).item() == 0.1
    assert (
        mg.tensor(0.1, dtype=mg.float64).float().item()
        == torch.tensor(0.1, dtype=torch.float64).float().item()
    )


@settings(max_examples=400, deadline=None)
@given(FLOATS, FLOATS, st.sampled_from(["+", "-", "*", "/"]))
def test_one_arithmetic_operation_on_float32_gives_torchs_float32_exactly(torch, a, b, op):
    # float32 inputs, the operation in float64, one rounding: the correctly rounded float32
    # result, which is what torch's float32 arithmetic gives
    def run(lib):
        x, y = lib.tensor([a]), lib.tensor([b])
        z = x + y if op == "+" else x - y if op == "-" else x * y if op == "*" else x / y
        return z.tolist()

    assert repr(run(mg)) == repr(run(torch))


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-80, 80),
    st.sampled_from(["exp", "sin", "cos", "tanh", "sigmoid", "sqrt", "log", "abs"]),
)
def test_float32_functions_agree_with_torch_to_one_float32_rounding(torch, x0, name):
    ours = getattr(mg.tensor([x0]), name)().item()
    theirs = getattr(torch.tensor([x0]), name)().item()
    assert (ours != ours and theirs != theirs) or ours == pytest.approx(
        theirs, rel=2.4e-7, abs=1e-38
    )
    assert repr(mg.tensor([ours]).item()) == repr(ours)  # stored as a float32 already


def test_in_place_updates_and_assignments_store_float32_as_torch(torch):
    def run(lib):
        w = lib.tensor([1.0, 2.0, 0.0], requires_grad=True)
        with lib.no_grad():
            w -= 0.1 * lib.tensor([0.3, 0.7, 1.0])  # the optimizer's step
            w /= lib.tensor([3.0, 1.0, 0.0])  # IEEE: x/0 is ±inf or nan
        t = lib.zeros(2)
        t[0] = lib.tensor(0.1, dtype=lib.float64)
        t[t == 0] = 1 / 3
        return w.tolist(), t.tolist()

    assert repr(run(mg)) == repr(run(torch))


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-50, 50, allow_nan=False) | st.integers(-9, 9),
    st.floats(-8, 8, allow_nan=False).filter(lambda e: e != int(e) and abs(e) != 0.5),
    st.sampled_from(["float32", "float64", "int64"]),
)
def test_a_number_exponent_is_kept_in_float64_as_torch_keeps_it(torch, base, exponent, kind):
    # torch's pow does not round a Python exponent to the tensor's float32: t ** 0.1 uses
    # 0.1 itself, so the results agree to the bit (exponents such as 3, -2 and +-0.5 go
    # through torch's own kernels, sqrt and rsqrt for +-0.5, an ulp or a few apart, and are
    # not checked here)
    def run(lib):
        base_dtype = getattr(lib, kind)
        value = int(base) if kind == "int64" else base
        return (lib.tensor([value], dtype=base_dtype) ** exponent).tolist()

    assert repr(run(mg)) == repr(run(torch))


def test_an_odd_exponent_float32_cannot_hold_keeps_its_sign(torch):
    # 16777217.0 is odd; as a float32 it would be 16777216.0, even, and (-1) ** it would be +1
    for lib in (mg, torch):
        assert lib.tensor([-1.0, -2.0]).pow(16777217.0).tolist() == [-1.0, -math.inf]
        assert lib.tensor([-2]).pow(16777217.0).tolist() == [-math.inf]
