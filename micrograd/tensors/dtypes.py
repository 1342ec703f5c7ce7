"""Element types: ``float32``, ``float64``, ``int64``, ``int32``, ``bool``, printed as PyTorch
prints them,
and PyTorch's rules for them: which dtype a result has, and how a number is stored.

A float32 tensor stores float32 numbers: each element is rounded to the nearest float32 when
the tensor is made and when an operation makes it (``round_to_float32``), so
``tensor(0.1).item()`` is 0.10000000149011612 as in PyTorch.  The arithmetic between two
roundings is float64, so the last digits of a long float32 computation can still differ from
PyTorch's (which rounds after every step); gradients are float64.

An int64 tensor stores Python ints (exact, as int64 is, up to 2⁶³ - 1), an int32 tensor Python
ints wrapped around to 32 bits as PyTorch's int32 arithmetic wraps (2³¹ - 1 + 1 is -2³¹), and a
bool tensor 0.0 and 1.0.  The dtype of a result is PyTorch's (``result_type``); an operand is converted to
that dtype before the operation (``cast_number``), so ``tensor([0.1]) - 0.1`` is 0 as in
PyTorch.  Where PyTorch's int64 arithmetic silently wraps around, micrograd refuses.
"""

from __future__ import annotations

import math
import numbers
from array import array
from typing import Any, Callable, Iterable, Sequence

from ..core.errors import NotSupported
from ..core.value import Value

FLOAT32_OVERFLOW = 3.4028235677973366e38  # from here up, the nearest float32 is inf
FLOAT32_MAX = 3.4028234663852886e38  # the largest float32
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class dtype:
    """A tensor's element type, printed as PyTorch prints it (``torch.float32``).

    There is one object per type: pickling or copying one gives back the same object, so
    ``t.dtype is float32`` holds for a copied tensor too.
    """

    def __init__(self, name: str, is_floating_point: bool) -> None:
        self.name, self.is_floating_point = name, is_floating_point

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        # a string tells pickle and copy "the object of this name in the class's module"
        return MODULE_NAMES[self.name]


float32 = float_ = dtype("float32", True)
float64 = double = dtype("float64", True)
int64 = long = dtype("int64", False)
int32 = int_ = dtype("int32", False)
bool_ = dtype("bool", False)
DEFAULT_DTYPES = (float32, int64, bool_)  # the ones PyTorch does not print
MODULE_NAMES = {
    "float32": "float32",
    "float64": "float64",
    "int64": "int64",
    "int32": "int32",
    "bool": "bool_",
}

SCALAR_TYPE_NAMES = {
    float32: "Float",
    float64: "Double",
    int64: "Long",
    int32: "Int",
    bool_: "Bool",
}
"""The names PyTorch's C++ core gives the dtypes in its messages ("result type Float ...")."""

RANK = {bool_: 0, int32: 1, int64: 2, float32: 3, float64: 4}
"""bool < int32 < int64 < float32 < float64: of two dtypes, the promoted one is the higher."""
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def is_integer(kind: dtype) -> bool:
    """True for the integer dtypes, int64 and int32 (their elements are Python ints)."""
    return kind is int64 or kind is int32


def wrap_int32(x: int) -> int:
    """x as int32 holds it: the low 32 bits, as a signed number (two's complement)."""
    return (x - INT32_MIN) % 2**32 + INT32_MIN


# --- which dtype a result has ------------------------------------------------------------------
def category(kind: dtype) -> int:
    """0 for bool, 1 for integers, 2 for floating point: the order in which kinds win."""
    return 2 if kind.is_floating_point else 0 if kind is bool_ else 1


def promote(a: dtype, b: dtype) -> dtype:
    """``torch.promote_types``: the dtype that holds both a's and b's numbers, the higher of
    bool < int64 < float32 < float64 (so int64 with float32 is float32)."""
    return a if RANK[a] >= RANK[b] else b


def floating(kind: dtype) -> dtype:
    """The dtype itself if it is floating point, else the default float dtype, float32 (true
    division and functions such as exp make floats of integers)."""
    return kind if kind.is_floating_point else float32


DIMENSIONED, ZERO_DIM, NUMBER = 0, 1, 2
"""The three tiers of operands, strongest first: tensors with dimensions, 0-dim tensors (and
Values), Python numbers."""


def operand_dtype(x: Any) -> tuple[dtype, int]:
    """An operand's dtype and tier (DIMENSIONED, ZERO_DIM or NUMBER).

    A Python (or NumPy scalar) number has the dtype PyTorch gives it: bool is bool, an integer
    int64, a float the default float32.  A Value counts as a 0-dim float32 tensor; a NumPy
    array, even a 0-dim one, as a tensor with dimensions of its own dtype.
    """
    if x.__class__ is float:  # the most common number first: this runs in every operation
        return float32, NUMBER
    kind = getattr(x, "dtype", None)
    if isinstance(kind, dtype):  # a Tensor
        return kind, DIMENSIONED if len(x.shape) else ZERO_DIM
    if isinstance(x, bool):
        return bool_, NUMBER
    if isinstance(x, numbers.Integral):
        return int64, NUMBER
    if isinstance(x, numbers.Real):  # float, numpy.float64, numpy.float32, Fraction...
        return float32, NUMBER
    if isinstance(x, Value):
        return float32, ZERO_DIM
    if hasattr(kind, "kind"):  # NumPy computes `tensor + array`: its 0-dim arrays are not weak
        return from_numpy_dtype(kind), DIMENSIONED
    raise TypeError(f"not a tensor or a number: {type(x).__name__} ({x!r:.40})")


def result_type(*operands: Any) -> dtype:
    """``torch.result_type``: the dtype of an operation's result on these operands.

    Each tier (tensors with dimensions, 0-dim tensors, numbers) promotes its own dtypes.  A
    stronger tier then decides, unless a weaker one is of a higher category (bool < integer <
    floating point), which makes the two promote.  So ``ones(2) + tensor(1., dtype=float64)``
    is float32 (a 0-dim tensor does not widen a tensor's floats), ``tensor([1, 2]) + 1.5`` is
    float32 (a float number makes floats, of the default dtype), and
    ``tensor([1, 2]) + tensor(1.5, dtype=float64)`` is float64.
    """
    best: dict[int, dtype] = {}
    for x in operands:
        kind, tier = operand_dtype(x)
        best[tier] = promote(best[tier], kind) if tier in best else kind
    if not best:
        raise TypeError("result_type() needs at least one operand")
    result = None
    for tier in (NUMBER, ZERO_DIM, DIMENSIONED):  # from the weakest up
        if tier in best:
            result = best[tier] if result is None else _stronger(best[tier], result)
    return result


def _stronger(strong: dtype, weak: dtype) -> dtype:
    """A stronger tier's dtype against a weaker's: the stronger, unless the weaker is of a
    higher category."""
    return strong if category(strong) >= category(weak) else promote(strong, weak)


def can_cast(from_: dtype, to: dtype) -> bool:
    """``torch.can_cast``: True if a result of dtype `from_` may be written into a tensor of
    dtype `to` (an in-place operation), that is, if it does not go down a category: floats
    cannot go into integer or bool tensors, integers not into bool ones."""
    return category(from_) <= category(to)


def check_can_cast(result: dtype, out: dtype) -> None:
    """Refuse, with PyTorch's message, to write a result of dtype `result` into a tensor of
    dtype `out` when ``can_cast`` says no (``int_tensor.add_(1.5)``)."""
    if not can_cast(result, out):
        raise RuntimeError(
            f"result type {SCALAR_TYPE_NAMES[result]} can't be cast to the desired output "
            f"type {SCALAR_TYPE_NAMES[out]}"
        )


# --- the dtype of data -------------------------------------------------------------------------
def from_numpy_dtype(np_dtype: Any) -> dtype:
    """The dtype of a NumPy dtype: float64, float32, int64 and bool are themselves; others
    (float16, int32, uint8...) are refused, as micrograd has only these four."""
    kind, size = np_dtype.kind, np_dtype.itemsize
    found = {
        ("f", 8): float64,
        ("f", 4): float32,
        ("i", 8): int64,
        ("i", 4): int32,
        ("b", 1): bool_,
    }.get((kind, size))
    if found is None:
        raise NotSupported(
            f"numpy {np_dtype} data is not supported: micrograd has float32, float64, int64 "
            f"and bool (convert with .astype('float32') or .astype('int64'))"
        )
    return found


def data_dtype(data: Any) -> dtype:
    """The dtype ``torch.tensor(data)`` gives nested lists of numbers: the promotion of every
    element's dtype (bool, int64 for integers, float32 for floats), float32 for no elements.
    A NumPy array or scalar, or a Tensor, inside or alone, brings its own dtype
    (``tensor(np.array([0.1]))`` is float64)."""
    kind = getattr(data, "dtype", None)
    if isinstance(kind, dtype):
        return kind
    if hasattr(kind, "kind"):  # numpy
        return from_numpy_dtype(kind)
    if isinstance(data, (list, tuple)):
        found = [data_dtype(x) for x in data]
        return max(found, key=RANK.__getitem__) if found else float32
    if isinstance(data, bool):
        return bool_
    if isinstance(data, numbers.Integral):
        return int64
    return float32  # floats, Values; what is not a number is refused when it is read


# --- how numbers are stored --------------------------------------------------------------------
def float32_numbers(numbers: Sequence[float]) -> array:
    """The nearest float32 of each number (C's conversion: round to nearest, ties to even)."""
    try:
        return array("f", numbers)
    except OverflowError:  # array refuses what float32 cannot hold: ±inf
        return array(
            "f", [x if abs(x) < FLOAT32_OVERFLOW else math.copysign(math.inf, x) for x in numbers]
        )


def float32_steps(terms: Sequence[float], combine: Callable[[float, float], float]) -> float:
    """The terms combined left to right with every step rounded to float32, as PyTorch's
    float32 kernels compute: where a step goes beyond float32's range it is inf there, though
    the float64 result micrograd computes may fit (3.4e38 · 1.25 · 0.25)."""
    total = terms[0]
    for x in terms[1:]:
        total = float32_numbers([combine(total, x)])[0]
    return total


def round_to_float32(values: Sequence[Any]) -> None:
    """Store each Value's number as the nearest float32 (in place: the Values are new ones)."""
    for v, x in zip(values, float32_numbers([v.data for v in values])):
        v.data = x


def to_int64(x: Any, checked: bool = False) -> int:
    """x as an int64 element, as PyTorch stores a number into an integer tensor: a float is
    truncated toward zero (2.7 → 2, -2.5 → -2); what int64 cannot hold is refused with
    PyTorch's messages (ValueError for an int, RuntimeError for a float, inf or nan; `checked`
    gives the message of a number stored by ``fill_``, ``full`` or ``t[i] = x``)."""
    if isinstance(x, numbers.Integral):
        x = int(x)
        if not INT64_MIN <= x <= INT64_MAX:
            raise ValueError("Overflow when unpacking long long")
        return x
    x = float(x)
    if not INT64_MIN <= x < 2**63:  # nan fails both comparisons
        kind = "int64_t" if checked else "int64"
        raise RuntimeError(f"value cannot be converted to type {kind} without overflow")
    return int(x)


def scalar_argument(x: Any, kind: dtype) -> Any:
    """A Python number given to an operation on a `kind` tensor (clamp, fill_, where), as
    PyTorch reads it: an int beyond int64 is held as uint64 up to 2**64 - 1, which a floating
    tensor takes as a float and an integer one refuses; beyond that Python cannot convert it."""
    if not isinstance(x, int) or isinstance(x, bool) or INT64_MIN <= x <= INT64_MAX:
        return x
    if x < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if x >= 2**64:
        raise OverflowError("int too big to convert")
    if is_integer(kind):
        raise RuntimeError(f"value cannot be converted to type {kind.name}_t without overflow")
    return float(x)  # a float element, or a true one of a bool tensor


def arithmetic_operand(x: Any, kind: dtype) -> Any:
    """A Python number in arithmetic or a comparison with a `kind` tensor (``scalar_argument``),
    except that an integer tensor refuses an int beyond int64, where PyTorch wraps it around."""
    if kind.is_floating_point or not isinstance(x, int) or INT64_MIN <= x <= INT64_MAX:
        return scalar_argument(x, kind)
    if x < 0 or x >= 2**64:
        return scalar_argument(x, kind)  # Python's own OverflowError, as in PyTorch
    raise RuntimeError(
        f"integer overflow: the number {x} does not fit in int64 ({INT64_MIN} to {INT64_MAX}); "
        "PyTorch would silently wrap it around, micrograd refuses: use a floating dtype "
        "(.double()) for numbers this large"
    )


def cast_number(x: Any, kind: dtype, checked: bool = False) -> float | int:
    """x as an element of a `kind` tensor: the nearest float32 for float32, a float for
    float64, a truncated int for int64 (``to_int64``), 1.0 if non-zero (nan too) else 0.0
    for bool.  Operands are cast so before an operation, as PyTorch does.

    With `checked`, x is a number stored by ``fill_``, ``full`` or ``t[i] = x``, which PyTorch
    refuses if it is finite and the dtype cannot hold it: a float over float32's largest
    (``tensor()`` and arithmetic make it inf instead)."""
    if checked and isinstance(x, numbers.Integral) and not INT64_MIN <= x <= INT64_MAX:
        raise ValueError("Overflow when unpacking long long")  # PyTorch reads it as an int64
    if kind is float32:
        if checked and math.isfinite(x) and abs(x) > FLOAT32_MAX:
            raise RuntimeError("value cannot be converted to type float without overflow")
        return float32_numbers([x])[0]
    if kind is float64:
        return float(x)
    if kind is int64:
        return to_int64(x, checked)
    if kind is int32:
        return to_int32(x, checked)
    return 1.0 if x != 0 else 0.0


def to_int32(x: Any, checked: bool = False) -> int:
    """x as an int32 element: an int wrapped around to 32 bits, as PyTorch converts one (an
    int64 tensor's .int()); a float truncated toward zero, refused beyond int32 (PyTorch's
    result is undefined there); with `checked` (a number the user stores: tensor(), fill_,
    t[i] = x) anything int32 cannot hold is refused, as PyTorch refuses it."""
    if isinstance(x, numbers.Integral) and not checked:
        return wrap_int32(to_int64(x))
    if not isinstance(x, numbers.Integral) and not INT32_MIN <= float(x) < 2**31:
        name = "int" if checked else "int32"
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    y = to_int64(x, checked)
    if not INT32_MIN <= y <= INT32_MAX:
        raise RuntimeError("value cannot be converted to type int without overflow")
    return y


def cast_for_storage(numbers: Iterable[Any], kind: dtype, checked: bool = False) -> list:
    """Each number as an element of a `kind` tensor (``cast_number``): what ``tensor()``,
    ``t[i] = x`` and ``fill_`` store.  ``cast_for_storage([2.7, -2.5], int64)`` is [2, -2].
    Pass `checked` for numbers a user gives to ``fill_`` or ``t[i] = x`` (see ``cast_number``);
    results of operations (``t += 0.1``, ``exp_``) are stored unchecked, as in PyTorch."""
    if checked:
        return [cast_number(x, kind, checked) for x in numbers]
    if kind is float32:
        return float32_numbers(list(numbers)).tolist()
    if kind is float64:
        return [float(x) for x in numbers]
    if kind is int64:
        return [to_int64(x) for x in numbers]
    if kind is int32:
        return [to_int32(x) for x in numbers]
    return [1.0 if x != 0 else 0.0 for x in numbers]


def integer_results(numbers: Iterable[Any], kind: dtype) -> list:
    """The results of an operation on integer or bool tensors, as elements of `kind`.

    A bool result is 1.0 if non-zero, so bool + bool is a logical or and bool * bool an and.
    An int64 result must fit in int64: where PyTorch's int64 arithmetic silently wraps around
    (2⁶³ - 1 + 1 becomes -2⁶³), micrograd refuses (``check_int64``).
    """
    if kind is bool_:
        return [1.0 if x != 0 else 0.0 for x in numbers]
    if kind is int32:  # PyTorch's int32 arithmetic wraps around: 2³¹ - 1 + 1 is -2³¹
        return [wrap_int32(int(x)) for x in numbers]
    return [check_int64(int(x)) for x in numbers]


def check_int64(x: int) -> int:
    """x itself if int64 holds it, else the error of ``int64_overflow``."""
    if INT64_MIN <= x <= INT64_MAX:
        return x
    digits = str(abs(x))
    sign = "-" if x < 0 else ""
    raise int64_overflow(
        sign + digits if len(digits) <= 24 else f"{sign}{digits[:6]}... ({len(digits)} digits)"
    )


def int64_overflow(result: str) -> RuntimeError:
    """The error for an integer result int64 cannot hold: PyTorch would silently wrap around,
    micrograd refuses."""
    return RuntimeError(
        f"integer overflow: the result {result} does not fit in int64 ({INT64_MIN} to "
        f"{INT64_MAX}); PyTorch would silently wrap around, micrograd refuses: use a floating "
        "dtype (.double()) for numbers this large"
    )


def integer_pow(x: int, y: int) -> int:
    """x ** y in int64 arithmetic as PyTorch computes it: a negative exponent gives 0, except
    for the bases 1 and -1 (whose powers are ±1).  An exponent over 63 on a base other than
    0 and ±1 overflows: it is refused before a number with that many digits is computed."""
    if y < 0:
        return 1 if x == 1 else (-1 if y % 2 else 1) if x == -1 else 0
    if abs(x) > 1 and y > 63:
        raise int64_overflow(f"{x} ** {y}")
    return x**y


# --- what PyTorch refuses ----------------------------------------------------------------------
def check_arithmetic(name: str, left: dtype, right: dtype, result: dtype, exponent: Any) -> None:
    """Refuse, with PyTorch's messages, the arithmetic PyTorch refuses on these dtypes
    (`left` and `right` are the operands' own dtypes: a Python number's own, True is bool).

    * Subtraction with a bool operand: ``mask1 - mask2`` means xor, ``1 - mask`` a logical not.
    * A power whose result is bool and whose exponent is a tensor (``bool_t ** bool_t``).
    * An integer tensor to a negative integer number (`exponent`, None for a tensor).
    """
    if name in ("sub", "rsub") and bool_ in (left, right):
        if left is bool_ and right is bool_:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. "
                "Use the `^` or `logical_xor()` operator instead."
            )
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if name == "pow" and result is bool_ and exponent is None:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    if name == "pow" and not result.is_floating_point and exponent is not None and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


def check_bool_function(name: str, constants: Any, result: dtype) -> None:
    """Refuse, with PyTorch's messages, the functions PyTorch does not compute on bool tensors:
    neg, relu, abs, and clamp with bool bounds (an integer or float bound makes it numbers)."""
    if name == "neg":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if name == "relu":
        raise RuntimeError("Boolean inputs not supported for relu")
    if name == "abs":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    if name == "clamp" and result is bool_ and constants and any(c is not None for c in constants):
        low, high = constants
        kernel = (
            "clamp"
            if low is not None and high is not None
            else ("clamp_min" if low is not None else "clamp_max")
        )
        raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
