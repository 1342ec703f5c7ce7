"""Cosine similarity, pairwise distance and the bilinear layer against torch: values, first and
second derivatives, grad_fn names, reprs, initialisation; programs compared line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output


def flat(x):
    return [y for item in x for y in flat(item)] if isinstance(x, list) else [x]


def close(a, b, rel=1e-9):
    assert a == pytest.approx(b, rel=rel, abs=rel)


# no zero elements, so no row or column is the zero vector, where a norm's second derivative
# is nan in PyTorch
ROWS = st.lists(
    st.lists(st.floats(-4, 4).filter(lambda v: abs(v) > 0.05), min_size=3, max_size=3),
    min_size=1,
    max_size=3,
)


def derivatives(lib, f, *inputs):
    """f(x₁, x₂), its grad_fn name, ∂/∂x₁, ∂/∂x₂ of Σ f·(1, 2, ...) and the gradient of the
    squared first gradient (a second derivative), in float64."""
    xs = [lib.tensor(x, dtype=lib.float64, requires_grad=True) for x in inputs]
    y = f(lib.nn.functional, *xs)
    w = lib.arange(1.0, y.numel() + 1, dtype=lib.float64).reshape(y.shape)
    grads = lib.autograd.grad((y * w).sum(), xs, create_graph=True)
    if grads[0].requires_grad:
        (second,) = lib.autograd.grad((grads[0] * grads[0]).sum(), xs[:1])
        second = flat((second + 0).tolist())  # torch's zeros of a piecewise-linear function
    else:  # a piecewise-linear function's gradient is constant: micrograd's has no graph
        second = [0.0] * xs[0].numel()
    return (type(y.grad_fn).__name__, y.tolist(), *[flat(g.tolist()) for g in grads], second)


FUNCTIONS = {
    "cosine": lambda F, a, b: F.cosine_similarity(a, b),
    "cosine_dim0": lambda F, a, b: F.cosine_similarity(a, b, dim=0, eps=1e-3),
    "pairwise": lambda F, a, b: F.pairwise_distance(a, b),
    "pairwise_l1": lambda F, a, b: F.pairwise_distance(a, b, p=1.0, keepdim=True),
    "pairwise_l3": lambda F, a, b: F.pairwise_distance(a, b, p=3.0, eps=1e-3),
    "normalize": lambda F, a, b: F.normalize(a) * b,
    "normalize_l1_dim0": lambda F, a, b: F.normalize(a, p=1.0, dim=0) * b,
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=12, deadline=None)
@given(a=ROWS, b=ROWS)
def test_distances_and_their_derivatives_are_torchs(torch, name, a, b):
    b = (b * len(a))[: len(a)]
    if "l1" in name:  # |x| at a kink: PyTorch's sign(0) = 0 matches, but keep clear of it
        b = [[v + 0.5 if abs(v - u) < 1e-3 else v for u, v in zip(r, s)] for r, s in zip(a, b)]
    mine = derivatives(micrograd, FUNCTIONS[name], a, b)
    theirs = derivatives(torch, FUNCTIONS[name], a, b)
    assert mine[0] == theirs[0]
    for x, y in zip(mine[1:], theirs[1:]):
        close(flat(x), flat(y), rel=1e-7)


def test_a_zero_vector_has_cosine_zero_and_a_finite_gradient(torch):
    for lib in (micrograd, torch):
        a = lib.zeros(2, 3, requires_grad=True)
        b = lib.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
        y = lib.nn.functional.cosine_similarity(a, b)
        y.sum().backward()
        assert y.tolist() == [0.0, 0.0]
        assert a.grad[0].tolist() == pytest.approx([1e8 * v / 14**0.5 for v in (1, 2, 3)])


def test_the_graph_below_a_distance_is_torchs(torch):
    def names(lib):
        x = lib.ones(2, 3, requires_grad=True)
        node = lib.nn.functional.pairwise_distance(x, x * 2).grad_fn
        chain = []
        while node is not None and node.next_functions:
            chain.append(type(node).__name__)
            node = node.next_functions[0][0]
        return chain

    assert names(micrograd) == names(torch)


def test_normalize_of_a_zero_vector_is_torchs(torch):
    for lib in (micrograd, torch):
        x = lib.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
        y = lib.nn.functional.normalize(x)
        (y * lib.tensor([[1.0, 2.0], [1.0, 0.0]])).sum().backward()
        assert type(y.grad_fn).__name__ == "DivBackward0"
        assert flat(y.tolist()) == pytest.approx([0.0, 0.0, 0.6, 0.8])
        assert flat(x.grad.tolist()) == pytest.approx([1e12, 2e12, 0.128, -0.096], rel=1e-6)


def test_modules_print_as_torchs(torch):
    for make in [
        lambda nn: nn.CosineSimilarity(),
        lambda nn: nn.CosineSimilarity(dim=0, eps=1e-6),
        lambda nn: nn.PairwiseDistance(p=1.0, keepdim=True),
        lambda nn: nn.Bilinear(2, 3, 4),
        lambda nn: nn.Bilinear(2, 3, 4, bias=False),
    ]:
        assert repr(make(micrograd.nn)) == repr(make(torch.nn))


def bilinear_run(lib, bias, shapes):
    x1 = lib.tensor(shapes[0], dtype=lib.float64, requires_grad=True)
    x2 = lib.tensor(shapes[1], dtype=lib.float64, requires_grad=True)
    w = lib.arange(24.0, dtype=lib.float64).reshape(4, 2, 3).sin().requires_grad_()
    b = lib.tensor([0.5, -1.0, 2.0, 0.0], dtype=lib.float64, requires_grad=True) if bias else None
    y = lib.nn.functional.bilinear(x1, x2, w, b)
    (y * y).sum().backward()
    grads = [flat(t.grad.tolist()) for t in (x1, x2, w) + ((b,) if bias else ())]
    return [type(y.grad_fn).__name__, list(y.shape), flat(y.tolist())] + grads


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize(
    "shapes",
    [
        ([[1.0, 2.0], [-0.5, 0.25]], [[0.5, -1.0, 2.0], [1.0, 1.0, -3.0]]),
        ([1.0, -2.0], [0.5, 3.0, 1.0]),
        ([[[1.0, 2.0]], [[0.0, 1.0]]], [[[2.0, 0.0, 1.0]], [[1.0, -1.0, 1.0]]]),
    ],
)
def test_bilinear_is_torchs(torch, bias, shapes):
    mine, theirs = bilinear_run(micrograd, bias, shapes), bilinear_run(torch, bias, shapes)
    assert mine[:2] == theirs[:2]
    for a, b in zip(mine[2:], theirs[2:]):
        close(a, b)


def test_bilinear_parameters_are_torchs(torch):
    for lib in (micrograd, torch):
        layer = lib.nn.Bilinear(5, 3, 2)
        assert [(n, tuple(p.shape)) for n, p in layer.named_parameters()] == [
            ("weight", (2, 5, 3)),
            ("bias", (2,)),
        ]
        bound = 1 / 5**0.5
        assert all(abs(v) <= bound for p in layer.parameters() for v in flat(p.tolist()))


# torch.nn.CosineSimilarity's and PairwiseDistance's docs examples, and a bilinear layer's
DOCS_EXAMPLES = """
import torch
import torch.nn as nn
input1 = torch.randn(100, 128)
input2 = torch.randn(100, 128)
cos = nn.CosineSimilarity(dim=1, eps=1e-6)
output = cos(input1, input2)
print(output.shape)
print(output)
pdist = nn.PairwiseDistance(p=2)
input1 = torch.randn(10, 12, requires_grad=True)
input2 = torch.randn(10, 12)
output = pdist(input1, input2)
print(output)
output.sum().backward()
print(input1.grad[0])
m = nn.Bilinear(4, 5, 3)
input1 = torch.randn(6, 4)
input2 = torch.randn(6, 5)
output = m(input1, input2)
print(output.size())
print(output)
print(m.weight[0], m.bias)
"""


def test_the_distance_docs_examples(torch):
    same_output(DOCS_EXAMPLES, rel=1e-5)
