"""Custom Functions: PyTorch's protocol, its errors, and one backward per apply."""

import math

import pytest

import micrograd as mg

from micrograd import Function, Value, autograd, is_grad_enabled


class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 2 * x


def test_square_gives_2x_and_is_named_square_backward():
    x = Value(3.0)
    y = Square.apply(x)
    assert y.data == 9.0 and type(y.grad_fn).__name__ == "SquareBackward" and y._op == "Square"
    y.backward()
    assert x.grad == 6.0
    assert y.grad_fn.next_functions[0][0].variable is x


def test_forward_runs_with_recording_off_and_sees_needs_input_grad():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, k, c):
            seen["grad"] = is_grad_enabled()
            seen["needs"] = ctx.needs_input_grad
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    out = Probe.apply(Value(1.0), 2, Value(5.0, requires_grad=False))
    assert seen == {"grad": False, "needs": (True, False, False)}
    assert out.requires_grad


def test_several_inputs_and_outputs_run_backward_exactly_once():
    calls = []

    class SumAndProduct(Function):
        @staticmethod
        def forward(ctx, a, b, c):
            ctx.save_for_backward(a, b, c)
            return a + b + c, a * b * c

        @staticmethod
        def backward(ctx, g_sum, g_prod):
            calls.append((g_sum.data, g_prod.data))
            a, b, c = ctx.saved_tensors
            return g_sum + g_prod * b * c, g_sum + g_prod * a * c, g_sum + g_prod * a * b

    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    s, p = SumAndProduct.apply(a, b, c)
    (s * 10 + p * s).backward()
    assert len(calls) == 1
    # L = 10 s + p s: dL/ds = 10 + p = 16, dL/dp = s = 6
    assert calls[0] == (16.0, 6.0)
    assert (a.grad, b.grad, c.grad) == (16 + 6 * 6, 16 + 6 * 3, 16 + 6 * 2)


def test_an_unused_output_gets_a_zero_gradient():
    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g2, g3):
            return g2 * 2 + g3 * 3

    x = Value(1.0)
    two, _three = Two.apply(x)
    two.backward()
    assert x.grad == 2.0


def test_wrong_number_of_gradients_is_pytorchs_error():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(
        RuntimeError,
        match=r"function TooFewBackward returned an incorrect number of gradients \(expected 2, got 1\)",
    ):
        TooFew.apply(Value(1.0), Value(2.0)).backward()


def test_a_gradient_that_is_not_a_number_or_value_is_refused():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return "two"

    with pytest.raises(RuntimeError, match=r"expected Variable or None \(got str\)"):
        Bad.apply(Value(1.0)).backward()


def test_a_function_without_backward_says_what_to_implement():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

    with pytest.raises(
        NotImplementedError, match="You must implement either the backward or vjp method"
    ):
        NoBackward.apply(Value(1.0)).backward()


def test_save_for_backward_of_a_non_value_is_refused():
    class SaveNumber(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(3)
            return a * 2

    with pytest.raises(
        TypeError, match="save_for_backward can only save variables, but argument 0 is of type int"
    ):
        SaveNumber.apply(Value(1.0))


def test_saved_values_are_freed_after_backward_unless_retained():
    x = Value(2.0)
    y = Square.apply(x)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 8.0
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    assert Square.apply(Value(1.0)).grad_fn.saved_values[0].data == 1.0


def test_mark_non_differentiable_outputs_are_constants():
    class ArgMaxAndMax(Function):
        @staticmethod
        def forward(ctx, a, b):
            index = Value(0.0 if a > b else 1.0, requires_grad=False)
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return index, a * 1.0 if a > b else b * 1.0

        @staticmethod
        def backward(ctx, _g_index, g_max):
            (index,) = ctx.saved_tensors
            return (g_max, 0.0) if index.data == 0.0 else (0.0, g_max)

    a, b = Value(1.0), Value(5.0)
    index, biggest = ArgMaxAndMax.apply(a, b)
    assert not index.requires_grad and biggest.requires_grad
    biggest.backward()
    assert (a.grad, b.grad) == (0.0, 1.0)


def test_legacy_call_is_refused_with_a_hint():
    with pytest.raises(RuntimeError, match="apply"):
        Square()(Value(1.0))


def test_custom_function_backward_can_be_differentiated_again():
    x = Value(1.5)
    (d1,) = autograd.grad(Square.apply(x) * x, x, create_graph=True)  # d/dx x³ = 3x²
    (d2,) = autograd.grad(d1, x)
    assert d1.data == pytest.approx(3 * 1.5**2) and d2 == pytest.approx(6 * 1.5)


def test_returned_numbers_are_accepted_as_gradients():
    class Half(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 0.5

        @staticmethod
        def backward(ctx, g):
            return 0.5 * g.data

    x = Value(4.0)
    Half.apply(x).backward()
    assert x.grad == 0.5 and math.isclose(Half.apply(x).data, 2.0)


@pytest.mark.parametrize(
    "name, make",
    [
        ("Mul", lambda a, b: a * b),
        ("Div", lambda a, b: a / b),
        ("Pow", lambda a, b: a**b),
        ("Sub", lambda a, b: a - b),
    ],
)
def test_built_in_primitives_are_functions_with_the_same_derivatives(name, make):
    function = getattr(autograd, name)
    a, b = Value(1.7), Value(-0.6)
    out = function.apply(a, b)
    assert type(out.grad_fn).__name__ == f"{name}Backward"
    out.backward()
    a2, b2 = Value(1.7), Value(-0.6)
    expected = make(a2, b2)
    expected.backward()
    assert out.data == expected.data and (a.grad, b.grad) == (a2.grad, b2.grad)


def test_built_in_exp_function_gives_exp():
    x = Value(0.5)
    autograd.Exp.apply(x).backward()
    assert x.grad == pytest.approx(math.exp(0.5))


# --- double backward through custom Functions against torch: saved inputs, outputs, intermediates
def _functions(lib):
    """The custom_function_double_backward tutorial's Functions, written once for either library."""

    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)  # a saved input
            return x**2

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return grad_out * 2 * x

    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)  # a saved output
            return result

        @staticmethod
        def backward(ctx, grad_out):
            (result,) = ctx.saved_tensors
            return result * grad_out

    class Sinh(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            expx, expnegx = lib.exp(x), lib.exp(-x)
            ctx.save_for_backward(expx, expnegx)  # saved intermediates, returned as outputs
            return (expx - expnegx) / 2, expx, expnegx

        @staticmethod
        def backward(ctx, grad_out, grad_exp, grad_negexp):
            expx, expnegx = ctx.saved_tensors
            grad_input = grad_out * (expx + expnegx) / 2
            grad_input += grad_exp * expx
            grad_input -= grad_negexp * expnegx
            return grad_input

    class DetachedCube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x.detach() ** 2  # right once, not differentiable again

    return {
        "Square": Square.apply,
        "Exp": Exp.apply,
        "Sinh": lambda x: Sinh.apply(x)[0],
        "DetachedCube": DetachedCube.apply,
    }


@pytest.mark.parametrize("name", ["Square", "Exp", "Sinh", "DetachedCube"])
def test_custom_function_double_backward_matches_pytorch(torch, name):
    ours, theirs = _functions(mg)[name], _functions(torch)[name]
    x = mg.tensor([0.3, -1.2], dtype=mg.float64, requires_grad=True)
    tx = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    (g,) = mg.autograd.grad(ours(x).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad(theirs(tx).sum(), tx, create_graph=True)
    assert g.tolist() == pytest.approx(tg.tolist(), rel=1e-12)
    assert (g.grad_fn is None) == (tg.grad_fn is None)
    if tg.grad_fn is not None:
        (gg,) = mg.autograd.grad(g.sum(), x)
        (tgg,) = torch.autograd.grad(tg.sum(), tx)
        assert gg.tolist() == pytest.approx(tgg.tolist(), rel=1e-12)
    checks = mg.autograd.gradgradcheck(ours, (x,), raise_exception=False)
    assert (
        checks
        == torch.autograd.gradgradcheck(theirs, (tx,), raise_exception=False)
        == (name != "DetachedCube")
    )


def test_the_gradient_of_a_custom_square_prints_its_grad_fn_as_pytorch():
    x = mg.tensor(1.0, requires_grad=True, dtype=mg.float64)
    (grad_x,) = mg.autograd.grad(_functions(mg)["Square"](x), x, create_graph=True)
    assert repr(grad_x) == "tensor(2., dtype=torch.float64, grad_fn=<MulBackward0>)"


def test_a_gradient_from_one_element_of_a_functions_large_output():
    # Found by the forward-AD tutorial: a backward pass from the first of a Function's 100 output
    # elements met the other 99, all newer than it, and indexed past its bookkeeping (IndexError).
    class Square(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = mg.arange(100.0).requires_grad_()
    y = Square.apply(x)
    (first,) = mg.autograd.grad(y[0], x, retain_graph=True)
    (last,) = mg.autograd.grad(y[99], x)
    assert first.tolist() == [0.0] * 100 and last.tolist() == [0.0] * 99 + [198.0]
