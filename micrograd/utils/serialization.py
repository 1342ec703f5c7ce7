"""``torch.save`` and ``torch.load`` in a format of micrograd's own: a header line, then JSON.

    MICROGRAD-SAVE 2
    {"storages": [{"dtype": "float32", "data": [0.5, -1.0, ...]}, ...],
     "tensors": [{"storage": 0, "offset": 0, "shape": [2, 2], "stride": [2, 1],
                  "requires_grad": false, "parameter": false}, ...],
     "object": {"type": "OrderedDict", "items": [["weight", {"type": "tensor", "index": 0}]]}}

What can be saved: tensors (their dtype, shape, numbers and ``requires_grad``; a Parameter stays
a Parameter), None, bools, ints, floats, strings, and dicts, OrderedDicts, lists, tuples and
``Size``s of them: a module's or an optimizer's ``state_dict``.  As in PyTorch, each storage is
written once, whole, and each tensor as its view of it (offset, shape, strides): the same tensor
saved twice loads as one object, and tensors that shared a storage (a weight and its view)
share one again.  Every JSON list or dict in the file is one of these tagged entries, so loading
only builds data: it never runs code from the file, and ``weights_only`` has nothing to switch
off.  PyTorch's files are pickles (in a zip), which cannot be read without running code from
them: loading one raises NotSupported saying so.

A whole module (``torch.save(model, path)``) is the one thing written as a pickle, after a
header line naming its class, as PyTorch pickles it; as in PyTorch 2.6+, ``load`` reads it only
when told the file is trusted, ``weights_only=False``, and otherwise raises PyTorch's
"Weights only load failed" UnpicklingError.
"""

from __future__ import annotations

import collections
import io
import json
import math
import os
import pickle
from typing import Any, Callable

from ..core.errors import NotSupported, missing_name
from ..core.missing import refuse_keywords
from ..nn.module import Module
from ..nn.modules import Parameter
from ..tensors import Size, Tensor, tensor
from ..tensors.devices import device
from ..tensors.dtypes import bool_, float32, float64, int32, int64
from ..tensors.storage import contiguous_strides

__all__ = ["save", "load"]

HEADER = b"MICROGRAD-SAVE 2\n"
MODULE_HEADER = b"MICROGRAD-PICKLE 1 "  # then the saved object's class, a newline, the pickle
DTYPES = {str(d).removeprefix("torch."): d for d in (float32, float64, int64, int32, bool_)}
CONTAINERS: dict[str, Callable[[Any], Any]] = {
    "list": list,
    "tuple": tuple,
    "Size": Size,
    "dict": dict,
    "OrderedDict": collections.OrderedDict,
}
PLAIN = (type(None), bool, int, float, str)
PYTORCH_FILE = (
    "this file was not written by micrograd.save: it looks like one of PyTorch's (a pickle%s), "
    "which micrograd cannot read, since reading a pickle can run code from it. In PyTorch, "
    "save a state_dict as plain lists (t.tolist()) or use safetensors; then rebuild tensors here"
)
SHARED_LEAF = (
    "micrograd.save cannot keep tensors that share a storage when one of them requires grad "
    "or is a Parameter (micrograd gives such a leaf elements of its own): save t.detach() or "
    "t.clone() instead"
)


def _unsavable(obj: Any) -> NotSupported:
    return NotSupported(
        f"micrograd.save cannot write a {type(obj).__name__}: it writes tensors, numbers, "
        "strings, None, and dicts, lists and tuples of them, and whole modules (save "
        "model.state_dict(), or the model: another object would need pickle)"
    )


WEIGHTS_ONLY_FAILED = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, "
    "do those steps only if you trust the source of the checkpoint. \n\t(1) In PyTorch 2.6, we "
    "changed the default value of the `weights_only` argument in `torch.load` from `False` to "
    "`True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, "
    "but it can result in arbitrary code execution. Do it only if you got the file from a "
    "trusted source.\n\t(2) micrograd has no `torch.serialization.add_safe_globals`: a whole "
    "module loads only with weights_only=False; save and load its state_dict() to load "
    "weights only.\n\tWeightsUnpickler error: Unsupported global: GLOBAL {name} was not an "
    "allowed global by default."
)


def _holds_module(obj: Any) -> bool:
    """Whether obj is a module, or a list, tuple or dict holding one (at any depth): what
    ``save`` pickles, as PyTorch pickles everything."""
    if isinstance(obj, Module):
        return True
    if type(obj) in (list, tuple, dict, collections.OrderedDict):
        items = obj.items() if isinstance(obj, dict) else enumerate(obj)
        return any(_holds_module(value) for _, value in items)
    return False


def _pickled(obj: Any) -> bytes:
    """A file holding a whole module: its class named on the first line, then its pickle (the
    tensors in it by their numbers, shape, dtype and requires_grad)."""
    kind = type(obj)
    name = f"{kind.__module__}.{kind.__qualname__}"
    return MODULE_HEADER + name.encode() + b"\n" + pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)


def _unpickled(content: bytes, weights_only: bool | None) -> Any:
    """A whole module from its file: only with weights_only=False, which says the file is
    trusted (unpickling can run code from it), as PyTorch 2.6+ requires; else PyTorch's
    UnpicklingError, naming the class."""
    first, _, body = content.partition(b"\n")
    if weights_only is not False:
        name = first[len(MODULE_HEADER) :].decode()
        raise pickle.UnpicklingError(WEIGHTS_ONLY_FAILED.format(name=name))
    return pickle.loads(body)


class _Writer:
    """Numbers the storages and tensors of one object as it is encoded."""

    def __init__(self) -> None:
        self.storages: dict[int, int] = {}  # id(storage) → its number in the file
        self.storage_data: list[dict[str, Any]] = []
        self.tensors: dict[int, int] = {}  # id(tensor) → its number in the file
        self.tensor_data: list[dict[str, Any]] = []
        self.keep: list[Any] = []  # the objects numbered, alive until the file is written

    def storage(self, t: Tensor) -> int:
        """The number of t's storage, written whole (its numbers through a flat view of it)."""
        storage = t.untyped_storage()
        if id(storage) not in self.storages:
            n = len(storage.values)
            whole = t.detach()._view((n,), (1,), 0, "", "")  # not recorded: only read
            self.storages[id(storage)] = len(self.storage_data)
            self.storage_data.append({"dtype": _dtype_name(t), "data": whole.tolist()})
            self.keep.append(storage)
        return self.storages[id(storage)]

    def tensor(self, t: Tensor) -> dict[str, Any]:
        if id(t) not in self.tensors:
            self.tensors[id(t)] = len(self.tensor_data)
            self.keep.append(t)
            self.tensor_data.append(
                {
                    "storage": self.storage(t),
                    "offset": t.storage_offset(),
                    "shape": list(t.shape),
                    "stride": list(t.stride()),
                    "requires_grad": t.requires_grad,
                    "parameter": isinstance(t, Parameter),
                }
            )
        return {"type": "tensor", "index": self.tensors[id(t)]}

    def encode(self, obj: Any) -> Any:
        """obj as JSON data: numbers, strings, None as themselves; the rest as tagged dicts."""
        if type(obj) in PLAIN:
            return obj
        if isinstance(obj, Tensor):
            return self.tensor(obj)
        if type(obj) in (list, tuple, Size):
            return {"type": type(obj).__name__, "items": [self.encode(item) for item in obj]}
        if type(obj) in (dict, collections.OrderedDict):
            items = [[self.encode(key), self.encode(value)] for key, value in obj.items()]
            return {"type": type(obj).__name__, "items": items}
        raise _unsavable(obj)

    def check_sharing(self) -> None:
        """Refuse what micrograd could not load as shared: a leaf of its own on a shared
        storage."""
        users = collections.Counter(entry["storage"] for entry in self.tensor_data)
        for entry in self.tensor_data:
            if users[entry["storage"]] > 1 and (entry["requires_grad"] or entry["parameter"]):
                raise NotSupported(SHARED_LEAF)


def _dtype_name(t: Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


class _Reader:
    """Builds the storages and tensors of a file, each once, as they are referred to."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.storages = content["storages"]
        self.entries = content["tensors"]
        self.users = collections.Counter(entry["storage"] for entry in self.entries)
        self.bases: dict[int, Tensor] = {}
        self.built: dict[int, Tensor] = {}

    def base(self, number: int) -> Tensor:
        """Storage ``number`` as a flat tensor."""
        if number not in self.bases:
            stored = self.storages[number]
            kind = DTYPES.get(stored["dtype"])
            if kind is None:
                raise ValueError(f"micrograd.load: unknown dtype {stored['dtype']!r} in the file")
            self.bases[number] = tensor(stored["data"], dtype=kind)
        return self.bases[number]

    def tensor(self, index: int) -> Tensor:
        if index not in self.built:
            self.built[index] = self.build(self.entries[index])
        return self.built[index]

    def build(self, entry: dict[str, Any]) -> Tensor:
        base = self.base(entry["storage"])
        shape, stride, offset = entry["shape"], entry["stride"], entry["offset"]
        whole = (
            offset == 0
            and tuple(stride) == contiguous_strides(shape)
            and math.prod(shape) == base.numel()
        )
        own_leaf = entry["requires_grad"] or entry["parameter"]
        if whole and self.users[entry["storage"]] == 1:  # a storage of its own
            values = base.reshape(shape).clone()
        elif own_leaf:  # a leaf that requires grad gets elements of its own (saved alone)
            values = base._view(shape, stride, offset, "", "").clone()
        else:  # a view of its storage (with the saved strides), shared with other tensors
            values = base._view(shape, stride, offset, "", "")
        if entry["parameter"]:
            return Parameter(values, requires_grad=entry["requires_grad"])
        return values.requires_grad_(entry["requires_grad"])

    def decode(self, data: Any) -> Any:
        """The inverse of encode: only the tags above are read, so nothing in a file is run."""
        if not isinstance(data, dict):
            return data
        kind = data.get("type")
        if kind == "tensor":
            return self.tensor(data["index"])
        if kind in ("dict", "OrderedDict"):
            return CONTAINERS[kind]((self.decode(k), self.decode(v)) for k, v in data["items"])
        if kind in CONTAINERS:
            return CONTAINERS[kind]([self.decode(item) for item in data["items"]])
        raise ValueError(f"micrograd.load: unknown entry {kind!r} in the file")


@refuse_keywords(
    "torch.save",
    "micrograd writes its own JSON format, not a pickle",
    pickle_module=pickle,
    pickle_protocol=2,
    _use_new_zipfile_serialization=True,
    _disable_byteorder_record=False,
)
def save(obj: Any, f: str | os.PathLike[str] | io.IOBase) -> None:
    """Write ``obj`` (tensors, a state_dict...) to ``f``, a path (replaced if it exists, as
    PyTorch does) or a binary file object, in micrograd's JSON format; a whole module (or a
    container holding one) is pickled, as PyTorch pickles it, and loads only with
    ``load(..., weights_only=False)``."""
    if _holds_module(obj):
        payload = _pickled(obj)
    else:
        writer = _Writer()
        encoded = writer.encode(obj)
        writer.check_sharing()
        content = {"storages": writer.storage_data, "tensors": writer.tensor_data}
        payload = HEADER + json.dumps({**content, "object": encoded}).encode()
    if isinstance(f, (str, os.PathLike)):
        parent = os.path.dirname(os.path.abspath(f))
        if not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {os.path.dirname(f) or parent} does not exist.")
        with open(f, "wb") as file:
            file.write(payload)
    else:
        f.write(payload)


def _check_location(map_location: Any) -> None:
    """map_location: None, "cpu" or a CPU device (micrograd has nothing else to map to)."""
    if map_location is None or isinstance(map_location, device):
        return
    if isinstance(map_location, str):
        device(map_location)  # an accelerator raises NotSupported
        return
    raise NotSupported(
        f"torch.load(map_location={map_location!r}) is not supported by micrograd: its "
        "tensors are always on the CPU (use map_location='cpu' or leave it out)"
    )


@refuse_keywords(
    "torch.load", "micrograd reads its own JSON format, not a pickle", pickle_module=None, mmap=None
)
def load(
    f: str | os.PathLike[str] | io.IOBase,
    map_location: Any = None,
    *,
    weights_only: bool | None = None,
) -> Any:
    """Read what ``save`` wrote to ``f`` (a path or a binary file object).  ``weights_only``
    may be True (PyTorch's default) or False: a file of data (tensors, a state_dict) holds no
    code, and both load the same objects; a whole module's file is a pickle, read only with
    weights_only=False, as in PyTorch 2.6+."""
    if weights_only not in (None, True, False):
        raise TypeError(f"weights_only must be a bool or None, got {weights_only!r}")
    _check_location(map_location)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            content = file.read()
    else:
        content = f.read()
    if not content:
        raise EOFError("Ran out of input")
    if content.startswith(MODULE_HEADER):
        return _unpickled(content, weights_only)
    if not content.startswith(HEADER):
        if content.startswith(b"PK\x03\x04"):
            raise NotSupported(PYTORCH_FILE % " in a zip file")
        if content.startswith(b"\x80"):
            raise NotSupported(PYTORCH_FILE % "")
        raise ValueError(
            "micrograd.load: this is not a file written by micrograd.save (it does not start "
            f"with {HEADER.decode().strip()!r})"
        )
    data = json.loads(content[len(HEADER) :])
    return _Reader(data).decode(data["object"])


def __getattr__(name: str) -> Any:
    """A torch.serialization name micrograd does not have (add_safe_globals...): say so."""
    raise missing_name("serialization.", name)
