"""Forward mode, function transforms, gradcheck and the property-testing kit."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd import Function, Value, autograd, func
from micrograd.autograd import forward_ad
from micrograd.teaching.instruments import count_operations
from micrograd.testing import KINKED, assert_grad_matches_numeric, expressions


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x**2


class WrongCube(Cube):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * x**2  # the classic slip: 2x² instead of 3x²


class DetachedCube(Cube):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x.data**2  # right value, but not differentiable again


def test_make_dual_outside_a_level_raises_pytorchs_error():
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        forward_ad.make_dual(Value(1.0), 1.0)


def test_dual_numbers_carry_the_derivative_forward():
    with forward_ad.dual_level():
        x = forward_ad.make_dual(Value(1.0), 1.0)
        y = x**2 * x.exp()
        unpacked = forward_ad.unpack_dual(y)
        assert unpacked.primal is y and float(unpacked.tangent) == pytest.approx(3 * math.e)
        assert unpacked.tangent.requires_grad  # 2x·eˣ·t + x²·eˣ·t depends on x, as in torch
        assert forward_ad.unpack_dual(Value(2.0)).tangent is None
    assert forward_ad.unpack_dual(y).tangent is None  # tangents end with the level


def test_grad_of_grad_of_x2_exp_x_at_1_is_7e():
    f = lambda x: x**2 * x.exp()
    assert float(func.grad(f)(1.0)) == pytest.approx(3 * math.e)
    assert float(func.grad(func.grad(f))(1.0)) == pytest.approx(7 * math.e)
    assert float(func.grad(func.grad(func.grad(f)))(1.0)) == pytest.approx(
        13 * math.e
    )  # (x²+6x+6)eˣ


def test_grad_of_a_constant_function_is_zero():
    assert float(func.grad(lambda x: Value(3.0, requires_grad=False) + 0 * x)(2.0)) == 0.0
    assert float(func.grad(func.grad(lambda x: 5 * x))(2.0)) == 0.0


def test_hessian_of_sum_of_cubes_is_diag_6x():
    f = lambda x, y: x**3 + y**3
    h = func.hessian(f, argnums=(0, 1))(1.0, 2.0)
    assert [[float(e) for e in row] for row in h] == [[6.0, 0.0], [0.0, 12.0]]


def test_mixed_second_derivatives_match_closed_form():
    # f = x²y + sin(xy): f_xx = 2y - y² sin(xy), f_xy = 2x + cos(xy) - xy sin(xy), f_yy = -x² sin(xy)
    f = lambda x, y: x * x * y + (x * y).sin()
    x, y = 0.7, -1.3
    h = func.hessian(f, argnums=(0, 1))(x, y)
    expected = [
        [2 * y - y * y * math.sin(x * y), 2 * x + math.cos(x * y) - x * y * math.sin(x * y)],
        [2 * x + math.cos(x * y) - x * y * math.sin(x * y), -x * x * math.sin(x * y)],
    ]
    for got_row, expected_row in zip(h, expected):
        for got, want in zip(got_row, expected_row):
            assert float(got) == pytest.approx(want, rel=1e-12)


@given(
    expressions(max_leaves=10),
    st.floats(-2, 2),
    st.floats(-2, 2),
    st.floats(-1, 1),
    st.floats(-1, 1),
)
def test_forward_mode_equals_reverse_mode_equals_central_differences(expression, x0, y0, tx, ty):
    f = lambda x, y: expression.evaluate({"x": x, "y": y})
    value = expression.evaluate({"x": x0, "y": y0}, backend="float")
    assume(math.isfinite(value) and abs(value) < 1e6)
    _, forward = func.jvp(f, (x0, y0), (tx, ty))  # J·t by dual numbers
    _, pullback = func.vjp(f, x0, y0)
    gx, gy = pullback(1.0)  # Jᵀ·1 by one reverse pass
    reverse = float(gx) * tx + float(gy) * ty
    eps = 1e-6
    numeric = (
        expression.evaluate({"x": x0 + eps * tx, "y": y0 + eps * ty}, backend="float")
        - expression.evaluate({"x": x0 - eps * tx, "y": y0 - eps * ty}, backend="float")
    ) / (2 * eps)
    assert float(forward) == pytest.approx(reverse, rel=1e-9, abs=1e-9)
    if not expression.uses(KINKED):  # relu and abs have no derivative at 0 for differences to find
        assert reverse == pytest.approx(numeric, rel=1e-4, abs=1e-5)


def test_jacfwd_and_jacrev_agree_with_the_closed_form():
    f = lambda x: (x * 3).sin() * x
    x = 0.4
    expected = 3 * x * math.cos(3 * x) + math.sin(3 * x)
    assert float(func.jacrev(f)(x)) == pytest.approx(expected) and float(
        func.jacfwd(f)(x)
    ) == pytest.approx(expected)


def test_reverse_mode_is_cheaper_for_many_inputs_and_forward_mode_for_many_outputs():
    n = 12
    many_in = lambda *xs: sum((x * x for x in xs[1:]), xs[0] * xs[0])
    with count_operations() as reverse:
        func.jacrev(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
    with count_operations() as forward:
        func.jacfwd(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
    assert reverse.backward > 0 and forward.tangent > 0
    assert forward.total > 3 * reverse.total  # n forward passes against one reverse pass

    def many_out(x):  # R → Rⁿ: n outputs sharing a costly h(x)
        h = x
        for _ in range(20):
            h = h.sin() + x
        return tuple(h * k for k in range(1, n + 1))

    with count_operations() as reverse:
        by_reverse = func.jacrev(many_out)(0.3)
    with count_operations() as forward:
        by_forward = func.jacfwd(many_out)(0.3)
    assert reverse.total > 3 * forward.total  # n reverse passes through h against one forward pass
    numeric = [
        (a.data - b.data) / 2e-6
        for a, b in zip(many_out(Value(0.3 + 1e-6)), many_out(Value(0.3 - 1e-6)))
    ]
    assert [float(d) for d in by_reverse] == pytest.approx(numeric, rel=1e-5)
    assert [float(d) for d in by_forward] == pytest.approx(
        [float(d) for d in by_reverse], rel=1e-12
    )


def test_gradcheck_passes_a_right_backward_and_catches_a_wrong_one():
    assert autograd.gradcheck(Cube.apply, (Value(1.3),))
    assert autograd.gradcheck(lambda x, y: x * y.exp(), (0.5, -0.2))
    assert autograd.gradcheck(WrongCube.apply, (Value(1.3),), raise_exception=False) is False
    with pytest.raises(autograd.GradcheckError) as err:
        autograd.gradcheck(WrongCube.apply, (Value(1.3),))
    message = str(err.value)
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0,")
    assert f"{3 * 1.3**2:.6g}" in message and f"{2 * 1.3**2:.6g}" in message


def test_gradgradcheck_catches_a_backward_that_cannot_be_differentiated_again():
    assert autograd.gradcheck(DetachedCube.apply, (Value(1.3),))  # first order is right
    assert autograd.gradgradcheck(Cube.apply, (Value(1.3),))
    assert autograd.gradgradcheck(DetachedCube.apply, (Value(1.3),), raise_exception=False) is False


def test_numerical_grad_is_central_differences():
    grads = autograd.numerical_grad(lambda x, y: x * x * y, [3.0, 2.0], eps=1e-4)
    assert grads == pytest.approx([12.0, 9.0], rel=1e-8)


def test_assert_grad_matches_numeric_names_expected_and_obtained():
    assert_grad_matches_numeric(lambda x: x.tanh() * x, 0.3)
    with pytest.raises(AssertionError) as err:
        assert_grad_matches_numeric(WrongCube.apply, 2.0)
    assert "central differences give 12.0" in str(err.value) and "autograd gave 8.0" in str(
        err.value
    )


def test_keep_graph_and_the_nesting_of_transforms_are_per_thread():
    import threading

    cube = lambda x: x**3
    elsewhere = []
    with func.keep_graph():
        kept = func.grad(cube)(2.0)
        worker = threading.Thread(target=lambda: elsewhere.append(func.grad(cube)(2.0)))
        worker.start()
        worker.join()
    assert kept.requires_grad and kept.data == 12.0  # keep_graph: the result stays in the graph
    assert (
        not elsewhere[0].requires_grad and elsewhere[0].data == 12.0
    )  # another thread is not inside it
