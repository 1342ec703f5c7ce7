"""The differences from PyTorch that the README documents, which the fuzzer lets pass.

Each entry quotes the README ("Where micrograd differs from PyTorch") and says exactly which
mismatches it covers: ``matches(mismatch)`` is True for those.  A mismatch an entry covers is
counted under the entry's name instead of being reported, and the register it is about is no
longer compared (what is made from it differs for the same documented reason).

``marks(step, inputs)``, when given, is asked about every step (``inputs`` are torch's tensors
of the registers the step reads): if True, the step's results carry the entry's name as a tag,
and so does everything made from them, for ``matches`` to look at.

Add an entry only for a difference the README states, with its words; anything else the fuzzer
finds is a bug to fix (or a difference to document first).  Some documented differences need no
entry because of how the fuzzer compares: gradients are compared within a tolerance and without
the sign of their zeros ("Gradients are summed in float64 and shown rounded to float32"; "a
gradient of -0.0 arrives as 0.0"; "the last digit may differ"), functions such as exp within a
few ulps ("other functions (`exp`, `sin`...) are correctly rounded where PyTorch's may be one
float32 step away"); random numbers are never drawn ("`manual_seed` ... they are not
PyTorch's"); ``.long()`` of inf or nan is never written (torch's answer is undefined); and a
``NotSupported`` is always skipped ("Features micrograd does not have ... raise
`NotImplementedError` (`micrograd.NotSupported`)").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

# indexes, slices (select, narrow, unbind, split, chunk, diagonal are slices), max/min, masks:
# "a view or a selection holds the chosen Values only"
SELECTIONS = ("t[", "t.select", "t.narrow", "t.unbind", "t.split", "t.chunk", "t.diagonal")
SELECTIONS += ("t.max(", "t.min(", "t.amax(", "t.amin(")


@dataclass(frozen=True)
class KnownDifference:
    """A documented difference: its name, the README's words, and the mismatches it covers."""

    name: str
    readme: str
    matches: Callable[[Any], bool]
    marks: Callable[[Any, dict], bool] | None = None


def numbers(inputs: dict) -> list[tuple[str, float]]:
    """(dtype, number) for every float number of the tensors in `inputs`."""
    found = []
    for t in inputs.values():
        dtype = str(getattr(t, "dtype", "")).removeprefix("torch.")
        if dtype in ("float32", "float64"):
            found += [(dtype, x) for x in _flat(t.tolist())]
    return found


def view_of_a_constant(t: Any) -> bool:
    """True for a (torch) view of a tensor that does not require grad."""
    return getattr(t, "_base", None) is not None and not t._base.requires_grad


def shares_storage(t: Any) -> bool:
    """True for a (torch) tensor whose storage another tensor holds too (a ``.data`` alias, or
    what it is an alias of): torch's own count of the storage's users, one being this call's."""
    if not hasattr(t, "untyped_storage"):
        return False
    import torch

    return torch._C._storage_Use_Count(t.untyped_storage()._cdata) > 2


def overlapping(mutated: str, inputs: dict) -> bool:
    """True if another of the step's (torch) tensors shares memory with the one it writes."""
    target = inputs.get(mutated)
    if not hasattr(target, "untyped_storage"):
        return False
    ptr = target.untyped_storage().data_ptr()
    return any(
        name != mutated and hasattr(t, "untyped_storage") and t.untyped_storage().data_ptr() == ptr
        and ptr != 0 for name, t in inputs.items()
    )  # fmt: skip


def _flat(values: Any) -> list:
    if isinstance(values, list):
        return [x for item in values for x in _flat(item)]
    return [values]


def _op(step: Any) -> str:
    """The step's op without the ``no_grad:`` it may be written in."""
    return step.op.removeprefix("no_grad: ")


def is_gradient(mismatch: Any) -> bool:
    """True for a mismatch in a gradient (a backward pass, .grad, autograd.grad)."""
    return mismatch.op.startswith(("backward", "grad", "autograd.grad"))


SQUARES = {"float32": (1e-22, 1e18), "float64": (1e-153, 1e153)}  # Σx² stays in range


def squares_leave_range(step: Any, inputs: dict) -> bool:
    """True if a number's square underflows or overflows in its dtype (PyTorch's Σx² does)."""
    return any(
        math.isfinite(x) and x != 0 and not SQUARES[dtype][0] < abs(x) < SQUARES[dtype][1]
        for dtype, x in numbers(inputs)
    )


def torch_nan_only(mismatch: Any) -> bool:
    """True if, wherever the values differ, torch's is nan and micrograd's a number."""
    pairs = zip(mismatch.expected_values or [], mismatch.got_values or [])
    differing = [(x, y) for x, y in pairs if not (x == y or (x != x and y != y))]
    return bool(differing) and all(x != x and y == y for x, y in differing)


KNOWN_DIFFERENCES: list[KnownDifference] = [
    KnownDifference(
        "unselected elements get no gradient",
        "An unselected element gets no gradient from an index, a slice, `max`/`min` or a mask: "
        "it is not in the graph of the result, so a backward pass through `y = x.log(); y[1]` "
        "leaves `x.grad[0]` at 0 where PyTorch sends a zero through log and gets nan (0·∞).",
        matches=lambda m: (
            "unselected elements get no gradient" in m.tags
            and is_gradient(m)
            and m.kind == "values"
            and torch_nan_only(m)
        ),
        marks=lambda step, inputs: _op(step).startswith(SELECTIONS),
    ),
    KnownDifference(
        "detach().requires_grad_() has elements of its own",
        "`x.detach().requires_grad_()` (and `x.data.requires_grad_()`, `nn.Parameter(t)`, and "
        "`v.requires_grad_()` on a view `v` of an `x` that does not require grad) gets elements "
        "of its own: from then on "
        "it no longer shares with `x`, nor its version counter.",
        matches=lambda m: (
            "detach().requires_grad_() has elements of its own" in m.tags
            and (
                m.where == "alias"  # the alias, or what it shares with, was given its own
                or m.kind == "requires_grad"  # what it is a view of, in PyTorch
                # nor its version counter: writing into x does not date what was saved of it
                or (m.kind == "error" and "modified by an inplace operation" in m.expected)
            )
        ),
        marks=lambda step, inputs: (
            _op(step) == "t.detach().requires_grad_()"
            or (
                _op(step) == "t.requires_grad_()"
                and any(view_of_a_constant(t) or shares_storage(t) for t in inputs.values())
            )  # fmt: skip
        ),
    ),
    KnownDifference(
        "norm() gives the true length",
        "`norm()` gives the true length where PyTorch's Σx² underflows or overflows (‖[1e-200, "
        "1e-200]‖ is 1.4e-200, PyTorch says 0).",
        matches=lambda m: (
            "norm() gives the true length" in m.tags and (m.kind == "values" or is_gradient(m))
        ),
        marks=lambda step, inputs: (
            _op(step).startswith("t.norm(") and squares_leave_range(step, inputs)
        ),
    ),
    KnownDifference(
        "int64 refuses to overflow",
        "int64 tensors hold Python ints, exactly, and refuse a result outside int64 (PyTorch "
        "wraps around silently)",
        # the only way to tell this refusal from another error: micrograd's message says so
        matches=lambda m: (
            m.kind == "error"
            and m.detail.startswith("micrograd raises")
            and "does not fit in int64" in m.got
        ),
    ),
    KnownDifference(
        "prod's gradient with a nan or inf factor",
        "The gradient of `prod()` when a factor is nan or inf is the product of the other "
        "factors; PyTorch computes result/xᵢ, nan everywhere.",
        matches=lambda m: "prod's gradient with a nan or inf factor" in m.tags and is_gradient(m),
        marks=lambda step, inputs: (
            _op(step).startswith("t.prod(")
            and any(not math.isfinite(x) for _, x in numbers(inputs))
        ),
    ),
    KnownDifference(
        "grad_fn names in a gradient's own graph",
        "A few `grad_fn` names in a gradient's own graph differ (after "
        "`backward(create_graph=True)`, relu's is `WhereBackward0` where PyTorch prints "
        "`ThresholdBackwardBackward0`).",
        matches=lambda m: m.kind == "grad_fn" and m.op.startswith("autograd.grad via"),
    ),
    KnownDifference(
        "results are contiguous",
        "The result of an elementwise operation or a reduction is always contiguous; PyTorch's "
        "keeps the memory layout of a permuted input, so `(x.t() + 1).view(-1)` works in "
        'micrograd where PyTorch raises "view size is not compatible"',
        matches=lambda m: (
            "results are contiguous" in m.tags
            and (
                (
                    m.kind == "error"
                    and m.detail.startswith("torch raises")
                    and "view size is not compatible" in m.expected
                )
                or (m.kind == "grad_fn" and m.expected == "UnsafeViewBackward0")
            )
        ),
        marks=lambda step, inputs: (
            not step.view_of
            and any(hasattr(t, "is_contiguous") and not t.is_contiguous() for t in inputs.values())
        ),
    ),
    KnownDifference(
        "norm's second derivative at 0",
        "The second derivative of `norm()` at the zero vector is 0, where PyTorch's is nan.",
        matches=lambda m: (
            "norm's second derivative at 0" in m.tags
            and m.op.startswith("grad of grad")
            and torch_nan_only(m)
        ),
        marks=lambda step, inputs: "norm(" in _op(step) and all(x == 0 for _, x in numbers(inputs)),
    ),
    KnownDifference(
        "each leaf's .grad is its own",
        "Each leaf's `.grad` is a tensor of its own.  PyTorch may give the inputs of `stack` or "
        "`cat` gradients that are views of one buffer, so that a second backward pass adds into "
        "them twice",
        matches=lambda m: (
            "each leaf's .grad is its own" in m.tags
            and m.op.startswith("grad via")
            and m.kind == "values"
        ),  # fmt: skip
        marks=lambda step, inputs: _op(step) in ("T.stack", "T.cat"),
    ),
    KnownDifference(
        "an overlapping in-place operand",
        "An in-place operation whose operand overlaps the tensor it writes, in a way PyTorch does "
        "not check (`x.T.add_(x.unbind(1)[0])`), computes as if out of place.",
        matches=lambda m: "an overlapping in-place operand" in m.tags and m.kind == "values",
        marks=lambda step, inputs: bool(step.mutates) and overlapping(step.mutates, inputs),
    ),
    KnownDifference(
        "x ** False",
        "`x ** False` has the gradient of `x ** 0`: 0 everywhere, where PyTorch's is nan at "
        "x = 0 (it takes only a number 0 for the constant exponent 0).",
        matches=lambda m: "x ** False" in m.tags and is_gradient(m) and torch_nan_only(m),
        marks=lambda step, inputs: _op(step) in ("t ** bool", "t.pow(bool)"),
    ),
    KnownDifference(
        "a constant gradient has no graph",
        "A gradient taken with `create_graph=True` that is a constant (that of `prod` over one "
        "element, or one with no elements) does not require grad, where PyTorch's may.",
        # micrograd's side says it has no graph; a wrong graph would show in the values of the
        # gradients of the gradient, which are compared
        matches=lambda m: (
            m.op.startswith("autograd.grad via")
            and (m.kind, m.got) in (("requires_grad", "False"), ("is_leaf", "True"))
        ),
    ),
]
