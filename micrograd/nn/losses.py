"""The losses as modules, as ``torch.nn`` has them: ``nn.MSELoss()(x, t)`` calls
``F.mse_loss(x, t, reduction=...)`` with the options the module was made with.

Each module keeps PyTorch's constructor (its keywords and defaults) and attribute names
(``reduction``, ``delta``, ``ignore_index``...); a class ``weight`` and BCEWithLogitsLoss's
``pos_weight`` are buffers, as in PyTorch, so they are in ``state_dict`` and move with ``to``.
The math of each loss is in its function's docstring (``functional.py``).
"""

from __future__ import annotations

from typing import Any

from . import functional as F
from .functional import _legacy
from .module import Module

__all__ = [
    "MSELoss",
    "L1Loss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "HuberLoss",
    "SmoothL1Loss",
    "KLDivLoss",
    "MarginRankingLoss",
    "HingeEmbeddingLoss",
    "CosineEmbeddingLoss",
    "SoftMarginLoss",
    "PoissonNLLLoss",
    "GaussianNLLLoss",
    "MultiLabelSoftMarginLoss",
    "TripletMarginLoss",
]


class _Loss(Module):
    """A loss as a module: calls `function` with the module's reduction and the `options`
    (attribute names, passed as keywords of the same names)."""

    function: Any = None
    options: tuple[str, ...] = ()

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"):
        super().__init__()
        _legacy(type(self).__name__, size_average, reduce)
        self.reduction = reduction

    def forward(self, *inputs: Any) -> Any:
        """The loss of the input(s) against the target."""
        options = {name: getattr(self, name) for name in self.options}
        return type(self).function(*inputs, reduction=self.reduction, **options)


class _WeightedLoss(_Loss):
    """A loss with a `weight` (a buffer, None without)."""

    options = ("weight",)

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """mean((x − t)²) as a module (torch.nn.MSELoss)."""

    function = staticmethod(F.mse_loss)


class L1Loss(_Loss):
    """mean(|x − t|) as a module (torch.nn.L1Loss)."""

    function = staticmethod(F.l1_loss)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities as a module (torch.nn.BCELoss)."""

    function = staticmethod(F.binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of scores (logits), computed stably, as a module
    (torch.nn.BCEWithLogitsLoss); `pos_weight` weighs the positive part, one per class."""

    function = staticmethod(F.binary_cross_entropy_with_logits)
    options = ("weight", "pos_weight")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        pos_weight: Any = None,
    ):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities as a module (torch.nn.NLLLoss)."""

    function = staticmethod(F.nll_loss)
    options = ("weight", "ignore_index")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
    ):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of class scores against class indices or class probabilities, as a
    module (torch.nn.CrossEntropyLoss), with `ignore_index` and `label_smoothing`."""

    function = staticmethod(F.cross_entropy)
    options = ("weight", "ignore_index", "label_smoothing")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing


class HuberLoss(_Loss):
    """Huber's loss (quadratic within delta, linear beyond) as a module (torch.nn.HuberLoss)."""

    function = staticmethod(F.huber_loss)
    options = ("delta",)

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class SmoothL1Loss(_Loss):
    """Smooth L1 (quadratic within beta, then |x − t|) as a module (torch.nn.SmoothL1Loss)."""

    function = staticmethod(F.smooth_l1_loss)
    options = ("beta",)

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of the target from the input's log-probabilities, as a
    module (torch.nn.KLDivLoss)."""

    function = staticmethod(F.kl_div)
    options = ("log_target",)

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        log_target: bool = False,
    ):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target


class _MarginLoss(_Loss):
    """A loss with a `margin`."""

    options = ("margin",)
    default_margin = 0.0

    def __init__(
        self,
        margin: float | None = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ):
        super().__init__(size_average, reduce, reduction)
        self.margin = self.default_margin if margin is None else margin


class MarginRankingLoss(_MarginLoss):
    """max(0, −y·(x₁ − x₂) + margin) as a module (torch.nn.MarginRankingLoss)."""

    function = staticmethod(F.margin_ranking_loss)


class HingeEmbeddingLoss(_MarginLoss):
    """x for y = 1, max(0, margin − x) for y = −1, as a module (torch.nn.HingeEmbeddingLoss)."""

    function = staticmethod(F.hinge_embedding_loss)
    default_margin = 1.0


class CosineEmbeddingLoss(_MarginLoss):
    """1 − cos(x₁, x₂) for y = 1, max(0, cos − margin) for y = −1, as a module
    (torch.nn.CosineEmbeddingLoss)."""

    function = staticmethod(F.cosine_embedding_loss)


class SoftMarginLoss(_Loss):
    """log(1 + e^(−y·x)) as a module (torch.nn.SoftMarginLoss)."""

    function = staticmethod(F.soft_margin_loss)


class PoissonNLLLoss(_Loss):
    """λ − t·log λ (the input log λ, or λ itself) as a module (torch.nn.PoissonNLLLoss)."""

    function = staticmethod(F.poisson_nll_loss)
    options = ("log_input", "full", "eps")

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: Any = None,
        eps: float = 1e-8,
        reduce: Any = None,
        reduction: str = "mean",
    ):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps


class GaussianNLLLoss(_Loss):
    """½(log var + (x − t)²/var) as a module (torch.nn.GaussianNLLLoss): called with
    (input, target, var)."""

    function = staticmethod(F.gaussian_nll_loss)
    options = ("full", "eps")

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """The logistic loss of each class, averaged over the classes, as a module
    (torch.nn.MultiLabelSoftMarginLoss)."""

    function = staticmethod(F.multilabel_soft_margin_loss)


class TripletMarginLoss(_Loss):
    """max(d(a, p) − d(a, n) + margin, 0) as a module (torch.nn.TripletMarginLoss): called with
    (anchor, positive, negative)."""

    function = staticmethod(F.triplet_margin_loss)
    options = ("margin", "p", "eps", "swap")

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ):
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap
