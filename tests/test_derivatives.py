"""Every primitive's value, first and second derivative against closed forms (written here,
independently of core/rules.py) and central differences; random expressions against PyTorch."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd import Value, autograd
from micrograd.testing import KINKED, assert_grad_matches_numeric, expressions, numerical_grad

# Each primitive's domain keeps a distance from its singular points (log, sqrt at 0; relu and
# abs at the kink; overflow of exp): that is where the derivative does not exist or the
# closed form itself overflows, not a loosened tolerance.
sig = lambda x: 1 / (1 + math.exp(-x))
UNARY = {
    #          domain            f(x)                 f'(x)                          f''(x)
    "exp": ((-20, 20), math.exp, math.exp, math.exp),
    "log": ((1e-3, 1e3), math.log, lambda x: 1 / x, lambda x: -1 / x**2),
    "reciprocal": ((1e-3, 1e3), lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3),
    "tanh": (
        (-10, 10),
        math.tanh,
        lambda x: 1 - math.tanh(x) ** 2,
        lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
    ),
    "sigmoid": (
        (-30, 30),
        sig,
        lambda x: sig(x) * (1 - sig(x)),
        lambda x: sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)),
    ),
    "relu": ((1e-3, 100), lambda x: x, lambda x: 1.0, lambda x: 0.0),
    "relu-": ((-100, -1e-3), lambda x: 0.0, lambda x: 0.0, lambda x: 0.0),
    "sin": ((-10, 10), math.sin, math.cos, lambda x: -math.sin(x)),
    "cos": ((-10, 10), math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x)),
    "sqrt": ((1e-3, 1e3), math.sqrt, lambda x: 0.5 / math.sqrt(x), lambda x: -0.25 * x**-1.5),
    "abs": ((1e-3, 100), abs, lambda x: 1.0, lambda x: 0.0),
    "abs-": ((-100, -1e-3), abs, lambda x: -1.0, lambda x: 0.0),
    "neg": ((-100, 100), lambda x: -x, lambda x: -1.0, lambda x: 0.0),
}


def apply_unary(name, x):
    name = name.rstrip("-")
    return -x if name == "neg" else getattr(x, name)()


def close(a, b, rel=1e-9, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_value_and_derivatives_match_closed_forms(name):
    (low, high), f, df, d2f = UNARY[name]

    @given(st.floats(low, high))
    def check(x0):
        x = Value(x0)
        y = apply_unary(name, x)
        (d1,) = autograd.grad(y, x, create_graph=True)
        d1_value = d1.data if isinstance(d1, Value) else d1
        assert close(y.data, f(x0)), (y.data, f(x0))
        assert close(d1_value, df(x0)), (d1_value, df(x0))
        if isinstance(d1, Value) and d1.requires_grad:
            (d2,) = autograd.grad(d1, x, allow_unused=True)
            d2 = 0.0 if d2 is None else d2
        else:
            d2 = 0.0  # the derivative is a constant
        assert close(d2, d2f(x0), rel=1e-7, abs_=1e-9), (d2, d2f(x0))

    check()


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivative_matches_central_differences(name):
    (low, high), *_ = UNARY[name]

    @given(st.floats(low, high))
    def check(x0):
        assert_grad_matches_numeric(
            lambda x: apply_unary(name, x), x0, eps=1e-6 * max(1.0, abs(x0)), rtol=1e-5, atol=1e-6
        )

    check()


nonzero = st.one_of(st.floats(-50, -0.1), st.floats(0.1, 50))
BINARY = {
    #        strategies for x and y      f             (∂f/∂x, ∂f/∂y)                     Hessian entries (xx, xy, yy)
    "add": (
        (st.floats(-1e3, 1e3),) * 2,
        lambda x, y: x + y,
        lambda x, y: (1, 1),
        lambda x, y: (0, 0, 0),
    ),
    "sub": (
        (st.floats(-1e3, 1e3),) * 2,
        lambda x, y: x - y,
        lambda x, y: (1, -1),
        lambda x, y: (0, 0, 0),
    ),
    "mul": (
        (st.floats(-1e3, 1e3),) * 2,
        lambda x, y: x * y,
        lambda x, y: (y, x),
        lambda x, y: (0, 1, 0),
    ),
    "div": (
        (st.floats(-1e3, 1e3), nonzero),
        lambda x, y: x / y,
        lambda x, y: (1 / y, -x / y**2),
        lambda x, y: (0, -1 / y**2, 2 * x / y**3),
    ),
    # at y = 0 PyTorch defines d(x**y)/dx as the constant 0 (to avoid 0 * inf at x = 0), so the
    # mixed partial differs from the math there: test_pow_at_zero_exponent_follows_pytorch.
    "pow": (
        (st.floats(0.1, 10), st.floats(-3, 3).filter(lambda y: y != 0)),
        lambda x, y: x**y,
        lambda x, y: (y * x ** (y - 1), x**y * math.log(x)),
        lambda x, y: (
            y * (y - 1) * x ** (y - 2),
            x ** (y - 1) * (1 + y * math.log(x)),
            x**y * math.log(x) ** 2,
        ),
    ),
}
OPERATOR = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_value_gradient_and_hessian_match_closed_forms(name):
    (xs, ys), f, grad_f, hess_f = BINARY[name]

    @given(xs, ys)
    def check(x0, y0):
        x, y = Value(x0), Value(y0)
        out = OPERATOR[name](x, y)
        assert close(out.data, f(x0, y0))
        gx, gy = autograd.grad(out, [x, y], create_graph=True)
        ex, ey = grad_f(x0, y0)
        assert close(float(gx), ex) and close(float(gy), ey), ((float(gx), float(gy)), (ex, ey))
        hxx, hxy, hyy = hess_f(x0, y0)
        row_x = (
            [0.0 if d is None else float(d) for d in autograd.grad(gx, [x, y], allow_unused=True)]
            if isinstance(gx, Value) and gx.requires_grad
            else [0.0, 0.0]
        )
        row_y = (
            [0.0 if d is None else float(d) for d in autograd.grad(gy, [x, y], allow_unused=True)]
            if isinstance(gy, Value) and gy.requires_grad
            else [0.0, 0.0]
        )
        for got, expected in zip(row_x + row_y, (hxx, hxy, hxy, hyy)):
            assert close(got, expected, rel=1e-7, abs_=1e-9), (row_x, row_y, (hxx, hxy, hyy))

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_reflected_forms_with_numbers_match_closed_forms(name):
    (xs, ys), f, grad_f, _ = BINARY[name]

    @given(xs, ys)
    def check(x0, y0):
        x, y = Value(x0), Value(y0)
        left = OPERATOR[name](x, y0)  # Value op number
        right = OPERATOR[name](x0, y)  # number op Value
        left.backward()
        right.backward()
        assert close(left.data, f(x0, y0)) and close(right.data, f(x0, y0))
        assert close(x.grad, grad_f(x0, y0)[0]) and close(y.grad, grad_f(x0, y0)[1])

    check()


@given(
    expressions(
        max_leaves=10, unary=[u for u in UNARY if u.rstrip("-") not in KINKED and "-" not in u]
    ),
    st.floats(-2, 2),
    st.floats(-2, 2),
)
def test_random_expressions_match_central_differences(expression, x0, y0):
    x, y = Value(x0), Value(y0)
    out = expression.evaluate({"x": x, "y": y})
    assume(isinstance(out, Value) and math.isfinite(out.data) and abs(out.data) < 1e6)
    out.backward()
    numeric = numerical_grad(
        lambda a, b: expression.evaluate({"x": a, "y": b}, backend="float"), [x0, y0], eps=1e-6
    )
    for got, expected in zip((x.grad, y.grad), numeric):
        assert math.isclose(got, expected, rel_tol=1e-4, abs_tol=1e-5), (
            str(expression),
            got,
            expected,
        )


def torch_derivatives(torch, expression, x0, y0):
    tx = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    out = expression.evaluate({"x": tx, "y": ty}, backend="torch")
    grads = torch.autograd.grad(out, [tx, ty], create_graph=True, allow_unused=True)
    grads = [torch.zeros((), dtype=torch.float64) if g is None else g for g in grads]
    hessian = []
    for g in grads:
        row = (
            torch.autograd.grad(g, [tx, ty], allow_unused=True, retain_graph=True)
            if g.requires_grad
            else (None, None)
        )
        hessian.append([0.0 if h is None else h.item() for h in row])
    return out.item(), [g.item() for g in grads], hessian


def our_derivatives(expression, x0, y0):
    x, y = Value(x0), Value(y0)
    out = expression.evaluate({"x": x, "y": y})
    grads = autograd.grad(out, [x, y], create_graph=True, allow_unused=True)
    hessian = []
    for g in grads:
        if isinstance(g, Value) and g.requires_grad:
            row = autograd.grad(g, [x, y], allow_unused=True, retain_graph=True)
            hessian.append([0.0 if h is None else float(h) for h in row])
        else:
            hessian.append([0.0, 0.0])
    return out.data, [0.0 if g is None else float(g) for g in grads], hessian


@given(expressions(max_leaves=10), st.floats(-3, 3), st.floats(-3, 3))
def test_random_expressions_match_pytorch_to_second_order(torch, expression, x0, y0):
    expected = torch_derivatives(torch, expression, x0, y0)
    assume(math.isfinite(expected[0]) and abs(expected[0]) < 1e8)
    got = our_derivatives(expression, x0, y0)
    flat = lambda d: [d[0], *d[1], *d[2][0], *d[2][1]]
    for a, b in zip(flat(got), flat(expected)):
        assert (math.isnan(a) and math.isnan(b)) or math.isclose(
            a, b, rel_tol=1e-9, abs_tol=1e-9
        ), (str(expression), got, expected)


@given(expressions(max_leaves=8, safe=False), st.floats(-3, 3), st.floats(-3, 3))
def test_unguarded_expressions_agree_with_pytorch_even_at_inf_and_nan(torch, expression, x0, y0):
    tx = torch.tensor(x0, dtype=torch.float64)
    ty = torch.tensor(y0, dtype=torch.float64)
    expected = expression.evaluate({"x": tx, "y": ty}, backend="torch").item()
    got = expression.evaluate({"x": Value(x0), "y": Value(y0)})
    got = got.data if isinstance(got, Value) else got
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(
        expected, rel=1e-9, abs=1e-12
    ), (str(expression), got, expected)


def test_pow_at_zero_exponent_follows_pytorch(torch):
    for x0 in (0.0, 2.0):
        tx = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        ty = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        tgx, tgy = torch.autograd.grad(tx**ty, [tx, ty], create_graph=True)
        x, y = Value(x0), Value(0.0)
        gx, gy = autograd.grad(x**y, [x, y], create_graph=True)
        assert float(gx) == tgx.item() == 0.0
        assert float(gy) == tgy.item() or (math.isinf(float(gy)) and math.isinf(tgy.item()))
