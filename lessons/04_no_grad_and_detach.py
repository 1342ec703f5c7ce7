# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. Turning tracking off: requires_grad_, no_grad, detach

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("en")                                          # the checkers' messages speak English
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# First the example every PyTorch introduction starts with: x is a 2×2 tensor of ones,
# y = x + 2, z = 3y², out = mean(z).  Written out, out = ¼ Σᵢ 3(xᵢ + 2)², so
#
# ∂out/∂xᵢ = ¼ · 6(xᵢ + 2) = 1.5(xᵢ + 2) = 4.5 at xᵢ = 1.
#
# The ¼ is the mean's: each of the four elements contributes a quarter of `out`, so each
# gradient is a quarter of what `z.sum()` would give.  `out` is one number, so `backward()`
# needs no argument.

# %%
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]

# %% [markdown]
# Results of operations on tensors that require grad also require grad, unless recording is
# off: inside `no_grad()`, or on a `detach()`ed tensor (new Values with the same numbers).

# %%
x = torch.ones(2, 2, requires_grad=True)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
y = x.detach()
print(y.requires_grad, x.eq(y).all())
assert (x ** 2).requires_grad and not y.requires_grad and bool(x.eq(y).all())
a = torch.randn(2, 2)
a = (a * 3) / (a - 1)
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad, (a * a).sum().grad_fn)

# %% [markdown]
# `detach` cuts a branch out of the graph: with u = (x·x).detach(), z = u·x has dz/dx = u,
# not 3x² (the example of d2l's automatic differentiation section).

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
assert bool((x.grad == u).all())

# %% [markdown]
# `detach()` is not a copy: the detached tensor shares its elements with its source (the same
# storage, as in PyTorch), it only leaves the graph.  So an in-place change to one
# (`y.zero_()`, `y[0] = 5`) shows in the other; `x.detach().clone()` is a copy of its own.
# To change a parameter in place without recording, use `with torch.no_grad():`.

# %%
y = x.detach()
y.zero_()
print(x, y)
assert x.tolist() == [0.0, 0.0, 0.0, 0.0] and not y.requires_grad
with torch.no_grad():
    x.add_(1.0)
print(x)
assert x.tolist() == [1.0, 1.0, 1.0, 1.0]

# %% [markdown]
# ## Exercise
#
# Write `answer(w, lr)`: one gradient-descent step on the leaf tensor w, in place.

# %%
def answer(w, lr):
    w = w - lr * w.grad          # wrong on purpose: this makes a new tensor; fix it

# %%
from micrograd.exercises import ExerciseFailed, check_sgd_step

try:
    print(check_sgd_step(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
