"""The anchors the benchmarks measure us against, loaded in the same process.

* karpathy's micrograd 0.1.0, downloaded from PyPI at bench time into bench/_anchors/
  (ignored by git) and imported under the name ``karpathy_micrograd``;
* PyTorch 2.13 CPU, 0-dim float64 tensors, if installed;
* the floor: creating a bare ``__slots__`` object per operation, the least any engine that
  records a graph must do.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import types
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHORS = os.path.join(HERE, "_anchors")


def karpathy() -> types.ModuleType | None:
    """karpathy's micrograd package (engine and nn) as ``karpathy_micrograd``, or None."""
    if "karpathy_micrograd" in sys.modules:
        return sys.modules["karpathy_micrograd"]
    source = os.path.join(ANCHORS, "micrograd")
    if not os.path.isdir(source):
        os.makedirs(ANCHORS, exist_ok=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "-d",
                ANCHORS,
                "micrograd==0.1.0",
            ],
            capture_output=True,
            text=True,
        )
        wheels = [
            f for f in os.listdir(ANCHORS) if f.startswith("micrograd-0.1.0") and f.endswith(".whl")
        ]
        if done.returncode != 0 or not wheels:
            print(
                f"bench: could not download micrograd 0.1.0 from PyPI: {done.stderr.strip()[:200]}"
            )
            return None
        with zipfile.ZipFile(os.path.join(ANCHORS, wheels[0])) as wheel:
            wheel.extractall(ANCHORS)
    package = types.ModuleType("karpathy_micrograd")
    package.__path__ = [source]
    sys.modules["karpathy_micrograd"] = package
    for name in ("engine", "nn"):
        path = os.path.join(source, f"{name}.py")
        with open(path) as handle:
            code = handle.read().replace("from micrograd.engine", "from karpathy_micrograd.engine")
        module = types.ModuleType(f"karpathy_micrograd.{name}")
        module.__file__ = path
        sys.modules[module.__name__] = module
        exec(compile(code, path, "exec"), module.__dict__)
        setattr(package, name, module)
    return package


def torch() -> types.ModuleType | None:
    if importlib.util.find_spec("torch") is None:
        return None
    import torch as module

    module.set_num_threads(1)
    return module


class Bare:
    """The floor: a node with data and inputs, and nothing else."""

    __slots__ = ("data", "grad", "_prev", "_op")

    def __init__(self, data: float, prev: tuple = (), op: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self._op = op
