"""The dtype rules against PyTorch: which dtype a result has (``torch.result_type``), that
operands are converted to it before the operation, what bool and int64 tensors allow, how
numbers are stored, NumPy input, and that dtypes survive pickling and copying."""

import copy
import math
import pickle

import numpy as np
import pytest

import micrograd as mg
from micrograd.tensors import dtypes
from micrograd.tensors.dtypes import (
    FLOAT32_MAX,
    can_cast,
    cast_for_storage,
    cast_number,
    check_can_cast,
    promote,
    result_type,
)

NAMES = ("bool", "int64", "float32", "float64")
DATA = {  # each dtype's elements: a tensor with a dimension, and a 0-dim one
    "bool": ([True, False, True], True),
    "int64": ([3, -2, 0], -3),
    "float32": ([0.1, -2.5, 3.0], 0.7),
    "float64": ([0.1, -2.5, 1e-40], 0.1),
}
NUMBERS = {"True": True, "-3": -3, "0.1": 0.1, "np.float64(0.1)": np.float64(0.1)}


def operands(lib) -> dict:
    """Every dtype as a tensor with a dimension and as a 0-dim tensor, and every kind of
    Python number, in `lib` (micrograd or torch)."""
    found = {}
    for name, (elements, element) in DATA.items():
        kind = getattr(lib, name)
        found[f"{name}[3]"] = lib.tensor(elements, dtype=kind)
        found[f"{name}[]"] = lib.tensor(element, dtype=kind)
    return found | NUMBERS


def outcome(run) -> tuple:
    """What `run()` gives, comparable across the libraries: the error's type and message, or
    the dtype and every number's repr (so signed zeros and the last bit count)."""
    try:
        result = run()
    except Exception as error:  # the error is the outcome compared
        return type(error).__name__, str(error)
    if isinstance(result, bool):
        return "bool", result
    flat = result.reshape(-1).tolist()
    return str(result.dtype), [repr(float(x)) if isinstance(x, float) else x for x in flat]


def pairs():
    """Every pair of operands with at least one tensor, by name."""
    names = list(operands(mg))
    return [(a, b) for a in names for b in names if a not in NUMBERS or b not in NUMBERS]


def test_promote_is_torch_promote_types(torch):
    for a in NAMES:
        for b in NAMES:
            ours = promote(getattr(mg, a), getattr(mg, b))
            assert str(ours) == str(torch.promote_types(getattr(torch, a), getattr(torch, b)))


def test_result_type_matches_torch_for_every_pair_of_operands(torch):
    ours, theirs = operands(mg), operands(torch)
    checked = 0
    for a in ours:
        for b in ours:
            expected = torch.result_type(theirs[a], theirs[b])
            assert str(result_type(ours[a], ours[b])) == str(expected), (a, b)
            checked += 1
    assert checked == 12 * 12


def test_result_type_examples():
    assert result_type(mg.ones(2), mg.tensor(1.0, dtype=mg.float64)) is mg.float32
    assert result_type(mg.tensor([1, 2]), 1.5) is mg.float32
    assert result_type(mg.tensor([1, 2]), mg.tensor(1.5, dtype=mg.float64)) is mg.float64
    assert result_type(mg.tensor([True]), mg.tensor(1)) is mg.int64
    assert result_type(mg.tensor([True]), True) is mg.bool
    assert result_type(mg.ones(2), np.array([1.5])) is mg.float64  # a numpy array is a tensor
    with pytest.raises(TypeError):
        result_type()


@pytest.mark.parametrize(
    "op",
    ["add", "sub", "mul", "truediv", "pow", "eq", "ne", "lt", "ge"],
)
def test_arithmetic_on_every_pair_of_operands_matches_torch(torch, op):
    """Dtype, every bit of every number, or the same error with the same message."""
    import operator

    combine = getattr(operator, op)
    ours, theirs = operands(mg), operands(torch)
    differ = []
    for a, b in pairs():
        mine = outcome(lambda: combine(ours[a], ours[b]))
        torch_s = outcome(lambda: combine(theirs[a], theirs[b]))
        if op == "pow" and mine[0] == torch_s[0] == "torch.float32":
            # float32 powers: torch's powf may differ from the correctly rounded one by 1 ulp
            mine = (mine[0], [float(x) for x in mine[1]])
            torch_s = (
                torch_s[0],
                pytest.approx([float(x) for x in torch_s[1]], rel=2e-7, nan_ok=True),
            )
        if mine != torch_s:
            differ.append((a, b, mine, torch_s))
    assert not differ, differ[:5]


def test_a_number_is_cast_to_the_operation_s_dtype_first(torch):
    cases = [
        lambda T: T.tensor([0.1, 0.7]) - 0.1,
        lambda T: T.tensor([0.1, 0.7]) == 0.1,
        lambda T: T.tensor([1e-40]) * 1e39,
        lambda T: T.tensor([1, 2]) - 0.61039701,
        lambda T: 0.61039701 - T.tensor([1, 2]),
        lambda T: T.tensor([0.1]) - T.tensor(0.1, dtype=T.float64),
        lambda T: T.tensor([0.1]) == T.tensor(0.1, dtype=T.float64),
        lambda T: T.tensor([16777217, 2**40 + 1]) * 3.0,
        lambda T: T.tensor([16777217]) == 16777216.0,
        lambda T: T.tensor([16777217]) + T.tensor([0.0]),
        lambda T: T.tensor([3.0]) / 0.1,
        lambda T: 0.1 / T.tensor([3.0]),
        lambda T: T.tensor([3]) / 0.1,
        lambda T: T.tensor([3.0], dtype=T.float64) + 0.1,
        lambda T: T.ones(3) / T.ones(3, dtype=T.float64),
        lambda T: T.tensor([1.0]) / T.tensor([3.0], dtype=T.float64),
    ]
    for case in cases:
        assert outcome(lambda: case(mg)) == outcome(lambda: case(torch))
    assert (mg.tensor([0.1, 0.7]) - 0.1).tolist()[0] == 0.0


def test_a_float64_operand_that_requires_grad_is_cast_in_the_graph(torch):
    def run(T):
        w = T.tensor(0.1, dtype=T.float64, requires_grad=True)
        y = T.ones(2) * w
        y.sum().backward()
        return y, w.grad

    (y, g), (ty, tg) = run(mg), run(torch)
    assert outcome(lambda: y) == outcome(lambda: ty.detach())
    assert outcome(lambda: g) == outcome(lambda: tg)


@pytest.mark.parametrize(
    "case",
    [
        "-t",
        "t.neg()",
        "t.relu()",
        "t.abs()",
        "t.exp()",
        "t.sqrt()",
        "t.sigmoid()",
        "t.square()",
        "t.clamp(0, 1)",
        "t.clamp(0.5)",
        "t.clamp(True)",
        "t.clamp(max=True)",
        "t.clamp(True, True)",
        "t.clamp(0, True)",
        "t.clamp(True, 1.5)",
        "t.clamp_min(True)",
        "t.clamp_max(True)",
        "t.clamp_min(0.5)",
        "t.clamp(max=0.5)",
        "t.clamp(0, 0.5)",
        "t.clamp(-1)",
        "t ** 2",
        "t ** True",
        "t ** False",
        "t ** 0.5",
        "t ** -1",
        "t ** -1.0",
        "t ** t",
        "2 ** t",
        "True ** t",
        "2.0 ** t",
        "t - True",
        "1 - t",
        "t + True",
        "t * False",
        "t / t",
    ],
)
@pytest.mark.parametrize("kind", ["bool", "int64"])
def test_functions_of_bool_and_int64_tensors_match_torch(torch, case, kind):
    def run(T):
        return eval(case, {"t": T.tensor([True, False] if kind == "bool" else [3, -2, 0])})

    assert outcome(lambda: run(mg)) == outcome(lambda: run(torch))


def test_bool_arithmetic_is_logic_and_refuses_what_torch_refuses():
    a, b = mg.tensor([True, False, False]), mg.tensor([True, True, False])
    assert (a + b).dtype is mg.bool and (a + b).tolist() == [True, True, False]  # or
    assert (a * b).dtype is mg.bool and (a * b).tolist() == [True, False, False]  # and
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        -a
    with pytest.raises(RuntimeError, match="with two bool tensors is not supported"):
        a - b


def test_int64_holds_integers_exactly(torch):
    big = 2**53 + 1
    t = mg.tensor([big, 3])
    assert t.dtype is mg.int64 and t.tolist() == [big, 3] and t[0].item() == big
    assert isinstance(t.tolist()[1], int) and isinstance(t[1].item(), int)
    assert str(t) == str(torch.tensor([big, 3]))
    assert str(mg.tensor(big)) == str(torch.tensor(big))
    assert (t + 1).tolist() == [big + 1, 4]
    assert (t * 2 - 1).tolist() == [2 * big - 1, 5]
    assert mg.tensor([-(2**63)]).item() == -(2**63)
    assert mg.full((1,), big).item() == big
    assert mg.arange(big, big + 2).tolist() == [big, big + 1]
    assert mg.randint(2**62, 2**62 + 1, (2,)).tolist() == [2**62, 2**62]
    assert (mg.tensor([big]) == big).item() and not (mg.tensor([big]) == big - 1).item()


def test_tensor_refuses_what_int64_cannot_hold_as_torch_does(torch):
    cases = [
        lambda T: T.tensor([2**63]),
        lambda T: T.tensor([2**64]),
        lambda T: T.tensor([2**63], dtype=T.int64),
        lambda T: T.tensor([1.5e19], dtype=T.int64),
        lambda T: T.tensor([float("nan")], dtype=T.int64),
        lambda T: T.tensor([2**63], dtype=T.float32),
        lambda T: T.tensor([2**63, 1.5]),
        lambda T: T.tensor([2.7, -2.7], dtype=T.int64),
        lambda T: T.tensor([2.7, 0.0, float("nan")], dtype=T.bool),
    ]
    for case in cases:
        assert outcome(lambda: case(mg)) == outcome(lambda: case(torch))


@pytest.mark.parametrize(
    "case, exact",
    [
        ("T.tensor([2**62]) * 4", 2**64),
        ("T.tensor([2**63 - 1]) + 1", 2**63),
        ("-T.tensor([-2**63])", 2**63),
        ("T.tensor([-2**63]).abs()", 2**63),
        ("T.tensor([2]) ** 100", 2**100),
        ("T.tensor([2]) ** T.tensor([100])", 2**100),
        ("T.tensor([2**40]) ** 2", 2**80),
        ("T.tensor([-3]) ** 64", 3**64),
    ],
)
def test_integer_overflow_is_refused_where_torch_wraps_around(torch, case, exact):
    with pytest.raises(RuntimeError, match="does not fit in int64.*PyTorch would silently wrap"):
        eval(case, {"T": mg})
    assert eval(case, {"T": torch}).item() != exact  # torch's number is not the result


def test_integers_to_negative_integer_powers(torch):
    cases = [
        lambda T: T.tensor([3, 4]) ** -1,
        lambda T: T.tensor(2) ** -1,
        lambda T: T.tensor([1]) ** -1,
        lambda T: T.tensor([True]) ** -1,
        lambda T: T.tensor([2]) ** np.int64(-1),
        lambda T: T.tensor([-1, 1, 0, 5]) ** T.tensor([-3]),  # a tensor exponent: powi's 0
        lambda T: T.tensor([-1, 1, 0, 5]) ** T.tensor([-2]),
        lambda T: 2 ** T.tensor([-1]),
        lambda T: T.tensor([3]) ** 0,
    ]
    for case in cases:
        assert outcome(lambda: case(mg)) == outcome(lambda: case(torch))


def test_numpy_data_keeps_its_dtype(torch):
    cases = [
        lambda T: T.tensor(np.array([0.1])),
        lambda T: T.tensor(np.float64(0.1)),
        lambda T: T.tensor(np.array([0.1], dtype=np.float32)),
        lambda T: T.tensor(np.float32(0.1)),
        lambda T: T.tensor(np.array([1, 2**53 + 1])),
        lambda T: T.tensor(np.array([True, False])),
        lambda T: T.tensor(np.bool_(True)),
        lambda T: T.tensor(np.array(0.1)),
        lambda T: T.tensor([np.float64(0.1)]),
        lambda T: T.tensor([np.float64(0.1), 1]),
        lambda T: T.tensor([1.5, np.float64(0.1)]),
        lambda T: T.tensor([[np.float32(1)], [2.5]]),
        lambda T: T.tensor([np.bool_(True)]),
        lambda T: T.tensor(np.array([0.1]), dtype=T.float32),
        lambda T: T.ones(2) + np.array([1.5, 2.5]),
        lambda T: T.ones(2) + np.array(1.5),
        lambda T: T.tensor([1]) + np.array(1.5),
        lambda T: T.ones(2) + np.float64(1.5),
        lambda T: T.tensor([1, 2]) + np.float32(1.5),
        lambda T: T.ones(2, dtype=T.float64) + np.float32(1.5),
    ]
    for case in cases:
        assert outcome(lambda: case(mg)) == outcome(lambda: case(torch))


def test_numpy_dtypes_micrograd_lacks_are_refused():
    for kind in ("float16", "int16", "uint8"):
        with pytest.raises(mg.NotSupported, match=f"numpy {kind} data is not supported"):
            mg.tensor(np.array([1], dtype=kind))


def test_tensor_infers_dtypes_as_torch_does(torch):
    cases = [
        lambda T: T.tensor([True, 2.5]),
        lambda T: T.tensor([True, 2]),
        lambda T: T.tensor([True, False]),
        lambda T: T.tensor([]),
        lambda T: T.tensor([[1, 2], [3, 4.5]]),
        lambda T: T.tensor(T.tensor([1, 2])),
        lambda T: T.tensor([T.tensor(1), T.tensor(2)]),
        lambda T: T.tensor([T.tensor(1.0, dtype=T.float64)]),
        lambda T: T.full((2,), True),
        lambda T: T.full((2,), 3),
        lambda T: T.full((2,), 1.5, dtype=T.int64),
        lambda T: T.full((1,), 0.5, dtype=T.bool),
        lambda T: T.zeros(2, dtype=T.int64),
        lambda T: T.linspace(0, 10, 4, dtype=T.int64),
        lambda T: T.arange(0.5, 3, dtype=T.int64),
    ]
    for case in cases:
        assert outcome(lambda: case(mg)) == outcome(lambda: case(torch))
    assert isinstance(mg.zeros(2, dtype=mg.int64).tolist()[0], int)


def test_dtypes_survive_pickle_and_deepcopy_as_the_same_objects():
    for kind in (mg.float32, mg.float64, mg.int64, mg.bool):
        assert pickle.loads(pickle.dumps(kind)) is kind
        assert copy.deepcopy(kind) is kind and copy.copy(kind) is kind
    t = copy.deepcopy(mg.tensor([0.1]))
    assert t.dtype is mg.float32
    assert (t + 0.1).tolist() == (mg.tensor([0.1]) + 0.1).tolist()
    assert pickle.loads(pickle.dumps(mg.tensor([1, 2]))).dtype is mg.int64


@pytest.mark.parametrize(
    "bounds",
    [
        (float("inf"),),
        (float("-inf"),),
        (float("nan"),),
        (0, float("inf"), 1.5),
        (1, float("inf")),
        (1.5, float("inf")),
        (0.0, float("inf")),
        (1e20, float("inf")),
        (0.1, float("nan")),
        (-2, float("inf")),
        (float("inf"), 1, -1),
        (0, 1, float("nan")),
        (0, 1, float("inf")),
        (0.5,),
    ],
)
def test_arange_refuses_unbounded_ranges_as_torch_does(torch, bounds):
    assert outcome(lambda: mg.arange(*bounds)) == outcome(lambda: torch.arange(*bounds))


def test_cast_for_storage_stores_as_torch_setitem_does(torch):
    floats = [2.7, -2.5, 0.1, 1e-40, -0.0, True, 7, 0, 2**53 + 1, -(2**63)]
    for name in NAMES:
        numbers = floats + ([] if name == "int64" else [3.4e38, FLOAT32_MAX, -math.inf, math.nan])
        expected = torch.zeros(len(numbers), dtype=getattr(torch, name))
        for i, x in enumerate(numbers):
            expected[i] = x
        ours = cast_for_storage(numbers, getattr(mg, name), checked=True)
        unchecked = cast_for_storage(numbers, getattr(mg, name))
        assert list(map(repr, ours)) == list(map(repr, unchecked)), name  # the same numbers
        stored = mg.tensor(ours, dtype=getattr(mg, name))
        assert outcome(lambda: stored) == outcome(lambda: expected), name
    assert cast_for_storage([2.7, -2.5, 7, 2**53 + 1, True], mg.int64) == [2, -2, 7, 2**53 + 1, 1]
    assert [type(x) for x in cast_for_storage([2.7, True], mg.int64)] == [int, int]
    assert cast_for_storage([2.7, 0, float("nan")], mg.bool) == [1.0, 0.0, 1.0]
    assert cast_number(0.1, mg.float32) == 0.10000000149011612
    assert cast_number(3.5e38, mg.float32) == math.inf


@pytest.mark.parametrize(
    "x, kind",
    [
        (1e20, "int64"),
        (math.nan, "int64"),
        (math.inf, "int64"),
        (2**63, "int64"),
        (-(2**63) - 1, "int64"),
        (9.3e18, "int64"),
        (3.5e38, "float32"),
        (-3.4028235e38, "float32"),
        (2**200, "float32"),
    ],
)
def test_cast_for_storage_refuses_what_a_dtype_cannot_hold_as_torch_setitem_does(torch, x, kind):
    def store(T):
        t = T.zeros(1, dtype=getattr(T, kind))
        t[0] = x
        return t

    def ours():
        return mg.tensor(cast_for_storage([x], getattr(mg, kind), checked=True), dtype=mg.float64)

    assert outcome(ours) == outcome(lambda: store(torch))
    if x == 3.5e38:
        assert cast_for_storage([x], mg.float32) == [math.inf]  # unchecked: as tensor() stores


def test_full_checks_its_fill_value_as_torch_does(torch):
    for x, kind in [(3.5e38, "float32"), (1e30, "int64"), (2**63, "int64"), (math.inf, "float32")]:
        ours = outcome(lambda: mg.full((1,), x, dtype=getattr(mg, kind)))
        assert ours == outcome(lambda: torch.full((1,), x, dtype=getattr(torch, kind)))


def test_can_cast_is_torch_can_cast(torch):
    for a in NAMES:
        for b in NAMES:
            expected = torch.can_cast(getattr(torch, a), getattr(torch, b))
            assert can_cast(getattr(mg, a), getattr(mg, b)) == expected, (a, b)


def test_check_can_cast_refuses_in_place_results_with_torch_s_message(torch):
    ours, theirs = operands(mg), operands(torch)
    for a in [name for name in ours if name.endswith("[3]")]:  # b broadcasts to a's shape
        for b in ours:

            def ours_():
                check_can_cast(result_type(ours[a], ours[b]), ours[a].dtype)
                return True

            def theirs_():
                theirs[a].clone().add_(theirs[b])
                return True

            assert outcome(ours_) == outcome(theirs_), (a, b)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output"):
        check_can_cast(mg.float32, mg.int64)


def test_the_int_conversion_and_scalar_names():
    assert dtypes.SCALAR_TYPE_NAMES[mg.float64] == "Double"
    assert dtypes.to_int64(-2.9) == -2 and dtypes.to_int64(True) == 1
