"""The Tensor class: an n-dimensional array whose elements are Values.

Every tensor operation is made of scalar operations on the elements, so the vector chain
rule can be watched element by element: ``y = 2 * dot(x, x)`` is three multiplications and
their sums in the Value graph.  Beside that graph each result keeps its tensor-level history
(``history.py``) for ``grad_fn`` names and the tensor view of drawings.

Data are Python floats (float64 arithmetic); ``dtype`` decides printing and which tensors
may require grad.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable, Sequence

from ..core import rules
from ..autograd.reverse import backward as autograd_backward
from ..core.value import Value, apply, as_float
from ..core.errors import NotSupported, NotSupportedAttribute
from ..core.modes import is_grad_enabled
from ..core.nodes import LEAF, BackwardNode
from ..pytree import register_container
from .dtypes import bool_, dtype, float32, float32_numbers, int64, promote, round_to_float32
from .history import NO_GRAD, NoGrad, constant_value, tensor_node
from .conversion import ConversionMethods
from .indexing import IndexingMethods
from .inplace import InPlaceMethods
from .linalg import LinalgMethods
from .reductions import ReductionMethods
from .shapes import Size, broadcast_index, broadcast_shapes, nested_numbers, normalize_dim
from .views import ViewMethods

INTEGER_SAFE = (
    "neg",
    "abs",
    "relu",
    "clamp",
)  # keep an integer tensor's dtype; the others make floats


def legacy_arguments(*args: Any, dtype_: dtype = float32) -> tuple[list[Value], tuple, dtype, None]:
    """PyTorch's legacy constructor, ``torch.Tensor(data)`` or ``torch.Tensor(*sizes)`` (zeros here,
    where PyTorch leaves memory uninitialized), as the arguments of Tensor's own constructor."""
    given = [
        a for a in args if a is not None and a is not float32
    ]  # float32: the default of Tensor's dtype_
    if given and all(isinstance(a, int) and not isinstance(a, bool) for a in given):
        shape = tuple(given)
        return [constant_value(0.0) for _ in range(math.prod(shape))], shape, dtype_, None
    if len(given) == 1:
        made = from_data(given[0], dtype_, False)
        return made._values, made._shape, dtype_, None
    raise TypeError(
        f"torch.Tensor() takes data (a list of numbers) or sizes (whole numbers), got {given!r}; "
        "torch.tensor(data) is the function to use"
    )


class Tensor(
    ConversionMethods, ViewMethods, IndexingMethods, ReductionMethods, LinalgMethods, InPlaceMethods
):
    """An n-dimensional array of Values (PyTorch's ``torch.Tensor``).

    The class is written in parts, one idea each: this module (attributes, elementwise
    arithmetic, comparisons, copies, backward) and the methods of
    ``conversion.py``, ``views.py``, ``indexing.py``, ``reductions.py``, ``linalg.py`` and
    ``inplace.py``.  The elementwise
    functions of the table (``exp``, ``relu``, ``clamp``...) are added after the class.
    """

    handles_values = True  # Value * Tensor: Value lets Tensor.__rmul__ answer
    __array_priority__ = 1000  # numpy scalar * Tensor: numpy lets Tensor answer too

    def __init__(
        self, values: Any = (), shape: Any = None, dtype_: Any = float32, node: Any = None
    ) -> None:
        if shape is None or isinstance(shape, int):  # torch.Tensor([1, 2]) or torch.Tensor(2, 3)
            values, shape, dtype_, node = legacy_arguments(values, shape, dtype_, node)
        self._values = values
        self._shape = Size(shape)
        self._dtype = dtype_
        self._grad_fn = node
        self._alias: tuple[Tensor, str] | None = None  # .grad or .data of another tensor
        self.label = ""  # its name in drawings

    # --- attributes --------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The sizes of the dimensions, as a torch.Size."""
        return self._shape

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the size of dimension `dim`."""
        return self._shape if dim is None else self._shape[normalize_dim(dim, self.dim())]

    def dim(self) -> int:
        """The number of dimensions."""
        return len(self._shape)

    ndim = property(dim)

    def numel(self) -> int:
        """The number of elements."""
        return len(self._values)

    @property
    def dtype(self) -> dtype:
        """The element type (float32, float64, int64, bool)."""
        return self._dtype

    @property
    def requires_grad(self) -> bool:
        """True if gradients flow to this tensor."""
        return any(v._node is not None for v in self._values)

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        """True if gradients flow to this tensor."""
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Make this leaf tensor a variable (True) or a constant (False); returns self."""
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        for v in self._values:
            v.requires_grad_(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors you created (not the result of a recorded operation)."""
        return self.grad_fn is None

    @property
    def grad_fn(self) -> BackwardNode | None:
        """The tensor's backward node (MulBackward0...), None for a leaf."""
        if self._grad_fn is not None:
            return self._grad_fn
        first = self._values[0]._node if self._values else None
        if first is None or first is LEAF or not all(v._node is first for v in self._values):
            return None
        return self._values[0].grad_fn  # made by one Function.apply, or one primitive on each

    @property
    def grad(self) -> Tensor | None:
        """None until a backward pass reaches this tensor, then a Tensor of its gradients.

        (Unlike PyTorch, intermediate tensors keep their gradients too, for drawings.)
        """
        grads = [v.grad for v in self._values]
        if all(g.__class__ is NoGrad for g in grads) or (
            self._grad_fn is not None and all(g.__class__ is not Value and g == 0.0 for g in grads)
        ):
            return None
        result = Tensor([constant_value(float(g)) for g in grads], self._shape, self._floating())
        result._alias = (self, "grad")
        return result

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        """None until a backward pass reaches this tensor, then a Tensor of ∂L/∂element."""
        if value is None:
            for v in self._values:
                v.grad = NO_GRAD
            return
        value = as_tensor(value)
        if value.shape != self.shape:
            raise RuntimeError(
                f"assigned grad has data of a different size: {tuple(value.shape)} and {tuple(self.shape)}"
            )
        for v, g in zip(self._values, value._values):
            v.grad = g.data

    @property
    def data(self) -> Tensor:
        """The same numbers without history; in-place changes to it change this tensor."""
        result = self.detach()
        result._alias = (self, "data")
        return result

    @data.setter
    def data(self, value: Any) -> None:
        """``w.data = new`` replaces the numbers, keeping w's identity and history, as in PyTorch;
        ``w.data -= lr * w.grad`` (an in-place change to the alias, then this assignment) too."""
        if isinstance(value, Tensor) and value._alias == (self, "data"):
            return  # w.data -= ...: the alias already wrote its numbers back
        value = as_tensor(value)
        if value.shape != self.shape:
            raise NotSupported(
                f"w.data = ... with a new shape {tuple(value.shape)} (w has {tuple(self.shape)}): "
                "micrograd keeps a tensor's shape; make a new tensor instead"
            )
        for v, x in zip(self._values, value._values):
            v.data = x.data

    @property
    def T(self) -> Tensor:
        """The dimensions in reverse order (the transpose of a matrix)."""
        return self.permute(*reversed(range(self.dim())))

    def _floating(self) -> dtype:
        return self._dtype if self._dtype.is_floating_point else float32

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotSupportedAttribute(
            f"micrograd's Tensor has no '{name}': PyTorch's Tensor.{name} is not "
            "supported here (see the README for what is)"
        )

    # --- making results ----------------------------------------------------------------------------
    def _result(
        self,
        values: list[Value],
        shape: Sequence[int],
        name: str,
        op: str,
        parents: tuple,
        dtype_: dtype | None = None,
        stored: bool = False,
    ) -> Tensor:
        """A new tensor; its history is kept when it requires grad (as PyTorch keeps grad_fn).
        Unless they are `stored` already (a view's), float32 values are rounded to float32."""
        node = None
        if is_grad_enabled() and any(isinstance(p, Tensor) and p.requires_grad for p in parents):
            node = tensor_node(name, op, parents)
        if (dtype_ or self._dtype) is float32 and not stored:
            round_to_float32(values)
        return Tensor(values, shape, dtype_ or self._dtype, node)

    def _same_values(
        self, shape: Sequence[int], name: str, op: str, values: list[Value] | None = None
    ) -> Tensor:
        """A view: the same elements (no new scalar nodes) under another shape or order."""
        return self._result(
            self._values if values is None else values, shape, name, op, (self,), stored=True
        )

    # --- elementwise arithmetic ------------------------------------------------------------------
    def _binary(
        self,
        other: Any,
        combine: Callable,
        prim: rules.Primitive,
        reverse: bool = False,
        dtype_: dtype | None = None,
        grad_fn: str | None = None,
    ) -> Tensor:
        """Elementwise `combine` of self and other, broadcast; the result is named after `prim`
        (or `grad_fn`)."""
        other_tensor = as_tensor(other, like=self)
        a, b = (other_tensor, self) if reverse else (self, other_tensor)
        shape = broadcast_shapes(a.shape, b.shape)
        av = (
            a._values
            if a.shape == shape
            else [a._values[i] for i in broadcast_index(a.shape, shape)]
        )
        bv = (
            b._values
            if b.shape == shape
            else [b._values[i] for i in broadcast_index(b.shape, shape)]
        )
        number = None if isinstance(other, (Tensor, Value)) else as_float(other)
        if number is not None and reverse:  # a number on the left: keep it a number
            values = [combine(number, y) for y in bv]
        elif number is not None:
            values = [combine(x, number) for x in av]
        else:
            values = list(map(combine, av, bv))
        result_dtype = dtype_ or promote(a._dtype, b._dtype)
        # a number is an input without history, (None, 0) among next_functions, unless it is a
        # constant of the operation (x ** 2, 1 - x: PowBackward0 and RsubBackward1 have one input)
        parents = (a, b) if number is None else (self,) if prim.constant else (self, None)
        symbol = (
            prim.label(number)
            if number is not None and prim.constant
            else prim.symbol.replace("{c}", "")
        )
        return self._result(
            values, shape, grad_fn or prim.grad_fn_name, symbol, parents, result_dtype
        )  # t ** 2: "**2"

    # the grad_fn names are the table's (rules.py), as PyTorch names the same operations
    def __add__(self, other):
        return self._binary(other, operator.add, rules.ADD)

    def __radd__(self, other):
        return self._binary(other, operator.add, rules.ADD, reverse=True)

    def __sub__(self, other):
        return self._binary(other, operator.sub, rules.SUB)

    def __rsub__(self, other):
        return self._binary(other, operator.sub, rules.RSUB_CONSTANT, reverse=True)

    def __mul__(self, other):
        return self._binary(other, operator.mul, rules.MUL)

    def __rmul__(self, other):
        return self._binary(other, operator.mul, rules.MUL, reverse=True)

    def __truediv__(self, other):
        return self._binary(other, operator.truediv, rules.DIV, dtype_=self._floating())

    def __rtruediv__(self, other):  # PyTorch computes number / t as number * t⁻¹: MulBackward0
        return self._binary(
            other,
            operator.truediv,
            rules.DIV,
            reverse=True,
            dtype_=self._floating(),
            grad_fn="MulBackward0",
        )

    def __pow__(self, other):
        return self._binary(
            other, operator.pow, rules.POW if isinstance(other, Tensor) else rules.POW_CONSTANT
        )

    def __rpow__(self, other):
        return self._binary(other, operator.pow, rules.RPOW_CONSTANT, reverse=True)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __neg__(self):
        return self.neg()

    def __matmul__(self, other):
        return self.matmul(other)

    def __rmatmul__(self, other):
        return as_tensor(other).matmul(self)

    add, sub, mul, div, pow = __add__, __sub__, __mul__, __truediv__, __pow__
    multiply, subtract, divide, true_divide = mul, sub, div, div

    def _elementwise(self, prim: rules.Primitive, constants: tuple | None, grad_fn: str) -> Tensor:
        """`prim` (a function of the table) applied to every element."""
        if not self._dtype.is_floating_point and prim.name not in INTEGER_SAFE:
            return self.float()._elementwise(prim, constants, grad_fn)
        values = [apply(prim, v, constants) for v in self._values]
        return self._result(values, self._shape, grad_fn, prim.symbol, (self,))

    def square(self) -> Tensor:
        """x², elementwise (PyTorch records it as x ** 2: PowBackward0)."""
        return self._binary(2, operator.pow, rules.POW_CONSTANT)

    # --- comparisons: constant bool tensors ----------------------------------------------------
    def _compare(self, other: Any, test: Callable[[float, float], bool]) -> Tensor:
        b = as_tensor(other, like=self)
        shape = broadcast_shapes(self.shape, b.shape)
        av = [self._values[i].data for i in broadcast_index(self.shape, shape)]
        bv = [b._values[i].data for i in broadcast_index(b.shape, shape)]
        return Tensor([constant_value(float(test(x, y))) for x, y in zip(av, bv)], shape, bool_)

    def __eq__(self, other):
        return self._compare(other, operator.eq)

    def __ne__(self, other):
        return self._compare(other, operator.ne)

    def __lt__(self, other):
        return self._compare(other, operator.lt)

    def __le__(self, other):
        return self._compare(other, operator.le)

    def __gt__(self, other):
        return self._compare(other, operator.gt)

    def __ge__(self, other):
        return self._compare(other, operator.ge)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    __hash__ = object.__hash__

    def isclose(
        self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|self − other| ≤ atol + rtol·|other|, elementwise (nan equal to nan only with equal_nan)."""

        def close(x: float, y: float) -> bool:
            if math.isnan(x) or math.isnan(y):
                return equal_nan and math.isnan(x) and math.isnan(y)
            return x == y or abs(x - y) <= atol + rtol * abs(y)

        return self._compare(other, close)

    def allclose(
        self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """True if every element is close: ``isclose(...).all()`` as a Python bool."""
        return bool(self.isclose(other, rtol, atol, equal_nan).all())

    def equal(self, other: Tensor) -> bool:
        """True if both tensors have the same shape and elements."""
        return self.shape == as_tensor(other).shape and bool(self.eq(other).all())

    def all(self) -> Tensor:
        """True if every element is non-zero (a bool tensor)."""
        return Tensor([constant_value(float(all(v.data for v in self._values)))], (), bool_)

    def any(self) -> Tensor:
        """True if some element is non-zero (a bool tensor)."""
        return Tensor([constant_value(float(any(v.data for v in self._values)))], (), bool_)

    # --- copies -----------------------------------------------------------------------------------
    def detach(self) -> Tensor:
        """A new constant tensor with the same numbers, cut off from the graph."""
        return Tensor([constant_value(v.data) for v in self._values], self._shape, self._dtype)

    def detach_(self) -> Tensor:
        """Cut this tensor off from the graph, in place."""
        self._values, self._grad_fn = [constant_value(v.data) for v in self._values], None
        return self

    def clone(self) -> Tensor:
        """A copy that stays in the graph: ∂copy/∂x = 1."""
        return self._result(
            [v + 0.0 if v.requires_grad else constant_value(v.data) for v in self._values],
            self._shape,
            "CloneBackward0",
            "clone",
            (self,),
        )

    # --- differentiation -------------------------------------------------------------------------
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into the .grad of every leaf that requires grad."""
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None and self.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if gradient is not None:
            gradient = as_tensor(gradient)
            if gradient.shape != self.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape!r} and "
                    f"output[0] has a shape of {self.shape!r}."
                )
        autograd_backward(
            [self], [gradient], retain_graph=retain_graph, create_graph=create_graph, inputs=inputs
        )

    def register_hook(self, hook: Callable[[Tensor], Any]) -> Any:
        """Not supported on tensors: register hooks on the element Values."""
        raise NotSupported(
            "Tensor.register_hook is not supported: register hooks on the element Values"
        )

    def retain_grad(self) -> None:
        """Intermediate tensors always keep their gradients in micrograd: nothing to do."""

    # Jacobians for micrograd.func: entries columns[j][i] = ∂outᵢ/∂xⱼ, shape out.shape + x.shape
    def _coerce(self, x: Any) -> Tensor:
        """x (a number, Value, list or Tensor) as a Tensor, numbers taking this tensor's kind."""
        return as_tensor(x, like=self)

    @staticmethod
    def _jacobian(out: Any, x: Any, columns: list[list[Any]]) -> Tensor:
        out_shape = tuple(out.shape) if isinstance(out, Tensor) else ()
        x_shape = tuple(x.shape) if isinstance(x, Tensor) else ()
        entries = [
            columns[j][i]
            for i in range(len(columns[0]) if columns else 0)
            for j in range(len(columns))
        ]
        values = [e if isinstance(e, Value) else constant_value(float(e)) for e in entries]
        kind = (
            out.dtype if isinstance(out, Tensor) else x.dtype if isinstance(x, Tensor) else float32
        )
        if kind is float32:
            round_to_float32(values)  # torch.func's Jacobian has the output's dtype
        return Tensor(values, out_shape + x_shape, kind)


Tensor._plain = Tensor  # what methods make: a Tensor, also from a subclass such as nn.Parameter


# --- numbers, lists and Values as tensors ------------------------------------------------------------
def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """x as a Tensor: a Tensor as it is, a Value or number as a 0-dim tensor, nested lists as data."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Value):
        return Tensor([x], (), float32)
    number = as_float(x)
    if number is not None:
        kind = (
            float32
            if isinstance(x, float) or (like is not None and like._dtype.is_floating_point)
            else (bool_ if isinstance(x, bool) else int64)
        )
        return Tensor([constant_value(number)], (), kind)
    if isinstance(x, (list, tuple)) or hasattr(x, "tolist"):
        return from_data(x)
    raise TypeError(
        f"unsupported operand type for a Tensor operation: {type(x).__name__} ({x!r:.40})"
    )


def leaf_tensor(
    numbers: list[float], shape: Sequence[int], dtype_: dtype, requires_grad: bool
) -> Tensor:
    """A leaf tensor of these numbers: each element a Value that requires grad if asked."""
    if requires_grad and not dtype_.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    values = []
    for x in float32_numbers(numbers) if dtype_ is float32 else numbers:
        v = Value(x, requires_grad=requires_grad)
        v.grad = NO_GRAD
        values.append(v)
    return Tensor(values, shape, dtype_)


def from_data(data: Any, dtype_: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A leaf tensor from nested lists of numbers, its dtype inferred as torch infers it."""
    flat, shape = nested_numbers(data)
    numbers = []
    for x in flat:
        number = x.data if isinstance(x, Value) else as_float(x)
        if number is None:
            raise TypeError(f"tensor() needs numbers, got {x!r} of type {type(x).__name__}")
        numbers.append(number)
    if dtype_ is None:
        if all(isinstance(x, bool) for x in flat) and flat:
            dtype_ = bool_
        elif (
            all(isinstance(x, int) or (hasattr(x, "dtype") and "int" in str(x.dtype)) for x in flat)
            and flat
        ):
            dtype_ = int64
        else:
            dtype_ = float32
    if dtype_ is int64:
        numbers = [float(math.trunc(x)) for x in numbers]
    return leaf_tensor(numbers, shape, dtype_, requires_grad)


def _elementwise_method(
    prim: rules.Primitive, grad_fn: str, fixed: str | None = None
) -> Callable[..., Tensor]:
    """Tensor.<name> for a function of the table: t.exp(), t.clamp(min=0); with `fixed`, the
    variant that sets one constant (t.clamp_min(0))."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if fixed is not None:
            kwargs = {fixed: args[0] if args else kwargs.pop(fixed)}
            args = ()
        return self._elementwise(prim, prim.bind(args, kwargs), grad_fn)

    method.__name__ = method.__qualname__ = fixed and f"{prim.name}_{fixed}" or prim.name
    method.__doc__ = f"{prim.name}, elementwise: {prim.math}"
    return method


def _in_place_method(method: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """Tensor.<name>_ : the method `method`, in place (t.exp_())."""

    def in_place(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return self._take(method(self, *args, **kwargs))

    in_place.__name__ = in_place.__qualname__ = method.__name__ + "_"
    in_place.__doc__ = f"{method.__name__}, in place."
    return in_place


# Tensor.exp, Tensor.log, ..., Tensor.clamp, Tensor.clamp_min, Tensor.clamp_max: one method per
# function of the table, named and recorded as the table says; and each in place (exp_, clamp_).
for _primitive in rules.UNARY.values():
    for _name, _grad_fn, _fixed in [
        (_primitive.name, _primitive.grad_fn_name, None),
        *_primitive.variants,
    ]:
        setattr(Tensor, _name, _elementwise_method(_primitive, _grad_fn, _fixed))
        setattr(Tensor, _name + "_", _in_place_method(getattr(Tensor, _name)))


# --- Function.apply, autograd.grad and func see inside Tensors ----------------------------------------
def _flatten(t: Tensor) -> tuple[list[Value], tuple]:
    return list(t._values), (tuple(t.shape), t._dtype)


def _unflatten(aux: tuple, values: list[Value]) -> Tensor:
    shape, dtype_ = aux
    return Tensor(list(values), shape, dtype_ if dtype_.is_floating_point else float32)


register_container(Tensor, _flatten, _unflatten)
