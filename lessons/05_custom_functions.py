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
# # 5. Custom Functions

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
# A `Function` has a static `forward(ctx, ...)` and `backward(ctx, grad_output)`; `ctx.save_for_backward`
# keeps what backward needs. Our built-in `Mul` is built the same way (`torch.autograd.Mul`).

# %%
from micrograd.autograd import Function, gradcheck


class Square(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 2

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 2 * input


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = Square.apply(x)
y.sum().backward()
print(x.grad, y.grad_fn)
assert x.grad.tolist() == [2.0, 4.0, 6.0]
assert gradcheck(Square.apply, (torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True),))

# %%
class line(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        w, x, b = ctx.saved_tensors
        return grad_output * x, grad_output * w, grad_output * 1


w, x, b = (torch.randn(2, 2, requires_grad=True) for _ in range(3))
out = line.apply(w, x, b)
out.backward(torch.ones(2, 2))
assert w.grad.tolist() == x.tolist() and x.grad.tolist() == w.tolist()
assert gradcheck(line.apply, tuple(torch.randn(2, dtype=torch.float64, requires_grad=True) for _ in range(3)))
print("line's gradients: dy/dw = x, dy/dx = w, dy/db = 1 (checked by gradcheck)")

# %% [markdown]
# ## Exercise
#
# Write the Function `answer` computing x³, with its backward.

# %%
class answer(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 2 * x ** 2          # check this line

# %%
from micrograd.exercises import ExerciseFailed, check_cube_function

try:
    print(check_cube_function(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
