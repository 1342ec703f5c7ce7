"""The Tensor class: an n-dimensional array whose elements are Values.

Every tensor operation is made of scalar operations on the elements, so the vector chain
rule can be watched element by element: ``y = 2 * dot(x, x)`` is three multiplications and
their sums in the Value graph.  Beside that graph each result keeps its tensor-level history
(``history.py``) for ``grad_fn`` names and the tensor view of drawings.

A tensor is a view (shape, strides, offset) of a ``Storage`` of Values (``storage.py``), as in
PyTorch: views share the storage, in-place writes go into it, and its version counter lets
backward refuse values that changed after an operation saved them.

Data are Python floats (float64 arithmetic); ``dtype`` decides printing and which tensors
may require grad.
"""

from __future__ import annotations

import copy
import math
import operator
import warnings
from typing import Any, Callable, Sequence

from ..core import rules
from ..autograd.reverse import backward as autograd_backward
from ..autograd.hooks import run_post_accumulate_hooks
from ..core.value import Value, apply, as_float
from ..core.errors import NotSupported, NotSupportedAttribute
from ..core.modes import is_grad_enabled, is_inference_mode_enabled
from ..core.nodes import LEAF, BackwardNode
from ..pytree import register_container
from .dtypes import bool_, dtype, float32, float64, round_to_float32
from .dtypes import arithmetic_operand, cast_for_storage, cast_number, check_arithmetic
from .dtypes import INT64_MAX, INT64_MIN, check_bool_function, scalar_argument
from .dtypes import data_dtype, floating, integer_pow, integer_results, result_type
from .history import NO_GRAD, NoGrad, check_versions, constant_value, free_saved
from .history import reachable_leaves, unpack_saved
from .history import multi_view_message, remember_saved, tensor_node, walk
from .saved import INFERENCE_REQUIRES_GRAD_ERROR, refuse_inference_saved
from .elements import cast_values, copies, element_values
from .storage import Storage, VersionCounter, contiguous_strides, is_contiguous, slots
from .conversion import ConversionMethods
from .indexing import IndexingMethods
from .inplace import InPlaceMethods
from .linalg import LinalgMethods
from .reductions import ReductionMethods
from .activations import ActivationMethods
from .ordering import OrderingMethods
from .scattering import ScatteringMethods
from .choosing import ChoosingMethods
from .rounding import RoundingMethods
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
    ConversionMethods,
    ViewMethods,
    IndexingMethods,
    ReductionMethods,
    LinalgMethods,
    InPlaceMethods,
    ActivationMethods,
    OrderingMethods,
    ScatteringMethods,
    ChoosingMethods,
    RoundingMethods,
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

    # What a new tensor that owns a fresh storage has; views and aliases set their own.
    _grad_tensor: Tensor | None = None  # the .grad handed out: the same object until cleared
    _base: Tensor | None = None  # the tensor whose storage a view shows (PyTorch's t._base)
    _slot_list: Sequence[int] | None = None  # storage positions, row-major; None: all, in order
    _detached = False  # elements read as constants: detach(), .data, views made under no_grad
    _no_grad_view = False  # a view of a tensor that requires grad, made under no_grad
    _made_in_no_grad = False  # a view made under no_grad (or a view of one)
    _multi_view = ""  # "Output 1 of Split"...: a view from a function returning several views
    _tracked = True  # in-place writes count in the version (not w.data = ..., as in PyTorch)
    _counter = None  # a .data alias's own VersionCounter (None: the storage counts)
    _view_version = 0  # the storage's version when this view's grad_fn was made
    _retains_grad = False  # retain_grad() was called: .grad of a non-leaf is kept
    _cached: tuple[int, list] | None = None  # a view's elements, as of the storage's writes
    _leaf_requires_grad: bool | None = None  # set by requires_grad_ (empty tensors need it)
    _reached = False  # a backward pass reached this leaf
    _inference = False  # made inside inference_mode() (or a view of such a tensor)

    def __init__(
        self, values: Any = (), shape: Any = None, dtype_: Any = float32, node: Any = None
    ) -> None:
        if shape is None or isinstance(shape, int):  # torch.Tensor([1, 2]) or torch.Tensor(2, 3)
            values, shape, dtype_, node = legacy_arguments(values, shape, dtype_, node)
        self._storage = Storage(values if isinstance(values, list) else list(values))
        self._shape = Size(shape)
        self._strides = contiguous_strides(self._shape)
        self._offset = 0
        self._dtype = dtype_
        self._grad_fn = node
        self.label = ""  # its name in drawings
        if is_inference_mode_enabled():
            self._inference = True

    # --- the storage -------------------------------------------------------------------------
    @property
    def _values(self) -> list[Value]:
        """The elements, in row-major order of the index (constants if detached)."""
        storage = self._storage
        if self._slot_list is None and not self._detached:
            return storage.values
        cached = self._cached
        if cached is not None and cached[0] == storage.writes:
            return cached[1]
        stored = storage.values
        elements = stored if self._slot_list is None else [stored[i] for i in self._slot_list]
        if self._detached:
            elements = [constant_like(v) for v in elements]
        self._cached = (storage.writes, elements)
        return elements

    def _slots(self) -> Sequence[int]:
        """The storage position of each element, in row-major order of the index."""
        return range(self.numel()) if self._slot_list is None else self._slot_list

    def _view(
        self,
        shape: Sequence[int],
        strides: Sequence[int],
        offset: int,
        name: str,
        op: str,
        multi: str = "",
    ) -> Tensor:
        """A tensor on this storage with other strides: PyTorch's view, named `name`."""
        view = object.__new__(self._plain)
        view._storage, view._shape = self._storage, Size(shape)
        view._strides, view._offset = tuple(strides), offset
        view._dtype, view._grad_fn, view.label = self._dtype, None, ""
        view._base = self if self._base is None else self._base
        if (
            tuple(strides) != contiguous_strides(shape)
            or offset
            or (math.prod(shape) != len(self._storage.values))
        ):
            view._slot_list = slots(shape, strides, offset)
        view._view_version = self._storage.version
        view._detached, view._tracked = self._detached, self._tracked
        view._counter = self._counter
        view._inference = self._inference
        if self._made_in_no_grad or not is_grad_enabled():
            view._made_in_no_grad = True
        view._multi_view = multi or self._multi_view  # a view of one is refused as it is
        if self._no_grad_view:  # a view of one made under no_grad is one too
            if is_grad_enabled() and name:  # (detach() is not refused: name "")
                raise NotSupported(NO_GRAD_VIEW_USED)
            view._no_grad_view = True
        elif name and self._base is not None and is_grad_enabled() and self._leaf_of_its_own:
            raise NotSupported(EARLY_VIEW_USED)
        elif name and self.requires_grad:  # (detach(), name "", has no history)
            if is_grad_enabled():
                view._grad_fn = tensor_node(name, op, (self,))
            else:
                view._detached = view._no_grad_view = True
        return view

    def stride(self, dim: int | None = None) -> Any:
        """How many storage slots apart neighbours along each dimension are."""
        return self._strides if dim is None else self._strides[normalize_dim(dim, self.dim())]

    def storage_offset(self) -> int:
        """Where the first element lies in the storage."""
        return self._offset

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True if the elements lie in the storage in row-major order without gaps."""
        return is_contiguous(self._shape, self._strides)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """The tensor itself if contiguous, else a contiguous copy (``clone``)."""
        return self if self.is_contiguous() else self.clone()

    def data_ptr(self) -> int:
        """An address for the first element: equal for tensors that share it (a teaching aid;
        the storage is a Python list, not memory)."""
        return id(self._storage) + self._offset * (
            8 if self._dtype.name in ("float64", "int64") else 4
        )

    def untyped_storage(self) -> Storage:
        """The storage the tensor shows (its ``values`` are the element Values)."""
        return self._storage

    @property
    def _version(self) -> int:
        """How many in-place writes the storage has had (PyTorch's version counter; a .data
        alias has one of its own)."""
        return (self._counter or self._storage).version

    def _is_view(self) -> bool:
        """True for a view of another tensor's storage."""
        return self._base is not None

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
        return math.prod(self._shape)

    @property
    def dtype(self) -> dtype:
        """The element type (float32, float64, int64, bool)."""
        return self._dtype

    @property
    def requires_grad(self) -> bool:
        """True if gradients flow to this tensor: a leaf made to, or a result of one."""
        if self._no_grad_view:
            return True  # PyTorch makes it a leaf that requires grad (see _result)
        if self._detached:
            return False
        if self._grad_fn is not None:
            return True
        if self._base is not None:  # made when the base did not require grad: as the base now
            return self._base.requires_grad
        if self._leaf_requires_grad is not None:
            return self._leaf_requires_grad
        return any(v._node is not None for v in self._values)

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        """True if gradients flow to this tensor."""
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Make this leaf tensor a variable (True) or a constant (False); returns self."""
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._inference and not is_inference_mode_enabled():
            raise RuntimeError(INFERENCE_REQUIRES_GRAD_ERROR)
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and (self._detached or self._base is not None):
            self._own_elements()  # a view here is of a tensor that does not require grad
        if requires_grad and not self.requires_grad:
            self._new_leaf_elements()
        for v in self._values:
            v.requires_grad_(requires_grad)
        self._leaf_requires_grad = requires_grad
        return self

    def _new_leaf_elements(self) -> None:
        """New Values in this tensor's storage slots, that no backward pass has reached (.grad
        None), for a tensor made to require grad: what was computed from it before used its
        old, constant Values, and stays out of its gradient, as in PyTorch (its views share
        the storage, so they see the new ones)."""
        stored = self._storage.values
        for s in self._slots():
            stored[s] = constant_value(stored[s].data)
        self._storage.writes += 1  # the views' lists of their elements are out of date
        self._cached = None

    def _own_elements(self) -> None:
        """Give this alias (from detach() or .data, or a view of a tensor that does not require
        grad) elements of its own: a Value holds both a number and a gradient, so a leaf that
        requires grad cannot share another's Values."""
        values = element_values([v.data for v in self._values], self._dtype)
        self._storage, self._slot_list, self._cached = Storage(values), None, None
        self._strides, self._offset = contiguous_strides(self._shape), 0
        self._base, self._detached, self._no_grad_view, self._tracked = None, False, False, True
        self._counter = None

    @property
    def _leaf_of_its_own(self) -> bool:
        """True for a view PyTorch makes a leaf that requires grad of its own, sharing its
        base's elements: one made under no_grad of a tensor that requires grad, or made before
        its base was made to require grad.  Nothing can be computed from it with grad on."""
        if self._no_grad_view:
            return True
        base = self._base
        return (
            base is not None and not self._detached and base.requires_grad and self.grad_fn is None
        )

    def is_inference(self) -> bool:
        """True for a tensor made inside ``inference_mode()``."""
        return self._inference

    @property
    def is_leaf(self) -> bool:
        """True for tensors you created (not the result of a recorded operation)."""
        return self.grad_fn is None

    @property
    def grad_fn(self) -> BackwardNode | None:
        """The tensor's backward node (MulBackward0...), None for a leaf.

        A view whose storage was written since it was made shows the base's new state, as
        PyTorch's ``AsStridedBackward0``."""
        if self._base is not None and self._view_version != self._storage.version:
            if self._no_grad_view or (
                self._made_in_no_grad and not self._detached and self._base.requires_grad
            ):
                raise RuntimeError(NO_GRAD_VIEW_MODIFIED)
            if self._multi_view and not self._detached and self._base.requires_grad:
                raise RuntimeError(multi_view_message(self._multi_view, True))
            if not self._detached and self._base.requires_grad:  # (else: later, if it comes to)
                self._view_version = self._storage.version
                self._grad_fn = tensor_node("AsStridedBackward0", "as_strided", (self._base,))
        if self._grad_fn is not None or self._detached:
            return self._grad_fn
        first = self._values[0]._node if self._values else None
        if first is None or first is LEAF or not all(v._node is first for v in self._values):
            return None
        return self._values[0].grad_fn  # made by one Function.apply, or one primitive on each

    @property
    def grad(self) -> Tensor | None:
        """None until a backward pass reaches this leaf, then a Tensor of its gradients.

        As in PyTorch, a tensor computed from others (not a leaf) has no ``.grad`` unless
        ``retain_grad()`` was called on it: reading it warns and gives None.  (Its elements,
        Values, keep their gradients all the same: drawings show them.)
        """
        try:
            leaf = self.is_leaf
        except RuntimeError:  # a view whose history an in-place write made invalid: not a leaf
            leaf = False
        if not self._retains_grad and not leaf:
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
            return None
        if self._leaf_of_its_own:
            return None  # no backward pass reaches it
        return self._held_gradient()

    def _held_gradient(self) -> Tensor | None:
        """The .grad tensor, one object as in PyTorch (``w.grad is w.grad``; a backward pass
        accumulates into it in place): its numbers are the elements' gradients, refreshed here,
        and a write into it, or into a view of it, goes back to them (``_write_back``)."""
        made = self._gradient()
        if made is None:
            self._grad_tensor = None
            return None
        held = self._grad_tensor
        if any(v._node is not None for v in made._values):  # create_graph: a graph, not numbers
            return made
        if held is None or held.shape != made.shape or held._slot_list is not None:
            self._grad_tensor = made
            return made
        for mine, x in zip(held._storage.values, made._storage.values):
            mine.data = x.data
        held._storage.writes += 1
        return held

    def _gradient(self) -> Tensor | None:
        """The elements' gradients as a tensor (None if no backward pass reached them), for a
        leaf or not: what drawings show."""
        grads = [v.grad for v in self._values]
        if not grads:
            return Tensor([], self._shape, self._floating()) if self._reached else None
        untouched = all(g.__class__ is not Value and g == 0.0 for g in grads)
        if all(g.__class__ is NoGrad for g in grads) or (
            untouched and (self._grad_fn is not None or not self.requires_grad)
        ):
            return None
        numbers = [constant_value(float(g)) for g in grads if g.__class__ is not Value]
        if self._dtype is float32:
            round_to_float32(numbers)  # summed in float64, shown as the float32 PyTorch holds
            # (and a graph of gradients this backward pass made, with create_graph)
            round_to_float32([g for g in grads if g.__class__ is Value])
        made = iter(numbers)
        result = Tensor(
            [g if g.__class__ is Value else next(made) for g in grads],
            self._shape,
            self._floating(),
        )
        result._storage.grad_of = self
        return result

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        """None until a backward pass reaches this tensor, then a Tensor of ∂L/∂element."""
        if value is None:
            for v in self._values:
                v.grad = NO_GRAD
            self._grad_tensor = None
            return
        value = as_tensor(value)
        if value.shape != self.shape:
            raise RuntimeError(
                f"assigned grad has data of a different size: {tuple(value.shape)} and {tuple(self.shape)}"
            )
        for v, g in zip(self._values, value._values):
            v.grad = g.data
        if isinstance(value, Tensor) and value._slot_list is None and value._base is None:
            value._storage.grad_of, self._grad_tensor = self, value  # w.grad is that tensor

    @property
    def data(self) -> Tensor:
        """The same elements without history: in-place changes to it change this tensor, and
        (as in PyTorch) they do not count in its version, so autograd does not see them."""
        result = self.detach()
        result._counter = VersionCounter()
        return result

    @data.setter
    def data(self, value: Any) -> None:
        """``w.data = new`` replaces the numbers, keeping w's identity and history, as in PyTorch;
        ``w.data -= lr * w.grad`` (an in-place change to the alias, then this assignment) too."""
        if isinstance(value, Tensor) and value._storage is self._storage and value._counter:
            return  # w.data -= ...: the alias already wrote into w's storage
        value = as_tensor(value)
        if value.shape != self.shape:
            raise NotSupported(
                f"w.data = ... with a new shape {tuple(value.shape)} (w has {tuple(self.shape)}): "
                "micrograd keeps a tensor's shape; make a new tensor instead"
            )
        self._assign([x.data for x in value._values], tracked=False)

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
            for p in parents:
                if isinstance(p, Tensor) and p._base is not None and p._leaf_of_its_own:
                    raise NotSupported(NO_GRAD_VIEW_USED if p._no_grad_view else EARLY_VIEW_USED)
            for p in parents:  # a view written through since it was made: its new grad_fn
                if isinstance(p, Tensor) and p._base is not None:
                    if p._view_version != p._storage.version:
                        p.grad_fn  # refreshed, or PyTorch's refusal raised
            node = tensor_node(name, op, parents)
        if (dtype_ or self._dtype) is float32 and not stored:
            round_to_float32(values)
        result = Tensor(values, shape, dtype_ or self._dtype, node)
        if node is not None:
            remember_saved(node, result)
            refuse_inference_saved(node)
        return result

    def _copy_of(self, values: list[Value], shape: Sequence[int], name: str, op: str) -> Tensor:
        """A new tensor of copies of these elements of self (PyTorch's copies: cat, x[[0, 1]]...):
        new Values, so that writing into one never changes the other; ∂copy/∂x = 1."""
        return self._result(copies(values), shape, name, op, (self,), stored=True)

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
        (or `grad_fn`).  Its dtype is PyTorch's (``result_type``; true division makes floats),
        and both operands are converted to it first, as PyTorch converts them: a number too,
        so ``tensor([0.1]) - 0.1`` is 0.  Integer and bool results are exact Python ints."""
        other_tensor = as_tensor(other, like=self)
        a, b = (other_tensor, self) if reverse else (self, other_tensor)
        shape = broadcast_shapes(a.shape, b.shape)
        av, bv = a._values, b._values
        if a.shape != shape:
            av = [av[i] for i in broadcast_index(a.shape, shape)]
        if b.shape != shape:
            bv = [bv[i] for i in broadcast_index(b.shape, shape)]
        number = None if isinstance(other, (Tensor, Value)) else as_float(other)
        # as_tensor gave a number the dtype of its result with self (``result_type``)
        result_dtype = dtype_ or (
            other_tensor._dtype
            if number is not None
            else result_type(self, numpy_array_or(other, other_tensor))
        )
        if prim is rules.DIV:
            result_dtype = floating(result_dtype)  # true division: int / int is float32
        own = other_tensor._dtype if number is None else result_type(other)  # True is bool
        left, right = (own, self._dtype) if reverse else (self._dtype, own)
        exponent = other if number is not None and not reverse else None  # t ** number
        check_arithmetic(prim.name, left, right, result_dtype, exponent)
        operand = None if number is None else cast_number(other, result_dtype)
        if exponent is not None and prim is rules.POW_CONSTANT and result_dtype.is_floating_point:
            operand = number  # PyTorch's pow keeps a number exponent in float64: (-1) ** 16777217.0
        if not result_dtype.is_floating_point:  # never requires grad: computed on the numbers
            operate = integer_pow if combine is operator.pow else combine
            xs = cast_for_storage([v.data for v in av], result_dtype)  # a number's 0-dim tensor
            ys = cast_for_storage([v.data for v in bv], result_dtype)  # holds it, cast already
            results = integer_results(map(operate, xs, ys), result_dtype)
            values = element_values(results, result_dtype)
        elif operand is not None and reverse:  # a number on the left: keep it a number
            bv = cast_values(bv, b._dtype, result_dtype)
            if prim is rules.DIV:  # PyTorch's c / t is c * t.reciprocal(): two roundings, and
                # it saves the reciprocal, so writing into t or the result later is harmless
                reciprocals = [apply(rules.RECIPROCAL, y) for y in bv]
                if result_dtype is float32:
                    round_to_float32(reciprocals)
                values = [r * operand for r in reciprocals]
            else:
                values = [combine(operand, y) for y in bv]
        elif operand is not None:
            values = [combine(x, operand) for x in cast_values(av, a._dtype, result_dtype)]
        else:
            av = cast_values(av, a._dtype, result_dtype)
            values = list(map(combine, av, cast_values(bv, b._dtype, result_dtype)))
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

    def __truediv__(self, other):  # always floating: _binary makes division's dtype a float
        return self._binary(other, operator.truediv, rules.DIV)

    def __rtruediv__(self, other):  # PyTorch computes number / t as number * t⁻¹: MulBackward0
        return self._binary(
            other, operator.truediv, rules.DIV, reverse=True, grad_fn="MulBackward0"
        )

    def __pow__(self, other):
        if not isinstance(other, Tensor):
            return self._binary(other, operator.pow, rules.POW_CONSTANT)
        result = self._binary(other, operator.pow, rules.POW)
        if other._dtype is bool_ and self.requires_grad and result._grad_fn is not None:
            # ∂/∂x xʸ = y·xʸ⁻¹, and PyTorch's y - 1 of a bool tensor raises, in backward
            result._grad_fn.refusal = BOOL_SUBTRACTION_ERROR
        return result

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

    def add(self, other: Any, alpha: Any = 1) -> Tensor:
        """self + alpha·other (``alpha``, as in PyTorch: ``p.add(g, alpha=-lr)``)."""
        return self + _scaled(other, alpha)

    def sub(self, other: Any, alpha: Any = 1) -> Tensor:
        """self - alpha·other."""
        return self - _scaled(other, alpha)

    mul, pow = __mul__, __pow__

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """self / other; with rounding_mode 'trunc' or 'floor' the quotient rounded toward 0 or
        down (``rounding.py``)."""
        return self / other if rounding_mode is None else self._divided(other, rounding_mode)

    multiply, subtract, divide, true_divide = mul, sub, div, __truediv__

    def _elementwise(self, prim: rules.Primitive, constants: tuple | None, grad_fn: str) -> Tensor:
        """`prim` (a function of the table) applied to every element.  On integer and bool
        tensors neg, abs, relu and clamp keep integers, computed on the numbers (clamp only with
        integer bounds: its dtype is ``result_type(self, min, max)``); the others make float32."""
        if not self._dtype.is_floating_point:
            kind = self._dtype if prim.name in INTEGER_SAFE else float32
            if prim.name == "clamp" and constants:
                kind = result_type(self, *[c for c in constants if c is not None])
            if self._dtype is bool_:
                check_bool_function(prim.name, constants, kind)
            if kind.is_floating_point:
                return self.float()._elementwise(prim, constants, grad_fn)
            if prim.constant and constants:
                constants = tuple(
                    None if c is None else cast_number(scalar_argument(c, kind), kind)
                    for c in constants
                )
            args = () if constants is None else (constants,)
            numbers = cast_for_storage([v.data for v in self._values], kind)
            results = [prim.forward(rules.FloatMath, x, *args) for x in numbers]
            values = element_values(integer_results(results, kind), kind)
            return self._result(values, self._shape, grad_fn, prim.symbol, (self,), kind)
        if prim.name == "clamp" and constants:  # PyTorch reads the bounds as this dtype
            constants = tuple(
                None if c is None else scalar_argument(c, self._dtype) for c in constants
            )
            if self._dtype is float32:  # a finite bound beyond float32 is refused
                for c in constants:
                    if c is not None:
                        cast_number(c, float32, checked=True)
        values = [apply(prim, v, constants) for v in self._values]
        return self._result(values, self._shape, grad_fn, prim.symbol, (self,))

    def square(self) -> Tensor:
        """x², elementwise (PyTorch records it as x ** 2: PowBackward0)."""
        return self._binary(2, operator.pow, rules.POW_CONSTANT)

    # --- comparisons: constant bool tensors ----------------------------------------------------
    def _compare(self, other: Any, test: Callable[[float, float], bool]) -> Tensor:
        """`test` of the elements of self and other, broadcast, as a bool tensor.  Both sides are
        first converted to their ``result_type``, as PyTorch compares: float32 0.1 == 0.1."""
        b = as_tensor(other, like=self)
        kind = result_type(self, numpy_array_or(other, b))
        shape = broadcast_shapes(self.shape, b.shape)

        def numbers(t: Tensor) -> list:
            elements = t._values
            data = [elements[i].data for i in broadcast_index(t.shape, shape)]
            exact = t._dtype is kind or (t._dtype is float32 and kind is float64)
            return data if exact else cast_for_storage(data, kind)

        av, bv = numbers(self), numbers(b)
        return Tensor([constant_value(float(test(x, y))) for x, y in zip(av, bv)], shape, bool_)

    def __eq__(self, other):
        if not comparable(other):  # t.grad == None: False, as in PyTorch (Python's fallback)
            return NotImplemented
        return self._compare(other, operator.eq)

    def __ne__(self, other):
        if not comparable(other):
            return NotImplemented
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

    # --- bitwise and logical operators: no gradient, integers and bools only ----------------
    def _bitwise(self, other: Any, name: str, combine: Callable[[int, int], int]) -> Tensor:
        """`combine` of the elements as integers (bools: logical), broadcast: ``mask & mask``."""
        b = as_tensor(other, like=self)
        kind = result_type(self, numpy_array_or(other, b))
        if kind.is_floating_point:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Float'")
        shape = broadcast_shapes(self.shape, b.shape)
        mine, theirs = self._values, b._values
        results = [
            combine(int(mine[i].data), int(theirs[j].data))
            for i, j in zip(broadcast_index(self.shape, shape), broadcast_index(b.shape, shape))
        ]
        return Tensor(element_values(cast_for_storage(results, kind), kind), shape, kind)

    def __and__(self, other):
        return self._bitwise(other, "bitwise_and", operator.and_)

    def __or__(self, other):
        return self._bitwise(other, "bitwise_or", operator.or_)

    def __xor__(self, other):
        return self._bitwise(other, "bitwise_xor", operator.xor)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self) -> Tensor:
        """~mask: logical not of a bool tensor, bitwise not of an integer one."""
        if self._dtype.is_floating_point:
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        flip = (lambda x: 1 - x) if self._dtype is bool_ else operator.invert
        numbers = [flip(int(v.data)) for v in self._values]
        return Tensor(
            element_values(cast_for_storage(numbers, self._dtype), self._dtype),
            self._shape,
            self._dtype,
        )

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

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True if every element (over all, or along `dim`) is non-zero (a bool tensor)."""
        return self._test_elements(all, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True if some element (over all, or along `dim`) is non-zero (a bool tensor)."""
        return self._test_elements(any, dim, keepdim)

    def _test_elements(self, test: Callable, dim: Any, keepdim: bool) -> Tensor:
        """all()/any() of the numbers, over everything or the groups of ``dim``."""
        if dim is None:
            return Tensor([constant_value(float(test(v.data for v in self._values)))], (), bool_)
        groups, shape = self._groups(self._dims(dim, test.__name__), keepdim)
        values = self._values
        return Tensor(
            [constant_value(float(test(values[i].data for i in g))) for g in groups],
            shape,
            bool_,
        )

    # --- copies -----------------------------------------------------------------------------------
    def detach(self) -> Tensor:
        """The same elements cut off from the graph: a tensor that shares this one's storage
        (writing through it changes this tensor) and does not require grad."""
        alias = self._view(self._shape, self._strides, self._offset, "", "")
        alias._base, alias._grad_fn = self._base, None
        alias._detached, alias._no_grad_view, alias._multi_view = True, False, ""
        alias._made_in_no_grad = False
        return alias

    def detach_(self) -> Tensor:
        """Cut this tensor off from the graph, in place: its elements become constants."""
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        stored = self._storage.values
        for i in self._slots():
            stored[i] = constant_value(stored[i].data)
        self._storage.writes += 1
        self._grad_fn = None
        return self

    def clone(self) -> Tensor:
        """A copy that stays in the graph: new elements (a new storage), ∂copy/∂x = 1."""
        return self._copy_of(self._values, self._shape, "CloneBackward0", "clone")

    # --- pickle and deepcopy: the numbers, not the history, as in PyTorch -------------------------
    def __reduce_ex__(self, protocol: Any) -> tuple:
        """Pickled as its numbers, shape, dtype and requires_grad (a leaf again when loaded)."""
        numbers = [v.data for v in self._values]
        return rebuilt, (type(self), numbers, tuple(self.shape), self._dtype, self.requires_grad)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """A copy of a leaf, its .grad included; PyTorch refuses a non-leaf, and so do we."""
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment."
            )
        numbers = [v.data for v in self._values]
        copied = rebuilt(type(self), numbers, tuple(self.shape), self._dtype, self.requires_grad)
        memo[id(self)] = copied
        grad = self._gradient() if type(self) is Tensor else None  # a Parameter's: none, as torch
        if grad is not None:
            for v, g in zip(copied._values, grad._values):
                v.grad = g.data
        for key, value in vars(self).items():  # a Parameter's own attributes, not the view's
            if not key.startswith("_") and key not in vars(copied):
                setattr(copied, key, copy.deepcopy(value, memo))
        copied.label = self.label
        return copied

    # --- differentiation -------------------------------------------------------------------------
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into the .grad of every leaf that requires grad."""
        if not self.requires_grad or self._leaf_of_its_own:  # such a view: a leaf with no use
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        check_versions([self])
        if gradient is None and self.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if gradient is not None:
            gradient = as_tensor(gradient)
            if gradient.shape != self.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape!r} and "
                    f"output[0] has a shape of {self.shape!r}."
                )
        if any(v._node is not None for v in self._values):
            autograd_backward(
                [self],
                [gradient],
                retain_graph=retain_graph,
                create_graph=create_graph,
                inputs=inputs,
                post_hooks=False,  # run below, once .grad is complete
            )
        self._refresh_leaf_grads(inputs is None)
        run_post_accumulate_hooks()
        if not (create_graph if retain_graph is None else retain_graph):
            free_saved([self])

    def _free_saved(self) -> None:
        """Mark what this tensor's history saved as freed by a backward pass."""
        free_saved([self])

    def _refresh_leaf_grads(self, fill: bool = True) -> None:
        """After a backward pass: every leaf it reached gets a gradient, zeros too (with
        `fill`), as PyTorch gives; a .grad already handed out takes the new numbers in place."""
        for leaf in reachable_leaves([self]):
            if fill:
                leaf._reached = True  # an empty leaf's .grad is an empty tensor from now on
                for v in leaf._values:
                    if v.grad.__class__ is NoGrad:
                        v.grad = 0.0
            if leaf._grad_tensor is not None:
                leaf._held_gradient()

    def _check_versions(self) -> None:
        """A backward pass begins: refuse it through a tensor changed in place after it was
        saved, then give what saved_tensors_hooks packed to their unpack hooks."""
        check_versions([self])
        unpack_saved([self])

    def _has_in_history(self, t: Any) -> bool:
        """True if t is this tensor or one of those it was computed from."""
        return any(found is t for found, _ in walk([self]))

    def _as_gradient(self) -> Tensor:
        """This tensor of gradients as its dtype holds them: float32 rounded.  A constant may be
        an element of another tensor (a seed passed through), so it is replaced; a Value
        recorded with create_graph was made by this backward pass, so it is rounded in place."""
        gradient = self
        if self._dtype is float32:
            values = [v if v._node is not None else constant_like(v) for v in self._values]
            round_to_float32(values)
            gradient = Tensor(values, self._shape, self._dtype)
        if gradient.requires_grad and gradient.grad_fn is None:
            # elements from several nodes (create_graph): a non-leaf, as PyTorch's gradient is
            gradient._grad_fn = tensor_node("StackBackward0", "stack", ())
        return gradient

    def register_hook(self, hook: Callable[[Tensor], Any]) -> Any:
        """Call ``hook(grad)`` with this tensor's gradient in each backward pass; a tensor it
        returns replaces the gradient (``autograd/hooks.py``)."""
        from ..autograd.hooks import register_tensor_hook

        return register_tensor_hook(self, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], Any]) -> Any:
        """Call ``hook(self)`` after each backward pass has added to this leaf's ``.grad``."""
        from ..autograd.hooks import register_post_accumulate_hook

        return register_post_accumulate_hook(self, hook)

    def _check_gradient_input(self) -> None:
        """Refuse to be an input of autograd.grad if a view (see VIEW_GRADIENT)."""
        if self._base is not None and not self._detached and not self._leaf_of_its_own:
            raise NotSupported(VIEW_GRADIENT)

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` (a leaf keeps it anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._base is not None and not self._detached:
            raise NotSupported(VIEW_GRADIENT)
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        """True if ``.grad`` of this non-leaf tensor is kept (``retain_grad()``)."""
        return self._retains_grad and not self.is_leaf

    # Jacobians for micrograd.func: entries columns[j][i] = ∂outᵢ/∂xⱼ, shape out.shape + x.shape
    def _coerce(self, x: Any) -> Tensor:
        """x (a number, Value, list or Tensor) as a Tensor, numbers taking this tensor's kind
        (a number written by ``t[i] = x`` is read as an int64 first, as PyTorch reads it, and
        must fit the dtype if it is finite)."""
        if isinstance(x, int) and not isinstance(x, bool) and not INT64_MIN <= x <= INT64_MAX:
            raise ValueError("Overflow when unpacking long long")
        if isinstance(x, (int, float)):
            cast_number(x, self._dtype, checked=True)  # a float32 refuses 1e300, as fill_
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
        recorded = any(v._node is not None for v in values)  # a graph kept: PyTorch's is a view
        node = tensor_node("ViewBackward0", "view", ()) if recorded else None
        return Tensor(values, out_shape + x_shape, kind, node)


Tensor._plain = Tensor  # what methods make: a Tensor, also from a subclass such as nn.Parameter
# type(t) prints <class 'micrograd.Tensor'>, as PyTorch's <class 'torch.Tensor'>; pickle finds
# the class there too (micrograd re-exports it)
Tensor.__module__ = "micrograd"

NO_GRAD_VIEW_USED = (
    "a view made under no_grad() of a tensor that requires grad, used with grad mode on: "
    "PyTorch makes such a view a leaf of its own that shares its elements, which micrograd "
    "cannot (a Value holds both a number and a gradient).  Make the view outside no_grad(), or "
    "use view.detach() for the numbers only."
)
VIEW_GRADIENT = (
    "the gradient with respect to a view (retain_grad(), or an input of autograd.grad): a "
    "view's elements are its base's Values, whose gradient counts every path to the base, "
    "not only those through the view.  Take the gradient of the base and index it, or of a "
    "clone (v = h[1:].clone())."
)
EARLY_VIEW_USED = (
    "a view made before its base was made to require grad (requires_grad_()), used with grad "
    "mode on: PyTorch makes such a view a leaf of its own that shares its elements, which "
    "micrograd cannot (a Value holds both a number and a gradient).  Make the view after "
    "requires_grad_(), or use view.detach() for the numbers only."
)
BOOL_SUBTRACTION_ERROR = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
    "invert a mask, use the `~` or `logical_not()` operator instead."
)
NO_GRAD_VIEW_MODIFIED = (  # PyTorch's words, though the write may have been under no_grad too
    "A view was created in no_grad mode and its base or another view of its base has been "
    "modified inplace with grad mode enabled. Given that this use case is ambiguous and "
    "error-prone, it is forbidden. You can clarify your code by moving both the view and the "
    "inplace either both inside the no_grad block (if you don't want the inplace to be "
    "tracked) or both outside (if you want the inplace to be tracked)."
)
NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead."
)


def constant_like(v: Value) -> Value:
    """A constant with v's number (an int64 element's int kept exact)."""
    c = constant_value(v.data)
    c.data = v.data
    return c


def comparable(x: Any) -> bool:
    """True for what == can compare elementwise: tensors, Values, numbers, lists, arrays."""
    return x is not None and not isinstance(x, str)


def rebuilt(cls: type, numbers: list, shape: tuple, dtype_: dtype, requires_grad: bool) -> Tensor:
    """A leaf tensor of class `cls` (Tensor, nn.Parameter) from pickled numbers."""
    made = object.__new__(cls)
    values = []
    for x in numbers:
        v = Value(x, requires_grad=requires_grad)
        v.data, v.grad = x, NO_GRAD  # int64 keeps its Python ints
        values.append(v)
    Tensor.__init__(made, values, shape, dtype_)
    return made


# --- numbers, lists and Values as tensors ------------------------------------------------------------
def _scaled(other: Any, alpha: Any) -> Any:
    """alpha·other for add and sub (other itself for alpha 1)."""
    if isinstance(alpha, bool) or alpha == 1:
        return other
    return other * alpha


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """x as a Tensor: a Tensor as it is, a Value or number as a 0-dim tensor, nested lists as data."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Value):
        return Tensor([x], (), float32)
    if as_float(x) is not None:  # a number: of its dtype in an operation with `like`
        if like is not None:
            x = arithmetic_operand(x, like._dtype)
        kind = result_type(x) if like is None else result_type(like, x)
        return Tensor(element_values([cast_number(x, kind)], kind), (), kind)
    if isinstance(x, (list, tuple)) or hasattr(x, "tolist"):
        return from_data(x)
    if hasattr(type(x), "__torch_function__"):
        raise NotSupported(
            f"{type(x).__name__} defines __torch_function__: PyTorch's protocol for tensor-like "
            "types is not supported by micrograd (its functions take micrograd tensors only)"
        )
    raise TypeError(
        f"unsupported operand type for a Tensor operation: {type(x).__name__} ({x!r:.40})"
    )


def numpy_array_or(x: Any, tensor: Tensor) -> Any:
    """x if it is a NumPy array (whose dtype rules differ from a 0-dim tensor's: see
    ``result_type``), else `tensor`, the Tensor made of x."""
    is_array = not isinstance(x, (Tensor, Value, list, tuple)) and as_float(x) is None
    return x if is_array and hasattr(x, "dtype") else tensor


def leaf_tensor(
    numbers: list[float], shape: Sequence[int], dtype_: dtype, requires_grad: bool
) -> Tensor:
    """A leaf tensor of these numbers, stored as `dtype_` stores them (``cast_for_storage``:
    rounded to float32, truncated to int64...): each element a Value that requires grad if
    asked."""
    stored = cast_for_storage(numbers, dtype_)  # PyTorch reads the numbers first
    if requires_grad and not dtype_.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    values = element_values(stored, dtype_, requires_grad)
    made = Tensor(values, shape, dtype_)
    made._leaf_requires_grad = requires_grad
    return made


def from_data(data: Any, dtype_: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A leaf tensor from nested lists of numbers (or a NumPy array), its dtype inferred as
    torch infers it (``data_dtype``: a float makes float32, ``np.array([0.1])`` float64), its
    numbers stored as the dtype stores them (ints exactly; what int64 cannot hold refused)."""
    kind = dtype_ or data_dtype(data)
    flat, shape = nested_numbers(data)
    numbers = []
    for x in flat:
        number = x.data if isinstance(x, Value) else x if isinstance(x, int) else as_float(x)
        if number is None:
            raise TypeError(f"tensor() needs numbers, got {x!r} of type {type(x).__name__}")
        numbers.append(number)
    return leaf_tensor(numbers, shape, kind, requires_grad)


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
        return self._take(lambda: method(self, *args, **kwargs))

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
