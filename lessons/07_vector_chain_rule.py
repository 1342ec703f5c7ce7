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
# # 7. The chain rule for vectors

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
# For z = (⟨x, w⟩ − y)² the chain rule gives ∂z/∂w = 2(⟨x, w⟩ − y)·x: a vector shaped like w.
# For ‖Xw − y‖² it gives 2Xᵀ(Xw − y). Autograd agrees with both.

# %%
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.tensor(4.0)
z = (torch.dot(x, w) - y) ** 2
z.backward()
r = (torch.dot(x, w) - y).item()
print(w.grad, 2 * r * x)
assert w.grad.tolist() == (2 * r * x).tolist()

X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
w2 = torch.tensor([0.1, -0.2], requires_grad=True)
t = torch.tensor([1.0, 0.0, -1.0])
((X @ w2 - t).norm() ** 2).backward()
by_hand = 2 * (X.T @ (X @ w2.detach() - t))
print(w2.grad, by_hand)
assert (w2.grad - by_hand).abs().max().item() < 1e-5    # equal to float32's ~7 digits

# %% [markdown]
# The tensor view draws one ellipse per tensor; the scalar view shows every product and sum.

# %%
u = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
v = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
d = torch.dot(u, v)
tensor_view, scalar_view = draw(d, view="tensor"), draw(d, view="scalar")
print("saved", save(tensor_view, os.path.join(OUT, "07_dot_tensor_view.svg")))
print("saved", save(scalar_view, os.path.join(OUT, "07_dot_scalar_view.svg")))
tensor_view       # a notebook shows the graph here; run as a script, the file above has it

# %%
scalar_view

# %% [markdown]
# ## Exercise
#
# Write `answer(X, w, y)` returning 2Xᵀ(Xw − y) as a list, using plain Python lists.

# %%
def answer(X, w, y):
    return [0.0 for _ in w]          # replace

# %%
from micrograd.exercises import ExerciseFailed, check_least_squares_gradient

try:
    print(check_least_squares_gradient(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
