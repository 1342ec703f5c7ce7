"""PyTorch's functions of tensors: ``torch.exp(x)``, ``torch.sum(x, dim=0)``, ``torch.dot(a, b)``...

Each is the Tensor method of the same name called as a function, its first argument made a
tensor first (so ``torch.exp(2.0)`` works).  The elementwise functions of the derivative
table (exp, log, ..., clamp) are listed in ``ELEMENTWISE``, made from the table itself; the
others are written out below.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ..core import rules
from .signatures import refuse_out, write_out
from .tensor import Tensor, as_tensor


def _function_of(method: Callable[..., Any], name: str | None = None) -> Callable[..., Any]:
    """The method `method` of Tensor as a function of a tensor (or anything as_tensor takes)."""

    name = name or method.__name__

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        out = kwargs.pop("out", None)
        result = method(as_tensor(input), *args, **kwargs)
        if out is None:
            return result
        if not hasattr(result, "copy_") or not hasattr(out, "copy_"):
            refuse_out(name)  # (values, indices) pairs and such: not written into
        return write_out(name, result, out, (input, *args))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    return function


ELEMENTWISE: dict[str, Callable[..., Any]] = {
    name: _function_of(getattr(Tensor, name), name)
    for prim in rules.UNARY.values()
    for plain in [prim.name, *(variant for variant, _, _ in prim.variants)]
    for name in (plain, plain + "_")
}
"""micrograd.exp, micrograd.relu, ..., micrograd.clamp, micrograd.clamp_min and each in place
(micrograd.exp_): from the table."""


def is_tensor(obj: Any) -> bool:
    """True if obj is a micrograd Tensor."""
    return isinstance(obj, Tensor)


sum = _function_of(Tensor.sum)
mean = _function_of(Tensor.mean)
prod = _function_of(Tensor.prod)
norm = _function_of(Tensor.norm)
max = _function_of(Tensor.max)
min = _function_of(Tensor.min)
amax = _function_of(Tensor.amax)
amin = _function_of(Tensor.amin)
all = _function_of(Tensor.all)
any = _function_of(Tensor.any)
numel = _function_of(Tensor.numel)
reshape = _function_of(Tensor.reshape)
flatten = _function_of(Tensor.flatten)
transpose = _function_of(Tensor.transpose)
t = _function_of(Tensor.t)
unsqueeze = _function_of(Tensor.unsqueeze)
squeeze = _function_of(Tensor.squeeze)
permute = _function_of(Tensor.permute)
clone = _function_of(Tensor.clone)
detach = _function_of(Tensor.detach)
square = _function_of(Tensor.square)
neg = _function_of(Tensor.__neg__, "neg")
add = _function_of(Tensor.add, "add")
sub = _function_of(Tensor.sub, "sub")
mul = _function_of(Tensor.mul, "mul")
div = _function_of(Tensor.div, "div")
pow = _function_of(Tensor.pow)
eq = _function_of(Tensor.eq)
ne = _function_of(Tensor.ne)
lt = _function_of(Tensor.lt)
le = _function_of(Tensor.le)
gt = _function_of(Tensor.gt)
ge = _function_of(Tensor.ge)
equal = _function_of(Tensor.equal)
dot = _function_of(Tensor.dot)
mv = _function_of(Tensor.mv)
mm = _function_of(Tensor.mm)
bmm = _function_of(Tensor.bmm)
matmul = _function_of(Tensor.matmul)
addmm = _function_of(Tensor.addmm)
diag = _function_of(Tensor.diag)
diagonal = _function_of(Tensor.diagonal)
movedim = _function_of(Tensor.movedim)
isclose = _function_of(Tensor.isclose)
allclose = _function_of(Tensor.allclose)
softmax = _function_of(Tensor.softmax)
log_softmax = _function_of(Tensor.log_softmax)
argmax = _function_of(Tensor.argmax)
argmin = _function_of(Tensor.argmin)
sort = _function_of(Tensor.sort)
topk = _function_of(Tensor.topk)
cumsum = _function_of(Tensor.cumsum)
cumprod = _function_of(Tensor.cumprod)
var = _function_of(Tensor.var)
std = _function_of(Tensor.std)
gather = _function_of(Tensor.gather)
scatter = _function_of(Tensor.scatter)
scatter_add = _function_of(Tensor.scatter_add)
index_add = _function_of(Tensor.index_add)
index_copy = _function_of(Tensor.index_copy)
index_fill = _function_of(Tensor.index_fill)
masked_fill = _function_of(Tensor.masked_fill)
maximum = _function_of(Tensor.maximum)
minimum = _function_of(Tensor.minimum)
floor_divide = _function_of(Tensor.floor_divide)
remainder = _function_of(Tensor.remainder)
fmod = _function_of(Tensor.fmod)


def __getattr__(name: str) -> Any:
    """The elementwise functions of the table: ``functions.exp``..."""
    if name in ELEMENTWISE:
        return ELEMENTWISE[name]
    raise AttributeError(f"module 'micrograd.tensors.functions' has no attribute '{name}'")


# --- logarithms to other bases: log10 x = ln x / ln 10, log2 x = ln x / ln 2 ------------------
def _log_base(base: float, name: str) -> Callable[..., Tensor]:
    """Tensor.log10/log2: ln x · (1/ln base) per element, computed in float64 and rounded once
    (so a float32 result is PyTorch's), as one node named as PyTorch's (Log10Backward0)."""
    scale = 1.0 / math.log(base)

    def log_base(self: Tensor) -> Tensor:
        x = self if self.dtype.is_floating_point else self.float()
        values = [v.log() * scale for v in x._values]
        grad_fn = f"{name.capitalize()}Backward0"
        return x._result(values, x.shape, grad_fn, name, (x,))

    log_base.__name__ = log_base.__qualname__ = name
    log_base.__doc__ = f"{name} x = ln x / ln {base:g}: ∂/∂x = 1/(x · ln {base:g})."
    return log_base


Tensor.log10 = _log_base(10.0, "log10")
Tensor.log2 = _log_base(2.0, "log2")
log10 = _function_of(Tensor.log10, "log10")
log2 = _function_of(Tensor.log2, "log2")
