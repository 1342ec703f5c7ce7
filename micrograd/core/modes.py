"""Grad mode, inference mode and anomaly mode: switches the engine reads while it records and
differentiates.

PyTorch keeps these in ``torch.autograd.grad_mode`` and ``torch.autograd.anomaly_mode``.
Grad mode is per thread, as in PyTorch; anomaly mode is global, as in PyTorch.  Every switch
is a context manager and a decorator.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from typing import Any


class _ThreadState(threading.local):
    grad_enabled = True  # class attribute: the default each new thread sees
    inference = False  # inside inference_mode(): new tensors are inference tensors


class _Anomaly:
    enabled = False
    check_nan = True  # detect_anomaly(check_nan=False): anomaly mode on, nan results let through


grad_state = _ThreadState()
"""Per thread: ``grad_state.grad_enabled`` is read by every operation (is it recorded?)."""
anomaly = _Anomaly()


class _Switch(contextlib.ContextDecorator):
    """Set ``holder.attribute`` to ``mode`` inside a ``with`` block or a decorated function."""

    holder: Any = grad_state
    attribute = "grad_enabled"

    def __init__(self, mode: bool) -> None:
        self.mode = mode

    def _recreate_cm(self) -> _Switch:
        return copy.copy(self)  # a fresh switch per decorated call, so calls may nest

    def __enter__(self) -> None:
        self.previous = getattr(self.holder, self.attribute)
        setattr(self.holder, self.attribute, self.mode)

    def __exit__(self, *exc: object) -> None:
        setattr(self.holder, self.attribute, self.previous)


grad_mode = _Switch  # the engine's: grad_mode(create_graph) during backward


def is_grad_enabled() -> bool:
    """True when operations are being recorded for differentiation."""
    return grad_state.grad_enabled


class no_grad(_Switch):
    """Stop recording: results of operations do not require grad (``torch.no_grad``)."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_Switch):
    """Record again inside a ``no_grad`` block (``torch.enable_grad``)."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(_Switch):
    """Turn recording on or off; like PyTorch, calling it switches at once:

    >>> set_grad_enabled(False)          # off from here on
    >>> with set_grad_enabled(True): ...  # on inside the block only
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(
                f"set_grad_enabled expects a bool, got {mode!r} of type {type(mode).__name__}"
            )
        super().__init__(mode)
        self.before_call = grad_state.grad_enabled
        grad_state.grad_enabled = mode

    def __enter__(self) -> None:
        self.previous = self.before_call

    def __call__(self, function: Any) -> Any:  # used as a decorator: switch only inside calls
        grad_state.grad_enabled = self.before_call
        return super().__call__(function)

    def _recreate_cm(self) -> _Switch:
        return _Switch(self.mode)


class inference_mode(_Switch):
    """``no_grad``, and more: tensors made inside are *inference tensors* (``t.is_inference()``),
    which autograd refuses to save for backward later (``torch.inference_mode``).  With
    ``mode=False`` it is the opposite: recording on, new tensors normal.  Like PyTorch's, it
    may decorate a function with or without parentheses (``@inference_mode``)."""

    def __new__(cls, mode: Any = True) -> Any:
        if not isinstance(mode, bool):  # @inference_mode on a function, no parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        super().__init__(mode)

    def __enter__(self) -> None:
        self.previous = (grad_state.grad_enabled, grad_state.inference)
        grad_state.grad_enabled, grad_state.inference = not self.mode, self.mode

    def __exit__(self, *exc: object) -> None:
        grad_state.grad_enabled, grad_state.inference = self.previous


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return grad_state.inference


class detect_anomaly(contextlib.ContextDecorator):
    """While active, a backward function that returns nan raises ``RuntimeError`` naming it
    (unless ``check_nan=False``)."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def _recreate_cm(self) -> detect_anomaly:
        return copy.copy(self)  # a fresh switch per decorated call, so calls may nest

    def __enter__(self) -> None:
        self.previous = (anomaly.enabled, anomaly.check_nan)
        anomaly.enabled, anomaly.check_nan = True, bool(self.check_nan)

    def __exit__(self, *exc: object) -> None:
        anomaly.enabled, anomaly.check_nan = self.previous


class set_detect_anomaly:
    """Anomaly mode on or off from now (``torch.autograd.set_detect_anomaly(True)``); as a
    context manager, the previous mode comes back at the end of the block."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.previous = (anomaly.enabled, anomaly.check_nan)
        anomaly.enabled, anomaly.check_nan = bool(mode), bool(check_nan)

    def __enter__(self) -> None:
        """The mode is already set by the call."""

    def __exit__(self, *exc: object) -> None:
        anomaly.enabled, anomaly.check_nan = self.previous


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return anomaly.enabled


def nan_check(name: str, grads: Any) -> None:
    """Under detect_anomaly: a backward function that returned nan is named (as PyTorch does)."""
    for index, g in enumerate(grads):
        if g is not None and float(g) != float(g):
            raise RuntimeError(f"Function '{name}' returned nan values in its {index}th output.")
