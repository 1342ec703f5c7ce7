"""What each backward node saves for the backward pass, as PyTorch 2.13 saves it: the table
behind version counters.

Version counters
----------------
A tensor counts the in-place changes made to its storage: ``t._version`` starts at 0, and each
in-place operation (``t.add_(1)``, ``t *= 2``, ``t[0] = 5``, even ``t.add_(0)``) adds one, for
the tensor and all its views.  An operation that needs a tensor to compute its gradient keeps
it (PyTorch *saves* it): ``z = x * y`` keeps ``y``, because ∂z/∂x = y.  The node remembers the
version it saw; if the tensor was changed in place since, ``z.backward()`` refuses to compute a
gradient from the new numbers and raises

    RuntimeError: one of the variables needed for gradient computation has been modified by an
    inplace operation: ...

Changing a tensor that no node saved is harmless: ``x + y`` keeps neither (∂/∂x = 1).

Why the table comes from PyTorch
--------------------------------
What a node keeps is not always what its derivative suggests: ``exp`` keeps its result, not
its input; ``x * y`` keeps ``y`` only if ``x`` requires grad; ``x ** y`` keeps x, y and the
result as soon as either requires grad; ``l1_loss`` keeps neither of its inputs (only their
difference, a tensor of its own).  So that micrograd raises exactly where PyTorch raises, this
table was found by experiment on PyTorch 2.13: for every operation, every choice of which
inputs require grad, and every input (and the result) in turn, change it with ``add_(0)`` after
the operation and see whether backward raises.  ``tests/test_saved_table.py`` runs that
experiment again and compares it with this file, so a change in PyTorch (or a typo here) fails.

How to read the table
---------------------
``SAVES[name]`` is a *pattern*: for each input j of the node (in the order of
``TensorNode.parents``), what PyTorch keeps when input j requires grad: input indices, and
``OUT`` for the result.  The node keeps the union over its inputs that require grad; inputs
past the end of the pattern keep nothing.  ``MulBackward0``: ``((1,), (0,))``, "when x requires
grad, keep y; when y requires grad, keep x".  ``saved_by`` reads a pattern for you::

    saved_by("MulBackward0", (True, False))   # ((1,), False): y is kept, the result is not
    saved_by("ExpBackward0", (True,))         # ((), True): the result is kept

A Python number among the inputs (``x * 2``: parents ``(x, None)``) does not require grad and
cannot change; an index that points at it is to be skipped.

A few names are shared by operations that save differently: ``BY_OP`` gives those by
``(name, op)``, ``op`` being ``TensorNode.op``; pass it (``saved_by(name, requires, op=op)``).
``a @ b`` beyond 1-D and 2-D copies some operands before saving them, depending on the shapes:
pass them too (``shapes=``, see ``matmul_copies``).  ``ALSO_SAVED`` lists tensors PyTorch keeps
that are not inputs of micrograd's node (where's condition, nll_loss's target...).

Names not in the table (a custom ``Function``'s ``<Name>Backward``, whose ``ctx`` decides what
it saves, or any name added later) get a conservative answer: every input saved, the result
not (``UNKNOWN``).
"""

from __future__ import annotations

import math
from typing import Sequence, Union

from ..core.modes import is_inference_mode_enabled

OUT = "out"
"""In a pattern: the node's result (output 0)."""

Pattern = tuple[tuple[Union[int, str], ...], ...]
"""For each input j, what PyTorch keeps when input j requires grad (input indices and OUT)."""

# === The patterns ===============================================================================
NOTHING: Pattern = ()
"""Keeps nothing: the gradient reads no value (x + y, views, sums, copies)."""

INPUT: Pattern = ((0,),)
"""Keeps its one input (log x: f′ = 1/x)."""

RESULT: Pattern = ((OUT,),)
"""Keeps its result (eˣ: f′ = the result)."""

INPUT_AND_RESULT: Pattern = ((0, OUT),)
"""Keeps its input and its result (prod, max, norm)."""

EACH_OTHER: Pattern = ((1,), (0,))
"""Each input for the other's gradient (x·y: ∂/∂x = y, ∂/∂y = x; dot, mv, mm, bmm, matmul)."""

BOTH: Pattern = ((0, 1), (0, 1))
"""Both inputs, whichever requires grad (the losses: mse, binary cross-entropy)."""

DIVISION: Pattern = ((1,), (0, 1))
"""x/y: y for x's gradient (1/y), x and y for y's (-x/y²)."""

POWER: Pattern = ((0, 1, OUT), (0, 1, OUT))
"""xʸ: x, y and the result, whichever requires grad."""

RECIPROCAL_TIMES: Pattern = ((), (0,))
"""number / t, PyTorch's t.reciprocal() * number: keeps the number's side for t's gradient."""

SECOND_WHEN_IT_REQUIRES: Pattern = ((), (0, 1))
"""x % y, fmod(x, y): nothing for x's gradient (1), x and y for y's (−⌊x/y⌋)."""

ADDMM: Pattern = ((), (2,), (1,))
"""c + a @ b: nothing for c, b for a's gradient, a for b's (as mm)."""

SOURCE: Pattern = ((), (1,))
"""index_add, index_copy: the source, when it requires grad (not self)."""

INPUT_AND_WEIGHT: Pattern = ((0, 1), (0, 1), (0, 1))
"""batch_norm, group_norm (x, weight, bias): x and the weight, whichever requires grad (not the bias)."""

ALL_THREE: Pattern = ((0, 1, 2), (0, 1, 2), (0, 1, 2))
"""layer_norm(x, weight, bias): x, the weight and the bias, whichever requires grad."""

UNKNOWN = "every input, not the result"
"""What saved_by answers for a name not in the table."""

# === The table: grad_fn name -> pattern =========================================================
SAVES: dict[str, Pattern] = {
    # --- arithmetic (x + y, x * 2, 2 - x, x ** 2, 2 ** x...) -------------------------------------
    "AddBackward0": NOTHING,
    "SubBackward0": NOTHING,
    "RsubBackward1": NOTHING,  # 2 - x
    "NegBackward0": NOTHING,
    "MulBackward0": EACH_OTHER,  # x * y; number / t: see BY_OP
    "DivBackward0": DIVISION,
    "DivBackward2": DIVISION,  # div(x, y, rounding_mode=...): y, and x for y's gradient
    "RemainderBackward0": NOTHING,  # x % 2
    "RemainderBackward1": SECOND_WHEN_IT_REQUIRES,  # x % y
    "FmodBackward0": NOTHING,
    "FmodBackward1": SECOND_WHEN_IT_REQUIRES,
    "MaximumBackward0": BOTH,
    "MinimumBackward0": BOTH,
    "AddBackward1": NOTHING,  # a tensor plus a number in a kernel (pairwise_distance's + ε)
    "PowBackward0": INPUT,  # x ** 2, x.square()
    "PowBackward1": POWER,  # x ** y
    "PowBackward2": INPUT_AND_RESULT,  # 2 ** x
    # --- functions of one tensor -----------------------------------------------------------------
    "ExpBackward0": RESULT,
    "ReciprocalBackward0": RESULT,  # 1/x; c / t is c * t.reciprocal()
    "LogBackward0": INPUT,
    "TanhBackward0": RESULT,  # 1 - tanh²x
    "SigmoidBackward0": RESULT,  # σ(1 - σ)
    "ReluBackward0": RESULT,  # the result > 0
    "SinBackward0": INPUT,
    "CosBackward0": INPUT,
    "SqrtBackward0": RESULT,  # 1/(2√x)
    "AbsBackward0": INPUT,  # sign(x); l1_loss(reduction="none"): see BY_OP
    "ClampBackward1": INPUT,
    "ClampMinBackward0": INPUT,
    "ClampMaxBackward0": INPUT,
    # --- copies and conversions ------------------------------------------------------------------
    "CloneBackward0": NOTHING,  # also a @ b: see BY_OP
    "ToCopyBackward0": NOTHING,
    "CatBackward0": NOTHING,  # of any number of tensors
    "StackBackward0": NOTHING,
    "WhereBackward0": NOTHING,  # but the condition: see ALSO_SAVED
    "IndexBackward0": NOTHING,  # x[[0, 1]], x[mask]; index tensors: see ALSO_SAVED
    # the index (or mask) of these is kept too: see ALSO_SAVED
    "GatherBackward0": INPUT,
    "ScatterBackward0": NOTHING,  # x.scatter(dim, index, src)
    "ScatterBackward1": NOTHING,  # x.scatter(dim, index, 2.0)
    "ScatterAddBackward0": NOTHING,
    "IndexAddBackward0": SOURCE,
    "IndexCopyBackward0": SOURCE,
    "IndexFillBackward0": NOTHING,  # x.index_fill(dim, index, 2.0)
    "IndexFillBackward1": NOTHING,  # the value a 0-dim tensor
    "MaskedFillBackward0": NOTHING,  # x.masked_fill(mask, 2.0)
    "MaskedFillBackward1": NOTHING,  # the value a 0-dim tensor
    "EmbeddingBackward0": NOTHING,  # the weight's rows: the indices, see ALSO_SAVED
    "DiagonalBackward0_copy": NOTHING,  # torch.diag(matrix)
    "DiagEmbedBackward0": NOTHING,  # torch.diag(vector)
    # --- views -----------------------------------------------------------------------------------
    "ViewBackward0": NOTHING,
    "ReshapeAliasBackward0": NOTHING,  # reshape of a non-contiguous tensor, as a view
    "UnsafeViewBackward0": EACH_OTHER,  # a @ b (two inputs; see matmul_copies); reshape: nothing
    "AliasBackward0": NOTHING,  # x[...]
    "AsStridedBackward0": NOTHING,  # a view whose base was written
    "PermuteBackward0": NOTHING,
    "TransposeBackward0": NOTHING,  # also a @ b, a batch-first LSTM: see BY_OP
    "TransposeBackward1": NOTHING,  # transpose_ (a batch-first RNN's or GRU's output)
    "TBackward0": NOTHING,
    "UnsqueezeBackward0": NOTHING,
    "SqueezeBackward0": NOTHING,
    "SqueezeBackward1": NOTHING,
    "SqueezeBackward2": NOTHING,
    "SqueezeBackward4": NOTHING,  # squeeze_ in place: a 1-D @ 2-D product
    "ExpandBackward0": NOTHING,
    "DiagonalBackward0": NOTHING,
    "SelectBackward0": NOTHING,
    "SliceBackward0": NOTHING,
    "UnbindBackward0": NOTHING,
    "SplitBackward0": NOTHING,
    "SplitWithSizesBackward0": NOTHING,
    # --- in-place writes -------------------------------------------------------------------------
    "CopySlices": NOTHING,  # t[i] = v, copy_; written through a view, the view's own node saves
    "ZeroBackward0": NOTHING,
    "FillBackward2": NOTHING,  # t.fill_(2.0)
    "RandomBackward0": NOTHING,  # t.random_(1, 5)
    "RandomBackward1": NOTHING,  # t.random_(5)
    "RandomBackward2": NOTHING,  # t.random_()
    "BernoulliBackward1": NOTHING,  # t.bernoulli_(p), p a tensor
    "BernoulliBackward2": NOTHING,  # t.bernoulli_(0.5)
    "CopyBackwards": NOTHING,  # t.copy_(u)
    "FillBackward3": NOTHING,  # t.fill_(u), t[...] = u with u 0-dim
    "IndexPutBackward0": NOTHING,  # t[[0, 1]] = u, t[mask] = u
    "UniformBackward0": NOTHING,
    "NormalBackward0": NOTHING,
    # --- reductions ------------------------------------------------------------------------------
    "StdBackward0": INPUT_AND_RESULT,
    # --- nn's activations (nn/activations.py), fused in PyTorch: each keeps its input ----------
    "LeakyReluBackward0": INPUT,
    "HardtanhBackward0": INPUT,
    "EluBackward0": INPUT,
    "SiluBackward0": INPUT,
    "SoftplusBackward0": INPUT,
    "GeluBackward0": INPUT,
    "CeluBackward0": INPUT,
    "GluBackward0": INPUT,
    "HardsigmoidBackward0": INPUT,
    "HardswishBackward0": INPUT,
    "LogSigmoidBackward0": INPUT,  # (and a buffer of its own)
    "MishBackward0": INPUT,
    "ThresholdBackward0": INPUT,
    "PreluKernelBackward0": BOTH,  # the input and the weight
    # --- nn's normalization (nn/normalization.py; the weight or bias may be None) --------------
    "NativeBatchNormBackward0": INPUT_AND_WEIGHT,  # running statistics: see ALSO_SAVED
    "NativeLayerNormBackward0": ALL_THREE,
    "NativeGroupNormBackward0": INPUT_AND_WEIGHT,
    # --- nn's pooling (nn/pooling.py): the max's indices too, which micrograd does not return --
    "MaxPool2DWithIndicesBackward0": INPUT,
    "AvgPool2DBackward0": INPUT,
    "AdaptiveAvgPool2DBackward0": INPUT,
    "AdaptiveMaxPool2DBackward0": INPUT,
    # --- nn's padding (nn/padding.py; 'circular' is CopySlices) --------------------------------
    "ConstantPadNdBackward0": NOTHING,
    **{
        f"{kind}Pad{d}DBackward0": INPUT
        for kind in ("Reflection", "Replication")
        for d in (1, 2, 3)
    },
    # --- nn's recurrent layers (nn/recurrent.py) ---------------------------------------------
    # an LSTM's float32 kernel: micrograd's one parent is the output of its own steps, standing
    # for the input; the weights and states: see ALSO_SAVED
    "MkldnnRnnLayerBackward0": INPUT_AND_RESULT,
    # --- nn's losses and convolution (nn/functional.py, nn/conv.py) ---------------------------
    "HuberLossBackward0": BOTH,  # input and target, whichever requires grad
    "SoftMarginLossBackward0": BOTH,  # (its target never requires grad in PyTorch)
    "DivBackward1": NOTHING,  # a tensor divided by a number (cross_entropy's mean)
    "ConvolutionBackward0": ((0, 1), (0, 1), (0, 1)),  # the input and the weight
    "VarBackward0": INPUT,
    "SumBackward0": NOTHING,
    "SumBackward1": NOTHING,
    "MeanBackward0": NOTHING,
    "MeanBackward1": NOTHING,
    "ProdBackward0": INPUT_AND_RESULT,
    "ProdBackward1": INPUT_AND_RESULT,
    "MaxBackward1": INPUT_AND_RESULT,  # x.max()
    "MinBackward1": INPUT_AND_RESULT,
    "MaxBackward0": NOTHING,  # x.max(dim): the indices, see ALSO_SAVED
    "AmaxBackward0": INPUT_AND_RESULT,
    "AminBackward0": INPUT_AND_RESULT,
    "MinBackward0": NOTHING,
    "LinalgVectorNormBackward0": INPUT_AND_RESULT,
    "NormBackward1": INPUT_AND_RESULT,  # pairwise_distance's norm
    # --- products --------------------------------------------------------------------------------
    "DotBackward0": EACH_OTHER,
    "MvBackward0": EACH_OTHER,
    "MmBackward0": EACH_OTHER,
    "BmmBackward0": EACH_OTHER,
    "AddmmBackward0": ADDMM,  # parents (c, a, b)
    # --- nn.functional ---------------------------------------------------------------------------
    "SoftmaxBackward0": RESULT,
    "LogSoftmaxBackward0": RESULT,
    "MseLossBackward0": BOTH,  # every reduction
    "BinaryCrossEntropyBackward0": BOTH,
    "BinaryCrossEntropyWithLogitsBackward0": BOTH,
    "NllLossBackward0": INPUT,  # the target too: see ALSO_SAVED
    "NllLoss2DBackward0": INPUT,  # a class per pixel; the target too: see ALSO_SAVED
    "SmoothL1LossBackward0": BOTH,  # every reduction
}
"""What each backward node keeps, by its grad_fn name (the inputs in TensorNode.parents' order)."""

BY_OP: dict[tuple[str, str], Pattern] = {
    ("MulBackward0", "/"): RECIPROCAL_TIMES,  # number / t (and Value / t: parents (value, t))
    ("AbsBackward0", "l1_loss"): NOTHING,  # |x - t|: abs keeps the difference, not x or t
    ("TransposeBackward0", "matmul"): EACH_OTHER,  # matrix @ batch: (bᵀ @ aᵀ)ᵀ
    ("CloneBackward0", "matmul"): EACH_OTHER,  # the same, made contiguous
    # a batch-first LSTM's output: a view of the kernel's result, which the kernel keeps
    ("TransposeBackward0", "TransposeBackward0"): RESULT,
}
"""The names whose saving depends on the operation (TensorNode.op) as well."""

ALSO_SAVED: dict[str, str] = {
    "WhereBackward0": "the condition (a bool tensor)",
    "NllLossBackward0": "the target (the class indices)",
    "NllLoss2DBackward0": "the target (the class indices)",
    "MaxBackward0": "the indices it returns (x.max(dim).indices)",
    "MinBackward0": "the indices it returns (x.min(dim).indices)",
    "IndexBackward0": "the index tensors (x[i] with i an integer tensor)",
    **{
        name: "the index tensor"
        for name in (
            "GatherBackward0",
            "ScatterBackward0",
            "ScatterBackward1",
            "ScatterAddBackward0",
            "IndexAddBackward0",
            "IndexCopyBackward0",
            "IndexFillBackward0",
            "IndexFillBackward1",
        )
    },
    "MaskedFillBackward0": "the mask",
    "MaskedFillBackward1": "the mask",
    "EmbeddingBackward0": "the indices",
    "NativeBatchNormBackward0": "running_mean and running_var, when given (training or not)",
    "MkldnnRnnLayerBackward0": "the LSTM's weights, biases and initial states",
}
"""Tensors PyTorch also keeps that are not inputs of micrograd's node: changing one in place
after the operation makes PyTorch's backward raise too (micrograd's where the operation notes
the tensor with ``history.remember_also``), and a second backward pass through the node raises."""

KEEPS_A_NODE: dict[str, str] = {
    "CopySlices": "the node of the write through the view, which a backward pass frees",
}
"""Nodes that keep more than tensors: a second backward pass through one raises, as through a
node that saved a tensor."""


def pattern_of(name: str, op: str | None = None) -> Pattern | None:
    """The pattern of a node named `name` made by `op`, or None if the table does not know it."""
    return BY_OP.get((name, op), SAVES.get(name)) if op is not None else SAVES.get(name)


def saved_by(
    name: str,
    requires: tuple[bool, ...],
    *,
    op: str | None = None,
    shapes: Sequence[Sequence[int]] | None = None,
) -> tuple[tuple[int, ...], bool]:
    """(the inputs PyTorch saves, whether it saves the result) for a node named `name`, given
    for each input (TensorNode.parents, in order) whether it requires grad: False for a number.

    `op` (TensorNode.op) tells apart the names of BY_OP; `shapes`, the inputs' shapes, matter
    only for ``a @ b`` (op "matmul", see matmul_copies).  An unknown name: every input saved,
    the result not.

    >>> saved_by("MulBackward0", (True, False))
    ((1,), False)
    >>> saved_by("MulBackward0", (True, False), op="/")  # 2 / t: parents (t, None)
    ((), False)
    """
    pattern = pattern_of(name, op)
    if pattern is None:
        return tuple(range(len(requires))), False
    kept: set = set()
    for needs, required in zip(pattern, requires):
        if required:
            kept.update(needs)
    inputs = [i for i in range(len(requires)) if i in kept]
    if op == "matmul" and shapes is not None:
        copied = matmul_copies(shapes[0], shapes[1], (requires[0], requires[1]))
        inputs = [i for i in inputs if not copied[i]]
    return tuple(inputs), OUT in kept


def matmul_copies(
    a: Sequence[int], b: Sequence[int], requires: tuple[bool, bool]
) -> tuple[bool, bool]:
    """For ``a @ b`` beyond 1-D and 2-D (contiguous operands of these shapes): whether PyTorch
    2.13 saves a copy of a, of b, instead of the tensor itself, so that changing it after the
    product is harmless.  torch.matmul (ATen's _matmul_impl) computes

    * a batch times a matrix or vector, (…, n, k) @ (k, m): the batch folded into the rows of
      one matrix, a view of a: nothing copied;
    * a matrix or vector times a batch, (n, k) @ (…, k, m), when a requires grad: the transpose
      (bᵀ @ aᵀ)ᵀ with bᵀ folded, a copy of b unless k = 1, m = 1 or the batch has one element
      (when a does not require grad, nothing is copied);
    * two batches: each operand expanded to the common batch shape and reshaped to one batch
      dimension, a copy of an operand whose batch dimensions mix broadcast ones (of size 1, or
      missing) with others, where the common size is over 1.  Of two 3-D operands whose
      batches differ, one with a batch of 1 that requires grad is first squeezed to a matrix:
      then one of the cases above.
    """
    a, b = tuple(a), tuple(b)
    if len(b) <= 2:
        return False, False
    if len(a) <= 2:
        k, m = b[-2:]
        copied = not (k == 1 or m == 1 or math.prod(b[:-2]) == 1 or math.prod(b) == 0)
        return False, requires[0] and copied  # (nothing to copy in an empty b: a view)
    if len(a) == len(b) == 3 and a[0] != b[0]:
        if a[0] == 1 and requires[0]:
            return matmul_copies(a[1:], b, requires)
        if b[0] == 1 and requires[1]:
            return matmul_copies(a, b[1:], requires)
    batch = _broadcast(a[:-2], b[:-2])
    return _mixes_broadcast(a[:-2], batch), _mixes_broadcast(b[:-2], batch)


def _broadcast(x: tuple, y: tuple) -> tuple:
    """The broadcast of two batch shapes."""
    n = max(len(x), len(y))
    x, y = (1,) * (n - len(x)) + x, (1,) * (n - len(y)) + y
    return tuple(max(p, q) for p, q in zip(x, y))


def _mixes_broadcast(own: tuple, batch: tuple) -> bool:
    """True if, over the dimensions of `batch` of size > 1, `own` (a batch shape broadcast to it)
    has both broadcast dimensions and real ones: then no strides show it as one dimension."""
    own = (1,) * (len(batch) - len(own)) + own
    kinds = {size == 1 for size, common in zip(own, batch) if common != 1}
    return len(kinds) == 2


# === Inference tensors ==========================================================================
INFERENCE_SAVED_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a clone "
    "to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)
INFERENCE_INPLACE_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)
INFERENCE_REQUIRES_GRAD_ERROR = (
    "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
)


def refuse_inference_saved(node: object) -> None:
    """PyTorch's refusal when a node would save a tensor made inside ``inference_mode()``: such
    a tensor has no version counter, so a later in-place change could not be detected.  (A node
    that saves it not, ``x + t``, is allowed: the saving, not the use, is refused.)"""
    if any(getattr(saved[1], "_inference", False) for saved in getattr(node, "saved", ())):
        raise RuntimeError(INFERENCE_SAVED_ERROR)


def refuse_inference_inplace(t: object) -> None:
    """PyTorch's refusal of an in-place write into an inference tensor outside
    ``inference_mode()`` (it has no version counter to count the write)."""
    if getattr(t, "_inference", False) and not is_inference_mode_enabled():
        raise RuntimeError(INFERENCE_INPLACE_ERROR)


# === What a node's saved tensors are called (grad_fn._saved_self...) ============================
SAVED_NAMES: dict[str, tuple[tuple[str, Union[int, str]], ...]] = {
    # (PyTorch's attribute, the input index or OUT), in the order PyTorch saves (packs) them
    "MulBackward0": (("other", 1), ("self", 0)),
    "DivBackward0": (("other", 1), ("self", 0)),
    "PowBackward1": (("exponent", 1), ("self", 0), ("result", OUT)),
    "DotBackward0": (("self", 0), ("tensor", 1)),
    "MmBackward0": (("mat2", 1), ("self", 0)),
    "MvBackward0": (("self", 0), ("vec", 1)),
    "BmmBackward0": (("mat2", 1), ("self", 0)),
    "MseLossBackward0": (("self", 0), ("target", 1)),
    "BinaryCrossEntropyBackward0": (("self", 0), ("target", 1)),
    "SmoothL1LossBackward0": (("self", 0), ("target", 1)),
    **{
        name: (("other", 1), ("self", 0))
        for name in (
            "MaximumBackward0",
            "MinimumBackward0",
            "DivBackward2",
            "RemainderBackward1",
            "FmodBackward1",
        )
    },
    "AddmmBackward0": (("mat1", 1), ("mat2", 2)),
    "IndexAddBackward0": (("source", 1),),
    "IndexCopyBackward0": (("source", 1),),
    "PreluKernelBackward0": (("self", 0), ("weight", 1)),
    "NativeBatchNormBackward0": (("input", 0), ("weight", 1)),
    "NativeLayerNormBackward0": (("bias", 2), ("input", 0), ("weight", 1)),
    "NormBackward1": (("self", 0), ("result", OUT)),
    **{
        name: (("self", 0), ("result", OUT))
        for name in ("ProdBackward0", "MaxBackward1", "MinBackward1", "LinalgVectorNormBackward0")
    },
    **{
        name: (("self", 0),)
        for name in (
            "PowBackward0",
            "LogBackward0",
            "SinBackward0",
            "CosBackward0",
            "AbsBackward0",
            "ClampBackward1",
            "ClampMinBackward0",
            "ClampMaxBackward0",
            "GatherBackward0",
            "CeluBackward0",
            "GluBackward0",
            "HardsigmoidBackward0",
            "HardswishBackward0",
            "LogSigmoidBackward0",
            "MishBackward0",
            "ThresholdBackward0",
            "MaxPool2DWithIndicesBackward0",
            "AvgPool2DBackward0",
            "AdaptiveAvgPool2DBackward0",
            "AdaptiveMaxPool2DBackward0",
            "NllLoss2DBackward0",
            *(
                f"{kind}Pad{d}DBackward0"
                for kind in ("Reflection", "Replication")
                for d in (1, 2, 3)
            ),
        )
    },
    **{
        name: (("result", OUT),)
        for name in (
            "ExpBackward0",
            "TanhBackward0",
            "SigmoidBackward0",
            "SqrtBackward0",
            "ReluBackward0",
            "ReciprocalBackward0",
            "SoftmaxBackward0",
            "LogSoftmaxBackward0",
        )
    },
}
"""The tensors a node saved, by the names PyTorch's ``grad_fn._saved_<name>`` gives them."""

SAVED_NUMBERS: dict[str, tuple[str, ...]] = {
    "AddBackward0": ("alpha",),
    "SubBackward0": ("alpha",),
    "PowBackward0": ("exponent",),
    "ClampBackward1": ("min", "max"),
    "ClampMinBackward0": ("min",),
    "ClampMaxBackward0": ("max",),
    "SumBackward0": ("self_sym_sizes",),
    "MeanBackward0": ("self_sym_numel", "self_sym_sizes"),
    "MseLossBackward0": ("reduction",),
}
"""Numbers and sizes PyTorch's nodes also keep (``_saved_alpha``): micrograd's nodes do not."""


# === saved_tensors_hooks: the hooks in force, innermost last ====================================
saved_tensors_hooks_stack: list[tuple] = []
"""(pack_hook, unpack_hook) of each ``autograd.graph.saved_tensors_hooks`` block entered."""

saved_tensors_hooks_disabled: list[str] = []
"""The messages of the ``disable_saved_tensors_hooks`` blocks entered."""
