"""The code listings of the seed tutorials (../shared/seeds/), run with `import micrograd as torch`.

Numbers are checked against independent computation: closed forms, plain-float loops, the
outputs printed in the tutorials themselves (by PyTorch), and PyTorch when it is installed.
"""

import contextlib
import io
import math

import pytest

import micrograd as torch
import micrograd as t
from micrograd.autograd import Function


def printed(program):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        program()
    return buffer.getvalue()


# --- seed 000: x²·eˣ by hand and by autograd; the graph of z = wx + b ------------------------
def test_seed_000_autograd_equals_the_hand_derivative():
    def f(x):
        y = x**2 * t.exp(x)
        return y

    def gradf(x):
        dx = 2 * x * t.exp(x) + x**2 * t.exp(x)
        return dx

    t.manual_seed(0)
    x = t.randn(3, 4, requires_grad=True)
    y = f(x)
    assert repr(y).endswith("grad_fn=<MulBackward0>)")
    y.backward(t.ones(y.size()))
    by_hand = gradf(x)
    assert repr(by_hand).endswith("grad_fn=<AddBackward0>)")
    for v, g in zip(x.tolist()[0] + x.tolist()[1] + x.tolist()[2], sum(x.grad.tolist(), [])):
        assert g == pytest.approx(
            (2 * v + v * v) * math.exp(v), rel=1e-6
        )  # closed form, to float32
    assert (x.grad - by_hand).abs().max().item() < 1e-5  # float32, as in PyTorch


def test_seed_000_randn_prints_with_requires_grad_tail():
    a = t.randn(3, 4, requires_grad=True)
    text = repr(a)
    assert (
        text.startswith("tensor([[")
        and text.endswith("]], requires_grad=True)")
        and text.count("\n") == 2
    )


def test_seed_000_leaves_and_root_of_z_equals_wx_plus_b():
    w, x, b = (
        t.tensor(2.0, requires_grad=True),
        t.tensor(3.0, requires_grad=True),
        t.tensor(1.0, requires_grad=True),
    )
    y = w * x
    z = y + b
    assert (w.is_leaf, x.is_leaf, b.is_leaf, y.is_leaf, z.is_leaf) == (
        True,
        True,
        True,
        False,
        False,
    )
    assert type(z.grad_fn).__name__ == "AddBackward0"
    (mul, _), (acc_b, _) = z.grad_fn.next_functions
    assert type(mul).__name__ == "MulBackward0" and acc_b.variable is b
    z.backward()
    assert (w.grad.item(), x.grad.item(), b.grad.item()) == (
        3.0,
        2.0,
        1.0,
    )  # dz/dw = x, dz/dx = w, dz/db = 1


# --- seed 001: the official tutorial's notes ---------------------------------------------------
def seed_001_program():
    x = torch.ones(2, 2, requires_grad=True)
    print(x)
    y = x + 2
    print(y)
    z = y * y * 3
    out = z.mean()
    print(z, out)
    out.backward()
    print(x.grad)
    print(x.requires_grad)
    print((x**2).requires_grad)
    with torch.no_grad():
        print((x**2).requires_grad)
    print(x.requires_grad)
    y = x.detach()
    print(y.requires_grad)
    print(x.eq(y).all())


SEED_001_OUTPUT = """tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
True
True
False
True
False
tensor(True)
"""


def test_seed_001_prints_what_the_tutorial_shows():
    assert printed(seed_001_program) == SEED_001_OUTPUT


def test_seed_001_requires_grad_and_grad_fn_of_a_sum():
    a = torch.randn(2, 2)
    a = (a * 3) / (a - 1)
    assert a.requires_grad is False
    a.requires_grad_(True)
    assert a.requires_grad is True
    b = (a * a).sum()
    assert type(b.grad_fn).__name__ == "SumBackward0"
    b.backward()
    assert (a.grad - 2 * a).abs().max().item() == 0.0


# --- seed 002: Square, and linear regression through a custom Function --------------------------
class Square(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input**2

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 2 * input


def test_seed_002_square():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = Square.apply(x)
    y.sum().backward()
    assert repr(x.grad) == "tensor([2., 4., 6.])"
    assert type(y.grad_fn).__name__ == "SquareBackward"


def run_seed_002_training(n_epochs=1000, learning_rate=1e-2):
    torch.manual_seed(2024)

    def get_fake_data(num):
        x = torch.randint(low=-5, high=30, size=(num,)).to(dtype=torch.float32)
        y = (
            0.5 * x
            + 30
            + torch.randn(
                num,
            )
        )
        return x, y

    x, y = get_fake_data(num=11)
    x_new = x * 0.1

    def loss_fn(y_p, y):
        squared_diffs = (y_p - y) ** 2
        return squared_diffs.mean()

    class compute_gradients(Function):
        @staticmethod
        def forward(ctx, w, x, b):
            ctx.save_for_backward(x)
            output = w * x + b
            return output

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            grad_w = (grad_output * x).sum()
            grad_x = grad_output * w
            grad_b = grad_output.sum()
            return grad_w, grad_x, grad_b

    losses = []

    def training_loop(n_epochs, learning_rate, w, b, x, y):
        for epoch in range(1, n_epochs + 1):
            y_pred = compute_gradients.apply(w, x_new, b)
            loss = loss_fn(y_pred, y)
            loss.backward()
            with torch.no_grad():
                w -= learning_rate * w.grad
                b -= learning_rate * b.grad
            if epoch % 10 == 0:
                print(f"Epoch : {epoch} , Loss : {loss}")
                print(f"Params :w={w}, b={b} , Grad :w={w.grad}, b={b.grad}")
                print("-----")
                losses.append(float(loss))
            w.grad.zero_()
            b.grad.zero_()
        return w, b

    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    same_w, same_b = w, b
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = training_loop(
            n_epochs=n_epochs, learning_rate=learning_rate, w=w, b=b, x=x_new, y=y
        )
    assert result[0] is same_w and result[1] is same_b and same_w.is_leaf
    return x_new.tolist(), y.tolist(), result, losses, out.getvalue()


def test_seed_002_training_matches_plain_float_gradient_descent():
    xs, ys, (w, b), losses, text = run_seed_002_training()
    pw, pb = 1.0, 0.0  # the same loop with floats: d/dw mean((wx+b-y)²) = mean(2(wx+b-y)x)
    for _ in range(1000):
        residuals = [pw * x + pb - y for x, y in zip(xs, ys)]
        gw = sum(2 * r * x for r, x in zip(residuals, xs)) / len(xs)
        gb = sum(2 * r for r in residuals) / len(xs)
        pw, pb = pw - 1e-2 * gw, pb - 1e-2 * gb
    # float32 tensors (rounded after each operation, as PyTorch's) against float64: 1000 steps
    assert w.item() == pytest.approx(pw, rel=1e-5) and b.item() == pytest.approx(pb, rel=1e-5)
    assert losses == sorted(losses, reverse=True)  # the loss falls every 10 epochs
    first = text.splitlines()[0]
    assert first.startswith("Epoch : 10 , Loss : ") and float(
        first.split(": ")[-1]
    ) == pytest.approx(losses[0])


@pytest.mark.slow
def test_seed_002_training_converges_to_least_squares():
    xs, ys, (w, b), _, _ = run_seed_002_training(n_epochs=20000, learning_rate=3e-2)
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    # float32 parameters, each step stored as float32 (as PyTorch does): the fit stalls within
    # float32's resolution of the least-squares solution, ~1e-5 relative
    assert w.item() == pytest.approx(slope, rel=1e-4) and b.item() == pytest.approx(
        my - slope * mx, rel=1e-4
    )
    assert slope == pytest.approx(5.0, abs=0.5)  # y = 0.5x + 30 with x scaled by 0.1


# --- seed 003: line, a Function of three tensors ---------------------------------------------------
class line(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        w, x, b = ctx.saved_tensors
        grad_w = grad_output * x
        grad_x = grad_output * w
        grad_b = grad_output * 1
        return grad_w, grad_x, grad_b


def test_seed_003_line_gradients_are_x_w_and_one():
    w = torch.randn(2, 2, requires_grad=True)
    x = torch.randn(2, 2, requires_grad=True)
    b = torch.randn(2, 2, requires_grad=True)
    out = line.apply(w, x, b)
    out.backward(torch.ones(2, 2))
    assert w.grad.tolist() == x.tolist() and x.grad.tolist() == w.tolist()
    assert b.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    expected = [
        [wv * xv + bv for wv, xv, bv in zip(*rows)]
        for rows in zip(w.tolist(), x.tolist(), b.tolist())
    ]
    assert sum(out.tolist(), []) == pytest.approx(sum(expected, []), rel=1e-6)  # float32
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        line.apply(w, x, b).backward()


# --- seed 004: the chain rule, automatic differentiation in code ------------------------------------
def seed_004_program():
    x = torch.arange(4.0)
    print(x)
    x.requires_grad_(True)
    print(x.grad)
    y = 2 * torch.dot(x, x)
    print(y)
    print(y.backward())
    print(x.grad)
    print(x.grad == 4 * x)
    print(x.grad.zero_())
    y = x.sum()
    print(y)
    print(y.backward())
    print(x.grad)
    print(x.grad.zero_())
    y = x * x
    print(y.sum().backward())
    print(x.grad)
    print(x.grad.zero_())
    y = x * x
    u = y.detach()
    z = u * x
    print(z.sum().backward())
    print(x.grad == u)
    print(x.grad.zero_())
    print(y.sum().backward())
    print(x.grad == 2 * x)


SEED_004_OUTPUT = """tensor([0., 1., 2., 3.])
None
tensor(28., grad_fn=<MulBackward0>)
None
tensor([ 0.,  4.,  8., 12.])
tensor([True, True, True, True])
tensor([0., 0., 0., 0.])
tensor(6., grad_fn=<SumBackward0>)
None
tensor([1., 1., 1., 1.])
tensor([0., 0., 0., 0.])
None
tensor([0., 2., 4., 6.])
tensor([0., 0., 0., 0.])
None
tensor([True, True, True, True])
tensor([0., 0., 0., 0.])
None
tensor([True, True, True, True])
"""


def test_seed_004_prints_what_the_tutorial_shows():
    assert printed(seed_004_program) == SEED_004_OUTPUT


def test_seed_004_control_flow_gradient_is_d_over_a():
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    for seed in range(20):
        torch.manual_seed(seed)
        a = torch.randn(size=(), requires_grad=True)
        d = f(a)
        d.backward()
        assert a.grad.item() == pytest.approx(
            (d / a).item(), rel=1e-6
        )  # f is linear in a: f(a) = k·a (float32)


def test_seed_004_chain_rule_for_vectors():
    # z = (<x, w> - y)²: dz/dw = 2(<x, w> - y)·x ; ||Xw - y||²: d/dw = 2Xᵀ(Xw - y)
    x, w, y = (
        torch.tensor([1.0, 2.0, 3.0]),
        torch.tensor([0.5, -1.0, 2.0], requires_grad=True),
        torch.tensor(4.0),
    )
    z = (torch.dot(x, w) - y) ** 2
    z.backward()
    r = 1 * 0.5 + 2 * -1.0 + 3 * 2.0 - 4.0
    assert w.grad.tolist() == pytest.approx([2 * r * 1, 2 * r * 2, 2 * r * 3])
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w2 = torch.tensor([0.1, -0.2], requires_grad=True)
    target = torch.tensor([1.0, 0.0, -1.0])
    ((X @ w2 - target).norm() ** 2).backward()
    residual = [1 * 0.1 + 2 * -0.2 - 1.0, 3 * 0.1 + 4 * -0.2, 5 * 0.1 + 6 * -0.2 + 1.0]
    expected = [2 * sum(X.tolist()[i][j] * residual[i] for i in range(3)) for j in range(2)]
    assert w2.grad.tolist() == pytest.approx(expected, rel=1e-6)  # float32 inputs, as in PyTorch


def test_seed_programs_print_the_same_as_pytorch(torch):  # PyTorch; the module's torch is ours
    ours_001, ours_004 = printed(seed_001_program), printed(seed_004_program)
    globals()["torch"] = torch
    try:
        assert printed(seed_001_program) == ours_001
        assert printed(seed_004_program) == ours_004
    finally:
        globals()["torch"] = t
