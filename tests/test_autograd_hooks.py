"""Tensor hooks against PyTorch 2.13: ``register_hook`` on intermediate tensors and leaves (a
replacement, removal, several hooks in order, with ``retain_grad`` and ``create_graph``),
``retain_grad``/``retains_grad`` and ``register_post_accumulate_grad_hook``."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output

HOOKS = """
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
def h(g):
    print("hook y", g)
    return g * 10
hy = y.register_hook(h)
hx = x.register_hook(lambda g: print("hook x", g))
z = (y * y).sum()
z.backward(retain_graph=True)
print(x.grad)
hy.remove()
hy.remove()
x.grad = None
z.backward()
print(x.grad)
a = torch.tensor([1.0, -2.0], requires_grad=True)
b = a.exp()
b.retain_grad()
print(b.retains_grad, a.retains_grad)
b.register_hook(lambda g: g * 2)
(b * 3).sum().backward()
print(b.grad, a.grad)
c = torch.tensor([1.0, 2.0], requires_grad=True)
d = c * c
d.register_hook(lambda g: print("first", g) or g + 1)
d.register_hook(lambda g: print("second", g))
d.sum().backward()
print(c.grad)
e = torch.tensor([1.0, 2.0], requires_grad=True)
e.register_hook(lambda g: g * 3)
(e * e).sum().backward()
print(e.grad)
(e * e).sum().backward()
print(e.grad)
p = torch.ones(2, requires_grad=True)
q = p * 2
q.register_hook(lambda g: print("hook q", g) or g * 3)
r = q.sum()
del q  # the hook lives on with the graph
r.backward()
print(p.grad)
"""


def test_hooks_replace_remove_and_run_in_order(torch):
    same_output(HOOKS)


CREATE_GRAPH = """
import torch
f = torch.tensor([2.0], requires_grad=True)
g1 = f ** 3
g1.register_hook(lambda g: g * 2)
gr, = torch.autograd.grad(g1.sum(), f, create_graph=True)
print(gr)
gr2, = torch.autograd.grad(gr.sum(), f)
print(gr2)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
w = torch.tensor([0.5, -0.25], requires_grad=True)
h = torch.tanh(x @ w)
seen = []
h.register_hook(lambda g: seen.append(("h", g.shape, round(g.sum().item(), 5))))
y = h * h + h.sin()
handle = y.register_hook(lambda g: g * 0.5)
y.sum().backward(create_graph=True)
print(seen)
print(x.grad.detach(), w.grad.detach())
print(torch.autograd.grad(w.grad.sum(), w))
with handle:
    pass
"""


def test_hooks_with_create_graph_are_differentiated_again(torch):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's reference-cycle warning
        same_output(CREATE_GRAPH, rel=1e-6)


ERRORS_AND_RETAIN = """
import torch
try:
    torch.tensor([1.0]).register_hook(print)
except RuntimeError as e:
    print(e)
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 3
try:
    b.register_post_accumulate_grad_hook(print)
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1.0]).register_post_accumulate_grad_hook(print)
except RuntimeError as e:
    print(e)
q = torch.tensor([1.0, 2.0], requires_grad=True)
r = q * 2
r.retain_grad()
r.register_hook(lambda g: g + 100)
s = r * r
s.retain_grad()
s.sum().backward()
print(r.grad, s.grad, q.grad, q.retains_grad, r.retains_grad, s.retains_grad)
"""


def test_hook_errors_and_retain_grad(torch):
    same_output(ERRORS_AND_RETAIN)


def test_a_hook_changing_the_shape_is_refused():
    a = micrograd.tensor([1.0, 2.0], requires_grad=True)
    b = a * 3
    b.register_hook(lambda g: micrograd.ones(3))
    with pytest.raises(RuntimeError, match="has changed the size of value"):
        b.sum().backward()


POST_ACCUMULATE = """
import torch
p = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
def step(t):
    print("step", t.grad)
    with torch.no_grad():
        t.sub_(0.1 * t.grad)
    t.grad = None
handle = p.register_post_accumulate_grad_hook(step)
for _ in range(3):
    (p * p).sum().backward()
print(p, p.grad)
handle.remove()
(p * p).sum().backward()
print(p.grad)
q = torch.tensor([1.0, 2.0], requires_grad=True)
q.register_hook(lambda g: g * 2)
q.register_post_accumulate_grad_hook(lambda t: print("post", t.grad))
(q * 2).sum().backward()
(q * 2).sum().backward()
torch.autograd.backward([(q * q).sum()])
"""


def test_post_accumulate_grad_hook_steps_an_optimizer(torch):
    same_output(POST_ACCUMULATE)


@given(st.floats(-3, 3), st.floats(-2, 2))
def test_a_scaling_hook_scales_the_gradient_below(c, x0):
    """h(g) = c·g on y = x³ gives ∂L/∂x = c·3x² for L = sum(y) (the chain rule)."""
    x = micrograd.tensor([x0], dtype=micrograd.float64, requires_grad=True)
    y = x**3
    y.register_hook(lambda g: g * c)
    y.sum().backward()
    assert x.grad.item() == pytest.approx(c * 3 * x0**2, abs=1e-12)


def test_a_hooked_leaf_is_freed_with_its_tensor_and_later_passes_are_plain():
    import gc
    import weakref

    from micrograd.core import backward

    x = micrograd.ones(3, requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * x).sum().backward()
    element = weakref.ref(x._values[0])
    del x
    gc.collect()
    assert element() is None  # not kept alive by its own hook
    assert not backward.HOOKS  # so a plain backward takes the fast pass again
