"""Numerics against PyTorch 2.13 and closed forms: the norm at the ends of the float range,
binary cross-entropy at p = 0 and 1, broadcasting losses, cross_entropy's ignore_index, the
printing of summarized tensors, the matmul family (names, empty dimensions), and the replay's
and drawing's arguments."""

from __future__ import annotations

import itertools
import math
import struct
import warnings

import numpy as np
import pytest

import micrograd as mg
from micrograd import NotSupported, Value

F = mg.nn.functional


def as_array(t) -> np.ndarray:
    """A micrograd tensor's numbers as a numpy array of its shape (empty ones too)."""
    return np.array(t.tolist(), dtype=float).reshape(tuple(t.shape))


def float32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


# --- norm -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "numbers",
    [
        [3e-200],
        [-3e-200],
        [1.73e191],
        [-1.73e191],
        [0.0, 0.0],
        [-0.0],
        [3.0, -4.0],
        [1e-150, 2e-150],
    ],
)
def test_norm_and_its_gradient_match_torch_where_torch_is_exact(torch, numbers):
    x = mg.tensor(numbers, dtype=mg.float64, requires_grad=True)
    y = torch.tensor(numbers, dtype=torch.float64, requires_grad=True)
    ours, theirs = x.norm(), y.norm()
    ours.backward()
    theirs.backward()
    assert repr(ours.item()) == repr(theirs.item())  # the sign of a zero norm too
    assert x.grad.tolist() == pytest.approx(y.grad.tolist(), rel=1e-15)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__


@pytest.mark.parametrize(
    "numbers",
    [
        [1e-200, 1e-200],
        [1e-200, 3e-200],
        [5e-324, 5e-324, 1e-323],  # subnormals
        [1e-160, 1e-160],  # the squares are subnormal: PyTorch keeps 5 digits
        [1e200, 1e200],
        [1.73e191, 1.0],
        [1e308, -1e307, 3e-300],
    ],
)
def test_norm_neither_underflows_nor_overflows(numbers):
    # PyTorch sums the squares as they are (0 for the first, inf for the fifth); the length is
    # hypot's, and the gradient is x/‖x‖ computed from it
    x = mg.tensor(numbers, dtype=mg.float64, requires_grad=True)
    n = x.norm()
    n.backward()
    assert n.item() == pytest.approx(math.hypot(*numbers), rel=1e-15)
    assert x.grad.tolist() == pytest.approx(unit(numbers), rel=1e-14, abs=1e-300)


def unit(numbers: list[float]) -> list[float]:
    """x/‖x‖ by hypot, computed on x times a power of two that makes its largest element about 1
    (the ratio is the same, and neither x nor ‖x‖ is subnormal then)."""
    exponent = math.frexp(max(map(abs, numbers)))[1]
    scaled = [math.ldexp(v, -exponent) for v in numbers]
    return [v / math.hypot(*scaled) for v in scaled]


def test_norm_masks_the_gradient_at_zero_and_overflows_only_when_the_length_does(torch):
    for numbers in ([0.0, -0.0, 0.0], [1.7e308, 1.7e308], [math.inf, 1.0], [math.nan, 2.0]):
        x = mg.tensor(numbers, dtype=mg.float64, requires_grad=True)
        y = torch.tensor(numbers, dtype=torch.float64, requires_grad=True)
        x.norm().backward()
        y.norm().backward()
        assert repr(x.norm().item()) == repr(y.norm().item())
        np.testing.assert_array_equal(as_array(x.grad), y.grad.numpy())  # x/inf = 0, nan stays


def test_norm_over_a_dim_scales_each_row_alone(torch):
    rows = [[1e-200, 3e-200], [0.0, 0.0], [3.0, 4.0], [1e200, 1.0]]
    x = mg.tensor(rows, dtype=mg.float64, requires_grad=True)
    n = x.norm(dim=1)
    (n * mg.tensor([1.0, 2.0, 3.0, 4.0], dtype=mg.float64)).sum().backward()
    assert n.tolist() == pytest.approx([math.hypot(*r) for r in rows], rel=1e-15)
    expected = [[w * u for u in (unit(r) if any(r) else r)] for w, r in zip([1, 2, 3, 4], rows)]
    assert as_array(x.grad) == pytest.approx(np.array(expected), rel=1e-14, abs=1e-300)
    # where PyTorch's squares stay normal (rows 2 and 3), its numbers are the same
    y = torch.tensor(rows[1:3], dtype=torch.float64, requires_grad=True)
    assert n.tolist()[1:3] == pytest.approx(y.norm(dim=1).tolist(), rel=1e-15)


def test_float32_norm_matches_torch_in_range_and_hypot_at_the_ends(torch):
    values = np.random.default_rng(3).normal(size=(4, 5)).astype(np.float32)
    x = mg.tensor(values.tolist(), requires_grad=True)
    y = torch.tensor(values, requires_grad=True)
    x.norm(dim=0).sum().backward()
    y.norm(dim=0).sum().backward()
    assert x.norm(dim=0).tolist() == pytest.approx(y.norm(dim=0).tolist(), rel=1e-6)
    assert as_array(x.grad) == pytest.approx(y.grad.numpy(), rel=1e-5)
    # PyTorch squares float32 in float32 (1e-30 → 0, 1e30 → inf); micrograd's arithmetic inside
    # an operation is float64, so the float32 result is the length rounded once
    for numbers in ([1e-30, 3e-30], [1e30, 3e30]):
        x = mg.tensor(numbers, requires_grad=True)
        x.norm().backward()
        stored = [float32(v) for v in numbers]
        assert x.norm().item() == float32(math.hypot(*stored))
        assert x.grad.tolist() == pytest.approx([v / math.hypot(*stored) for v in stored])


# --- binary cross-entropy -----------------------------------------------------------------------
BCE_CASES = [
    ([0.0, 1.0, 0.5], [0.0, 1.0, 1.0]),  # the logs are -inf·0: torch's loss 0.2310
    ([0.0, 1.0, 0.5], [1.0, 0.0, 1.0]),  # clamped at -100: torch's loss 66.8977
    ([0.0, 1.0], [0.5, 0.5]),
    ([1e-50, 1 - 1e-15, 1e-13, 0.3], [1.0, 0.0, 0.5, 0.25]),  # p(1 - p) under 1e-12
    ([0.2, 0.9, 0.01, 0.999], [0.0, 1.0, 0.3, 1.0]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, 3.0, "per element"])
@pytest.mark.parametrize("p, t", BCE_CASES)
def test_binary_cross_entropy_clamps_its_logs_as_torch(torch, dtype, reduction, weight, p, t):
    w = [0.5 + i for i in range(len(p))] if weight == "per element" else weight
    ours_p = mg.tensor(p, dtype=getattr(mg, dtype), requires_grad=True)
    theirs_p = torch.tensor(p, dtype=getattr(torch, dtype), requires_grad=True)
    ours = F.binary_cross_entropy(
        ours_p,
        mg.tensor(t, dtype=getattr(mg, dtype)),
        weight=None if w is None else mg.tensor(w, dtype=getattr(mg, dtype)),
        reduction=reduction,
    )
    theirs = torch.nn.functional.binary_cross_entropy(
        theirs_p,
        torch.tensor(t, dtype=getattr(torch, dtype)),
        weight=None if w is None else torch.tensor(w, dtype=getattr(torch, dtype)),
        reduction=reduction,
    )
    rel = 1e-6 if dtype == "float32" else 1e-12
    assert as_array(ours) == pytest.approx(theirs.detach().numpy(), rel=rel)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    ours.sum().backward()
    theirs.sum().backward()
    assert as_array(ours_p.grad) == pytest.approx(theirs_p.grad.numpy(), rel=rel)


def test_binary_cross_entropy_target_gradient_and_refusals(torch):
    p, t = [1e-50, 1e-13, 0.3], [1.0, 0.5, 0.25]
    ours_t = mg.tensor(t, dtype=mg.float64, requires_grad=True)
    theirs_t = torch.tensor(t, dtype=torch.float64, requires_grad=True)
    F.binary_cross_entropy(mg.tensor(p, dtype=mg.float64), ours_t).backward()
    torch.nn.functional.binary_cross_entropy(
        torch.tensor(p, dtype=torch.float64), theirs_t
    ).backward()
    assert ours_t.grad.tolist() == pytest.approx(theirs_t.grad.tolist(), rel=1e-12)
    with pytest.raises(NotSupported, match="gradient to a target at p = 0 or 1 is infinite"):
        F.binary_cross_entropy(mg.tensor([0.0]), mg.tensor([1.0], requires_grad=True))
    for p, t, what in (
        ([1.5], [0.0], "input"),
        ([math.nan], [0.0], "input"),
        ([0.5], [2.0], "target"),
    ):
        with pytest.raises(RuntimeError, match=f"all elements of {what} should be between 0 and 1"):
            F.binary_cross_entropy(mg.tensor(p), mg.tensor(t))
        with pytest.raises(RuntimeError, match=f"all elements of {what} should be between 0 and 1"):
            torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor(t))
    with pytest.raises(ValueError) as ours:
        F.binary_cross_entropy(mg.tensor([0.3, 0.2]), mg.tensor([[1.0], [0.0]]))
    with pytest.raises(ValueError) as theirs:
        torch.nn.functional.binary_cross_entropy(
            torch.tensor([0.3, 0.2]), torch.tensor([[1.0], [0.0]])
        )
    assert str(ours.value) == str(theirs.value)


def test_binary_cross_entropy_of_values_clamps_too():
    loss = F.binary_cross_entropy([Value(0.0), Value(0.25)], [1.0, 0.0])
    assert loss.data == pytest.approx((100.0 - math.log(0.75)) / 2)


# --- broadcasting losses ------------------------------------------------------------------------
def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "input_shape, target_shape",
    [((2,), (2, 1)), ((3, 1), (1, 4)), ((2, 3), (3,)), ((2, 3), (2, 3))],
)
def test_mse_and_l1_broadcast_with_torchs_warning(
    torch, name, reduction, input_shape, target_shape
):
    rng = np.random.default_rng(7)
    x, t = rng.normal(size=input_shape), rng.normal(size=target_shape)
    ours_x = mg.tensor(x.tolist(), dtype=mg.float64, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, ours_warnings = _warnings_of(
        lambda: getattr(F, name)(
            ours_x, mg.tensor(t.tolist(), dtype=mg.float64), reduction=reduction
        )
    )
    theirs, theirs_warnings = _warnings_of(
        lambda: getattr(torch.nn.functional, name)(theirs_x, torch.tensor(t), reduction=reduction)
    )
    assert ours_warnings == theirs_warnings
    assert as_array(ours) == pytest.approx(theirs.detach().numpy(), rel=1e-12)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    ours.sum().backward()
    theirs.sum().backward()
    assert as_array(ours_x.grad) == pytest.approx(theirs_x.grad.numpy(), rel=1e-12)


def test_the_audits_mse_broadcasts_and_the_warning_points_at_the_caller(torch):
    with pytest.warns(UserWarning, match=r"target size \(torch.Size\(\[2, 1\]\)\)") as caught:
        loss = F.mse_loss(mg.tensor([1.0, 2.0]), mg.tensor([[1.0], [2.0]]))
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match=r"target size \(torch.Size\(\[2, 1\]\)\)"):
        theirs = torch.nn.functional.mse_loss(
            torch.tensor([1.0, 2.0]), torch.tensor([[1.0], [2.0]])
        )
    assert loss.item() == 0.5 == theirs.item()


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_shapes_that_do_not_broadcast_get_torchs_error(torch, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError) as ours:
            getattr(F, name)(mg.ones(2, 3), mg.ones(4, 3))
        with pytest.raises(RuntimeError) as theirs:
            getattr(torch.nn.functional, name)(torch.ones(2, 3), torch.ones(4, 3))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_mse_and_l1_match_torch(torch, name, reduction):
    x, t, w = [0.5, -1.0, 2.0], [1.0, 1.0, 1.5], [1.0, 3.0, 0.5]
    ours_x = mg.tensor(x, dtype=mg.float64, requires_grad=True)
    theirs_x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ours = getattr(F, name)(
        ours_x, mg.tensor(t, dtype=mg.float64), reduction=reduction, weight=mg.tensor(w)
    )
    theirs = getattr(torch.nn.functional, name)(
        theirs_x, torch.tensor(t, dtype=torch.float64), reduction=reduction, weight=torch.tensor(w)
    )
    assert as_array(ours) == pytest.approx(theirs.detach().numpy(), rel=1e-12)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    ours.sum().backward()
    theirs.sum().backward()
    assert as_array(ours_x.grad) == pytest.approx(theirs_x.grad.numpy(), rel=1e-12)
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        getattr(F, name)(ours_x, mg.tensor(t, dtype=mg.float64), weight=mg.ones(2))


# --- cross_entropy's ignore_index ---------------------------------------------------------------
SCORES = np.random.default_rng(2).normal(size=(4, 3))


@pytest.mark.parametrize("targets", [[1, -100, 2, 0], [-100] * 4, [2, 2, -100, 1], [0, 1, 2, 1]])
@pytest.mark.parametrize("ignore_index", [None, 2, 0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, [1.0, 2.0, 3.0]])
@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_cross_entropy_ignores_targets_as_torch(
    torch, targets, ignore_index, reduction, weight, loss
):
    options = {} if ignore_index is None else {"ignore_index": ignore_index}
    ours_x = mg.tensor(SCORES.tolist(), dtype=mg.float64, requires_grad=True)
    theirs_x = torch.tensor(SCORES, requires_grad=True)

    def call(lib, x):
        w = None if weight is None else lib.tensor(weight, dtype=lib.float64)
        x = lib.nn.functional.log_softmax(x, dim=1) if loss == "nll_loss" else x
        return getattr(lib.nn.functional, loss)(
            x, lib.tensor(targets), weight=w, reduction=reduction, **options
        )

    try:
        theirs = call(torch, theirs_x)
    except IndexError:  # -100 is a class out of bounds once ignore_index is another
        with pytest.raises(IndexError, match="Target -100 is out of bounds"):
            call(mg, ours_x)
        return
    ours = call(mg, ours_x)
    np.testing.assert_allclose(as_array(ours), theirs.detach().numpy(), rtol=1e-12)  # nan too
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__ == "NllLossBackward0"
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(as_array(ours_x.grad), theirs_x.grad.numpy(), rtol=1e-12, atol=1e-16)


def test_the_audits_cross_entropy_and_what_is_not_supported(torch):
    x = [[1.0, 2.0], [0.5, 0.1]]
    ours = F.cross_entropy(mg.tensor(x), mg.tensor([1, -100]))
    theirs = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor([1, -100]))
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-6)
    for target, options in [([1, 0], {"label_smoothing": 0.1}), ([[0.2, 0.8], [1.0, 0.0]], {})]:
        ours = F.cross_entropy(mg.tensor(x), mg.tensor(target), **options)
        theirs = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(target), **options)
        assert ours.item() == pytest.approx(theirs.item(), rel=1e-6)
    with pytest.raises(IndexError, match="Target 5 is out of bounds"):
        F.cross_entropy(mg.tensor(x), mg.tensor([1, 5]))
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 2"):
        F.cross_entropy(mg.tensor(x), mg.tensor([1, 0]), weight=mg.ones(3))
    one = F.cross_entropy(mg.tensor([1.0, 2.0, 0.5]), mg.tensor(-100), reduction="none")
    assert one.shape == () and one.item() == 0.0


# --- printing -------------------------------------------------------------------------------------
def test_a_summarized_tensor_is_formatted_by_its_shown_edges_only(torch):
    ours, theirs = mg.ones(100, 20), torch.ones(100, 20)
    ours[0, 10] = 123456.0  # hidden in the middle of the first row
    theirs[0, 10] = 123456.0
    assert str(ours) == str(theirs)
    assert "[1., 1., 1.,  ..., 1., 1., 1.]" in str(ours)


POOLS = {
    "integers": [0.0, 1.0, -1.0, 2.0, 7.0, 10.0, 100.0, -1000.0, 123456.0],
    "fractions": [0.0, -0.0, 1e-5, 3e-7, 0.5, 1.25, -2.5, 0.1],
    "wide": [0.0, -0.0, 1.0, 2.5, -3.25, 1e8, 1e9, 123456.0, 1e-3],
    "special": [math.nan, math.inf, -math.inf, -0.0, 0.0, 1.0, 2.0],
    "special fractions": [math.nan, math.inf, 0.1, -0.25, 3.0],
    "huge": [1e30, -1e-30, 1.0, 5e20],
    "tiny": [1e-40, 1e-38, 3.0, 1e-300],
}
SHAPES = [
    (),
    (1,),
    (7,),
    (0,),
    (2, 0),
    (0, 3, 1),
    (3, 4),
    (2, 3, 4),
    (1, 1, 1, 2),
    (30,),
    (1001,),
    (100, 20),
    (2, 501),
    (3, 400, 1),
    (11, 11, 11),
    (2, 2, 2, 2, 70),
]


def _print_cases():
    rng = np.random.default_rng(11)
    for shape, (pool, numbers), dtype in itertools.product(
        SHAPES, POOLS.items(), ["float32", "float64", "int64", "bool"]
    ):
        if dtype in ("int64", "bool") and pool != "integers":
            continue
        size = math.prod(shape)
        data = rng.choice(np.array(numbers), size=size)
        if pool == "wide" and size > 1000:  # one odd number among many ones, hidden or shown
            data[:] = 1.0
            data[rng.integers(size)] = 123456.0
        if dtype == "float32":
            data = data.astype(np.float32).astype(float)
        yield shape, pool, dtype, data.reshape(shape).tolist()
    for shape in [(5,), (4, 6), (1200,), (40, 40)]:  # random normals at several scales
        for scale in (1e-6, 1.0, 1e4, 1e9):
            data = rng.normal(size=shape) * scale
            yield shape, f"normal*{scale:g}", "float64", data.tolist()


@pytest.mark.parametrize("requires_grad", [False, True])
def test_str_matches_torch_over_shapes_values_and_dtypes(torch, requires_grad):
    different = []
    for shape, pool, dtype, data in _print_cases():
        if requires_grad and (dtype in ("int64", "bool") or not math.prod(shape)):
            continue  # only floats require grad; an empty tensor never does in micrograd
        ours = mg.tensor(data, dtype=getattr(mg, dtype)).reshape(shape)
        theirs = torch.tensor(data, dtype=getattr(torch, dtype)).reshape(shape)
        if requires_grad:
            ours = ours.requires_grad_() * 2
            theirs = theirs.requires_grad_() * 2
        if str(ours) != str(theirs):
            different.append(f"{shape} {pool} {dtype}:\n{theirs}\n{ours}")
    assert not different, "\n\n".join(different[:3])


# --- the matmul family ----------------------------------------------------------------------------
MATMUL_SHAPES = [
    (0,),
    (1,),
    (3,),
    (0, 3),
    (2, 0),
    (1, 3),
    (2, 3),
    (3, 1),
    (3, 2),
    (3, 0),
    (2, 2, 3),
    (1, 2, 3),
    (2, 3, 2),
    (3, 0, 2),
    (3, 2, 0),
    (1, 3, 2),
    (2, 0, 3),
    (1, 1, 3),
    (2, 3, 1),
    (1, 2, 2),
]


def _operands(rng, shape, requires_grad, torch):
    numbers = rng.normal(size=shape)
    ours = mg.tensor(numbers.tolist(), dtype=mg.float64).reshape(shape)
    return ours.requires_grad_(requires_grad), torch.tensor(numbers, requires_grad=requires_grad)


def test_matmul_matches_torch_for_all_1d_2d_3d_pairs(torch):
    rng, wrong, compared = np.random.default_rng(5), [], 0
    for a_shape, b_shape in itertools.product(MATMUL_SHAPES, MATMUL_SHAPES):
        for grads in [(True, False), (False, True), (True, True)]:
            (ours_a, theirs_a), (ours_b, theirs_b) = (
                _operands(rng, s, g, torch) for s, g in zip((a_shape, b_shape), grads)
            )
            try:
                theirs = theirs_a @ theirs_b
            except RuntimeError:
                with pytest.raises(RuntimeError):
                    ours_a @ ours_b
                continue
            ours, case = ours_a @ ours_b, f"{a_shape} @ {b_shape}, requires_grad {grads}"
            compared += 1
            if ours.shape != theirs.shape or not np.allclose(
                as_array(ours), theirs.detach().numpy(), rtol=1e-12
            ):
                wrong.append(f"{case}: {ours} against {theirs}")
                continue
            # an empty tensor never requires grad in micrograd (the flag lives on the elements)
            if not (ours_a.numel() and ours_b.numel()):
                continue
            if type(ours.grad_fn).__name__ != type(theirs.grad_fn).__name__:
                wrong.append(f"{case}: {type(ours.grad_fn).__name__} against {theirs.grad_fn}")
            if ours.numel():
                weights = rng.normal(size=tuple(theirs.shape))
                (ours * mg.tensor(weights.tolist(), dtype=mg.float64)).sum().backward()
                (theirs * torch.tensor(weights)).sum().backward()
                for o, t in ((ours_a, theirs_a), (ours_b, theirs_b)):
                    if t.requires_grad and not np.allclose(as_array(o.grad), t.grad.numpy()):
                        wrong.append(f"{case}: gradient {o.grad} against {t.grad}")
    assert compared > 300 and not wrong, "\n".join(wrong[:5])


def test_the_audits_products(torch):
    empty = mg.ones(3, 0, 2) @ mg.ones(3, 2, 0)
    assert empty.shape == (3, 0, 0) == (torch.ones(3, 0, 2) @ torch.ones(3, 2, 0)).shape
    row = mg.ones(3, requires_grad=True) @ mg.ones(3, 2)
    assert type(row.grad_fn).__name__ == "SqueezeBackward4"
    assert type((torch.ones(3, requires_grad=True) @ torch.ones(3, 2)).grad_fn).__name__ == (
        "SqueezeBackward4"
    )
    assert row.grad_fn.next_functions[0][0].name() == "MmBackward0"  # squeezed in place, as torch


@pytest.mark.parametrize("name", ["dot", "mv", "mm", "bmm"])
def test_the_named_products_match_torch(torch, name):
    shapes = {"dot": [(3,), (3,)], "mv": [(2, 3), (3,)], "mm": [(2, 3), (3, 4)]}
    shapes["bmm"] = [(2, 2, 3), (2, 3, 4)]
    rng = np.random.default_rng(9)
    (ours_a, theirs_a), (ours_b, theirs_b) = (_operands(rng, s, True, torch) for s in shapes[name])
    ours, theirs = getattr(ours_a, name)(ours_b), getattr(theirs_a, name)(theirs_b)
    assert as_array(ours) == pytest.approx(theirs.detach().numpy(), rel=1e-12)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    ours.sum().backward()
    theirs.sum().backward()
    assert as_array(ours_a.grad) == pytest.approx(theirs_a.grad.numpy(), rel=1e-12)
    assert as_array(ours_b.grad) == pytest.approx(theirs_b.grad.numpy(), rel=1e-12)


def test_bmm_refuses_what_torch_refuses(torch):
    for a, b in [
        ((2, 3), (2, 3, 4)),
        ((2, 2, 3), (3, 4)),
        ((2, 2, 3), (3, 3, 4)),
        ((2, 2, 3), (2, 2, 4)),
    ]:
        with pytest.raises(RuntimeError) as ours:
            mg.ones(*a).bmm(mg.ones(*b))
        with pytest.raises(RuntimeError) as theirs:
            torch.ones(*a).bmm(torch.ones(*b))
        assert str(ours.value) == str(theirs.value)
    assert mg.ones(2, 0, 3).bmm(mg.ones(2, 3, 4)).shape == (2, 0, 4)


# --- replay and drawing arguments ---------------------------------------------------------------
def test_replay_takes_labels_that_are_not_strings():
    page = mg.replay(Value(1.0, label=3) * 2, names={})
    assert page.steps == 2 and "∂L/∂3 = ∂L/∂L · ∂L/∂3" in page  # the label 3 names the Value
    y = Value(2.0, label=(1, 2)) * Value(3.0)
    y.label = 42
    assert "42" in mg.replay(y, names={})


@pytest.mark.parametrize("bad", ["a", None, 1.5, True])
def test_max_nodes_that_is_not_a_whole_number_is_named(bad):
    for show in (mg.draw, mg.replay):
        with pytest.raises(TypeError, match="max_nodes must be a whole number"):
            show(Value(1.0) * 2, max_nodes=bad)
    with pytest.raises(ValueError, match="max_nodes must be at least 1"):
        mg.draw(Value(1.0) * 2, max_nodes=0)
    assert "digraph" in mg.draw(Value(1.0) * 2, max_nodes=math.inf).source
