"""Custom Functions as PyTorch 2 writes them, against PyTorch 2.13: the ``setup_context`` style
(forward without ctx), ``once_differentiable``, ``ctx.mark_dirty``, ``mark_non_differentiable``,
``set_materialize_grads``, ``generate_vmap_rule`` under vmap, and the checks of
``save_for_backward``/``saved_tensors``."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd
from pytorch_harness import same_output

STYLES = """
import torch
from torch.autograd.function import once_differentiable

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x ** 3
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2

x = torch.tensor([1.0, -2.0], requires_grad=True)
y = Cube.apply(x)
print(y)
y.sum().backward()
print(x.grad)
g, = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
print(g)
print(torch.autograd.grad(g.sum(), x))

class Exp1(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        r, = ctx.saved_tensors
        print("in backward", torch.is_grad_enabled())
        return g * r
e = Exp1.apply(x)
e.sum().backward()
print(x.grad)
g2, = torch.autograd.grad(Exp1.apply(x).sum(), x, create_graph=True)
print(g2, g2.requires_grad)
try:
    g2.sum().backward()
except RuntimeError as err:
    print(err)

class Sort2(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        idx = torch.tensor([1, 2, 0])
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return x[idx], idx
    @staticmethod
    def backward(ctx, g, gi):
        print("gi", gi)
        idx, = ctx.saved_tensors
        out = torch.zeros_like(g)
        out[idx] = g
        return out
s, i = Sort2.apply(torch.tensor([3.0, 1.0, 2.0], requires_grad=True))
print(s, i, i.requires_grad)
s.sum().backward()

class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, ga, gb):
        print("ga", ga, "gb", gb)
        return ga * 2
a, b = Two.apply(x)
a.sum().backward()
print(x.grad)

class Two2(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, ga, gb):
        print("ga", ga, "gb", gb)
        return ga * 2 + gb * 3
a, b = Two2.apply(x)
a.sum().backward()

print(y.grad_fn, e.grad_fn, s.grad_fn, i.grad_fn)
print(y.grad_fn.next_functions)
"""


def test_setup_context_once_differentiable_non_differentiable_materialize(torch):
    same_output(STYLES)


MARK_DIRTY = """
import torch
class AddOne(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x
    @staticmethod
    def backward(ctx, g):
        return g
w = torch.tensor([1.0, 2.0], requires_grad=True)
v = w * 1
out = AddOne.apply(v)
print(out, out is v, v, v.grad_fn)
(out * out).sum().backward()
print(w.grad)
print(v._version, w._version)
z = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    AddOne.apply(z)
except RuntimeError as e:
    print(e)
print(z, z._version)
with torch.no_grad():
    q = torch.tensor([5.0])
    print(AddOne.apply(q))
"""


def test_mark_dirty_makes_the_input_the_output(torch):
    same_output(MARK_DIRTY)


VMAP_RULE = """
import torch
class Scale(torch.autograd.Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x, c):
        return x * c
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.c = inputs[1]
    @staticmethod
    def backward(ctx, g):
        return g * ctx.c, None
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
print(torch.func.vmap(lambda r: Scale.apply(r, 3.0))(x).detach())
print(torch.func.grad(lambda r: Scale.apply(r, 2.0).sum())(x))
"""


def test_generate_vmap_rule_under_vmap_and_grad(torch):
    same_output(VMAP_RULE)


SAVED_CHECKS = """
import torch
class Keep(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, what):
        ctx.save_for_backward(what)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        t, = ctx.saved_tensors
        return g * 2, None
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    Keep.apply(x, 3)
except TypeError as e:
    print(e)
y = Keep.apply(x, x)
y.sum().backward()
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
w = x * 1
y = Keep.apply(x, w)
with torch.no_grad():
    w.add_(1)
try:
    y.sum().backward()
except RuntimeError as e:
    print(str(e).split(" Hint")[0].split("; expected")[0])
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g, g
try:
    Bad.apply(x).sum().backward()
except RuntimeError as e:
    print(e)
"""


def test_save_for_backward_and_saved_tensors_checks(torch):
    same_output(SAVED_CHECKS)


def test_mark_dirty_of_a_value_is_not_supported():
    class AddOne(micrograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(micrograd.NotSupported, match="mark_dirty of a Value"):
        AddOne.apply(micrograd.Value(1.0))


@given(st.floats(-2, 2))
def test_setup_context_function_matches_central_differences(x0):
    """A Function in the setup_context style: d/dx sin(x)·x = cos(x)·x + sin(x), checked by
    central differences."""

    class SinTimes(micrograd.autograd.Function):
        @staticmethod
        def forward(x):
            return x.sin() * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x.cos() * x + x.sin())

    x = micrograd.tensor([x0], dtype=micrograd.float64, requires_grad=True)
    SinTimes.apply(x).sum().backward()
    h = 1e-6

    def f(t: float) -> float:
        return math.sin(t) * t

    assert x.grad.item() == pytest.approx((f(x0 + h) - f(x0 - h)) / (2 * h), abs=1e-7)
