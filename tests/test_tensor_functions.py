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
        agree(torch, lambda lib: getattr(lib, name)(lib.tensor(x), lib.tensor(x).t()))


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "amax", "amin", "max", "argmax", "std"])
def test_numpy_axis_and_keepdims(torch, name):
    data = [[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]]
    agree(torch, lambda lib: getattr(lib.tensor(data), name)(axis=1))
    agree(torch, lambda lib: getattr(lib, name)(lib.tensor(data), axis=0, keepdims=True))


@pytest.mark.parametrize(
    "call",
    [
        lambda: mg.exp(mg.ones(2), out=mg.ones(3)),  # PyTorch would resize out
        lambda: mg.max(mg.ones(2, 2), 0, out=(mg.ones(2), mg.ones(2))),
        lambda: mg.zeros(2, out=mg.ones(2)),
        lambda: mg.arange(3, out=mg.ones(3)),
        lambda: mg.cat([mg.ones(2)], out=mg.ones(2)),
        lambda: mg.stack([mg.ones(2)], out=mg.ones(1, 2)),
        lambda: mg.where(mg.ones(2) > 0, 1.0, 0.0, out=mg.ones(2)),
        lambda: mg.randperm(3, out=mg.ones(3)),
    ],
)
def test_out_is_refused_by_name(call):
    with pytest.raises(mg.NotSupported, match="out="):
        call()


OUT_CALLS = {
    "exp": lambda t, out: t.exp(t.tensor([0.0, 1.0]), out=out),
    "mul": lambda t, out: t.mul(t.tensor([1.0, 2.0]), 3, out=out),
    "add": lambda t, out: t.add(t.tensor([1.0, 2.0]), t.tensor([0.5, 0.5]), out=out),
    "sum": lambda t, out: t.sum(t.tensor([[1.0, 2.0], [3.0, 4.0]]), 0, out=out),
    "softmax": lambda t, out: t.softmax(t.tensor([1.0, 2.0]), 0, out=out),
    "cumsum": lambda t, out: t.cumsum(t.tensor([1.0, 2.0]), 0, out=out),
    "matmul": lambda t, out: t.matmul(t.ones(2, 3), t.ones(3, 2), out=out),
}


@pytest.mark.parametrize("name", OUT_CALLS)
def test_out_writes_the_result_into_the_tensor_given(torch, name):
    seen = []
    for lib in (mg, torch):
        out = lib.zeros(*((2, 2) if name == "matmul" else (2,)))
        result = OUT_CALLS[name](lib, out)
        seen.append((result is out, out.tolist()))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("name", ["exp", "mul", "add"])
def test_out_refuses_autograd_and_a_narrower_dtype_as_pytorch(torch, name):
    seen = []
    for lib in (mg, torch):
        for out in (lib.zeros(2, requires_grad=True), lib.zeros(2, dtype=lib.int64)):
            with pytest.raises(RuntimeError) as caught:
                OUT_CALLS[name](lib, out)
            seen.append(str(caught.value))
    assert seen[:2] == seen[2:]


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


# --- Tensor.type, gather, scatter, index_add/copy/fill, masked_fill ---------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_type_names_and_conversions(torch, dtype):
    def case(lib):
        x = lib.tensor([[1, 0], [2, 3]], dtype=getattr(lib, dtype))
        made = [x.type(lib.float), x.type("torch.LongTensor"), x.type(lib.DoubleTensor)]
        return x.type(), [m.type() for m in made], made, x.type(x.dtype) is x

    agree(torch, case)
    for lib in (mg, torch):
        with pytest.raises(ValueError, match="invalid type: 'torch.float'"):
            lib.ones(1).type("torch.float")


def test_accuracy_with_type_float(torch):
    same_output(
        """
        import torch
        pred = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
        y = torch.tensor([1, 0, 0])
        correct = (pred.argmax(1) == y).type(torch.float).sum().item()
        print(correct, correct / len(y), (pred.argmax(1) == y).type())
        """
    )


INDEX = [[0, 1, 0], [1, 0, 0]]
SCATTER_CASES = [
    lambda lib, x: x.gather(1, lib.tensor(INDEX)),
    lambda lib, x: x.gather(0, lib.tensor([[1, 1, 0]])),
    lambda lib, x: lib.gather(x, -1, lib.tensor([[2], [0]])),
    lambda lib, x: x.scatter(0, lib.tensor([[1, 0, 1]]), x[:1] * 10),
    lambda lib, x: x.scatter(1, lib.tensor([[2], [0]]), -1.5),
    lambda lib, x: x.scatter_add(0, lib.tensor(INDEX), x * x),
    lambda lib, x: lib.scatter_add(x, 1, lib.tensor(INDEX), x.exp()),
    lambda lib, x: x.index_add(0, lib.tensor([1, 1]), x * 3, alpha=2),
    lambda lib, x: x.index_add(1, lib.tensor([2, 0, 2]), -x),
    lambda lib, x: x.index_copy(0, lib.tensor([1, 0]), x * x),
    lambda lib, x: x.index_fill(1, lib.tensor([0, 2]), -1.0),
    lambda lib, x: x.index_fill(0, lib.tensor([1]), x[0, 0] * 2),
    lambda lib, x: x.index_fill(0, lib.tensor([-1]), -2.0),
    lambda lib, x: x.masked_fill(x > 0.4, 0.0),
    lambda lib, x: x.masked_fill(lib.tensor([True, False, True]), x.sum()),
    lambda lib, x: lib.masked_fill(x, lib.tensor([[True], [False]]), 2),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", range(len(SCATTER_CASES)))
def test_scatter_family_values_gradients_and_grad_fn(torch, k, dtype):
    data = [[0.5, -1.0, 2.0], [0.25, 0.75, -0.5]]
    agree(torch, with_gradient(SCATTER_CASES[k], data, dtype))


@pytest.mark.parametrize("k", range(len(SCATTER_CASES)))
def test_scatter_family_in_place_forms(torch, k):
    """x.op_(...) on a non-leaf: the same numbers, gradients and grad_fn as x.op(...)."""
    name_of = {"gather": None}

    def case(lib):
        leaf = lib.tensor([[0.5, -1.0, 2.0], [0.25, 0.75, -0.5]], requires_grad=True)
        x = leaf * 1
        out = SCATTER_CASES[k](lib, x)
        name = type(out.grad_fn).__name__
        if name.startswith("Gather") or out.shape != x.shape or tuple(out.shape) != (2, 3):
            return name_of.get(name)
        method = INPLACE_NAMES[name]
        y = leaf * 1
        getattr(y, method)(*IN_PLACE_ARGUMENTS[k](lib, y))
        (y * lib.arange(1.0, 7.0).reshape(2, 3)).sum().backward()
        return y, leaf.grad, type(y.grad_fn).__name__, y._version

    agree(torch, case)


INPLACE_NAMES = {
    "ScatterBackward0": "scatter_",
    "ScatterBackward1": "scatter_",
    "ScatterAddBackward0": "scatter_add_",
    "IndexAddBackward0": "index_add_",
    "IndexCopyBackward0": "index_copy_",
    "IndexFillBackward0": "index_fill_",
    "IndexFillBackward1": "index_fill_",
    "MaskedFillBackward0": "masked_fill_",
    "MaskedFillBackward1": "masked_fill_",
}
IN_PLACE_ARGUMENTS = [
    None,
    None,
    None,
    lambda lib, x: (0, lib.tensor([[1, 0, 1]]), lib.ones(1, 3) * 10),
    lambda lib, x: (1, lib.tensor([[2], [0]]), -1.5),
    lambda lib, x: (0, lib.tensor(INDEX), lib.ones(2, 3)),
    lambda lib, x: (1, lib.tensor(INDEX), lib.ones(2, 3) * 2),
    lambda lib, x: (0, lib.tensor([1, 1]), lib.ones(2, 3)),
    lambda lib, x: (1, lib.tensor([2, 0, 2]), lib.ones(2, 3)),
    lambda lib, x: (0, lib.tensor([1, 0]), lib.ones(2, 3) * 4),
    lambda lib, x: (1, lib.tensor([0, 2]), -1.0),
    lambda lib, x: (0, lib.tensor([1]), lib.tensor(3.0)),
    lambda lib, x: (0, lib.tensor([-1]), -2.0),
    lambda lib, x: (x.detach() > 0.4, 0.0),
    lambda lib, x: (lib.tensor([True, False, True]), 7.0),
    lambda lib, x: (lib.tensor([[True], [False]]), 2),
]


def test_scatter_family_on_integers_and_repeats(torch):
    def case(lib):
        counts = lib.zeros(5, dtype=lib.int64)
        counts.index_add_(0, lib.tensor([0, 3, 3, 4]), lib.ones(4, dtype=lib.int64))
        counts.scatter_add_(0, lib.tensor([1, 1]), lib.tensor([2, 5]))
        filled = counts.masked_fill(counts > 2, 9).index_fill(0, lib.tensor([0]), -3)
        return counts, filled, counts.gather(0, lib.tensor([4, 4, 0]))

    agree(torch, case)


def test_in_place_scatter_on_a_leaf_and_versions(torch):
    for lib in (mg, torch):
        w = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            w.index_fill_(0, lib.tensor([0]), 1.0)
        a = lib.ones(3, requires_grad=True)
        b = a.exp()
        b.masked_fill_(lib.tensor([True, False, False]), 0.0)
        c = b * b
        b.index_add_(0, lib.tensor([1]), lib.ones(1))
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            c.sum().backward()


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: x.gather(1, lib.tensor([[0.0]])),
        lambda lib, x: x.gather(1, lib.tensor([[3]])),
        lambda lib, x: x.gather(1, lib.tensor([0, 1])),
        lambda lib, x: x.gather(1, lib.tensor([[0], [1], [0]])),
        lambda lib, x: x.gather(1, lib.tensor([[-1], [1]])),
        lambda lib, x: x.scatter(1, lib.tensor([[0], [1], [0]]), 1.0),
        lambda lib, x: x.scatter(1, lib.tensor([[0, 1]]), lib.ones(1, 1)),
        lambda lib, x: x.scatter(1, lib.tensor([[0, 1]]), lib.ones(1, 2, dtype=lib.float64)),
        lambda lib, x: x.index_add(0, lib.tensor([0]), lib.ones(1, 2)),
        lambda lib, x: x.index_add(0, lib.tensor([0, 1]), lib.ones(1, 3)),
        lambda lib, x: x.index_add(0, lib.tensor([[0]]), lib.ones(1, 3)),
        lambda lib, x: x.index_add(0, lib.tensor([0]), lib.ones(1, 3, dtype=lib.float64)),
        lambda lib, x: x.index_add(0, lib.tensor([5]), lib.ones(1, 3)),
        lambda lib, x: x.index_add(0, lib.tensor([1.0]), lib.ones(1, 3)),
        lambda lib, x: x.index_copy(0, lib.tensor([0]), lib.ones(1, 2)),
        lambda lib, x: x.index_copy(0, lib.tensor([3]), lib.ones(1, 3)),
        lambda lib, x: x.index_fill(0, lib.tensor([3]), 1),
        lambda lib, x: x.index_fill(0, lib.tensor([1.0]), 1),
        lambda lib, x: x.masked_fill(lib.tensor([True, False]), 1),
        lambda lib, x: x.masked_fill(lib.tensor([1, 0, 1]), 0.0),
        lambda lib, x: x.masked_fill(x > 2, lib.tensor([1.0, 2.0])),
        lambda lib, x: x.masked_fill_(lib.tensor([[True], [False], [True]]), 1.5),
    ],
)
def test_scatter_family_errors_are_pytorchs(torch, call):
    messages = []
    for lib in (mg, torch):
        x = lib.arange(6.0).reshape(2, 3)
        with pytest.raises((RuntimeError, IndexError)) as error:
            call(lib, x)
        messages.append((error.type, str(error.value).split("\n")[0]))
    assert messages[0] == messages[1]


# --- maximum/minimum, rounding division, remainder, fmod ----------------------------------------
TWO_OPERANDS = [
    lambda lib, x: lib.maximum(x, x.detach() * 0 + lib.tensor([[0.5], [0.0]])),
    lambda lib, x: lib.minimum(x, lib.tensor([0.5, 0.5, 2.0])),
    lambda lib, x: lib.max(x, lib.zeros(3)),
    lambda lib, x: lib.min(x, lib.tensor([[0.25], [-0.5]], dtype=lib.float64)),
    lambda lib, x: x.maximum(lib.tensor([1, 0, 2])),
    lambda lib, x: lib.div(x, lib.tensor([0.5, -0.75, 0.0]), rounding_mode="floor"),
    lambda lib, x: x.div(-0.3, rounding_mode="trunc"),
    lambda lib, x: x % lib.tensor([0.75, -0.4, 0.0]),
    lambda lib, x: lib.remainder(x, 0.3),
    lambda lib, x: lib.fmod(x, lib.tensor([[0.3], [-0.2]])),
    lambda lib, x: x.fmod(-1.5),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", range(len(TWO_OPERANDS)))
def test_two_operand_functions_values_gradients_and_grad_fn(torch, k, dtype):
    data = [[0.5, -1.0, 2.0], [0.25, 0.75, -0.5]]
    agree(torch, with_gradient(TWO_OPERANDS[k], data, dtype))


def test_maximum_gradient_at_ties_and_nan(torch):
    def case(lib):
        a = lib.tensor([1.0, 2.0, 3.0, math.nan, 1.0], requires_grad=True)
        b = lib.tensor([1.0, 3.0, 2.0, 0.0, math.nan], requires_grad=True)
        (lib.maximum(a, b) * 2 + lib.minimum(a, b)).sum().backward()
        return lib.maximum(a, b), lib.minimum(b, a), a.grad, b.grad

    agree(torch, case)
    for lib in (mg, torch):
        with pytest.raises(TypeError, match="must be Tensor, not float"):
            lib.maximum(lib.ones(2), 2.0)


ROUNDING_CASES = [
    lambda lib: lib.tensor([5, -5, 7]) // lib.tensor([2, 2, -2]),
    lambda lib: lib.tensor([5, -5, 7]) % lib.tensor([2, 2, -2]),
    lambda lib: lib.fmod(lib.tensor([5, -5, 7]), lib.tensor([2, 2, -2])),
    lambda lib: lib.div(lib.tensor([5, -5]), 2, rounding_mode="trunc"),
    lambda lib: lib.div(lib.tensor([5, -5]), 2, rounding_mode=None),
    lambda lib: lib.tensor([5, -5]) // 2.0,
    lambda lib: lib.tensor([5, -5]) % 2.5,
    lambda lib: 7 // lib.tensor([2, -2]),
    lambda lib: 7 % lib.tensor([2.0, -2.0]),
    lambda lib: lib.tensor([-0.0, 0.0]) % 2,
    lambda lib: lib.tensor([0.0]) // -2,
    lambda lib: lib.tensor([math.inf, 5.0, -5.0]) % lib.tensor([2.0, math.inf, math.inf]),
    lambda lib: lib.tensor([0.1, 0.7, -0.3]) // lib.tensor([0.1]),
    lambda lib: lib.tensor([1e8, 3.3]) % lib.tensor([0.1]),
    lambda lib: lib.tensor([5.0], dtype=lib.float64) // lib.tensor([2.0]),
    lambda lib: lib.tensor([5]) % lib.tensor([0.0]),
    lambda lib: lib.tensor([5]) // 0,
    lambda lib: lib.tensor([5]) % 0,
    lambda lib: lib.div(lib.ones(2), 2, rounding_mode="round"),
]


@pytest.mark.parametrize("case", ROUNDING_CASES)
def test_rounding_division_dtypes_numbers_and_errors(torch, case):
    agree(torch, case)


def test_rounding_in_place_and_refusals(torch):
    def case(lib):
        b = lib.tensor([1.0, 2.0, 7.5])
        b //= 2
        c = b.clone()
        c %= 0.3
        return b, c, lib.tensor([7, 8]).fmod_(3), lib.tensor([7.0, -8.0]).remainder_(3)

    agree(torch, case)
    x = mg.tensor([5.0], requires_grad=True)
    with pytest.raises(mg.NotSupported, match="rounding_mode='floor'"):
        x // 2
    with pytest.raises(mg.NotSupported, match="without a derivative"):
        2 % x
    with mg.no_grad():
        assert (x // 2).tolist() == [2.0]
    with pytest.raises(NotImplementedError, match="div_floor_cpu"):
        mg.tensor([True]) // mg.tensor([True])


FLOATS = st.floats(-1e6, 1e6, allow_nan=False, width=32) | st.sampled_from([0.0, -0.0, math.inf])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(FLOATS, FLOATS), min_size=1, max_size=6), st.booleans())
def test_rounding_division_matches_torch_on_any_numbers(torch, pairs, float64):
    kind = "float64" if float64 else "float32"

    def case(lib):
        a = lib.tensor([p for p, _ in pairs], dtype=getattr(lib, kind))
        b = lib.tensor([q for _, q in pairs], dtype=getattr(lib, kind))
        return [
            lib.div(a, b, rounding_mode="floor"),
            lib.div(a, b, rounding_mode="trunc"),
            a % b,
            lib.fmod(a, b),
            lib.maximum(a, b),
        ]

    ours, theirs = outcome(mg, case), outcome(torch, case)
    assert ours == theirs


def test_remainder_gradient_by_central_differences():
    """∂(a mod b)/∂a = 1 and ∂/∂b = −⌊a/b⌋ away from the jumps, by central differences."""
    a = mg.tensor([5.5, -5.5, 3.2, 7.1], dtype=mg.float64, requires_grad=True)
    b = mg.tensor([2.0, 2.0, -2.0, 0.7], dtype=mg.float64, requires_grad=True)
    (a % b).sum().backward()
    h = 1e-6
    for i in range(4):
        for t, g in ((a, a.grad), (b, b.grad)):
            up, down = t.detach().clone(), t.detach().clone()
            up[i] += h
            down[i] -= h
            other = b.detach() if t is a else a.detach()
            f = (lambda u: u % other) if t is a else (lambda u: other % u)
            slope = (f(up).sum().item() - f(down).sum().item()) / (2 * h)
            assert g[i].item() == pytest.approx(slope, abs=1e-6)


# --- the top level: accelerators, anomaly mode, dtypes micrograd lacks, type(t), whole models ------
QUICKSTART_DEVICE = """
import torch
from torch import nn
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
print(torch.accelerator.device_count(), torch.cuda.is_available(), torch.backends.mps.is_available())
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).to(device)
X = torch.rand(2, 2, 2, device=device)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(type(X), type(logits) is torch.Tensor, y_pred.type(), logits.shape)
"""


def test_quickstart_device_line(torch):
    same_output(QUICKSTART_DEVICE, rel=1e-6)


def test_accelerator_and_backends_on_a_cpu_machine(torch):
    for lib in (mg, torch):
        assert lib.accelerator.current_accelerator() is None
        assert lib.accelerator.is_available() is False and lib.accelerator.device_count() == 0
        assert lib.backends.mps.is_available() is False and lib.backends.mps.is_built() is False
        assert lib.backends.cudnn.deterministic is False
    import micrograd.backends.mps  # noqa: F401  (as `import torch.backends.mps`)

    with pytest.raises(mg.NotSupported, match="torch.accelerator.synchronize"):
        mg.accelerator.synchronize()


def test_dtypes_micrograd_lacks_are_refused_by_name():
    for name in ("int16", "int8", "uint8", "float16", "bfloat16"):
        with pytest.raises(mg.NotSupported, match=rf"torch\.{name}: its dtypes are"):
            getattr(mg, name)


def test_type_of_a_tensor_prints_as_torchs_in_programs(torch):
    assert repr(type(mg.ones(1))) == "<class 'micrograd.Tensor'>"
    same_output(
        "import torch\nprint(type(torch.ones(2)), type(torch.zeros(1, requires_grad=True)))"
    )


SAVE_A_MODEL = """
import os
import tempfile
import torch
from torch import nn
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
x = torch.rand(2, 3)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "model.pth")
    torch.save(model, path)
    try:
        torch.load(path)
    except Exception as error:
        print(type(error).__name__, str(error).split(".")[0])
    loaded = torch.load(path, weights_only=False)
    print(loaded)
    print(torch.equal(loaded(x), model(x)), loaded[0].weight.requires_grad)
    torch.save(model.state_dict(), path)
    fresh = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    print(fresh.load_state_dict(torch.load(path, weights_only=True)))
    print(torch.equal(fresh(x), model(x)))
"""


def test_save_and_load_a_whole_model(torch):
    same_output(SAVE_A_MODEL)


def test_a_whole_model_loads_only_when_trusted(tmp_path):
    path = tmp_path / "m.pth"
    mg.save({"model": mg.nn.Linear(2, 1), "epoch": 3}, path)
    for weights_only in (None, True):
        with pytest.raises(Exception, match="Weights only load failed") as error:
            mg.load(path, weights_only=weights_only)
        assert type(error.value).__name__ == "UnpicklingError"
        assert "micrograd.nn.modules.Linear" in str(error.value) or "dict" in str(error.value)
    loaded = mg.load(path, weights_only=False)
    assert loaded["epoch"] == 3 and isinstance(loaded["model"], mg.nn.Linear)
