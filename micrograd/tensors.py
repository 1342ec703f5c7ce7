"""Tensor: a small n-dimensional array whose elements are Values.

Every tensor operation is made of scalar operations on the elements, so the vector chain
rule can be watched element by element: ``y = 2 * dot(x, x)`` is three multiplications and
their sums in the Value graph.  Beside that graph each result keeps its tensor-level history
(the operation and its input tensors) for ``grad_fn`` names and the tensor view of drawings.

The API follows ``torch`` (so ``import micrograd as torch`` runs PyTorch tutorials), the
printing follows ``torch/_tensor_str.py``.  Data are Python floats (float64 arithmetic);
``dtype`` decides printing and which tensors may require grad.
"""
from __future__ import annotations

import builtins
import functools
import math
import operator
import random
from collections import namedtuple
from typing import Any, Callable, Iterable, Sequence

from .autograd.function import FunctionNode, register_container
from .autograd.functional import backward as autograd_backward
from .engine import LEAF_INPLACE_ERROR, AccumulateGrad, BackwardNode, Value, _as_float, _backward_node_class
from .modes import is_grad_enabled


class NotSupported(NotImplementedError, AttributeError):
    """A PyTorch feature micrograd does not have (also an AttributeError, so hasattr() works)."""


# --- dtypes and sizes ------------------------------------------------------------------------
class dtype:
    """A tensor's element type, printed as PyTorch prints it (``torch.float32``)."""

    def __init__(self, name: str, is_floating_point: bool) -> None:
        self.name, self.is_floating_point = name, is_floating_point

    def __repr__(self) -> str:
        return f"torch.{self.name}"


float32 = float_ = dtype("float32", True)
float64 = double = dtype("float64", True)
int64 = long = dtype("int64", False)
bool_ = dtype("bool", False)
DEFAULT_DTYPES = (float32, int64, bool_)        # the ones PyTorch does not print


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        return math.prod(self)


class _NoGrad(float):
    """The .grad of an element no backward pass has reached: 0.0 to the engine, None to Tensor.grad."""

    def __repr__(self) -> str:
        return "0.0"


NO_GRAD = _NoGrad(0.0)

# --- random numbers -----------------------------------------------------------------------------
_generator = random.Random()


def manual_seed(seed: int) -> random.Random:
    """Make rand, randn and randint reproducible (micrograd's own generator, not PyTorch's)."""
    _generator.seed(seed)
    return _generator


# --- shapes ---------------------------------------------------------------------------------------
def _strides(shape: Sequence[int]) -> list[int]:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return strides[::-1]


def broadcast_shapes(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """NumPy's broadcasting: align on the right; sizes must be equal or 1."""
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"cannot broadcast shapes {tuple(a)} and {tuple(b)}: the size of tensor a ({x}) "
                               f"must match the size of tensor b ({y}) at non-singleton dimension {max(len(a), len(b)) - i}")
        result.append(max(x, y))
    return tuple(reversed(result))


def _broadcast_index(source: Sequence[int], target: Sequence[int]) -> list[int]:
    """For each flat position of `target`, the flat position in `source` broadcast to it."""
    if tuple(source) == tuple(target):
        return list(range(math.prod(target)))
    padded = [1] * (len(target) - len(source)) + list(source)
    strides = [0 if size == 1 else s for size, s in zip(padded, _strides(padded))]
    index = [0]
    for size, stride in zip(target, strides):
        index = [i + k * stride for i in index for k in range(size)]
    return index


def _normalize_dim(dim: int, ndim: int) -> int:
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
                         f"{max(ndim, 1) - 1}], but got {dim})")
    return dim % max(ndim, 1)


def _shape_from(args: tuple, size: Any = None) -> tuple[int, ...]:
    """Shapes given as f(2, 3), f((2, 3)), f([2, 3]), f(size=(2, 3)) or f(x.size())."""
    if size is not None:
        args = (size,)
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if not isinstance(a, int) or isinstance(a, bool) or a < 0:
            raise TypeError(f"a shape is made of non-negative ints, got {a!r} of type {type(a).__name__}")
    return tuple(args)


def _nested(data: Any) -> tuple[list, tuple[int, ...]]:
    """Flat elements and shape of nested lists/tuples of numbers (or Values, or Tensors)."""
    if isinstance(data, Tensor):
        return list(data._values), tuple(data.shape)
    if hasattr(data, "tolist") and not isinstance(data, (int, float)):
        data = data.tolist()                     # numpy arrays and scalars
    if not isinstance(data, (list, tuple)):
        return [data], ()
    if len(data) == 0:
        return [], (0,)
    parts = [_nested(d) for d in data]
    inner = parts[0][1]
    for dim_index, (_, shape) in enumerate(parts):
        if shape != inner:
            expected = inner[0] if inner else 0
            got = shape[0] if shape else 0
            raise ValueError(f"expected sequence of length {expected} at dim 1 (got {got})")
    return [x for flat, _ in parts for x in flat], (len(data),) + inner


# --- the tensor-level history: grad_fn objects ------------------------------------------------
class TensorNode(BackwardNode):
    """A tensor's grad_fn: its PyTorch name, the operation and the input tensors (for drawing)."""

    def __init__(self, op: str, parents: tuple) -> None:
        self.op, self.parents = op, parents

    @property
    def next_functions(self) -> tuple:
        return tuple(_tensor_next_function(p) for p in self.parents)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"


def _tensor_next_function(t: Any) -> tuple:
    if not isinstance(t, Tensor) or not t.requires_grad:
        return (None, 0)
    if t.grad_fn is None:
        return (AccumulateGrad(t), 0)
    return (t.grad_fn, 0)


def _node(name: str, op: str, parents: tuple) -> TensorNode:
    return _backward_node_class(name, TensorNode)(op, parents)


def _constant(x: float) -> Value:
    v = Value(x, requires_grad=False)
    v.grad = NO_GRAD
    return v


MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])
for _result in (MaxResult, MinResult):
    _result.__repr__ = lambda self: (f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
                                     f"indices={self.indices!r})")


class Tensor:
    """An n-dimensional array of Values (PyTorch's ``torch.Tensor``)."""

    handles_values = True            # Value * Tensor: Value lets Tensor.__rmul__ answer
    __array_priority__ = 1000        # numpy scalar * Tensor: numpy lets Tensor answer too

    def __init__(self, values: list[Value], shape: Sequence[int], dtype_: dtype = float32,
                 node: TensorNode | None = None) -> None:
        self._values = values
        self._shape = Size(shape)
        self._dtype = dtype_
        self._grad_fn = node
        self._alias: tuple[Tensor, str] | None = None     # .grad or .data of another tensor
        self.label = ""                                    # its name in drawings

    # --- attributes --------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return self._shape

    def size(self, dim: int | None = None) -> Any:
        return self._shape if dim is None else self._shape[_normalize_dim(dim, self.dim())]

    def dim(self) -> int:
        return len(self._shape)

    ndim = property(dim)

    def numel(self) -> int:
        return len(self._values)

    @property
    def dtype(self) -> dtype:
        return self._dtype

    @property
    def device(self) -> str:
        return "cpu"

    @property
    def requires_grad(self) -> bool:
        return any(v._fn is not None for v in self._values)

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Make this leaf tensor a variable (True) or a constant (False); returns self."""
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use "
                               "a computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        for v in self._values:
            v.requires_grad_(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad_fn(self) -> BackwardNode | None:
        if self._grad_fn is not None:
            return self._grad_fn
        if self._values and isinstance(self._values[0]._fn, FunctionNode):   # made by Function.apply
            return self._values[0]._fn
        return None

    @property
    def grad(self) -> Tensor | None:
        """None until a backward pass reaches this tensor, then a Tensor of its gradients.

        (Unlike PyTorch, intermediate tensors keep their gradients too, for drawings.)
        """
        grads = [v.grad for v in self._values]
        if all(g.__class__ is _NoGrad for g in grads) or (
                self._grad_fn is not None and all(g.__class__ is not Value and g == 0.0 for g in grads)):
            return None
        result = Tensor([_constant(float(g)) for g in grads], self._shape, self._floating())
        result._alias = (self, "grad")
        return result

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is None:
            for v in self._values:
                v.grad = NO_GRAD
            return
        value = _as_tensor(value)
        if value.shape != self.shape:
            raise RuntimeError(f"assigned grad has data of a different size: {tuple(value.shape)} and {tuple(self.shape)}")
        for v, g in zip(self._values, value._values):
            v.grad = g.data

    @property
    def data(self) -> Tensor:
        """The same numbers without history; in-place changes to it change this tensor."""
        result = self.detach()
        result._alias = (self, "data")
        return result

    @property
    def T(self) -> Tensor:
        return self.permute(*reversed(range(self.dim())))

    def _floating(self) -> dtype:
        return self._dtype if self._dtype.is_floating_point else float32

    # --- conversion -----------------------------------------------------------------------------
    def item(self) -> float | int | bool:
        if len(self._values) != 1:
            raise RuntimeError(f"a Tensor with {len(self._values)} elements cannot be converted to Scalar")
        return self._python(self._values[0].data)

    def _python(self, x: float) -> float | int | bool:
        if self._dtype is bool_:
            return bool(x)
        if self._dtype is int64:
            return int(x)
        return x

    def tolist(self) -> Any:
        flat = [self._python(v.data) for v in self._values]
        for size in reversed(self._shape[1:]):
            flat = [flat[i:i + size] for i in range(0, len(flat), size)]
        return flat[0] if self.dim() == 0 else flat

    def numpy(self) -> Any:
        import numpy
        return numpy.array(self.tolist(), dtype={"float32": "float32", "float64": "float64",
                                                 "int64": "int64", "bool": "bool"}[self._dtype.name])

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._dtype.is_floating_point:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if len(self._values) != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._values[0].data)

    def __len__(self) -> int:
        if self.dim() == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self) -> Iterable[Tensor]:
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __format__(self, spec: str) -> str:
        if self.dim() == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self) -> str:
        return _tensor_repr(self)

    __str__ = __repr__

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotSupported(f"micrograd's Tensor has no '{name}': PyTorch's Tensor.{name} is not "
                           "supported here (see the README for what is)")

    # --- making results ----------------------------------------------------------------------------
    def _result(self, values: list[Value], shape: Sequence[int], name: str, op: str,
                parents: tuple, dtype_: dtype | None = None) -> Tensor:
        """A new tensor; its history is kept when it requires grad (as PyTorch keeps grad_fn)."""
        node = None
        if is_grad_enabled() and any(isinstance(p, Tensor) and p.requires_grad for p in parents):
            node = _node(name, op, parents)
        return Tensor(values, shape, dtype_ or self._dtype, node)

    def _same_values(self, shape: Sequence[int], name: str, op: str, values: list[Value] | None = None) -> Tensor:
        """A view: the same elements (no new scalar nodes) under another shape or order."""
        return self._result(self._values if values is None else values, shape, name, op, (self,))

    # --- elementwise arithmetic ------------------------------------------------------------------
    def _binary(self, other: Any, combine: Callable, name: str, op: str, reverse: bool = False,
                dtype_: dtype | None = None) -> Tensor:
        other_tensor = _as_tensor(other, like=self)
        a, b = (other_tensor, self) if reverse else (self, other_tensor)
        shape = broadcast_shapes(a.shape, b.shape)
        av = a._values if a.shape == shape else [a._values[i] for i in _broadcast_index(a.shape, shape)]
        bv = b._values if b.shape == shape else [b._values[i] for i in _broadcast_index(b.shape, shape)]
        number = None if isinstance(other, (Tensor, Value)) else _as_float(other)
        if number is not None and reverse:           # a number on the left: keep it a number
            values = [combine(number, y) for y in bv]
        elif number is not None:
            values = [combine(x, number) for x in av]
        else:
            values = list(map(combine, av, bv))
        result_dtype = dtype_ or _promote(a, b)
        return self._result(values, shape, name, op, (self,) if number is not None else (a, b), result_dtype)

    def __add__(self, other): return self._binary(other, operator.add, "AddBackward0", "+")
    def __radd__(self, other): return self._binary(other, operator.add, "AddBackward0", "+", reverse=True)
    def __sub__(self, other): return self._binary(other, operator.sub, "SubBackward0", "-")
    def __rsub__(self, other): return self._binary(other, operator.sub, "RsubBackward1", "-", reverse=True)
    def __mul__(self, other): return self._binary(other, operator.mul, "MulBackward0", "*")
    def __rmul__(self, other): return self._binary(other, operator.mul, "MulBackward0", "*", reverse=True)

    def __truediv__(self, other):
        return self._binary(other, operator.truediv, "DivBackward0", "/", dtype_=self._floating())

    def __rtruediv__(self, other):
        return self._binary(other, operator.truediv, "MulBackward0", "/", reverse=True, dtype_=self._floating())

    def __pow__(self, other):
        name = "PowBackward1" if isinstance(other, Tensor) else "PowBackward0"
        return self._binary(other, operator.pow, name, "**")

    def __rpow__(self, other): return self._binary(other, operator.pow, "PowBackward2", "**", reverse=True)
    def __neg__(self): return self._unary(operator.neg, "NegBackward0", "neg")
    def __pos__(self): return self
    def __abs__(self): return self.abs()
    def __matmul__(self, other): return matmul(self, other)
    def __rmatmul__(self, other): return matmul(_as_tensor(other), self)

    add, sub, mul, div, pow = __add__, __sub__, __mul__, __truediv__, __pow__
    multiply, subtract, divide, true_divide = mul, sub, div, div

    def _unary(self, apply: Callable[[Value], Value], name: str, op: str) -> Tensor:
        if not self._dtype.is_floating_point and op not in ("neg", "abs", "ReLU"):
            return self.float()._unary(apply, name, op)
        return self._result([apply(v) for v in self._values], self._shape, name, op, (self,))

    def exp(self): return self._unary(Value.exp, "ExpBackward0", "exp")
    def log(self): return self._unary(Value.log, "LogBackward0", "log")
    def tanh(self): return self._unary(Value.tanh, "TanhBackward0", "tanh")
    def sigmoid(self): return self._unary(Value.sigmoid, "SigmoidBackward0", "sigmoid")
    def relu(self): return self._unary(Value.relu, "ReluBackward0", "ReLU")
    def sin(self): return self._unary(Value.sin, "SinBackward0", "sin")
    def cos(self): return self._unary(Value.cos, "CosBackward0", "cos")
    def sqrt(self): return self._unary(Value.sqrt, "SqrtBackward0", "sqrt")
    def abs(self): return self._unary(Value.abs, "AbsBackward0", "abs")
    def square(self): return self._binary(2, operator.pow, "PowBackward0", "**")

    # --- comparisons: constant bool tensors ----------------------------------------------------
    def _compare(self, other: Any, test: Callable[[float, float], bool]) -> Tensor:
        b = _as_tensor(other, like=self)
        shape = broadcast_shapes(self.shape, b.shape)
        av = [self._values[i].data for i in _broadcast_index(self.shape, shape)]
        bv = [b._values[i].data for i in _broadcast_index(b.shape, shape)]
        return Tensor([_constant(float(test(x, y))) for x, y in zip(av, bv)], shape, bool_)

    def __eq__(self, other): return self._compare(other, operator.eq)
    def __ne__(self, other): return self._compare(other, operator.ne)
    def __lt__(self, other): return self._compare(other, operator.lt)
    def __le__(self, other): return self._compare(other, operator.le)
    def __gt__(self, other): return self._compare(other, operator.gt)
    def __ge__(self, other): return self._compare(other, operator.ge)
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    __hash__ = object.__hash__

    def equal(self, other: Tensor) -> bool:
        return self.shape == _as_tensor(other).shape and bool(self.eq(other).all())

    def all(self) -> Tensor:
        return Tensor([_constant(float(all(v.data for v in self._values)))], (), bool_)

    def any(self) -> Tensor:
        return Tensor([_constant(float(any(v.data for v in self._values)))], (), bool_)

    # --- reductions ------------------------------------------------------------------------------
    def _groups(self, dim: Any, keepdim: bool) -> tuple[list[list[int]], tuple[int, ...]]:
        """The flat positions reduced into each output element, and the output shape."""
        n = self.dim()
        dims = set(range(n)) if dim is None else {_normalize_dim(d, n) for d in ((dim,) if isinstance(dim, int) else dim)}
        if n == 0:
            return [[0]], ()
        if len(dims) == n:                       # everything into one element
            return [list(range(len(self._values)))], (1,) * n if keepdim else ()
        out_shape = tuple(1 if i in dims else s for i, s in enumerate(self._shape)) if keepdim else \
            tuple(s for i, s in enumerate(self._shape) if i not in dims)
        kept = [i for i in range(n) if i not in dims]
        strides = _strides(self._shape)
        groups: dict[tuple, list[int]] = {}
        for flat in range(len(self._values)):
            key = tuple((flat // strides[i]) % self._shape[i] for i in kept)
            groups.setdefault(key, []).append(flat)
        return list(groups.values()), out_shape

    def _reduce(self, combine: Callable, dim: Any, keepdim: bool, name: str, op: str) -> Tensor:
        groups, shape = self._groups(dim, keepdim)
        # a group of one element still gets a node of its own (+ 0.0), so the sum shows in drawings
        values = [functools.reduce(combine, [self._values[i] for i in group]) if len(group) > 1
                  else self._values[group[0]] + 0.0 if group else _constant(0.0) for group in groups]
        suffix = "0" if dim is None else "1"
        return self._result(values, shape, f"{name}{suffix}", op, (self,),
                            int64 if self._dtype is bool_ else self._dtype)

    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return self._reduce(operator.add, dim, keepdim, "SumBackward", "sum")

    def prod(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return self._reduce(operator.mul, dim, keepdim, "ProdBackward", "prod")

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        if not self._dtype.is_floating_point:
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {self._dtype.name.capitalize()}")
        groups, shape = self._groups(dim, keepdim)
        values = [functools.reduce(operator.add, [self._values[i] for i in g]) / len(g) for g in groups]
        return self._result(values, shape, "MeanBackward0" if dim is None else "MeanBackward1", "mean", (self,))

    def _extreme(self, pick: Callable, dim: Any, keepdim: bool, name: str, result: type) -> Any:
        groups, shape = self._groups(dim, keepdim)
        chosen = [pick(g, key=lambda i: self._values[i].data) for g in groups]
        values = [self._values[i] + 0.0 for i in chosen]
        if dim is None:
            return self._result(values, shape, f"{name}Backward1", name.lower(), (self,))
        strides = _strides(self._shape)
        d = _normalize_dim(dim, self.dim())
        indices = Tensor([_constant(float((i // strides[d]) % self._shape[d])) for i in chosen], shape, int64)
        return result(self._result(values, shape, f"{name}Backward0", name.lower(), (self,)), indices)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return self._extreme(builtins.max, dim, keepdim, "Max", MaxResult)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return self._extreme(builtins.min, dim, keepdim, "Min", MinResult)

    def norm(self, p: float = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
        """The vector p-norm (p = 2: the Euclidean length)."""
        if p != 2:
            raise NotSupported(f"norm(p={p}) is not supported: only the Euclidean norm p=2")
        groups, shape = self._groups(dim, keepdim)
        values = [functools.reduce(operator.add, [self._values[i] * self._values[i] for i in g]).sqrt()
                  for g in groups]
        return self._result(values, shape, "LinalgVectorNormBackward0", "norm", (self,))

    # --- shapes: views share the elements ---------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        shape = list(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else list(shape)
        if shape.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        known = math.prod(s for s in shape if s != -1)
        if -1 in shape:
            if known == 0 or self.numel() % known:
                raise RuntimeError(f"shape '{shape}' is invalid for input of size {self.numel()}")
            shape[shape.index(-1)] = self.numel() // known
        if math.prod(shape) != self.numel():
            raise RuntimeError(f"shape '{shape}' is invalid for input of size {self.numel()}")
        return self._same_values(tuple(shape), "ViewBackward0", "view")

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self.dim() <= 1:
            return self
        start, end = _normalize_dim(start_dim, self.dim()), _normalize_dim(end_dim, self.dim())
        shape = self._shape[:start] + (math.prod(self._shape[start:end + 1]),) + self._shape[end + 1:]
        return self.reshape(shape)

    def permute(self, *dims: Any) -> Tensor:
        dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        dims = tuple(_normalize_dim(d, self.dim()) for d in dims)
        if sorted(dims) != list(range(self.dim())):
            raise RuntimeError(f"permute(): dims {dims} are not a permutation of the {self.dim()} dimensions")
        return self._reorder(dims, "PermuteBackward0", "permute")

    def _reorder(self, dims: tuple, name: str, op: str) -> Tensor:
        shape = tuple(self._shape[d] for d in dims)
        strides = _strides(self._shape)
        index = [0]
        for d in dims:
            index = [i + k * strides[d] for i in index for k in range(self._shape[d])]
        return self._same_values(shape, name, op, [self._values[i] for i in index])

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        dims = list(range(self.dim()))
        a, b = _normalize_dim(dim0, self.dim()), _normalize_dim(dim1, self.dim())
        dims[a], dims[b] = dims[b], dims[a]
        return self._reorder(tuple(dims), "TransposeBackward0", "transpose")

    def t(self) -> Tensor:
        if self.dim() > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.dim()}D")
        return self._reorder(tuple(reversed(range(self.dim()))), "TBackward0", "t")

    def unsqueeze(self, dim: int) -> Tensor:
        d = _normalize_dim(dim, self.dim() + 1)
        return self._same_values(self._shape[:d] + (1,) + self._shape[d:], "UnsqueezeBackward0", "unsqueeze")

    def squeeze(self, dim: int | None = None) -> Tensor:
        if dim is None:
            return self._same_values(tuple(s for s in self._shape if s != 1), "SqueezeBackward0", "squeeze")
        d = _normalize_dim(dim, self.dim())
        shape = self._shape[:d] + self._shape[d + 1:] if self._shape[d] == 1 else self._shape
        return self._same_values(shape, "SqueezeBackward1", "squeeze")

    def expand(self, *shape: Any) -> Tensor:
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        target = broadcast_shapes(self._shape, shape)
        return self._same_values(target, "ExpandBackward0", "expand",
                                 [self._values[i] for i in _broadcast_index(self._shape, target)])

    # --- indexing ------------------------------------------------------------------------------------
    def _positions(self, key: Any) -> tuple[list[int], tuple[int, ...], str]:
        """The flat positions `key` selects, the result's shape, and the grad_fn name."""
        keys = list(key) if isinstance(key, tuple) else [key]
        if any(k is Ellipsis for k in keys):
            at = keys.index(Ellipsis)
            fill = self.dim() - (len(keys) - 1 - sum(k is None for k in keys))
            keys[at:at + 1] = [slice(None)] * fill
        positions, shape, dim, name = [0], [], 0, "SliceBackward0"
        strides = _strides(self._shape)
        for k in keys:
            if k is None:
                shape.append(1)
                name = "UnsqueezeBackward0"
                continue
            if dim >= self.dim():
                raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
            size, stride = self._shape[dim], strides[dim]
            if isinstance(k, Tensor):
                k = k.tolist()
            if isinstance(k, bool) or (not isinstance(k, (int, slice, list))):
                raise TypeError(f"only integers, slices, None, ... and lists of integers are valid indices, "
                                f"got {k!r} of type {type(k).__name__}")
            if isinstance(k, int):
                if not -size <= k < size:
                    raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
                positions = [p + (k % size) * stride for p in positions]
                name = "SelectBackward0"
            elif isinstance(k, slice):
                chosen = range(*k.indices(size))
                positions = [p + i * stride for p in positions for i in chosen]
                shape.append(len(chosen))
                name = "SliceBackward0"
            else:
                for i in k:
                    if not -size <= i < size:
                        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
                positions = [p + (i % size) * stride for p in positions for i in k]
                shape.append(len(k))
                name = "IndexBackward0"
            dim += 1
        for size, stride in zip(self._shape[dim:], strides[dim:]):
            positions = [p + i * stride for p in positions for i in range(size)]
            shape.append(size)
        return positions, tuple(shape), name

    def __getitem__(self, key: Any) -> Tensor:
        positions, shape, name = self._positions(key)
        return self._same_values(shape, name, "index", [self._values[p] for p in positions])

    def __setitem__(self, key: Any, value: Any) -> None:
        positions, shape, _ = self._positions(key)
        source = _as_tensor(value, like=self)
        values = [source._values[i] for i in _broadcast_index(source.shape, broadcast_shapes(source.shape, shape))]
        if len(values) != len(positions):
            raise RuntimeError(f"shape mismatch: value tensor of shape {tuple(source.shape)} cannot be broadcast "
                               f"to indexing result of shape {shape}")
        if not is_grad_enabled() or not (self.requires_grad or source.requires_grad):
            for p, v in zip(positions, values):
                self._values[p].data = v.data
            self._write_back()
            return
        if self.is_leaf and self.requires_grad:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        for p, v in zip(positions, values):          # recorded: the positions now hold the new Values
            self._values[p] = v + 0.0
        self._grad_fn = _node("CopySlices", "setitem", (self._copy_history(), source))

    def _copy_history(self) -> Tensor:
        return Tensor(list(self._values), self._shape, self._dtype, self._grad_fn)

    # --- in place: under no_grad, or on tensors that do not require grad ----------------------
    def _assign(self, numbers: list[float]) -> Tensor:
        if is_grad_enabled() and self.requires_grad and self.is_leaf:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        for v, x in zip(self._values, numbers):
            v.data = x
        self._write_back()
        return self

    def _write_back(self) -> None:
        """A .grad or .data alias passes in-place changes on to the tensor it came from."""
        if self._alias is None:
            return
        owner, what = self._alias
        for mine, theirs in zip(self._values, owner._values):
            if what == "grad":
                theirs.grad = mine.data
            else:
                theirs.data = mine.data

    def _in_place(self, other: Any, combine: Callable) -> Tensor:
        b = _as_tensor(other, like=self)
        if broadcast_shapes(self.shape, b.shape) != tuple(self.shape):
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                               f"{list(broadcast_shapes(self.shape, b.shape))}")
        if is_grad_enabled() and (self.requires_grad or b.requires_grad) and not self.is_leaf:
            result = self._binary(other, combine, "CopySlices", "in-place")   # recorded out of place
            self._values, self._grad_fn = result._values, result._grad_fn
            return self
        bv = [b._values[i].data for i in _broadcast_index(b.shape, self.shape)]
        return self._assign([combine(v.data, x) for v, x in zip(self._values, bv)])

    def __iadd__(self, other): return self._in_place(other, operator.add)
    def __isub__(self, other): return self._in_place(other, operator.sub)
    def __imul__(self, other): return self._in_place(other, operator.mul)
    def __itruediv__(self, other): return self._in_place(other, operator.truediv)
    add_, sub_, mul_, div_ = __iadd__, __isub__, __imul__, __itruediv__

    def zero_(self) -> Tensor:
        return self._assign([0.0] * self.numel())

    def fill_(self, value: float) -> Tensor:
        number = _as_float(value)
        if number is None:
            raise TypeError(f"fill_ expects a number, got {value!r} of type {type(value).__name__}")
        return self._assign([number] * self.numel())

    # --- copies -----------------------------------------------------------------------------------
    def detach(self) -> Tensor:
        return Tensor([_constant(v.data) for v in self._values], self._shape, self._dtype)

    def detach_(self) -> Tensor:
        self._values, self._grad_fn = [_constant(v.data) for v in self._values], None
        return self

    def clone(self) -> Tensor:
        return self._result([v + 0.0 if v.requires_grad else _constant(v.data) for v in self._values],
                            self._shape, "CloneBackward0", "clone", (self,))

    def to(self, *args: Any, dtype: dtype | None = None, device: Any = None, **kwargs: Any) -> Tensor:
        for a in args:
            if isinstance(a, globals()["dtype"]):
                dtype = a
            elif a != "cpu":
                device = a
        if device not in (None, "cpu"):
            raise NotSupported(f"micrograd runs on the CPU only; .to({device!r}) is not supported")
        if kwargs:
            raise NotSupported(f"Tensor.to() does not support {sorted(kwargs)}")
        if dtype is None or dtype is self._dtype:
            return self
        convert = {"int64": lambda x: float(math.trunc(x)), "bool": lambda x: float(x != 0)}.get(dtype.name, float)
        if dtype.is_floating_point == self._dtype.is_floating_point or not self.requires_grad:
            values = [_constant(convert(v.data)) for v in self._values] if not self.requires_grad else \
                list(self._values)
            return self._result(values, self._shape, "ToCopyBackward0", "to", (self,), dtype)
        return Tensor([_constant(convert(v.data)) for v in self._values], self._shape, dtype)

    def float(self) -> Tensor: return self.to(float32)
    def double(self) -> Tensor: return self.to(float64)
    def long(self) -> Tensor: return self.to(int64)
    def int(self) -> Tensor: return self.to(int64)
    def bool(self) -> Tensor: return self.to(bool_)
    def cpu(self) -> Tensor: return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        raise NotSupported("micrograd runs on the CPU only: there is no .cuda()")

    # --- differentiation -------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into the .grad of every leaf that requires grad."""
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None and self.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if gradient is not None:
            gradient = _as_tensor(gradient)
            if gradient.shape != self.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape!r} and "
                                   f"output[0] has a shape of {self.shape!r}.")
        autograd_backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)

    def register_hook(self, hook: Callable[[Tensor], Any]) -> Any:
        raise NotSupported("Tensor.register_hook is not supported: register hooks on the element Values")

    def retain_grad(self) -> None:
        """Intermediate tensors always keep their gradients in micrograd: nothing to do."""

    # Jacobians for micrograd.func: entries columns[j][i] = ∂outᵢ/∂xⱼ, shape out.shape + x.shape
    @staticmethod
    def _jacobian(out: Any, x: Any, columns: list[list[Any]]) -> Tensor:
        out_shape = tuple(out.shape) if isinstance(out, Tensor) else ()
        x_shape = tuple(x.shape) if isinstance(x, Tensor) else ()
        entries = [columns[j][i] for i in range(len(columns[0]) if columns else 0) for j in range(len(columns))]
        values = [e if isinstance(e, Value) else _constant(float(e)) for e in entries]
        return Tensor(values, out_shape + x_shape, float32)


# --- conversions and promotion ------------------------------------------------------------------------
def _promote(a: Tensor, b: Tensor) -> dtype:
    if a._dtype.is_floating_point or b._dtype.is_floating_point:
        return float64 if float64 in (a._dtype, b._dtype) else float32
    return int64


def _as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Value):
        return Tensor([x], (), float32)
    number = _as_float(x)
    if number is not None:
        kind = float32 if isinstance(x, float) or (like is not None and like._dtype.is_floating_point) else \
            (bool_ if isinstance(x, bool) else int64)
        return Tensor([_constant(number)], (), kind)
    if isinstance(x, (list, tuple)) or hasattr(x, "tolist"):
        return tensor(x)
    raise TypeError(f"unsupported operand type for a Tensor operation: {type(x).__name__} ({x!r:.40})")


# --- creation ------------------------------------------------------------------------------------------
def _check_options(dtype_: Any, device: Any, kwargs: dict) -> None:
    if device not in (None, "cpu"):
        raise NotSupported(f"micrograd runs on the CPU only; device={device!r} is not supported")
    if dtype_ is not None and not isinstance(dtype_, dtype):
        raise NotSupported(f"dtype {dtype_!r} is not supported: use float32, float64, int64 or bool")
    unknown = set(kwargs) - {"layout", "pin_memory", "memory_format"}
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {sorted(unknown)}")


def _leaf(numbers: list[float], shape: Sequence[int], dtype_: dtype, requires_grad: bool) -> Tensor:
    if requires_grad and not dtype_.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    values = []
    for x in numbers:
        v = Value(x, requires_grad=requires_grad)
        v.grad = NO_GRAD
        values.append(v)
    return Tensor(values, shape, dtype_)


def tensor(data: Any, dtype: dtype | None = None, device: Any = None, requires_grad: bool = False,
           **kwargs: Any) -> Tensor:
    """A leaf tensor from nested lists of numbers (``torch.tensor``)."""
    _check_options(dtype, device, kwargs)
    flat, shape = _nested(data)
    numbers = []
    for x in flat:
        number = x.data if isinstance(x, Value) else _as_float(x)
        if number is None:
            raise TypeError(f"tensor() needs numbers, got {x!r} of type {type(x).__name__}")
        numbers.append(number)
    if dtype is None:
        if all(isinstance(x, bool) for x in flat) and flat:
            dtype = bool_
        elif all(isinstance(x, int) or (hasattr(x, "dtype") and "int" in str(x.dtype)) for x in flat) and flat:
            dtype = int64
        else:
            dtype = float32
    if dtype is int64:
        numbers = [float(math.trunc(x)) for x in numbers]
    return _leaf(numbers, shape, dtype, requires_grad)


def _filled(numbers: Callable[[int], list[float]], args: tuple, size: Any, dtype_: dtype | None,
            requires_grad: bool, device: Any, kwargs: dict, default: dtype = float32) -> Tensor:
    _check_options(dtype_, device, kwargs)
    shape = _shape_from(args, size)
    return _leaf(numbers(math.prod(shape)), shape, dtype_ or default, requires_grad)


def zeros(*size: Any, dtype: dtype | None = None, requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    return _filled(lambda n: [0.0] * n, size, kw.pop("size", None), dtype, requires_grad, device, kw)


def ones(*size: Any, dtype: dtype | None = None, requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    return _filled(lambda n: [1.0] * n, size, kw.pop("size", None), dtype, requires_grad, device, kw)


def full(size: Any, fill_value: float, *, dtype: dtype | None = None, requires_grad: bool = False,
         device: Any = None, **kw: Any) -> Tensor:
    kind = dtype or (int64 if isinstance(fill_value, int) and not isinstance(fill_value, bool) else float32)
    return _filled(lambda n: [float(fill_value)] * n, (size,), None, kind, requires_grad, device, kw)


def rand(*size: Any, dtype: dtype | None = None, requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    """Uniform on [0, 1)."""
    return _filled(lambda n: [_generator.random() for _ in range(n)], size, kw.pop("size", None), dtype,
                   requires_grad, device, kw)


def randn(*size: Any, dtype: dtype | None = None, requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    """Standard normal."""
    return _filled(lambda n: [_generator.gauss(0.0, 1.0) for _ in range(n)], size, kw.pop("size", None), dtype,
                   requires_grad, device, kw)


def randint(low: int, high: int | None = None, size: Any = None, *, dtype: dtype | None = None,
            requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    """Integers uniform in [low, high)."""
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing the required argument 'size'")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _filled(lambda n: [float(_generator.randrange(low, high)) for _ in range(n)], (), size, dtype,
                   requires_grad, device, kw, default=int64)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: dtype | None = None,
           requires_grad: bool = False, device: Any = None, **kw: Any) -> Tensor:
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    count = max(0, math.ceil((end - start) / step))
    integral = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end, step))
    return _filled(lambda n: [float(start + i * step) for i in range(n)], (count,), None, dtype, requires_grad,
                   device, kw, default=int64 if integral else float32)


def linspace(start: float, end: float, steps: int, *, dtype: dtype | None = None, requires_grad: bool = False,
             device: Any = None, **kw: Any) -> Tensor:
    def numbers(n: int) -> list[float]:
        return [float(start)] if n == 1 else [start + (end - start) * i / (n - 1) for i in range(n)]
    return _filled(numbers, (steps,), None, dtype, requires_grad, device, kw)


def eye(n: int, m: int | None = None, *, dtype: dtype | None = None, requires_grad: bool = False,
        device: Any = None, **kw: Any) -> Tensor:
    m = n if m is None else m
    return _filled(lambda _: [1.0 if i == j else 0.0 for i in range(n) for j in range(m)], (n, m), None, dtype,
                   requires_grad, device, kw)


def _like(maker: Callable) -> Callable:
    def like(t: Tensor, *, dtype: dtype | None = None, requires_grad: bool = False, **kw: Any) -> Tensor:
        return maker(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad, **kw)
    like.__name__ = f"{maker.__name__}_like"
    like.__doc__ = f"{maker.__name__} with the shape (and dtype) of another tensor"
    return like


zeros_like, ones_like, rand_like, randn_like = (_like(f) for f in (zeros, ones, rand, randn))


def full_like(t: Tensor, fill_value: float, **kw: Any) -> Tensor:
    return full(tuple(t.shape), fill_value, dtype=kw.pop("dtype", t.dtype), **kw)


# --- operations between tensors ------------------------------------------------------------------------
def _sum_of_products(pairs: Iterable[tuple[Value, Value]]) -> Value:
    total = None
    for a, b in pairs:
        total = a * b if total is None else total + a * b
    return total if total is not None else _constant(0.0)


def dot(a: Tensor, b: Tensor) -> Tensor:
    """⟨a, b⟩ = Σᵢ aᵢbᵢ for two 1-D tensors of the same length."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    if a.numel() != b.numel():
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.numel()}] and src [{b.numel()}] to have "
                           "the same number of elements, but got different sizes")
    return a._result([_sum_of_products(zip(a._values, b._values))], (), "DotBackward0", "dot", (a, b), _promote(a, b))


def mv(m: Tensor, v: Tensor) -> Tensor:
    """Matrix-vector product (m @ v)ᵢ = Σₖ mᵢₖvₖ."""
    m, v = _as_tensor(m), _as_tensor(v)
    if m.dim() != 2 or v.dim() != 1 or m.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({tuple(m.shape)}), vec ({tuple(v.shape)}): cannot multiply")
    rows, cols = m.shape
    values = [_sum_of_products(zip(m._values[i * cols:(i + 1) * cols], v._values)) for i in range(rows)]
    return m._result(values, (rows,), "MvBackward0", "mv", (m, v), _promote(m, v))


def mm(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product (a @ b)ᵢⱼ = Σₖ aᵢₖbₖⱼ."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({'x'.join(map(str, a.shape))} and {'x'.join(map(str, b.shape))}): "
                           f"matmul of {tuple(a.shape)} and {tuple(b.shape)}")
    n, k = a.shape
    m = b.shape[1]
    columns = [b._values[j::m] for j in range(m)]
    values = [_sum_of_products(zip(a._values[i * k:(i + 1) * k], columns[j])) for i in range(n) for j in range(m)]
    return a._result(values, (n, m), "MmBackward0", "mm", (a, b), _promote(a, b))


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b: dot for 1-D·1-D, mv for 2-D·1-D, mm for 2-D·2-D (and 1-D·2-D)."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.dim() == 1 and b.dim() == 1:
        return dot(a, b)
    if a.dim() == 2 and b.dim() == 1:
        return mv(a, b)
    if a.dim() == 2 and b.dim() == 2:
        return mm(a, b)
    if a.dim() == 1 and b.dim() == 2:
        return mm(a.unsqueeze(0), b).squeeze(0)
    raise NotSupported(f"matmul of {a.dim()}-D and {b.dim()}-D tensors (batched matmul) is not supported: "
                       f"shapes {tuple(a.shape)} and {tuple(b.shape)}")


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    tensors = [_as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    first = tensors[0]
    d = _normalize_dim(dim, first.dim())
    for t in tensors[1:]:
        if t.dim() != first.dim() or any(s != u for i, (s, u) in enumerate(zip(t.shape, first.shape)) if i != d):
            raise RuntimeError(f"Sizes of tensors must match except in dimension {d}: got {tuple(first.shape)} "
                               f"and {tuple(t.shape)}")
    outer = math.prod(first.shape[:d])
    values: list[Value] = []
    for o in range(outer):
        for t in tensors:
            block = math.prod(t.shape[d:])
            values.extend(t._values[o * block:(o + 1) * block])
    shape = first.shape[:d] + (sum(t.shape[d] for t in tensors),) + first.shape[d + 1:]
    return first._result(values, shape, "CatBackward0", "cat", tuple(tensors))


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors = [_as_tensor(t) for t in tensors]
    if any(t.shape != tensors[0].shape for t in tensors):
        raise RuntimeError(f"stack expects each tensor to be equal size, but got {[tuple(t.shape) for t in tensors]}")
    d = _normalize_dim(dim, tensors[0].dim() + 1)
    result = cat([t.unsqueeze(d) for t in tensors], d)
    result._grad_fn = _node("StackBackward0", "stack", tuple(tensors)) if result._grad_fn else None
    return result


def where(condition: Tensor, a: Any, b: Any) -> Tensor:
    """Elementwise a where condition holds, else b."""
    condition, a, b = _as_tensor(condition), _as_tensor(a), _as_tensor(b)
    shape = broadcast_shapes(broadcast_shapes(condition.shape, a.shape), b.shape)
    c = [condition._values[i].data for i in _broadcast_index(condition.shape, shape)]
    av = [a._values[i] for i in _broadcast_index(a.shape, shape)]
    bv = [b._values[i] for i in _broadcast_index(b.shape, shape)]
    values = [x + 0.0 if keep else y + 0.0 for keep, x, y in zip(c, av, bv)]
    return a._result(values, shape, "WhereBackward0", "where", (a, b), _promote(a, b))


# --- printing, as torch/_tensor_str.py prints ----------------------------------------------------------
PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    def __init__(self, numbers: list[float], dtype_: dtype) -> None:
        self.floating = dtype_.is_floating_point
        self.kind = dtype_
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        if not self.floating:
            for x in numbers:
                self.max_width = max(self.max_width, len(self._plain(x)))
            return
        finite = [x for x in numbers if math.isfinite(x) and x != 0]
        if not finite:
            return
        magnitudes = [abs(x) for x in finite]
        low, high = min(magnitudes), max(magnitudes)
        self.int_mode = all(x == math.ceil(x) for x in finite)
        self.sci_mode = high / low > 1000.0 or high > 1.0e8 or (not self.int_mode and low < 1.0e-4)
        for x in finite:
            if self.sci_mode:
                width = len(f"{x:.{PRECISION}e}")
            elif self.int_mode:
                width = len(f"{x:.0f}") + 1
            else:
                width = len(f"{x:.{PRECISION}f}")
            self.max_width = max(self.max_width, width)

    def _plain(self, x: float) -> str:
        return str(bool(x)) if self.kind is bool_ else str(int(x))

    def format(self, x: float) -> str:
        if not self.floating:
            text = self._plain(x)
        elif self.sci_mode:
            text = f"{x:{self.max_width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{x:.0f}" + ("" if math.isinf(x) or math.isnan(x) else ".")
        else:
            text = f"{x:.{PRECISION}f}"
        return " " * (self.max_width - len(text)) + text


def _summarized(t: Tensor) -> list[float]:
    """The numbers that will be shown (the edges of large tensors)."""
    if t.dim() == 0:
        return [t._values[0].data]
    rows = range(t.shape[0])
    if t.numel() > THRESHOLD and t.shape[0] > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + list(range(t.shape[0] - EDGEITEMS, t.shape[0]))
    if t.dim() == 1:
        return [t._values[i].data for i in rows]
    return [x for i in rows for x in _summarized(t[i])]


def _body(t: Tensor, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if t.dim() == 0:
        return formatter.format(t._values[0].data)
    if t.dim() == 1:
        per_line = max(1, (LINEWIDTH - indent) // (formatter.max_width + 2))
        numbers = [v.data for v in t._values]
        if summarize and len(numbers) > 2 * EDGEITEMS:
            items = [formatter.format(x) for x in numbers[:EDGEITEMS]] + [" ..."] + \
                    [formatter.format(x) for x in numbers[-EDGEITEMS:]]
        else:
            items = [formatter.format(x) for x in numbers]
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(t.shape[0])
    if summarize and t.shape[0] > 2 * EDGEITEMS:
        slices = [_body(t[i], indent + 1, summarize, formatter) for i in range(EDGEITEMS)] + ["..."] + \
                 [_body(t[i], indent + 1, summarize, formatter) for i in range(t.shape[0] - EDGEITEMS, t.shape[0])]
    else:
        slices = [_body(t[i], indent + 1, summarize, formatter) for i in rows]
    return "[" + ("," + "\n" * (t.dim() - 1) + " " * (indent + 1)).join(slices) + "]"


def _tensor_repr(t: Tensor) -> str:
    prefix, indent = "tensor(", len("tensor(")
    suffixes = []
    if t.numel() == 0:
        if t.dim() != 1:
            suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype is not float32:
            suffixes.append(f"dtype={t.dtype!r}")
        body = "[]"
    else:
        if t.dtype not in DEFAULT_DTYPES:
            suffixes.append(f"dtype={t.dtype!r}")
        summarize = t.numel() > THRESHOLD
        body = _body(t, indent, summarize, _Formatter(_summarized(t), t.dtype))
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(t.grad_fn).__name__}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"


# --- Function.apply, autograd.grad and func see inside Tensors ----------------------------------------
def _flatten(t: Tensor) -> tuple[list[Value], tuple]:
    return list(t._values), (tuple(t.shape), t._dtype)


def _unflatten(aux: tuple, values: list[Value]) -> Tensor:
    shape, dtype_ = aux
    return Tensor(list(values), shape, dtype_ if dtype_.is_floating_point else float32)


register_container(Tensor, _flatten, _unflatten)


def _module_function(name: str) -> Callable:
    method = getattr(Tensor, name)

    def function(t: Any, *args: Any, **kwargs: Any) -> Any:
        return method(_as_tensor(t), *args, **kwargs)
    function.__name__, function.__doc__ = name, method.__doc__
    return function


# torch.exp(x), torch.sum(x, dim=0)... are the methods called as functions (the package exports
# these names; they are kept out of this module's namespace, where sum and max are the builtins)
FUNCTIONS: dict[str, Callable] = {
    name: _module_function(method) for name, method in {
        **{n: n for n in ("exp", "log", "tanh", "sigmoid", "relu", "sin", "cos", "sqrt", "abs", "sum", "mean",
                          "prod", "norm", "reshape", "flatten", "transpose", "t", "unsqueeze", "squeeze", "permute",
                          "clone", "detach", "square", "max", "min", "eq", "ne", "lt", "le", "gt", "ge", "all", "any",
                          "add", "sub", "mul", "div", "pow", "numel", "equal")},
        "neg": "__neg__"}.items()}
FUNCTIONS["is_tensor"] = lambda x: isinstance(x, Tensor)
