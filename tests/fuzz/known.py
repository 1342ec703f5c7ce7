"""The differences from PyTorch that the README documents, which the fuzzer lets pass.

Each entry quotes the README ("Where micrograd differs from PyTorch") and says exactly which
mismatches it covers: ``matches(mismatch)`` is True for those.  A mismatch an entry covers is
counted under the entry's name instead of being reported, and the register it is about is no
longer compared (what is made from it differs for the same documented reason).

``marks(step, inputs)``, when given, is asked about every step (``inputs`` are torch's tensors
of the registers the step reads): if True, the step's results carry the entry's name as a tag,
and so does everything made from them, for ``matches`` to look at.

Add an entry only for a difference the README states, with its words; anything else the fuzzer
finds is a bug to fix (or a difference to document first).  Two documented differences need no
entry, because of how the fuzzer compares: gradients are compared within a tolerance, and the
sign of their zeros is not compared ("Gradients are float64"; "a gradient of -0.0 arrives as
0.0"); random numbers are never used ("manual_seed ... they are not PyTorch's").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class KnownDifference:
    """A documented difference: its name, the README's words, and the mismatches it covers."""

    name: str
    readme: str
    matches: Callable[[Any], bool]
    marks: Callable[[Any, dict], bool] | None = None


def has_nan(inputs: dict) -> bool:
    """True if one of the tensors in `inputs` holds a nan."""
    for t in inputs.values():
        values = getattr(t, "tolist", None)
        if values is not None and any(_flat_nan(values())):
            return True
    return False


def _flat_nan(values: Any) -> list[bool]:
    if isinstance(values, list):
        return [x for item in values for x in _flat_nan(item)]
    return [isinstance(values, float) and math.isnan(values)]


def _is_gradient(mismatch: Any) -> bool:
    """True for a mismatch in a gradient (a backward pass, .grad, autograd.grad)."""
    return mismatch.op.startswith(("backward", "grad", "autograd.grad"))


KNOWN_DIFFERENCES: list[KnownDifference] = [
    KnownDifference(
        "intermediate tensors keep their gradients",
        "Intermediate Values and Tensors keep their gradients after backward (so drawings can "
        "show them); PyTorch keeps only the leaves'.",
        matches=lambda m: m.op.endswith("grad of a non-leaf"),
    ),
    KnownDifference(
        "detach() copies",
        "`detach()` makes new Values with the same numbers: an in-place change to the detached "
        "tensor does not show in its source (PyTorch's share memory).",
        matches=lambda m: m.where == "alias" and m.detached_alias,
    ),
    KnownDifference(
        "empty tensors never require grad",
        "A tensor with no elements never requires grad (the flag lives on the elements).",
        matches=lambda m: m.numel == 0 and m.kind in ("requires_grad", "is_leaf", "grad_fn", "str"),
    ),
    KnownDifference(
        "prod's gradient with a nan factor",
        "The gradient of `prod()` when a factor is nan is the product of the other factors; "
        "PyTorch computes result/xᵢ, nan everywhere.",
        matches=lambda m: "prod's gradient with a nan factor" in m.tags and _is_gradient(m),
        marks=lambda step, inputs: ".prod(" in step.op and has_nan(inputs),
    ),
]
