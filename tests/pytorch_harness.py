"""The harness of the program tests: one program text, run under PyTorch and under micrograd.

``run(program, "torch")`` executes it as written; ``run(program, "micrograd")`` with its imports
pointed at micrograd (``import torch`` becomes ``import micrograd as torch``, ``functorch``
becomes ``micrograd.func``).  Random numbers are shared: micrograd draws them (seeded) and, in the
torch run, torch's random functions and ``nn.Linear``'s initialisation return those same numbers,
so the printed lines can be compared (object addresses and timings aside).  A program's own
``torch.Generator`` draws from a micrograd Generator seeded from its seed (``_stream_for``).
"""

import contextlib
import io
import math
import re
import textwrap

import pytest

import micrograd
from micrograd.tensors import randomness
from micrograd.utils import data

try:
    import torch
    import torch.utils.data
except ImportError:  # tests that run a program under torch take conftest's torch fixture,
    torch = None  # which skips them first (fails them in CI)
else:
    import torch.utils.data.dataloader

    _TORCH_RANDOM = torch.Tensor.random_  # torch's own, before any patch
    _DATA_ITER = torch.utils.data.dataloader._BaseDataLoaderIter

NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+|nan|-?inf")


def _micrograd_imports(code: str) -> str:
    code = re.sub(r"\bimport torch\b(?!\.)", "import micrograd as torch", code)
    code = re.sub(r"\bimport torch\.", "import micrograd.", code)
    code = re.sub(r"\bfrom torch(\.| )", r"from micrograd\1", code)
    return re.sub(r"\bimport functorch as\b", "import micrograd.func as", code)


_STREAMS = {}  # id of a torch.Generator -> (it, micrograd's Generator for it)


def _stream_for(generator):
    """The micrograd Generator standing for a torch.Generator in the torch run: one per torch
    Generator, seeded from its seed (made again when that seed changes), so a program that
    draws from `g = torch.Generator().manual_seed(s)` gets micrograd's numbers for seed s."""
    if generator is None or generator is torch.default_generator:  # micrograd's default stream
        return None
    held, seed = _STREAMS.get(id(generator)), generator.initial_seed()
    if held is None or held[0] is not generator or held[1].initial_seed() != seed:
        held = (generator, micrograd.Generator().manual_seed(seed))
        _STREAMS[id(generator)] = held
    return held[1]


def _shared(maker):
    """torch.randn/rand drawing micrograd's numbers."""

    def draw(*size, requires_grad=False, dtype=None, generator=None, **options):
        given = {k: v for k, v in options.items() if k == "size"}
        numbers = maker(*size, generator=_stream_for(generator), **given).tolist()
        return torch.tensor(numbers, dtype=dtype or torch.float32, requires_grad=requires_grad)

    return draw


def _permutation(n, *, generator=None, dtype=None, **options):
    """torch.randperm drawing micrograd's order: DataLoader(shuffle=True), random_split."""
    if _stream_for(generator) is not None:
        order = micrograd.randperm(n, generator=_stream_for(generator)).tolist()
        return torch.tensor(order, dtype=dtype or torch.int64)
    return torch.tensor(data.permutation(n), dtype=dtype or torch.int64)


def _random_sampler_iter(self):
    """RandomSampler's order as torch's, less the seed it draws for a generator of its own
    (micrograd's draws none, so drawing it from micrograd's numbers would put them out of step)."""
    if self.replacement:
        raise NotImplementedError("the harness shares no numbers for replacement=True")
    n = len(self.data_source)
    for _ in range(self.num_samples // n):
        yield from torch.randperm(n).tolist()
    yield from torch.randperm(n).tolist()[: self.num_samples % n]


def _own_seed(init):
    """A DataLoader iterator's base seed (for worker processes) from torch's own Tensor.random_,
    not micrograd's numbers, which micrograd's DataLoader does not draw."""

    def wrapped(self, loader):
        shared, torch.Tensor.random_ = torch.Tensor.random_, _TORCH_RANDOM
        try:
            init(self, loader)
        finally:
            torch.Tensor.random_ = shared

    return wrapped


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


def _shared_fill(draw):
    """Tensor.uniform_/normal_ (so nn.init's functions too) filling with micrograd's numbers,
    drawn in micrograd's order (row by row); the bounds and std stay torch's own."""

    def fill(self, first=0.0, second=1.0, *, generator=None):  # (from, to) or (mean, std)
        mine = _stream_for(generator)
        drawn = draw if mine is None else getattr(mine._stream, draw.__name__)
        numbers = [drawn(first, second) for _ in range(self.numel())]
        return self.copy_(torch.tensor(numbers, dtype=self.dtype).reshape(self.shape))

    return fill


def _to_micrograd(x):
    """A torch tensor (or torch dtype) as micrograd's, numbers copied; anything else as it is."""
    if isinstance(x, torch.dtype):
        return getattr(micrograd, str(x).removeprefix("torch."))
    if isinstance(x, torch.Tensor):
        return micrograd.tensor(x.tolist(), dtype=_to_micrograd(x.dtype))
    return x


def _to_torch(t):
    return torch.tensor(t.tolist(), dtype=getattr(torch, t.dtype.name)).reshape(t.shape)


def _shared_function(maker):
    """torch.normal, bernoulli, randint... returning what micrograd's function draws."""

    def draw(*args, requires_grad=False, generator=None, **options):
        args = [_to_micrograd(a) for a in args]
        options = {k: _to_micrograd(v) for k, v in options.items()}
        options["generator"] = _stream_for(generator)
        return _to_torch(maker(*args, **options)).requires_grad_(requires_grad)

    return draw


def _shared_method(name):
    """Tensor.random_/bernoulli_ filling with the numbers micrograd's method draws."""

    def fill(self, *args, generator=None, **options):
        options["generator"] = _stream_for(generator)
        made = micrograd.zeros(*self.shape, dtype=_to_micrograd(self.dtype))
        getattr(made, name)(*[_to_micrograd(a) for a in args], **options)
        return self.copy_(_to_torch(made))

    return fill


def _dropout(input, p=0.5, training=True, inplace=False):
    """torch's F.dropout with micrograd's mask, scaled as both scale it: x · mask · 1/(1 − p)."""
    if not training or p == 0:
        return input
    mask = _to_torch(micrograd.nn.activations.dropout_mask(tuple(input.shape), p))
    return input * mask if p == 1 else input * mask * (1 / (1 - p))


def _feature_dropout(input, p, train):
    """torch's channel dropout (Dropout1d, Dropout2d) with micrograd's mask, one per channel."""
    if not train or p == 0:
        return input
    mask = _to_torch(micrograd.nn.channel_dropout.channel_mask(tuple(input.shape), p))
    return input * mask if p == 1 else input * mask * (1 / (1 - p))


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
            (torch.Tensor, "uniform_", _shared_fill(randomness.generator.uniform)),
            (torch.Tensor, "normal_", _shared_fill(randomness.generator.gauss)),
            (torch, "randperm", _permutation),
            (torch.utils.data.dataset, "randperm", _permutation),  # its own `from torch import`
            (torch.utils.data.RandomSampler, "__iter__", _random_sampler_iter),
            (_DATA_ITER, "__init__", _own_seed(_DATA_ITER.__init__)),
            (torch, "normal", _shared_function(micrograd.normal)),
            (torch, "bernoulli", _shared_function(micrograd.bernoulli)),
            (torch, "randint", _shared_function(micrograd.randint)),
            (torch, "multinomial", _shared_function(micrograd.multinomial)),
            (torch.Tensor, "random_", _shared_method("random_")),
            (torch.Tensor, "bernoulli_", _shared_method("bernoulli_")),
            (torch.nn.functional, "dropout", _dropout),
            (torch._VF, "feature_dropout", _feature_dropout),
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
    printed = re.sub(r" at 0x[0-9a-f]+", " at 0x…", out.getvalue())
    # type(t): micrograd's classes live where torch's do, under micrograd's name
    # (micrograd.Tensor, micrograd.nn.parameter.Parameter): compared as torch's
    return re.sub(r"<class 'micrograd\.", "<class 'torch.", printed)


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
