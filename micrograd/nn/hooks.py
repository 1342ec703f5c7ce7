"""Module hooks, as in ``torch.nn.modules.module``: the tables of hooks and the call that runs them.

* forward hooks: ``register_module_forward_pre_hook`` and ``register_module_forward_hook`` run
  around every module call (the drawings record the calls so, in ``teaching/module_calls.py``);
  a module's own (``Module.register_forward_pre_hook``...) around its calls;
* full backward hooks: ``hook(module, grad_input, grad_output)`` once the gradients with respect
  to a call's tensor inputs are known, and pre-hooks ``hook(module, grad_output)`` once those
  with respect to its outputs are.  As in PyTorch (``torch.utils.hooks.BackwardHook``), the
  call's tensor inputs and outputs pass through an identity Function, ``BackwardHookFunction``,
  whose backward step sees the gradients: the one on the outputs receives ∂L/∂output (the
  pre-hooks may change it), the one on the inputs ∂L/∂input summed over every use of the input
  inside the call, which is what the hooks are given (and may change).
"""

from __future__ import annotations

import itertools
import warnings
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..autograd.function import Function
from ..core.errors import NotSupported
from ..core.modes import is_grad_enabled
from ..core.value import Value
from ..tensors import Tensor, zeros

_global_forward_pre_hooks: dict[int, Callable] = {}
_global_forward_hooks: dict[int, Callable] = {}
_global_backward_hooks: dict[int, Callable] = {}
_global_backward_pre_hooks: dict[int, Callable] = {}
_always_called: set[int] = set()  # forward hooks registered with always_call=True
_with_kwargs: set[int] = set()  # forward (pre-)hooks registered with with_kwargs=True
_hook_ids = itertools.count()
NO_HOOKS: Mapping[int, Callable] = MappingProxyType({})  # a module's hooks until it has one
_any_global_hooks = False


def _hooks_changed() -> None:
    global _any_global_hooks
    _any_global_hooks = bool(
        _global_forward_pre_hooks
        or _global_forward_hooks
        or _global_backward_hooks
        or _global_backward_pre_hooks
    )


def any_global_hooks() -> bool:
    """True if some global module hook is registered (every call then runs the hooks)."""
    return _any_global_hooks


class RemovableHandle:
    """What the register_*hook functions return (``torch.utils.hooks.RemovableHandle``): ``remove()``
    takes the hook off (again is harmless); ``with handle:`` removes it at the end of the block."""

    def __init__(self, hooks: dict[int, Callable]) -> None:
        self.hooks_dict, self.id = hooks, next(_hook_ids)

    def remove(self) -> None:
        """Take the hook off."""
        self.hooks_dict.pop(self.id, None)
        _always_called.discard(self.id)
        _with_kwargs.discard(self.id)
        _hooks_changed()

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def add_hook(
    hooks: dict[int, Callable],
    hook: Callable,
    prepend: bool = False,
    always_call: bool = False,
    with_kwargs: bool = False,
) -> RemovableHandle:
    """Put `hook` into the table `hooks` (first with `prepend`); its handle takes it out."""
    handle = RemovableHandle(hooks)
    if prepend:
        rest = list(hooks.items())
        hooks.clear()
        hooks[handle.id] = hook
        hooks.update(rest)
    else:
        hooks[handle.id] = hook
    if always_call:
        _always_called.add(handle.id)
    if with_kwargs:
        _with_kwargs.add(handle.id)
    _hooks_changed()
    return handle


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, args)`` before every module's forward (``args``: the tuple of positional
    arguments); it may return new arguments (a tuple, or a single value).  Runs before the
    module's own pre-hooks.  Returns a handle: ``handle.remove()`` takes the hook off."""
    return add_hook(_global_forward_pre_hooks, hook)


def register_module_forward_hook(
    hook: Callable[..., Any], *, with_kwargs: bool = False, always_call: bool = False
) -> RemovableHandle:
    """Call ``hook(module, args, output)`` after every module's forward; it may return a new output.
    With ``always_call=True`` it runs even when the call raises (output is then None, as in
    PyTorch).  Runs before the module's own forward hooks.  Returns a handle with ``remove()``."""
    return add_hook(_global_forward_hooks, hook, always_call=always_call, with_kwargs=with_kwargs)


def register_module_full_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, grad_input, grad_output)`` for every module call, before the modules' own."""
    return add_hook(_global_backward_hooks, hook)


def register_module_full_backward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, grad_output)`` for every module call, before the modules' own."""
    return add_hook(_global_backward_pre_hooks, hook)


# --- a call with its hooks ----------------------------------------------------------------------
def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """module.forward(*args, **kwargs) with the global hooks, then the module's own, around it (as
    PyTorch's Module._call_impl runs them)."""
    pre = (*_global_forward_pre_hooks.items(), *module._forward_pre_hooks.items())
    hooks = (*_global_forward_hooks.items(), *module._forward_hooks.items())
    for hook_id, hook in pre:
        if hook_id in _with_kwargs:
            new = hook(module, args, kwargs)
            if new is not None:
                if not (isinstance(new, tuple) and len(new) == 2):
                    raise RuntimeError(
                        "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                        f"but got {new}."
                    )
                args, kwargs = new
        else:
            new = hook(module, args)
            if new is not None:
                args = new if isinstance(new, tuple) else (new,)
    full = (*_global_backward_hooks.values(), *module._backward_hooks.values())
    full_pre = (*_global_backward_pre_hooks.values(), *module._backward_pre_hooks.values())
    backward_hook = BackwardHook(module, full, full_pre) if full or full_pre else None
    if backward_hook is not None:
        args = backward_hook.setup_input_hook(args)
    out, started = None, 0
    try:
        out = module.forward(*args, **kwargs)
        for hook_id, hook in hooks:
            started += 1
            if hook_id in _with_kwargs:
                new_out = hook(module, args, kwargs, out)
            else:
                new_out = hook(module, args, out)
            if new_out is not None:
                out = new_out
    except Exception:
        for hook_id, hook in hooks[started:]:  # the always_call hooks that have not started
            if hook_id in _always_called:
                try:
                    extra = (kwargs,) if hook_id in _with_kwargs else ()
                    hook(module, args, *extra, out)
                except Exception as e:
                    warnings.warn(
                        "module forward hook with always_call=True raised an exception that was "
                        f"silenced as another error was raised in forward: {e}",
                        stacklevel=3,
                    )
        raise
    if backward_hook is not None:
        out = backward_hook.setup_output_hook(out)
    return out


# --- full backward hooks ------------------------------------------------------------------------
class BackwardHookFunction(Function):
    """The identity on tensors, whose backward step hands the gradients to a ``BackwardHook``:
    y = x, so ∂L/∂x = ∂L/∂y (or what the hooks return in its place)."""

    @staticmethod
    def forward(ctx: Any, on_backward: Callable, *tensors: Tensor) -> tuple:
        """The tensors themselves (the node is what matters)."""
        ctx.set_materialize_grads(False)  # an output that got no gradient: None, as in PyTorch
        ctx.on_backward = on_backward
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple:
        """The gradients, through the hooks."""
        return (None, *ctx.on_backward(grads))


class BackwardHook:
    """One module call's full backward hooks (``torch.utils.hooks.BackwardHook``): the gradients
    with respect to the outputs are kept (after the pre-hooks), then given to the hooks with
    those with respect to the inputs."""

    def __init__(self, module: Any, hooks: tuple, pre_hooks: tuple) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs, self.input_index = 0, None
        self.n_outputs, self.output_index = 0, None

    def setup_input_hook(self, args: tuple) -> tuple:
        """The tensor arguments through the identity whose backward calls the hooks."""
        self.n_inputs = len(args)
        self.inputs = [a for a in args if isinstance(a, Tensor)]
        args, self.input_index = _through_identity(args, self._inputs_backward)
        return args

    def setup_output_hook(self, out: Any) -> Any:
        """The outputs through the identity whose backward keeps ∂L/∂output."""
        if isinstance(out, Value) or (
            isinstance(out, (list, tuple)) and any(isinstance(o, Value) for o in out)
        ):
            raise NotSupported(
                "full backward hooks are supported on modules of tensors: this module returned "
                "Values (use Value.register_hook, or Tensors)"
            )
        if not isinstance(out, (Tensor, tuple)):
            warnings.warn(
                "For backward hooks to be called, module output should be a Tensor or a tuple of "
                f"Tensors but received {type(out)}",
                stacklevel=3,
            )
        single = not isinstance(out, tuple)
        outputs = (out,) if single else out
        self.n_outputs = len(outputs)
        outputs, self.output_index = _through_identity(outputs, self._outputs_backward)
        return outputs[0] if single else outputs

    def _outputs_backward(self, grads: tuple) -> tuple:
        self.grad_outputs = _packed(self.output_index, grads, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise RuntimeError(
                    "Backward pre hook returned an invalid number of grad_output, "
                    f"got {len(new)}, but expected {len(self.grad_outputs)}"
                )
            self.grad_outputs = tuple(new)
        kept = self.grad_outputs
        if self.input_index is None:  # no input requires grad: the hooks fire now, as PyTorch's
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module "
                "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/"
                "main/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook"
                " for more details.",
                stacklevel=2,
            )
            nothing = (None,) * self.n_inputs
            for hook in self.hooks:
                res = hook(self.module, nothing, self.grad_outputs)
                if res is not None and not all(r is None for r in res):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(kept[i] for i in self.output_index)

    def _inputs_backward(self, grads: tuple) -> tuple:
        if self.grad_outputs is None:  # the gradient reached the inputs around the outputs
            return grads
        # an input that got no gradient (or needs none) shows zeros, as PyTorch's materialized
        grads = tuple(
            zeros(*t.shape, dtype=t.dtype) if g is None else g for t, g in zip(self.inputs, grads)
        )
        res = _packed(self.input_index, grads, self.n_inputs)
        for hook in self.hooks:
            out = hook(self.module, res, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(res):
                raise RuntimeError(
                    "Backward hook returned an invalid number of grad_input, "
                    f"got {len(out)}, but expected {len(res)}"
                )
            res = tuple(out)
        self.grad_outputs = None
        return tuple(res[i] for i in self.input_index)


def _through_identity(args: tuple, on_backward: Callable) -> tuple[tuple, list[int] | None]:
    """args with its tensors passed through BackwardHookFunction, and their positions (None, and
    args unchanged, when none requires grad or grad mode is off, as in PyTorch)."""
    index = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    if not (any(args[i].requires_grad for i in index) and is_grad_enabled()):
        return args, None
    new = BackwardHookFunction.apply(on_backward, *(args[i] for i in index))
    out = list(args)
    for i, t in zip(index, new):
        out[i] = t
    return tuple(out), index


def _packed(index: list[int] | None, values: tuple, size: int) -> tuple:
    """A tuple of `size`, values at the positions `index`, None elsewhere."""
    res: list[Any] = [None] * size
    for i, v in zip(index or (), values):
        res[i] = v
    return tuple(res)
