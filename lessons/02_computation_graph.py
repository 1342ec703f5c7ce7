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
# # 2. The computation graph

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
# z = w·x + b splits into y = w·x and z = y + b. Operations (`*`, `+`) are drawn as rectangles,
# variables as ellipses. w, x, b are **leaves** (we made them); z is the **root**.

# %%
w = torch.tensor(2.0, requires_grad=True)
x = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x
z = y + b
print(w.is_leaf, x.is_leaf, b.is_leaf, y.is_leaf, z.is_leaf)
print(z.grad_fn, z.grad_fn.next_functions)
assert [t.is_leaf for t in (w, x, b, y, z)] == [True, True, True, False, False]
assert type(z.grad_fn).__name__ == "AddBackward0" and type(y.grad_fn).__name__ == "MulBackward0"

# %% [markdown]
# Backpropagation walks from the root to the leaves: dz/dw = x, dz/dx = w, dz/db = 1.

# %%
z.backward()
print(w.grad, x.grad, b.grad)
assert (w.grad.item(), x.grad.item(), b.grad.item()) == (3.0, 2.0, 1.0)
w.label, x.label, b.label, z.label = "w", "x", "b", "z"
picture = draw(z, view="tensor")
print("saved", save(picture, os.path.join(OUT, "02_wx_plus_b.svg")))
picture           # a notebook shows the graph here; run as a script, the file above has it

# %% [markdown]
# ## Exercise
#
# Build z = (a + b)·c from the Values a, b, c and return z.

# %%
def answer(a, b, c):
    return a          # replace: build (a + b) * c

# %%
from micrograd.exercises import ExerciseFailed, check_graph_of_a_plus_b_times_c

try:
    print(check_graph_of_a_plus_b_times_c(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
