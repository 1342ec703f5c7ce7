"""Where a program reaches a PyTorch name micrograd lacks: a submodule (``import
micrograd.distributions``) or a keyword argument (``DataLoader(..., num_workers=4)``).  Both raise
``NotSupported`` naming it, never ImportError or TypeError, so a student reads what is missing.

* ``MissingModules``, a finder at the end of ``sys.meta_path``: Python asks it only after every
  other finder found nothing.  A name the parent package has as an attribute (``micrograd.cuda``,
  ``micrograd.plots``) is imported as that object; any other public name raises NotSupported.
* ``refuse_keywords``, a decorator: PyTorch's keywords an entry point lacks are accepted at their
  PyTorch default (a program that spells out the default runs) and refused otherwise.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any, Callable, TypeVar

from .errors import NotSupported

F = TypeVar("F", bound=Callable[..., Any])


class _Alias(importlib.abc.Loader):
    """Imports ``package.name`` as the object the package already holds under ``name``."""

    def __init__(self, found: Any) -> None:
        self.found = found

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        return self.found

    def exec_module(self, module: Any) -> None:
        """Nothing to run: the object is made already."""


def missing_module(fullname: str, package: str = "micrograd") -> NotSupported:
    """The error for a PyTorch submodule micrograd does not have, named as PyTorch names it."""
    torch_name = "torch" + fullname[len(package) :]
    return NotSupported(
        f"micrograd has no module {fullname}: PyTorch's {torch_name} is not supported here "
        "(micrograd is a teaching package; see its README for what it covers)"
    )


class MissingModules(importlib.abc.MetaPathFinder):
    """The last finder for ``package``'s submodules: an attribute of the parent that is not a
    function or class becomes the module; a missing public name raises NotSupported; private
    names (``_x``) and other packages are left to Python (ModuleNotFoundError)."""

    def __init__(self, package: str = "micrograd") -> None:
        self.package = package

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        parent_name, _, name = fullname.rpartition(".")
        if not fullname.startswith(self.package + ".") or name.startswith("_"):
            return None
        parent = sys.modules.get(parent_name)
        if parent is None:
            return None
        try:
            found = getattr(parent, name)
        except (AttributeError, NotSupported):
            raise missing_module(fullname, self.package) from None
        if callable(found) and not isinstance(found, types.ModuleType):
            return None  # `import micrograd.tensor`: a function, not a module (as in PyTorch)
        return importlib.machinery.ModuleSpec(fullname, _Alias(found))


def install(package: str = "micrograd") -> None:
    """Put a MissingModules finder for ``package`` last in ``sys.meta_path`` (once)."""
    if not any(isinstance(f, MissingModules) and f.package == package for f in sys.meta_path):
        sys.meta_path.append(MissingModules(package))


def _same(value: Any, default: Any) -> bool:
    try:
        return value is default or bool(value == default)
    except Exception:  # a tensor compared with a number: not the default
        return False


def refuse_unless_default(entry: str, name: str, value: Any, default: Any, reason: str) -> None:
    """Raise NotSupported naming ``entry(name=value)`` unless value is PyTorch's default."""
    if not _same(value, default):
        raise NotSupported(
            f"{entry}({name}={value!r}) is not supported by micrograd: {reason} "
            f"(leave {name} out, or at its default {default!r})"
        )


def refuse_keywords(entry: str, reason: str, **defaults: Any) -> Callable[[F], F]:
    """Decorate ``entry`` (``"DataLoader"``) to take PyTorch's keywords it lacks: each at its
    PyTorch default (given here) is dropped; any other value raises NotSupported naming the
    keyword, with ``reason``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            for name, default in defaults.items():
                if name in kwargs:
                    refuse_unless_default(entry, name, kwargs.pop(name), default, reason)
            return function(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate
