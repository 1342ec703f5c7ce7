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
# # 11. Control flow inside differentiated functions

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
# d2l's example: f doubles a until its norm passes 1000, then maybe multiplies by 100. f is linear in a
# along the path taken, so a.grad == d / a. Two inputs take different branches; their graphs differ.

# %%
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


pictures = []
for value in (0.7, -0.7):
    a = torch.tensor(value, requires_grad=True)
    d = f(a)
    d.backward()
    print(f"a = {value}: d = {d.item():.1f}, a.grad = {a.grad.item():.1f}, d / a = {(d / a).item():.1f}")
    assert abs(a.grad.item() - (d / a).item()) < 1e-9
    pictures.append(draw(d, view="tensor", max_nodes=2000))
    print("saved", save(pictures[-1], os.path.join(OUT, f"11_branch_{'positive' if value > 0 else 'negative'}.svg")))

# %%
pictures[0]       # a = 0.7: a notebook shows the graph here; run as a script, the files above have them

# %%
pictures[1]       # a = -0.7: the other branch, multiplied by 100 at the end

# %% [markdown]
# ## Exercise
#
# Write `answer(x)` = x² if x > 0 else −x, using Python's `if` on a Value.

# %%
def answer(x):
    return x * x          # add the other branch

# %%
from micrograd.exercises import ExerciseFailed, check_piecewise

try:
    print(check_piecewise(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
