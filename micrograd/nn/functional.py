"""``torch.nn.functional``: activations and losses as functions.

Activations: ``linear``, ``relu``, ``sigmoid``, ``tanh``, ``softmax``, ``log_softmax``.
Losses, on Tensors, on Values and on lists of Values (karpathy's style): ``mse_loss``, ``l1_loss``,
``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``cross_entropy``, ``nll_loss``,
and karpathy's max-margin ``hinge``.  On Tensors each result carries PyTorch's ``grad_fn`` name
(``MseLossBackward0``...) and ``reduction`` is "mean", "sum" or "none".

Every loss is made of Value operations on the elements, so its gradient is the chain rule
through them; the math of each is in its docstring.
"""

from __future__ import annotations

from typing import Any, Callable

from ..core.value import Value
from ..core.errors import NotSupported, missing_name
from ..tensors import Tensor, as_tensor, int64

REDUCTIONS = ("mean", "sum", "none")


# --- activations -------------------------------------------------------------------------------------
def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x·Wᵀ + b, W of shape (out_features, in_features)."""
    x, w = as_tensor(input), as_tensor(weight)
    out = x.matmul(w.t())
    return out + bias if bias is not None else out


def relu(input: Any) -> Any:
    """relu(x) = max(x, 0), elementwise."""
    return input.relu()


def sigmoid(input: Any) -> Any:
    """σ(x) = 1/(1 + e⁻ˣ), elementwise."""
    return input.sigmoid()


def tanh(input: Any) -> Any:
    """tanh(x), elementwise."""
    return input.tanh()


def _shifted(input: Any, dim: Any, name: str) -> tuple[Tensor, int]:
    """x − max(x) along `dim` (the max is a constant: the shift cancels in softmax, and keeps eˣ finite)."""
    if dim is None:
        raise NotSupported(
            f"{name}() without dim is deprecated in PyTorch; give dim, e.g. {name}(x, dim=1)"
        )
    x = as_tensor(input)
    return x - x.detach().max(dim, keepdim=True).values, dim


def softmax(input: Any, dim: Any = None) -> Tensor:
    """softmax(x)ᵢ = eˣⁱ / Σⱼ eˣʲ along `dim`; ∂softmaxᵢ/∂xⱼ = softmaxᵢ(δᵢⱼ − softmaxⱼ)."""
    shifted, dim = _shifted(input, dim, "softmax")
    e = shifted.exp()
    return _named(e / e.sum(dim, keepdim=True), "SoftmaxBackward0", "softmax", input)


def log_softmax(input: Any, dim: Any = None) -> Tensor:
    """log softmax(x)ᵢ = xᵢ − log Σⱼ eˣʲ along `dim` (computed from x − max x, so it never overflows)."""
    shifted, dim = _shifted(input, dim, "log_softmax")
    return _named(
        shifted - shifted.exp().sum(dim, keepdim=True).log(),
        "LogSoftmaxBackward0",
        "log_softmax",
        input,
    )


def _named(result: Tensor, grad_fn: str, op: str, *inputs: Any) -> Tensor:
    """`result`'s elements under PyTorch's name for the whole function (one node in the tensor view)."""
    parents = tuple(t for t in inputs if isinstance(t, Tensor))
    return parents[0]._result(
        list(result._values), result.shape, grad_fn, op, parents, result.dtype
    )


# --- losses ------------------------------------------------------------------------------------------
def _pairs(prediction: Any, target: Any) -> tuple[list, list]:
    """Predictions and targets as two lists of scalars (Values or numbers)."""

    def flat(x: Any) -> list:
        if isinstance(x, Tensor):
            return list(x._values)
        if isinstance(x, (list, tuple)):
            return [y for item in x for y in flat(item)]
        return [x]

    p, t = flat(prediction), flat(target)
    if len(p) != len(t):
        raise ValueError(
            f"the prediction has {len(p)} elements but the target has {len(t)}: give them the same shape"
        )
    if not p:
        raise ValueError("a loss of nothing: the prediction is empty")
    return p, t


def _total(terms: list) -> Any:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _reduce(
    terms: list,
    reduction: str,
    grad_fn: str,
    op: str,
    prediction: Any,
    target: Any = None,
    shape: tuple | None = None,
) -> Any:
    """The per-element losses `terms` reduced: their mean (Σ·(1/n)), their sum, or all of them ("none",
    shaped like the prediction or `shape`).  Values in, Values out; Tensors in, a Tensor named `grad_fn`."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{reduction!r} is not a valid value for reduction: use 'mean', 'sum' or 'none'"
        )
    if reduction == "none":
        if not isinstance(prediction, Tensor):
            return terms
        out = Tensor(terms, prediction.shape if shape is None else shape, prediction.dtype)
    else:
        total = _total(terms)
        loss = total * (1.0 / len(terms)) if reduction == "mean" else total
        if not isinstance(prediction, Tensor):
            return loss
        out = Tensor([loss], (), prediction.dtype)
    return _named(out, grad_fn, op, prediction, target)


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """mean((x − t)²): ∂/∂xᵢ = 2(xᵢ − tᵢ)/n."""
    p, t = _pairs(input, target)
    return _reduce(
        [(a - b) * (a - b) for a, b in zip(p, t)],
        reduction,
        "MseLossBackward0",
        "mse_loss",
        input,
        target,
    )


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """mean(|x − t|): ∂/∂xᵢ = sign(xᵢ − tᵢ)/n."""
    p, t = _pairs(input, target)
    name = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AbsBackward0"}.get(
        reduction, ""
    )
    return _reduce([abs(a - b) for a, b in zip(p, t)], reduction, name, "l1_loss", input, target)


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """mean(−(t·log p + (1 − t)·log(1 − p))) for probabilities p in (0, 1) and targets t in [0, 1]."""
    p, t = _pairs(input, target)
    terms = [-(b * a.log() + (1 - b) * (1 - a).log()) for a, b in zip(p, t)]
    return _reduce(
        terms, reduction, "BinaryCrossEntropyBackward0", "binary_cross_entropy", input, target
    )


def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Any:
    """binary_cross_entropy(σ(x), t) = log(1 + eˣ) − x·t, whose derivative is σ(x) − t.  Computed
    stably: log(1 + eˣ) = x + log(1 + e⁻ˣ) for x > 0, so e never overflows.  (Written with relu and
    |x| instead, the derivative at x = 0 would come out −t, not ½ − t: both have a kink there.)"""
    p, t = _pairs(input, target)
    terms = [
        (x + ((-x).exp() + 1).log() if _number(x) > 0 else (x.exp() + 1).log()) - x * b
        for x, b in zip(p, t)
    ]
    return _reduce(
        terms,
        reduction,
        "BinaryCrossEntropyWithLogitsBackward0",
        "binary_cross_entropy_with_logits",
        input,
        target,
    )


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _rows(input: Tensor, what: str) -> list[list[Value]]:
    """The rows of an (N, C) input, or the one row of a (C,) input."""
    if input.dim() == 1:
        return [list(input._values)]
    if input.dim() != 2:
        raise NotSupported(
            f"{what} of a {input.dim()}-D input is not supported: give (N, C) scores or (C,)"
        )
    n, c = input.shape
    return [list(input._values[i * c : (i + 1) * c]) for i in range(n)]


def _classes(target: Any, rows: int, classes: int) -> list[int]:
    """Class indices from a target tensor of int64, one per row, each in [0, classes)."""
    target = as_tensor(target)
    labels = [int(v.data) for v in target._values]
    if target.dtype is not int64 or len(labels) != rows:
        raise RuntimeError(
            f"the target should hold {rows} class indices (int64, e.g. torch.tensor([0, 2, 1])), got "
            f"shape {tuple(target.shape)} of {target.dtype}"
        )
    for label in labels:
        if not 0 <= label < classes:
            raise IndexError(f"Target {label} is out of bounds: the classes are 0 to {classes - 1}")
    return labels


def nll_loss(input: Any, target: Any, reduction: str = "mean", **options: Any) -> Any:
    """mean(−log pₜ): input holds log-probabilities (N, C), target the class indices (N,)."""
    _refuse(options, "nll_loss")
    x = as_tensor(input)
    rows = _rows(x, "nll_loss")
    labels = _classes(target, len(rows), len(rows[0]))
    terms = [-row[label] for row, label in zip(rows, labels)]
    return _reduce(
        terms,
        reduction,
        "NllLossBackward0",
        "nll_loss",
        x,
        shape=(len(terms),) if x.dim() == 2 else (),
    )


def cross_entropy(input: Any, target: Any, reduction: str = "mean", **options: Any) -> Any:
    """mean(−log softmax(x)ₜ) over the rows of (N, C) scores and class indices t (N,):
    ∂/∂xᵢⱼ = (softmax(xᵢ)ⱼ − [j = tᵢ])/N.  Targets as probabilities are not supported."""
    _refuse(options, "cross_entropy")
    x = as_tensor(input)
    return nll_loss(log_softmax(x, dim=x.dim() - 1), target, reduction)


def _refuse(options: dict, name: str) -> None:
    """weight=, ignore_index=, label_smoothing=: not supported, said plainly (never silently ignored)."""
    given = {
        k: v
        for k, v in options.items()
        if not (k == "ignore_index" and v == -100)
        and not (k == "label_smoothing" and v == 0.0)
        and not (k == "weight" and v is None)
    }
    if given:
        raise NotSupported(
            f"{name}({', '.join(f'{k}=...' for k in sorted(given))}) is not supported: "
            "micrograd computes the plain loss, every class weighted 1"
        )


def hinge(scores: Any, labels: Any) -> Any:
    """karpathy's max-margin loss: mean(relu(1 − y·score)) for labels y in {−1, +1}."""
    s, y = _pairs(scores, labels)
    return _reduce(
        [(1 + -float(b) * a).relu() for a, b in zip(s, y)], "mean", "MeanBackward0", "hinge", scores
    )


ACTIVATIONS: dict[str, Callable[[Any], Any]] = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}


def __getattr__(name: str) -> Any:
    """A torch.nn.functional name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("nn.functional.", name)
