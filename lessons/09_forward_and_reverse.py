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
# # 9. Forward and reverse accumulation

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
# Dual numbers carry a tangent alongside each value: one forward pass gives J·v (`jvp`).
# Reverse mode gives vᵀ·J (`vjp`) in one backward pass. For f: Rⁿ → R reverse mode needs one pass,
# forward mode n; for f: R → Rᵐ it is the other way round.

# %%
from micrograd import func
from micrograd.autograd import forward_ad
from micrograd.teaching.instruments import count_operations

with forward_ad.dual_level():
    x = forward_ad.make_dual(Value(1.0), 1.0)
    y = x ** 2 * x.exp()
    print("tangent", forward_ad.unpack_dual(y).tangent, "= 3e =", 3 * math.e)
    assert abs(forward_ad.unpack_dual(y).tangent - 3 * math.e) < 1e-12

n = 10
many_in = lambda *xs: sum((x * x for x in xs[1:]), xs[0] * xs[0])  # noqa: E731
with count_operations() as reverse:
    func.jacrev(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
with count_operations() as forward:
    func.jacfwd(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
print("R^10 -> R:  reverse", reverse, " forward", forward)
assert forward.total > 3 * reverse.total

# %%
def many_out(x):                       # R -> R^10: outputs share an expensive h(x)
    h = x
    for _ in range(20):
        h = h.sin() + x
    return tuple(h * k for k in range(1, 11))


with count_operations() as reverse:
    by_reverse = func.jacrev(many_out)(0.3)
with count_operations() as forward:
    by_forward = func.jacfwd(many_out)(0.3)
print("R -> R^10:  reverse", reverse, " forward", forward)
assert reverse.total > 3 * forward.total
assert all(abs(float(a) - float(b)) < 1e-9 for a, b in zip(by_reverse, by_forward))

# %% [markdown]
# ## Memory: reverse mode keeps the whole forward pass
#
# Backward runs after forward ends, and each step needs what its operation saw: sin's local
# derivative at step k is cos(hₖ₋₁), so every hₖ must still be there when backward arrives.
# n operations keep n Values alive: O(n) memory.  Forward mode computes the tangent at the same time
# as the value, ḣₖ = cos(hₖ₋₁)·ḣₖ₋₁; once step k is done, hₖ₋₁ is never needed again, so memory stays
# O(1) however long the chain.  Below, `tracemalloc` measures the peak memory of a chain of n sines in
# each mode (a dual number is just two floats).  This is why training large networks runs out of
# memory before it runs out of time, and why `no_grad()` (nothing is recorded) saves memory at evaluation.

# %%
import tracemalloc


class Dual:                           # forward mode by hand: a value and its tangent
    def __init__(self, value, tangent):
        self.value, self.tangent = value, tangent

    def sin(self):                    # (sin h)' = cos h · h'
        return Dual(math.sin(self.value), math.cos(self.value) * self.tangent)


def chain(h, n):                      # h = sin(sin(...sin(h)))
    for _ in range(n):
        h = h.sin()
    return h


def peak_bytes(start, n):
    tracemalloc.start()
    chain(start, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


for n in (1000, 2000, 4000):
    print(f"n = {n}:  reverse mode keeps {peak_bytes(Value(0.5), n):>7} bytes,  dual numbers {peak_bytes(Dual(0.5, 1.0), n):>5}")
assert peak_bytes(Value(0.5), 4000) > 3.5 * peak_bytes(Value(0.5), 1000)          # 4× the operations, 4× the memory
assert peak_bytes(Dual(0.5, 1.0), 4000) < 0.05 * peak_bytes(Value(0.5), 4000)   # a few hundred bytes whatever n: only the last pair is alive

# %% [markdown]
# ## Exercise
#
# Write `answer(f, x, j)`: column j of f's Jacobian at the tensor x, with one `func.jvp`.

# %%
def answer(f, x, j):
    return func.jacrev(f)(x)[0]          # this is a row, not a column: use func.jvp with e_j

# %%
from micrograd.exercises import ExerciseFailed, check_jacobian_column

try:
    print(check_jacobian_column(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
