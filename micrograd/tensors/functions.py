"""PyTorch's functions of tensors: ``torch.exp(x)``, ``torch.sum(x, dim=0)``, ``torch.dot(a, b)``...

Each is the Tensor method of the same name called as a function, its first argument made a
tensor first (so ``torch.exp(2.0)`` works).  The elementwise functions of the derivative
table (exp, log, ..., clamp) are listed in ``ELEMENTWISE``, made from the table itself; the
others are written out below.
"""

from __future__ import annotations

from typing import Any, Callable

from ..core import rules
from .signatures import refuse_out
from .tensor import Tensor, as_tensor


def _function_of(method: Callable[..., Any], name: str | None = None) -> Callable[..., Any]:
    """The method `method` of Tensor as a function of a tensor (or anything as_tensor takes)."""

    name = name or method.__name__

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        if "out" in kwargs:
            refuse_out(name)
        return method(as_tensor(input), *args, **kwargs)

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
add = _function_of(Tensor.add)
sub = _function_of(Tensor.sub)
mul = _function_of(Tensor.mul)
div = _function_of(Tensor.div)
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


def __getattr__(name: str) -> Any:
    """The elementwise functions of the table: ``functions.exp``..."""
    if name in ELEMENTWISE:
        return ELEMENTWISE[name]
    raise AttributeError(f"module 'micrograd.tensors.functions' has no attribute '{name}'")
