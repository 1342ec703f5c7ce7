"""``torch.nn.Module`` and ``torch.nn.Parameter``, as PyTorch 2.13 has them.

A module keeps what it is made of in three tables, filled by assignment as in PyTorch
(``__setattr__``): ``_parameters`` (``self.w = nn.Parameter(...)``), ``_buffers``
(``register_buffer``: tensors that are state but not learnt) and ``_modules`` (``self.fc =
nn.Linear(...)``).  Every walk over a model reads them: ``named_parameters`` and
``named_buffers`` (generators, names joined by dots: ``0.weight``), ``named_modules``,
``state_dict`` / ``load_state_dict``, ``apply``, ``to``, ``train``, the printout.

karpathy's modules on Values (``Neuron``, ``Layer``, ``MLP`` in ``modules.py``) do not call
``Module.__init__`` and keep their Values in plain attributes: they define ``parameters()``
themselves, returning a list, as his micrograd does; the tables read as empty for them.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import Any, Callable, Iterator, Mapping

from ..core.errors import NotSupportedAttribute
from ..core.modes import no_grad
from ..tensors import Tensor, as_tensor, tensor
from ..tensors.devices import as_device
from ..tensors.dtypes import dtype as DType
from ..tensors.dtypes import float32, float64
from ..tensors.elements import element_values
from ..tensors.gradients import clear_gradients
from . import hooks
from .hooks import NO_HOOKS, RemovableHandle, add_hook

_TABLES = ("_parameters", "_buffers", "_modules")


class Parameter(Tensor):
    """``torch.nn.Parameter``: a leaf tensor that requires grad (unless requires_grad=False); a Module
    finds it among its attributes.  It holds new Values with data's numbers (PyTorch's shares data's memory)."""

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        source = tensor([]) if data is None else as_tensor(data).detach()
        super().__init__(list(source._values), source.shape, source.dtype)
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__


Parameter.__module__ = "micrograd.nn.parameter"  # where PyTorch keeps it: torch.nn.parameter


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it missed and those it did not expect."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


_TORCH_MODULE_NAMES = frozenset(
    """bfloat16 compile cuda dump_patches get_extra_state half ipu mtia
    register_backward_hook register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_state_dict_post_hook
    register_state_dict_pre_hook set_extra_state set_submodule share_memory to_empty type
    xpu""".split()
)
"""PyTorch's public nn.Module names (torch 2.13) micrograd's Module lacks: refused with
NotSupported (``Module.__getattr__``)."""


_TENSOR_TYPES = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}


def _typename(value: Any) -> str:
    """The type name PyTorch's messages show (``torch.typename``: torch.FloatTensor, int)."""
    if isinstance(value, Tensor):
        return f"torch.{_TENSOR_TYPES[str(value.dtype).removeprefix('torch.')]}Tensor"
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", None) else f"{module}.{kind.__qualname__}"


def _check_name(kind: str, name: Any) -> None:
    """A parameter's, buffer's or module's name: a string, without dots, not empty."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
    if "." in name:
        raise KeyError(
            f'{kind} name can\'t contain "."' + (f", got: {name}" if kind == "module" else "")
        )
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')


class Module:
    """Base class of the modules (``torch.nn.Module``): parameters, buffers and sub-modules in
    its tables, hooks around its calls, and the walks over them."""

    training = True
    _forward_pre_hooks: Mapping[int, Callable] = NO_HOOKS  # a dict of its own once it has one
    _forward_hooks: Mapping[int, Callable] = NO_HOOKS
    _backward_hooks: Mapping[int, Callable] = NO_HOOKS
    _backward_pre_hooks: Mapping[int, Callable] = NO_HOOKS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        set_plain = super().__setattr__  # past __setattr__, which needs the tables
        set_plain("training", True)
        set_plain("_parameters", {})
        set_plain("_buffers", {})
        set_plain("_non_persistent_buffers_set", set())
        set_plain("_modules", {})

    # --- the tables -------------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # only for a name the module lacks: its parameters, buffers and modules first
        state = self.__dict__
        for table in _TABLES:
            if table in state and name in state[table]:
                return state[table][name]
        if name in _TABLES:  # a module that did not call Module.__init__ (karpathy's): empty
            return {}
        if name == "_non_persistent_buffers_set":
            return set()
        if name in _TORCH_MODULE_NAMES:  # PyTorch's Module names: NotSupported (AttributeError)
            raise NotSupportedAttribute(
                f"micrograd's nn.Module has no '{name}': PyTorch's Module.{name} is not "
                "supported here (micrograd is a teaching package; see its README for what it "
                "covers)"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        """A Parameter goes to ``_parameters``, a Module to ``_modules``, a tensor assigned to a
        buffer's name to ``_buffers``; anything else is a plain attribute (PyTorch's rules)."""
        state = self.__dict__
        params = state.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._remove_name(name, keep="_parameters")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if "_modules" not in state:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._remove_name(name, keep="_modules")
            state["_modules"][name] = value
        elif "_modules" in state and name in state["_modules"]:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            state["_modules"][name] = value
        elif "_buffers" in state and name in state["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            state["_buffers"][name] = value
        else:
            super().__setattr__(name, value)

    def _remove_name(self, name: str, keep: str) -> None:
        """Take `name` out of the plain attributes and the tables but `keep`, the one it goes
        into (so a member replaced there keeps its place, as in PyTorch)."""
        state = self.__dict__
        state.pop(name, None)
        for table in _TABLES:
            if table in state and table != keep:
                state[table].pop(name, None)
        if "_non_persistent_buffers_set" in state:
            state["_non_persistent_buffers_set"].discard(name)

    def __delattr__(self, name: str) -> None:
        state = self.__dict__
        for table in _TABLES:
            if table in state and name in state[table]:
                del state[table][name]
                if table == "_buffers":
                    state["_non_persistent_buffers_set"].discard(name)
                return
        super().__delattr__(name)

    def __dir__(self) -> list[str]:
        names = [*dir(type(self)), *self.__dict__]
        for table in _TABLES:
            names.extend(getattr(self, table))
        return sorted(n for n in set(names) if not n[0].isdigit())

    def _check_new_name(self, kind: str, name: Any, table: str) -> None:
        """PyTorch's checks before registering: the tables exist, a good name, not taken."""
        if table not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        _check_name(kind, name)
        if hasattr(self, name) and name not in self.__dict__[table]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or None, an optional one left out) under `name`."""
        self._check_new_name("parameter", name, "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                f"created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self.__dict__["_parameters"][name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is part of the module's state but not learnt (a running mean);
        ``persistent=False`` keeps it out of ``state_dict``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_name("buffer", name)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module under `name` (reachable as an attribute)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if "_modules" not in self.__dict__:
            raise AttributeError("cannot assign module before Module.__init__() call")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        _check_name("module", name)
        self._modules[name] = module

    def register_module(self, name: str, module: Module | None) -> None:
        """add_module under PyTorch's other name."""
        self.add_module(name, module)

    def get_submodule(self, target: str) -> Module:
        """The sub-module at the dotted path `target` ('' is the module itself)."""
        module = self
        for part in target.split(".") if target else ():
            if not hasattr(module, part):
                raise AttributeError(f"{module._get_name()} has no attribute `{part}`")
            module = getattr(module, part)
            if not isinstance(module, Module):
                raise AttributeError(f"`{part}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path `target` ('0.weight')."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if name not in module._parameters:
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return module._parameters[name]

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path `target`."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return module._buffers[name]

    # --- walks --------------------------------------------------------------------------------
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module ('' or `prefix`) and every module inside it, depth
        first, each once (unless remove_duplicate=False)."""
        if memo is None:
            memo = set()
        if id(self) in memo:
            return
        if remove_duplicate:
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                inner = prefix + ("." if prefix else "") + name
                yield from module.named_modules(memo, inner, remove_duplicate)

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        """This module and every module inside it."""
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for each direct sub-module, each once."""
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, table: str, prefix: str, recurse: bool, remove_duplicate: bool
    ) -> Iterator[tuple[str, Any]]:
        """(dotted name, tensor) for the tensors of `table` in this module (and those inside
        it, if recurse), a tensor shared by two modules once (unless remove_duplicate=False)."""
        seen: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for module_prefix, module in modules:
            for name, value in getattr(module, table).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) for every parameter, sub-modules' included ('0.weight')."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters (a generator, as PyTorch's: ``list(model.parameters())`` to keep them)."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """(name, buffer) for every buffer, sub-modules' included."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The buffers (a generator)."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """fn(m) for every sub-module (children first, recursively), then for self; returns self
        (``model.apply(init_weights)``)."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # --- state ----------------------------------------------------------------------------------
    def state_dict(
        self, *, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict:
        """An OrderedDict of every parameter and persistent buffer by name ('0.weight'),
        detached (they share the module's numbers: copy them to keep a snapshot)."""
        if destination is None:
            destination = OrderedDict()
        for table in ("_parameters", "_buffers"):
            for name, value in getattr(self, table).items():
                if value is None or name in self._non_persistent_buffers_set:
                    continue
                destination[prefix + name] = value if keep_vars else value.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=f"{prefix}{name}.", keep_vars=keep_vars
                )
        return destination

    def _local_state(self) -> dict[str, Tensor]:
        """This module's own parameters and persistent buffers (not None), by name."""
        state = {k: v for k, v in self._parameters.items() if v is not None}
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers_set:
                state[name] = buffer
        return state

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> _IncompatibleKeys:
        """Copy the tensors of `state_dict` into the parameters and buffers of the same names
        (in place, under no_grad); with strict, the keys must be exactly state_dict()'s.
        Returns (missing_keys, unexpected_keys); raises PyTorch's RuntimeError on an error."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        if assign:
            raise NotSupportedAttribute(
                "load_state_dict(assign=True) is not supported: micrograd copies the numbers "
                "into the module's tensors (assign=False)"
            )
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        for module_prefix, module in self.named_modules(remove_duplicate=False):
            prefix = module_prefix + "." if module_prefix else ""
            module._load_own(state_dict, prefix, missing, unexpected, errors)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    def _load_own(
        self,
        state_dict: Mapping[str, Any],
        prefix: str,
        missing: list[str],
        unexpected: list[str],
        errors: list[str],
    ) -> None:
        """Load this module's own tensors (PyTorch's _load_from_state_dict)."""
        local = self._local_state()
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            given = state_dict[key]
            if not isinstance(given, Tensor):
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(given)}"
                )
                continue
            if param.dim() == 0 and given.dim() == 1 and given.shape[0] == 1:
                given = given[0]
            if given.shape != param.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {given.shape} from "
                    f"checkpoint, the shape in current model is {param.shape}."
                )
                continue
            with no_grad():
                param.copy_(given)
        for key in state_dict:
            if key.startswith(prefix):
                first, dot, _ = key[len(prefix) :].partition(".")
                if (dot and first not in self._modules) or (not dot and first not in local):
                    unexpected.append(key)

    # --- parameters as a whole ------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Make every parameter require grad (or not: frozen); returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next backward pass (None, or zeros)."""
        clear_gradients(self.parameters(), set_to_none)

    def _apply(self, convert: Callable[[Tensor], DType | None]) -> Module:
        """Every parameter and buffer, in this module and those inside it, converted in place
        to the dtype ``convert(t)`` names (None: unchanged), as PyTorch's ``param.data = ...``:
        the same tensor objects, so an optimizer made before still holds them."""
        for module in self.modules():
            for table in ("_parameters", "_buffers"):
                for t in getattr(module, table).values():
                    kind = None if t is None else convert(t)
                    if kind is not None and kind is not t.dtype:
                        _retype(t, kind)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(dtype)``, ``to(device)``, ``to(tensor)`` (its dtype): the floating-point
        parameters and buffers converted in place; the device can only be the CPU."""
        kind = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() received an invalid combination of arguments: {sorted(kwargs)}")
        for a in args:
            if isinstance(a, DType):
                kind = a
            elif isinstance(a, Tensor):
                kind = a.dtype
            elif not isinstance(a, bool):  # non_blocking given by position
                device = a
        as_device(device)  # the CPU, or NotSupported
        if kind is not None and not kind.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={kind}"
            )
        return self._apply(lambda t: kind if t.dtype.is_floating_point else None)

    def float(self) -> Module:
        """The floating-point parameters and buffers as float32."""
        return self._apply(lambda t: float32 if t.dtype.is_floating_point else None)

    def double(self) -> Module:
        """The floating-point parameters and buffers as float64."""
        return self._apply(lambda t: float64 if t.dtype.is_floating_point else None)

    def cpu(self) -> Module:
        """Already on the CPU: self."""
        return self

    # --- calls and hooks ------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """self.forward(*args, **kwargs), with the hooks around it (the drawings' hooks record
        the call, so that they can box the Values it made: teaching/module_calls.py)."""
        if (
            hooks.any_global_hooks()
            or self._forward_pre_hooks
            or self._forward_hooks
            or self._backward_hooks
            or self._backward_pre_hooks
        ):
            return hooks.call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any) -> Any:
        """The module's output for its inputs: each module defines it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def _own_hooks(self, table: str) -> dict[int, Callable]:
        if getattr(self, table) is NO_HOOKS:
            object.__setattr__(self, table, {})
        return getattr(self, table)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each call of this module's forward; it may return new
        arguments (a tuple, or a single value).  ``prepend=True``: before its other pre-hooks;
        ``with_kwargs=True``: ``hook(module, args, kwargs)``, returning (args, kwargs) or None."""
        table = self._own_hooks("_forward_pre_hooks")
        return add_hook(table, hook, prepend, with_kwargs=with_kwargs)

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each call of this module's forward; it may return
        a new output.  ``prepend=True``: before its other forward hooks; ``with_kwargs=True``:
        ``hook(module, args, kwargs, output)``; ``always_call=True``: even when the call raises
        (output None)."""
        table = self._own_hooks("_forward_hooks")
        return add_hook(table, hook, prepend, always_call, with_kwargs)

    def register_full_backward_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` when the gradients with respect to a
        call's inputs are computed (tuples, None for an argument that is not a tensor); it may
        return a new grad_input.  If no input requires grad, it fires with the output's."""
        return add_hook(self._own_hooks("_backward_hooks"), hook, prepend)

    def register_full_backward_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` when the gradients with respect to a call's outputs
        are computed; it may return a new grad_output."""
        return add_hook(self._own_hooks("_backward_pre_hooks"), hook, prepend)

    # --- modes and printing -----------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Training mode, for this module and those inside it; returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: train(False)."""
        return self.train(False)

    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """What the repr shows inside the parentheses (Linear: its sizes)."""
        return ""

    def __repr__(self) -> str:
        """As PyTorch prints a module: Name(extra) or its sub-modules, one per line."""
        extra = self.extra_repr().split("\n") if self.extra_repr() else []
        children = [f"({name}): " + _indented(repr(m)) for name, m in self._modules.items()]
        lines = extra + children
        if not lines:
            return f"{self._get_name()}()"
        if len(extra) == 1 and not children:
            return f"{self._get_name()}({extra[0]})"
        return f"{self._get_name()}(\n  " + "\n  ".join(lines) + "\n)"


def _indented(text: str) -> str:
    """Every line but the first two spaces in (PyTorch's _addindent), blank lines left empty."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [("  " + line) if line.strip() else "" for line in rest])


def _retype(t: Tensor, kind: DType) -> None:
    """t's numbers as dtype `kind`, in place (PyTorch's ``t.data = t.data.to(kind)``): new leaf
    elements, the same requires_grad, its gradient converted too."""
    grad = t.grad if t.is_leaf else None
    requires = t.requires_grad
    numbers = [v.data for v in t.detach().to(kind)._values]
    shape = t.shape
    label = getattr(t, "label", "")
    vars(t).clear()  # a fresh tensor in the same object: storage, dtype, caches
    Tensor.__init__(t, element_values(numbers, kind), shape, kind)
    t.label = label
    if requires:
        t.requires_grad_(True)
    if grad is not None:
        t.grad = grad.to(kind)
