"""Tensor: creation, printing, broadcasting, reductions, linear algebra, views, errors, func."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd as mg
from micrograd import autograd, func
from micrograd.autograd import Function


def test_creation_shapes_and_dtypes():
    assert mg.zeros(2, 3).shape == (2, 3) == mg.ones((2, 3)).shape == mg.rand(size=(2, 3)).shape
    assert mg.ones(mg.zeros(4, 1).size()).shape == (4, 1)
    assert repr(mg.zeros(2, 3).size()) == "torch.Size([2, 3])"
    assert mg.tensor([1, 2]).dtype is mg.int64 and mg.tensor([1.0]).dtype is mg.float32
    assert mg.arange(4).dtype is mg.int64 and mg.arange(4.0).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert mg.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert mg.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]] and mg.full((2,), 7.0).tolist() == [
        7.0,
        7.0,
    ]
    assert mg.zeros_like(mg.ones(3, 2)).shape == (3, 2)
    r = mg.randint(-5, 30, (100,))
    assert r.dtype is mg.int64 and all(-5 <= v < 30 for v in r.tolist())
    assert (mg.tensor([1.5]).to(dtype=mg.float64).dtype, mg.tensor([1.5]).double().dtype) == (
        mg.float64,
        mg.float64,
    )


def test_manual_seed_makes_random_tensors_reproducible():
    mg.manual_seed(7)
    a = mg.randn(3, 2).tolist()
    mg.manual_seed(7)
    assert mg.randn(3, 2).tolist() == a
    assert mg.randn(3, 2).tolist() != a


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(
        RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"
    ):
        mg.tensor([1, 2], requires_grad=True)


def test_ragged_data_is_refused():
    with pytest.raises(ValueError, match="expected sequence of length 2 at dim 1"):
        mg.tensor([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize(
    "data",
    [
        [[1.0, 1.0], [1.0, 1.0]],
        [0.0, 4.0, 8.0, 12.0],
        [[-53.75, -73.0, -13.0], [16.25, 12.5, -11.125]],
        [1e-5, 1.0],
        [1e9, 2.0],
        [0.5, -0.25, 1000.0],
        3.5,
        [[0.0, 0.0]],
        [float("nan"), 1.0],
        [float("inf"), -2.5],
        [[1.0, 2.0, 3.0]] * 4,
        [float(i) for i in range(30)],
        [0.125 * i for i in range(50)],
        [[0.5] * 40] * 30,
    ],
)
def test_printing_matches_pytorch(torch, data):
    for kind, torch_kind in ((mg.float32, torch.float32), (mg.float64, torch.float64)):
        ours = mg.tensor(data, dtype=kind)
        theirs = torch.tensor(data, dtype=torch_kind)
        assert repr(ours) == repr(theirs)
    assert repr(mg.tensor(data, requires_grad=True)) == repr(torch.tensor(data, requires_grad=True))


@pytest.mark.parametrize("data", [[1, 2, 3], [[True, False]], 5, [-10, 200], list(range(1200))])
def test_printing_of_integer_and_bool_tensors_matches_pytorch(torch, data):
    assert repr(mg.tensor(data)) == repr(torch.tensor(data))


def test_printing_of_results_and_reductions_matches_pytorch(torch):
    for make in (
        lambda m: (m.tensor([1.0, 2.0], requires_grad=True) * 2).sum(),
        lambda m: m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True).mean(0),
        lambda m: m.tensor([1.0, 2.0]).max(0),
        lambda m: m.tensor([[1.0, 5.0], [3.0, 4.0]]).min(dim=1),
    ):
        assert repr(make(mg)) == repr(make(torch))


def test_a_zero_dim_tensor_formats_as_its_number():
    loss = mg.tensor(2.5, requires_grad=True) * 2
    assert f"{loss}" == "5.0" and f"{loss:.2f}" == "5.00"


shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


@st.composite
def broadcastable(draw):
    shape = draw(shapes)
    other = tuple(1 if draw(st.booleans()) else s for s in shape)[
        draw(st.integers(0, len(shape))) :
    ]
    return (shape, other) if draw(st.booleans()) else (other, shape)


@given(broadcastable(), st.sampled_from(["+", "-", "*", "/"]), st.integers(0, 10_000))
def test_broadcasting_matches_numpy_and_gradients_match_pytorch(torch, pair, op, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2.0, pair[0])
    b = rng.uniform(0.5, 2.0, pair[1])
    apply = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "/": lambda x, y: x / y,
    }[op]
    ma, mb = (
        mg.tensor(a.tolist(), dtype=mg.float64, requires_grad=True),
        mg.tensor(b.tolist(), dtype=mg.float64, requires_grad=True),
    )
    out = apply(ma, mb)
    assert out.shape == np.broadcast_shapes(a.shape, b.shape)
    assert np.allclose(np.array(out.tolist()), apply(a, b), rtol=1e-12)
    (out * out).sum().backward()
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    tout = apply(ta, tb)
    (tout * tout).sum().backward()
    assert np.allclose(np.array(ma.grad.tolist()), ta.grad.numpy(), rtol=1e-12)
    assert np.allclose(np.array(mb.grad.tolist()), tb.grad.numpy(), rtol=1e-12)


@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
    st.data(),
    st.sampled_from(["sum", "mean", "prod", "max", "min", "norm"]),
    st.booleans(),
    st.integers(0, 10_000),
)
def test_reductions_match_pytorch_in_value_and_gradient(torch, shape, data, name, keepdim, seed):
    values = np.random.default_rng(seed).uniform(-2, 2, shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    ours = mg.tensor(values.tolist(), dtype=mg.float64, requires_grad=True)
    theirs = torch.tensor(values, requires_grad=True)

    def reduce(t, module):
        if dim is None:
            return getattr(t, name)()
        result = getattr(t, name)(dim=dim, keepdim=keepdim)
        return result.values if name in ("max", "min") else result

    ours_out, theirs_out = reduce(ours, mg), reduce(theirs, torch)
    assert ours_out.shape == tuple(theirs_out.shape)
    assert np.allclose(np.array(ours_out.tolist()), theirs_out.detach().numpy(), rtol=1e-12)
    assert type(ours_out.grad_fn).__name__ == type(theirs_out.grad_fn).__name__
    (ours_out * 3).sum().backward()
    (theirs_out * 3).sum().backward()
    assert np.allclose(np.array(ours.grad.tolist()), theirs.grad.numpy(), rtol=1e-9)


@pytest.mark.parametrize(
    "a_shape, b_shape, name",
    [
        ((3,), (3,), "DotBackward0"),
        ((2, 3), (3,), "MvBackward0"),
        ((2, 3), (3, 4), "MmBackward0"),
        ((3,), (3, 2), None),
    ],
)
def test_matmul_matches_pytorch(torch, a_shape, b_shape, name):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    ma, mb = (
        mg.tensor(a.tolist(), dtype=mg.float64, requires_grad=True),
        mg.tensor(b.tolist(), dtype=mg.float64, requires_grad=True),
    )
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours, theirs = ma @ mb, ta @ tb
    assert np.allclose(np.array(ours.tolist()), theirs.detach().numpy(), rtol=1e-12)
    if name:
        assert type(ours.grad_fn).__name__ == name == type(theirs.grad_fn).__name__
    ours.sum().backward()
    theirs.sum().backward()
    assert np.allclose(np.array(ma.grad.tolist()), ta.grad.numpy()) and np.allclose(
        np.array(mb.grad.tolist()), tb.grad.numpy()
    )


@pytest.mark.parametrize(
    "view",
    [
        lambda m, x: x.reshape(3, 2),
        lambda m, x: x.view(-1),
        lambda m, x: x.T,
        lambda m, x: x.t(),
        lambda m, x: x.transpose(0, 1),
        lambda m, x: x.unsqueeze(1),
        lambda m, x: x.unsqueeze(0).squeeze(0),
        lambda m, x: x[1],
        lambda m, x: x[:, 1:],
        lambda m, x: x[0, 2],
        lambda m, x: x[:, [0, 2]],
        lambda m, x: x.flatten(),
        lambda m, x: m.cat([x, x], 1),
        lambda m, x: m.stack([x, x * 2]),
        lambda m, x: x.permute(1, 0),
        lambda m, x: x[..., None],
        lambda m, x: x.clone(),
    ],
)
def test_views_indexing_and_joins_match_pytorch(torch, view):
    data = [[1.0, -2.0, 3.0], [4.0, 5.5, -6.0]]
    ours, theirs = mg.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    a, b = view(mg, ours), view(torch, theirs)
    assert a.tolist() == b.tolist() and a.shape == tuple(b.shape)
    assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    (a * a).sum().backward()
    (b * b).sum().backward()
    assert ours.grad.tolist() == theirs.grad.tolist()


def test_the_broadcast_error_is_pytorch_s(torch):
    for a, b in (((2, 3), (4, 5)), ((2,), (3,)), ((4, 1, 3), (2, 2))):
        messages = []
        for lib in (mg, torch):
            with pytest.raises(RuntimeError) as caught:
                lib.ones(*a) + lib.ones(*b)
            messages.append(str(caught.value))
        assert messages[0] == messages[1]


def test_errors_name_the_shapes_and_counts():
    with pytest.raises(RuntimeError, match=r"cannot be multiplied \(2x3 and 2x3\)"):
        mg.ones(2, 3) @ mg.ones(2, 3)
    with pytest.raises(
        RuntimeError, match="a Tensor with 6 elements cannot be converted to Scalar"
    ):
        mg.ones(2, 3).item()
    with pytest.raises(RuntimeError, match=r"shape '\[4, 5\]' is invalid for input of size 6"):
        mg.ones(2, 3).view(4, 5)
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        (mg.ones(2, requires_grad=True) * 2).backward()
    with pytest.raises(RuntimeError, match=r"torch.Size\(\[3\]\).*torch.Size\(\[2\]\)"):
        (mg.ones(2, requires_grad=True) * 2).backward(mg.ones(3))
    with pytest.raises(
        RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"
    ):
        bool(mg.ones(2))
    with pytest.raises(TypeError, match="str"):
        mg.ones(2) + "a"
    with pytest.raises(IndexError, match="out of bounds"):
        mg.ones(2)[5]


def test_pytorch_features_we_do_not_have_raise_not_implemented():
    with pytest.raises(NotImplementedError, match="fft"):
        mg.fft
    with pytest.raises(NotImplementedError, match="CPU only"):
        mg.ones(2).cuda()
    with pytest.raises(NotImplementedError, match="CPU only"):
        mg.zeros(2, device="cuda")
    with pytest.raises(NotImplementedError, match="index_reduce_"):
        mg.ones(2).index_reduce_(0, mg.tensor([0]), mg.ones(1), "prod")
    with pytest.raises(NotImplementedError, match="bitwise_left_shift"):
        mg.ones(2, dtype=mg.int64).bitwise_left_shift(1)
    assert not hasattr(mg.ones(2), "storage")  # still an AttributeError for hasattr


def test_torch_namespaces_exist_and_our_submodules_load_on_use():
    assert mg.nn.Linear and mg.optim.SGD and mg.autograd.Function and mg.func.jacrev
    assert mg.testing.expressions and mg.training.fit_line  # imported on first use
    with pytest.raises(NotImplementedError, match="torch.sparse is not supported"):
        mg.sparse
    assert mg.distributions.Normal


def test_in_place_update_under_no_grad_keeps_the_same_leaf_and_is_refused_outside():
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with pytest.raises(
        RuntimeError,
        match="a leaf Variable that requires grad is being used in an in-place operation",
    ):
        w -= 0.1 * w.grad
    same = w
    with mg.no_grad():
        w -= 0.1 * w.grad
    assert w is same and w.is_leaf and w.requires_grad and w.tolist() == pytest.approx([0.8, 1.6])
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0]
    w.grad = None
    assert w.grad is None


def test_grad_is_none_until_backward_and_accumulates():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    assert x.grad is None
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_tensor_function_with_a_wrong_gradient_shape_names_the_function():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return mg.ones(3)

    with pytest.raises(
        RuntimeError,
        match=r"Function BadBackward returned an invalid gradient at index 0 - got \[3\] but expected shape compatible with \[2\]",
    ):
        Bad.apply(mg.ones(2, requires_grad=True)).sum().backward()


def test_jacobian_of_x_times_sum_of_x_is_s_identity_plus_x_ones():
    values = [1.0, -2.0, 3.5]
    x = mg.tensor(values)
    s = sum(values)
    expected = [[s * (i == j) + values[i] for j in range(3)] for i in range(3)]  # S·I + x1ᵀ
    by_reverse = func.jacrev(lambda x: x * x.sum())(x)
    by_forward = func.jacfwd(lambda x: x * x.sum())(x)
    assert (
        by_reverse.shape == (3, 3)
        and by_reverse.tolist() == expected
        and by_forward.tolist() == expected
    )


def test_hessian_of_sum_of_cubes_at_1_2_is_diag_6_12():
    h = func.hessian(lambda x: (x**3).sum())(mg.tensor([1.0, 2.0]))
    assert h.shape == (2, 2) and h.tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_jacobian_shape_is_out_shape_plus_in_shape():
    j = func.jacrev(lambda x: x.sum(0))(mg.ones(2, 3))
    assert j.shape == (3, 2, 3)
    assert j.tolist() == [[[float(a == c) for c in range(3)] for _ in range(2)] for a in range(3)]


def test_jvp_vjp_and_grad_on_tensors():
    x = mg.tensor([0.5, -1.0])
    out, tangent = func.jvp(lambda x: (x * x).sum(), (x,), (mg.tensor([1.0, 0.0]),))
    assert out.item() == 1.25 and float(tangent) == 1.0
    _, pullback = func.vjp(lambda x: x.exp(), x)
    (cotangent,) = pullback(mg.ones(2))
    assert cotangent.tolist() == pytest.approx([math.exp(0.5), math.exp(-1.0)])
    assert func.grad(lambda x: (x * x).sum())(x).tolist() == [1.0, -2.0]


def test_gradcheck_accepts_tensor_functions():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    assert autograd.gradcheck(
        Square.apply, (mg.tensor([1.0, -2.0, 0.5], dtype=mg.float64, requires_grad=True),)
    )
    assert autograd.gradgradcheck(
        Square.apply, (mg.tensor([1.0, -2.0], dtype=mg.float64, requires_grad=True),)
    )


def test_grad_of_tensors_with_autograd_grad():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    (g,) = autograd.grad((x**3).sum(), x)
    assert g.tolist() == [3.0, 12.0] and x.grad is None


def test_assigning_to_data_changes_the_numbers_and_keeps_the_leaf_as_in_pytorch(torch):
    ours, theirs = (
        mg.tensor([1.0, -2.0, 0.5], requires_grad=True),
        torch.tensor([1.0, -2.0, 0.5], requires_grad=True),
    )
    for w, lib in ((ours, mg), (theirs, torch)):
        (w * w * w).sum().backward()
        w.data -= 0.1 * w.grad  # the update of many tutorials
        w.data = w.data * 2 + lib.tensor([0.5, 0.25, 1.0])
    assert ours.tolist() == pytest.approx(theirs.tolist()) and ours.is_leaf and ours.requires_grad
    assert ours.grad.tolist() == pytest.approx(theirs.grad.tolist())
    with pytest.raises(mg.NotSupported, match=r"new shape \(2,\) \(w has \(3,\)\)"):
        ours.data = mg.tensor([1.0, 2.0])
