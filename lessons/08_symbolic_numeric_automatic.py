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

torch.set_language("en")                                          # the checkers' messages speak English
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
# **Symbolic** differentiation of products swells. Below, a product x₀·x₁·…·xₙ₋₁ is a tree of
# `("*", a, b)` nodes over the variables' names, and `derivative` applies the product rule
# d(a·b) = da·b + a·db, dropping zeros and ones. Each of the n partial derivatives comes out as
# the product of the other n − 1 variables: n(n − 1) factors in all, quadratic in n, and nothing
# is shared between them. **Automatic** differentiation reuses the forward pass's intermediate
# products: its backward costs a constant factor of the function's own n − 1 operations, and is
# exact to rounding. We count both:

# %%
from micrograd.teaching.instruments import count_operations

def derivative(expr, name):
    if isinstance(expr, str):
        return 1 if expr == name else 0
    _, a, b = expr
    return plus(times(derivative(a, name), b), times(a, derivative(b, name)))


def times(p, q):
    return 0 if p == 0 or q == 0 else q if p == 1 else p if q == 1 else ("*", p, q)


def plus(p, q):
    return q if p == 0 else p if q == 0 else ("+", p, q)


def factors(expr):
    return 1 if isinstance(expr, str) else 0 if isinstance(expr, int) else factors(expr[1]) + factors(expr[2])


for n in (2, 4, 8, 16):
    tree = "x0"
    for k in range(1, n):
        tree = ("*", tree, f"x{k}")
    symbolic = sum(factors(derivative(tree, f"x{k}")) for k in range(n))
    xs = [Value(1.0 + 0.1 * i) for i in range(n)]
    with count_operations() as count:
        product = xs[0]
        for v in xs[1:]:
            product = product * v
        product.backward()
    print(f"n={n:2d}: symbolic gradient {symbolic:3d} factors, autograd {count.total:2d} operations")
    assert symbolic == n * (n - 1) and count.total <= 2 * n

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
    print(torch.say("Not yet:", "还没有通过："), why)
