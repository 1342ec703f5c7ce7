"""``Tensor.register_hook``: call ``hook(grad)`` with a tensor's whole gradient during backward.

The engine differentiates Values, one element at a time; a tensor hook needs the gradient of
every element at once.  Two facts make that possible:

* an intermediate tensor's elements all have their complete gradient when the pass reaches the
  first of them (every Value that used one is newer than all of them, and the pass goes newest
  first).  So each element's node is wrapped (``_HookedNode``): at the first element's turn it
  takes the other elements' gradients out of the pass, calls the hooks with the tensor of all of
  them, puts back what the hooks returned, and goes on with the new gradient;
* a leaf's gradient goes nowhere but into ``.grad``.  So each element of a leaf keeps its share
  aside (a Value hook that returns 0), and when the pass is over the hooks run on the tensor of
  the shares and what they return is added to ``.grad``, as PyTorch accumulates it.

The math does not change: a hook that returns h(g) in place of g makes every gradient below the
tensor ∂L/∂x = h(∂L/∂t)·∂t/∂x, by the chain rule.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any, Callable

from ..core.backward import HOOKS
from ..core.nodes import LEAF
from ..core.value import Value, backward_observers

_ids = itertools.count()


class TensorHookHandle:
    """What ``register_hook`` returns (``torch.utils.hooks.RemovableHandle``): ``remove()``
    takes the hook off, again harmlessly; ``with handle:`` removes it at the end of the block."""

    def __init__(self, hooks: dict[int, Callable], key: int) -> None:
        self.hooks_dict, self.id = hooks, key

    def remove(self) -> None:
        """Take the hook off."""
        self.hooks_dict.pop(self.id, None)

    def __enter__(self) -> TensorHookHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class _Group:
    """The hooks of one tensor, in the order they were registered, and its elements."""

    def __init__(self, tensor: Any) -> None:
        self.tensor = weakref.ref(tensor)
        self.values = list(tensor._values)
        # a hook's gradient is made of these, not of the tensor, which may be gone by the pass
        self.make, self.shape, self.dtype = tensor._plain, tensor.shape, tensor.dtype
        self.hooks: dict[int, Callable] = {}
        self.post_hooks: dict[int, Callable] = {}  # a leaf's, called after .grad is updated
        self.prehooks: dict[int, Callable] = {}  # its grad_fn's (Node.register_prehook)
        self.done_in: Any = None  # the pass whose hooks ran (an intermediate tensor)
        self.before: dict[Any, Any] = {}  # each element's .grad as the pass began
        self.shares: dict[Any, Any] = {}  # a leaf's gradients kept aside during the pass

    def run_hooks(self, grads: list, create_graph: bool) -> list:
        """The hooks called in turn on the tensor of `grads`, each one's result (if not None)
        given to the next: the new gradient of each element."""
        gradient = self.make(
            [g if isinstance(g, Value) else Value(g, requires_grad=False) for g in grads],
            self.shape,
            self.dtype,
        )
        for hook in list(self.hooks.values()):
            returned = hook(gradient)
            if returned is not None:
                gradient = _checked(hook, returned, gradient)
        for hook in list(self.prehooks.values()):  # its grad_fn's: after the tensor's, as PyTorch
            returned = hook((gradient,))
            if returned is not None:
                gradient = _checked(hook, _one_gradient(returned), gradient)
        return [v if create_graph and v._node is not None else v.data for v in gradient._values]

    # --- an intermediate tensor --------------------------------------------------------------
    def at_turn(self, value: Any, g: Any, run: Any) -> Any:
        """The first element's turn: every element's gradient through the hooks."""
        if self.done_in is run or not (self.hooks or self.prehooks):
            return g
        self.done_in = run
        taken = [g if v is value else run.pending.take(v) for v in self.values]
        new = self.run_hooks([0.0 if t is None else t for t in taken], run.create_graph)
        for v, n in zip(self.values, new):
            if v is not value:
                run.pending.add(v, n)  # visited later with the new gradient
        mine = new[self.values.index(value)]
        if run.accumulate:  # .grad took the gradient before the hooks: it gets the new one
            value.grad = _added(self.before.get(value, value.grad), mine)
        if value in run.wanted:
            run.found[value] = mine
        return mine

    # --- a leaf --------------------------------------------------------------------------------
    def keep_share(self, value: Any) -> Callable[[Any], Any]:
        """The Value hook of a leaf's element: keep its gradient aside, add nothing now.  It
        holds the group and the element weakly: ``HOOKS`` is keyed weakly by the element, and a
        strong reference back would keep both alive for ever (and every later pass slow)."""
        group, element = weakref.ref(self), weakref.ref(value)

        def share(g: Any) -> Any:
            me, v = group(), element()
            if me is None or v is None:  # the tensor and its hooks are gone: g goes to .grad
                return g
            me.shares[v] = me.shares[v] + g if v in me.shares else g
            return 0.0

        return share

    def pass_over(self, create_graph: bool) -> None:
        """The pass is over: the hooks on the leaf's gradient, then into .grad."""
        shares, self.shares = self.shares, {}
        if not shares:
            return
        grads = [shares.get(v, 0.0) for v in self.values]
        for v, n in zip(self.values, self.run_hooks(grads, create_graph)):
            v.grad = _added(self.before.get(v, v.grad), n)
        if self.post_hooks:
            _post_pending.append(self)  # run once .grad is complete (run_post_accumulate_hooks)


class _HookedNode:
    """An intermediate element's node, wrapped: its tensor's hooks run first (``at_turn``);
    everything else is the node's own."""

    def __init__(self, inner: Any, group: _Group) -> None:
        self.inner, self.group = inner, group

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def local_gradients(self, value: Any, g: Any, run: Any) -> Any:
        """The tensor's hooks, then the node's own step with the gradient they gave."""
        return self.inner.local_gradients(value, self.group.at_turn(value, g, run), run)


_post_pending: list[_Group] = []  # leaves whose post-accumulate hooks are due


def run_post_accumulate_hooks() -> None:
    """Call the post-accumulate hooks of the leaves the last backward pass reached, each with
    its tensor, whose ``.grad`` is now complete (PyTorch's ``post_accumulate_grad_hook``)."""
    while _post_pending:
        group = _post_pending.pop(0)
        tensor = group.tensor()
        for hook in list(group.post_hooks.values()) if tensor is not None else ():
            hook(tensor)


# the groups with hooks, held weakly: a group lives as long as its tensor, or (an intermediate
# tensor's) as long as the graph whose nodes run its hooks
_live: weakref.WeakSet[_Group] = weakref.WeakSet()


NO_GRAD_HOOK_ERROR = "cannot register a hook on a tensor that doesn't require gradient"


def register_tensor_hook(tensor: Any, hook: Callable[[Any], Any]) -> TensorHookHandle:
    """Call ``hook(grad)`` with the tensor's gradient each time a backward pass computes it; a
    tensor it returns replaces the gradient (``Tensor.register_hook``)."""
    if not tensor.requires_grad:
        raise RuntimeError(NO_GRAD_HOOK_ERROR)
    key = next(_ids)
    group = _group_of(tensor)
    group.hooks[key] = hook
    return TensorHookHandle(group.hooks, key)


def register_post_accumulate_hook(tensor: Any, hook: Callable[[Any], Any]) -> TensorHookHandle:
    """Call ``hook(tensor)`` after each backward pass that added to this leaf's ``.grad``
    (``Tensor.register_post_accumulate_grad_hook``: an optimizer step per parameter)."""
    if not tensor.requires_grad:
        raise RuntimeError(NO_GRAD_HOOK_ERROR)
    if tensor.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    key = next(_ids)
    group = _group_of(tensor)
    group.post_hooks[key] = hook
    return TensorHookHandle(group.post_hooks, key)


def register_node_prehook(tensor: Any, hook: Callable[[tuple], Any]) -> TensorHookHandle:
    """Call ``hook((grad,))`` with the gradient of `tensor`, the result of a node, before the
    node passes it on; a tuple it returns replaces it (``grad_fn.register_prehook``)."""
    key = next(_ids)
    group = _group_of(tensor)
    group.prehooks[key] = hook
    return TensorHookHandle(group.prehooks, key)


def _one_gradient(returned: Any) -> Any:
    """The gradient in what a node pre-hook returned: a tuple of one (PyTorch's form)."""
    if not isinstance(returned, (tuple, list)) or len(returned) != 1:
        raise RuntimeError(
            "hooks should return None or a tuple of one gradient per output of the node "
            f"(got {type(returned).__name__})"
        )
    return returned[0]


def _group_of(tensor: Any) -> _Group:
    """The tensor's hook group, made (and its elements' nodes wrapped) at its first hook."""
    tensor._check_gradient_input()  # a view's elements are its base's: refused, as retain_grad
    group = getattr(tensor, "_hook_group", None)
    if group is None:
        group = tensor._hook_group = _Group(tensor)
        for v in group.values:
            if v._node is LEAF:
                HOOKS.setdefault(v, []).append(group.keep_share(v))
            else:
                v._node = _HookedNode(v._node, group)
        _watch(group)
    return group


def has_leaf_hooks(tensor: Any) -> bool:
    """True for a leaf tensor with hooks (autograd.grad with respect to one is refused)."""
    group = getattr(tensor, "_hook_group", None)
    return group is not None and bool(group.hooks) and tensor.is_leaf


def _watch(group: _Group) -> None:
    """Tell the group when each backward pass begins and ends."""
    _live.add(group)
    if _observe not in backward_observers.here():
        backward_observers.append(_observe)


def _observe(roots: Any) -> None:
    """A backward pass begins (roots) or is over (None)."""
    for group in list(_live):
        if roots is not None:
            group.before = {v: v.grad for v in group.values}
        else:
            group.pass_over(any(isinstance(g, Value) for g in group.shares.values()))
    if roots is None:
        while _multi_due:  # after every tensor's own hooks: all their gradients are known
            _multi_due.pop(0).pass_over()


# --- register_multi_grad_hook ---------------------------------------------------------------
_multi_due: list[_MultiGrad] = []  # the multi-grad hooks that saw a gradient in this pass


class _MultiGrad:
    """One ``register_multi_grad_hook``: a tensor hook on each tensor, and what they saw."""

    def __init__(self, count: int, fn: Callable, mode: str) -> None:
        self.fn, self.mode = fn, mode
        self.grads: list = [None] * count
        self.fired = False  # mode "any": fn was called in this pass

    def hook_for(self, index: int) -> Callable[[Any], None]:
        """The tensor hook of the index-th tensor: note its gradient (mode "any": call fn with
        the first one of the pass)."""

        def seen(grad: Any) -> None:
            if self not in _multi_due:
                _multi_due.append(self)
            self.grads[index] = grad
            if self.mode == "any" and not self.fired:
                self.fired = True
                self.fn(grad)

        return seen

    def pass_over(self) -> None:
        """The pass is over: mode "all" calls fn with every gradient (None for a tensor the
        pass did not reach); then the next pass starts afresh."""
        grads, self.grads, self.fired = tuple(self.grads), [None] * len(self.grads), False
        if self.mode == "all":
            self.fn(grads)


class MultiHookHandle:
    """What ``register_multi_grad_hook`` returns: ``remove()`` takes off each tensor's hook."""

    def __init__(self, handles: list[TensorHookHandle]) -> None:
        self.handles = handles

    def remove(self) -> None:
        """Take the hook off every tensor."""
        for handle in self.handles:
            handle.remove()

    def __enter__(self) -> MultiHookHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register_multi_grad_hook(tensors: Any, fn: Callable, *, mode: str = "all") -> MultiHookHandle:
    """``torch.autograd.graph.register_multi_grad_hook``: mode "all" calls ``fn(grads)`` once a
    backward pass has computed the gradients of `tensors` (None for those it did not reach);
    mode "any" calls ``fn(grad)`` with the first of them.  micrograd calls mode "all" when the
    pass is over, where PyTorch calls it as soon as the last gradient is known."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state = _MultiGrad(len(tensors), fn, mode)
    handles = [
        register_tensor_hook(t, state.hook_for(i)) for i, t in enumerate(tensors) if t.requires_grad
    ]
    return MultiHookHandle(handles)


def _added(grad: Any, g: Any) -> Any:
    """grad + g, None meaning no gradient yet."""
    return 0.0 + g if grad is None else grad + g


def _checked(hook: Callable, returned: Any, gradient: Any) -> Any:
    """What a hook returned, refused unless a tensor of the gradient's shape (PyTorch's words)."""
    if not hasattr(returned, "_values"):
        raise TypeError(f"expected Tensor, but hook returned '{type(returned).__name__}'")
    if tuple(returned.shape) != tuple(gradient.shape):
        name = getattr(hook, "__name__", repr(hook))
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    return returned
