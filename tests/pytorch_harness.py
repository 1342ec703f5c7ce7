"""The harness of the program tests: one program text, run under PyTorch and under micrograd.

``run(program, "torch")`` executes it as written; ``run(program, "micrograd")`` with its imports
pointed at micrograd (``import torch`` becomes ``import micrograd as torch``, ``functorch``
becomes ``micrograd.func``).  Random numbers are shared: micrograd draws them (seeded) and, in the
torch run, torch's random functions and ``nn.Linear``'s initialisation return those same numbers,
so the printed lines can be compared (object addresses and timings aside).
"""

import contextlib
import io
import math
import re
import textwrap

import pytest

import micrograd
from micrograd.tensors import randomness

try:
    import torch
except ImportError:  # tests that run a program under torch take conftest's torch fixture,
    torch = None  # which skips them first (fails them in CI)

NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+|nan|-?inf")


def _micrograd_imports(code: str) -> str:
    code = re.sub(r"\bimport torch\b(?!\.)", "import micrograd as torch", code)
    code = re.sub(r"\bimport torch\.", "import micrograd.", code)
    code = re.sub(r"\bfrom torch(\.| )", r"from micrograd\1", code)
    return re.sub(r"\bimport functorch as\b", "import micrograd.func as", code)


def _shared(maker):
    """torch.randn/rand drawing micrograd's numbers."""

    def draw(*size, requires_grad=False, dtype=None, **options):
        numbers = maker(*size, **{k: v for k, v in options.items() if k == "size"}).tolist()
        return torch.tensor(numbers, dtype=dtype or torch.float32, requires_grad=requires_grad)

    return draw


def _like(maker):
    def draw(t, dtype=None, requires_grad=False, **options):
        return maker(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)

    return draw


def _linear_reset(self):
    """nn.Linear's initialisation with micrograd's numbers, drawn in micrograd's order."""
    bound = 1 / math.sqrt(self.in_features)
    with torch.no_grad():
        self.weight.copy_(
            torch.tensor(
                [
                    [randomness.generator.uniform(-bound, bound) for _ in range(self.in_features)]
                    for _ in range(self.out_features)
                ]
            )
        )
        if self.bias is not None:
            self.bias.copy_(
                torch.tensor(
                    [randomness.generator.uniform(-bound, bound) for _ in range(self.out_features)]
                )
            )


def run(program: str, library: str) -> str:
    """stdout of `program` under torch or micrograd, with object addresses hidden."""
    code = textwrap.dedent(program)
    micrograd.manual_seed(0)
    namespace = {"__name__": "__main__"}
    patches = []
    if library == "micrograd":
        code = _micrograd_imports(code)
    else:
        randn, rand = _shared(micrograd.randn), _shared(micrograd.rand)
        patches = [
            (torch, "randn", randn),
            (torch, "rand", rand),
            (torch, "randn_like", _like(randn)),
            (torch, "rand_like", _like(rand)),
            (torch.nn.Linear, "reset_parameters", _linear_reset),
        ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"<{library} program>", "exec"), namespace)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)
    return re.sub(r" at 0x[0-9a-f]+", " at 0x…", out.getvalue())


TIMING = re.compile(r"\d+\.\d+ (ns|us|ms|s)\b|delta: \d+\.\d+ percent")


def same_output(program: str, rel: float = 0.0, timings: bool = False) -> str:
    """Run under both; the outputs must be equal (numbers within `rel` of each other when rel > 0:
    torch adds float32 numbers in another order than one by one).  With `timings`, the times a
    benchmark printed are left out of the comparison."""
    expected, got = run(program, "torch"), run(program, "micrograd")
    if timings:
        expected, got = TIMING.sub("<time>", expected), TIMING.sub("<time>", got)
    return assert_same(got, expected, rel)


def assert_same(got: str, expected: str, rel: float = 0.0) -> str:
    """got == expected, the numbers in them within `rel` of each other when rel > 0."""
    if rel == 0.0:
        assert got == expected
    else:

        def shape(text):  # the text around the numbers (column padding follows the numbers)
            return re.sub(r" +", " ", NUMBER.sub("#", text))

        assert shape(got) == shape(expected)
        numbers = [
            (float(a), float(b)) for a, b in zip(NUMBER.findall(got), NUMBER.findall(expected))
        ]
        for a, b in numbers:
            assert a == pytest.approx(b, rel=rel, abs=rel, nan_ok=True), f"{a} against {b}\n{got}"
    return got
