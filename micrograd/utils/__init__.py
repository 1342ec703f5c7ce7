"""``torch.utils``: ``benchmark`` (its ``Timer``), which PyTorch's tutorials use to time
transforms, ``data`` (datasets and the DataLoader) and ``serialization`` (``save``, ``load``).
Any other name raises ``micrograd.NotSupported``."""

from __future__ import annotations

from typing import Any

from ..core.errors import missing_name
from . import benchmark, data, serialization

__all__ = ["benchmark", "data", "serialization"]


def __getattr__(name: str) -> Any:
    """A torch.utils name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("utils.", name)
