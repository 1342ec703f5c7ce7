"""Embeddings: ``nn.Embedding`` and ``F.embedding``, a table of learnt rows looked up by index.

A lookup copies the chosen rows of the weight (∂copy/∂row = 1), so a row's gradient is the sum
of the gradients of its copies; the row at ``padding_idx`` is read as a constant, and gets no
gradient, as PyTorch's.  The result is named ``EmbeddingBackward0``.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import NotSupported
from ..core.modes import no_grad
from ..tensors import Tensor, as_tensor, empty, int64
from ..tensors.history import constant_value
from . import init
from .module import Module, Parameter


def _refuse_options(max_norm: Any, scale_grad_by_freq: bool, sparse: bool) -> None:
    """The options micrograd does not have, named, with what to do instead."""
    if max_norm is not None:
        raise NotSupported(
            "embedding's max_norm (renormalizing the looked-up rows of the weight in place) "
            "is not supported: leave max_norm=None, and rescale the weight under no_grad "
            "yourself if you need it"
        )
    if scale_grad_by_freq:
        raise NotSupported(
            "embedding's scale_grad_by_freq=True is not supported: leave it False (each row's "
            "gradient is then the plain sum over its lookups)"
        )
    if sparse:
        raise NotSupported(
            "embedding's sparse=True (sparse gradients) is not supported: micrograd has no "
            "sparse tensors; leave sparse=False for a dense gradient"
        )


def _padding_index(padding_idx: int | None, rows: int) -> int | None:
    """padding_idx within [−rows, rows), made non-negative, or PyTorch's assertion."""
    if padding_idx is None:
        return None
    if padding_idx > 0:
        assert padding_idx < rows, "Padding_idx must be within num_embeddings"
    elif padding_idx < 0:
        assert padding_idx >= -rows, "Padding_idx must be within num_embeddings"
        padding_idx = rows + padding_idx
    return padding_idx


def embedding(
    input: Any,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """out[i₁, ..., iₖ, :] = weight[input[i₁, ..., iₖ], :], an index tensor of any shape; the
    result has shape (*input.shape, embedding_dim)."""
    _refuse_options(max_norm, scale_grad_by_freq, sparse)
    indices, w = as_tensor(input), as_tensor(weight)
    if indices.dtype is not int64:
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {indices.type()} instead (while checking arguments "
            "for embedding)"
        )
    if w.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows, width = w.shape
    padding = _padding_index(padding_idx, rows)
    table = w._values
    values = []
    for v in indices._values:
        row = int(v.data)
        if not 0 <= row < rows:
            raise IndexError("index out of range in self")
        chosen = table[row * width : (row + 1) * width]
        values += [constant_value(c.data) for c in chosen] if row == padding else chosen
    return w._copy_of(values, (*indices.shape, width), "EmbeddingBackward0", "embedding")


class Embedding(Module):
    """nn.Embedding(num_embeddings, embedding_dim): a (num_embeddings, embedding_dim) weight
    drawn from N(0, 1) (``nn.init.normal_``), its ``padding_idx`` row zeroed."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        _refuse_options(max_norm, scale_grad_by_freq, sparse)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            made = empty(num_embeddings, embedding_dim, device=device, dtype=dtype)
            self.weight = Parameter(made, requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError(
                    "Shape of weight does not match num_embeddings and embedding_dim"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Weight from N(0, 1), then the padding row zeroed."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Any) -> Tensor:
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        return text

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is `embeddings` (2-D), learnt unless `freeze`."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(
            num_embeddings=rows,
            embedding_dim=cols,
            _weight=embeddings,
            _freeze=freeze,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
        )
