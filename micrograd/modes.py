"""Grad mode and anomaly mode: switches the engine reads while it records and differentiates.

PyTorch keeps these in ``torch.autograd.grad_mode`` and ``torch.autograd.anomaly_mode``.
Grad mode is per thread, as in PyTorch; anomaly mode is global, as in PyTorch.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _ThreadState(threading.local):
    grad_enabled = True        # class attribute: the default each new thread sees


_state = _ThreadState()


def is_grad_enabled() -> bool:
    """True when operations are being recorded for differentiation."""
    return _state.grad_enabled


class set_grad_enabled:
    """Turn recording on or off: a function call, a context manager and a decorator.

    >>> with set_grad_enabled(False):
    ...     y = x * 2          # y.requires_grad is False
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled expects a bool, got {mode!r} of type {type(mode).__name__}")
        self.mode = mode
        self.previous = _state.grad_enabled
        _state.grad_enabled = mode     # like PyTorch, calling it as a function switches at once

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _state.grad_enabled = self.previous

    def __call__(self, function: F) -> F:
        _state.grad_enabled = self.previous   # used as a decorator: switch only inside calls
        mode = self.mode

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return function(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


class _GradModeContext:
    """Base for no_grad / enable_grad: context manager and decorator with a fixed mode."""

    mode = True

    def __enter__(self) -> None:
        self.previous = _state.grad_enabled
        _state.grad_enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _state.grad_enabled = self.previous

    def __call__(self, function: F) -> F:
        mode = self.mode

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return function(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Stop recording: results of operations do not require grad (``torch.no_grad``)."""

    mode = False


class enable_grad(_GradModeContext):
    """Record again inside a ``no_grad`` block (``torch.enable_grad``)."""

    mode = True


# --- anomaly mode ------------------------------------------------------------------------
class _Anomaly:
    enabled = False


anomaly = _Anomaly()


class detect_anomaly(_GradModeContext):
    """While active, a backward function that returns nan raises ``RuntimeError`` naming it."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self.previous = anomaly.enabled
        anomaly.enabled = self.check_nan

    def __exit__(self, *exc: object) -> None:
        anomaly.enabled = self.previous

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_nan):
                return function(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return anomaly.enabled
