"""softmax and log_softmax, as methods of Tensor (``x.softmax(dim)``) and, through
``functions.py``, as ``torch.softmax`` and ``torch.log_softmax``; ``nn.functional`` calls them.

Both are computed from x − max(x) along `dim`: the shift cancels in the result, and keeps eˣ
finite.  The max is taken of the numbers only (a constant), so its gradient is not in the
graph, which is right because the result does not depend on it.  ``relu``, ``sigmoid`` and
``tanh`` are functions of the derivative table, made in ``tensor.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor

DTYPE_NAMES = {"int64": "Long", "bool": "Bool"}


class ActivationMethods:
    """softmax and log_softmax of Tensor (a part of the class, kept in a module of its own)."""

    def _shifted(self, dim: int, dtype: Any, name: str) -> tuple[Tensor, Tensor]:
        """(x, x − max(x) along `dim`), x this tensor cast to `dtype` first (PyTorch's dtype=:
        a ``ToCopyBackward0`` before the function)."""
        x = self if dtype is None else self.to(dtype)
        if not x.dtype.is_floating_point:
            kernel = (
                f"{name}_lastdim_kernel_impl" if dim in (-1, x.dim() - 1) else f"{name}_kernel_impl"
            )
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{DTYPE_NAMES[x.dtype.name]}'"
            )
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
        return x, x - x.detach().amax(dim, keepdim=True)

    def softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """softmax(x)ᵢ = eˣⁱ / Σⱼ eˣʲ along `dim`; ∂softmaxᵢ/∂xⱼ = softmaxᵢ(δᵢⱼ − softmaxⱼ).
        With `dtype`, x is cast to it first."""
        x, shifted = self._shifted(dim, dtype, "softmax")
        e = shifted.exp()
        result = e / e.sum(dim, keepdim=True)
        return x._result(list(result._values), result.shape, "SoftmaxBackward0", "softmax", (x,))

    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """log softmax(x)ᵢ = xᵢ − log Σⱼ eˣʲ along `dim`, computed as (x − m) − log Σⱼ eˣʲ⁻ᵐ
        with m = max x, so that it never overflows; ∂/∂xⱼ = δᵢⱼ − softmaxⱼ."""
        x, shifted = self._shifted(dim, dtype, "log_softmax")
        result = shifted - shifted.exp().sum(dim, keepdim=True).log()
        return x._result(
            list(result._values), result.shape, "LogSoftmaxBackward0", "log_softmax", (x,)
        )
