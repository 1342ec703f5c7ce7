"""Every primitive at the special points, first and second order, against torch float64.

Values, first derivatives and second derivatives at 0, -0, ±inf, nan, huge, tiny and denormal
points (and ordinary ones), for every row of the table: nan where torch has nan, the sign of
zeros and infinities included.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Value, autograd
from micrograd.core import rules

SPECIAL = [
    0.0,
    -0.0,
    math.inf,
    -math.inf,
    math.nan,
    1e308,
    -1e308,
    1e-308,
    -1e-308,
    5e-324,
    -5e-324,
    1.0,
    -1.0,
    2.0,
    -2.0,
    0.5,
    -0.5,
    3.0,
    -3.0,
    710.0,
    -710.0,
    1e-8,
    40.0,
]
POINTS = st.sampled_from(SPECIAL) | st.floats(-5, 5)


def ours_unary(name, x0, c):
    x = Value(x0)
    y = getattr(x, name)(*c)
    (g,) = autograd.grad(y, [x], create_graph=True)
    (gg,) = autograd.grad(g, [x], allow_unused=True) if g.requires_grad else (0.0,)
    return y.data, g.data, float(0.0 if gg is None else gg)


def theirs_unary(torch, name, x0, c):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = getattr(torch, name)(x, *c)
    (g,) = torch.autograd.grad(y, [x], create_graph=True)
    (gg,) = torch.autograd.grad(g, [x], allow_unused=True) if g.requires_grad else (None,)
    return y.item(), g.item(), 0.0 if gg is None else gg.item()


def same(a: tuple, b: tuple) -> bool:
    return all(
        repr(x) == repr(y)
        or (x == y and x != 0)
        or (abs(x - y) <= 1e-12 * max(abs(x), abs(y)) + 1e-15)
        for x, y in zip(a, b)
    )


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(sorted(n for n in rules.UNARY if n != "clamp")), POINTS)
def test_unary_rows_match_torch_to_second_order_at_special_points(torch, name, x0):
    ours, theirs = ours_unary(name, x0, ()), theirs_unary(torch, name, x0, ())
    assert same(ours, theirs), (name, x0, ours, theirs)


@settings(max_examples=800, deadline=None)
@given(POINTS, st.sampled_from([-1.0, 0.0, 1.0, math.nan]), st.sampled_from([1.0, 2.0, math.inf]))
def test_clamp_matches_torch_to_second_order_at_special_points(torch, x0, low, high):
    ours, theirs = (
        ours_unary("clamp", x0, (low, high)),
        theirs_unary(torch, "clamp", x0, (low, high)),
    )
    assert same(ours, theirs), (x0, low, high, ours, theirs)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
}


def binary(lib_value, grad, name, x0, y0):
    x, y = lib_value(x0), lib_value(y0)
    z = BINARY[name](x, y)
    gx, gy = grad(z, [x, y], create_graph=True)
    second = []
    for g in (gx, gy):
        if g.requires_grad:
            grads = grad(g, [x, y], allow_unused=True)
            second += [0.0 if h is None else float(h) for h in grads]
        else:
            second += [0.0, 0.0]
    return (float(z), float(gx), float(gy), *second)


@settings(max_examples=2500, deadline=None)
@given(st.sampled_from(sorted(BINARY)), POINTS, POINTS)
def test_binary_rows_match_torch_to_second_order_at_special_points(torch, name, x0, y0):
    ours = binary(Value, autograd.grad, name, x0, y0)
    theirs = binary(
        lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True),
        torch.autograd.grad,
        name,
        x0,
        y0,
    )
    assert same(ours, theirs), (name, x0, y0, ours, theirs)


@settings(max_examples=1500, deadline=None)
@given(
    POINTS,
    st.sampled_from(
        [0.0, -0.0, 0.5, 1.0, 2.0, 3.0, -1.0, -2.0, 1.5, math.inf, -math.inf, math.nan]
    ),
    st.sampled_from(["x ** c", "c ** x", "c - x"]),
)
def test_rows_with_a_constant_match_torch_to_second_order(torch, x0, c, form):
    def run(lib_value, grad):
        x = lib_value(x0)
        y = x**c if form == "x ** c" else c**x if form == "c ** x" else c - x
        (g,) = grad(y, [x], create_graph=True)
        (gg,) = grad(g, [x], allow_unused=True) if g.requires_grad else (None,)
        return float(y), float(g), 0.0 if gg is None else float(gg)

    ours = run(Value, autograd.grad)
    theirs = run(
        lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True), torch.autograd.grad
    )
    assert same(ours, theirs), (form, x0, c, ours, theirs)
