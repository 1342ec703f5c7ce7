"""A tensor's history: its ``grad_fn`` (PyTorch's names), for printing and the tensor view of drawings.

Gradients flow through the Values inside; this history only says, at the tensor level,
which operation made a tensor from which tensors (``MulBackward0`` from ``x`` and ``w``).
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any, Callable, Iterator

from ..core.errors import RETAIN_GRAPH_ERROR, NotSupported
from ..core.value import Value
from ..core.nodes import AccumulateGrad, BackwardNode, backward_node_class
from .saved import ALSO_SAVED, KEEPS_A_NODE, OUT, SAVED_NAMES, SAVED_NUMBERS, saved_by
from .saved import saved_tensors_hooks_stack

_stamps = itertools.count()  # the order nodes are made in: unpack hooks run newest first


class NoGrad(float):
    """The .grad of an element no backward pass has reached: 0.0 to the engine, None to Tensor.grad."""

    def __repr__(self) -> str:
        return "0.0"

    def __add__(self, other: Any) -> Any:
        # The first gradient to arrive is the gradient, as PyTorch assigns it: 0.0 + (-0.0)
        # would lose the sign of a zero gradient (PyTorch's x.grad is -0. after x - y at y).
        if other.__class__ is float:
            return other
        return float.__add__(self, other)

    __radd__ = __add__


NO_GRAD = NoGrad(0.0)


class TensorNode(BackwardNode):
    """A tensor's grad_fn: its PyTorch name, the operation and the input tensors (for drawing),
    and the versions of the tensors it saved for backward (``saved``, see ``check_versions``)."""

    # (which input, -1 for the result; the tensor; its storage; the storage's version then;
    # the node that made the tensor, None for a leaf)
    saved: tuple = ()
    freed = False  # a backward pass that did not retain the graph went through it
    keeps = False  # it saves something for backward (a tensor or a number): see free_saved
    refusal = ""  # PyTorch's error when a backward pass reaches this node (x ** bool tensor)

    _result: Any = None  # a weak reference to the tensor it made (remember_saved)
    packed: tuple = ()  # (which, what pack_hook returned, unpack_hook): saved_tensors_hooks

    def __init__(self, op: str, parents: tuple) -> None:
        self.op, self.parents = op, parents
        self.edges = tuple(edge_of(p) for p in parents)  # as they were: PyTorch's edges
        self.stamp = next(_stamps)
        self._metadata: dict = {}

    @property
    def metadata(self) -> dict:
        """PyTorch's per-node dictionary, for your own notes (empty at first, kept)."""
        return self._metadata

    def __getattr__(self, name: str) -> Any:
        # grad_fn._saved_self, ._saved_result, ._raw_saved_other...: what the node saved
        for prefix, raw in (("_saved_", False), ("_raw_saved_", True)):
            if name.startswith(prefix):
                return saved_attribute(self, name[len(prefix) :], raw)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def register_prehook(self, hook: Callable) -> Any:
        """Call ``hook(grad_outputs)`` with the tuple of the gradient of this node's result, before
        the node runs; a tuple it returns replaces them (``Node.register_prehook``)."""
        result = self._result() if self._result is not None else None
        if result is None:
            raise NotSupported(
                f"register_prehook on {self.name()} is not supported by micrograd (the node "
                "does not know its result tensor): register_hook on the result tensor instead"
            )
        from ..autograd.hooks import register_node_prehook

        return register_node_prehook(result, hook)

    @property
    def next_functions(self) -> tuple:
        """(node, 0) for each input tensor: AccumulateGrad for a leaf, None for a constant."""
        return tuple(
            (AccumulateGrad(p) if edge is LEAF_EDGE else edge, 0)
            for p, edge in zip(self.parents, self.edges)
        )

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"


LEAF_EDGE = "leaf"  # an edge to a leaf that requires grad (its AccumulateGrad)


def edge_of(t: Any) -> Any:
    """What a node made now links to for its input t: None for a constant (or a number),
    LEAF_EDGE for a leaf that requires grad, else t's grad_fn.  Kept, as PyTorch keeps its
    edges: an in-place write into t afterwards gives t a new grad_fn, not the node a new input."""
    if not is_tensor(t) or not t.requires_grad:
        return None
    node = t.grad_fn
    return LEAF_EDGE if node is None else node


def tensor_node(name: str, op: str, parents: tuple) -> TensorNode:
    """A grad_fn object named `name` (MulBackward0) for an operation on `parents`."""
    return backward_node_class(name, TensorNode)(op, parents)


def constant_value(x: float) -> Value:
    """A constant Value for a tensor element (its .grad reads as None until backward reaches it)."""
    v = Value(x, requires_grad=False)
    v.grad = NO_GRAD
    return v


# --- version counters -----------------------------------------------------------------------
def remember_saved(node: TensorNode, result: Any) -> None:
    """Note the versions of the tensors `node` saves for backward, as PyTorch saves them
    (``saved.py``: which inputs, and whether the result, by the node's name)."""
    parents = node.parents
    requires = tuple(is_tensor(p) and p.requires_grad for p in parents)
    shapes = [tuple(p.shape) for p in parents] if node.op == "matmul" else None
    inputs, keeps_result = saved_by(node.name(), requires, op=node.op, shapes=shapes)
    node.keeps = bool(inputs or keeps_result)  # numbers too: a second pass raises for them
    saved = [
        (i, parents[i], counter(parents[i]), counter(parents[i]).version, parents[i]._grad_fn)
        for i in inputs
        if i < len(parents) and is_tensor(parents[i])
    ]
    if keeps_result:
        saved.append((-1, result, counter(result), counter(result).version, node))
    node.saved = tuple(saved)
    node._result = weakref.ref(result)
    if saved_tensors_hooks_stack and saved:
        pack_saved(node)


def saved_order(node: TensorNode) -> list[tuple[str, Any]]:
    """(PyTorch's name, the saved tensor) for each tensor the node saved, in PyTorch's order."""
    by_index = {which: t for which, t, *_ in node.saved if which != -2}
    names = SAVED_NAMES.get(node.name(), ())
    ordered = [
        (n, by_index.pop(-1 if i == OUT else i))
        for n, i in names
        if (-1 if i == OUT else i) in by_index
    ]
    return ordered + [(f"input {i}", t) for i, t in by_index.items()]


def pack_saved(node: TensorNode) -> None:
    """saved_tensors_hooks in force: each tensor the node saves goes through pack_hook now, in
    the order PyTorch packs them; unpack_hook gets what it returned in backward."""
    pack, unpack = saved_tensors_hooks_stack[-1]
    node.packed = tuple((t, pack(t), unpack) for _, t in saved_order(node))


def unpack_saved(roots: list[Any]) -> None:
    """A backward pass begins: each node below `roots` that packed its saved tensors gives them
    to unpack_hook, newest node first (PyTorch's order of running nodes).  The engine computes
    with the tensors' own Values, so what unpack returns must hold the same numbers: a hook that
    changes them is refused (NotSupported), never silently ignored."""
    nodes = [n for _, n in walk(roots) if getattr(n, "packed", ())]
    for node in sorted(nodes, key=lambda n: -n.stamp):
        if node.freed:
            raise RuntimeError(RETAIN_GRAPH_ERROR)
        for original, packed, unpack in node.packed:
            check_unpacked(original, unpack(packed))


UNPACK_RTOL, UNPACK_ATOL = 1e-3, 1e-4
"""How close an unpacked tensor must be to the packed one: hooks that compress or print and
re-read a tensor (``eval(repr(x))`` keeps 4 decimals) give it back to about this."""


def check_unpacked(original: Any, unpacked: Any) -> None:
    """Refuse an unpacked tensor that is not the saved one's numbers (see unpack_saved): equal
    to within UNPACK_RTOL·|x| + UNPACK_ATOL, the engine going on with the saved numbers."""
    same = is_tensor(unpacked) and tuple(unpacked.shape) == tuple(original.shape)
    if same and all(
        abs(a.data - b.data) <= UNPACK_RTOL * abs(b.data) + UNPACK_ATOL
        for a, b in zip(unpacked._values, original._values)
    ):
        return
    raise NotSupported(
        "an unpack hook that returns other numbers than the tensor packed is not supported by "
        "micrograd (its backward computes with the saved tensor's own elements); return a "
        "tensor equal to the one pack_hook was given (to a relative 1e-3)"
    )


class SavedTensor:
    """What ``grad_fn._raw_saved_self`` gives (PyTorch's ``SavedTensor``): ``register_hooks(pack,
    unpack)`` packs the saved tensor now and unpacks it when a backward pass begins."""

    def __init__(self, node: TensorNode, tensor: Any) -> None:
        self.node, self.tensor = node, tensor

    def register_hooks(self, pack_hook: Callable, unpack_hook: Callable) -> None:
        """Pack the saved tensor with pack_hook; a backward pass unpacks it with unpack_hook."""
        if any(entry[0] is self.tensor for entry in self.node.packed):
            raise RuntimeError("SavedTensor hooks have already been set on this SavedTensor")
        packed = pack_hook(self.tensor.detach())  # PyTorch packs a detached saved tensor here
        self.node.packed += ((self.tensor, packed, unpack_hook),)


def saved_attribute(node: TensorNode, name: str, raw: bool) -> Any:
    """grad_fn._saved_<name> (raw: ._raw_saved_<name>) as PyTorch gives it: the saved tensor (a
    saved result as a tensor of its own, with the same grad_fn), None if the node has such a
    name but did not save it this time, PyTorch's error once a backward pass freed it."""
    names = dict(SAVED_NAMES.get(node.name(), ()))
    if name not in names:
        if name in SAVED_NUMBERS.get(node.name(), ()):
            raise NotSupported(
                f"grad_fn._saved_{name} of {node.name()} is not supported by micrograd: its "
                "nodes keep no numbers or sizes (only tensors); read it from your program"
            )
        raise AttributeError(f"'{node.name()}' object has no attribute '_saved_{name}'")
    index = -1 if names[name] == OUT else names[name]
    found = [entry for entry in node.saved if entry[0] == index]
    if not found:
        return None
    if node.freed:
        raise RuntimeError(RETAIN_GRAPH_ERROR)
    which, t, counted, version, made_by = found[0]
    if counted.version != version:
        raise RuntimeError(
            modified_message(t, made_by if which == -1 else node_now(t), counted.version, version)
        )
    if raw:
        return SavedTensor(node, t)
    for original, packed, unpack in node.packed:  # hooked: reading it unpacks it, as PyTorch
        if original is t:  # does; PyTorch gives what unpack returned t's autograd identity,
            check_unpacked(original, unpack(packed))  # so the numbers and grad_fn are t's
    return t._snapshot() if which == -1 else t  # PyTorch: a saved input is that very tensor


def counter(t: Any) -> Any:
    """What counts t's in-place writes: its storage, or the counter of a ``.data`` alias."""
    return t._counter or t._storage


def remember_also(result: Any, t: Any) -> None:
    """Note the version of t, which the node that made `result` also saves (``ALSO_SAVED``:
    where's condition, max(dim)'s indices), if it has one."""
    node = result._grad_fn
    if isinstance(node, TensorNode):
        node.saved += ((-2, t, counter(t), counter(t).version, None),)


def maker(t: Any) -> BackwardNode | None:
    """The node that made t (None for a leaf): named in the version error."""
    return t._grad_fn


def node_now(t: Any) -> BackwardNode | None:
    """t's grad_fn now; for a view an in-place write made invalid, the node it had."""
    try:
        return t.grad_fn
    except RuntimeError:
        return t._grad_fn


def walk(roots: list[Any]) -> Iterator[tuple[Any, BackwardNode | None]]:
    """Each tensor of the history below `roots` once, with its grad_fn (a TensorNode, None for a
    leaf, or the node of a Function, whose inputs are not followed)."""
    seen: set[int] = set()
    stack = [(t, t.grad_fn) for t in roots]  # an invalid view raises, as PyTorch's does
    while stack:
        t, node = stack.pop()
        node = None if node is LEAF_EDGE else node
        key = id(t) if node is None else id(node)
        if key in seen:
            continue
        seen.add(key)
        yield t, node
        if isinstance(node, TensorNode):
            stack.extend((p, e) for p, e in zip(node.parents, node.edges) if e is not None)


def check_versions(roots: list[Any]) -> None:
    """Refuse a backward pass that would read a tensor changed in place after it was saved,
    or saved tensors an earlier pass freed (``free_saved``), or that reaches a node PyTorch's
    backward formula fails at (``refusal``)."""
    for _, node in walk(roots):
        saved = getattr(node, "saved", ())
        if node is not None and getattr(node, "freed", False):
            name = node.name()
            if getattr(node, "keeps", False) or name in ALSO_SAVED or name in KEEPS_A_NODE:
                raise RuntimeError(RETAIN_GRAPH_ERROR)
        if getattr(node, "refusal", ""):
            raise RuntimeError(node.refusal)
        for which, t, counted, version, made_by in saved:
            if counted.version != version:  # PyTorch names a saved result by its node, a saved
                if which != -1:  # input by the node that made it now
                    made_by = node_now(t) if t._base is None else t._base._grad_fn
                raise RuntimeError(modified_message(t, made_by, counted.version, version))


def free_saved(roots: list[Any]) -> None:
    """After a backward pass that did not retain the graph: PyTorch frees what the nodes
    saved, so a second pass through one of them is refused.  The Values' own graph is freed
    by the engine; this is for the tensor nodes, which a tensor with no elements has alone."""
    for _, node in walk(roots):
        if isinstance(node, TensorNode):
            node.freed = True


def modified_message(t: Any, made_by: Any, now: int, then: int) -> str:
    """PyTorch's words for a saved tensor changed in place (made_by: the node that made it,
    None for a leaf), with a hint of our own."""
    kind = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}
    name = made_by.name() if made_by is not None else ""
    which = f", which is output 0 of {name.split('Backward')[0]}," if name else ""
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{kind[t.dtype.name]}Tensor {list(t.shape)}]{which} is at version "
        f"{now}; expected version {then} instead. Hint: an operation saved this tensor for the "
        "backward pass, and an in-place change (a method ending in _, +=, t[i] = ...) came "
        "after it; compute a new tensor instead (x = x + 1), or do the change before the "
        "operation."
    )


def multi_view_message(output: str, base_modified: bool) -> str:
    """PyTorch's refusal for `output` ("Output 1 of Split") of a function returning several
    views, written in place (or, `base_modified`, its base or a sibling was): the views share
    one backward node, which cannot be rebased for one of them."""
    what = "its base or another view of its base has been" if base_modified else "is being"
    return (
        f"{output} is a view and {what} modified inplace. This view is the output of a "
        "function that returns multiple views. Such functions do not allow the output views to "
        "be modified inplace. You should replace the inplace operation by an out-of-place one."
    )


def reachable_leaves(roots: list[Any]) -> list[Any]:
    """The leaf tensors that require grad below `roots`: backward gives each a gradient."""
    return [t for t, node in walk(roots) if node is None and t.requires_grad]


def is_tensor(x: Any) -> bool:
    """True for a Tensor (history.py does not import tensor.py, which imports it)."""
    return hasattr(x, "_storage")
