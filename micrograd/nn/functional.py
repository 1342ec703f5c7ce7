"""``torch.nn.functional``: activations and losses as functions.

Convolutions and pooling (from ``conv.py`` and ``pooling.py``): ``conv1d``, ``conv2d``,
``max_pool1d``, ``max_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``.
Activations: ``linear``, ``relu``, ``sigmoid``, ``tanh``, ``softmax``, ``log_softmax``.
Losses, on Tensors, on Values and on lists of Values (karpathy's style): ``mse_loss``, ``l1_loss``,
``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``cross_entropy``, ``nll_loss``,
and karpathy's max-margin ``hinge``.  On Tensors each result carries PyTorch's ``grad_fn`` name
(``MseLossBackward0``...) and ``reduction`` is "mean", "sum" or "none".

Every loss is made of Value operations on the elements, so its gradient is the chain rule
through them; the math of each is in its docstring.
"""

from __future__ import annotations

import math
import struct
import warnings
from typing import Any, Callable

from ..core.value import Value
from ..core.errors import NotSupported, missing_name
from ..tensors import Tensor, as_tensor, int64
from ..tensors.dtypes import promote
from ..tensors.elements import element_values
from ..tensors.history import constant_value
from ..tensors.joining import where
from ..tensors.linalg import sum_of_products
from ..tensors.shapes import broadcast_index, broadcast_shapes
from .conv import conv1d, conv2d, conv_transpose2d  # noqa: F401 (torch.nn.functional has them)
from .modules import linear  # noqa: F401 (y = x·Wᵀ + b, as nn.Linear computes it)
from .pooling import (  # noqa: F401 (torch.nn.functional has them)
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    lp_pool2d,
    max_pool1d,
    max_pool2d,
)

REDUCTIONS = ("mean", "sum", "none")


# --- activations -------------------------------------------------------------------------------------
def relu(input: Any) -> Any:
    """relu(x) = max(x, 0), elementwise."""
    return input.relu()


def sigmoid(input: Any) -> Any:
    """σ(x) = 1/(1 + e⁻ˣ), elementwise."""
    return input.sigmoid()


def tanh(input: Any) -> Any:
    """tanh(x), elementwise."""
    return input.tanh()


def _dim_required(dim: Any, name: str) -> None:
    """PyTorch picks a dim when none is given, with a deprecation warning: micrograd asks."""
    if dim is None:
        raise NotSupported(
            f"{name}() without dim is deprecated in PyTorch; give dim, e.g. {name}(x, dim=1)"
        )


def softmax(input: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(x)ᵢ = eˣⁱ / Σⱼ eˣʲ along `dim` (``Tensor.softmax``, in ``tensors/activations.py``)."""
    _dim_required(dim, "softmax")
    return as_tensor(input).softmax(dim, dtype=dtype)


def log_softmax(input: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """log softmax(x)ᵢ = xᵢ − log Σⱼ eˣʲ along `dim` (``Tensor.log_softmax``)."""
    _dim_required(dim, "log_softmax")
    return as_tensor(input).log_softmax(dim, dtype=dtype)


def _named(result: Tensor, grad_fn: str, op: str, *inputs: Any) -> Tensor:
    """`result`'s elements under PyTorch's name for the whole function (one node in the tensor view)."""
    parents = tuple(t for t in inputs if isinstance(t, Tensor))
    return parents[0]._result(
        list(result._values), result.shape, grad_fn, op, parents, result.dtype
    )


# --- losses ------------------------------------------------------------------------------------------
EPSILON = struct.unpack("f", struct.pack("f", 1e-12))[0]
"""PyTorch's floor under p(1 − p) in binary_cross_entropy's backward: 1e-12 as a float32."""

LOG_FLOOR = -100.0
"""PyTorch clamps both logs of binary_cross_entropy here, so that p = 0 or 1 costs 100, not inf."""


def _pairs(prediction: Any, target: Any) -> tuple[list, list]:
    """Predictions and targets as two lists of scalars (Values or numbers), paired in order."""

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


def _operands(
    input: Any, target: Any, same_size: str | None = None
) -> tuple[Any, Any, list, list, tuple | None]:
    """(input, target, their elements paired, the shape of the pairs).  Lists of Values (karpathy's
    style) pair in order, shape None.  Tensors broadcast against each other, as PyTorch's losses
    do; a different shape is refused with the error `same_size` (binary cross-entropy), or
    broadcast with PyTorch's warning (mse_loss, l1_loss)."""
    if not isinstance(input, Tensor) and not isinstance(target, Tensor):
        p, t = _pairs(input, target)
        return input, target, p, t, None
    x, y = as_tensor(input), as_tensor(target)
    if x.shape != y.shape:
        if same_size is not None:
            raise ValueError(same_size.format(target=y.shape, input=x.shape))
        warnings.warn(
            f"Using a target size ({y.shape}) that is different to the input size ({x.shape}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,  # the line that called the loss
        )
    shape = _broadcast(x.shape, y.shape)
    return x, y, _expanded(x, shape), _expanded(y, shape), shape


def _broadcast(a: tuple, b: tuple) -> tuple:
    """The shape two shapes broadcast to, or torch.broadcast_tensors' error."""
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and 1 not in (a[-i], b[-i]):
            raise RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )
    return broadcast_shapes(a, b)


def _expanded(x: Tensor, shape: tuple) -> list:
    """x's elements broadcast to `shape`, in row-major order (an element may repeat)."""
    values = x._values
    return values if x.shape == shape else [values[i] for i in broadcast_index(x.shape, shape)]


def _weights(weight: Any, shape: tuple | None, count: int, name: str) -> list[float]:
    """Per-element weights (numbers: PyTorch does not differentiate a loss by its weight),
    broadcast to the elements' `shape`; all 1 without a weight."""
    if weight is None:
        return [1.0] * count
    w = as_tensor(weight)
    if w.requires_grad:
        raise RuntimeError(
            f"The function '{name}' is not differentiable with respect to argument 'weight'. "
            "This input cannot have requires_grad True."
        )
    if shape is None:  # lists of Values: one weight, or one per element
        numbers = [v.data for v in w._values]
        if len(numbers) not in (1, count):
            raise ValueError(f"{name}: {len(numbers)} weights for {count} elements")
        return numbers * count if len(numbers) == 1 else numbers
    if _broadcast(w.shape, shape) != tuple(shape):
        raise RuntimeError(
            f"{name}: a weight of shape {tuple(w.shape)} does not broadcast to the input's shape "
            f"{tuple(shape)}"
        )
    return [v.data for v in _expanded(w, tuple(shape))]


def _total(terms: list) -> Any:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _legacy(name: str, size_average: Any, reduce: Any) -> None:
    """size_average= and reduce=, deprecated in PyTorch: refused, naming reduction= instead."""
    if size_average is not None or reduce is not None:
        raise NotSupported(
            f"{name}(size_average=..., reduce=...) is not supported (deprecated in PyTorch): "
            "use reduction='mean', 'sum' or 'none'"
        )


def _reduce(
    terms: list,
    reduction: str,
    grad_fn: str,
    op: str,
    prediction: Any,
    target: Any = None,
    shape: tuple | None = None,
    divisor: float | None = None,
    dtype_: Any = None,
) -> Any:
    """The per-element losses `terms` reduced: their mean Σ·(1/divisor) (the number of terms
    unless given: the sum of the weights, or of the targets not ignored), their sum, or all of
    them ("none", shaped like the prediction or `shape`).  A mean of nothing (divisor 0) is
    nan, as 0/0.  Values in, Values out; Tensors in, a Tensor named `grad_fn`."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{reduction!r} is not a valid value for reduction: use 'mean', 'sum' or 'none'"
        )
    if isinstance(prediction, Tensor):
        dtype_ = dtype_ or prediction.dtype
    if reduction == "none":
        if not isinstance(prediction, Tensor):
            return terms
        out = Tensor(terms, prediction.shape if shape is None else shape, dtype_)
    else:
        total = _total(terms) if terms else constant_value(0.0)
        if reduction == "mean":
            n = len(terms) if divisor is None else divisor
            # a mean of nothing: nan, yet the terms keep their gradient 0 (PyTorch's too)
            loss = total * (1.0 / n) if n else total + math.nan
        else:
            loss = total
        if not isinstance(prediction, Tensor):
            return loss
        out = Tensor([loss], (), dtype_)
    return _named(out, grad_fn, op, prediction, target)


def _dtype_of(x: Any, y: Any) -> Any:
    """The result's dtype: the promotion of the input's and the target's (None for Values)."""
    return promote(x.dtype, y.dtype) if isinstance(x, Tensor) else None


def mse_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """mean((x − t)²): ∂/∂xᵢ = 2(xᵢ − tᵢ)/n.  Tensors of different shapes broadcast (with
    PyTorch's warning).  With `weight`: Σ wᵢ(xᵢ − tᵢ)² / Σ wᵢ."""
    _legacy("mse_loss", size_average, reduce)
    x, y, p, t, shape = _operands(input, target)
    terms = [(a - b) * (a - b) for a, b in zip(p, t)]
    if weight is None:
        return _reduce(
            terms, reduction, "MseLossBackward0", "mse_loss", x, y, shape, dtype_=_dtype_of(x, y)
        )
    return _weighted(terms, weight, x, y, shape, reduction, "mse_loss")


def l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """mean(|x − t|): ∂/∂xᵢ = sign(xᵢ − tᵢ)/n.  Tensors of different shapes broadcast (with
    PyTorch's warning).  With `weight`: Σ wᵢ|xᵢ − tᵢ| / Σ wᵢ."""
    _legacy("l1_loss", size_average, reduce)
    x, y, p, t, shape = _operands(input, target)
    terms = [abs(a - b) for a, b in zip(p, t)]
    if weight is None:
        name = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AbsBackward0"}
        return _reduce(
            terms,
            reduction,
            name.get(reduction, ""),
            "l1_loss",
            x,
            y,
            shape,
            dtype_=_dtype_of(x, y),
        )
    return _weighted(terms, weight, x, y, shape, reduction, "l1_loss")


def _weighted(
    terms: list, weight: Any, x: Any, y: Any, shape: tuple | None, reduction: str, op: str
) -> Any:
    """mse_loss and l1_loss with `weight` (of the input's size, as PyTorch asks): wᵢ·termᵢ, then
    their sum, or that sum divided by Σ wᵢ (PyTorch's names: MulBackward0, SumBackward0,
    DivBackward0)."""
    if isinstance(x, Tensor) and as_tensor(weight).shape != x.shape:
        raise ValueError("Weights and input must have the same size.")
    w = _weights(weight, shape, len(terms), op)
    name = {"mean": "DivBackward0", "sum": "SumBackward0", "none": "MulBackward0"}
    return _reduce(
        [term * wi for term, wi in zip(terms, w)],
        reduction,
        name.get(reduction, ""),
        op,
        x,
        y,
        shape,
        divisor=sum(w),
        dtype_=_dtype_of(x, y),
    )


def _bce_term(p: Any, t: Any) -> Any:
    """−(t·log p + (1 − t)·log(1 − p)), as PyTorch computes it: each log clamped at −100, so
    that p = 0 or 1 costs at most 100 (not inf, nor 0·inf = nan), and the derivative
    ∂/∂p = (p − t)/p(1 − p) taken with p(1 − p) no smaller than EPSILON.

    Where p(1 − p) ≥ EPSILON neither guard acts, and the term is the plain formula in Values.
    Nearer 0 or 1 it is built as c + k·(p − p₀): c the clamped loss (a number), p₀ = p.data, so
    that p − p₀ is exactly 0 and k = (p₀ − t)/EPSILON is PyTorch's derivative."""
    pn, tn = _number(p), _number(t)
    if pn * (1 - pn) >= EPSILON:
        return -(t * p.log() + (1 - t) * (1 - p).log())
    log_p = max(math.log(pn), LOG_FLOOR) if pn > 0 else LOG_FLOOR
    log_q = max(math.log1p(-pn), LOG_FLOOR) if pn < 1 else LOG_FLOOR
    term = (p - pn) * ((pn - tn) / EPSILON) + (-(tn * log_p + (1 - tn) * log_q))
    if isinstance(t, Value) and t.requires_grad:  # ∂/∂t = log(1 − p) − log p, unclamped
        slope = (math.log1p(-pn) if pn < 1 else -math.inf) - (math.log(pn) if pn > 0 else -math.inf)
        if not math.isfinite(slope):
            raise NotSupported(
                "binary_cross_entropy: the gradient to a target at p = 0 or 1 is infinite "
                "(PyTorch gives ±inf); give a target that does not require grad there"
            )
        term = term + (t - tn) * slope
    return term


def _check_unit(numbers: list[float], what: str) -> None:
    """PyTorch's check that probabilities (and their targets) lie in [0, 1] (nan does not)."""
    if not all(0.0 <= n <= 1.0 for n in numbers):
        raise RuntimeError(f"all elements of {what} should be between 0 and 1")


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """mean(−w·(t·log p + (1 − t)·log(1 − p))) for probabilities p and targets t in [0, 1],
    each log clamped at −100 as PyTorch does: ∂/∂p = w(p − t)/max(p(1 − p), 1e-12) / n.
    `weight` (w, 1 by default) broadcasts to the input's shape; input and target must have
    the same shape."""
    _legacy("binary_cross_entropy", size_average, reduce)
    x, y, p, t, shape = _operands(
        input,
        target,
        same_size="Using a target size ({target}) that is different to the input size ({input}) "
        "is deprecated. Please ensure they have the same size.",
    )
    _check_unit([_number(a) for a in p], "input")
    _check_unit([_number(b) for b in t], "target")
    w = _weights(weight, shape, len(p), "binary_cross_entropy")
    terms = [_bce_term(a, b) if wi == 1 else _bce_term(a, b) * wi for a, b, wi in zip(p, t, w)]
    return _reduce(terms, reduction, "BinaryCrossEntropyBackward0", "binary_cross_entropy", x, y)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """binary_cross_entropy(σ(x), t) = log(1 + eˣ) − x·t, whose derivative is σ(x) − t.  Computed
    stably: log(1 + eˣ) = x + log(1 + e⁻ˣ) for x > 0, so e never overflows.  (Written with relu and
    |x| instead, the derivative at x = 0 would come out −t, not ½ − t: both have a kink there.)
    `weight` multiplies each term; input and target must have the same shape.  With
    `pos_weight` (p, broadcast along the last dimension: one per class) the positive part is
    weighed: (1 − t)·x + (1 + (p − 1)·t)·log(1 + e⁻ˣ)."""
    name = "binary_cross_entropy_with_logits"
    _legacy(name, size_average, reduce)
    x, y, p, t, shape = _operands(
        input, target, same_size="Target size ({target}) must be the same as input size ({input})"
    )
    w = _weights(weight, shape, len(p), name)
    if pos_weight is None:
        terms = [_softplus(a) - a * b for a, b in zip(p, t)]
    else:
        positive = _weights(pos_weight, shape, len(p), name)
        terms = [
            (1 - b) * a + (1 + (pw - 1) * b) * _softplus(-a) for a, b, pw in zip(p, t, positive)
        ]
    return _reduce(
        [term if wi == 1 else term * wi for term, wi in zip(terms, w)],
        reduction,
        "BinaryCrossEntropyWithLogitsBackward0",
        "binary_cross_entropy_with_logits",
        x,
        y,
    )


def _softplus(x: Value) -> Value:
    """log(1 + eˣ), computed so that e never overflows: x + log(1 + e⁻ˣ) for x > 0."""
    return x + ((-x).exp() + 1).log() if _number(x) > 0 else (x.exp() + 1).log()


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
    values = input._values
    return [list(values[i * c : (i + 1) * c]) for i in range(n)]


def _classes(target: Any, rows: int, classes: int, ignore_index: int) -> list[int]:
    """Class indices from a target tensor of int64, one per row, each in [0, classes) or
    `ignore_index` (a row that does not count)."""
    target = as_tensor(target)
    if target.dtype is not int64:
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype.name.capitalize()}"
        )
    labels = [int(v.data) for v in target._values]
    if target.dim() == 1 and len(labels) != rows:
        raise ValueError(
            f"Expected input batch_size ({rows}) to match target batch_size ({len(labels)})."
        )
    if len(labels) != rows:
        raise RuntimeError(
            f"the target should hold {rows} class indices (int64, e.g. torch.tensor([0, 2, 1])), got "
            f"shape {tuple(target.shape)}"
        )
    for label in labels:
        if label != ignore_index and not 0 <= label < classes:
            raise IndexError(f"Target {label} is out of bounds.")  # PyTorch's words
    return labels


def _class_weights(weight: Any, classes: int, name: str) -> list[float]:
    """One weight per class (numbers: PyTorch does not differentiate by them); all 1 without."""
    if weight is None:
        return [1.0] * classes
    w = as_tensor(weight)
    if w.requires_grad:
        raise RuntimeError(
            f"The function '{name}' is not differentiable with respect to argument 'weight'. "
            "This input cannot have requires_grad True."
        )
    if w.dim() != 1 or w.numel() != classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes but "
            f"got weight tensor of shape: {list(w.shape)}"
        )
    return [v.data for v in w._values]


def _nothing(row: list[Value]) -> Any:
    """The loss of an ignored row: 0, kept in the graph with gradient 0 (as x·x·0: +0 even for a
    negative x) so that backward reaches the input even when every row is ignored; a constant 0
    where the row holds nan or inf, which PyTorch never reads either."""
    x = row[0] if row else None
    if x is None or not math.isfinite(x.data):
        return constant_value(0.0)
    return x * x * 0.0


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """Σᵢ −w[tᵢ]·xᵢ,ₜᵢ / Σᵢ w[tᵢ] over the rows i whose target tᵢ is not `ignore_index`: input
    holds log-probabilities (N, C) (or (C,)), target the class indices (N,) (or a 0-D one),
    `weight` one weight per class (1 by default).  ∂/∂xᵢ,ₜᵢ = −w[tᵢ]/Σ w; an ignored row has
    loss 0 and gradient 0, and when every row is ignored the mean is 0/0 = nan."""
    _legacy("nll_loss", size_average, reduce)
    x = as_tensor(input)
    if x.dim() > 2:
        rows, labels, shape = _class_last(x, target)
        loss = nll_loss(rows, labels, weight, ignore_index=ignore_index, reduction=reduction)
        return _spatial(loss, x, shape, reduction, True)
    rows = _rows(x, "nll_loss")
    labels = _classes(target, len(rows), x.shape[-1], ignore_index)
    w = _class_weights(weight, x.shape[-1], "nll_loss")
    terms, total_weight = [], 0.0
    for row, label in zip(rows, labels):
        if label == ignore_index:
            terms.append(_nothing(row))
            continue
        terms.append(-row[label] if w[label] == 1 else -row[label] * w[label])
        total_weight += w[label]
    return _reduce(
        terms,
        reduction,
        "NllLossBackward0",
        "nll_loss",
        x,
        shape=(len(terms),) if x.dim() == 2 else (),
        divisor=total_weight,
    )


def _class_last(x: Tensor, target: Any) -> tuple[Tensor, Tensor, tuple]:
    """An (N, C, d₁, ...) input as rows (N·d₁···, C) of its classes, its target (class indices
    (N, d₁, ...), or probabilities shaped like the input) likewise, and the shape (N, d₁, ...)."""
    c, shape = x.shape[1], (x.shape[0], *x.shape[2:])
    t = as_tensor(target)
    rows = x.movedim(1, -1).reshape(-1, c)
    if t.dtype.is_floating_point and t.shape == x.shape:
        return rows, t.movedim(1, -1).reshape(-1, c), shape
    if x.dim() == 4 and t.dim() != 3:
        raise RuntimeError(
            "only batches of spatial targets supported (3D tensors) but got targets of "
            f"dimension: {t.dim()}"
        )
    if tuple(t.shape) != shape:
        raise RuntimeError(f"Expected target size {list(shape)}, got {list(t.shape)}")
    return rows, t.reshape(-1), shape


def _spatial(loss: Tensor, x: Tensor, shape: tuple, reduction: str, named: bool) -> Tensor:
    """The loss of the rows of an (N, C, d₁, ...) input in the shape (N, d₁, ...) (for
    reduction='none'), named as PyTorch's nll_loss2d names it where it does (`named`): its
    mean or sum, and its unreduced 4-D result; its other unreduced ones are views.  Unreduced
    losses of other kinds keep the name of the rows' loss."""
    if reduction == "none":
        rows, loss = loss, loss.reshape(shape)
        if not named and rows.grad_fn is not None:
            return _named(loss, rows.grad_fn.name(), "cross_entropy", x)
    if named and (reduction != "none" or x.dim() == 4):
        return _named(loss, "NllLoss2DBackward0", "nll_loss", x)
    return loss


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    """nll_loss(log_softmax(x), t) for (N, C) scores (or (C,)) against class indices t:
    mean(−log softmax(xᵢ)ₜᵢ) over the rows whose tᵢ is not `ignore_index`, ∂/∂xᵢⱼ =
    (softmax(xᵢ)ⱼ − [j = tᵢ])/N; `weight` weighs each class, as in nll_loss.  A float target
    holds class probabilities: −Σⱼ wⱼ·tᵢⱼ·log softmax(xᵢ)ⱼ per row (the mean divides by N).
    With label_smoothing ε the target is mixed with the uniform distribution: (1 − ε)·t + ε/C."""
    _legacy("cross_entropy", size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    x = as_tensor(input)
    if x.dim() > 2:
        rows, targets, shape = _class_last(x, target)
        loss = cross_entropy(
            rows,
            targets,
            weight,
            ignore_index=ignore_index,
            reduction=reduction,
            label_smoothing=label_smoothing,
        )
        indices = not targets.dtype.is_floating_point
        return _spatial(loss, x, shape, reduction, indices and label_smoothing == 0.0)
    log_p = log_softmax(x, dim=x.dim() - 1)
    if as_tensor(target).dtype.is_floating_point:
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_of_probabilities(log_p, target, weight, reduction, label_smoothing)
    nll = nll_loss(log_p, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return nll
    return nll * (1 - label_smoothing) + _smoothing(
        log_p, target, weight, ignore_index, reduction
    ) * (label_smoothing / x.shape[-1])


def _smoothing(log_p: Tensor, target: Any, weight: Any, ignore_index: int, reduction: str) -> Any:
    """Label smoothing's part, PyTorch's: −Σⱼ wⱼ·log pᵢⱼ per row (0 where ignored), reduced
    as nll_loss reduces (the mean divides by the weights of the targets not ignored)."""
    rows = _rows(log_p, "cross_entropy")
    labels = _classes(target, len(rows), log_p.shape[-1], ignore_index)
    w = _class_weights(weight, log_p.shape[-1], "cross_entropy")
    terms, total_weight = [], 0.0
    for row, label in zip(rows, labels):
        if label == ignore_index:
            terms.append(_nothing(row))
            continue
        terms.append(-_total([v if wj == 1 else v * wj for v, wj in zip(row, w)]))
        total_weight += w[label]
    shape = (len(terms),) if log_p.dim() == 2 else ()
    return _reduce(terms, reduction, "", "cross_entropy", log_p, shape=shape, divisor=total_weight)


def _cross_entropy_of_probabilities(
    log_p: Tensor, target: Any, weight: Any, reduction: str, label_smoothing: float
) -> Any:
    """−Σⱼ wⱼ·tᵢⱼ·log pᵢⱼ for each row i; its mean divides by the number of rows."""
    t = as_tensor(target)
    if t.shape != log_p.shape:
        raise RuntimeError(
            f"cross_entropy: a target of class probabilities must have the input's shape "
            f"{list(log_p.shape)}, got {list(t.shape)}"
        )
    classes = log_p.shape[-1]
    w = _class_weights(weight, classes, "cross_entropy")
    rows, targets = _rows(log_p, "cross_entropy"), _rows(t, "cross_entropy")
    terms = []
    for row, probabilities in zip(rows, targets):
        if label_smoothing:
            probabilities = [
                q * (1 - label_smoothing) + label_smoothing / classes for q in probabilities
            ]
        products = [v * q if wj == 1 else v * q * wj for v, q, wj in zip(row, probabilities, w)]
        terms.append(-_total(products))
    name = {"mean": "DivBackward1", "sum": "NegBackward0", "none": "NegBackward0"}
    return _reduce(
        terms,
        reduction,
        name.get(reduction, ""),
        "cross_entropy",
        log_p,
        t,
        shape=(len(terms),) if log_p.dim() == 2 else (),
    )


def _elementwise(
    name: str,
    input: Any,
    target: Any,
    term: Callable[[Any, Any], Any],
    reduction: str,
    grad_fn: Any,
) -> Any:
    """A loss of input against target element by element (they broadcast, with PyTorch's
    warning): term(x, t) for each pair, reduced.  `grad_fn` is the result's name, or a table
    of them by reduction."""
    x, y, p, t, shape = _operands(input, target)
    names = grad_fn if isinstance(grad_fn, dict) else dict.fromkeys(REDUCTIONS, grad_fn)
    return _reduce(
        [term(a, b) for a, b in zip(p, t)],
        reduction,
        names.get(reduction, ""),
        name,
        x,
        y,
        shape,
        dtype_=_dtype_of(x, y),
    )


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Any:
    """Huber's loss of d = x − t: ½d² where |d| < δ, else δ·(|d| − ½δ) (quadratic near 0,
    linear beyond δ, so an outlier pulls with at most δ: ∂/∂x = clamp(d, −δ, δ))."""
    if weight is not None:
        raise NotSupported(
            "huber_loss(weight=...) is not supported: multiply reduction='none' "
            "losses by the weights yourself"
        )
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def term(a: Any, b: Any) -> Any:
        d = a - b
        return d * d * 0.5 if abs(_number(d)) < delta else (abs(d) - 0.5 * delta) * delta

    return _elementwise("huber_loss", input, target, term, reduction, "HuberLossBackward0")


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    """Smooth L1 of d = x − t: ½d²/β where |d| < β, else |d| − ½β (Huber's loss divided by
    β; β = 0 is the L1 loss): ∂/∂x = clamp(d/β, −1, 1)."""
    _legacy("smooth_l1_loss", size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")

    def term(a: Any, b: Any) -> Any:
        d = a - b
        if abs(_number(d)) < beta:
            return d * d * (0.5 / beta)
        return abs(d) - 0.5 * beta

    return _elementwise("smooth_l1_loss", input, target, term, reduction, "SmoothL1LossBackward0")


KL_DIV_MEAN_WARNING = (
    "reduction: 'mean' divides the total loss by both the batch size and the support size."
    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
    "'mean' will be changed to behave the same as 'batchmean' in the next major release."
)


def kl_div(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Any:
    """Kullback-Leibler divergence of the target distribution from the input's, the input
    holding log-probabilities x: t·(log t − x) per element (0 where t = 0), or with
    `log_target` (t holding log-probabilities) eᵗ·(t − x).  'batchmean' divides the sum by
    the batch size (the KL divergence of each sample, averaged); 'mean' by the number of
    elements, with PyTorch's warning."""
    _legacy("kl_div", size_average, reduce)
    if reduction == "mean":
        warnings.warn(KL_DIV_MEAN_WARNING, UserWarning, stacklevel=2)
    if reduction not in (*REDUCTIONS, "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")

    def term(a: Any, b: Any) -> Any:
        if log_target:
            return b.exp() * (b - a) if isinstance(b, Value) else math.exp(b) * (b - a)
        entropy = (b * b.log() if isinstance(b, Value) else b * math.log(b)) if _number(b) else 0.0
        return entropy - b * a

    names = {"mean": "MeanBackward0", "sum": "SumBackward0"}
    names["none"] = "MulBackward0" if log_target else "SubBackward0"
    if reduction != "batchmean":
        return _elementwise("kl_div", input, target, term, reduction, names)
    x = as_tensor(input)
    total = _elementwise("kl_div", input, target, term, "sum", "")
    batch = x.shape[0] if x.dim() else 1
    return _named(total / batch, "DivBackward0", "kl_div", input, target)


def _clamp_at_zero(v: Value) -> Value:
    """max(v, 0) with PyTorch's clamp_min gradient: 1 where v ≥ 0 (at 0 too, unlike relu)."""
    return v if v.data >= 0 else v.relu()


def _three(input1: Any, input2: Any, target: Any) -> tuple[list, list, list, tuple | None]:
    """The elements of three tensors broadcast together (lists of Values pair in order)."""
    if not any(isinstance(a, Tensor) for a in (input1, input2, target)):
        p, q = _pairs(input1, input2)
        _, t = _pairs(input1, target)
        return p, q, t, None
    a, b, c = as_tensor(input1), as_tensor(input2), as_tensor(target)
    shape = _broadcast(_broadcast(a.shape, b.shape), c.shape)
    return _expanded(a, shape), _expanded(b, shape), _expanded(c, shape), shape


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """max(0, −y·(x₁ − x₂) + margin) for labels y in {1, −1}: y = 1 asks x₁ to rank above x₂ by
    at least the margin, y = −1 the other way."""
    _legacy("margin_ranking_loss", size_average, reduce)
    p, q, t, shape = _three(input1, input2, target)
    terms = [_clamp_at_zero(-y * (a - b) + margin) for a, b, y in zip(p, q, t)]
    names = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "ClampMinBackward0"}
    result = _reduce(
        terms, reduction, names.get(reduction, ""), "margin_ranking_loss", input1, input2, shape
    )
    if isinstance(result, Tensor) and not result.requires_grad and isinstance(target, Tensor):
        return _named(result, names[reduction], "margin_ranking_loss", target)
    return result


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """x where y = 1, max(0, margin − x) where y = −1 (PyTorch adds both parts for other
    labels): x is a distance, small for similar pairs (y = 1), beyond the margin for
    dissimilar ones."""
    _legacy("hinge_embedding_loss", size_average, reduce)

    def term(a: Any, b: Any) -> Any:
        label = _number(b)
        dissimilar = _clamp_at_zero(margin - a) if label != 1 else 0.0
        similar = a if label != -1 else 0.0
        return dissimilar + similar  # one of them a Value: a is one unless label is −1

    names = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AddBackward0"}
    return _elementwise("hinge_embedding_loss", input, target, term, reduction, names)


def soft_margin_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Any:
    """log(1 + e^(−y·x)) for labels y in {1, −1}: the logistic loss, ∂/∂x = −y·σ(−y·x)."""
    _legacy("soft_margin_loss", size_average, reduce)
    return _elementwise(
        "soft_margin_loss",
        input,
        target,
        lambda a, b: ((-b * a).exp() + 1).log(),
        reduction,
        "SoftMarginLossBackward0",
    )


COSINE_EPSILON = 1e-12
"""PyTorch's cosine_embedding_loss adds it to each squared norm, so that a zero vector gives 0."""


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """For rows x₁, x₂ and labels y: 1 − cos(x₁, x₂) where y = 1, max(0, cos(x₁, x₂) − margin)
    where y = −1, cos = x₁·x₂ / √((|x₁|² + ε)(|x₂|² + ε))."""
    _legacy("cosine_embedding_loss", size_average, reduce)
    a, b, y = as_tensor(input1), as_tensor(input2), as_tensor(target)
    if a.shape != b.shape or a.dim() not in (1, 2):
        raise RuntimeError(
            "cosine_embedding_loss: give two inputs of the same shape, (N, D) or (D,), got "
            f"{list(a.shape)} and {list(b.shape)}"
        )
    kind = promote(a.dtype, b.dtype)
    terms = []
    for row1, row2, label in zip(
        _rows(a, "cosine_embedding_loss"),
        _rows(b, "cosine_embedding_loss"),
        [v.data for v in y._values],
    ):
        products = sum_of_products(zip(row1, row2), kind)
        norms = (sum_of_products(zip(row1, row1), kind) + COSINE_EPSILON) * (
            sum_of_products(zip(row2, row2), kind) + COSINE_EPSILON
        )
        cos = products / norms**0.5
        similar = 1 - cos if label == 1 else cos * 0.0  # PyTorch's where(): gradient 0
        dissimilar = _clamp_at_zero(cos - margin) if label == -1 else 0.0
        terms.append(similar + dissimilar)
    names = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AddBackward0"}
    shape = (len(terms),) if a.dim() == 2 else ()
    return _reduce(terms, reduction, names.get(reduction, ""), "cosine_embedding_loss", a, b, shape)


def _reduced(loss: Tensor, reduction: str) -> Tensor:
    """A tensor of per-element losses reduced as PyTorch's losses written in Python reduce
    them: its mean (MeanBackward0), its sum (SumBackward0), or itself."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction != "none":
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return loss


STIRLING_THRESHOLD = 1.0
"""poisson_nll_loss(full=True) adds Stirling's term only where the target is above it."""


def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: Any = None,
    eps: float = 1e-8,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """The negative log-likelihood of counts t under a Poisson distribution of rate λ, less
    the part that does not depend on λ: λ − t·log λ.  With log_input (the default) the input
    is log λ: eˣ − t·x; else λ itself: x − t·log(x + eps).  With `full`, Stirling's
    approximation of log t!, t·log t − t + ½·log(2πt), is added where t > 1."""
    _legacy("poisson_nll_loss", size_average, reduce)
    x, t = as_tensor(input), as_tensor(target)
    loss = x.exp() - t * x if log_input else x - t * (x + eps).log()
    if full:
        stirling = t * t.log() - t + (t * (2 * math.pi)).log() * 0.5
        loss = loss + where(t > STIRLING_THRESHOLD, stirling, 0.0)
    return _reduced(loss, reduction)


def gaussian_nll_loss(
    input: Any,
    target: Any,
    var: Any,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """The negative log-likelihood of t under N(x, var), less its constant: ½(log var +
    (x − t)²/var), plus ½·log 2π with `full`.  var has the input's shape, or one size fewer
    (one variance per sample), or a last size of 1; it is clamped to at least eps in value
    only (its gradient is the unclamped one, as PyTorch's clamps a copy under no_grad)."""
    x, t, v = as_tensor(input), as_tensor(target), as_tensor(var)
    if v.shape != x.shape:
        if tuple(x.shape[:-1]) == tuple(v.shape):
            v = v.unsqueeze(-1)
        elif not (tuple(x.shape[:-1]) == tuple(v.shape[:-1]) and v.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    if any(e.data < 0 for e in v._values):
        raise ValueError("var has negative entry/entries")
    v = v + (v.detach().clamp(min=eps) - v.detach())
    loss = ((x - t) ** 2 / v + v.log()) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduced(loss, reduction)


def multilabel_soft_margin_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """For each sample, the mean over its C classes of the logistic loss of each class taken
    as its own yes/no question: −(t·log σ(x) + (1 − t)·log σ(−x)), each class weighed by
    `weight`; then the mean (or sum) over the samples."""
    _legacy("multilabel_soft_margin_loss", size_average, reduce)
    x, t = as_tensor(input), as_tensor(target)
    loss = -(t * logsigmoid(x) + (1 - t) * logsigmoid(-x))
    if weight is not None:
        loss = loss * as_tensor(weight)
    classes = x.dim() - 1
    return _reduced(loss.sum(dim=classes) / x.shape[classes], reduction)


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(d(a, p) − d(a, n) + margin, 0): the anchor nearer its positive than its negative by
    at least the margin, d the p-norm distance ‖x − y + eps‖ₚ (pairwise_distance).  With
    `swap`, d(a, n) is replaced by d(p, n) where that is smaller (Balntas et al. 2016)."""
    _legacy("triplet_margin_loss", size_average, reduce)
    a, pos, neg = as_tensor(anchor), as_tensor(positive), as_tensor(negative)
    dims = (a.dim(), pos.dim(), neg.dim())
    if len(set(dims)) != 1 or dims[0] not in (1, 2):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {dims[0]}D, positive {dims[1]}D, and negative "
            f"{dims[2]}D inputs"
        )
    d_positive = pairwise_distance(a, pos, p, eps)
    d_negative = pairwise_distance(a, neg, p, eps)
    if swap:
        d_swapped = pairwise_distance(pos, neg, p, eps)
        d_negative = d_negative.minimum(d_swapped)  # a tie splits the gradient, as torch.min
    return _reduced((d_positive - d_negative + margin).clamp_min(0), reduction)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class indices (int64) as one-hot rows: out[..., j] = 1 where j is the index, else 0,
    of shape (*tensor.shape, num_classes); num_classes −1 is the largest index + 1."""
    t = as_tensor(tensor)
    if t.dtype is not int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    labels = [int(v.data) for v in t._values]
    if num_classes == -1:
        if not labels:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = max(labels) + 1
    if labels and min(labels) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if labels and max(labels) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    numbers = [int(j == label) for label in labels for j in range(num_classes)]
    return Tensor(element_values(numbers, int64), (*t.shape, num_classes), int64)


def hinge(scores: Any, labels: Any) -> Any:
    """karpathy's max-margin loss: mean(relu(1 − y·score)) for labels y in {−1, +1}."""
    s, y = _pairs(scores, labels)
    return _reduce(
        [(1 + -float(b) * a).relu() for a, b in zip(s, y)], "mean", "MeanBackward0", "hinge", scores
    )


ACTIVATIONS: dict[str, Callable[[Any], Any]] = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}


# the activations built in activations.py, under their torch.nn.functional names
from .activations import (  # noqa: E402, F401  (re-exported: torch.nn.functional names)
    celu,
    dropout,
    elu,
    gelu,
    glu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softsign,
    tanhshrink,
    threshold,
)

# normalization, embeddings, distances and channel dropout, from their own files
from .channel_dropout import dropout1d, dropout2d, dropout3d  # noqa: E402, F401
from .distance import (  # noqa: E402, F401
    bilinear,
    cosine_similarity,
    normalize,
    pairwise_distance,
)
from .embedding import embedding  # noqa: E402, F401
from .normalization import batch_norm, group_norm, layer_norm  # noqa: E402, F401
from .padding import pad  # noqa: E402, F401


def __getattr__(name: str) -> Any:
    """A torch.nn.functional name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("nn.functional.", name)
