"""Tensor functions teachers' programs use, against torch 2.13: softmax and log_softmax (methods,
torch. functions, dtype=), argmax/argmin, sort, topk, cumsum, cumprod, var/std, max/min's
arguments, NumPy's axis=/keepdims=, out=, from_numpy, vmap at the top level, arange, zeros_like.

Each case is a function of the library (torch or micrograd) run under both; what it returns
(values, dtypes, shapes, gradients, printed text, or the error's type) must agree.
"""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg
from pytorch_harness import same_output


def outcome(lib, case):
    """What case(lib) gives: numbers, dtypes and shapes of the tensors it returns, nested; or
    its error's type."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = case(lib)
    except (RuntimeError, IndexError, TypeError, ValueError) as error:
        return type(error).__name__
    return described(result)


def described(x):
    if isinstance(x, (tuple, list)):
        return [described(y) for y in x]
    if hasattr(x, "tolist") and hasattr(x, "dtype"):
        numbers = x.detach().reshape(-1).tolist()
        numbers = ["nan" if v != v else round(v, 5) for v in numbers]
        return (str(x.dtype), tuple(x.shape), numbers)
    return x


def agree(torch, case):
    ours, theirs = outcome(mg, case), outcome(torch, case)
    assert ours == theirs
    return ours


def with_gradient(function, data, dtype="float64"):
    """A case: function(x) of a leaf x of `data`, and x's gradient of function(x)·w for fixed
    weights w (so that every output element counts differently)."""

    def case(lib):
        x = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=True)
        y = function(lib, x)
        out = y[0] if isinstance(y, tuple) else y
        weights = lib.arange(1, out.numel() + 1, dtype=out.dtype).reshape(out.shape)
        (out * weights).sum().backward()
        return y, x.grad, type(out.grad_fn).__name__

    return case


MATRIX = [[1.0, -2.0, 3.0], [0.5, 0.5, -1.0]]


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_methods_functions_and_nn_functional(torch, name, dim):
    agree(torch, with_gradient(lambda lib, x: getattr(x, name)(dim), MATRIX))
    agree(torch, with_gradient(lambda lib, x: getattr(lib, name)(x, dim), MATRIX, "float32"))
    agree(torch, with_gradient(lambda lib, x: getattr(lib.nn.functional, name)(x, dim=dim), MATRIX))
    # dtype=: the input is cast first (ToCopyBackward0, then the function)
    cast = agree(torch, with_gradient(lambda lib, x: getattr(x, name)(dim, dtype=lib.float64),
                                      MATRIX, "float32"))  # fmt: skip
    assert cast[0][0] == "torch.float64" and cast[1][0] == "torch.float32"


def test_softmax_of_large_numbers_and_bad_input(torch):
    agree(torch, with_gradient(lambda lib, x: x.softmax(0), [1000.0, 1001.0, -1000.0]))
    agree(torch, with_gradient(lambda lib, x: x.log_softmax(0), [1000.0, 1001.0, -1000.0]))
    assert agree(torch, lambda lib: lib.tensor([1, 2]).softmax(0)) == "NotImplementedError"
    assert agree(torch, lambda lib: lib.tensor([1.0, 2]).softmax(2)) == "IndexError"
    assert agree(torch, lambda lib: lib.tensor([1.0, 2]).softmax()) == "TypeError"
    with pytest.raises(mg.NotSupported, match="give dim"):
        mg.nn.functional.softmax(mg.tensor([1.0, 2.0]))


def test_printed_softmax(torch):
    same_output(
        """
import torch
x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
p = torch.softmax(x, dim=1)
print(p)
print(x.log_softmax(1))
print(torch.log_softmax(x, 0, dtype=torch.float64))
"""
    )


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_ties_first_and_nan(torch, name):
    data = [[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, -1.0, -1.0], [0.0, math.nan, 5.0, math.nan]]
    for kwargs in [{}, {"dim": 0}, {"dim": 1}, {"dim": -1, "keepdim": True}, {"keepdim": True}]:
        agree(torch, lambda lib: getattr(lib.tensor(data), name)(**kwargs))
        agree(torch, lambda lib: getattr(lib, name)(lib.tensor(data[:2]), **kwargs))
    agree(torch, lambda lib: getattr(lib.tensor(4.0), name)())
    agree(torch, lambda lib: getattr(lib.tensor([3, 1, 3]), name)(0))
    assert agree(torch, lambda lib: getattr(lib.tensor([]), name)()) == "IndexError"
    assert agree(torch, lambda lib: getattr(lib.zeros(2, 0), name)(1)) == "IndexError"


CHOICES = st.sampled_from([0.0, 1.0, -1.0, 2.0, 2.0, -0.5, math.inf, -math.inf])
FINITE = st.sampled_from([0.0, 1.0, -1.0, 2.0, 2.0, -0.5])


@st.composite
def matrices(draw, elements=CHOICES):
    rows, cols = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    return [[draw(elements) for _ in range(cols)] for _ in range(rows)]


@settings(max_examples=60, deadline=None)
@given(matrices(), st.sampled_from([0, 1, -1]), st.booleans())
def test_sort_values_indices_and_gradient_match_torch(torch, data, dim, descending):
    """Ties keep their order (torch's stable CPU sort); the gradient goes where each came from.
    (topk's order of ties is its own: the test below gives it distinct numbers.)"""
    agree(torch, with_gradient(lambda lib, x: tuple(x.sort(dim, descending)), data))
    agree(torch, with_gradient(lambda lib, x: tuple(lib.sort(x, dim=dim, stable=True)), data))


@settings(max_examples=60, deadline=None)
@given(matrices(FINITE), st.sampled_from([0, 1, -1]), st.booleans(), st.integers(0, 4))
def test_topk_matches_torch(torch, data, dim, largest, k):
    distinct = [[x + 0.01 * (i * 5 + j) for j, x in enumerate(r)] for i, r in enumerate(data)]
    agree(torch, with_gradient(lambda lib, x: tuple(x.topk(k, dim, largest)), distinct))


def test_sort_and_topk_print_as_torch(torch):
    same_output(
        """
import torch
x = torch.tensor([[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]], requires_grad=True)
print(torch.sort(x))
print(x.sort(dim=0, descending=True))
values, indices = x.topk(2)
print(values, indices)
print(torch.topk(x, 1, dim=0, largest=False))
print(torch.tensor([2, 0, 1]).sort())
"""
    )
    assert agree(torch, lambda lib: lib.tensor([1.0, 2.0]).topk(3)) == "RuntimeError"
    agree(torch, lambda lib: tuple(lib.tensor([[2, 9, 1]]).topk(2)))
    agree(torch, lambda lib: tuple(lib.tensor([math.nan, 1.0, math.nan, 0.0]).sort()))
    agree(torch, lambda lib: tuple(lib.tensor([math.nan, 1.0, math.nan]).sort(descending=True)))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_cumprod_values_and_gradients(torch, name, dim):
    agree(torch, with_gradient(lambda lib, x: getattr(x, name)(dim), MATRIX))
    agree(torch, with_gradient(lambda lib, x: getattr(lib, name)(x, dim), MATRIX, "float32"))
    agree(torch, lambda lib: getattr(lib.tensor([[1, 2], [3, 4]]), name)(dim))
    agree(torch, lambda lib: getattr(lib.tensor([True, True, False]), name)(0))
    agree(torch, lambda lib: getattr(lib.tensor([1, 2]), name)(0, dtype=lib.float64))


@pytest.mark.parametrize(
    "data",
    [[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 3.0], [1.5, -2.0, 0.0], [0.0], [5.0, 0.0, 0.0, 2.0]],
)
def test_cumprod_gradient_with_zeros(torch, data):
    """The gradient at a zero is the product of the others, not 0/0 (closed form and torch)."""
    ours = agree(torch, with_gradient(lambda lib, x: x.cumprod(0), data))
    n = len(data)
    closed = [
        sum((i + 1) * math.prod(data[k] for k in range(i + 1) if k != j) for i in range(j, n))
        for j in range(n)
    ]
    assert ours[1][2] == [round(g, 5) for g in closed]


def test_cumsum_of_float32_runs_in_float64(torch):
    data = [1e8, 1.0, 1.0, 1.0, -1e8, 1.0]
    agree(torch, lambda lib: lib.tensor(data).cumsum(0))


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        ((0,), {}),
        ((1,), {"keepdim": True}),
        ((False,), {}),
        ((1, False), {}),
        ((1, True, True), {}),
        ((), {"dim": 1, "correction": 0}),
        ((), {"dim": (0, 1), "correction": 2}),
        ((), {"unbiased": False}),
        ((), {"axis": 1, "keepdims": True}),
    ],
)
def test_var_std_forms_values_and_gradients(torch, name, args, kwargs):
    data = [[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]]
    agree(torch, with_gradient(lambda lib, x: getattr(x, name)(*args, **kwargs), data))
    agree(torch, lambda lib: getattr(lib, name)(lib.tensor(data), *args, **kwargs))


def test_var_std_closed_form_edges(torch):
    x = [1.0, 2.0, 4.0, 7.0]
    mean = sum(x) / 4
    assert mg.tensor(x).var().item() == pytest.approx(sum((v - mean) ** 2 for v in x) / 3)
    agree(torch, with_gradient(lambda lib, x: x.std(), [2.0, 2.0, 2.0]))  # nan gradient
    agree(torch, with_gradient(lambda lib, x: x.var(), [3.0]))  # one element: nan
    # no degrees of freedom: inf, with a warning (its gradient, inf in PyTorch, is nan here)
    agree(torch, lambda lib: lib.tensor([1.0, 2.0]).var(correction=3))
    with pytest.warns(UserWarning, match="degrees of freedom"):
        mg.tensor([1.0]).var()
    assert agree(torch, lambda lib: lib.tensor([1, 2]).var()) == "RuntimeError"
    assert agree(torch, lambda lib: lib.tensor([1.0]).var(unbiased=True, correction=0)) == (
        "TypeError"
    )


def test_max_min_arguments(torch):
    x = [[1.0, 5.0], [3.0, 2.0]]
    for name in ("max", "min"):
        for args in [(), (0,), (1, True), (-1,)]:
            agree(torch, with_gradient(lambda lib, t: getattr(t, name)(*args), x))
        assert agree(torch, lambda lib: getattr(lib.tensor(x), name)(None)) == "TypeError"
        assert agree(torch, lambda lib: getattr(lib.tensor(x), name)(dim=None)) == "TypeError"
        assert agree(torch, lambda lib: getattr(lib.tensor(x), name)(1.5)) == "TypeError"
        assert agree(torch, lambda lib: getattr(lib.tensor(x), name)(2)) == "IndexError"
        agree(torch, lambda lib: getattr(lib, name)(lib.tensor(x), dim=0, keepdim=True))
        agree(torch, lambda lib: getattr(lib.tensor(2.0), name)(0))
        with pytest.raises(mg.NotSupported, match="elementwise"):
            getattr(mg, name)(mg.tensor(x), mg.tensor(x))


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "amax", "amin", "max", "argmax", "std"])
def test_numpy_axis_and_keepdims(torch, name):
    data = [[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]]
    agree(torch, lambda lib: getattr(lib.tensor(data), name)(axis=1))
    agree(torch, lambda lib: getattr(lib, name)(lib.tensor(data), axis=0, keepdims=True))


@pytest.mark.parametrize(
    "call",
    [
        lambda: mg.exp(mg.ones(2), out=mg.ones(2)),
        lambda: mg.sum(mg.ones(2), out=mg.ones(())),
        lambda: mg.softmax(mg.ones(2), 0, out=mg.ones(2)),
        lambda: mg.zeros(2, out=mg.ones(2)),
        lambda: mg.arange(3, out=mg.ones(3)),
        lambda: mg.cumsum(mg.ones(2), 0, out=mg.ones(2)),
        lambda: mg.cat([mg.ones(2)], out=mg.ones(2)),
        lambda: mg.stack([mg.ones(2)], out=mg.ones(1, 2)),
        lambda: mg.where(mg.ones(2) > 0, 1.0, 0.0, out=mg.ones(2)),
        lambda: mg.randperm(3, out=mg.ones(3)),
    ],
)
def test_out_is_refused_by_name(call):
    with pytest.raises(mg.NotSupported, match="out="):
        call()


def test_from_numpy_copies_dtypes_and_refuses_divergence(torch):
    np = pytest.importorskip("numpy")
    for array in [np.array([1.5, 2.0]), np.array([[1, 2]]), np.array([1.0], dtype=np.float32)]:
        assert described(mg.from_numpy(array.copy())) == described(torch.from_numpy(array.copy()))
    base = np.arange(6.0)
    t = mg.from_numpy(base[:3])
    with pytest.raises(ValueError, match="read-only"):
        base[1] = 7.0  # PyTorch's tensor would see it: micrograd's cannot
    with pytest.raises(mg.NotSupported, match="from_numpy"):
        t.add_(1)
    with pytest.raises(mg.NotSupported, match="from_numpy"):
        t[0] = 3.0
    assert (t * 2).tolist() == [0.0, 2.0, 4.0]  # out of place is fine
    with pytest.raises(TypeError, match="expected np.ndarray"):
        mg.from_numpy([1.0])


def test_vmap_at_the_top_level(torch):
    same_output(
        """
import torch
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(torch.vmap(lambda row: (row * row).sum())(x))
print(torch.vmap(torch.dot)(x, x))
"""
    )


@given(
    st.floats(-5, 5).map(lambda v: round(v, 2)),
    st.floats(0.1, 20).map(lambda v: round(v, 2)),
    st.sampled_from([0.1, 0.25, 0.3, 0.7, 1.5, -0.3, 1 / 3, 0.123, 0.01]),
)
@settings(max_examples=200, deadline=None)
def test_arange_float_steps(torch, start, length, step):
    """Every number to the last bit (PyTorch's CPU kernel fills vectors with fused
    multiply-adds: a plain start + i·step is a bit off in about one case in five)."""
    end = start + length if step > 0 else start - length
    for dtype in ("float32", "float64"):
        ours = mg.arange(start, end, step, dtype=getattr(mg, dtype))
        theirs = torch.arange(start, end, step, dtype=getattr(torch, dtype))
        assert ours.tolist() == theirs.tolist()
    assert mg.arange(start, end, step).tolist() == torch.arange(start, end, step).tolist()


def test_zeros_like_of_0_dim_tensors(torch):
    for make in ("zeros_like", "ones_like", "full_like"):
        extra = (2.5,) if make == "full_like" else ()
        agree(torch, lambda lib: getattr(lib, make)(lib.tensor(3.0), *extra))
        agree(torch, lambda lib: getattr(lib, make)(lib.tensor(3), *extra))
    agree(torch, lambda lib: lib.zeros_like(lib.tensor(3.0), dtype=lib.float64))


# A classifier's evaluation, as teachers write it: softmax, argmax, topk, accuracy.
EVALUATION = """
import torch
torch.manual_seed(0)
logits = torch.randn(5, 4, requires_grad=True)
labels = torch.tensor([0, 3, 1, 1, 2])
probs = logits.softmax(dim=1)
print(probs.sum(axis=1))
predicted = probs.argmax(dim=1)
print(predicted, (predicted == labels).float().mean())
print(torch.topk(probs, 2, dim=1).indices)
loss = -torch.log_softmax(logits, dim=1)[torch.arange(5), labels].mean()
loss.backward()
print(loss, logits.grad)
print(logits.detach().std(dim=0), logits.detach().var(0, unbiased=False))
print(torch.cumsum(probs, dim=1)[:, -1])
"""


def test_evaluation_program(torch):
    same_output(EVALUATION, rel=1e-5)
