"""Composed function transforms against torch.func: torch.func's numbers, never a zero matrix in
their place.

Random smooth functions Rⁿ → R and Rⁿ → Rᵐ, written once and run by both libraries; every
composition of grad, vjp, jvp, jacrev, jacfwd, hessian and dual numbers, two and three deep,
must give torch.func's numbers.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg
from micrograd import func
from micrograd.autograd import forward_ad

N = 2  # inputs
UNARY = ("sin", "cos", "tanh", "sigmoid", "exp")


def expressions() -> st.SearchStrategy:
    leaves = st.integers(0, N - 1).map(lambda i: ("x", i))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(UNARY), inner),
            st.tuples(st.sampled_from("+-*"), inner, inner),
        ),
        max_leaves=5,
    )


def evaluate(e: tuple, x):
    """The expression on x[0], x[1] (a micrograd or a torch tensor): methods and operators only."""
    if e[0] == "x":
        return x[e[1]]
    if e[0] in "+-*" and len(e) == 3:
        a, b = evaluate(e[1], x), evaluate(e[2], x)
        return a + b if e[0] == "+" else a - b if e[0] == "-" else a * b
    return getattr(evaluate(e[1], x), e[0])()


def scalar(e: tuple, lib):
    """Rⁿ → R: the expression plus a term in every input, so no derivative is trivially absent."""
    return lambda x: evaluate(e, x) + (x * x).sum() * 0.25


def vector(es: list, lib):
    """Rⁿ → Rᵐ."""
    return lambda x: lib.stack([evaluate(e, x) * (k + 1) for k, e in enumerate(es)])


V, U = [0.7, -1.3], [0.4, 1.1]


def compositions(lib, T):
    """name -> (f -> the composed transform applied at x), for one library (micrograd or torch)."""
    v, u = T(V), T(U)

    def through_dual_numbers(f, x):
        ad = forward_ad if lib is mg else lib.autograd.forward_ad
        grad = func.grad if lib is mg else lib.func.grad
        with ad.dual_level():
            dual = ad.make_dual(x, v)
            return ad.unpack_dual(grad(f)(dual)).tangent

    F = func if lib is mg else lib.func
    return {
        "hessian": lambda f, x: F.hessian(f)(x),
        "jacfwd(jacrev)": lambda f, x: F.jacfwd(F.jacrev(f))(x),
        "jacrev(jacfwd)": lambda f, x: F.jacrev(F.jacfwd(f))(x),
        "jacfwd(jacfwd)": lambda f, x: F.jacfwd(F.jacfwd(f))(x),
        "jacrev(jacrev)": lambda f, x: F.jacrev(F.jacrev(f))(x),
        "jvp(grad)": lambda f, x: F.jvp(F.grad(f), (x,), (v,))[1],
        "grad(jvp)": lambda f, x: F.grad(lambda y: F.jvp(f, (y,), (v,))[1])(x),
        "jvp(jvp)": lambda f, x: F.jvp(lambda y: F.jvp(f, (y,), (v,))[1], (x,), (u,))[1],
        "vjp(grad)": lambda f, x: F.vjp(F.grad(f), x)[1](u)[0],
        "jvp(vjp)": lambda f, x: F.jvp(lambda y: F.vjp(f, y)[1](T(1.0))[0], (x,), (v,))[1],
        "dual numbers through grad": through_dual_numbers,
        "jacfwd(jacrev(jacrev))": lambda f, x: F.jacfwd(F.jacrev(F.jacrev(f)))(x),
        "jacrev(jacfwd(jacfwd))": lambda f, x: F.jacrev(F.jacfwd(F.jacfwd(f)))(x),
        "jacfwd(jacfwd(jacfwd))": lambda f, x: F.jacfwd(F.jacfwd(F.jacfwd(f)))(x),
        "jvp(jvp(grad))": lambda f, x: F.jvp(lambda y: F.jvp(F.grad(f), (y,), (v,))[1], (x,), (u,))[
            1
        ],
        "grad(jvp(jvp))": lambda f, x: F.grad(
            lambda y: F.jvp(lambda z: F.jvp(f, (z,), (v,))[1], (y,), (u,))[1]
        )(x),
        "jvp(hessian)": lambda f, x: F.jvp(F.hessian(f), (x,), (v,))[1],
    }


VECTOR = {  # compositions that also make sense for f: Rⁿ → Rᵐ
    "jacfwd(jacrev)": lambda F, f, x, T: F.jacfwd(F.jacrev(f))(x),
    "jacrev(jacfwd)": lambda F, f, x, T: F.jacrev(F.jacfwd(f))(x),
    "jacfwd(jacfwd)": lambda F, f, x, T: F.jacfwd(F.jacfwd(f))(x),
    "jvp(jacrev)": lambda F, f, x, T: F.jvp(F.jacrev(f), (x,), (T(V),))[1],
    "jacrev(jvp)": lambda F, f, x, T: F.jacrev(lambda y: F.jvp(f, (y,), (T(V),))[1])(x),
    "jvp(vjp)": lambda F, f, x, T: F.jvp(
        lambda y: F.vjp(f, y)[1](T([1.0, -2.0]))[0], (x,), (T(U),)
    )[1],
    "jacfwd(jacrev(jacfwd))": lambda F, f, x, T: F.jacfwd(F.jacrev(F.jacfwd(f)))(x),
}


def numbers(t) -> list:
    """A result of either library as nested lists of floats."""
    if isinstance(t, (int, float)):
        return [float(t)]
    if isinstance(t, mg.Value):
        return [t.data]
    if not isinstance(t, mg.Tensor):  # a torch tensor: torch.func may return zeros without storage
        t = t.new_zeros(t.shape) + t.detach()
    flat = t.detach().reshape(-1).tolist()
    return [float(x) for x in flat]


def tensor_of(lib):
    """x -> a float64 tensor of `lib` (micrograd or torch)."""
    return lambda x: lib.tensor(x, dtype=lib.float64)


mg_tensor = tensor_of(mg)


@settings(max_examples=120, deadline=None)
@given(
    e=expressions(),
    name=st.sampled_from(sorted(compositions(mg, mg_tensor))),
    x=st.lists(st.floats(-1.0, 1.0), min_size=N, max_size=N),
)
def test_compositions_of_transforms_on_scalar_functions_match_torch_func(torch, e, name, x):
    torch_tensor = tensor_of(torch)
    ours = compositions(mg, mg_tensor)[name](scalar(e, mg), mg_tensor(x))
    theirs = compositions(torch, torch_tensor)[name](scalar(e, torch), torch_tensor(x))
    assert numbers(ours) == pytest.approx(numbers(theirs), rel=1e-9, abs=1e-12), (name, e)


@settings(max_examples=60, deadline=None)
@given(
    es=st.lists(expressions(), min_size=2, max_size=2),
    name=st.sampled_from(sorted(VECTOR)),
    x=st.lists(st.floats(-1.0, 1.0), min_size=N, max_size=N),
)
def test_compositions_of_transforms_on_vector_functions_match_torch_func(torch, es, name, x):
    torch_tensor = tensor_of(torch)
    ours = VECTOR[name](func, vector(es, mg), mg_tensor(x), mg_tensor)
    theirs = VECTOR[name](torch.func, vector(es, torch), torch_tensor(x), torch_tensor)
    assert numbers(ours) == pytest.approx(numbers(theirs), rel=1e-9, abs=1e-12), (name, es)


def test_a_hessian_by_forward_over_reverse_is_not_zero():
    # The report: jacfwd(jacrev(f)) gave a zero matrix.
    h = func.jacfwd(func.jacrev(lambda x: (x**3).sum()))(mg_tensor([1.0, 2.0]))
    assert numbers(h) == [6.0, 0.0, 0.0, 12.0]


def test_forward_mode_through_a_custom_function_refuses_instead_of_giving_zeros():
    class Square(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
        func.jvp(Square.apply, (mg_tensor(3.0),), (mg_tensor(1.0),))

    class SquareWithJvp(Square):  # with jvp: its tangent, not forward's own
        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return 2 * x * t

    out, tangent = func.jvp(SquareWithJvp.apply, (mg_tensor(3.0),), (mg_tensor(0.5),))
    assert (out.item(), tangent.item()) == (9.0, 3.0)


def test_a_custom_functions_wrong_jvp_is_caught_by_gradcheck_and_a_misshapen_one_refused():
    class Exp(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.result = x.exp()
            return ctx.result

        @staticmethod
        def jvp(ctx, t):
            return t * ctx.result * 2  # the mistake: d/dx eˣ is eˣ, not 2eˣ

    x = mg_tensor([0.5, -1.0]).double()
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        mg.autograd.gradcheck(Exp.apply, (x,))  # nothing to check: PyTorch's error, not True
    x.requires_grad_()
    with pytest.raises(mg.autograd.GradcheckError, match="forward AD"):
        mg.autograd.gradcheck(Exp.apply, (x,), check_forward_ad=True, check_backward_ad=False)

    class Misshapen(Exp):
        @staticmethod
        def jvp(ctx, t):
            return t.sum()

    with pytest.raises(RuntimeError, match="shape \\[\\] for output 0 of shape \\[2\\]"):
        func.jvp(Misshapen.apply, (x,), (mg_tensor([1.0, 1.0]).double(),))
