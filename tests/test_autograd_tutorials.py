"""PyTorch's autograd tutorials on higher derivatives, run with `import micrograd as torch`, print
what they print under PyTorch; and the two mechanisms they rest on, compared with torch in
general: gradgradcheck's random grad_outputs, and forward mode's tangents taken from the numbers
a float32 tensor holds.

Each program follows, call for call, the tutorial named above it, written out again here (the
torchviz drawings left out, what they show printed instead), and is run by pytorch_harness under
PyTorch 2.13 and under micrograd with the same random numbers.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output

pytestmark = pytest.mark.usefixtures("torch")  # every test here runs PyTorch too

# pytorch/tutorials intermediate_source/custom_function_double_backward_tutorial.rst
DOUBLE_BACKWARD = """
import torch

class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**2

    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return grad_out * 2 * x

x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(Square.apply, x))
print(torch.autograd.gradgradcheck(Square.apply, x))
x = torch.tensor(1., requires_grad=True).clone()
out = Square.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
print(grad_x, out)

class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = torch.exp(x)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_out):
        result, = ctx.saved_tensors
        return result * grad_out

x = torch.tensor(1., requires_grad=True, dtype=torch.double).clone()
print(torch.autograd.gradcheck(Exp.apply, x))
print(torch.autograd.gradgradcheck(Exp.apply, x))
out = Exp.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
print(grad_x, out)
print(torch.autograd.grad(grad_x, x))

class Sinh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2, expx, expnegx

    @staticmethod
    def backward(ctx, grad_out, _grad_out_exp, _grad_out_negexp):
        expx, expnegx = ctx.saved_tensors
        grad_input = grad_out * (expx + expnegx) / 2
        grad_input += _grad_out_exp * expx
        grad_input -= _grad_out_negexp * expnegx
        return grad_input

def sinh(x):
    return Sinh.apply(x)[0]

x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(sinh, x))
print(torch.autograd.gradgradcheck(sinh, x))
out = sinh(x)
grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
print(grad_x)
print(torch.autograd.grad(grad_x.sum(), x))

class SinhBad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.expx = expx
        ctx.expnegx = expnegx
        return (expx - expnegx) / 2

    @staticmethod
    def backward(ctx, grad_out):
        expx = ctx.expx
        expnegx = ctx.expnegx
        grad_input = grad_out * (expx + expnegx) / 2
        return grad_input

out = SinhBad.apply(x)
grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
print(grad_x.requires_grad, grad_x.grad_fn)

def cube_forward(x):
    return x**3

def cube_backward(grad_out, x):
    return grad_out * 3 * x**2

def cube_backward_backward(grad_out, sav_grad_out, x):
    return grad_out * sav_grad_out * 6 * x

def cube_backward_backward_grad_out(grad_out, x):
    return grad_out * 3 * x**2

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return cube_forward(x)

    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return CubeBackward.apply(grad_out, x)

class CubeBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, grad_out, x):
        ctx.save_for_backward(x, grad_out)
        return cube_backward(grad_out, x)

    @staticmethod
    def backward(ctx, grad_out):
        x, sav_grad_out = ctx.saved_tensors
        dx = cube_backward_backward(grad_out, sav_grad_out, x)
        dgrad_out = cube_backward_backward_grad_out(grad_out, x)
        return dgrad_out, dx

x = torch.tensor(2., requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(Cube.apply, x))
print(torch.autograd.gradgradcheck(Cube.apply, x))
out = Cube.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
print(grad_x, out)
print(torch.autograd.grad(grad_x, x))
"""


def test_custom_function_double_backward_tutorial():
    same_output(DOUBLE_BACKWARD)


# pytorch/tutorials intermediate_source/jacobians_hessians.py (D = 16 cut to 4; the benchmarks
# left out; the taller and wider matrices 2048 x 32 cut to 5 x 3 and 3 x 5; the Hessian's 512 x 32
# to 5 x 3; the batch of 64 to 4, Din x Dout 31 x 33 to 3 x 2; the hvp's 2048 to 6)
JACOBIANS_HESSIANS = """
import torch
import torch.nn.functional as F
from functools import partial
_ = torch.manual_seed(0)

def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()

D = 4
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)

def compute_jac(xp):
    jacobian_rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0]
                     for vec in unit_vectors]
    return torch.stack(jacobian_rows)

xp = x.clone().requires_grad_()
unit_vectors = torch.eye(D)
jacobian = compute_jac(xp)
print(jacobian.shape)
print(jacobian[0])

from torch.func import vmap, vjp
_, vjp_fn = vjp(partial(predict, weight, bias), x)
ft_jacobian, = vmap(vjp_fn)(unit_vectors)
print(torch.allclose(ft_jacobian, jacobian))

from torch.func import jacrev
ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)
print(torch.allclose(ft_jacobian, jacobian))
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jac_weight.shape, ft_jac_bias.shape)

from torch.func import jacrev, jacfwd
for Din, Dout in [(3, 5), (5, 3)]:
    weight = torch.randn(Dout, Din)
    bias = torch.randn(Dout)
    x = torch.randn(Din)
    print(weight.shape)
    print(torch.allclose(jacfwd(predict, argnums=2)(weight, bias, x),
                         jacrev(predict, argnums=2)(weight, bias, x)))

from torch.func import hessian
Din = 5
Dout = 3
weight = torch.randn(Dout, Din)
bias = torch.randn(Dout)
x = torch.randn(Din)
hess_api = hessian(predict, argnums=2)(weight, bias, x)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
print(torch.allclose(hess_api, hess_fwdfwd))
print(torch.allclose(hess_api, hess_revrev))
print(hess_api.shape)
print(hess_api[0])

batch_size = 4
Din = 3
Dout = 2
weight = torch.randn(Dout, Din)
print(f"weight shape = {weight.shape}")
bias = torch.randn(Dout)
x = torch.randn(batch_size, Din)
compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
batch_jacobian0 = compute_batch_jacobian(weight, bias, x)

def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)

batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
print(torch.allclose(batch_jacobian0, batch_jacobian1))
compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))
batch_hess = compute_batch_hessian(weight, bias, x)
print(batch_hess.shape)

from torch.func import jvp, grad, vjp

def hvp(f, primals, tangents):
  return jvp(grad(f), primals, tangents)[1]

def f(x):
  return x.sin().sum()

x = torch.randn(6)
tangent = torch.randn(6)
result = hvp(f, (x,), (tangent,))

def hvp_revrev(f, primals, tangents):
  _, vjp_fn = vjp(grad(f), *primals)
  return vjp_fn(*tangents)

result_hvp_revrev = hvp_revrev(f, (x,), (tangent,))
print(torch.allclose(result, result_hvp_revrev[0]))
print(result)
"""


def test_jacobians_hessians_tutorial():
    same_output(JACOBIANS_HESSIANS)


# torch.autograd.gradgradcheck as its docstring describes it: random grad_outputs (drawn from the
# generator, so the numbers drawn after it are the same), or those given; a wrong second
# derivative found, with the error PyTorch raises
GRADGRADCHECK = """
import torch

class SinhBad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.expx = torch.exp(x)
        ctx.expnegx = torch.exp(-x)
        return (ctx.expx - ctx.expnegx) / 2

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out * (ctx.expx + ctx.expnegx) / 2

x = torch.rand(2, requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(SinhBad.apply, x))
print(torch.autograd.gradgradcheck(SinhBad.apply, x, raise_exception=False))
try:
    torch.autograd.gradgradcheck(SinhBad.apply, x)
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])

def two(x):
    return x ** 2, (x * 3).sin()

print(torch.autograd.gradgradcheck(two, (x,)))
print(torch.rand(2))
v = torch.tensor([0.5, -2.0], dtype=torch.double)
print(torch.autograd.gradgradcheck(lambda t: t.exp(), x, grad_outputs=v))
y = torch.rand(2, requires_grad=True, dtype=torch.double)
print(torch.autograd.gradgradcheck(lambda a, b: (a * b * b).sum(), (x, y)))
print(torch.rand(2))
"""


def test_gradgradcheck_draws_and_checks_as_pytorch():
    same_output(GRADGRADCHECK)


def test_gradgradcheck_checks_against_grad_outputs(torch):
    """The grad_outputs are inputs of the check too: a backward that detaches its grad_output
    (its result then never depends on it, for autograd) fails, under torch as under micrograd,
    though its second derivatives along x are right."""

    def square(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, grad_out):
                (x,) = ctx.saved_tensors
                return grad_out.detach() * 2 * x

        return Square.apply

    results = []
    for lib in (torch, micrograd):
        x = lib.tensor([0.7, -0.2], dtype=lib.float64, requires_grad=True)
        results.append(
            (
                lib.autograd.gradcheck(square(lib), x),
                lib.autograd.gradgradcheck(square(lib), x, raise_exception=False),
            )
        )
    assert results[0] == results[1] == (True, False)


ELEMENTWISE = ["tanh", "sigmoid", "exp", "sqrt", "reciprocal", "log", "sin"]


@given(
    st.sampled_from(ELEMENTWISE),
    st.lists(st.floats(0.0625, 4.0, width=32), min_size=1, max_size=4),
)
def test_jacfwd_takes_the_rounded_float32_result(torch, name, numbers):
    """Forward mode's ∂tanh = 1 - out² uses out as the float32 tensor holds it, as reverse mode
    and PyTorch do: jacfwd and jacrev agree exactly (near tanh's saturation, 1 - out² from the
    unrounded out is off by 1e-6), and torch's jacfwd to a few float32 roundings (torch rounds
    each step, micrograd only the result)."""

    def f(lib):
        return lambda x: getattr(x * 2.0, name)()

    x = micrograd.tensor(numbers)
    forward = micrograd.func.jacfwd(f(micrograd))(x)
    reverse = micrograd.func.jacrev(f(micrograd))(x)
    assert forward.tolist() == reverse.tolist()
    if name == "sigmoid":  # micrograd's reverse rule for σ differs from torch's deep in saturation
        return
    expected = torch.func.jacfwd(f(torch))(torch.tensor(numbers)).tolist()
    for got_row, row in zip(forward.tolist(), expected):
        assert got_row == pytest.approx(row, rel=2e-6, abs=1e-30)


@given(st.lists(st.floats(-3.0, 3.0, width=32), min_size=2, max_size=3))
def test_forward_over_forward_agrees_with_reverse(torch, numbers):
    """Nested dual levels (a Hessian by jacfwd of jacfwd) give the Hessian reverse mode gives."""

    def f(x):
        return (x * 1.5).tanh().sum() * x[0]

    x = micrograd.tensor(numbers)
    fwdfwd = micrograd.func.jacfwd(micrograd.func.jacfwd(f))(x).tolist()
    revrev = micrograd.func.jacrev(micrograd.func.jacrev(f))(x).tolist()
    expected = torch.func.hessian(f)(torch.tensor(numbers)).tolist()
    for a, b, c in zip(fwdfwd, revrev, expected):
        assert a == pytest.approx(c, rel=1e-5, abs=1e-6)
        assert b == pytest.approx(c, rel=1e-5, abs=1e-6)
