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
# ## Shapes
#
# For f: ℝⁿ → ℝᵐ the Jacobian J = ∂f/∂w is an m×n matrix: row i is the gradient of output i.
# Put a scalar loss on top, L = g(f(w)).  Then ∂L/∂f is a vector of m numbers and the chain rule reads
#
# ∂L/∂w = Jᵀ · ∂L/∂f,   shapes (n×m)·(m) = (n):
#
# a vector shaped like w, as every gradient is.  For L = ‖Xw − t‖² with X of shape 3×2:
# r = Xw − t has J = X (3×2), ∂L/∂r = 2r (3 numbers), so ∂L/∂w = Xᵀ·2r, shapes (2×3)·(3) = (2).
#
# Backward never builds J.  Each operation multiplies the vector coming from above by its own Jᵀ: a
# *vector–Jacobian product* (`vjp`).  That is why backward needs only a vector per tensor, however
# many outputs the graph has in between.  The cell measures each shape, and checks that the vjp and Jᵀ·2r agree.

# %%
from micrograd import func

r = X @ w2.detach() - t
J = func.jacrev(lambda w: X @ w - t)(w2.detach())     # 3×2: one row per output, one column per input
print("J:", tuple(J.shape), " ∂L/∂r:", tuple((2 * r).shape), " ∂L/∂w:", tuple(w2.grad.shape))
assert tuple(J.shape) == (3, 2) and J.tolist() == X.tolist()
_, vjp_fn = func.vjp(lambda w: X @ w - t, w2.detach())
(from_vjp,) = vjp_fn(2 * r)                          # Jᵀ·2r without building J
print(from_vjp, J.T @ (2 * r))
assert (from_vjp - w2.grad).abs().max().item() < 1e-5 and (J.T @ (2 * r) - w2.grad).abs().max().item() < 1e-5

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
    print(torch.say("Not yet:", "还没有通过："), why)
