"""The errors a teaching program most often prints (shapes that do not fit, a class index out of
range), compared with torch: the same class and the same words, since programs print them."""

import pytest

import micrograd

CASES = {
    "broadcast": lambda t: t.ones(2, 3) + t.ones(4, 2, 2),
    "expand": lambda t: t.ones(2, 3).expand(3, 3),
    "expand, new dimensions": lambda t: t.ones(2, 3).expand(4, 3, 3),
    "matmul": lambda t: t.ones(2, 3) @ t.ones(2, 3),
    "mm": lambda t: t.ones(2, 3).mm(t.ones(2, 3)),
    "cat, sizes": lambda t: t.cat([t.ones(2, 3), t.ones(2, 4)]),
    "cat, dimensions": lambda t: t.cat([t.ones(2, 3), t.ones(2)]),
    "cat, third tensor": lambda t: t.cat([t.ones(2, 3), t.ones(2, 3), t.ones(3, 4)], 1),
    "Linear, 2-D": lambda t: t.nn.Linear(3, 2)(t.ones(2, 4)),
    "Linear, 1-D": lambda t: t.nn.Linear(3, 2)(t.ones(4)),
    "Linear, 3-D": lambda t: t.nn.Linear(3, 2)(t.ones(5, 2, 4)),
    "cross_entropy target": lambda t: t.nn.functional.cross_entropy(t.ones(2, 3), t.tensor([0, 3])),
    "nll_loss target": lambda t: t.nn.functional.nll_loss(t.ones(2, 3), t.tensor([0, -3])),
    "view": lambda t: t.ones(2, 3).view(4),
    "index": lambda t: t.ones(2, 3)[2],
}


@pytest.mark.parametrize("name", CASES)
def test_the_error_is_pytorch_s(torch, name):
    raised = []
    for lib in (micrograd, torch):
        with pytest.raises(Exception) as caught:
            CASES[name](lib)
        raised.append((type(caught.value).__name__, str(caught.value)))
    assert raised[0] == raised[1]
