"""Regressions of the differential fuzzer's findings about dtypes, making tensors, products,
reductions and joining: each program runs with T = micrograd and T = torch, and what it makes
(numbers exactly, shape, dtype, requires_grad, grad_fn, a gradient) or the class of the error
it raises must be the same."""

from math import inf, nan
from typing import Any

import pytest

import micrograd as mg

BIG = 9007199254740993  # 2⁵³ + 1: a float cannot hold it, an int64 can
PROGRAMS = [
    # arange: no bool; int64 truncates its bounds and step first
    "r = T.arange(3, dtype=T.bool)",
    "r = T.arange(0, dtype=T.bool)",
    "r = T.arange(1.5, dtype=T.int64)",
    "r = T.arange(2, 2, 0.5, dtype=T.int64)",
    "r = T.arange(0, 3, 0.5, dtype=T.int64)",
    "r = T.arange(-2.5, 3, 1.5, dtype=T.int64)",
    "r = T.arange(3, -2.5, -1.5, dtype=T.int64)",
    "r = T.arange(-0.5, dtype=T.int64)",
    "r = T.arange(0, 3, nan)",
    "r = T.arange(True)",
    # the *_like of a 0-dim tensor; requires_grad under no_grad
    "r = T.ones_like(T.tensor(1.0))",
    "r = T.zeros_like(T.tensor(1.0, dtype=T.float32))",
    "with T.no_grad(): r = T.zeros_like(T.tensor(1.0), requires_grad=True)",
    # products: no bool, one dtype, PyTorch's checks in its order
    "r = T.matmul(T.tensor([[[False]]]), T.tensor([[[True, True, True]]]))",
    "r = T.tensor([], dtype=T.bool) @ T.tensor([], dtype=T.bool)",
    "r = T.mm(T.zeros((2, 1), dtype=T.bool), T.tensor([[True]]))",
    "r = T.mv(T.full((2, 2), 1.0, dtype=T.bool), T.tensor([True, True]))",
    "r = T.matmul(T.full((2, 2), True), T.tensor([True, True]))",
    "r = T.mm(T.ones(2, 0, dtype=T.bool), T.ones(0, 2, dtype=T.bool))",
    "r = T.mv(T.tensor(2), T.tensor([0, -2, 2]))",
    "r = T.mv(T.ones(2, 2), T.ones(2, 2))",
    "r = T.mv(T.ones(2, 3), T.ones(2))",
    "r = T.dot(T.arange(0, dtype=T.float32), T.tensor([], dtype=T.float64))",
    "r = T.dot(T.where(T.ones(2) > 0, 1, 1), T.ones(2))",
    "r = T.tensor([]) @ T.tensor([], dtype=T.int64)",
    "r = T.mm(T.zeros((2, 1)), T.tensor([[1.0, 1.0]], dtype=T.float64))",
    "r = T.matmul(T.ones(2, 2, 2), T.ones(2, 2, dtype=T.float64))",
    "r = T.matmul(T.ones(2, 2, 2), T.ones(3, 2))",
    "r = T.matmul(T.ones(2, 2, 2), T.ones(2, 2, 2, dtype=T.float64))",
    "r = T.matmul(T.ones(2, 2, 2, dtype=T.float64), T.ones(2, 2, 0))",
    "r = T.matmul(T.ones(2, dtype=T.float64), T.ones(2, 2, 0))",
    "r = T.matmul(T.ones(3), T.ones(2, 2, 2))",
    "r = T.ones(2, 2, 2).bmm(T.ones(2, 2, 2, dtype=T.float64))",
    "r = T.matmul(T.zeros(2, 2, 2).transpose(0, 1), T.ones(2, 0, dtype=T.float64))",
    "r = T.matmul(T.zeros(2, 2, 2).transpose(0, 1), T.ones(2, 3, dtype=T.float64))",
    f"r = T.matmul(T.ones(2, 2, dtype=T.int64), T.tensor([[1, 1], [1, {BIG}]]))",
    "r = T.arange(3).matmul(T.tensor([[1], [-9223372036854775808], [1]]))",
    # reductions: norm of floats only, exact int64, signed zeros, amax and amin
    "r = T.norm(T.arange(0, 4))",
    "r = T.ones(3, 3, 3, dtype=T.bool).norm(dim=2)",
    "r = T.ones((1,), dtype=T.bool).norm(dim=(1, 0), keepdim=True)",
    f"r = T.tensor([1, {BIG}]).prod()",
    f"r = T.prod(T.tensor([[[1, {BIG}], [1, 1]], [[1, 1], [1, 1]]]), 0, keepdim=True)",
    f"r = T.tensor([[1, {BIG}]]).max(1)",
    f"r = T.tensor([1, {BIG}]).max()",
    "r = T.tensor([[-0.0, 0.0]]).max(1)",
    "r = T.tensor([[-0.0, 0.0]]).min(1)",
    "r = T.tensor([-0.0, -0.0]).sum()",
    "r = T.tensor([[-0.0], [0.0]]).prod(1)",
    "r = T.tensor([-0.0]).mean()",
    "r = T.tensor([[0.0, -0.0, 0.0], [-0.0, 0.0, -0.0]]).amax(1)",
    "r = T.tensor([[0.0, -0.0, 0.0], [-0.0, 0.0, -0.0]]).amin(0, keepdim=True)",
    f"r = T.tensor([[1, 2, 0], [0, 3, {BIG}]]).amax(1)",
    "r = T.tensor([[True, False]]).amin(0)",
    "r = T.ones(2, 0).amax(1)",
    "r = T.ones(2, 0).amax()",
    "r = T.arange(0).amin(dim=(0, 0), keepdim=True)",
    "r = T.tensor([2.0]).amax((0, 0))",
    "r = T.tensor([[3.0, -3.0, 0.0, -1.0], [0.0, -0.0, nan, 0.0]]).norm(p=1, dim=1)",
    "r = T.tensor([[3.0, -3.0, 0.0, -1.0], [0.0, -0.0, nan, 0.0]]).norm(p=inf, dim=1)",
    "r = T.ones(2, 0).norm(p=inf, dim=1)",
    "r = T.ones(2, 0).norm(p=inf)",
    "r = T.norm(T.tensor([]), p=inf, dim=(0, 1), keepdim=True)",
    "r = T.norm(T.ones(2, 2, 2), 2, dim=(0, 1, 2))",
    "r = T.norm(T.ones(2, 2, 2), dim=(0, 1, 2))",
    "r = T.ones(2, 2, dtype=T.int64).norm(p=1)",
    # joining and choosing: int64 exact, dtypes, PyTorch's checks
    "r = T.cat([T.tensor([1, 1, 9223372036854775807])] * 2, 0)",
    f"r = T.stack((T.tensor([1, {BIG}]), T.tensor([1, {BIG}])), 0)",
    "r = T.cat((T.tensor([], dtype=T.int64), T.zeros(0)), 0)",
    "r = T.stack((T.tensor([[1.0], [1.0]]), T.ones(())), 3)",
    "r = T.cat((T.zeros(0), T.zeros(0)), 1)",
    "r = T.cat((T.zeros(0, requires_grad=True), T.ones(2, 2)), 1)",
    "r = T.where(T.ones(2) > 0, 9223372036854775807, T.tensor([1, 1]))",
    "r = T.where(T.tensor([True, False]), T.tensor([1.5, 2.5], dtype=T.float64), 0.1)",
    "r = T.where(T.tensor([True, False]), T.tensor([1.5, 2.5]), 1e300)",
    "r = T.where(T.tensor([True, False]), T.tensor([1, 2]), 2**63)",
    "r = T.where(T.tensor([1, 0]), T.tensor([1.5, 2.5]), T.tensor([1.5, 2.5]))",
    "r = T.where(T.zeros((2, 2), dtype=T.bool).exp(), 1.0, 2.0)",
]


def outcome(lib: Any, program: str) -> Any:
    """What the program leaves in `r` (a tensor, or a tuple of them), comparable across the
    libraries, or the class of the error it raises."""
    scope: dict = {"T": lib, "inf": inf, "nan": nan}
    try:
        exec(program, scope)
    except Exception as error:  # the error is the outcome compared
        return type(error).__name__
    found = scope["r"]
    return [described(t) for t in (found if isinstance(found, tuple) else (found,))]


def described(t: Any) -> tuple:
    """A tensor's numbers (floats by repr: signed zeros count), shape, dtype, requires_grad and
    grad_fn name."""
    flat = t.reshape(-1).tolist()
    numbers = [repr(x) if isinstance(x, float) else x for x in flat]
    grad_fn = t.grad_fn.name() if t.grad_fn is not None else None
    return numbers, tuple(t.shape), str(t.dtype), t.requires_grad, grad_fn


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_matches_torch(torch, program):
    assert outcome(mg, program) == outcome(torch, program)


GRADIENTS = [
    "x.amax(1)",
    "x.amin((0, 1), keepdim=True)",
    "x.amax(())",
    "x.amin(-1)",
    "x.max(1)[0]",
    "x.prod(1)",
    "T.where(x > 1, x, 0.5)",
    "T.cat([x, x], 1)",
    "x @ x.t()",
    "x.norm(p=1, dim=1)",
    "x.norm(p=inf)",
    "T.matmul(x[0], T.ones(2, 3, 1))",
]


@pytest.mark.parametrize("expression", GRADIENTS)
def test_gradient_matches_torch(torch, expression):
    """Ties share a gradient evenly (amax, amin), a nan result sends nan to its whole group."""

    def gradient(lib: Any) -> tuple:
        data = [[1.0, nan, 0.0], [2.0, 2.0, -0.0]] if "am" in expression else [[1.0, 2.0, 3.0]]
        x = lib.tensor(data, requires_grad=True)
        y = eval(expression, {"T": lib, "x": x, "inf": inf})
        y.sum().backward()
        return described(y)[:3] + (y.grad_fn.name(), repr(x.grad.tolist()))

    assert gradient(mg) == gradient(torch)
