"""int32 against torch 2.13: promotion, printing, 32-bit wrap-around of arithmetic, PyTorch's
refusals of numbers that do not fit, sums in int64, int32 indices; makemore's bigram counts in
``torch.zeros((27, 27), dtype=torch.int32)`` compared line by line.  int16, int8 and uint8
are refused by name (NotSupported)."""

import pytest

import micrograd as mg
from pytorch_harness import same_output
from test_tensor_functions import agree

CASES = [
    lambda lib: lib.tensor([2**31 - 1], dtype=lib.int32) + 1,
    lambda lib: lib.tensor([3.7, -2.5]).int(),
    lambda lib: lib.tensor([2**40 + 5]).int(),
    lambda lib: lib.zeros(2, dtype=lib.int32).fill_(2**31),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32).sum(),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32).cumsum(0),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32) + lib.tensor(5),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32) + lib.tensor([5]),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32) * 2.5,
    lambda lib: lib.tensor([1, 2], dtype=lib.int32) / 2,
    lambda lib: lib.tensor([1, 2], dtype=lib.int32).max(),
    lambda lib: lib.arange(3, dtype=lib.int32),
    lambda lib: lib.tensor([5, 6, 7])[lib.tensor([0, 2], dtype=lib.int32)],
    lambda lib: lib.zeros(2, dtype=lib.int32).add_(1.5),
    lambda lib: lib.tensor([1, -2], dtype=lib.int32) // 2,
    lambda lib: lib.tensor([1, -2], dtype=lib.int32) % 3,
    lambda lib: lib.tensor([7, 8, 9]).gather(0, lib.tensor([2, 0], dtype=lib.int32)),
    lambda lib: lib.tensor([[1, 2]], dtype=lib.int32).type(),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32).tolist(),
]


@pytest.mark.parametrize("case", CASES)
def test_int32_as_torch(torch, case):
    agree(torch, case)


def test_int32_prints_as_torchs(torch):
    same_output(
        "import torch\n"
        "x = torch.tensor([[1, -20], [300, 4]], dtype=torch.int32)\n"
        "print(x, x.dtype, torch.int, x * 2, x.float(), x.sum(), x.int() is x, x.long())\n"
    )


@pytest.mark.parametrize("name", ["int16", "int8", "uint8"])
def test_the_other_integer_dtypes_are_refused_naming_them(name):
    with pytest.raises(mg.NotSupported, match=rf"torch\.{name}.*torch\.int64"):
        getattr(mg, name)


BIGRAMS = """
import torch
words = ["emma", "olivia", "ava", "isabella", "sophia"]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
N = torch.zeros((len(stoi), len(stoi)), dtype=torch.int32)
for w in words:
    chs = ["."] + list(w) + ["."]
    for a, b in zip(chs, chs[1:]):
        N[stoi[a], stoi[b]] += 1
print(N[:4])
print(N.sum(), N[0].sum().item(), N.dtype)
P = (N + 1).float()
P /= P.sum(1, keepdim=True)
g = torch.Generator().manual_seed(2147483647)
ix = torch.multinomial(P[0], num_samples=5, replacement=True, generator=g)
print(ix.dtype, ix.shape)
nll = -torch.log(P[0, 1:]).mean()
print(f"{nll.item():.4f}")
"""


def test_makemore_counts_in_int32(torch):
    same_output(BIGRAMS, rel=1e-6)
