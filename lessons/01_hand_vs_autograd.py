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
# # 1. From hand-written derivatives to autograd

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
# Autograd tutorials often start with f(x) = x²·eˣ. By the product rule its derivative is
# f'(x) = 2x·eˣ + x²·eˣ. We write both as code, let autograd compute the derivative, and check
# that the two agree.

# %%
def f(x):
    return x ** 2 * torch.exp(x)


def gradf(x):
    return 2 * x * torch.exp(x) + x ** 2 * torch.exp(x)


torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)    # requires_grad: record every operation on x
y = f(x)
print(y)

# %% [markdown]
# `y` is not a scalar, so `backward` needs a `gradient` of y's shape: ones give each element
# weight 1, and x.grad becomes the elementwise derivative.

# %%
y.backward(torch.ones(y.size()))
print(x.grad)
print(gradf(x))
assert (x.grad - gradf(x)).abs().max().item() < 1e-5   # autograd = the hand derivative, to float32's ~7 digits

# %% [markdown]
# The same with one `Value` (a scalar), checked against central differences too.

# %%
x = Value(1.5, label="x")
fx = x ** 2 * x.exp()
fx.backward()
by_hand = (2 * 1.5 + 1.5 ** 2) * math.exp(1.5)
numeric = (((1.5 + 1e-6) ** 2 * math.exp(1.5 + 1e-6)) - ((1.5 - 1e-6) ** 2 * math.exp(1.5 - 1e-6))) / 2e-6
print(x.grad, by_hand, numeric)
assert math.isclose(x.grad, by_hand, rel_tol=1e-12) and math.isclose(x.grad, numeric, rel_tol=1e-8)

# %% [markdown]
# ## Exercise
#
# Derive by hand the derivative of g(x) = x³·sin(x) and write it as `answer(x)`.

# %%
def answer(x):
    return None          # replace with your derivative of x**3 * sin(x)

# %%
from micrograd.exercises import ExerciseFailed, check_derivative_of_x3_sin_x

try:
    print(check_derivative_of_x3_sin_x(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
