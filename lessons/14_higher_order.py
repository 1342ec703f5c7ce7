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
# # 14. Higher-order derivatives

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
# The Hessian is the Jacobian of the gradient. For Σxᵢ³ it is diag(6xᵢ). Newton's method
# x ← x − f'(x)/f''(x) uses the second derivative and reaches a quadratic's minimum in one step.

# %%
from micrograd import func

h = func.hessian(lambda x: (x ** 3).sum())(torch.tensor([1.0, 2.0]))
print(h)
assert h.tolist() == [[6.0, 0.0], [0.0, 12.0]]

f = lambda x: x.exp() - 2 * x  # noqa: E731        minimum at x = log 2
x = 0.0
for step in range(6):
    d1 = float(func.grad(f)(x))
    d2 = float(func.grad(func.grad(f))(x))
    x = x - d1 / d2
    print(f"step {step + 1}: x = {x:.12f}")
assert abs(x - math.log(2)) < 1e-12

# %% [markdown]
# `gradgradcheck` checks second derivatives against central differences of the first: a
# backward that is right once but not differentiable again (it used `.data`) fails it.

# %%
from micrograd.autograd import Function, gradcheck, gradgradcheck


class DetachedCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x.data ** 2          # .data: a number, cut off from the graph


print("first order:", gradcheck(DetachedCube.apply, (Value(1.3),)))
print("second order:", gradgradcheck(DetachedCube.apply, (Value(1.3),), raise_exception=False))
assert gradcheck(DetachedCube.apply, (Value(1.3),))
assert not gradgradcheck(DetachedCube.apply, (Value(1.3),), raise_exception=False)

# %% [markdown]
# ## Exercise
#
# Write `answer(f, x)`: one Newton step x − f'(x)/f''(x).

# %%
def answer(f, x):
    return x - float(func.grad(f)(x))          # a gradient step: divide by f'' instead

# %%
from micrograd.exercises import ExerciseFailed, check_newton_step

try:
    print(check_newton_step(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
