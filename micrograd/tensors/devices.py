"""Devices as PyTorch shows them on a machine without an accelerator: only the CPU.

``torch.device("cpu")``, ``device=`` arguments, ``x.device``, ``x.to("cpu")`` and ``x.cpu()`` work;
``torch.cuda.is_available()`` is False, so the usual
``device = "cuda" if torch.cuda.is_available() else "cpu"`` picks the CPU.  Asking for an
accelerator (``torch.device("cuda")``, ``x.cuda()``, ``device="mps"``) raises ``NotSupported``:
micrograd is pure Python and computes one number at a time.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import NotSupported

ACCELERATORS = ("cuda", "mps", "xpu", "xla", "meta", "hip", "mtia", "privateuseone")


def _accelerator(kind: str) -> NotSupported:
    return NotSupported(
        f"micrograd runs on the CPU only: device {kind!r} is not supported "
        "(use 'cpu', or device = 'cuda' if torch.cuda.is_available() else 'cpu')"
    )


class device:
    """``torch.device``: here always ``device(type='cpu')``."""

    def __init__(self, type: Any = "cpu", index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device() expects a string such as 'cpu', got {type!r}")
        kind, _, number = type.partition(":")
        if kind != "cpu":
            raise (
                _accelerator(type)
                if kind in ACCELERATORS
                else RuntimeError(
                    f"Expected one of cpu, cuda, ... device type at start of device string: {type}"
                )
            )
        self.type = "cpu"
        self.index = int(number) if number else index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


CPU = device("cpu")


def as_device(value: Any) -> device | None:
    """A ``device=`` argument checked: None, 'cpu', 'cpu:0' or a device; an accelerator raises NotSupported."""
    return None if value is None else device(value)


_default = [CPU]


def set_default_device(value: Any) -> None:
    """``torch.set_default_device``: only the CPU (or None, meaning the CPU)."""
    _default[0] = CPU if value is None else device(value)


def get_default_device() -> device:
    """``torch.get_default_device``: the CPU."""
    return _default[0]


class _Cuda:
    """``torch.cuda`` on a machine without a GPU: asking is fine, using one is not supported."""

    @staticmethod
    def is_available() -> bool:
        """False: micrograd computes on the CPU."""
        return False

    @staticmethod
    def device_count() -> int:
        """0: no GPU."""
        return 0

    @staticmethod
    def is_initialized() -> bool:
        """False."""
        return False

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Accepted and ignored, as PyTorch does without a GPU."""

    manual_seed_all = manual_seed

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupported(f"torch.cuda.{name} is not supported: micrograd runs on the CPU only")

    def __repr__(self) -> str:
        return "<micrograd.cuda: no GPU, is_available() is False>"


cuda = _Cuda()


class _Accelerator:
    """``torch.accelerator`` on a machine without a GPU: none is available."""

    @staticmethod
    def is_available() -> bool:
        """False: micrograd computes on the CPU."""
        return False

    @staticmethod
    def current_accelerator(check_available: bool = False) -> None:
        """None: there is no accelerator (``.type`` of it is never read when is_available()
        is False, as in the quickstart's ``device = ... if ... is_available() else "cpu"``)."""
        return None

    @staticmethod
    def device_count() -> int:
        """0: no accelerator."""
        return 0

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupported(
            f"torch.accelerator.{name} is not supported: micrograd runs on the CPU only"
        )

    def __repr__(self) -> str:
        return "<micrograd.accelerator: none, is_available() is False>"


class _Backend:
    """One of ``torch.backends`` (mps, cuda, cudnn...) on a CPU-only machine: not available,
    not built; its switches (``cudnn.deterministic = True``...) can be set and change nothing."""

    def __init__(self, name: str, **switches: Any) -> None:
        self._name = name
        self.__dict__.update(switches)

    @staticmethod
    def is_available() -> bool:
        """False: micrograd computes on the CPU."""
        return False

    @staticmethod
    def is_built() -> bool:
        """False."""
        return False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupported(
            f"torch.backends.{self._name}.{name} is not supported: micrograd runs on the CPU only"
        )

    def __repr__(self) -> str:
        return f"<micrograd.backends.{self._name}: is_available() is False>"


class _Backends:
    """``torch.backends``: mps, cuda and cudnn, none of them available (PyTorch's defaults)."""

    __path__: list = []  # a package to the import system: `import torch.backends.mps` works

    mps = _Backend("mps")
    cuda = _Backend("cuda")
    cudnn = _Backend("cudnn", enabled=True, deterministic=False, benchmark=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupported(f"torch.backends.{name} is not supported in micrograd")

    def __repr__(self) -> str:
        return "<micrograd.backends: the CPU only>"


accelerator = _Accelerator()
backends = _Backends()

__all__ = [
    "device",
    "CPU",
    "as_device",
    "set_default_device",
    "get_default_device",
    "cuda",
    "accelerator",
    "backends",
]
