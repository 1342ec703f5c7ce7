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


def unsupported_operand(operation: str, operand: Any) -> Any:
    """NotImplemented for types that handle Values themselves (Tensor: Python then calls its
    reflected method); otherwise a TypeError that names the type."""
    if getattr(operand, "handles_values", False):
        return NotImplemented
    raise TypeError(
        f"unsupported operand type for {operation}: 'Value' and "
        f"'{type(operand).__name__}' "
        f"({operand!r:.40}); use a number or a Value"
    )
