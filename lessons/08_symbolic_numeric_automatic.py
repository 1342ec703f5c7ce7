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
# # 8. Symbolic, numeric and automatic differentiation

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# **Numeric**: finite differences. The one-sided error is O(h), the central one O(h²), until
# rounding error (about ε/h) takes over for tiny h.

# %%
exact = math.cos(1.0)
for h in (1e-1, 1e-3, 1e-5, 1e-8, 1e-11):
    one_sided = (math.sin(1 + h) - math.sin(1)) / h
    central = (math.sin(1 + h) - math.sin(1 - h)) / (2 * h)
    print(f"h={h:.0e}  one-sided error {abs(one_sided - exact):.1e}  central error {abs(central - exact):.1e}")
central = lambda h: abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - exact)  # noqa: E731
assert central(1e-3) < central(1e-1) and central(1e-11) > central(1e-5)   # better, then worse again

# %% [markdown]
# **Symbolic** differentiation of products swells: the derivative of a product of n factors has
# n terms of n factors each. **Automatic** differentiation stays at a constant factor of
# the function's own cost, and is exact to rounding.

# %%
from micrograd.func import count_operations

for n in (2, 4, 8, 16):
    xs = [Value(1.0 + 0.1 * i) for i in range(n)]
    with count_operations() as count:
        product = xs[0]
        for v in xs[1:]:
            product = product * v
        product.backward()
    symbolic_terms = n * n          # n terms of n factors
    print(f"n={n:2d}: symbolic derivative ~{symbolic_terms} factors, autograd {count.total} operations")
    assert count.total <= 2 * n

# %% [markdown]
# ## Exercise
#
# Write `answer(f, x, h)`, the central difference.

# %%
def answer(f, x, h):
    return (f(x + h) - f(x)) / h          # one-sided: replace with the central difference

# %%
from micrograd.exercises import ExerciseFailed, check_central_difference

try:
    print(check_central_difference(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
