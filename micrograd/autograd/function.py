"""Custom differentiable operations: ``Function`` with ``forward(ctx, ...)`` and ``backward(ctx, ...)``.

As in PyTorch (``torch.autograd.Function``), ``apply`` runs ``forward`` with recording off,
and makes one backward node (``ctx``, an instance of ``<ClassName>Backward``) that becomes
the ``grad_fn`` of every output.  However many inputs and outputs it has, the engine calls
its ``backward`` exactly once per backward pass, with the gradients of all outputs.

Arguments may be Values, numbers, anything else (passed through, not differentiated), or
containers of Values registered in ``pytree.py`` (Tensor is one).
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from typing import Any

from ..core import rules
from ..core.errors import RETAIN_GRAPH_ERROR, NotSupported, NotSupportedAttribute
from ..core.value import Value, apply, as_float
from ..core.modes import nan_check
from ..core.modes import is_grad_enabled, no_grad, set_grad_enabled
from ..core.nodes import AccumulateGrad, BackwardNode, next_function
from ..pytree import flatten, unflatten
from . import forward_ad


def _shape_of(obj: Any) -> tuple:
    return tuple(getattr(obj, "shape", ()))


_TORCH_CTX_NAMES = frozenset(
    {
        "apply_jvp",
        "dirty_tensors",
        "mark_shared_storage",
        "materialize_grads",
        "maybe_clear_saved_tensors",
        "non_differentiable",
        "register_hook",
        "register_prehook",
        "requires_grad",
        "save_for_forward",
        "saved_for_forward",
        "saved_variables",
        "to_save",
    }
)
"""Names PyTorch's ctx has that micrograd's lacks (the others it has: save_for_backward...)."""


def _expands_to(shape: tuple, target: tuple) -> bool:
    """True if `shape` broadcasts to `target` (each of its dimensions, from the right, is the
    target's or 1): a gradient of shape `target` then sums down to `shape`, as PyTorch does."""
    if len(shape) > len(target):
        return False
    return all(s in (t, 1) for s, t in zip(reversed(shape), reversed(target)))


def _sum_to(values: list, shape: tuple, target: tuple) -> list:
    """The elements (row-major) of a gradient of `shape` summed down to `target`, which
    broadcasts to `shape`: ∂L/∂xⱼ = Σ of the gradient over the elements xⱼ was broadcast to."""
    padded = (1,) * (len(shape) - len(target)) + tuple(target)
    sums: list = [None] * math.prod(target)
    for value, index in zip(values, itertools.product(*map(range, shape))):
        position = 0
        for i, size in zip(index, padded):
            position = position * size + (i if size > 1 else 0)
        sums[position] = value if sums[position] is None else sums[position] + value
    return [0.0 if s is None else s for s in sums]


def _zeros_like(like: Any, aux: Any, count: int) -> Any:
    """The gradient PyTorch materializes for an output that got none: zeros of its shape and
    dtype (an integer output, marked non-differentiable, gets integer zeros)."""
    if hasattr(like, "dtype") and not like.dtype.is_floating_point:
        return like.detach() * 0  # (ints have no nan)
    return unflatten(like, aux, [0.0] * count)


class FunctionNode(BackwardNode):
    """The backward node of one ``apply``, and the ``ctx`` its forward and backward receive."""

    rule = None  # not a primitive of rules.py
    _forward_cls: type[Function]

    def __init__(self) -> None:
        self.needs_input_grad: tuple[bool, ...] = ()
        self._saved: tuple | None = ()
        self._non_differentiable: set[int] = set()
        self._dirty: set[int] = set()  # mark_dirty: inputs forward changed in place
        self._freed = False
        self._materialize = True

    __eq__ = object.__eq__  # one node per apply: identity, unlike the views of BackwardNode
    __hash__ = object.__hash__

    def __repr__(self) -> str:  # as PyTorch prints it (its dtypes print as torch.float32 here too)
        return f"<torch.autograd.function.{self.name()} object at {hex(id(self))}>"

    # --- what forward may call on ctx -----------------------------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Keep Values (or Tensors) for backward; read them back as ``ctx.saved_tensors``."""
        for index, v in enumerate(values):
            if v is not None and flatten(v) is None:
                raise TypeError(
                    f"save_for_backward can only save variables, but argument {index} "
                    f"is of type {type(v).__name__}"
                )
        self._saved = values
        # the version of each saved tensor's storage: backward refuses one changed in place since
        self._saved_versions = [
            (v, v._storage, v._storage.version) for v in values if hasattr(v, "_storage")
        ]

    @property
    def saved_tensors(self) -> tuple:
        """What forward saved with save_for_backward (an error once backward has freed it, or
        if one of them was changed in place since, as in PyTorch)."""
        if self._freed:
            raise RuntimeError(RETAIN_GRAPH_ERROR)
        for t, storage, version in getattr(self, "_saved_versions", ()):
            if storage.version != version:
                from ..tensors.history import maker, modified_message

                raise RuntimeError(modified_message(t, maker(t), storage.version, version))
        return self._saved

    saved_values = saved_tensors

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """These outputs get no grad_fn: they are constants (indices, masks...)."""
        self._non_differentiable.update(id(o) for o in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for an output that got no gradient."""
        self._materialize = value

    def mark_dirty(self, *args: Any) -> None:
        """forward changed these input tensors in place and returns them: apply makes their
        elements the outputs' (the tensor keeps its identity, its grad_fn becomes this node)."""
        for t in args:
            if not hasattr(t, "_store_values"):
                raise NotSupported(
                    "ctx.mark_dirty of a Value is not supported: a Value's number cannot be "
                    "changed in place by an operation; return a new Value instead"
                )
        self._dirty = {id(t) for t in args}

    def __getattr__(self, name: str) -> Any:
        # only for a name not set on ctx (ctx.constant = 3 sets one, as in PyTorch): a name
        # PyTorch's ctx has is NotSupported (an AttributeError too, for hasattr); any other is
        # Python's own error, as PyTorch gives for a name the user never set
        if name not in _TORCH_CTX_NAMES:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        raise NotSupportedAttribute(
            f"ctx.{name} is not supported by micrograd (PyTorch's FunctionCtx.{name}); "
            "see the README for what a custom Function's ctx has"
        )

    # --- the node protocol (core/nodes.py): what the backward pass and the drawings call ---
    def inputs_of(self, value: Value) -> tuple:
        """Every Value that went into apply, whichever output `value` is."""
        return self.inputs

    def local_gradients(self, value: Value, g: Any, run: Any) -> list:
        """The user's backward, run once for all outputs at the first one's turn (the other
        outputs' gradients are complete then too: `run.take` collects them)."""
        out_grads = [
            g if o is value else None if o is None else run.take(o) for o in self.outputs()
        ]
        in_grads = self.run_backward(out_grads, run.create_graph, run.retain_graph)
        if run.check_nan:
            nan_check(self.name(), in_grads)
        return list(zip(self.inputs, in_grads))

    def grad_fn(self, value: Value) -> FunctionNode:
        """The node itself is the grad_fn of every output, as in PyTorch."""
        return self

    @property
    def symbol(self) -> str:
        """The class name of the Function: the node's label in drawings."""
        return self._forward_cls.__name__

    def label(self, constant: Any = None) -> str:
        """The node's symbol (a Function carries no constants)."""
        return self.symbol

    @property
    def grad_fn_name(self) -> str:
        """``<ClassName>Backward``, as PyTorch names a custom Function's node."""
        return type(self).__name__

    def outputs(self) -> list[Value | None]:
        """The output Values still alive (None for one that was freed)."""
        return [ref() for ref in self._output_refs]

    def output_index(self, value: Value) -> int:
        """The position of `value` among the outputs (PyTorch's output number)."""
        return next(i for i, ref in enumerate(self._output_refs) if ref() is value)

    @property
    def next_functions(self) -> tuple:
        """(node, output index) for each argument of apply, as in PyTorch."""
        result = []
        for arg in self._args:
            if isinstance(arg, Value):
                result.append(next_function(arg))
            elif flatten(arg) is not None and getattr(arg, "requires_grad", False):
                node = getattr(arg, "grad_fn", None)  # a leaf tensor: its AccumulateGrad
                result.append((AccumulateGrad(arg) if node is None else node, 0))
            else:
                result.append((None, 0))
        return tuple(result)

    def run_backward(self, out_grads: list, create_graph: bool, retain_graph: bool) -> list:
        """Call the user's backward once; return one gradient per input Value (0.0 if none)."""
        grad_outputs = []
        for like, aux, start, stop in self._output_layout:
            if stop is None:
                grad_outputs.append(None)
            elif start is None or all(g is None for g in out_grads[start:stop]):
                count = stop - (start or 0)  # a recorded output's Values are refs[start:stop]
                grad_outputs.append(_zeros_like(like, aux, count) if self._materialize else None)
            else:
                grad_outputs.append(
                    unflatten(like, aux, [0.0 if g is None else g for g in out_grads[start:stop]])
                )
        with set_grad_enabled(create_graph):
            result = self._forward_cls.backward(self, *grad_outputs)
        if not retain_graph:
            self._freed, self._saved = True, None
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._args)
        while len(result) > expected and result[-1] is None:  # PyTorch allows trailing Nones
            result = result[:-1]
        if len(result) != expected:
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients "
                f"(expected {expected}, got {len(result)})"
            )
        flat: list = []
        for index, (arg, grad) in enumerate(zip(self._args, result)):
            inner = flatten(arg)
            if inner is None:
                continue  # not differentiable: its gradient is ignored
            count = len(inner[0])
            if grad is None:
                flat.extend([0.0] * count)
                continue
            number = None if isinstance(grad, Value) else as_float(grad)
            if number is not None and count == 1:
                flat.append(number)
                continue
            grad_inner = flatten(grad)
            if grad_inner is None:
                raise RuntimeError(f"expected Variable or None (got {type(grad).__name__})")
            values = [v if create_graph else v.data for v in grad_inner[0]]
            if _shape_of(grad) != _shape_of(arg):
                if not _expands_to(_shape_of(arg), _shape_of(grad)):
                    raise RuntimeError(
                        f"Function {self.name()} returned an invalid gradient at index {index} - "
                        f"got {list(_shape_of(grad))} but expected shape compatible with "
                        f"{list(_shape_of(arg))}"
                    )
                values = _sum_to(values, _shape_of(grad), _shape_of(arg))
            flat.extend(values)
        return flat


class Function:
    """Base class for differentiable operations you write yourself.

    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x                 # f(x) = x²
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         x, = ctx.saved_tensors
    ...         return grad_output * 2 * x   # f'(x) = 2x
    >>> y = Square.apply(Value(3.0))          # y.grad_fn is a SquareBackward
    """

    _backward_cls: type[FunctionNode]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._backward_cls = type(f"{cls.__name__}Backward", (FunctionNode,), {"_forward_cls": cls})

    def __call__(self, *args: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. "
            f"Please use new-style autograd function with static forward method: "
            f"call {type(self).__name__}.apply(...)"
        )

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the outputs from the inputs; save what backward needs on ctx."""
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Given ∂L/∂output for each output, return ∂L/∂input for each input (None if not needed)."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        """PyTorch 2's style: forward(*inputs) takes no ctx, and this saves what backward needs."""
        raise NotImplementedError("setup_context is not implemented.")

    generate_vmap_rule = False
    """PyTorch's switch for torch.func.vmap; micrograd's vmap runs forward on each slice anyway."""

    @staticmethod
    def vmap(info: Any, in_dims: Any, *args: Any) -> Any:
        """PyTorch's batching rule; micrograd's vmap does not call it (see the README)."""
        raise NotImplementedError(
            "To use autograd.Function with vmap, you must either override the vmap staticmethod "
            "or set generate_vmap_rule=True."
        )

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        """Forward mode: given the tangent of each input, return the tangent of each output."""
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it "
            "with forward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward without recording, then record one node for all of its outputs."""
        ctx = cls._backward_cls()
        ctx._args = args
        ctx.needs_input_grad = tuple(_requires_grad(a) for a in args)
        with no_grad():
            if cls.setup_context is Function.setup_context:
                result = cls.forward(ctx, *args)  # the ctx style: forward(ctx, *args)
            else:  # PyTorch 2's style: forward(*args), then setup_context(ctx, args, output)
                result = cls.forward(*args)
                cls.setup_context(ctx, args, result)
        outputs = result if isinstance(result, tuple) else (result,)
        record = any(ctx.needs_input_grad) and is_grad_enabled()
        inputs: list[Value] = []
        for arg in args:
            inner = flatten(arg)
            if inner is not None:
                inputs.extend(inner[0])
        ctx.inputs = tuple(inputs)
        new_outputs, layout, refs = [], [], []
        for out in outputs:
            inner = flatten(out)
            if inner is None:  # not a Value: returned as it is, gradient None
                new_outputs.append(out)
                layout.append((out, None, None, None))
                continue
            values, aux = inner
            if not record or id(out) in ctx._non_differentiable:
                new_outputs.append(out)  # a constant: its gradient is zeros
                layout.append((out, aux, None, len(values)))
                continue
            fresh = [_attach(v.data, ctx) for v in values]
            layout.append((out, aux, len(refs), len(refs) + len(fresh)))
            refs.extend(weakref.ref(v) for v in fresh)
            if id(out) in ctx._dirty:
                new_outputs.append(_written_in_place(out, fresh, ctx))
            else:
                new_outputs.append(unflatten(out, aux, fresh))
        ctx._output_layout = layout
        ctx._output_refs = refs
        # A saved output is the output the caller sees, as in PyTorch: a backward that reads it
        # is then differentiable again through this node (create_graph, gradgradcheck).
        seen_as = {id(old): new for old, new in zip(outputs, new_outputs)}
        if ctx._saved:
            ctx._saved = tuple(seen_as.get(id(saved), saved) for saved in ctx._saved)
        for name, kept in vars(ctx).items():  # ctx.result = result: that output too
            if not name.startswith("_") and id(kept) in seen_as:
                setattr(ctx, name, seen_as[id(kept)])
        if forward_ad.has_tangents(inputs):
            _forward_mode(cls, ctx, args, new_outputs)
        return tuple(new_outputs) if isinstance(result, tuple) else new_outputs[0]


ONCE_DIFFERENTIABLE_ERROR = (
    "trying to differentiate twice a function that was marked with @once_differentiable"
)


class _DelayedError(Function):
    """The outputs of a once_differentiable backward under create_graph: differentiating them
    again raises (PyTorch's DelayedError node)."""

    @staticmethod
    def forward(ctx: Any, *grads: Any) -> Any:
        return grads if len(grads) != 1 else grads[0]

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise RuntimeError(ONCE_DIFFERENTIABLE_ERROR)


_DelayedError._backward_cls.__name__ = "Error"  # PyTorch prints grad_fn=<Error>


def once_differentiable(backward: Any) -> Any:
    """Decorate a Function's backward that is not itself differentiable: it runs with recording
    off, and with create_graph its results raise if differentiated again (as in PyTorch)."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grad_outputs: Any) -> Any:
        with no_grad():
            outputs = backward(ctx, *grad_outputs)
        if not is_grad_enabled() or not any(_requires_grad(g) for g in grad_outputs):
            return outputs
        many = isinstance(outputs, tuple)
        fake = [_fake_requires_grad(o) for o in (outputs if many else (outputs,))]
        return _DelayedError.apply(*fake)

    return wrapper


def _fake_requires_grad(x: Any) -> Any:
    """A copy of x that requires grad, so that _DelayedError records a node for it."""
    if isinstance(x, Value):
        return Value(x.data)
    return x.detach().requires_grad_(True) if hasattr(x, "requires_grad_") else x


def _forward_mode(cls: type[Function], ctx: FunctionNode, args: tuple, outputs: list) -> None:
    """Dual numbers went into apply: the outputs' tangents are what cls.jvp(ctx, *input tangents)
    returns (None for an input without one), not what forward's own operations carried."""
    if cls.jvp is Function.jvp:
        Function.jvp(ctx)  # raises PyTorch's error: jvp is needed
    tangents_in = []
    for arg in args:
        inner = flatten(arg)
        found = forward_ad.tangents_of(inner[0]) if inner is not None else []
        if all(t is None for t in found):
            tangents_in.append(None)
        else:
            tangents_in.append(unflatten(arg, inner[1], [0.0 if t is None else t for t in found]))
    result = cls.jvp(ctx, *tangents_in)  # recorded, as PyTorch: a tangent can require grad
    result = result if isinstance(result, tuple) else (result,)
    if len(result) != len(outputs):
        raise RuntimeError(
            f"{cls.__name__}.jvp returned {len(result)} tangents for {len(outputs)} outputs"
        )
    for index, (out, tangent) in enumerate(zip(outputs, result)):
        inner = flatten(out)
        if inner is not None and tangent is not None:
            given = flatten(tangent)
            numbers = [v if v._node else v.data for v in given[0]] if given else [as_float(tangent)]
            if len(numbers) != len(inner[0]) or any(n is None for n in numbers):
                raise RuntimeError(
                    f"{cls.__name__}.jvp returned a tangent of shape {list(_shape_of(tangent))} "
                    f"for output {index} of shape {list(_shape_of(out))}: they must match"
                )
            forward_ad.set_tangents(inner[0], numbers)


def _requires_grad(arg: Any) -> bool:
    inner = flatten(arg)
    return inner is not None and any(v._node is not None for v in inner[0])


def _written_in_place(out: Any, fresh: list[Value], ctx: FunctionNode) -> Any:
    """A tensor forward changed in place (``ctx.mark_dirty``): its elements become the node's
    outputs, as an in-place operation's (PyTorch's refusals for a leaf or a view of one)."""
    if out.is_leaf and out.requires_grad and is_grad_enabled():
        out._count_write()  # PyTorch counts the write before it refuses it
        raise RuntimeError(
            "a leaf Variable that requires grad has been used in an in-place operation."
        )
    out._check_writable()
    out._store_values(out._slots(), fresh, ctx)  # a write of its own, counted (as PyTorch)
    return out


def _attach(data: float, node: FunctionNode) -> Value:
    out = Value(data)
    out._node = node  # its inputs are node.inputs (see Value._inputs)
    return out


def primitive_function(prim: rules.Primitive) -> type[Function]:
    """A primitive of rules.py as a Function: ``Mul.apply(x, y)``.

    It is built exactly like your own ``Square``: forward saves its inputs, backward
    returns one gradient per input, from the row's vjp.  (``x * y`` records the same row
    without a ctx object per node: a shortcut the engine takes, for speed.)
    """

    def forward(ctx: FunctionNode, *inputs: Value) -> Value:
        ctx.save_for_backward(*inputs)
        return apply(prim, *inputs)

    def backward(ctx: FunctionNode, grad_output: Value) -> tuple:
        inputs = ctx.saved_tensors
        out = apply(prim, *inputs)
        return prim.vjp(rules.ValueMath, grad_output, out, *inputs)

    name = prim.name.capitalize()
    return type(
        name,
        (Function,),
        {
            "forward": staticmethod(forward),
            "backward": staticmethod(backward),
            "__doc__": f"{prim.name} as a Function: {prim.math}",
        },
    )


PRIMITIVE_FUNCTIONS: dict[str, type[Function]] = {
    function.__name__: function
    for function in (
        primitive_function(prim)
        for prim in [*rules.BINARY.values(), *rules.UNARY.values()]
        if not prim.constant
    )
}
"""The primitives of rules.py as Functions, by name: Add, Sub, Mul, Div, Pow, Neg, Exp, ..."""
