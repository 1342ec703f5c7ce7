"""In-place updates, as methods of Tensor: ``t += 1``, ``t.add_(u)``, ``t.zero_()``, ``t.fill_(2)``,
``t.copy_(u)``, ``t.uniform_(a, b)``, ``t.normal_(mean, std)``, and ``t.exp_()``,
``t.clamp_(min=0)``... for every function of the table (made in tensor.py); ``t[i] = v`` is in
``indexing.py`` and uses the same two steps.

An in-place update is the operation computed out of place, then *stored* into the tensor's
slots of its storage (``storage.py``), so the tensor, its base and all its views see it:

* **recorded**, when grad mode is on and the result requires grad: the new Values, computed
  from the old ones, take the old ones' slots.  The tensor's ``grad_fn`` becomes the
  operation's (``AddBackward0``); written through a view, the base's becomes ``CopySlices``
  and the views' ``AsStridedBackward0``, as PyTorch names them;
* **not recorded** otherwise (``no_grad``, the optimizer's ``w -= lr * w.grad``, tensors that
  do not require grad): the numbers are written into the Values, which stay where they are.

Either way the storage's version goes up by one, so a backward pass that would read a tensor
an operation saved before the change refuses to run (``history.check_versions``).  PyTorch's
errors come first: an in-place update on a leaf that requires grad, or on a view of one, with
grad mode on; on a view made under ``no_grad``; on one of the views ``unbind``/``split``
return; on a tensor whose elements overlap (``expand``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..core import rules
from ..core.errors import LEAF_INPLACE_ERROR, NotSupported
from ..core.modes import is_grad_enabled
from ..core.value import Value, apply, as_float
from .dtypes import (
    cast_for_storage,
    cast_number,
    check_can_cast,
    float32,
    round_to_float32,
    scalar_argument,
)
from .history import counter, multi_view_message, tensor_node
from .saved import refuse_inference_inplace
from .indexing import OVERLAP_ERROR as PARTIAL_OVERLAP_ERROR
from .indexing import overlap_status
from .randomness import bernoulli_numbers, stream

if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor

VIEW_OF_LEAF_ERROR = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
NO_GRAD_VIEW_ERROR = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace to "
    "be tracked)."
)
OVERLAP_ERROR = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
FROM_NUMPY_WRITE = (
    "an in-place write into a tensor made by torch.from_numpy: in PyTorch it shares the "
    "array's memory, so the write would change the array too; micrograd's tensor holds a copy "
    "and cannot.  Use torch.tensor(array) for a tensor of your own to write into (and "
    "array[...] = t.numpy() to change the array)"
)
DTYPE_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "int64": "Long",
    "int32": "Int",
    "bool": "Bool",
}


class InPlaceMethods:
    """The in-place methods of Tensor (a part of the class, kept in a module of its own)."""

    # --- the two ways of storing ---------------------------------------------------------------
    def _check_writable(self, gaining: bool = False) -> None:
        """PyTorch's refusals of an in-place update with grad mode on (`gaining`: the new
        elements require grad, so a tensor that does not will)."""
        refuse_inference_inplace(self)  # in any grad mode, as PyTorch
        if not is_grad_enabled():
            return
        if self._no_grad_view or (self._made_in_no_grad and (self.requires_grad or gaining)):
            raise RuntimeError(NO_GRAD_VIEW_ERROR)
        base = self._base
        if self._grad_fn is None and self._base is None and self.requires_grad:
            raise RuntimeError(LEAF_INPLACE_ERROR)
        if self._multi_view and (self.requires_grad or gaining):
            raise RuntimeError(multi_view_message(self._multi_view, False))
        if (
            base is not None
            and (base.requires_grad or self._grad_fn is not None)  # made when it required grad
            and base.is_leaf
            and not self._detached
        ):
            raise RuntimeError(VIEW_OF_LEAF_ERROR)

    def _store_numbers(
        self, slots: Sequence[int], numbers: Sequence[Any], checked: bool = False
    ) -> None:
        """Write numbers into the Values at `slots` (not recorded), as this dtype stores them
        (``dtypes.cast_for_storage``; `checked`: numbers the user gave, as to fill_)."""
        if self._storage.from_numpy:
            raise NotSupported(FROM_NUMPY_WRITE)
        stored = self._storage.values
        for s, x in zip(slots, cast_for_storage(numbers, self._dtype, checked)):
            stored[s].data = x
        self._count_write()
        self._write_back()

    def _store_values(
        self, slots: Sequence[int], values: list[Value], node: Any, source: Any = None
    ) -> None:
        """Put new Values (computed from the old ones) into `slots`: a recorded write.  `node`
        is the operation's grad_fn; `source`, for t[i] = v, the tensor written."""
        if self._storage.from_numpy:
            raise NotSupported(FROM_NUMPY_WRITE)
        if self._detached:
            raise NotSupported(
                "an in-place operation that needs a gradient, on a tensor from detach() or "
                ".data: micrograd cannot give the alias a history of its own while it shares "
                "its elements; write into a clone() or compute out of place"
            )
        if self._dtype is float32:
            round_to_float32([v for v in values if v.data.__class__ is float])
        base = self if self._base is None else self._base
        before = base._snapshot()
        stored = self._storage.values
        for s, v in zip(slots, values):
            stored[s] = v
        self._count_write()
        if self._base is not None:  # written through a view: the base's grad_fn is CopySlices
            if node is None and source is not None:  # the edge to `source`, even with no elements
                node = tensor_node("CopyBackwards", "copy_", (before, source))
            result = self._plain(values, self.shape, self._dtype, node)
            base._grad_fn = tensor_node("CopySlices", "copy_slices", (before, result))
        elif node is None:
            self._grad_fn = tensor_node("CopySlices", "copy_slices", (before, source))
        else:
            self._grad_fn = node

    def _snapshot(self) -> Tensor:
        """This tensor as it is now, as a tensor of its own: what a recorded write started from."""
        return self._plain(list(self._values), self.shape, self._dtype, self._grad_fn)

    def _count_write(self) -> None:
        """One more in-place write: the version goes up (not through .data, as in PyTorch)."""
        self._storage.writes += 1
        if self._tracked:
            (self._counter or self._storage).version += 1

    def _write_back(self) -> None:
        """A tensor's .grad (or a view of it, or its .data) passes in-place changes on to the
        gradients of that tensor's elements, where backward passes and optimizers read them."""
        owner = self._storage.grad_of
        if owner is None:
            return
        for theirs, mine in zip(owner._values, self._storage.values):
            theirs.grad = mine.data

    def _assign(self, numbers: Sequence[Any], tracked: bool = True) -> Tensor:
        """Write numbers into every element, not recorded (``w.data = ...`` is not tracked)."""
        was, self._tracked = self._tracked, self._tracked and tracked
        try:
            self._store_numbers(self._slots(), numbers)
        finally:
            self._tracked = was
        return self

    # --- an operation, in place -----------------------------------------------------------------
    def _in_place(
        self, compute: Callable[[], Tensor], overlap_ok: bool = False, operand: Any = None
    ) -> Tensor:
        """self becomes compute()'s result, computed out of place from self (and `operand`),
        and stored."""
        self._check_writable()
        if hasattr(operand, "_storage") and not overlap_ok:
            # PyTorch refuses an operand that shares some, not all, of the elements written
            status = overlap_status(self._storage, self.shape, self._strides, self._offset, operand)
            if status == "partial":
                raise RuntimeError(PARTIAL_OVERLAP_ERROR)
        result = compute()
        if tuple(result.shape) != tuple(self.shape):
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}"
            )
        check_can_cast(result.dtype, self._dtype)
        if result.requires_grad and not self.requires_grad:
            self._check_writable(gaining=True)  # a view of split() that would require grad
        slots = self._slots()
        if not overlap_ok and len(set(slots)) != len(slots):
            raise RuntimeError(OVERLAP_ERROR)
        if is_grad_enabled() and result.requires_grad:
            node, before = result._grad_fn, self._snapshot()
            self._store_values(slots, list(result._values), node)
            if node is not None:
                self._adopt(node, result, before)
        else:
            self._store_numbers(slots, [v.data for v in result._values])
        return self

    def _adopt(self, node: Any, result: Tensor, before: Tensor) -> None:
        """The node of an in-place operation: self's old state (`before`) stands where self was
        its first input, and what the node saved of its result is self, at the new version."""
        if node.parents and node.parents[0] is self:
            node.parents = (before, *node.parents[1:])
        saved = []
        for which, t, storage, version, made_by in node.saved:
            if which == 0 and t is self:
                t, storage, version = before, counter(before), counter(before).version
            elif t is result:
                t, storage, version = self, counter(self), counter(self).version
            saved.append((which, t, storage, version, made_by))
        node.saved = tuple(saved)

    def __iadd__(self, other):
        return self._in_place(lambda: self.add(other), operand=other)

    def __isub__(self, other):
        return self._in_place(lambda: self.sub(other), operand=other)

    def __imul__(self, other):
        return self._in_place(lambda: self.mul(other), operand=other)

    def __itruediv__(self, other):
        return self._in_place(lambda: self.div(other), operand=other)

    def __ipow__(self, other):
        return self._in_place(lambda: self.pow(other), operand=other)

    def add_(self, other: Any, alpha: Any = 1) -> Any:
        """self += alpha·other."""
        return self._in_place(lambda: self.add(other, alpha=alpha), operand=other)

    def sub_(self, other: Any, alpha: Any = 1) -> Any:
        """self -= alpha·other."""
        return self._in_place(lambda: self.sub(other, alpha=alpha), operand=other)

    mul_, div_, pow_ = __imul__, __itruediv__, __ipow__

    def _take(self, compute: Callable[[], Tensor]) -> Tensor:
        """A function of the table in place (t.sin_(), t.clamp_(min=0)): its grad_fn, if it is
        recorded, is the function's (SinBackward0)."""
        return self._in_place(compute)

    # --- writing given numbers ----------------------------------------------------------------
    def _fill(self, numbers: list[Any], name: str) -> Tensor:
        """Every element set to the given numbers (constants): recorded as a choice of the new
        number over the old element, so the old one gets a zero gradient, as in PyTorch."""
        self._check_writable()
        if is_grad_enabled() and self.requires_grad:
            new = [constant(x) for x in cast_for_storage(numbers, self._dtype, checked=True)]
            before = self._snapshot()
            # written through a view, PyTorch's CopySlices keeps the view's node: it is freed
            choose = rules.OVERWRITE if self._base is None else rules.CHOOSE_Y
            chosen = [apply(choose, o, n) for o, n in zip(before._values, new)]
            self._store_values(self._slots(), chosen, tensor_node(name, name, (before,)))
            return self
        self._store_numbers(self._slots(), numbers, checked=True)
        return self

    def zero_(self) -> Tensor:
        """Set every element to 0, in place."""
        return self._fill([0] * self.numel(), "ZeroBackward0")

    def fill_(self, value: Any) -> Tensor:
        """Set every element to `value`, in place."""
        if hasattr(value, "_values"):  # a tensor: its gradient flows (PyTorch's FillBackward3)
            if value.dim():
                raise RuntimeError(
                    "fill_ only supports 0-dimension value tensor but got tensor with "
                    f"{value.dim()} dimensions."
                )
            self._write(Ellipsis, value, "fill")
            return self
        number = scalar_argument(value, self._dtype)
        if as_float(number) is None:
            raise TypeError(f"fill_ expects a number, got {value!r} of type {type(value).__name__}")
        cast_number(number, self._dtype, checked=True)  # refused even with no element to fill
        return self._fill([number] * self.numel(), "FillBackward2")

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Every element drawn uniformly from [a, b), in place (micrograd's generator: see
        manual_seed; or `generator=`)."""
        source = stream(generator)
        return self._fill([source.uniform(a, b) for _ in range(self.numel())], "UniformBackward0")

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Every element drawn from the normal distribution N(mean, std²), in place."""
        source = stream(generator)
        return self._fill([source.gauss(mean, std) for _ in range(self.numel())], "NormalBackward0")

    def random_(self, from_: int | None = None, to: int | None = None, **kw: Any) -> Tensor:
        """Every element a random integer from [from, to), in place: ``random_(to)`` from
        [0, to); ``random_()`` from [0, 2ᵐ] where m is the dtype's mantissa (24 bits for
        float32, 53 for float64; 2⁶³ − 1 is int64's top, 1 bool's), as PyTorch."""
        source = stream(kw.pop("generator", None))
        from_ = kw.pop("from", from_)
        if kw:
            raise TypeError(f"random_() got unexpected keyword arguments {sorted(kw)}")
        if from_ is None and to is None:
            top = {
                "float32": 2**24 + 1,
                "float64": 2**53 + 1,
                "int64": 2**63 - 1,
                "int32": 2**31 - 1,
                "bool": 2,
            }
            (low, high), name = (0, top[self._dtype.name]), "RandomBackward2"
        elif to is None:
            (low, high), name = (0, from_), "RandomBackward1"
        else:
            (low, high), name = (from_ or 0, to), "RandomBackward0"
        if high <= low:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )
        return self._fill([source.randrange(low, high) for _ in range(self.numel())], name)

    def bernoulli_(self, p: Any = 0.5, **kw: Any) -> Tensor:
        """Every element 1 with probability p (a number, or a tensor broadcast to this shape),
        else 0, in place."""
        source = stream(kw.pop("generator", None))
        if hasattr(p, "_values"):
            numbers = [v.data for v in p.expand(self.shape).contiguous()._values]
            return self._fill(bernoulli_numbers(numbers, True, source), "BernoulliBackward1")
        numbers = bernoulli_numbers([float(p)] * self.numel(), False, source)
        return self._fill(numbers, "BernoulliBackward2")

    def copy_(self, src: Any, non_blocking: bool = False) -> Tensor:
        """src's elements written into this tensor (broadcast to its shape), in place."""
        self._write(Ellipsis, src, "copy")
        return self


def constant(x: float) -> Value:
    """A constant Value."""
    return Value(x, requires_grad=False)
