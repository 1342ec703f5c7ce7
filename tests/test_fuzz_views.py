"""Views, indexing and in-place writes that the differential fuzzer found differing from PyTorch,
each run with T = micrograd and T = torch and compared: the error's class, or the result's shape,
dtype, values, requires_grad, is_leaf and grad_fn name."""

from __future__ import annotations

import math
from typing import Any

import pytest

import micrograd
from micrograd import NotSupported

# PyTorch warns of T on 0-dim tensors and of lists read as tuples, which it still does
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def outcome(T: Any, source: str) -> Any:
    """Run `source` (T is the library) and describe what it made of `t`: the error's class, or
    the fields the fuzzer compares (of each tensor, for a tuple of them)."""
    env = {"T": T, "inf": math.inf, "nan": math.nan}
    try:
        exec(source, env)
    except NotSupported:
        raise
    except Exception as error:
        family = (IndexError, TypeError, ValueError, RuntimeError)
        return next(f.__name__ for f in family if isinstance(error, f))
    t = env["t"]
    return [describe(x) for x in t] if isinstance(t, (tuple, list)) else describe(t)


def describe(t: Any) -> tuple:
    """What the fuzzer compares of a tensor."""
    node = t.grad_fn
    name = None if node is None else node.name().removeprefix("torch::autograd::")
    values = t.detach().reshape(-1).tolist()
    return tuple(t.shape), str(t.dtype), values, t.requires_grad, t.is_leaf, name


def same(torch: Any, source: str) -> None:
    """`source` does in micrograd what it does in PyTorch."""
    assert outcome(micrograd, source) == outcome(torch, source)


ZERO_DIM_VIEWS = [  # a 0-dim tensor's views and their errors
    "t = T.tensor(1, dtype=T.int64).narrow(0, 0, 0)",
    "t = T.tensor(1.0).diagonal()",
    "t = T.tensor([1.0, 2.0]).diagonal()",
    "t = T.tensor(1.0).diagonal(0, 0, -1)",
    "t = T.tensor(3, dtype=T.int64).chunk(1, 0)",
    "t = T.tensor(3.0).chunk(0, 0)",
    "t = T.zeros(()).permute()",
    "t = T.tensor(1.0, requires_grad=True).movedim(0, 0)",
    "t = T.tensor(1.0, requires_grad=True).T",
]

PIECES = [  # split and chunk of empty dimensions, and their errors
    "t = T.tensor([]).chunk(2, 0)",
    "t = T.ones(2, 0, requires_grad=True).chunk(3, 1)",
    "t = T.arange(0.5, 0.5, 1).split(1, 0)",
    "t = T.tensor([]).split(2, 0)",
    "t = T.tensor([1.0, 2.0]).split(0, 0)",
    "t = T.tensor([1.0, 2.0]).split([3, -1], 0)",
    "t = T.tensor([1.0, 2.0]).narrow(0, -3, 1)",
    "t = T.tensor([1.0, 2.0]).narrow(0, 0, -1)",
    "t = T.ones(2, 3).movedim((0, 0), (1, 0))",
    "t = T.tensor([1.0, 2.0]).squeeze((0, 0))",
]

INDICES = [  # masks on 0-dim tensors, Python bools, several ellipses, 0-dim index tensors
    "x = T.tensor(1.0); t = x[x > 0]",
    "x = T.tensor(1.0); t = x[x < x]",
    "x = T.ones(2, 3, requires_grad=True); t = x[:, T.tensor(True)]",
    "x = T.ones(2, 3, requires_grad=True); t = x[0, T.tensor(False)]",
    "t = T.ones(2, 3, requires_grad=True)[True, 0]",
    "t = (T.tensor(1, dtype=T.int64) + 1)[..., ...]",
    "t = T.arange(24.0).reshape(2, 3, 4)[0, ..., 0, ...]",
    "t = T.arange(24.0).reshape(2, 3, 4)[..., 0, ..., 0]",
    "t = T.full((2, 2), 1.0, requires_grad=True)[T.tensor(1)]",
    "t = T.tensor([1.0, 2.0])[T.tensor(1.0)]",
    "t = T.tensor([1.0, 2.0])[[[0, 1], [1, 0]]]",
    "t = T.zeros((2, 2), requires_grad=True)[0:, :]",
    "t = T.zeros((2, 2), requires_grad=True)[0:]",
    "t = T.zeros((2, 3), requires_grad=True)[0, :]",
    "t = T.zeros(2)[::-1]",
]

WRITES = [  # t[index] = value: grad_fn names, dtype and overlap errors
    "t = T.ones(3, requires_grad=True) * 2; t[t > 0] = T.tensor([3.0], requires_grad=True)",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[[0]] = 7.0",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[:, [1]] = T.tensor(5.0, requires_grad=True)",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[0, [1]] = 5.0",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[T.tensor(False)] = 7.0",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[False] = 7.0",
    "t = T.ones(2, 2, requires_grad=True) * 2; t[True] = 7.0",
    "t = T.zeros(()); t[...] = T.tensor(1.0, requires_grad=True)",
    "t = T.zeros(2); t[:] = T.tensor(1.0, requires_grad=True)",
    "t = T.zeros(2); t[:, ...] = T.tensor([1.0, 2.0], requires_grad=True)",
    "t = T.zeros(2); t[:1] = T.tensor(1.0, requires_grad=True)",
    "t = T.zeros(2); t.copy_(T.tensor(1.0, requires_grad=True))",
    "t = T.zeros(2); t.fill_(T.tensor(1.0, requires_grad=True))",
    "t = T.zeros(2); t.fill_(T.tensor([1.0]))",
    "t = T.tensor([1.0, 1.0]); t[[-2, -2]] = T.tensor([1, 1], dtype=T.int64)",
    "t = T.arange(3); t[T.tensor([], dtype=T.int64)] = T.tensor([], dtype=T.float32)",
    "t = T.zeros(2, dtype=T.int64); t[t == 0] = T.tensor([1.5])",
    "t = T.zeros(2) > 1; t[t] = T.tensor([], dtype=T.bool)",
    "t = T.zeros(2) > 1; t[t] = True",
    "t = T.arange(2); t[t] = 1",
    "t = T.zeros(2); t[[0, 1]] = t[0]",
    "t = T.zeros(4); t[0:2][[0, 1]] = t[1:3]",
    "t = T.zeros(3); t[1:] = t[:2]",
    "t = T.zeros(2); t[:] = t",
    "t = T.zeros(1).expand(3); t[:] = 1.0",
    "t = T.zeros(2); t[::-1] = 1",
    "t = T.zeros(()); t[::-1] = 1.0",
    "t = T.zeros(())[::-1]",
    "t = T.zeros(2, 2); t[[0]] = T.ones(1, 1, 2)",
    "t = T.zeros(2, 2); t[0] = T.ones(1, 2)",
    "t = T.zeros(4); t[1:].add_(t[:3])",
    "t = T.zeros(4); t.mul_(t[0])",
    "t = T.zeros(4); t += t",
    "t, u = T.tensor([1.0, 1.0]).split(1, 0); t /= T.tensor([3.0], requires_grad=True)",
    "t = T.tensor([1.0, 1.0]).unbind(0)[0]; t[...] = T.tensor(3.0, requires_grad=True)",
    "t = T.full((2, 0, 0), True); t[:, [0, 0]] = True",
    "t = T.ones(2, 0)[:, [1]]",
    "t = T.ones(2, 0)[[5]]",
]


@pytest.mark.parametrize("source", ZERO_DIM_VIEWS + PIECES + INDICES + WRITES)
def test_as_pytorch(torch, source):
    same(torch, source)


def test_an_integer_tensor_filled_with_a_variable_is_not_supported(torch):
    """PyTorch records the fill and makes the int64 tensor require grad."""
    source = "t = T.zeros(2, dtype=T.int64); t[...] = T.tensor(5.0, requires_grad=True)"
    assert outcome(torch, source)[3] is True
    with pytest.raises(NotSupported, match="int64 tensor"):
        outcome(micrograd, source)


def test_gradients_through_the_new_writes(torch):
    """A value written by index_put_ and by fill_ with a tensor gets its gradient."""
    source = (
        "s = T.tensor(2.0, requires_grad=True); x = T.ones(3, requires_grad=True)\n"
        "y = x * 3; y[y > 0] = s; z = x * 1; z.fill_(s); w = x * 1; w[[0, 2]] = s\n"
        "(y.sum() + z.sum() + (w * w).sum()).backward(); t = (s.grad, x.grad)"
    )
    assert outcome(micrograd, source) == outcome(torch, source)
