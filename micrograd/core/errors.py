"""The errors micrograd raises: NotSupported for a PyTorch feature it does not have, and the
messages it shares with PyTorch."""

from __future__ import annotations

from typing import Any

LEAF_INPLACE_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
RETAIN_GRAPH_ERROR = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
NO_GRAD_ERROR = "element 0 of tensors does not require grad and does not have a grad_fn"


class NotSupported(NotImplementedError):
    """A PyTorch feature micrograd does not have.  From a module (``torch.fft``, ``from torch.nn
    import Conv2d``) it is not an AttributeError, so ``from ... import`` shows this message, not
    ImportError."""


class NotSupportedAttribute(NotSupported, AttributeError):
    """A Tensor method micrograd lacks: NotSupported, and an AttributeError (for hasattr)."""


def missing_name(module: str, name: str) -> Exception:
    """What a module's ``__getattr__`` raises for a name it lacks: NotSupported for a PyTorch name
    (``torch.fft``, ``from torch.nn import Conv2d``), AttributeError for a private one (Python's and
    tools' probes, such as IPython's ``_repr_html_``)."""
    if name.startswith("_"):
        return AttributeError(name)
    return NotSupported(
        f"micrograd has no {module}{name}: PyTorch's torch.{module}{name} is not "
        "supported here "
        "(micrograd is a teaching package; see its README for what it covers)"
    )


def unsupported_operand(operator: str, operand: Any, *, left: bool = False) -> Any:
    """NotImplemented for types that handle Values themselves (Tensor: Python then calls its
    reflected method); otherwise Python's TypeError for the operator (``+``, ``*``...), the
    operand's type on its side: ``Value(1.0) + None`` and ``None + Value(1.0)``."""
    if getattr(operand, "handles_values", False):
        return NotImplemented
    types = (type(operand).__name__, "Value") if left else ("Value", type(operand).__name__)
    raise TypeError(
        f"unsupported operand type(s) for {operator}: '{types[0]}' and '{types[1]}' "
        "(use a number or a Value)"
    )


def bad_data(data: Any) -> TypeError:
    """What an operation raises on a Value whose ``data`` was set to something not a real
    number (``v.data = "abc"``): the assignment is not checked, its first use is."""
    return TypeError(
        f"Value.data must be a real number (a float), got {data!r:.40} of type "
        f"{type(data).__name__}"
    )


def bad_grad(grad: Any) -> TypeError:
    """What a backward pass raises on a ``.grad`` set to something it cannot add to."""
    return TypeError(
        f"Value.grad must be a number, a Value or None (no gradient yet), got {grad!r:.40} of "
        f"type {type(grad).__name__}"
    )
